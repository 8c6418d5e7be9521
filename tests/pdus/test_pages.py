"""The PDU pages: dashboard, credentials and renewal, logging PDUs, evidence, CCRS fields, scope
and a fixed number of SQL statements however many activities there are."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select

from pmolearn import text
from pmolearn.audit.models import AuditEvent
from pmolearn.clock import today
from pmolearn.credentials import services
from pmolearn.credentials.models import Credential
from pmolearn.extensions import db
from pmolearn.pdus import services as pdu_services
from pmolearn.pdus.models import EvidenceFile, PduActivity, pdu_applications
from tests.conftest import PASSWORD

#: The smallest valid PNG: one transparent pixel (67 bytes).
PNG_1X1 = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000a49444154789c63000100000500010d0a2db4000000"
    "0049454e44ae426082"
)


# --- helpers -------------------------------------------------------------------------------


def add_pmp(person, earned_on=None, number="1234567") -> Credential:
    credential = services.add_credential(
        person,
        "PMP",
        number,
        earned_on or today() - timedelta(days=400),
        actor=person,
        today=today(),
    )
    db.session.commit()
    return credential


def log(person, credential, **fields) -> PduActivity:
    raw = {
        "title": "Risk management course",
        "provider": "PMI Chapter",
        "provider_id": "4711",
        "activity_type": "course",
        "completed_on": today() - timedelta(days=30),
        "pdus": "6",
        "areas": {"ways_of_working": "2", "power_skills": "2", "business_acumen": "2"},
        "credential_ids": [credential.id],
        **fields,
    }
    activity = pdu_services.log_activity(person, raw, actor=person, today=today())
    db.session.commit()
    return activity


def applied_on_dashboard(client) -> Decimal:
    html = client.get("/").get_data(as_text=True)
    match = re.search(r'data-applied="([0-9.]+)"', html)
    assert match, "the dashboard shows no applied PDUs"
    return Decimal(match.group(1))


def form_data(credential, **overrides) -> dict:
    data = {
        "title": "Stakeholder workshop",
        "provider": "Acme Academy",
        "provider_id": "ATP-1",
        "activity_type": "course",
        "started_on": (today() - timedelta(days=12)).isoformat(),
        "completed_on": (today() - timedelta(days=10)).isoformat(),
        "pdus": "3.5",
        "ways_of_working": "1.5",
        "power_skills": "1",
        "business_acumen": "1",
        "credential_ids": [str(credential.id)],
        "notes": "Two afternoons.",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def holder(people, catalog):
    """The practitioner, holding a PMP earned 400 days ago, with two activities."""
    person = people["practitioner"]
    credential = add_pmp(person)
    log(person, credential)
    log(
        person,
        credential,
        title="Mentored a junior PM",
        activity_type="share_knowledge",
        provider=None,
        provider_id=None,
        pdus="4",
        areas={},
    )
    return person, credential


# --- dashboard -----------------------------------------------------------------------------


def test_dashboard_shows_bars_and_the_next_step(client, login, holder):
    person, credential = holder
    login(person)
    html = client.get("/").get_data(as_text=True)
    compliance = services.view(credential, today()).compliance
    assert compliance.next_step in html  # "Log 6 more Ways of Working PDUs, ... by ..."
    assert compliance.next_step.startswith("Log ")
    assert 'data-applied="10"' in html
    assert "of 60 PDUs" in html
    for label in ("Ways of Working", "Power Skills", "Business Acumen", "Education", "Giving Back"):
        assert label in html
    assert html.count('class="meter-tick"') == 4  # three area minimums and Education's 35
    assert "2 of 8 minimum" in html
    assert "4 of 25 at most" in html  # Giving Back against its cap
    assert "days left" in html
    assert "Log PDUs" in html and "Add a certification you hold" in html


def test_dashboard_empty_state(client, login, people, catalog):
    login(people["colleague"])
    html = client.get("/").get_data(as_text=True)
    assert "No certification recorded yet" in html
    assert "/me/credentials/new" in html
    assert "My PDUs" in html  # in the menu


# --- credentials ---------------------------------------------------------------------------


def test_add_credential_with_the_form(client, login, people, catalog):
    person = people["practitioner"]
    login(person)
    page = client.get("/me/credentials/new")
    assert page.status_code == 200
    assert 'value="PMP"' in page.get_data(as_text=True)
    earned = today() - timedelta(days=100)
    response = client.post(
        "/me/credentials/new",
        data={"certification": "PMP", "number": "7654321", "earned_on": earned.isoformat()},
    )
    assert response.status_code == 302
    credential = db.session.scalar(select(Credential).where(Credential.person_id == person.id))
    assert response.headers["Location"].endswith(f"/credentials/{credential.id}")
    assert credential.number == "7654321"
    assert credential.latest_cycle.start == earned
    assert credential.latest_cycle.end == earned.replace(year=earned.year + 3)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "PMP was added" in page
    assert "7654321" in page


def test_add_credential_refusals_write_nothing(client, login, people, catalog):
    person = people["practitioner"]
    login(person)
    future = client.post(
        "/me/credentials/new",
        data={"certification": "PMP", "earned_on": (today() + timedelta(days=3)).isoformat()},
    )
    assert future.status_code == 422
    assert "cannot be in the future" in future.get_data(as_text=True)
    assert count(Credential) == 0
    add_pmp(person)
    again = client.post(
        "/me/credentials/new",
        data={"certification": "PMP", "earned_on": (today() - timedelta(days=5)).isoformat()},
    )
    assert again.status_code == 409
    assert "already holds PMP; renew it instead" in again.get_data(as_text=True)
    assert count(Credential) == 1


def test_credential_page(client, login, holder):
    person, credential = holder
    login(person)
    response = client.get(f"/credentials/{credential.id}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Cycle 1 progress" in html
    assert "PMP since" in html  # the policy label
    assert "Risk management course" in html and "Mentored a junior PM" in html
    assert "Record the renewal" in html
    assert 'class="meter-tick"' in html
    assert "Cycles" in html and "current" in html


def test_renewal_is_refused_with_what_is_missing(client, login, holder):
    person, credential = holder
    login(person)
    response = client.post(
        f"/credentials/{credential.id}/renew", data={"renewed_on": today().isoformat()}
    )
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "The cycle is not complete: Log" in html
    assert "in Power Skills" in html
    db.session.expire_all()
    assert len(db.session.get(Credential, credential.id).cycles) == 1


def test_renewal_opens_cycle_two_with_carry_over(client, login, people, catalog):
    person = people["practitioner"]
    earned = today() - timedelta(days=3 * 365 - 100)  # the cycle ends in about 100 days
    credential = add_pmp(person, earned_on=earned)
    recent = today() - timedelta(days=20)  # inside the final 12 months: may carry over
    log(
        person,
        credential,
        completed_on=recent,
        pdus="51",
        areas={"ways_of_working": "17", "power_skills": "17", "business_acumen": "17"},
    )
    log(
        person,
        credential,
        title="Chapter volunteer",
        activity_type="volunteer",
        completed_on=recent,
        pdus="19",
        areas={},
    )
    login(person)
    page = client.get(f"/credentials/{credential.id}").get_data(as_text=True)
    assert "All 60 PDUs are in" in page
    asked = client.post(
        f"/credentials/{credential.id}/renew", data={"renewed_on": today().isoformat()}
    )
    assert asked.status_code == 200  # renewing asks for confirmation first, and writes nothing
    question = asked.get_data(as_text=True)
    assert "Yes, record the renewal" in question and "10 PDUs carried over" in question
    db.session.expire_all()
    assert len(db.session.get(Credential, credential.id).cycles) == 1
    response = client.post(
        f"/credentials/{credential.id}/renew",
        data={"renewed_on": today().isoformat(), "confirmed": "yes"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    cycles = db.session.get(Credential, credential.id).cycles
    assert [c.number for c in cycles] == [1, 2]
    assert cycles[1].start == cycles[0].end + timedelta(days=1)
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Renewed: cycle 2 runs from" in html
    # Renewed early: cycle 1 is still the current one; cycle 2 is the next, with its start.
    assert "Cycle 1 progress" in html and "Cycle 2 progress" not in html
    assert f"cycle 2 starts {text.day(cycles[1].start)}" in html
    assert "1357 days left" not in html
    assert "next, from" in html
    assert "10 PDUs carried in" in html  # 70 logged, 60 required
    assert html.count("<tr") >= 3  # the cycles table keeps cycle 1


# --- logging PDUs --------------------------------------------------------------------------


def test_log_form_offers_catalog_types_grouped_by_category(client, login, holder):
    person, credential = holder
    login(person)
    html = client.get("/pdus/new").get_data(as_text=True)
    assert '<optgroup label="Education">' in html
    assert '<optgroup label="Giving Back">' in html
    assert "at most 2 per activity" in html  # Organization Meetings
    box = re.search(r"<input[^>]*name=\"credential_ids\"[^>]*>", html).group(0)
    assert f'value="{credential.id}"' in box and "checked" in box  # held credentials preselected
    assert f"PMP {credential.number} (active)" in html  # each named as people say it


def test_logging_a_pdu_changes_the_dashboard(client, login, holder):
    person, credential = holder
    login(person)
    before = applied_on_dashboard(client)
    response = client.post("/pdus/new", data=form_data(credential))
    assert response.status_code == 302
    activity = db.session.scalar(
        select(PduActivity).where(PduActivity.title == "Stakeholder workshop")
    )
    assert response.headers["Location"].endswith(f"/pdus/{activity.id}")
    assert activity.pdus == Decimal("3.5")
    assert activity.areas == {
        "ways_of_working": Decimal("1.5"),
        "power_skills": Decimal("1"),
        "business_acumen": Decimal("1"),
    }
    assert activity.status == "claimed"
    assert [c.id for c in activity.credentials] == [credential.id]
    assert applied_on_dashboard(client) == before + Decimal("3.5")
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.entity_type == "pdu_activity", AuditEvent.entity_id == activity.id)
        )
        == 1
    )


def test_a_draft_does_not_count(client, login, holder):
    person, credential = holder
    login(person)
    before = applied_on_dashboard(client)
    response = client.post("/pdus/new", data=form_data(credential, draft="y"))
    assert response.status_code == 302
    activity = db.session.scalar(select(PduActivity).where(PduActivity.status == "draft"))
    assert activity is not None
    assert applied_on_dashboard(client) == before


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"power_skills": "0.5"}, "the split adds up to 3"),
        (
            {"pdus": "0.3", "ways_of_working": "0.3", "power_skills": "", "business_acumen": ""},
            "Must be in steps of 0.25",
        ),
        ({"completed_on": (today() + timedelta(days=1)).isoformat()}, "Cannot be in the future."),
        ({"title": "", "activity_type": ""}, "Choose the kind of activity."),
        ({"activity_type": "volunteer"}, "Only Education PDUs are split"),
    ],
)
def test_invalid_activity_shows_errors_and_writes_nothing(
    client, login, holder, overrides, message
):
    person, credential = holder
    login(person)
    activities, events = count(PduActivity), count(AuditEvent)
    response = client.post("/pdus/new", data=form_data(credential, **overrides))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html
    assert "Nothing was saved" in html
    assert (count(PduActivity), count(AuditEvent)) == (activities, events)


def test_edit_and_delete(client, login, holder, app):
    person, credential = holder
    activity = log(person, credential, title="Old title")
    activity_id = activity.id
    login(person)
    form = client.get(f"/pdus/{activity.id}/edit").get_data(as_text=True)
    assert 'value="Old title"' in form
    assert 'name="status"' in form and 'name="draft"' not in form
    response = client.post(
        f"/pdus/{activity.id}/edit",
        data=form_data(credential, title="New title", status="approved"),
    )
    assert response.status_code == 302
    db.session.expire_all()
    edited = db.session.get(PduActivity, activity.id)
    assert (edited.title, edited.status, edited.pdus) == ("New title", "approved", Decimal("3.5"))

    client.post(
        f"/pdus/{activity.id}/evidence",
        data={"file": (io.BytesIO(PNG_1X1), "cert.png")},
        content_type="multipart/form-data",
    )
    stored = Path(app.config["UPLOAD_FOLDER"]) / db.session.scalar(select(EvidenceFile.stored_name))
    assert stored.exists()
    confirm = client.get(f"/pdus/{activity.id}/delete")
    assert confirm.status_code == 200
    assert "Delete “New title”?" in confirm.get_data(as_text=True)
    response = client.post(f"/pdus/{activity.id}/delete")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(PduActivity, activity_id) is None
    assert not stored.exists()
    actions = db.session.scalars(
        select(AuditEvent.action).where(
            AuditEvent.entity_id == activity_id, AuditEvent.entity_type == "pdu_activity"
        )
    ).all()
    assert sorted(actions) == ["create", "delete", "update"]


# --- scope ---------------------------------------------------------------------------------


def test_another_persons_records_are_not_found(client, login, holder, people):
    _, credential = holder
    activity = db.session.scalar(select(PduActivity))
    login(people["colleague"])
    for url in (
        f"/credentials/{credential.id}",
        f"/pdus/{activity.id}",
        f"/pdus/{activity.id}/edit",
        f"/pdus/{activity.id}/delete",
        f"/pdus/{activity.id}/evidence/1",
    ):
        assert client.get(url).status_code == 404, url
    for url in (
        f"/credentials/{credential.id}/renew",
        f"/pdus/{activity.id}/delete",
        f"/pdus/{activity.id}/reported",
        f"/pdus/{activity.id}/evidence",
    ):
        assert client.post(url, data={"renewed_on": today().isoformat()}).status_code == 404, url
    assert "Risk management course" not in client.get("/pdus").get_data(as_text=True)


def test_pmo_head_reads_a_team_members_records_but_cannot_change_them(
    client, login, holder, people
):
    _, credential = holder
    activity = db.session.scalar(select(PduActivity))
    login(people["pmo"])
    page = client.get(f"/credentials/{credential.id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Held by " + people["practitioner"].name in html
    assert "Record the renewal" not in html
    assert "Log PDUs" not in html.split("</nav>", 1)[1]  # no write button on the page body
    page = client.get(f"/pdus/{activity.id}").get_data(as_text=True)
    assert "Risk management course" in page
    assert f"/pdus/{activity.id}/edit" not in page
    assert "Mark reported" not in page
    assert 'enctype="multipart/form-data"' not in page
    assert client.get(f"/pdus/{activity.id}/edit").status_code == 403
    assert client.post(f"/pdus/{activity.id}/delete").status_code == 403
    assert client.post(f"/pdus/{activity.id}/reported").status_code == 403
    assert (
        client.post(
            f"/credentials/{credential.id}/renew", data={"renewed_on": today().isoformat()}
        ).status_code
        == 403
    )


# --- evidence, CCRS, reported --------------------------------------------------------------


def test_upload_evidence_on_the_activity_page(client, login, holder, app):
    person, credential = holder
    activity = db.session.scalar(select(PduActivity).where(PduActivity.activity_type == "course"))
    login(person)
    response = client.post(
        f"/pdus/{activity.id}/evidence",
        data={"file": (io.BytesIO(PNG_1X1), "certificate.png")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    item = db.session.scalar(select(EvidenceFile))
    assert (item.original_name, item.content_type, item.size) == (
        "certificate.png",
        "image/png",
        67,
    )
    page = client.get(f"/pdus/{activity.id}").get_data(as_text=True)
    assert "Attached certificate.png" in page
    assert f"/pdus/{activity.id}/evidence/{item.id}" in page
    with client.get(f"/pdus/{activity.id}/evidence/{item.id}") as download:
        assert download.status_code == 200
        assert download.data == PNG_1X1
        assert download.mimetype == "image/png"
        assert "attachment" in download.headers["Content-Disposition"]
    removed = client.post(f"/pdus/{activity.id}/evidence/{item.id}/delete")
    assert removed.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(EvidenceFile)) == 0
    assert list(Path(app.config["UPLOAD_FOLDER"]).iterdir()) == []
    assert client.post(f"/pdus/{activity.id}/evidence/{item.id}/delete").status_code == 404


@pytest.mark.parametrize(
    ("payload", "name", "status", "message"),
    [
        (
            b"just some text, not an image\n" * 10,
            "photo.png",
            415,
            "Evidence must be a PDF, PNG or JPEG file.",
        ),
        (b"", "empty.pdf", 422, "The file is empty."),
        (PNG_1X1 + b"\0" * 2000, "big.png", 413, "The file is larger than"),
    ],
)
def test_refused_uploads_show_an_error_and_store_nothing(
    client, login, holder, app, payload, name, status, message
):
    app.config["UPLOAD_MAX_BYTES"] = 1024  # so that "too large" needs no 10 MB body
    person, _ = holder
    activity = db.session.scalar(select(PduActivity))
    login(person)
    response = client.post(
        f"/pdus/{activity.id}/evidence",
        data={"file": (io.BytesIO(payload), name)},
        content_type="multipart/form-data",
    )
    assert response.status_code == status
    html = response.get_data(as_text=True)
    assert message in html
    assert 'enctype="multipart/form-data"' in html  # the form is shown again
    assert count(EvidenceFile) == 0
    folder = Path(app.config["UPLOAD_FOLDER"])
    assert not folder.exists() or not any(folder.iterdir())


def test_a_body_past_the_request_limit_is_refused_plainly(client, login, holder, app):
    app.config["MAX_CONTENT_LENGTH"] = 2000  # stands in for the 12 MB request limit
    person, _ = holder
    activity = db.session.scalar(select(PduActivity))
    login(person)
    response = client.post(
        f"/pdus/{activity.id}/evidence",
        data={"file": (io.BytesIO(PNG_1X1 + b"\0" * 5000), "huge.png")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/pdus/{activity.id}")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "The file is larger than 10 MB; nothing was stored." in page
    assert count(EvidenceFile) == 0


def test_upload_without_a_file(client, login, holder):
    person, _ = holder
    activity = db.session.scalar(select(PduActivity))
    login(person)
    response = client.post(f"/pdus/{activity.id}/evidence", data={})
    assert response.status_code == 422
    assert "Choose a file to upload." in response.get_data(as_text=True)


def test_ccrs_fields_have_copy_buttons(client, login, holder):
    person, _ = holder
    activity = db.session.scalar(select(PduActivity).where(PduActivity.activity_type == "course"))
    login(person)
    html = client.get(f"/pdus/{activity.id}").get_data(as_text=True)
    for label in (
        "Category",
        "Provider",
        "Provider ID",
        "Activity title",
        "Date started",
        "Date completed",
        "Ways of Working PDUs",
        "Power Skills PDUs",
        "Business Acumen PDUs",
        "Total PDUs",
    ):
        assert f">{label}</label>" in html, label
    assert 'data-copy="Risk management course"' in html
    assert 'data-copy="4711"' in html
    assert 'data-copy="Education"' in html
    assert html.count("js-only") >= 8  # hidden without JavaScript
    assert "/static/js/copy.js" in html
    assert "<script>" not in html  # no inline script (CSP)
    assert "Not reported yet" in html
    assert "Claim for PMI" in html


def test_copy_values_are_escaped(client, login, holder):
    person, credential = holder
    activity = log(person, credential, title='<script>alert("x")</script>')
    login(person)
    html = client.get(f"/pdus/{activity.id}").get_data(as_text=True)
    assert '<script>alert("x")</script>' not in html
    assert "&lt;script&gt;" in html


def test_mark_reported_today(client, login, holder):
    person, _ = holder
    activity = db.session.scalar(select(PduActivity))
    login(person)
    response = client.post(f"/pdus/{activity.id}/reported")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(PduActivity, activity.id).reported_on == today()
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Marked as reported on" in page
    assert "Mark reported" not in page
    listing = client.get("/pdus?reported=yes").get_data(as_text=True)
    assert activity.title in listing and "Reported " in listing
    assert activity.title not in client.get("/pdus?reported=no").get_data(as_text=True)


# --- PDU list ------------------------------------------------------------------------------


def test_pdu_list_filters_and_pages(client, login, holder, people):
    person, credential = holder
    other = services.add_credential(
        person, "CAPM", None, today() - timedelta(days=50), actor=person, today=today()
    )
    db.session.commit()
    _bulk_activities(person, credential, 60)
    login(person)
    first = client.get("/pdus").get_data(as_text=True)
    assert "62 activities" in first
    assert first.count('href="/pdus/') - first.count('href="/pdus/new') >= 50
    assert "page=2" in first
    filtered = client.get(f"/pdus?credential={other.id}").get_data(as_text=True)
    assert "0 activities" in filtered and "No activity matches." in filtered
    assert client.get("/pdus?page=99").status_code == 200
    # the filter names each credential as people do, newest first, the chosen one selected
    choices = re.findall(r'<option value="(\d+)" ?(selected)?>([^<]*)</option>', filtered)
    assert choices == [(str(other.id), "selected", "CAPM"),
                       (str(credential.id), "", f"PMP {credential.number}")]  # fmt: skip


# --- query budget --------------------------------------------------------------------------


def _bulk_activities(person, credential, n: int) -> None:
    start = credential.latest_cycle.start
    rows = [
        {
            "person_id": person.id,
            "title": f"Bulk activity {i}",
            "activity_type": "course" if i % 3 else "volunteer",
            "category": "education" if i % 3 else "giving_back",
            "completed_on": start + timedelta(days=i % 300),
            "pdus": Decimal("1.5"),
            "ways_of_working": Decimal("0.5") if i % 3 else Decimal(0),
            "power_skills": Decimal("0.5") if i % 3 else Decimal(0),
            "business_acumen": Decimal("0.5") if i % 3 else Decimal(0),
            "status": "claimed" if i % 7 else "draft",
            "reported_on": None,
        }
        for i in range(n)
    ]
    db.session.execute(insert(PduActivity), rows)
    ids = db.session.scalars(
        select(PduActivity.id).where(
            PduActivity.title.like("Bulk activity %"), PduActivity.person_id == person.id
        )
    ).all()
    db.session.execute(
        insert(pdu_applications), [{"activity_id": i, "credential_id": credential.id} for i in ids]
    )
    db.session.commit()


def _signed_in_client(app, person):
    client = app.test_client()
    response = client.post("/login", data={"email": person.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_pages_run_a_fixed_number_of_statements(app, make_person, catalog, count_queries):
    few, many = make_person(), make_person()
    db.session.commit()
    credentials = {}
    for person, n in ((few, 5), (many, 500)):
        credentials[person.id] = add_pmp(person)
        services.add_credential(
            person, "PgMP", None, today() - timedelta(days=200), actor=person, today=today()
        )
        db.session.commit()
        _bulk_activities(person, credentials[person.id], n)
    counts: dict[str, list[int]] = {}
    for person in (few, many):
        client = _signed_in_client(app, person)
        activity_id = db.session.scalar(
            select(PduActivity.id).where(PduActivity.person_id == person.id).limit(1)
        )
        urls = {
            "dashboard": "/",
            "credential": f"/credentials/{credentials[person.id].id}",
            "pdu list": "/pdus",
            "filtered list": f"/pdus?credential={credentials[person.id].id}&reported=no",
            "activity": f"/pdus/{activity_id}",
        }
        for name, url in urls.items():
            assert client.get(url).status_code == 200, url  # warm up
            with count_queries() as counted:
                response = client.get(url)
            assert response.status_code == 200, url
            counts.setdefault(name, []).append(counted())
    for name, (five, five_hundred) in counts.items():
        assert five == five_hundred, (name, five, five_hundred)
    assert max(n for pair in counts.values() for n in pair) <= 15, counts
