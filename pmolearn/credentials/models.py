"""Credentials (certifications people hold) and their continuing-certification cycles."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    ForeignKey,
    String,
    UniqueConstraint,
    bindparam,
    event,
    exists,
    inspect,
    select,
    update,
)
from sqlalchemy.orm import Mapped, aliased, mapped_column, relationship

from pmolearn import revisions
from pmolearn.catalog import snapshot, values
from pmolearn.catalog.models import RenewalPolicy
from pmolearn.clock import now
from pmolearn.credentials.cycles import CycleDates, grace_end, latest_dates
from pmolearn.database import Session
from pmolearn.extensions import db
from pmolearn.people.models import Person


def label_of(code: str, number: str | None) -> str:
    """A credential as people name it in a list or a choice: "PMP 1234567", or "CAPM"."""
    return f"{code} {number}" if number else code


class Credential(db.Model):
    """A certification a person holds; its history is a list of cycles."""

    __tablename__ = "credentials"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    certification_id: Mapped[int] = mapped_column(ForeignKey("certifications.id"))
    number: Mapped[str | None] = mapped_column(String(40))
    earned_on: Mapped[date]
    #: Set when the holder retires the credential (PMI's "retired" status); never computed.
    retired_on: Mapped[date | None]
    #: The newest cycle's end and the last day of its grace period (``cycles.latest_dates``):
    #: the credential's status on any day turns on them. Kept here, refreshed whenever its
    #: cycles change (``_refresh_latest_dates``), so the renewals due and the directory read an
    #: index instead of finding every credential's newest cycle.
    latest_end: Mapped[date | None] = mapped_column(index=True)
    latest_grace_end: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=now)

    person: Mapped[Person] = relationship()
    cycles: Mapped[list[CredentialCycle]] = relationship(
        back_populates="credential",
        order_by="CredentialCycle.number",
        cascade="all, delete-orphan",
        lazy="selectin",
    )

    @property
    def certification(self) -> values.Certification:
        """From the process's snapshot of the catalog, not a join on every load."""
        return snapshot.certification(self.certification_id)

    @property
    def label(self) -> str:
        return label_of(self.certification.code, self.number)

    @property
    def latest_cycle(self) -> CredentialCycle:
        """The newest cycle; after an early renewal it has not started yet (``cycles.in_force``)."""
        return self.cycles[-1]

    @property
    def cycle_dates(self) -> tuple[CycleDates, ...]:
        return tuple(cycle.dates for cycle in self.cycles)

    def refresh_latest_dates(self) -> None:
        if self.cycles:
            self.latest_end, self.latest_grace_end = latest_dates(self.cycle_dates)

    def __repr__(self) -> str:
        return f"<Credential {self.id} {self.certification.code}>"


class CredentialCycle(db.Model):
    """One continuing-certification cycle, judged by the policy in force when it started."""

    __tablename__ = "credential_cycles"
    __table_args__ = (UniqueConstraint("credential_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    credential_id: Mapped[int] = mapped_column(
        ForeignKey("credentials.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int]
    start: Mapped[date]
    #: The expiration date on the certificate; None while the issuer's rules are unconfirmed.
    end: Mapped[date | None]
    policy_id: Mapped[int | None] = mapped_column(ForeignKey("renewal_policies.id"))
    renewed_on: Mapped[date | None]
    #: PDUs carried in from the previous cycle: [{"activity_type", "pdus", "areas": {...}}].
    carried_in: Mapped[list] = mapped_column(JSON, default=list)

    credential: Mapped[Credential] = relationship(back_populates="cycles")

    @property
    def policy(self) -> values.Policy | None:
        """The policy that judges this cycle, from the snapshot of the catalog."""
        return snapshot.policy(self.policy_id)

    @property
    def grace_months(self) -> int:
        return (self.policy.grace_months if self.policy else None) or 0

    @property
    def dates(self) -> CycleDates:
        return CycleDates(self.number, self.start, self.end, self.renewed_on, self.grace_months)

    def __repr__(self) -> str:
        return f"<CredentialCycle {self.credential_id}/{self.number}>"


# Credentials and their cycles are the organisation's data (``revisions``).
revisions.track(Credential, CredentialCycle)


@event.listens_for(Session, "before_flush")
def _refresh_latest_dates(session, _flush_context, _instances) -> None:
    """Every credential whose cycles were added or changed keeps its latest dates current."""
    touched = set()
    for obj in (*session.new, *session.dirty):
        if isinstance(obj, Credential):
            touched.add(obj)
        elif isinstance(obj, CredentialCycle) and obj.credential is not None:
            touched.add(obj.credential)
    for credential in touched:
        if credential not in session.deleted:
            credential.refresh_latest_dates()


@event.listens_for(Session, "after_flush")
def _follow_grace_periods(session, _flush_context) -> None:
    """A policy whose grace period changed (a seed) moves the stored grace end of every
    credential whose newest cycle it judges, in the same transaction."""
    months = {
        policy.id: policy.grace_months or 0
        for policy in session.dirty
        if isinstance(policy, RenewalPolicy)
        and inspect(policy).attrs.grace_months.history.has_changes()
    }
    if not months:
        return
    newer = aliased(CredentialCycle)
    rows = session.execute(
        select(CredentialCycle.credential_id, CredentialCycle.end, CredentialCycle.policy_id).where(
            CredentialCycle.policy_id.in_(months),
            CredentialCycle.end.is_not(None),
            ~exists().where(
                newer.credential_id == CredentialCycle.credential_id,
                newer.number > CredentialCycle.number,
            ),
        )
    ).all()
    if rows:
        session.connection().execute(
            update(Credential.__table__)
            .where(Credential.__table__.c.id == bindparam("credential_id"))
            .values(latest_grace_end=bindparam("grace")),
            [
                {"credential_id": cid, "grace": grace_end(end, months[pid])}
                for cid, end, pid in rows
            ],
        )
        revisions.note_change(session)
