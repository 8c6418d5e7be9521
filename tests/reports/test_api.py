"""Reports through the API (API.md, Reports): JSON, CSV and XLSX agree row for row; filters,
sorts and scope hold; an unknown filter value is a 422; costs never turn an unconfirmed fee into
zero; the audit trail is for admins."""

from __future__ import annotations

import csv
import io
from datetime import date

import openpyxl
import pytest
from sqlalchemy import select

from pmolearn.accounts.services import create_token
from pmolearn.credentials.services import add_credential
from pmolearn.demo.generator import build_demo
from pmolearn.extensions import db
from pmolearn.people.models import Person

ROSTER_KEYS = [
    "person_id",
    "name",
    "email",
    "org_unit",
    "certification",
    "number",
    "earned_on",
    "cycle_end",
    "status",
    "pdus_applied",
    "pdus_required",
    "pdus_remaining",
]


@pytest.fixture
def demo(app, catalog, bearer, people):
    """A demo organisation; ``people`` keeps its own sign-ins for tokens."""
    build_demo(staff=120, seed=4, today=date(2026, 11, 25))
    db.session.commit()


def token(email: str) -> dict:
    person = db.session.scalar(select(Person).where(Person.email == email))
    _t, plain = create_token(person, "t")
    db.session.commit()
    return {"Authorization": f"Bearer {plain}"}


def get(client, url, headers):
    response = client.get(url, headers=headers)
    assert response.status_code == 200, (url, response.get_data(as_text=True)[:300])
    return response


def test_json_csv_and_xlsx_agree_row_for_row(client, demo):
    hr = token("hr@example.com")
    body = get(client, "/api/v1/reports/roster?per_page=500", hr).get_json()
    assert body["columns"] == ROSTER_KEYS and body["total"] == len(body["items"]) > 0
    as_csv = get(client, "/api/v1/reports/roster?format=csv", hr)
    assert "roster-2026-11-25.csv" in as_csv.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(as_csv.get_data(as_text=True))))
    assert rows[0] == ROSTER_KEYS and len(rows) - 1 == body["total"]
    as_xlsx = get(client, "/api/v1/reports/roster?format=xlsx", hr)
    sheet = list(
        openpyxl.load_workbook(io.BytesIO(as_xlsx.data), read_only=True).active.iter_rows(
            values_only=True
        )
    )
    assert list(sheet[0]) == ROSTER_KEYS and len(sheet) == len(rows)
    for item, line, cells in zip(body["items"], rows[1:], sheet[1:], strict=True):
        assert [str(item[k]) if item[k] is not None else "" for k in ROSTER_KEYS] == line
        assert [c if c is not None else None for c in cells][1] == item["name"]


def test_filters_sorts_and_scope(client, demo):
    hr = token("hr@example.com")
    pmo = token("pmo@example.com")
    everyone = get(client, "/api/v1/reports/roster?per_page=500", hr).get_json()
    pmps = get(client, "/api/v1/reports/roster?certification=PMP&per_page=500", hr).get_json()
    assert pmps["total"] == sum(1 for i in everyone["items"] if i["certification"] == "PMP")
    suspended = get(client, "/api/v1/reports/roster?status=suspended", hr).get_json()
    assert all(i["status"] == "suspended" for i in suspended["items"])
    by_end = get(client, "/api/v1/reports/roster?sort=-cycle_end&per_page=500", hr).get_json()
    ends = [i["cycle_end"] for i in by_end["items"] if i["cycle_end"]]
    assert ends == sorted(ends, reverse=True)
    head = db.session.scalar(select(Person).where(Person.email == "pmo@example.com"))
    mine = get(client, "/api/v1/reports/roster?per_page=500", pmo).get_json()
    units = {
        p.org_unit.name
        for p in db.session.scalars(select(Person))
        if p.org_unit.path.startswith(head.org_unit.path)
    }
    assert mine["total"] < everyone["total"] and {i["org_unit"] for i in mine["items"]} <= units
    practitioner = token("practitioner@example.com")
    assert client.get("/api/v1/reports/roster", headers=practitioner).status_code == 404
    assert client.get("/api/v1/reports/audit", headers=hr).status_code == 404  # admins only
    assert client.get("/api/v1/reports/nonsense", headers=hr).status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        "certification=PMX",
        "status=sleeping",
        "expiring_within=0",
        "expiring_within=lots",
        "org_unit=999999",
        "sort=shoe_size",
        "colour=blue",
        "format=pdf",
        "status=",
    ],
)
def test_an_unknown_filter_value_is_a_422(client, demo, query):
    hr = token("hr@example.com")
    response = client.get(f"/api/v1/reports/roster?{query}", headers=hr)
    assert response.status_code == 422, query
    assert response.get_json()["error"]["fields"]


def test_expiring_holds_the_window_and_the_suspended(client, demo):
    hr = token("hr@example.com")
    body = get(client, "/api/v1/reports/expiring?expiring_within=120&per_page=500", hr).get_json()
    assert body["items"]
    for item in body["items"]:
        if item["status"] == "active":
            assert "2026-11-25" <= item["cycle_end"] <= "2027-03-25"
        else:
            assert item["status"] == "suspended"


def test_the_other_reports_answer_in_their_own_columns(client, demo):
    hr = token("hr@example.com")
    admin = token("admin@example.com")
    compliance = get(client, "/api/v1/reports/compliance?per_page=500", hr).get_json()
    assert compliance["items"] and {"org_unit", "certification", "behind"} <= set(
        compliance["columns"]
    )
    pipeline = get(client, "/api/v1/reports/pipeline", hr).get_json()
    assert any(i["attempts"] for i in pipeline["items"])
    costs = get(client, "/api/v1/reports/costs?per_page=500", hr).get_json()
    kinds = {i["kind"] for i in costs["items"]}
    assert kinds <= {"renewal", "exam"} and costs["items"]
    assert all(i["fee"] is None or i["fee"] > 0 for i in costs["items"])  # unknown, never zero
    headcount = get(
        client, "/api/v1/reports/headcount?certification=PMP&per_page=500", hr
    ).get_json()
    assert [i["month"] for i in headcount["items"]][-1] == "2026-11"
    audit = get(client, "/api/v1/reports/audit?per_page=5", admin).get_json()
    assert audit["columns"][0] == "at"


def test_an_unconfirmed_fee_is_unknown_not_zero(client, people, catalog, bearer):
    """A PgMP renewal's fee is unconfirmed in the catalog; a PMP's is known."""
    me = people["practitioner"]
    add_credential(me, "PgMP", "555", date(2024, 3, 1), actor=me, today=date(2026, 11, 25))
    add_credential(me, "PMP", "556", date(2024, 4, 1), actor=me, today=date(2026, 11, 25))
    db.session.commit()
    items = client.get("/api/v1/reports/costs", headers=bearer("hr")).get_json()["items"]
    renewal = {i["certification"]: i for i in items if i["kind"] == "renewal"}
    assert renewal["PgMP"]["fee"] is None and renewal["PgMP"]["due_on"] == "2027-03-01"
    assert renewal["PMP"]["fee"] > 0 and renewal["PMP"]["fee_as_of"]
