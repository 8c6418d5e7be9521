"""Catalog rows, loaded from ``seeds/`` YAML; None in a numeric field means *unconfirmed*."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import JSON, ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pmolearn.extensions import db

PDU = Numeric(7, 2)


class Source(db.Model):
    """A researched source (``S01`` …) that catalog facts cite."""

    __tablename__ = "sources"

    code: Mapped[str] = mapped_column(String(10), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(300))
    url: Mapped[str | None] = mapped_column(String(500))


class Issuer(db.Model):
    __tablename__ = "issuers"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    url: Mapped[str | None] = mapped_column(String(300))
    notes: Mapped[str | None] = mapped_column(Text)


class Certification(db.Model):
    __tablename__ = "certifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    issuer_id: Mapped[int] = mapped_column(ForeignKey("issuers.id"))
    #: active | superseded | retired
    status: Mapped[str] = mapped_column(String(20), default="active")
    level: Mapped[str | None] = mapped_column(String(30))
    certifies: Mapped[str | None] = mapped_column(Text)
    superseded_by: Mapped[str | None] = mapped_column(String(20))
    available_from: Mapped[date | None]
    #: Structured research blocks kept as they were researched (paths, versions, fees).
    eligibility: Mapped[dict] = mapped_column(JSON, default=dict)
    exam: Mapped[dict] = mapped_column(JSON, default=dict)
    fees: Mapped[dict] = mapped_column(JSON, default=dict)
    typical_roles: Mapped[list] = mapped_column(JSON, default=list)
    source_codes: Mapped[list] = mapped_column(JSON, default=list)
    unconfirmed: Mapped[list] = mapped_column(JSON, default=list)
    #: Who it suits, in pmolearn's own plain words (not an issuer fact).
    suits: Mapped[str | None] = mapped_column(Text)
    #: pmolearn's planning default for a study plan's total hours (not an issuer figure).
    study_hours: Mapped[int | None]
    #: Attempts, eligibility window and waits after a failed exam, as the issuer states them.
    exam_rules: Mapped[dict] = mapped_column(JSON, default=dict)

    issuer: Mapped[Issuer] = relationship(lazy="joined", innerjoin=True)
    policies: Mapped[list[RenewalPolicy]] = relationship(
        back_populates="certification",
        order_by="RenewalPolicy.effective_from",
        cascade="all, delete-orphan",
    )
    eligibility_rules: Mapped[list[EligibilityRuleSet]] = relationship(
        back_populates="certification",
        order_by="EligibilityRuleSet.position",
        cascade="all, delete-orphan",
    )

    def rules_on(self, day: date) -> EligibilityRuleSet | None:
        return rules_on(self.eligibility_rules, day)

    def policy_on(self, day: date) -> RenewalPolicy | None:
        return policy_on(self.policies, day)

    def __repr__(self) -> str:
        return f"<Certification {self.code}>"


class RenewalPolicy(db.Model):
    """One version of a certification's renewal rules, in force from ``effective_from``."""

    __tablename__ = "renewal_policies"
    __table_args__ = (UniqueConstraint("certification_id", "effective_from"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    certification_id: Mapped[int] = mapped_column(
        ForeignKey("certifications.id", ondelete="CASCADE"), index=True
    )
    effective_from: Mapped[date]
    scheme: Mapped[str | None] = mapped_column(String(80))
    cycle_years: Mapped[int | None]
    pdus_required: Mapped[Decimal | None] = mapped_column(PDU)
    #: {"education": {"min": 35, "max": null}, "giving_back": {"min": 0, "max": 25}}
    categories: Mapped[dict] = mapped_column(JSON, default=dict)
    #: {"ways_of_working": 8, ...}: counted on the area category (Education)
    area_minimums: Mapped[dict] = mapped_column(JSON, default=dict)
    area_category: Mapped[str] = mapped_column(String(30), default="education")
    carry_over_allowed: Mapped[bool] = mapped_column(default=False)
    carry_over_max: Mapped[Decimal | None] = mapped_column(PDU)
    carry_over_window_months: Mapped[int] = mapped_column(default=12)
    grace_months: Mapped[int | None]
    renewal_fee_member: Mapped[Decimal | None] = mapped_column(Numeric(9, 2))
    renewal_fee_non_member: Mapped[Decimal | None] = mapped_column(Numeric(9, 2))
    notes: Mapped[str | None] = mapped_column(Text)
    source_codes: Mapped[list] = mapped_column(JSON, default=list)
    confidence: Mapped[str | None] = mapped_column(String(40))
    #: False when no source dates the policy (its effective_from only orders the versions).
    effective_from_known: Mapped[bool] = mapped_column(default=True)
    #: Held for life: no cycle end, no PDUs, no renewal (legacy PMO-CP).
    lifetime: Mapped[bool] = mapped_column(default=False)

    certification: Mapped[Certification] = relationship(back_populates="policies")
    activity_types: Mapped[list[ActivityType]] = relationship(
        back_populates="policy",
        order_by="ActivityType.position",
        cascade="all, delete-orphan",
        lazy="selectin",
    )

    @property
    def label(self) -> str:
        return policy_label(self.certification.code, self.effective_from, self.effective_from_known)

    @property
    def is_confirmed(self) -> bool:
        return policy_confirmed(self.cycle_years, self.pdus_required)


class ActivityType(db.Model):
    """A kind of PDU claim under one policy; it fixes the claim's category and its caps."""

    __tablename__ = "activity_types"
    __table_args__ = (UniqueConstraint("policy_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    policy_id: Mapped[int] = mapped_column(
        ForeignKey("renewal_policies.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(120))
    category: Mapped[str] = mapped_column(String(30))
    position: Mapped[int] = mapped_column(default=0)
    cap_per_activity: Mapped[Decimal | None] = mapped_column(PDU)
    cap_per_cycle: Mapped[Decimal | None] = mapped_column(PDU)
    claims_per_cycle: Mapped[int | None]
    transferable: Mapped[bool] = mapped_column(default=True)
    notes: Mapped[str | None] = mapped_column(Text)

    policy: Mapped[RenewalPolicy] = relationship(back_populates="activity_types")


class EligibilityRuleSet(db.Model):
    """One version of who may sit a certification's exam, in force for exams from
    ``effective_from`` (None: the earliest known) to ``effective_to`` (None: still in force).

    ``rules`` holds what ``study.eligibility`` judges: the experience window, the paths by
    education with their experience, training hours and credits, required courses, or that the
    exam is closed to new candidates. A disputed set says why in ``disputed``.
    """

    __tablename__ = "eligibility_rule_sets"
    __table_args__ = (UniqueConstraint("certification_id", "label"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    certification_id: Mapped[int] = mapped_column(
        ForeignKey("certifications.id", ondelete="CASCADE"), index=True
    )
    label: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(default=0)
    effective_from: Mapped[date | None]
    effective_to: Mapped[date | None]
    disputed: Mapped[str | None] = mapped_column(Text)
    rules: Mapped[dict] = mapped_column(JSON, default=dict)
    source_codes: Mapped[list] = mapped_column(JSON, default=list)
    confidence: Mapped[str | None] = mapped_column(String(40))

    certification: Mapped[Certification] = relationship(back_populates="eligibility_rules")

    def applies_on(self, day: date) -> bool:
        return rule_set_applies(self.effective_from, self.effective_to, day)


class CatalogState(db.Model):
    """One row: the catalog's revision, raised by every seed, so each process knows when its
    snapshot of the catalog (``catalog.snapshot``) is out of date."""

    __tablename__ = "catalog_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    revision: Mapped[int] = mapped_column(default=0, server_default="0")


# --- the catalog's rules, for rows and for the snapshot alike ---------------------------------


def policy_on(policies, day: date):
    """The policy in force on ``day``; a cycle is judged by the policy of its start date.

    A cycle that started before the earliest known policy is judged by that earliest one.
    ``policies`` are in order of ``effective_from``.
    """
    chosen = None
    for policy in policies:
        if policy.effective_from <= day or chosen is None:
            chosen = policy
    return chosen


def rules_on(rule_sets, day: date):
    """The eligibility rule set that judges an exam on ``day`` (the latest that started)."""
    valid = [r for r in rule_sets if r.applies_on(day)]
    return max(valid, key=lambda r: r.effective_from or date.min, default=None)


def rule_set_applies(effective_from: date | None, effective_to: date | None, day: date) -> bool:
    started = effective_from is None or effective_from <= day
    return started and (effective_to is None or day <= effective_to)


def policy_label(certification_code: str, effective_from: date, known: bool) -> str:
    if not known:
        return f"{certification_code} renewal rules"
    return f"{certification_code} since {effective_from.isoformat()}"


def policy_confirmed(cycle_years: int | None, pdus_required: Decimal | None) -> bool:
    """Can the engine judge a cycle? Needs at least a cycle length and a PDU total."""
    return cycle_years is not None and pdus_required is not None
