"""Study toward a certification: pursuits, plans, sessions, eligibility, exam attempts."""

from __future__ import annotations

from flask import Flask

from pmolearn.catalog import views as catalog_views
from pmolearn.study import fields, sections


def init_app(app: Flask) -> None:
    """Add "Plan this certification" and the team who hold or study it to catalog pages; give
    templates the stage names."""
    catalog_views.add_section(sections.plan_action)
    catalog_views.add_section(sections.team_section)
    app.add_template_global(fields.STAGE_LABELS, "STAGE_LABELS")
