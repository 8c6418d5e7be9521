"""The landing page each role sees after signing in, plus a health check."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_login import current_user
from sqlalchemy import func, select, text

from pmolearn.authz import AccessRole, allow, has_role, public
from pmolearn.database import today
from pmolearn.extensions import db
from pmolearn.pdus.presenters import credential_card
from pmolearn.pdus.services import credential_views
from pmolearn.people import services as people_services
from pmolearn.people.models import OrgUnit, Person

bp = Blueprint("home", __name__)


@bp.route("/")
@allow()
def index():
    team_size = None
    if has_role(current_user, AccessRole.PMO_HEAD, AccessRole.HR, AccessRole.ADMIN):
        team_size = db.session.scalar(
            select(func.count())
            .select_from(Person)
            .where(people_services.scope_filter(current_user))
        )
    unit_count = (
        db.session.scalar(select(func.count()).select_from(OrgUnit))
        if has_role(current_user, AccessRole.ADMIN)
        else None
    )
    cards = [credential_card(view) for view in credential_views(current_user, today())]
    return render_template(
        "home/index.html", team_size=team_size, unit_count=unit_count, cards=cards
    )


@bp.route("/healthz")
@public
def health():
    db.session.execute(text("SELECT 1"))
    return {"status": "ok"}


@bp.route("/calendar/<token>.ics")
@public
def calendar_feed(token: str):
    from pmolearn.home.calendar import feed_for_token

    body = feed_for_token(token) or abort(404)
    return body, 200, {"Content-Type": "text/calendar; charset=utf-8"}
