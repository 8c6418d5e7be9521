"""In Chromium, HR filters the roster and downloads the XLSX, which opens and holds the rows the
page listed."""

from __future__ import annotations

import io

import openpyxl
import pytest

from pmolearn.demo.generator import build_demo
from pmolearn.extensions import db
from tests.browser.conftest import axe_findings, screenshot

pytestmark = pytest.mark.browser
PASSWORD = "demo-pass-123"


@pytest.fixture
def demo(app, catalog):
    build_demo(staff=80, seed=9, password=PASSWORD)
    db.session.commit()


def test_hr_filters_the_roster_and_downloads_the_xlsx(demo, live_server, page, axe_source):
    page.goto(live_server + "/login")
    page.fill("input[name=email]", "hr@example.com")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.get_by_role("link", name="Reports").click()
    page.get_by_role("link", name="Certification roster").click()
    page.select_option("select[name=certification]", "PMP")
    page.select_option("select[name=status]", "active")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**certification=PMP**")
    assert axe_findings(page, axe_source) == []
    shown = int(page.locator("p strong").first.inner_text())
    assert shown > 0
    cells = page.locator("table tbody tr td:nth-child(5)").all_inner_texts()
    assert set(cells) == {"PMP"}
    screenshot(page, "hr-roster")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download XLSX").click()
    assert download.value.suggested_filename.startswith("roster-")
    rows = list(
        openpyxl.load_workbook(
            io.BytesIO(download.value.path().read_bytes()), read_only=True
        ).active.iter_rows(values_only=True)
    )
    assert rows[0][:5] == ("person_id", "name", "email", "org_unit", "certification")
    assert len(rows) - 1 == shown
    assert {r[4] for r in rows[1:]} == {"PMP"} and {r[8] for r in rows[1:]} == {"active"}
