"""What PMO heads and HR see about their people: due renewals, badges, credential cards."""

from __future__ import annotations

from datetime import date, timedelta

from pmolearn.clock import add_years, today
from pmolearn.credentials import services
from pmolearn.extensions import db


def hold(person, code: str, earned_on: date):
    credential = services.add_credential(person, code, "1", earned_on, actor=person, today=today())
    db.session.commit()
    return credential


def test_home_lists_due_and_suspended_renewals_in_scope(client, people, login, catalog):
    now = today()
    hold(people["colleague"], "PMP", add_years(now + timedelta(days=30), -3))
    hold(people["practitioner"], "CAPM", add_years(now - timedelta(days=40), -3))
    hold(people["outsider"], "PMP", add_years(now + timedelta(days=10), -3))
    hold(people["pmo"], "PMP", add_years(now + timedelta(days=400), -3))
    login(people["pmo"])
    html = client.get("/").get_data(as_text=True)
    assert "Renewals due within 90 days" in html
    assert people["colleague"].name in html and "due soon" in html
    assert people["practitioner"].name in html and "suspended" in html
    assert people["outsider"].name not in html  # outside the PMO subtree
    login_as_hr = client.post("/logout")
    assert login_as_hr.status_code == 302
    login(people["hr"])
    assert people["outsider"].name in client.get("/").get_data(as_text=True)


def test_expired_credentials_are_in_the_renewals_table(client, people, login, catalog):
    """An expired credential is overdue for good: it stays in the table (after the suspended
    and due ones) until its holder earns the certification again."""
    now = today()
    hold(people["colleague"], "PMP", add_years(now - timedelta(days=500), -3))
    login(people["pmo"])
    html = client.get("/").get_data(as_text=True)
    assert people["colleague"].name in html
    assert ">expired</span>" in html
    assert "1 expired" in html


def test_grace_comes_from_the_policy_not_a_fixed_year(client, people, login, catalog):
    """SAFe SPC's grace period is unknown (none): ended 10 days ago, it has expired, though a
    PMI credential would be suspended for 12 months (S41)."""
    now = today()
    hold(people["colleague"], "SAFe-SPC", add_years(now - timedelta(days=10), -1))
    hold(people["practitioner"], "PMP", add_years(now - timedelta(days=10), -3))
    login(people["pmo"])
    html = client.get("/").get_data(as_text=True)
    rows = {
        line.split("</a>")[0].rsplit(">", 1)[-1]: line
        for line in html.split("<tr>")[1:]
        if "team.person" in line or "/people/" in line
    }
    assert ">expired<" in rows[people["colleague"].name]
    assert ">suspended<" in rows[people["practitioner"].name]


def test_practitioner_home_has_no_team_panel(client, people, login, catalog):
    login(people["practitioner"])
    assert "Renewals due within" not in client.get("/").get_data(as_text=True)


def test_people_list_shows_certification_badges(client, people, login, catalog, count_queries):
    hold(people["colleague"], "PMP", date(2024, 3, 1))
    hold(people["practitioner"], "CAPM", date(2020, 1, 1))
    login(people["pmo"])
    with count_queries() as few:
        html = client.get("/people").get_data(as_text=True)
    assert "PMP · 1 March 2027</span>" in html  # active: the cycle end beside it
    assert "CAPM · expired" in html
    wrappable = people["colleague"].email.replace("@", "@<wbr>")
    assert f">{wrappable}</td>" in html  # a narrow column wraps it at its parts
    for n in range(6):
        hold(
            people["colleague"] if n % 2 else people["pmo"],
            ["PMI-ACP", "PgMP", "PfMP"][n // 2],
            date(2024, 1, 1) + timedelta(days=n),
        )
    with count_queries() as more:
        client.get("/people")
    assert few() == more()


def test_person_page_shows_credential_cards(client, people, login, catalog):
    hold(people["colleague"], "PMP", date(2024, 3, 1))
    login(people["pmo"])
    html = client.get(f"/people/{people['colleague'].id}").get_data(as_text=True)
    assert "Project Management Professional" in html
    assert "of 60 PDUs" in html


def test_a_filter_that_makes_no_sense_is_named_and_ignored(client, people, login, catalog):
    """Each bad filter gets its message and a 422, and the rest of the directory still shows.
    An org unit outside the viewer's scope reads exactly like one that does not exist."""
    login(people["hr"])
    for query, message in (
        ("org_unit=999999", "No org unit &#39;999999&#39; in your scope."),
        ("org_unit=abc", "No org unit &#39;abc&#39; in your scope."),
        ("status=zzz", "Unknown status"),
        ("certification=NOPE", "Unknown certification"),
        ("expiring_within=abc", "whole number of days"),
    ):
        response = client.get(f"/people?{query}")
        html = response.get_data(as_text=True).replace("<wbr>", "")  # an email's break points
        assert response.status_code == 422, query
        assert message in html and "outsider@example.org" in html, query
    login(people["pmo"])
    outside = people["outsider"].org_unit_id
    response = client.get(f"/people?org_unit={outside}")
    html = response.get_data(as_text=True).replace("<wbr>", "")
    assert response.status_code == 422 and f"No org unit &#39;{outside}&#39; in your scope." in html
    assert "prac@example.org" in html and "outsider@example.org" not in html
    mine = client.get(f"/people?org_unit={people['pmo'].org_unit_id}")
    assert mine.status_code == 200 and "prac@example.org" in mine.text.replace("<wbr>", "")
