"""Evidence files: checked by content (not by name), size-bounded, stored under random names
outside the static folder, and served only through a scoped view.

A file is stored, served and zipped under the extension of its detected type, never the one
its uploader gave it: a PDF named ``certificate.html`` comes back as ``certificate.pdf``.
"""

from __future__ import annotations

import hashlib
import secrets
from pathlib import Path

import filetype
from flask import abort, current_app, send_file
from werkzeug.datastructures import FileStorage

from pmolearn.audit.services import record
from pmolearn.errors import ApiError
from pmolearn.extensions import db
from pmolearn.fields import visible_name
from pmolearn.pdus.models import EvidenceFile, PduActivity
from pmolearn.people.models import Person

#: What an issuer's auditor accepts: certificates and receipts as PDF or images.
ALLOWED_TYPES = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}


def upload_folder() -> Path:
    folder = Path(current_app.config["UPLOAD_FOLDER"])
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def stored_path(evidence: EvidenceFile) -> Path:
    return upload_folder() / evidence.stored_name


def named_as(name: str, extension: str) -> str:
    """``name`` with ``extension`` in place of whatever it ended with (at most 255 characters)."""
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return f"{stem.strip()[: 250 - len(extension)] or 'evidence'}.{extension}"


def _read_bounded(upload: FileStorage, limit: int) -> bytes:
    data = upload.stream.read(limit + 1)
    if len(data) > limit:
        raise ApiError(
            413,
            f"The file is larger than {limit // (1024 * 1024)} MB.",
            {"file": [f"At most {limit // (1024 * 1024)} MB."]},
        )
    return data


def add_evidence(activity: PduActivity, upload: FileStorage | None, *, actor: Person):
    """Store one uploaded file for ``activity``; nothing is written when it is refused.

    :raises ApiError: 422 no file / empty file, 413 too large, 415 not a PDF, PNG or JPEG
        (judged by the bytes, whatever the file name or declared type says).
    """
    if upload is None or not upload.filename:
        raise ApiError(422, "Choose a file to upload.", {"file": ["Required."]})
    try:
        data = _read_bounded(upload, current_app.config["UPLOAD_MAX_BYTES"])
    finally:
        upload.close()  # a large upload is spooled to a temporary file: release it now
    if not data:
        raise ApiError(422, "The file is empty.", {"file": ["The file is empty."]})
    kind = filetype.guess(data)
    if kind is None or kind.mime not in ALLOWED_TYPES:
        raise ApiError(
            415,
            "Evidence must be a PDF, PNG or JPEG file.",
            {"file": ["Not a PDF, PNG or JPEG file (checked by content)."]},
        )
    extension = ALLOWED_TYPES[kind.mime]
    stored_name = f"{secrets.token_hex(16)}.{extension}"
    original = named_as(visible_name(upload.filename, fallback="evidence"), extension)
    evidence = EvidenceFile(
        activity=activity,
        original_name=original,
        stored_name=stored_name,
        content_type=kind.mime,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )
    db.session.add(evidence)
    db.session.flush()
    path = upload_folder() / stored_name
    path.write_bytes(data)
    record(
        "upload",
        "evidence_file",
        evidence.id,
        actor_id=actor.id,
        person_id=activity.person_id,
        after={"activity_id": activity.id, "filename": original, "sha256": evidence.sha256},
    )
    return evidence


def remove_stored_files(stored_names: list[str]) -> None:
    """Unlink files after their rows are gone (called once the transaction has committed)."""
    folder = upload_folder()
    for name in stored_names:
        (folder / name).unlink(missing_ok=True)


def remove_evidence(activity: PduActivity, file_id: int, *, actor: Person) -> str | None:
    """Delete one file's row (audited); returns its stored name to unlink after the commit,
    or None when the activity has no such file (the caller answers 404)."""
    evidence = next((f for f in activity.evidence if f.id == file_id), None)
    if evidence is None:
        return None
    record(
        "delete",
        "evidence_file",
        evidence.id,
        actor_id=actor.id,
        person_id=activity.person_id,
        before={
            "activity_id": activity.id,
            "filename": evidence.original_name,
            "sha256": evidence.sha256,
        },
    )
    activity.evidence.remove(evidence)
    db.session.flush()
    return evidence.stored_name


def send_evidence(activity: PduActivity, file_id: int):
    """The stored file as a download (404 when the activity has no such file on disk)."""
    item = next((f for f in activity.evidence if f.id == file_id), None) or abort(404)
    path = stored_path(item)
    if not path.exists():
        abort(404)
    return send_file(
        path,
        mimetype=item.content_type,
        as_attachment=True,
        download_name=item.download_name,
    )


def commit_upload(evidence: EvidenceFile) -> None:
    """Commit the upload; if the commit fails, the file already on disk goes too."""
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        remove_stored_files([evidence.stored_name])
        raise
