"""Record changes in the audit trail (in the caller's transaction: no change, no entry)."""

from __future__ import annotations

from pmolearn.audit.models import AuditEvent
from pmolearn.extensions import db


def record(
    action: str,
    entity_type: str,
    entity_id: int,
    *,
    actor_id: int | None,
    person_id: int | None,
    before: dict | None = None,
    after: dict | None = None,
) -> None:
    """Add one audit entry; for updates only the fields that changed are kept."""
    if before is not None and after is not None:
        changed = {k for k in set(before) | set(after) if before.get(k) != after.get(k)}
        if not changed:
            return
        before = {k: before.get(k) for k in sorted(changed)}
        after = {k: after.get(k) for k in sorted(changed)}
    db.session.add(
        AuditEvent(
            action=action,
            entity_type=entity_type,
            entity_id=entity_id,
            actor_id=actor_id,
            person_id=person_id,
            before=before,
            after=after,
        )
    )
