"""The landing page each role sees after signing in, plus a health check."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_login import current_user
from sqlalchemy import text

from pmolearn.authz import allow, can_view_team, public
from pmolearn.database import today
from pmolearn.extensions import db
from pmolearn.home.services import team_summary
from pmolearn.pdus.presenters import credential_card
from pmolearn.pdus.services import credential_views

bp = Blueprint("home", __name__)


@bp.route("/")
@allow()
def index():
    as_of = today()
    cards = [credential_card(view) for view in credential_views(current_user, as_of)]
    team = team_summary(current_user, as_of) if can_view_team(current_user) else None
    return render_template("home/index.html", cards=cards, team=team)


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
