"""The audit pack: one credential cycle's claims (CSV) and their evidence files as a ZIP.

Issuers audit PDU claims at random and ask for proof of every claim in a cycle; this builds that
answer in one step. It reads only (callers decide scope and commit nothing), and lists exactly
the claims the compliance engine counts for the cycle, so the pack matches what the app shows.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import lazyload, selectinload
from werkzeug.utils import secure_filename

from pmolearn.errors import ValidationFailed
from pmolearn.extensions import db
from pmolearn.pdus import engine, services
from pmolearn.pdus.evidence import stored_path
from pmolearn.pdus.models import Credential, CredentialCycle, PduActivity, pdu_applications

CLAIM_COLUMNS = (
    "activity_id",
    "title",
    "category",
    "activity_type",
    "provider",
    "provider_id",
    "started_on",
    "completed_on",
    "pdus",
    "ways_of_working",
    "power_skills",
    "business_acumen",
    "status",
    "reported_on",
    "evidence_files",
)
#: A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class _PackFile:
    """One evidence file: its name inside the ZIP and where it is stored (None when missing)."""

    activity_id: int
    arcname: str
    original_name: str
    path: Path | None


@dataclass
class _Window:
    """The completion dates that count toward a cycle (``last`` None: no end known yet)."""

    first: date
    last: date | None
    after: date | None = None


def find_cycle(credential: Credential, cycle_number: int | None) -> CredentialCycle:
    """The requested cycle (default: the current one).

    :raises ValidationFailed: the credential has no cycle with that number.
    """
    if cycle_number is None:
        return credential.current_cycle
    for cycle in credential.cycles:
        if cycle.number == cycle_number:
            return cycle
    numbers = ", ".join(str(c.number) for c in credential.cycles)
    raise ValidationFailed(
        {"cycle": [f"No cycle {cycle_number}; this credential has cycle(s) {numbers}."]},
        "No such cycle.",
    )


def counting_window(credential: Credential, cycle: CredentialCycle) -> _Window:
    """Same window as ``services.evaluate_cycle``: inside the cycle (through its grace or renewal
    date per ``services.counts_to``) and after the previous cycle's window, so a claim counted in
    one cycle never appears in the next cycle's pack."""
    index = credential.cycles.index(cycle)
    is_latest = index == len(credential.cycles) - 1
    after = services.counts_to(credential.cycles[index - 1], False) if index > 0 else None
    last = services.counts_to(cycle, is_latest)
    if last is None and not is_latest:
        # Unconfirmed rules give no end date: stop where the next cycle starts.
        last = credential.cycles[index + 1].start - timedelta(days=1)
    return _Window(first=cycle.start, last=last, after=after)


def counted_activities(credential: Credential, window: _Window) -> list[PduActivity]:
    """Claimed or approved activities applied to the credential inside the window, with their
    evidence (drafts and rejected claims prove nothing to an auditor): one query plus one for
    the evidence rows."""
    stmt = (
        select(PduActivity)
        .join(pdu_applications, pdu_applications.c.activity_id == PduActivity.id)
        .where(
            pdu_applications.c.credential_id == credential.id,
            PduActivity.status.in_(sorted(engine.COUNTING_STATUSES)),
            PduActivity.completed_on >= window.first,
        )
        .options(lazyload(PduActivity.credentials), selectinload(PduActivity.evidence))
        .order_by(PduActivity.completed_on, PduActivity.id)
    )
    if window.last is not None:
        stmt = stmt.where(PduActivity.completed_on <= window.last)
    if window.after is not None:
        stmt = stmt.where(PduActivity.completed_on > window.after)
    return list(db.session.scalars(stmt))


def pack_files(activities: list[PduActivity]) -> list[_PackFile]:
    """Name every evidence file ``evidence/<activity_id>-<n>-<safe name>``: unique inside the
    ZIP, traceable to its claim, and safe to extract on any system."""
    files = []
    for activity in activities:
        for n, item in enumerate(activity.evidence, start=1):
            safe = secure_filename(item.original_name) or f"file.{item.stored_name.split('.')[-1]}"
            path = stored_path(item)
            files.append(
                _PackFile(
                    activity_id=activity.id,
                    arcname=f"evidence/{activity.id}-{n}-{safe}",
                    original_name=item.original_name,
                    path=path if path.is_file() else None,
                )
            )
    return files


def neutralise(value) -> str:
    """Text for a CSV cell that a spreadsheet shows as text, never runs as a formula."""
    text = "" if value is None else _plain(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def _plain(value) -> str:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value.quantize(Decimal('0.01'))}"
    return str(value)


def claims_csv(activities: list[PduActivity], files: list[_PackFile]) -> str:
    """``claims.csv``: one row per counted claim; evidence_files names only files in the ZIP."""
    present: dict[int, list[str]] = {}
    for item in files:
        if item.path is not None:
            present.setdefault(item.activity_id, []).append(item.arcname)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CLAIM_COLUMNS)
    for a in activities:
        fields = [getattr(a, name) for name in CLAIM_COLUMNS[1:-1]]
        row = [a.id, *fields, ";".join(present.get(a.id, []))]
        writer.writerow([neutralise(v) for v in row])
    return out.getvalue()


def _amount(value) -> str:
    return "—" if value is None else f"{Decimal(value).normalize():f}"


def summary_text(
    credential: Credential,
    cycle: CredentialCycle,
    window: _Window,
    compliance: engine.Compliance | None,
    activities: list[PduActivity],
    files: list[_PackFile],
    as_of: date,
) -> str:
    """``summary.txt``: what an auditor reads first — whose credential, which cycle, what the
    engine concludes, and which evidence files are missing from the pack."""
    person = credential.person
    lines = [
        "pmolearn audit pack",
        "",
        f"Person:         {person.name} <{person.email}>",
        f"Certification:  {credential.certification.code} — {credential.certification.name}",
        f"Number:         {credential.number or '—'}",
        f"Earned on:      {credential.earned_on.isoformat()}",
        f"Cycle:          {cycle.number} of {len(credential.cycles)}",
        f"Cycle dates:    {cycle.start.isoformat()} to "
        f"{cycle.end.isoformat() if cycle.end else 'unknown (rules unconfirmed)'}",
        f"Counts through: {window.last.isoformat() if window.last else '—'}",
        f"Policy:         {cycle.policy.label if cycle.policy else 'none in the catalog'}",
        f"As of:          {as_of.isoformat()}",
        "",
    ]
    lines += _compliance_lines(compliance, cycle)
    present = sum(1 for f in files if f.path is not None)
    lines += [
        "",
        f"Claims:         {len(activities)} (claimed or approved; drafts and rejected excluded)",
        f"Evidence files: {present} in evidence/",
    ]
    missing = [f for f in files if f.path is None]
    if missing:
        lines += ["", f"Missing evidence files ({len(missing)}), not in this pack:"]
        lines += [f"  activity {f.activity_id}: {f.original_name}" for f in missing]
    return "\n".join(lines) + "\n"


def _compliance_lines(compliance: engine.Compliance | None, cycle: CredentialCycle) -> list[str]:
    if compliance is None:
        return ["Status:         unconfirmed (the catalog's renewal rules are not confirmed)"]
    remaining = compliance.remaining
    lines = [
        f"Required PDUs:  {_amount(compliance.required)}",
        f"Earned PDUs:    {_amount(compliance.earned)}",
        f"Applied PDUs:   {_amount(compliance.applied)} (after every cap)",
        f"Remaining PDUs: {_amount(remaining.total)}",
    ]
    lines += [
        f"  {code.replace('_', ' ')}: {_amount(amount)}"
        for code, amount in remaining.by_category.items()
        if amount
    ]
    lines += [
        f"  {engine.AREA_NAMES.get(area, area)}: {_amount(amount)}"
        for area, amount in remaining.areas.items()
        if amount
    ]
    carried = sum((Decimal(str(c["pdus"])) for c in cycle.carried_in or []), Decimal(0))
    if carried:
        lines.append(f"Carried in:     {_amount(carried)} PDUs from the previous cycle")
    lines.append(f"Status:         {compliance.status}")
    if compliance.ignored_claim_ids:
        ids = ", ".join(str(i) for i in compliance.ignored_claim_ids)
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
    activities = counted_activities(credential, window)
    compliance = services.evaluate_cycle(credential, cycle, activities, as_of)
    files = pack_files(activities)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        summary = summary_text(credential, cycle, window, compliance, activities, files, as_of)
        archive.writestr("summary.txt", summary)
        # BOM: Excel opens UTF-8 CSV correctly only with it (names, titles with accents).
        archive.writestr("claims.csv", "\ufeff" + claims_csv(activities, files))
        for item in files:
            if item.path is not None:
                archive.write(item.path, item.arcname)
    buffer.seek(0)
    return pack_filename(credential, cycle, as_of), buffer
