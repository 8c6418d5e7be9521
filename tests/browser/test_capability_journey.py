"""In Chromium, the PMO head opens the team's capability, filters by a role, reads the timeline
(its numbers beside the chart) and downloads the XLSX, which opens as a workbook."""

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
    build_demo(staff=80, seed=7, password=PASSWORD)
    db.session.commit()


def test_the_pmo_head_reads_the_heatmap_and_timeline_and_downloads_xlsx(
    demo, live_server, page, axe_source
):
    page.goto(live_server + "/login")
    page.fill("input[name=email]", "pmo@example.com")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.get_by_role("link", name="Capability").click()
    page.wait_for_selector("#matrix-h")
    heatmap = page.locator("table.heatmap")
    assert heatmap.locator("tbody tr").count() > 0
    assert "✓" in heatmap.inner_text() or "−" in heatmap.inner_text()
    assert axe_findings(page, axe_source) == []
    page.select_option("select[name=role]", "project_manager")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**role=project_manager**")
    assert "against Project Manager" in page.content()
    roles = page.locator("table.heatmap tbody td:nth-child(2)").all_inner_texts()
    assert roles and set(roles) == {"Project Manager"}
    timeline = page.locator("section", has=page.locator("#timeline-h"))
    assert timeline.locator("svg[role=img]").count() == 1
    assert "Valid holders at each month" in timeline.inner_text()
    assert timeline.locator("table tbody tr").count() >= 12
    screenshot(page, "team-capability")
    with page.expect_download() as download:
        page.get_by_role("link", name="XLSX download of the matrix").click()
    data = download.value.path().read_bytes()
    sheet = openpyxl.load_workbook(io.BytesIO(data), read_only=True)["Capability"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Person", "Org unit", "Role")
    assert {r[2] for r in rows[1:]} == {"Project Manager"} and len(rows) - 1 >= len(roles)
