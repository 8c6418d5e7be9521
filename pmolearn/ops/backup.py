"""``pmolearn backup DIR`` and ``pmolearn restore DIR``: the database and the evidence files.

A backup folder holds the database (``database.sqlite3`` made with SQLite's online backup, or
``database.dump`` made with ``pg_dump``, one consistent snapshot either way), ``evidence/`` (a
copy of every stored file) and ``manifest.json``: what was backed up, the schema revision, the
rows per table, and each file's size and SHA-256. The database is copied first: evidence files
are written once under random names, so every file a row names is there; one added during the
backup is merely extra.

A restore checks every checksum before it touches anything, and goes only into an empty
installation (no tables, no evidence files), then counts the rows again.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from alembic.runtime.migration import MigrationContext
from flask import current_app
from sqlalchemy import func, inspect, select
from sqlalchemy.engine import URL, make_url

from pmolearn.database import analyze
from pmolearn.extensions import db

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.dump"
EVIDENCE = "evidence"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """Why a backup or restore cannot go on; nothing has been changed when it is raised."""


@dataclass(frozen=True)
class Summary:
    folder: Path
    database: str
    revision: str | None
    rows: int
    files: int
    bytes: int


# --- backup ----------------------------------------------------------------------------------


def backup(folder: Path) -> Summary:
    """Nothing is left behind when it fails: a folder it made is removed again."""
    folder = Path(folder)
    if folder.exists() and any(folder.iterdir()):
        raise BackupError(f"{folder} is not empty: a backup goes into a new or empty folder.")
    url = db.engine.url
    if url.get_backend_name() not in ("sqlite", "postgresql"):
        raise BackupError(f"pmolearn cannot back up a {url.get_backend_name()} database.")
    if url.get_backend_name() == "sqlite":
        _sqlite_path(url)  # refuses an in-memory database before anything is written
    revision = _revision()  # the database answers before anything is written
    rows = _row_counts()
    made = not folder.exists()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        return _write_backup(folder, url, revision, rows)
    except BaseException as error:
        if made:
            shutil.rmtree(folder, ignore_errors=True)
        if isinstance(error, OSError):
            reason = error.strerror or error
            raise BackupError(f"Cannot write the backup to {folder}: {reason}.") from None
        raise


def _write_backup(folder: Path, url: URL, revision: str | None, rows: dict) -> Summary:
    if url.get_backend_name() == "sqlite":
        database_file = folder / SQLITE_FILE
        _sqlite_copy(_sqlite_path(url), database_file)
    else:
        database_file = folder / PG_FILE
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges",
              f"--file={database_file}", _libpq_url(url)], url)  # fmt: skip
    files = _copy_evidence(_upload_folder(), folder / EVIDENCE)
    entries = [_entry(folder, database_file)] + [_entry(folder, p) for p in files]
    manifest = {
        "format": FORMAT,
        "pmolearn": _version(),
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "database": url.get_backend_name(),
        "revision": revision,
        "rows": rows,
        "files": entries,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    return Summary(folder, url.get_backend_name(), revision, sum(rows.values()), len(files),
                   sum(e["size"] for e in entries))  # fmt: skip


def _sqlite_copy(source: Path, target: Path) -> None:
    """SQLite's online backup: a consistent copy while others read and write (WAL included)."""
    source_db = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    target_db = sqlite3.connect(target)
    try:
        source_db.backup(target_db)
    finally:
        target_db.close()
        source_db.close()


def _copy_evidence(source: Path, target: Path) -> list[Path]:
    target.mkdir(parents=True, exist_ok=True)
    copied = []
    if source.is_dir():
        for path in sorted(p for p in source.rglob("*") if p.is_file()):
            destination = target / path.relative_to(source)
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, destination)
            copied.append(destination)
    return copied


def _entry(folder: Path, path: Path) -> dict:
    return {"path": path.relative_to(folder).as_posix(), "size": path.stat().st_size,
            "sha256": _sha256(path)}  # fmt: skip


# --- restore ---------------------------------------------------------------------------------


def restore(folder: Path) -> Summary:
    folder = Path(folder)
    manifest = verify(folder)
    url = db.engine.url
    if manifest["database"] != url.get_backend_name():
        raise BackupError(
            f"The backup holds a {manifest['database']} database and this installation uses "
            f"{url.get_backend_name()}: restore it into the same kind of database."
        )
    _require_empty_installation()
    evidence_target = _upload_folder()
    db.engine.dispose()  # no pooled connection may hold the database while it is replaced
    if manifest["database"] == "sqlite":
        _sqlite_copy(folder / SQLITE_FILE, _sqlite_path(url))
    else:
        _run(["pg_restore", "--no-owner", "--no-privileges", "--single-transaction",
              "--exit-on-error", f"--dbname={_libpq_url(url)}", str(folder / PG_FILE)],
             url)  # fmt: skip
    files = [e for e in manifest["files"] if e["path"].startswith(EVIDENCE + "/")]
    for entry in files:
        destination = evidence_target / Path(entry["path"]).relative_to(EVIDENCE)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(folder / entry["path"], destination)
    analyze(db.session)  # pg_restore brings no planner statistics
    rows = _row_counts()
    if rows != manifest["rows"]:
        differ = sorted(k for k in set(rows) | set(manifest["rows"])
                        if rows.get(k) != manifest["rows"].get(k))  # fmt: skip
        raise BackupError(f"Restored, but the row counts differ from the backup's: {differ}.")
    return Summary(folder, manifest["database"], _revision(), sum(rows.values()), len(files),
                   sum(e["size"] for e in manifest["files"]))  # fmt: skip


def verify(folder: Path) -> dict:
    """The manifest, once it is whole and every file it lists is there with its size and
    checksum, and every evidence file there is listed: a restore checks all of this before it
    writes anything."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except FileNotFoundError:
        raise BackupError(f"{folder} holds no {MANIFEST}: it is not a pmolearn backup.") from None
    except (ValueError, UnicodeDecodeError):
        raise BackupError(f"{folder / MANIFEST} is not readable JSON.") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{folder / MANIFEST} is not a backup format this version reads.")
    _check_shape(folder, manifest)
    root = folder.resolve()
    for entry in manifest["files"]:
        path = (folder / entry["path"]).resolve()
        if not path.is_relative_to(root):
            raise BackupError(f"The manifest names a file outside the backup: {entry['path']}.")
        if not path.is_file():
            raise BackupError(f"The backup is incomplete: {entry['path']} is missing.")
        if path.stat().st_size != entry["size"] or _sha256(path) != entry["sha256"]:
            raise BackupError(f"The backup is damaged: {entry['path']} fails its checksum.")
    listed = {entry["path"] for entry in manifest["files"]}
    evidence = folder / EVIDENCE
    present = (
        {p.relative_to(folder).as_posix() for p in evidence.rglob("*") if p.is_file()}
        if evidence.is_dir()
        else set()
    )
    if unlisted := sorted(present - listed):
        raise BackupError(
            f"The backup holds evidence files its manifest does not list ({unlisted[0]} and "
            f"{len(unlisted) - 1} more): the manifest has been changed."
        )
    return manifest


def _check_shape(folder: Path, manifest: dict) -> None:
    """Every key a restore reads, of the kind it expects."""
    damaged = f"{folder / MANIFEST} is damaged"
    kind = manifest.get("database")
    if kind not in ("sqlite", "postgresql"):
        raise BackupError(f"{damaged}: it names no database pmolearn restores ({kind!r}).")
    rows = manifest.get("rows")
    if not isinstance(rows, dict) or not all(
        isinstance(k, str) and type(v) is int and v >= 0 for k, v in rows.items()
    ):
        raise BackupError(f"{damaged}: its row counts are missing or not counts.")
    files = manifest.get("files")
    if not isinstance(files, list) or not all(
        isinstance(e, dict)
        and isinstance(e.get("path"), str)
        and type(e.get("size")) is int
        and isinstance(e.get("sha256"), str)
        for e in files
    ):
        raise BackupError(f"{damaged}: its list of files is missing or malformed.")
    database_file = SQLITE_FILE if kind == "sqlite" else PG_FILE
    if database_file not in {e["path"] for e in files}:
        raise BackupError(f"{damaged}: it does not list the database file {database_file}.")


def _require_empty_installation() -> None:
    if inspect(db.engine).get_table_names():
        raise BackupError(
            "This installation's database already has tables: restore goes into an empty "
            "database (create a new one, point DATABASE_URL at it, and run restore again)."
        )
    folder = _upload_folder()
    if folder.is_dir() and any(p.is_file() for p in folder.rglob("*")):
        raise BackupError(f"The evidence folder {folder} is not empty.")


# --- shared ----------------------------------------------------------------------------------


def _row_counts() -> dict[str, int]:
    present = set(inspect(db.engine).get_table_names())
    with db.engine.connect() as connection:
        return {
            table.name: connection.scalar(select(func.count()).select_from(table))
            for table in db.metadata.sorted_tables
            if table.name in present
        }


def _revision() -> str | None:
    with db.engine.connect() as connection:
        heads = MigrationContext.configure(connection).get_current_heads()
    return ",".join(sorted(heads)) or None


def _upload_folder() -> Path:
    return Path(current_app.config["UPLOAD_FOLDER"])


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("An in-memory SQLite database cannot be backed up or restored.")
    return Path(url.database)


def _libpq_url(url: URL) -> str:
    """The address for pg_dump and pg_restore, without the password (given in PGPASSWORD)."""
    plain = make_url(url).set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False)


def _run(command: list[str], url: URL) -> None:
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed (Debian: postgresql-client).")
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip() or result.returncode}")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _version() -> str:
    try:
        return metadata.version("pmolearn")
    except metadata.PackageNotFoundError:
        return "unknown"
