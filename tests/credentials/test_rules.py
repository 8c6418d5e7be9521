"""Rules that used to disagree between pages, each now decided in one place (issue 6, §5-6).

Every test here failed on the old behaviour named in its docstring.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from pmolearn import clock, text
from pmolearn.credentials import cards, services
from pmolearn.credentials.audit_pack import build_audit_pack
from pmolearn.extensions import db
from pmolearn.pdus.models import EvidenceFile, PduActivity
from pmolearn.pdus.services import todo
from tests.pdus.helpers import PNG

EDU = "course"


def education(make, person, credential, on, wow, ps, ba, title="Course"):
    total = str(wow + ps + ba)
    areas = {"ways_of_working": str(wow), "power_skills": str(ps), "business_acumen": str(ba)}
    return make.activity(person, credential, title=title, completed_on=on, pdus=total, areas=areas)


def giving_back(make, person, credential, on, pdus, title="Volunteering"):
    return make.activity(person, credential, title=title, activity_type="volunteer",
                         completed_on=on, pdus=str(pdus), areas={})  # fmt: skip


def section(html: str, heading: str) -> str:
    """The HTML from a heading to the next section."""
    return html.split(heading, 1)[1].split("</section>", 1)[0]


# --- §5: one counting window -----------------------------------------------------------


@pytest.fixture
def renewed_in_grace(make, people, catalog):
    """A PMP whose cycle ended on 10 January 2026, renewed in grace on 1 June 2026, with a
    claim completed in the grace period (1 March 2026). Today is 25 November 2026."""
    me = people["practitioner"]
    pmp = make.credential(me, earned_on=date(2023, 1, 10))
    education(make, me, pmp, date(2025, 6, 1), 12, 12, 12, "Big course")
    giving_back(make, me, pmp, date(2025, 7, 1), 24)
    grace = education(make, me, pmp, date(2026, 3, 1), 1, 1, 0, "Grace period webinar")
    services.renew(pmp, date(2026, 6, 1), actor=me, today=clock.today())
    db.session.commit()
    return me, pmp, grace


def test_a_claim_in_the_grace_period_is_listed_with_the_lapsed_cycle(
    client, login, renewed_in_grace
):
    """It counts toward cycle 1 (the engine, the audit pack); the credential page used to list
    it under cycle 2 because it was completed after cycle 2's start."""
    me, pmp, grace = renewed_in_grace
    view = services.view(pmp, clock.today())
    assert view.cycle.number == 2
    assert grace.id not in {c.id for c in view.claims_in(pmp.cycles[1])}
    assert grace.id in {c.id for c in view.claims_in(pmp.cycles[0])}

    login(me)
    html = client.get(f"/credentials/{pmp.id}").get_data(as_text=True)
    counted = section(html, "Activities counted in cycle 2").split("<details", 1)[0]
    assert "Grace period webinar" not in counted
    rows = re.findall(r'data-label="Activities" class="text-end">(\d+)<', html)
    assert rows == ["0", "3"]  # newest cycle first: cycle 2 counts none, cycle 1 all three

    for number, expected in ((1, True), (2, False)):
        _name, buffer = build_audit_pack(pmp, number, clock.today())
        claims_csv = zipfile.ZipFile(buffer).read("claims.csv").decode("utf-8-sig")
        assert ("Grace period webinar" in claims_csv) is expected


def test_bar_and_sentence_name_the_area_that_binds():
    """Education 35 of 35 with Power Skills 1 short: the bar said "1 to go" beside a sentence
    that asked for "1 more Power Skills PDU" and never said Education."""
    from tests.unit.test_compliance import CYCLE, PMP, edu, gb

    claims = [edu(1, date(2024, 6, 1), 20, 7, 8), gb(2, date(2025, 6, 1), 25)]
    result = services.compliance.evaluate(PMP, CYCLE, claims, date(2026, 11, 25))
    assert result.remaining.total == 1
    meter = next(m for m in cards.category_meters(result) if m.label == "Education")
    assert meter.caption == "35 of 35 minimum · 1 to go in Power Skills"
    assert result.next_step == "Log 1 more Education PDU in Power Skills by 1 March 2027."


def test_pdus_applied_opens_the_holders_list_read_only(client, login, make, people, catalog):
    """On a team member's card it used to open the viewer's own (empty) list."""
    member = people["practitioner"]
    pmp = make.credential(member)
    make.activity(member, pmp, title="Member's own course")
    db.session.commit()
    login(people["pmo"])
    page = client.get(f"/people/{member.id}").get_data(as_text=True)
    link = re.search(r'href="(/pdus\?[^"]+)">PDUs applied', page).group(1).replace("&amp;", "&")
    assert f"person={member.id}" in link and f"credential={pmp.id}" in link
    listing = client.get(link).get_data(as_text=True)
    assert "Member&#39;s own course" in listing or "Member's own course" in listing
    assert "Read only" in listing and "Log PDUs</a>" not in listing
    login(people["outsider"])
    assert client.get(link).status_code == 404


def test_an_early_renewal_shows_the_next_cycle_with_its_start(client, login, make, people):
    """The not-yet-started cycle was labelled current, with "1357 days left"."""
    me = people["practitioner"]
    pmp = make.credential(me)  # cycle 1: 1 March 2024 to 1 March 2027
    education(make, me, pmp, date(2026, 6, 1), 20, 10, 10)
    giving_back(make, me, pmp, date(2026, 7, 1), 25)
    services.renew(pmp, clock.today(), actor=me, today=clock.today())
    db.session.commit()
    card = cards.credential_card(services.view(pmp, clock.today()))
    assert card.cycle_label == "Cycle 1" and "1357" not in card.days_left
    assert card.next_step == "Renewed on 25 November 2026: cycle 2 starts 2 March 2027."
    assert card.facts == [  # 65 logged in the final 12 months, 60 required
        "Cycle 2 runs from 2 March 2027 to 1 March 2030, with 5 PDUs carried in."
    ]
    login(me)
    html = client.get(f"/credentials/{pmp.id}").get_data(as_text=True)
    assert "next, from 2 March 2027" in html and "Next cycle" in html
    with clock.pinned(date(2027, 3, 2)):  # the day it starts, it is the current one
        card = cards.credential_card(services.view(pmp, clock.today()))
        assert card.cycle_label == "Cycle 2"
        assert "5 PDUs carried in from the last cycle" in card.facts


# --- §6: what a practitioner still has to do ---------------------------------------------


def test_home_lists_drafts_unreported_claims_and_claims_without_evidence(
    client, login, make, people, catalog
):
    me = people["practitioner"]
    pmp = make.credential(me)
    make.activity(me, pmp, title="Half-written draft", status="draft")
    bare = make.activity(me, pmp, title="Claimed, no file, not reported")
    done = make.activity(me, pmp, title="Reported with a file", reported_on=date(2025, 6, 1))
    db.session.add(EvidenceFile(activity_id=done.id, original_name="c.png", stored_name="x.png",
                                content_type="image/png", size=1, sha256="0" * 64))  # fmt: skip
    db.session.commit()
    login(me)
    html = section(client.get("/").get_data(as_text=True), "Still to do with your claims")
    assert "Drafts not yet claimed" in html and "Half-written draft" in html
    todo = section(client.get("/").get_data(as_text=True), "Not yet reported to the issuer")
    assert bare.title in todo and done.title not in todo
    assert "Without evidence" in html and done.title not in html.split("Without evidence")[1]


def test_the_to_do_counts_every_claim_and_lists_the_newest_of_each_kind_in_one_statement(
    make, people, catalog, count_queries
):
    me = people["practitioner"]
    pmp = make.credential(me)
    drafts = [
        make.activity(me, pmp, title=f"Draft {i}", status="draft",
                      completed_on=date(2026, 1, 1) + timedelta(days=i))
        for i in range(7)
    ]  # fmt: skip
    bare = make.activity(me, pmp, title="Claimed, no file, not reported")
    db.session.commit()
    person_id = me.id
    with count_queries() as counted:
        found = todo(person_id, limit=5)
    assert counted() == 1
    assert found.counts == {"drafts": 7, "unreported": 1, "without_evidence": 1}
    assert [a.title for a in found.drafts] == [d.title for d in reversed(drafts)][:5]
    # one claim in two kinds is listed in both
    assert [a.id for a in found.unreported] == [bare.id]
    assert [a.id for a in found.without_evidence] == [bare.id]
    assert todo(people["hr"].id).empty


def test_a_claim_above_a_cap_is_warned_on_its_page_and_when_saved(
    client, login, make, people, catalog
):
    me = people["practitioner"]
    pmp = make.credential(me)
    db.session.commit()
    login(me)
    response = client.post("/pdus/new", data={
        "title": "Chapter dinner talk", "activity_type": "organization_meeting",
        "completed_on": "2026-10-01", "pdus": "3", "ways_of_working": "3",
        "credential_ids": [str(pmp.id)],
    }, follow_redirects=True)  # fmt: skip
    html = response.get_data(as_text=True)
    warning = "Organization Meetings count at most 2 PDUs each: 1 of these 3 will not count."
    assert html.count(warning) == 2  # the flash after saving, and the claim's own page
    form = client.get("/pdus/new").get_data(as_text=True)
    assert 'id="cap-warning"' in form and "organization_meeting" in form  # the live warning


def test_the_log_form_takes_evidence_in_the_same_step(client, login, make, people, catalog):
    me = people["practitioner"]
    pmp = make.credential(me)
    db.session.commit()
    login(me)
    data = {
        "title": "Course with certificate", "activity_type": EDU, "completed_on": "2026-10-01",
        "pdus": "2", "ways_of_working": "2", "credential_ids": [str(pmp.id)],
        "evidence": [(io.BytesIO(PNG), "certificate.png"), (io.BytesIO(PNG), "receipt.png")],
    }  # fmt: skip
    response = client.post("/pdus/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    names = sorted(db.session.scalars(select(EvidenceFile.original_name)))
    assert names == ["certificate.png", "receipt.png"]


def test_a_bad_file_in_the_log_form_saves_nothing(client, login, make, people, catalog, app):
    me = people["practitioner"]
    pmp = make.credential(me)
    db.session.commit()
    login(me)
    data = {
        "title": "Course with a bad file", "activity_type": EDU, "completed_on": "2026-10-01",
        "pdus": "2", "ways_of_working": "2", "credential_ids": [str(pmp.id)],
        "evidence": [(io.BytesIO(PNG), "good.png"), (io.BytesIO(b"<html>"), "bad.png")],
    }  # fmt: skip
    response = client.post("/pdus/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 415
    assert "Evidence must be a PDF, PNG or JPEG file." in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(PduActivity)) == 0
    assert db.session.scalar(select(func.count()).select_from(EvidenceFile)) == 0
    assert not list(Path(app.config["UPLOAD_FOLDER"]).glob("*"))  # the good file went too


def test_cards_come_in_order_of_urgency(make, people, catalog):
    """Suspended first, then behind, then complete; not by the date earned."""
    me = people["practitioner"]
    today = clock.today()
    complete = make.credential(me, "PgMP", earned_on=today - timedelta(days=100))
    suspended = make.credential(me, "PMP", earned_on=clock.add_years(today, -3) - timedelta(30))
    behind = make.credential(me, "CAPM", earned_on=today - timedelta(days=700))
    education(make, me, complete, today - timedelta(days=10), 20, 20, 20)
    giving_back(make, me, complete, today - timedelta(days=9), 25)
    db.session.commit()
    views = services.views_of(services.person_credentials(me.id), today)
    ordered = [card.credential.id for card in cards.cards_by_urgency(views)]
    assert ordered == [suspended.id, behind.id, complete.id]


def test_cycle_dates_are_written_in_prose_on_pages(client, login, make, people, catalog):
    me = people["practitioner"]
    pmp = make.credential(me)
    db.session.commit()
    login(me)
    html = client.get(f"/credentials/{pmp.id}").get_data(as_text=True)
    assert text.day(date(2027, 3, 1)) == "1 March 2027"
    shown = re.sub(r'(value|href)="[^"]*"', "", html.split("<main", 1)[1])
    assert "1 March 2027" in shown and "2027-03-01" not in shown
