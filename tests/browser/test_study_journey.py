"""In Chromium, a practitioner starts a PMP plan, logs a session and sees the hours and the
burn-up chart change; the PMO head then finds that person on the team study board."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import screenshot
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def sign_in(page, live_server, person):
    page.goto(live_server + "/login")
    page.fill("input[name=email]", person.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(live_server + "/")


def logged_line(page) -> str:
    return page.locator("#burn-h ~ figure polyline").nth(1).get_attribute("points") or ""


def test_a_practitioner_plans_and_logs_and_the_pmo_head_sees_it(people, catalog, live_server,
                                                                page, browser):  # fmt: skip
    practitioner = people["practitioner"]
    sign_in(page, live_server, practitioner)
    page.get_by_role("link", name="Study", exact=True).click()
    page.select_option("select[name=certification]", "PMP")
    page.fill("input[name=weekly_hours]", "5")
    page.get_by_role("button", name="Make my plan").click()
    page.wait_for_url(re.compile(r".*/study/\d+$"))
    assert "Your PMP plan is ready" in page.content()
    assert page.locator("#hours-logged").inner_text() == "0"
    flat = logged_line(page)  # one point at zero: nothing logged yet
    # A wrong input first: nothing is saved and the field says why.
    page.fill("input[name=minutes]", "0")
    page.get_by_role("button", name="Log session").click()
    assert "Nothing was saved" in page.content()
    assert page.locator("#hours-logged").inner_text() == "0"
    page.fill("input[name=minutes]", "90")
    page.select_option("select[name=domain]", "Process")
    page.select_option("select[name=kind]", "reading")
    page.get_by_role("button", name="Log session").click()
    page.wait_for_selector("text=Logged 90 minutes of Process")
    assert page.locator("#hours-logged").inner_text() == "1.5"
    rises = logged_line(page)
    assert rises != flat and float(rises.split()[-1].split(",")[1]) < float(flat.split(",")[1])
    row = page.locator("#cover-table tr", has_text="Process")
    assert "1.5" in row.inner_text()
    screenshot(page, "study-plan-after-a-session")

    head = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(head, live_server, people["pmo"])
    head.get_by_role("link", name="Team study").click()
    studying = head.locator("section", has=head.locator("#stage-studying-h"))  # the first session
    assert practitioner.name in studying.inner_text()
    assert "1.5 h" in studying.inner_text()
    head.get_by_role("link", name=f"PMP plan of {practitioner.name}").first.click()
    assert head.locator("#hours-logged").inner_text() == "1.5"
    assert "Log a study session" not in head.content()
    screenshot(head, "team-study-board")
    head.context.close()
