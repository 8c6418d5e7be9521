"""Study toward a certification: the pursuit, its plan, sessions and exam attempts, and the
facts eligibility is judged on (education, experience, training taken elsewhere)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pmolearn.catalog import snapshot
from pmolearn.catalog import values as catalog_values
from pmolearn.clock import now
from pmolearn.extensions import db
from pmolearn.study.fields import EDUCATION_LEVELS, EXPERIENCE_KINDS, SESSION_KINDS, STAGES

HOURS = Numeric(7, 2)


def _one_of(column: str, values) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class StudyProfile(db.Model):
    """What eligibility needs to know of a person beyond experience and training."""

    __tablename__ = "study_profiles"
    __table_args__ = (CheckConstraint(_one_of("education_level", EDUCATION_LEVELS), "known_level"),)

    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    education_level: Mapped[str] = mapped_column(String(20))
    #: The degree is from a PMI GAC-accredited programme (a shorter PMP/PgMP/PfMP route).
    gac_accredited: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(default=now, onupdate=now)


class ExperienceEntry(db.Model):
    """A stretch of work eligibility counts in months (overlaps counted once)."""

    __tablename__ = "experience_entries"
    __table_args__ = (
        CheckConstraint(_one_of("kind", EXPERIENCE_KINDS), "known_kind"),
        CheckConstraint("ended_on IS NULL OR ended_on >= started_on", "ends_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    organisation: Mapped[str | None] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    #: Agile work (PMI-ACP counts agile project experience apart).
    agile: Mapped[bool] = mapped_column(default=False)
    started_on: Mapped[date]
    #: None: still going on.
    ended_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=now)


class TrainingEntry(db.Model):
    """Training taken outside pmolearn, in hours (contact hours for an exam application)."""

    __tablename__ = "training_entries"
    __table_args__ = (CheckConstraint("hours > 0", "hours_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    provider: Mapped[str | None] = mapped_column(String(200))
    topic: Mapped[str] = mapped_column(String(30), default="project_management")
    hours: Mapped[Decimal] = mapped_column(HOURS)
    completed_on: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(default=now)


class Pursuit(db.Model):
    """A person working toward a certification, with its plan, from planning to the exam."""

    __tablename__ = "pursuits"
    __table_args__ = (
        CheckConstraint(_one_of("stage", STAGES), "known_stage"),
        CheckConstraint("weekly_hours > 0 AND total_hours > 0", "hours_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    certification_id: Mapped[int] = mapped_column(ForeignKey("certifications.id"), index=True)
    stage: Mapped[str] = mapped_column(String(20), default="planning")
    target_exam_on: Mapped[date]
    weekly_hours: Mapped[Decimal] = mapped_column(HOURS)
    total_hours: Mapped[Decimal] = mapped_column(HOURS)
    #: The exam outline the plan follows (the one in force on the target date).
    outline: Mapped[str | None] = mapped_column(String(60))
    started_on: Mapped[date]
    #: When the application was approved: the issuer's eligibility window starts then.
    applied_on: Mapped[date | None]
    #: The credential a passed exam created.
    credential_id: Mapped[int | None] = mapped_column(
        ForeignKey("credentials.id", ondelete="SET NULL")
    )
    closed_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=now)
    updated_at: Mapped[datetime] = mapped_column(default=now, onupdate=now)

    domains: Mapped[list[PlanDomain]] = relationship(
        back_populates="pursuit",
        order_by="PlanDomain.position",
        cascade="all, delete-orphan",
        lazy="selectin",
    )
    attempts: Mapped[list[ExamAttempt]] = relationship(
        back_populates="pursuit",
        order_by="ExamAttempt.taken_on",
        cascade="all, delete-orphan",
        lazy="selectin",
    )

    @property
    def certification(self) -> catalog_values.Certification:
        """From the process's snapshot of the catalog, not a join on every load."""
        return snapshot.certification(self.certification_id)

    def __repr__(self) -> str:
        return f"<Pursuit {self.id} {self.certification_id} {self.stage}>"


class PlanDomain(db.Model):
    """One exam domain of a plan: its weight in the outline and the hours planned for it."""

    __tablename__ = "plan_domains"
    __table_args__ = (UniqueConstraint("pursuit_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pursuit_id: Mapped[int] = mapped_column(ForeignKey("pursuits.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(String(120))
    weight_pct: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    planned_hours: Mapped[Decimal] = mapped_column(HOURS)
    #: The Talent Triangle area study of this domain counts toward as PDUs.
    area: Mapped[str | None] = mapped_column(String(30))

    pursuit: Mapped[Pursuit] = relationship(back_populates="domains")


class StudySession(db.Model):
    """One sitting of study: when, how long, on which domain, what kind, and a score."""

    __tablename__ = "study_sessions"
    __table_args__ = (
        CheckConstraint("minutes > 0 AND minutes <= 1440", "minutes_in_a_day"),
        CheckConstraint("score IS NULL OR (score >= 0 AND score <= 100)", "score_range"),
        CheckConstraint(_one_of("kind", SESSION_KINDS), "known_kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pursuit_id: Mapped[int] = mapped_column(
        ForeignKey("pursuits.id", ondelete="CASCADE"), index=True
    )
    studied_on: Mapped[date]
    minutes: Mapped[int]
    domain: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20))
    score: Mapped[int | None]
    #: Private: the person and admins only (not HR, not the PMO head).
    notes: Mapped[str | None] = mapped_column(Text)
    #: The draft PDU activity this session also became ("study that counts twice").
    pdu_activity_id: Mapped[int | None] = mapped_column(
        ForeignKey("pdu_activities.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=now)


class ExamAttempt(db.Model):
    """A sitting of the exam and its result."""

    __tablename__ = "exam_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    pursuit_id: Mapped[int] = mapped_column(ForeignKey("pursuits.id", ondelete="CASCADE"))
    taken_on: Mapped[date]
    passed: Mapped[bool]
    created_at: Mapped[datetime] = mapped_column(default=now)

    pursuit: Mapped[Pursuit] = relationship(back_populates="attempts")
