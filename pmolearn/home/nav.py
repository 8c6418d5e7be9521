"""The navigation: what each access role finds in the menu, and which entry is the page shown."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app, request, url_for
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

    def owns_endpoint(self, endpoint: str | None) -> bool:
        """Whether the page of ``endpoint`` is this entry's (its link is the current one)."""
        endpoint = endpoint or ""
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
    person = current_user._get_current_object()
    unread = inbox.unread_count(person.id)
    items = list(_menu(person))
    inbox_entry = items[1]
    items[1] = NavItem(
        f"Inbox ({unread})" if unread else "Inbox", inbox_entry.url, inbox_entry.owns, unread
    )
    return items


def _menu(person) -> tuple[NavItem, ...]:
    """The entries for one set of access roles, their links built once per app and prefix (a
    dozen ``url_for`` calls a page otherwise); the inbox's count is added per request. The
    access predicates read the roles alone, so the roles are the key."""
    menus = current_app.extensions.setdefault("pmolearn_menus", {})
    key = (person.role_codes, request.script_root)
    if key not in menus:
        menus[key] = tuple(_build_menu(person))
    return menus[key]


def _build_menu(person) -> list[NavItem]:
    items = [
        NavItem("Home", url_for("home.index"), ("home.index",)),
        NavItem("Inbox", url_for("reminders.inbox_page"), ("reminders.inbox_page",)),
        NavItem("My PDUs", url_for("pdus.activities"), ("pdus.",)),
        NavItem("Study", url_for("study.index"), STUDY_OWN),
        NavItem("Skills", url_for("skills.mine"), ("skills.mine",)),
        NavItem("Catalog", url_for("catalog.index"), ("catalog.",)),
    ]
    if authz.can_view_team(person):
        items.append(NavItem("People", url_for("team.people"), ("team.", "skills.person")))
        items.append(NavItem("Team study", url_for("study.team"), ("study.team",)))
        items.append(NavItem("Capability", url_for("skills.team"), ("skills.team",)))
        items.append(NavItem("Reports", url_for("reports.index"), ("reports.",)))
    if authz.can_manage_people(person):
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
