"""Catalog pages: every certification, and each one as a product page in plain words (what it
is for, who it suits, who may sit it, the exam, the renewal, the fees), sources last.

Features above the catalog add what they know to a certification's page through
:func:`add_section` (study: "Plan this certification"; the team who hold or study it).
"""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_login import current_user

from pmolearn.authz import allow
from pmolearn.catalog import describe, services
from pmolearn.catalog.models import Certification
from pmolearn.clock import today
from pmolearn.web import Sections

bp = Blueprint("catalog", __name__, url_prefix="/catalog")


#: ``(viewer, certification) -> Section | None``, in the order they appear.
SECTIONS = Sections()
add_section = SECTIONS.add


@bp.route("/")
@allow()
def index():
    certifications = services.list_certifications()
    on = today()
    renewals = {c.code: describe.renewal(c.policy_on(on))[0] for c in certifications}
    return render_template("catalog/index.html", certifications=certifications, renewals=renewals)


@bp.route("/<code>")
@allow()
def show(code: str):
    certification: Certification = services.get_certification(code) or abort(404)
    on = today()
    policy = certification.policy_on(on)
    codes = set(certification.source_codes) | set(policy.source_codes if policy else [])
    for rules in certification.eligibility_rules:
        codes |= set(rules.source_codes)
    sources = sorted(
        services.sources_for(sorted(codes)),
        key=lambda s: (s.kind != "official", len(s.code), s.code),
    )
    fee_rows, fee_line = describe.fees(certification, policy)
    sections = SECTIONS(current_user, certification)
    return render_template(
        "catalog/show.html",
        certification=certification,
        eligibility=describe.eligibility(certification, on),
        exams=describe.exams(certification, on),
        renewal=describe.renewal(policy),
        fee_rows=fee_rows,
        fee_line=fee_line,
        sources=sources,
        sections=sections,
    )
