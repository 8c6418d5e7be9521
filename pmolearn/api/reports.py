"""Reports: /reports/{name} as JSON pages, or CSV and XLSX downloads of the same rows."""

from __future__ import annotations

from flask import request
from flask_login import current_user
from marshmallow import Schema, fields

from pmolearn import clock
from pmolearn.api.lists import per_page_of
from pmolearn.api.openapi import Blueprint
from pmolearn.authz import allow
from pmolearn.errors import ValidationFailed
from pmolearn.exports import FORMATS
from pmolearn.reports import filters, services
from pmolearn.web import found_or_404

blp = Blueprint("api_reports", __name__, url_prefix="/api/v1", description="Reports")


class ReportPage(Schema):
    report = fields.String(required=True)
    columns = fields.List(fields.String(), required=True)
    items = fields.List(fields.Dict(), required=True)
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    total = fields.Integer(required=True)


PARAMETERS = [
    {"name": "org_unit", "in": "query", "schema": {"type": "integer", "minimum": 1}},
    {"name": "certification", "in": "query", "schema": {"type": "string", "maxLength": 20}},
    {"name": "status", "in": "query", "schema": {"type": "string", "maxLength": 20}},
    {
        "name": "expiring_within",
        "in": "query",
        "schema": {"type": "integer", "minimum": 1, "maximum": filters.MAX_DAYS},
    },
    {"name": "sort", "in": "query", "schema": {"type": "string", "maxLength": 40}},
    {"name": "format", "in": "query", "schema": {"type": "string", "enum": ["json", *FORMATS]}},
    {
        "name": "page",
        "in": "query",
        "schema": {"type": "integer", "minimum": 1, "maximum": 1000000},
    },
    {"name": "per_page", "in": "query", "schema": {"type": "integer", "minimum": 1}},
]


def _page_args() -> tuple[int, int]:
    errors = {}
    values = []
    for name, default in (("page", "1"), ("per_page", None)):
        raw = request.args.get(name, default)
        if raw is None:
            values.append(None)
            continue
        if not raw.isdigit() or not 1 <= int(raw) <= 1_000_000:
            errors[name] = ["A whole number from 1."]
            values.append(None)
        else:
            values.append(int(raw))
    if errors:
        raise ValidationFailed(errors)
    return values[0], per_page_of(values[1])


@blp.route("/reports/<name>")
@blp.doc(
    parameters=PARAMETERS,
    responses={
        "200": {
            "description": "A page of rows (format=json), or the whole result as CSV or XLSX",
            "content": {
                "application/json": {"schema": ReportPage},
                "text/csv": {"schema": {"type": "string"}},
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
                    "schema": {"type": "string", "format": "binary"}
                },
            },
        }
    },
)
@allow()
def run_report(name: str):
    """``name`` is one of roster, expiring, compliance, pipeline, costs, headcount, audit."""
    report = found_or_404(
        services.report_for(current_user, name[:40]), current_user, None, change=False
    )
    f = services.parse(report, request.args, current_user, clock.today())
    fmt = request.args.get("format", "json")
    if fmt not in ("json", *FORMATS):
        raise ValidationFailed({"format": ["Must be json, csv or xlsx."]})
    if fmt != "json":
        return services.download(report, f, fmt)
    page, per_page = _page_args()
    total, rows = report.page(f, (page - 1) * per_page, per_page)
    return {
        "report": report.name,
        "columns": report.keys,
        "items": rows,
        "page": page,
        "per_page": per_page,
        "total": total,
    }
