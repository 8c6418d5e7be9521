"""The audit pack: one credential cycle's claims (CSV) and their evidence files as a ZIP.

Issuers audit PDU claims at random and ask for proof of every claim in a cycle; this builds that
answer in one step. It reads only (callers decide scope and commit nothing), and lists exactly
the claims ``cycles.window`` gives the cycle and the engine counts, so the pack matches what the
credential page shows. The claims' columns are the PDU fields' own CSV columns, supplied with
the claims by the ``pdus`` package.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from werkzeug.utils import secure_filename

from pmolearn import text
from pmolearn.credentials import claims, compliance, cycles
from pmolearn.credentials.claims import AuditClaim
from pmolearn.credentials.models import Credential, CredentialCycle
from pmolearn.credentials.services import counting_window, evaluate_cycle
from pmolearn.errors import ApiError

#: A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class _PackFile:
    """One evidence file: its name inside the ZIP and where it is stored (None when missing)."""

    activity_id: int
    arcname: str
    original_name: str
    path: Path | None


def find_cycle(credential: Credential, cycle_number: int | None) -> CredentialCycle:
    """The requested cycle (default: the latest one).

    :raises ApiError: 404 when the credential has no cycle with that number.
    """
    if cycle_number is None:
        return credential.latest_cycle
    for cycle in credential.cycles:
        if cycle.number == cycle_number:
            return cycle
    numbers = ", ".join(str(c.number) for c in credential.cycles)
    message = f"No cycle {cycle_number}; this credential has cycle(s) {numbers}."
    raise ApiError(404, message, {"cycle": [message]})


def pack_files(counted: list[AuditClaim]) -> list[_PackFile]:
    """Name every evidence file ``evidence/<activity_id>-<n>-<safe name>``: unique inside the
    ZIP, traceable to its claim, and safe to extract on any system. The extension is always
    the one of the file's detected type (a PDF uploaded as ``x.html`` is ``x.pdf`` here)."""
    files = []
    for claim in counted:
        for n, item in enumerate(claim.evidence, start=1):
            stem = secure_filename(Path(item.name).stem) or "file"
            files.append(
                _PackFile(
                    activity_id=claim.id,
                    arcname=f"evidence/{claim.id}-{n}-{stem}.{item.extension}",
                    original_name=item.name,
                    path=item.path,
                )
            )
    return files


def neutralise(value) -> str:
    """Text for a CSV cell that a spreadsheet shows as text, never runs as a formula."""
    cell = "" if value is None else _plain(value)
    return "'" + cell if cell.startswith(FORMULA_PREFIXES) else cell


def _plain(value) -> str:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value.quantize(Decimal('0.01'))}"
    return str(value)


def claims_csv(columns: tuple[str, ...], counted: list[AuditClaim], files: list[_PackFile]) -> str:
    """``claims.csv``: one row per counted claim; evidence_files names only files in the ZIP."""
    present: dict[int, list[str]] = {}
    for item in files:
        if item.path is not None:
            present.setdefault(item.activity_id, []).append(item.arcname)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([*columns, "evidence_files"])
    for claim in counted:
        row = [value for _, value in claim.cells] + [";".join(present.get(claim.id, []))]
        writer.writerow([neutralise(v) for v in row])
    return out.getvalue()


def _amount(value) -> str:
    return "—" if value is None else text.amount(value)


def _line(label: str, value: str) -> str:
    """``Label:  value`` with every line break and control character already refused at entry;
    the pack still never lets a value start a line of its own."""
    return f"{label + ':':<16}{' '.join(str(value).split())}"


def summary_text(
    credential: Credential,
    cycle: CredentialCycle,
    window: cycles.Window,
    result: compliance.Compliance | None,
    counted: list[AuditClaim],
    files: list[_PackFile],
    as_of: date,
) -> str:
    """``summary.txt``: what an auditor reads first: whose credential, which cycle, what the
    engine concludes, and which evidence files are missing from the pack."""
    person = credential.person
    end = cycle.end.isoformat() if cycle.end else "unknown (rules unconfirmed)"
    lines = [
        "pmolearn audit pack",
        "",
        _line("Person", f"{person.name} <{person.email}>"),
        _line(
            "Certification", f"{credential.certification.code} — {credential.certification.name}"
        ),
        _line("Number", credential.number or "—"),
        _line("Earned on", credential.earned_on.isoformat()),
        _line("Cycle", f"{cycle.number} of {len(credential.cycles)}"),
        _line("Cycle dates", f"{cycle.start.isoformat()} to {end}"),
        _line("Counts through", window.last.isoformat() if window.last else "—"),
        _line("Policy", cycle.policy.label if cycle.policy else "none in the catalog"),
        _line("As of", as_of.isoformat()),
        "",
    ]
    lines += _compliance_lines(result)
    present = sum(1 for f in files if f.path is not None)
    lines += [
        "",
        _line("Claims", f"{len(counted)} (claimed or approved; drafts and rejected excluded)"),
        _line("Evidence files", f"{present} in evidence/"),
    ]
    missing = [f for f in files if f.path is None]
    if missing:
        lines += ["", f"Missing evidence files ({len(missing)}), not in this pack:"]
        lines += [
            f"  activity {f.activity_id}: {' '.join(f.original_name.split())}" for f in missing
        ]
    return "\n".join(lines) + "\n"


def _compliance_lines(result: compliance.Compliance | None) -> list[str]:
    if result is None:
        return [_line("Status", "unconfirmed (the catalog's renewal rules are not confirmed)")]
    remaining = result.remaining
    lines = [
        _line("Required PDUs", _amount(result.required)),
        _line("Earned PDUs", _amount(result.earned)),
        _line("Applied PDUs", f"{_amount(result.applied)} (after every cap)"),
        _line("Remaining PDUs", _amount(remaining.total)),
    ]
    lines += [
        f"  {code.replace('_', ' ')}: {_amount(amount)}"
        for code, amount in remaining.by_category.items()
        if amount
    ]
    lines += [
        f"  {compliance.AREA_NAMES.get(area, area)}: {_amount(amount)}"
        for area, amount in remaining.areas.items()
        if amount
    ]
    if result.carried_in:
        lines.append(_line("Carried in", f"{_amount(result.carried_in)} PDUs from the last cycle"))
    lines.append(_line("Status", result.status))
    if result.ignored_claim_ids:
        ids = ", ".join(str(i) for i in result.ignored_claim_ids)
        lines.append(f"Not counted (activity type unknown to the policy): {ids}")
    return lines


def pack_filename(credential: Credential, cycle: CredentialCycle, as_of: date) -> str:
    name = (
        f"audit-pack-{credential.certification.code}-{credential.number or credential.id}"
        f"-cycle-{cycle.number}-{as_of.isoformat()}.zip"
    )
    return secure_filename(name) or "audit-pack.zip"


def build_audit_pack(
    credential: Credential, cycle_number: int | None, as_of: date
) -> tuple[str, io.BytesIO]:
    """Build the ZIP for one cycle of ``credential`` (already scope-checked by the caller).

    Evidence is at most 10 MB a file, so the pack is built in memory and handed back rewound.

    :raises ValidationFailed: no cycle with that number.
    """
    cycle = find_cycle(credential, cycle_number)
    window = counting_window(credential, cycle)
    counted = claims.source().for_audit(credential.id, window)
    records = claims.source().for_credentials([credential.id]).get(credential.id, [])
    result = evaluate_cycle(credential, cycle, records, as_of, window=window)
    files = pack_files(counted)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        summary = summary_text(credential, cycle, window, result, counted, files, as_of)
        archive.writestr("summary.txt", summary)
        # BOM: Excel opens UTF-8 CSV correctly only with it (names, titles with accents).
        columns = claims.source().audit_columns()
        archive.writestr("claims.csv", "\ufeff" + claims_csv(columns, counted, files))
        for item in files:
            if item.path is not None:
                archive.write(item.path, item.arcname)
    buffer.seek(0)
    return pack_filename(credential, cycle, as_of), buffer
