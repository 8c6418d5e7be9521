"""Report pages: the list of reports the viewer may run, and one report with its filters, a page
of rows, its downloads, and for headcount a chart with the numbers beside it."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_login import current_user

from pmolearn import clock
from pmolearn.authz import allow
from pmolearn.catalog.services import certification_codes
from pmolearn.errors import ValidationFailed
from pmolearn.exports import FORMATS
from pmolearn.people.roles import TEAM_ROLES
from pmolearn.people.scope import visible_units
from pmolearn.reports import charts, services
from pmolearn.web import page_number, page_size

bp = Blueprint("reports", __name__, url_prefix="/reports")


@bp.route("/")
@allow(*TEAM_ROLES)
def index():
    return render_template("reports/index.html", reports=services.visible(current_user))


@bp.route("/<name>")
@allow(*TEAM_ROLES)
def show(name: str):
    report = services.report_for(current_user, name[:40]) or abort(404)
    on = clock.today()
    # A filter form leaves the fields it did not use empty: empty means "not filtered" here.
    args = {k: v for k, v in request.args.items() if v != "" and k not in ("page", "format")}
    errors = {}
    try:
        f = services.parse(report, args, current_user, on)
    except ValidationFailed as error:
        errors = error.fields
        f = services.parse(report, {}, current_user, on)
    fmt = request.args.get("format")
    if fmt in FORMATS and not errors:
        return services.download(report, f, fmt)
    page = page_number(request.args.get("page"))
    size = page_size()
    total, rows = report.page(f, (page - 1) * size, size)
    return render_template(
        "reports/show.html",
        report=report,
        f=f,
        rows=rows,
        total=total,
        page=page,
        pages=max((total + size - 1) // size, 1),
        errors=errors,
        units=visible_units(current_user),
        certification_codes=certification_codes(),
        formats=FORMATS,
        chart=charts.headcount_chart(list(report.rows(f))) if report.name == "headcount" else None,
    ), 422 if errors else 200
