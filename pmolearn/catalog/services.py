"""Catalog reads: certifications with their policies and activity types, in fixed queries."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from wtforms import SelectChoice

from pmolearn.catalog import snapshot
from pmolearn.catalog.models import Certification, RenewalPolicy, Source
from pmolearn.extensions import db


def _with_policies():
    return selectinload(Certification.policies).selectinload(RenewalPolicy.activity_types)


def list_certifications() -> list[Certification]:
    return list(
        db.session.scalars(
            select(Certification)
            .options(_with_policies())
            .order_by(Certification.status, Certification.code)
        )
    )


def certification_codes() -> list[str]:
    """The codes alone, for filters, from the catalog's snapshot."""
    return list(snapshot.current().codes)


def certification_choices(*, active_only: bool = False) -> list[SelectChoice]:
    """A form's certification options by code, from the catalog's snapshot: every one for a
    credential held (a retired one says so), the active ones alone for a study plan."""
    certifications = sorted(
        (c for c in snapshot.current().certifications if c.status == "active" or not active_only),
        key=lambda c: c.code,
    )
    return [SelectChoice("", "Choose a certification…")] + [
        SelectChoice(
            c.code, f"{c.code} — {c.name}" + ("" if c.status == "active" else f" ({c.status})")
        )
        for c in certifications
    ]


def get_certification(code: str) -> Certification | None:
    """The certification with this code, whatever its case (``/catalog/pmp`` is the PMP)."""
    return db.session.scalar(
        select(Certification)
        .options(_with_policies())
        .where(func.lower(Certification.code) == code.lower())
    )


def sources_for(codes: list[str]) -> list[Source]:
    if not codes:
        return []
    return list(db.session.scalars(select(Source).where(Source.code.in_(codes))))
