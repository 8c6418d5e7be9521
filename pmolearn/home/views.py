"""The pages that compose several features: each role's home, the team list and a person's
page, and the health check. Nothing imports this package but the
factory; the features it shows never import it."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, current_app, render_template, request
from flask_login import current_user

from pmolearn import authz, clock, revisions
from pmolearn.authz import allow
from pmolearn.catalog.services import certification_codes
from pmolearn.credentials import cards, directory, queries
from pmolearn.credentials.services import person_credentials, views_of
from pmolearn.pdus import services as pdus
from pmolearn.people import roles, scope
from pmolearn.people.models import Person
from pmolearn.skills import services as skills
from pmolearn.study import services as study
from pmolearn.web import int_arg, page_number, page_size

bp = Blueprint("home", __name__)
team_bp = Blueprint("team", __name__)


@dataclass(frozen=True)
class TeamSummary:
    label: str
    size: int
    unit_count: int
    renewals: queries.Renewals


def team_summary(viewer: Person) -> TeamSummary:
    """Head count, units and the renewals due soon or overdue: two statements, reused by
    every viewer with the same scope until the organisation's data change (``revisions``)."""
    today = clock.today()
    within = current_app.config["RENEWALS_WINDOW_DAYS"]
    rows = current_app.config["RENEWALS_ROWS"]

    def compute() -> TeamSummary:
        size, unit_count = scope.counts_in_scope(viewer)
        return TeamSummary(
            label="Organisation" if roles.sees_everyone(viewer.role_codes) else "My team",
            size=size,
            unit_count=unit_count,
            renewals=queries.due_renewals(viewer, today, within_days=within, limit=rows),
        )

    key = ("team_summary", scope.scope_key(viewer), today, within, rows)
    return revisions.remember(key, compute)


@bp.route("/")
@allow()
def index():
    views = views_of(person_credentials(current_user.id), clock.today(), in_force_only=True)
    return render_template(
        "home/index.html",
        cards=cards.cards_by_urgency(views),
        studies=study.cards_of(current_user.id, clock.today(), open_only=True),
        todo=pdus.todo(current_user.id),
        team=team_summary(current_user) if authz.can_view_team(current_user) else None,
    )


@bp.route("/admin")
@allow(roles.AccessRole.ADMIN)
def admin():
    """The administrators' tools in one place."""
    return render_template("home/admin.html")


# --- the team ----------------------------------------------------------------------------


@team_bp.route("/people")
@allow(*roles.TEAM_ROLES)
def people():
    """The directory: text, org unit, a certification held, its status, a cycle ending within
    N days; sorted by name or by the next cycle end. A value that makes no sense is ignored
    with a message (the API refuses it with a 422)."""
    codes = certification_codes()
    problems = []
    certification = (request.args.get("certification") or "")[:20] or None
    if certification and certification not in codes:
        problems.append(f"Unknown certification {certification!r}.")
        certification = None
    status = request.args.get("status") or None
    if status and status not in directory.STATUSES:
        problems.append(f"Unknown status {status[:20]!r}.")
        status = None
    within = request.args.get("expiring_within") or None
    if within and (not within.isdigit() or not 1 <= int(within) <= 3650):
        problems.append("“Cycle ends within” takes a whole number of days from 1 to 3650.")
        within = None
    sort = request.args.get("sort") or "name"
    if sort not in directory.SORTS:
        sort = "name"
    unit_id = None
    if asked := request.args.get("org_unit"):
        unit = scope.unit_in_scope(current_user, int_arg("org_unit") or 0)
        if unit is None:
            problems.append(scope.unknown_unit(asked))
        else:
            unit_id = unit.id
    query = directory.Query(
        q=request.args.get("q", "").strip()[:100] or None,
        org_unit_id=unit_id,
        certification=certification,
        status=status,
        expiring_within=int(within) if within else None,
        sort=sort,
    )
    page = page_number(request.args.get("page"))
    size = page_size()
    found = directory.directory(current_user, query, clock.today(), page, size)
    return render_template(
        "home/people.html",
        found=found,
        query=query,
        page=page,
        pages=max((found.total + size - 1) // size, 1),
        problems=problems,
        units=scope.visible_units(current_user),
        codes=codes,
        statuses=directory.STATUSES,
    ), 422 if problems else 200


@team_bp.route("/people/<int:person_id>")
@allow()
def person(person_id: int):
    shown = scope.person_or_404(current_user, person_id)
    today = clock.today()
    views = views_of(person_credentials(shown.id), today, in_force_only=True)
    return render_template(
        "home/person.html",
        person=shown,
        cards=cards.cards_by_urgency(views),
        studies=study.cards_of(shown.id, today),
        capability=skills.person_capability(shown, None, today),
    )
