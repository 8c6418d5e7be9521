"""Personal API tokens, stored as SHA-256 digests (tokens are random, so no slow hash needed)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pmolearn.clock import now
from pmolearn.extensions import db
from pmolearn.people.models import Person


class ApiToken(db.Model):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: First characters, shown so a person can tell their tokens apart.
    prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(default=now)
    revoked_at: Mapped[datetime | None]

    person: Mapped[Person] = relationship()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class PasswordLink(db.Model):
    """A one-time link to set a password: an invitation or a reset. Only the SHA-256 digest of
    the link's secret is stored; it expires, and it works once."""

    __tablename__ = "password_links"
    __table_args__ = (CheckConstraint("purpose IN ('invite', 'reset')", "known_purpose"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(10))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=now)
    expires_at: Mapped[datetime]
    #: Set when the link was used, or made void by a newer link or a password change.
    used_at: Mapped[datetime | None]

    person: Mapped[Person] = relationship()
