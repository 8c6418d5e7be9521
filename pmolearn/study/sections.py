"""What study adds to a certification's catalog page: a way to start (or find) one's plan, and
for PMO heads and HR, who in their scope holds the certification or is studying for it."""

from __future__ import annotations

from sqlalchemy import select

from pmolearn import authz, clock
from pmolearn.catalog.models import Certification
from pmolearn.credentials.queries import holders_of
from pmolearn.extensions import db
from pmolearn.people.models import Person
from pmolearn.study import fields, queries
from pmolearn.study.models import Pursuit
from pmolearn.web import Section


def plan_action(viewer: Person, certification: Certification) -> Section | None:
    if certification.status != "active":
        return None
    mine = db.session.scalar(
        select(Pursuit.id).where(
            Pursuit.person_id == viewer.id,
            Pursuit.certification_id == certification.id,
            Pursuit.stage.in_(fields.OPEN_STAGES),
        )
    )
    return Section("study/_catalog_actions.html", {"pursuit_id": mine})


def team_section(viewer: Person, certification: Certification) -> Section | None:
    if not authz.can_view_team(viewer):
        return None
    on = clock.today()
    return Section(
        "study/_catalog_team.html",
        {
            "holders": holders_of(viewer, certification.id, on),
            "students": queries.studying(viewer, certification.id, on),
            "labels": fields.STAGE_LABELS,
        },
    )
