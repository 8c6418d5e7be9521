"""Catalog pages: what each certification asks, with sources, and what is unconfirmed."""

from __future__ import annotations

from flask import Blueprint, abort, render_template

from pmolearn.authz import allow
from pmolearn.catalog import services
from pmolearn.clock import today

bp = Blueprint("catalog", __name__, url_prefix="/catalog")


@bp.route("/")
@allow()
def index():
    return render_template(
        "catalog/index.html", certifications=services.list_certifications(), today=today()
    )


@bp.route("/<code>")
@allow()
def show(code: str):
    certification = services.get_certification(code) or abort(404)
    policy = certification.policy_on(today())
    codes = sorted(
        set(certification.source_codes) | set(policy.source_codes if policy else []),
        key=lambda c: (len(c), c),
    )
    return render_template(
        "catalog/show.html",
        certification=certification,
        policy=policy,
        sources=services.sources_for(codes),
    )
