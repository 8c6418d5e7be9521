"""In Chromium, a practitioner logs an Education PDU with its Talent Triangle split, attaches a
PNG certificate, and sees the dashboard's progress go up."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest

from pmolearn.clock import today
from pmolearn.credentials import services
from pmolearn.extensions import db
from pmolearn.pdus import services as pdu_services
from tests.browser.conftest import screenshot
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

PNG_1X1 = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000a49444154789c63000100000500010d0a2db4000000"
    "0049454e44ae426082"
)


@pytest.fixture
def pmp_holder(catalog, make_person):
    person = make_person("journey@example.org", name="Jordan Journey")
    credential = services.add_credential(
        person, "PMP", "1234567", today() - timedelta(days=400), actor=person, today=today()
    )
    pdu_services.log_activity(
        person,
        {
            "title": "Agile estimation course",
            "activity_type": "course",
            "completed_on": today() - timedelta(days=60),
            "pdus": "6",
            "areas": {"ways_of_working": "4", "power_skills": "1", "business_acumen": "1"},
            "credential_ids": [credential.id],
        },
        actor=person,
        today=today(),
    )
    db.session.commit()
    return person


def applied(page) -> Decimal:
    return Decimal(page.locator(".pdu-applied").first.inner_text().strip())


def test_practitioner_logs_a_pdu_with_evidence_and_sees_progress(pmp_holder, live_server, page):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    page.goto(live_server + "/login")
    page.fill("input[name=email]", pmp_holder.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(live_server + "/")
    before = applied(page)
    assert before == Decimal(6)
    assert "in Power Skills" in page.locator(".next-step").first.inner_text()
    screenshot(page, "pdu-journey-1-dashboard-before")

    page.get_by_role("link", name="Log PDUs").first.click()
    page.wait_for_url(live_server + "/pdus/new")
    page.fill("input[name=title]", "Negotiation for project leaders")
    page.fill("input[name=provider]", "Acme Academy")
    page.fill("input[name=provider_id]", "ATP-4711")
    page.select_option("select[name=activity_type]", "course")
    page.fill("input[name=completed_on]", (today() - timedelta(days=3)).isoformat())
    page.fill("input[name=pdus]", "3.5")
    page.fill("input[name=ways_of_working]", "0.5")
    page.fill("input[name=power_skills]", "2")
    page.fill("input[name=business_acumen]", "1")
    assert page.locator("input[name=credential_ids]").first.is_checked()
    screenshot(page, "pdu-journey-2-form")
    page.get_by_role("button", name="Log PDUs").click()
    page.wait_for_url(re.compile(r".*/pdus/\d+$"))
    assert page.get_by_text("Logged “Negotiation for project leaders” (3.5 PDUs).").is_visible()

    page.set_input_files(
        "input[name=file]",
        files=[{"name": "certificate.png", "mimeType": "image/png", "buffer": PNG_1X1}],
    )
    page.get_by_role("button", name="Upload").click()
    page.wait_for_url(re.compile(r".*/pdus/\d+$"))
    evidence = page.locator(".evidence-list")
    assert evidence.get_by_role("link", name="certificate.png").is_visible()

    copy_title = page.get_by_role("button", name="Copy Activity title")
    assert copy_title.is_visible()  # the script revealed the copy buttons
    copy_title.click()
    assert page.evaluate("navigator.clipboard.readText()") == "Negotiation for project leaders"
    screenshot(page, "pdu-journey-3-activity-with-evidence")

    page.locator("nav").get_by_role("link", name="Home").click()
    page.wait_for_url(live_server + "/")
    assert applied(page) == before + Decimal("3.5")
    screenshot(page, "pdu-journey-4-dashboard-after")
