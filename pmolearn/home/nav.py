"""The navigation: what each access role finds in the menu, and which entry is the page shown."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, request, url_for
from flask_login import current_user

from pmolearn import authz
from pmolearn.reminders import inbox


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    #: Endpoints (or endpoint prefixes ending in ".") that belong to this entry.
    owns: tuple[str, ...]
    #: A count shown beside the label (unread reminders), for screen readers too.
    badge: int = 0

    @property
    def current(self) -> bool:
        endpoint = request.endpoint or ""
        return any(endpoint == o or (o.endswith(".") and endpoint.startswith(o)) for o in self.owns)


#: Study pages that are one's own (the team board has its own entry).
STUDY_OWN = (
    "study.index",
    "study.new",
    "study.show",
    "study.log_session",
    "study.edit_session",
    "study.move",
    "study.replan",
    "study.background_page",
    "study.save_education",
    "study.add_experience",
    "study.add_training",
)


def nav_items() -> list[NavItem]:
    """The menu for the signed-in person's access roles (decided here, not in templates)."""
    if not current_user.is_authenticated:
        return []
    unread = inbox.unread_count(current_user.id)
    items = [
        NavItem("Home", url_for("home.index"), ("home.index",)),
        NavItem(
            f"Inbox ({unread})" if unread else "Inbox",
            url_for("reminders.inbox_page"),
            ("reminders.inbox_page",),
            unread,
        ),  # fmt: skip
        NavItem("My PDUs", url_for("pdus.activities"), ("pdus.",)),
        NavItem("Study", url_for("study.index"), STUDY_OWN),
        NavItem("Skills", url_for("skills.mine"), ("skills.mine",)),
        NavItem("Catalog", url_for("catalog.index"), ("catalog.",)),
    ]
    if authz.can_view_team(current_user):
        items.append(NavItem("People", url_for("team.people"), ("team.", "skills.person")))
        items.append(NavItem("Team study", url_for("study.team"), ("study.team",)))
        items.append(NavItem("Capability", url_for("skills.team"), ("skills.team",)))
        items.append(NavItem("Reports", url_for("reports.index"), ("reports.",)))
    if authz.can_manage_people(current_user):
        items.append(NavItem("Admin", url_for("home.admin"), ADMIN_PAGES))
    return items


#: The admins' pages, gathered under one menu entry (the admin page links to each).
ADMIN_PAGES = (
    "home.admin",
    "people.",
    "reminders.runs",
    "skills.roles",
    "skills.edit_role",
)


def init_app(app: Flask) -> None:
    app.add_template_global(nav_items)
