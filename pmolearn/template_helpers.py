"""Filters and globals for templates: formatting only, and the authz predicates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from flask import Flask, url_for
from flask_login import current_user

from pmolearn import authz
from pmolearn.pdus import presenters


def format_date(value: date | datetime | None) -> str:
    if value is None:
        return "—"
    return f"{value.day} {value:%B %Y}"


def format_number(value: Decimal | float | int | None) -> str:
    """PDUs and money without noise: 60, 2.5, 2.25; None is unconfirmed, not zero."""
    if value is None:
        return "unconfirmed"
    text = f"{Decimal(str(value)):.2f}".rstrip("0").rstrip(".")
    return text or "0"


def register_template_helpers(app: Flask) -> None:
    app.add_template_filter(format_date, "date")
    app.add_template_filter(format_number, "num")
    app.add_template_global(authz.can_manage_people)
    app.add_template_global(authz.can_view_team)
    app.add_template_global(authz.can_edit_records_of)
    app.add_template_global(presenters.areas_summary)
    app.add_template_filter(presenters.file_size, "file_size")
    app.add_template_global(presenters.ACTIVITY_COLOURS, "ACTIVITY_COLOURS")
    app.add_template_global(presenters.CREDENTIAL_COLOURS, "CREDENTIAL_COLOURS")
    app.add_template_global(presenters.HISTORY_VERBS, "HISTORY_VERBS")
    app.add_template_global(authz.ACCESS_ROLE_LABELS, "ACCESS_ROLE_LABELS")
    app.add_template_global(nav_items)


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str


def nav_items() -> list[NavItem]:
    """The menu for the signed-in person's access roles (decided here, not in templates)."""
    if not current_user.is_authenticated:
        return []
    items = [
        NavItem("My PDUs", url_for("pdus.activities")),
        NavItem("Catalog", url_for("catalog.index")),
    ]
    if authz.can_view_team(current_user):
        items.append(NavItem("People", url_for("people.index")))
    if authz.can_manage_people(current_user):
        items.append(NavItem("Org units", url_for("people.units")))
        items.append(NavItem("Add person", url_for("people.create_person")))
    return items
