"""Every page in each role's navigation, at desktop and phone width: axe-core finds nothing
serious or critical, and nothing is wider than a 390-pixel phone screen."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from pmolearn.accounts.services import create_token
from pmolearn.credentials.models import Credential
from pmolearn.demo.generator import build_demo
from pmolearn.extensions import db
from pmolearn.pdus.models import PduActivity
from pmolearn.people.models import Person
from pmolearn.study.models import Pursuit, StudySession
from tests.browser.conftest import (
    DESKTOP,
    PHONE,
    TABLET,
    axe_findings,
    screenshot,
    scrolls_sideways,
)

pytestmark = pytest.mark.browser

DEMO_PASSWORD = "demo-pass-123"
ROLES = ("admin@example.com", "hr@example.com", "pmo@example.com", "practitioner@example.com")


@pytest.fixture
def demo(app, catalog):
    """A small demo organisation; each sign-in holds an API token, so the profile lists one."""
    build_demo(staff=60, seed=11, password=DEMO_PASSWORD)
    for email in ROLES:
        person = db.session.scalar(select(Person).where(Person.email == email))
        create_token(person, "A token with a rather long name for a phone screen")
    db.session.commit()


def sign_in(page, live_server, email):
    page.goto(live_server + "/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(live_server + "/")


def pages_of(page, email: str) -> list[str]:
    """The navigation's own links, the profile, and a credential and a claim of the person."""
    person = db.session.scalar(select(Person).where(Person.email == email))
    links = page.locator("nav a.nav-link").evaluate_all(
        "els => els.map(e => e.getAttribute('href'))"
    )
    extra = []
    credential = db.session.scalar(select(Credential).where(Credential.person_id == person.id))
    if credential is not None:
        extra.append(f"/credentials/{credential.id}")
    activity = db.session.scalar(select(PduActivity).where(PduActivity.person_id == person.id))
    if activity is not None:
        extra += [f"/pdus/{activity.id}", f"/pdus/{activity.id}/edit"]
    pursuit = db.session.scalar(select(Pursuit).where(Pursuit.person_id == person.id))
    if pursuit is not None:
        extra.append(f"/study/{pursuit.id}")
        session = db.session.scalar(
            select(StudySession).where(StudySession.pursuit_id == pursuit.id)
        )
        if session is not None:
            extra.append(f"/study/{pursuit.id}/sessions/{session.id}/edit")
    if "admin" in person.role_codes:
        extra += [
            "/admin/org-units",
            "/admin/people/new",
            "/admin/reminders",
            "/admin/roles",
            "/admin/roles/pmo_manager",
        ]
    if "hr" in person.role_codes:
        extra += [
            "/reports/roster",
            "/reports/expiring",
            "/reports/compliance",
            "/reports/pipeline",
            "/reports/costs",
            "/reports/headcount",
            "/people?certification=PMP&sort=cycle_end",
        ]
    if "pmo_head" in person.role_codes:
        someone = db.session.scalar(select(Pursuit).where(Pursuit.person_id != person.id))
        extra += [
            f"/study/{someone.id}",
            f"/people/{someone.person_id}",
            "/catalog/PMP",
            f"/skills/people/{someone.person_id}",
        ]
    fixed = ["/pdus/new", "/me/credentials/new", "/study/new", "/study/background",
             "/me/notifications"]  # fmt: skip
    return list(dict.fromkeys([*links, *fixed, *extra]))


@pytest.mark.parametrize("email", ROLES)
def test_every_page_is_accessible_on_desktop_and_phone_and_fits_a_tablet(
    demo, live_server, page, axe_source, email
):
    sign_in(page, live_server, email)
    paths = pages_of(page, email)
    assert len(paths) >= 4
    problems = []
    for size, label in ((DESKTOP, "desktop"), (PHONE, "phone")):
        page.set_viewport_size(size)
        for path in paths:
            response = page.goto(live_server + path)
            assert response.status == 200, path
            findings = axe_findings(page, axe_source)
            if findings:
                problems.append(f"{path} at {label} width:\n  " + "\n  ".join(findings))
            if label == "phone" and scrolls_sideways(page):
                problems.append(f"{path} is wider than a {size['width']}-pixel screen")
            if label == "phone":
                slug = path.strip("/").replace("/", "-") or "home"
                screenshot(page, f"phone-{email.split('@')[0]}-{slug}")
    page.set_viewport_size(TABLET)  # between the two: no page may scroll sideways there either
    for path in paths:
        page.goto(live_server + path)
        if scrolls_sideways(page):
            problems.append(f"{path} is wider than a {TABLET['width']}-pixel screen")
    assert not problems, "\n".join(problems)


def test_the_current_page_is_marked_and_a_skip_link_leads_to_the_content(demo, live_server, page):
    sign_in(page, live_server, "pmo@example.com")
    page.goto(live_server + "/people")
    current = page.locator("nav[aria-label=Main] [aria-current=page]")
    assert current.count() == 1 and current.inner_text() == "People"
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to the content")
    assert skip.evaluate("e => e === document.activeElement")
    skip.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


@pytest.mark.parametrize("width", [1200, 1280, 1366])
def test_the_menu_is_one_row_of_one_line_entries_on_a_laptop(demo, live_server, browser, width):
    """The widest menu (admin's) with a long name: no entry breaks over two lines (at 1280 pixels
    "My PDUs", "Team study", the name and "Sign out" each did), and nothing spills sideways."""
    admin = db.session.scalar(select(Person).where(Person.email == ROLES[0]))
    admin.name = "Maximiliana Alexandrova-Montgomery"
    db.session.commit()
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    sign_in(page, live_server, ROLES[0])
    boxes = page.locator("nav[aria-label=Main] .nav-link").evaluate_all(
        "els => els.map(e => { const r = e.getBoundingClientRect();"
        " return {text: e.textContent.trim(), top: r.top, height: r.height}; })"
    )
    context.close()
    assert len(boxes) >= 13  # admin's eleven entries and the profile, then "Sign out"
    single = min(box["height"] for box in boxes)
    wrapped = [box["text"] for box in boxes if box["height"] > single + 2]
    assert not wrapped, f"at {width} px these entries break over two lines: {wrapped}"
    rows = {round(box["top"]) for box in boxes}
    assert max(rows) - min(rows) <= 2, f"at {width} px the menu takes more than one row"
