"""The claims this package records, handed to ``credentials`` (which cannot import us).

``credentials.claims`` says what a credential needs to know of its claims; this is where they
come from: one query for any number of credentials, one more for an audit pack's evidence.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from functools import cache

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import lazyload, selectinload

from pmolearn.credentials.claims import AuditClaim, ClaimRecord, EvidenceRecord
from pmolearn.credentials.compliance import COUNTING_STATUSES
from pmolearn.credentials.cycles import Window
from pmolearn.extensions import db, read
from pmolearn.pdus import fields
from pmolearn.pdus.evidence import stored_path
from pmolearn.pdus.models import EvidenceFile, PduActivity, area_split, pdu_applications


def record_of(activity: PduActivity, evidence_count: int = 0) -> ClaimRecord:
    return ClaimRecord(
        id=activity.id,
        title=activity.title,
        activity_type=activity.activity_type,
        category=activity.category,
        completed_on=activity.completed_on,
        pdus=activity.pdus,
        areas=activity.areas,
        status=activity.status,
        provider=activity.provider,
        reported_on=activity.reported_on,
        evidence_count=evidence_count,
    )


@cache
def _claims_statement(since: bool = False):
    """Built once (and once more with a ``since`` bound), the credential ids an expanding
    parameter: composing it cost about as much as running it, on every page that shows a
    credential. Each claim's files are counted by an index probe, not by grouping every file
    in the database."""
    files = (
        select(func.count())
        .select_from(EvidenceFile)
        .where(EvidenceFile.activity_id == PduActivity.id)
        .scalar_subquery()
    )
    stmt = (
        select(
            pdu_applications.c.credential_id,
            PduActivity.id,
            PduActivity.title,
            PduActivity.activity_type,
            PduActivity.category,
            PduActivity.completed_on,
            PduActivity.pdus,
            PduActivity.ways_of_working,
            PduActivity.power_skills,
            PduActivity.business_acumen,
            PduActivity.status,
            PduActivity.provider,
            PduActivity.reported_on,
            files,
        )
        .join(pdu_applications, pdu_applications.c.activity_id == PduActivity.id)
        .where(pdu_applications.c.credential_id.in_(bindparam("ids", expanding=True)))
        .order_by(PduActivity.completed_on, PduActivity.id)
    )
    return stmt.where(PduActivity.completed_on >= bindparam("since")) if since else stmt


class PduClaims:
    """The :class:`credentials.claims.ClaimSource` of the app."""

    def for_credentials(
        self, credential_ids: Sequence[int], since: date | None = None
    ) -> dict[int, list[ClaimRecord]]:
        if not credential_ids:
            return {}
        params = {"ids": list(credential_ids), "since": since}
        rows = read(_claims_statement(since is not None), params)
        grouped: dict[int, list[ClaimRecord]] = defaultdict(list)
        for (
            credential_id,
            aid,
            title,
            kind,
            category,
            completed,
            pdus,
            wow,
            ps,
            ba,
            status,
            provider,
            reported,
            count,
        ) in rows:
            areas = area_split(wow, ps, ba)
            grouped[credential_id].append(
                ClaimRecord(
                    aid,
                    title,
                    kind,
                    category,
                    completed,
                    pdus,
                    areas,
                    status,
                    provider,
                    reported,
                    count,
                )
            )
        return grouped

    def for_audit(self, credential_id: int, window: Window) -> list[AuditClaim]:
        activities = db.session.scalars(
            select(PduActivity)
            .join(pdu_applications, pdu_applications.c.activity_id == PduActivity.id)
            .where(pdu_applications.c.credential_id == credential_id)
            .options(lazyload(PduActivity.credentials), selectinload(PduActivity.evidence))
            .order_by(PduActivity.completed_on, PduActivity.id)
        )
        return [
            self._audit_claim(a)
            for a in activities
            if a.status in COUNTING_STATUSES and window.contains(a.completed_on)
        ]

    def audit_columns(self) -> tuple[str, ...]:
        return fields.AUDIT_COLUMNS

    @staticmethod
    def _audit_claim(activity: PduActivity) -> AuditClaim:
        values = {"activity_id": activity.id, **activity.areas}
        cells = tuple(
            (column, values[column] if column in values else getattr(activity, column))
            for column in fields.AUDIT_COLUMNS
        )
        evidence = []
        for item in activity.evidence:
            path = stored_path(item)
            evidence.append(
                EvidenceRecord(item.download_name, path if path.is_file() else None, item.extension)
            )
        return AuditClaim(activity.id, cells, tuple(evidence))
