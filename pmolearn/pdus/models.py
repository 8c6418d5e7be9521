"""PDU activities (claims) and their evidence files."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, Numeric, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pmolearn.clock import now
from pmolearn.credentials.models import Credential
from pmolearn.extensions import db
from pmolearn.pdus.fields import STATUSES as ACTIVITY_STATUSES

PDU = Numeric(7, 2)

#: Which credentials an activity is applied to (PMI lets one activity count for several).
pdu_applications = Table(
    "pdu_applications",
    db.metadata,
    Column("activity_id", ForeignKey("pdu_activities.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "credential_id",
        ForeignKey("credentials.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)


class PduActivity(db.Model):
    """One PDU claim, with the fields PMI's CCRS asks for when it is reported."""

    __tablename__ = "pdu_activities"
    __table_args__ = (
        CheckConstraint("pdus > 0", name="pdus_positive"),
        CheckConstraint(
            "ways_of_working >= 0 AND power_skills >= 0 AND business_acumen >= 0",
            name="areas_not_negative",
        ),
        CheckConstraint(
            "status IN ({})".format(", ".join(f"'{s}'" for s in ACTIVITY_STATUSES)),
            name="known_status",
        ),
        Index("ix_pdu_activities_person_completed", "person_id", "completed_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    provider: Mapped[str | None] = mapped_column(String(200))
    #: The issuer's id of the provider (PMI Authorized Training Partner number).
    provider_id: Mapped[str | None] = mapped_column(String(60))
    activity_type: Mapped[str] = mapped_column(String(40))
    #: Fixed by the activity type (education, giving_back, ...).
    category: Mapped[str] = mapped_column(String(30))
    started_on: Mapped[date | None]
    completed_on: Mapped[date]
    pdus: Mapped[Decimal] = mapped_column(PDU)
    ways_of_working: Mapped[Decimal] = mapped_column(PDU, default=Decimal(0))
    power_skills: Mapped[Decimal] = mapped_column(PDU, default=Decimal(0))
    business_acumen: Mapped[Decimal] = mapped_column(PDU, default=Decimal(0))
    notes: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="claimed")
    #: When the claim was entered in the issuer's portal (CCRS has no API).
    reported_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=now)
    updated_at: Mapped[datetime] = mapped_column(default=now, onupdate=now)

    credentials: Mapped[list[Credential]] = relationship(
        secondary=pdu_applications, lazy="selectin"
    )
    evidence: Mapped[list[EvidenceFile]] = relationship(
        back_populates="activity",
        cascade="all, delete-orphan",
        lazy="selectin",
        order_by="EvidenceFile.id",
    )

    @property
    def areas(self) -> dict[str, Decimal]:
        return area_split(self.ways_of_working, self.power_skills, self.business_acumen)

    @property
    def credential_ids(self) -> list[int]:
        return sorted(c.id for c in self.credentials)


def area_split(
    ways_of_working: Decimal, power_skills: Decimal, business_acumen: Decimal
) -> dict[str, Decimal]:
    """A claim's PDUs by Talent Triangle area, as every reader of a claim shows them."""
    return {
        "ways_of_working": ways_of_working,
        "power_skills": power_skills,
        "business_acumen": business_acumen,
    }


class EvidenceFile(db.Model):
    """A file proving a claim, stored outside the static folder under a random name."""

    __tablename__ = "evidence_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(
        ForeignKey("pdu_activities.id", ondelete="CASCADE"), index=True
    )
    original_name: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    content_type: Mapped[str] = mapped_column(String(60))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_at: Mapped[datetime] = mapped_column(default=now)

    activity: Mapped[PduActivity] = relationship(back_populates="evidence")

    @property
    def extension(self) -> str:
        """The extension of the file's detected type (pdf, png, jpg), whatever it was named."""
        return self.stored_name.rsplit(".", 1)[-1]

    @property
    def download_name(self) -> str:
        """The uploader's name with the detected type's extension: a PDF named
        ``certificate.html`` is served as ``certificate.pdf`` (names are stored so at upload;
        this also mends rows stored before that)."""
        stem = self.original_name.rsplit(".", 1)[0] if "." in self.original_name else ""
        return f"{stem or 'evidence'}.{self.extension}"
