"""Report pages: the list for team roles only, a report's filters (bad ones said, not applied),
its page of rows and its downloads, which are the same rows."""

from __future__ import annotations

import csv
import io


def test_the_reports_are_for_team_roles(client, people, login):
    login(people["practitioner"])
    assert client.get("/reports/").status_code == 403
    login(people["hr"])
    page = client.get("/reports/").get_data(as_text=True)
    assert "Certification roster" in page and "Audit trail" not in page
    login(people["admin"])
    assert "Audit trail" in client.get("/reports/").get_data(as_text=True)
    assert client.get("/reports/audit").status_code == 200


def test_a_report_page_filters_pages_and_downloads_the_same_rows(client, people, pmp, login):
    login(people["hr"])
    page = client.get("/reports/roster?certification=PMP").get_data(as_text=True)
    assert people["practitioner"].name in page and "1</strong> row" in page
    bad = client.get("/reports/roster?status=sleeping")
    assert bad.status_code == 422 and "none is applied" in bad.get_data(as_text=True)
    empty = client.get("/reports/roster?certification=&status=&sort=name")
    assert empty.status_code == 200
    download = client.get("/reports/roster?certification=PMP&format=csv")
    rows = list(csv.reader(io.StringIO(download.get_data(as_text=True))))
    assert len(rows) == 2 and rows[1][1] == people["practitioner"].name
    headcount = client.get("/reports/headcount").get_data(as_text=True)
    assert "<svg" in headcount and "2026-11" in headcount
