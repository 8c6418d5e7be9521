"""Skills, the 1-7 responsibility scale, and PMO job roles (``JobRole``, not an access role)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pmolearn.clock import now
from pmolearn.extensions import db


class SkillLevel(db.Model):
    """One level of the responsibility scale (SFIA: 1 Follow … 7 Set strategy)."""

    __tablename__ = "skill_levels"

    level: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(String(80))
    essence: Mapped[str] = mapped_column(Text)


class Skill(db.Model):
    __tablename__ = "skills"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(10), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    category: Mapped[str | None] = mapped_column(String(200))
    framework: Mapped[str] = mapped_column(String(40), default="SFIA 9")
    #: The levels at which the skill exists, e.g. [4, 5, 6, 7].
    levels_defined: Mapped[list] = mapped_column(JSON, default=list)
    #: Our own short wording per level, {"4": "..."}; the full text lives at ``url``.
    level_summary: Mapped[dict] = mapped_column(JSON, default=dict)
    url: Mapped[str | None] = mapped_column(String(300))


class JobRole(db.Model):
    """A PMO job role the organisation staffs (PMO analyst, head of PMO, …)."""

    __tablename__ = "job_roles"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    notes: Mapped[str | None] = mapped_column(Text)
    source_codes: Mapped[list] = mapped_column(JSON, default=list)

    skill_requirements: Mapped[list[JobRoleSkill]] = relationship(cascade="all, delete-orphan")
    certification_groups: Mapped[list[JobRoleCertificationGroup]] = relationship(
        cascade="all, delete-orphan"
    )


class JobRoleSkill(db.Model):
    __tablename__ = "job_role_skills"
    __table_args__ = (
        UniqueConstraint("job_role_id", "skill_id"),
        CheckConstraint("level BETWEEN 1 AND 7", name="level_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    job_role_id: Mapped[int] = mapped_column(ForeignKey("job_roles.id", ondelete="CASCADE"))
    skill_id: Mapped[int] = mapped_column(ForeignKey("skills.id"))
    level: Mapped[int]
    target_level: Mapped[int | None]

    skill: Mapped[Skill] = relationship(lazy="joined", innerjoin=True)


class JobRoleCertificationGroup(db.Model):
    """``all of`` / ``any of`` a set of certifications, ``required`` or ``preferred``."""

    __tablename__ = "job_role_certification_groups"
    __table_args__ = (
        CheckConstraint("mode IN ('all', 'any')", name="mode"),
        CheckConstraint("requirement IN ('required', 'preferred')", name="requirement"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    job_role_id: Mapped[int] = mapped_column(ForeignKey("job_roles.id", ondelete="CASCADE"))
    mode: Mapped[str] = mapped_column(String(5))
    requirement: Mapped[str] = mapped_column(String(10))
    certification_codes: Mapped[list] = mapped_column(JSON, default=list)
    note: Mapped[str | None] = mapped_column(Text)


class CertificationSkill(db.Model):
    """A level an active credential implies in a skill: a floor under any assessment."""

    __tablename__ = "certification_skills"
    __table_args__ = (
        UniqueConstraint("certification_code", "skill_id"),
        CheckConstraint("level BETWEEN 1 AND 7", name="level_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    certification_code: Mapped[str] = mapped_column(String(20), index=True)
    skill_id: Mapped[int] = mapped_column(ForeignKey("skills.id", ondelete="CASCADE"))
    level: Mapped[int]

    skill: Mapped[Skill] = relationship(lazy="joined", innerjoin=True)


class SkillAssessment(db.Model):
    """A person's level in a skill as they (``self``) or their manager (``manager``) judged it
    on a day. Rows are never changed: the latest of each source counts, the rest is history."""

    __tablename__ = "skill_assessments"
    __table_args__ = (
        CheckConstraint("source IN ('self', 'manager')", name="known_source"),
        CheckConstraint("level BETWEEN 1 AND 7", name="level_range"),
        Index("ix_skill_assessments_person_skill", "person_id", "skill_id", "assessed_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    skill_id: Mapped[int] = mapped_column(ForeignKey("skills.id", ondelete="CASCADE"))
    level: Mapped[int]
    source: Mapped[str] = mapped_column(String(10))
    #: Who made it (the person, or their manager).
    assessed_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    assessed_on: Mapped[date]
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=now)

    skill: Mapped[Skill] = relationship(lazy="joined", innerjoin=True)
