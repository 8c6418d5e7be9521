"""Running a report for a viewer: who may (HR everything, a PMO head their subtree, admins the
audit trail; a practitioner nothing), the filters, and the rows as a page or a download."""

from __future__ import annotations

from datetime import date

from flask import Response

from pmolearn import authz
from pmolearn.exports import table_response
from pmolearn.people.models import Person
from pmolearn.people.roles import TEAM_ROLES, AccessRole
from pmolearn.reports import filters
from pmolearn.reports.definitions import REPORTS, Report


def visible(viewer: Person) -> list[Report]:
    """The reports ``viewer`` may run (none for a practitioner)."""
    if not authz.has_role(viewer, *TEAM_ROLES):
        return []
    admin = authz.has_role(viewer, AccessRole.ADMIN)
    return [r for r in REPORTS.values() if admin or not r.admin_only]


def report_for(viewer: Person, name: str) -> Report | None:
    return next((r for r in visible(viewer) if r.name == name), None)


def parse(report: Report, args, viewer: Person, on: date) -> filters.Filters:
    return filters.parse(
        args, viewer, on, statuses=report.statuses, sorts=report.sorts, extra=report.extra
    )


def download(report: Report, f: filters.Filters, fmt: str) -> Response:
    """The whole result, streamed: the JSON fields as columns, in the same order."""
    keys = report.keys
    rows = ([row.get(k) for k in keys] for row in report.rows(f))
    name = f"{report.name}-{f.on.isoformat()}"
    return table_response(fmt, name, report.title[:31], keys, rows)
