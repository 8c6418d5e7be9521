"""Each demo role signs in through the real page in Chromium and sees its home."""

from __future__ import annotations

import pytest

from pmolearn.demo.generator import build_demo
from pmolearn.extensions import db
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser

DEMO_PASSWORD = "demo-pass-123"


@pytest.fixture
def demo(app, catalog):
    summary = build_demo(staff=40, seed=7, password=DEMO_PASSWORD)
    db.session.commit()
    return summary


@pytest.mark.parametrize(
    ("email", "menu", "hidden"),
    [
        ("admin@example.com", ["Catalog", "People", "Capability", "Admin"], []),
        ("hr@example.com", ["Catalog", "People", "Capability"], ["Admin"]),
        ("pmo@example.com", ["Catalog", "People", "Capability"], ["Admin"]),
        ("practitioner@example.com", ["Catalog", "Skills"], ["People", "Capability", "Admin"]),
    ],
)
def test_demo_role_signs_in(demo, live_server, page, email, menu, hidden):
    page.goto(live_server + "/")
    assert "/login" in page.url  # signed out: sent to the sign-in page
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(live_server + "/")
    nav = page.locator("nav")
    for label in menu:
        assert nav.get_by_role("link", name=label, exact=True).count() == 1, label
    for label in hidden:
        assert nav.get_by_role("link", name=label, exact=True).count() == 0, label
    assert page.get_by_role("heading", level=1).inner_text().startswith("Hello")
    path = screenshot(page, "home-" + email.split("@")[0])
    assert path.stat().st_size > 10_000


def test_wrong_password_shows_an_error(demo, live_server, page):
    page.goto(live_server + "/login")
    page.fill("input[name=email]", "practitioner@example.com")
    page.fill("input[name=password]", "not-the-password")
    page.click("button[type=submit]")
    assert page.get_by_text("do not match an active account").is_visible()
    assert "/login" in page.url
