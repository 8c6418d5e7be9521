"""The authorization matrix, generated from the URL map so that a new route is covered without
anyone remembering: every route that takes an object's id × every access role × an object
outside that role's scope answers 404 (403 where the route is closed to the role), and it does
so before the body is validated (every write is sent a body that would be refused).

The objects belong to the outsider (Finance), whom a practitioner and a PMO head in the PMO
cannot see; HR and admins see everyone, so for them the objects are ones that are nobody's but
another person's own (an inbox item, an API token), which answer 404 to all.
"""

from __future__ import annotations

import io
from datetime import date

import pytest

from pmolearn.accounts.services import create_token
from pmolearn.credentials.services import add_credential
from pmolearn.extensions import db
from pmolearn.pdus import services as pdus
from pmolearn.pdus.models import EvidenceFile
from pmolearn.reminders.models import Reminder
from pmolearn.study import background
from pmolearn.study.pursuits import start_pursuit
from pmolearn.study.sessions import log_session

TODAY = date(2026, 11, 25)
ROLES = ("practitioner", "pmo", "hr", "admin")
#: Routes whose objects everybody in scope may reach by design (a catalog code, a report name)
#: or that take a secret instead of an id (public links): not object lookups.
NOT_OBJECTS = {
    "api_catalog.get_certification",
    "catalog.show",
    "api_reports.run_report",
    "reports.show",
    "skills.edit_role",
    "reminders.calendar_feed",
    "reminders.unsubscribe",
    "accounts.reset_password",
    "accounts.welcome",
    "skills.export",
    "static",
    "bootstrap.static",
}
#: Arguments that are not ids of a person's records.
NOT_IDS = {"kind", "code", "name", "fmt", "token", "filename"}
#: Objects that only their owner may reach (even HR and admins get 404).
OWN_ONLY = {"reminder_id", "token_id"}


@pytest.fixture
def world(people, catalog, tmp_path):
    """Every kind of record, owned by the outsider."""
    owner = people["outsider"]
    credential = add_credential(owner, "PMP", "9999", date(2024, 3, 1), actor=owner, today=TODAY)
    activity = pdus.log_activity(
        owner,
        {
            "title": "Course",
            "activity_type": "course",
            "completed_on": date(2025, 5, 1),
            "pdus": "2",
            "areas": {"ways_of_working": "2"},
            "credential_ids": [credential.id],
        },
        actor=owner,
        today=TODAY,
    )
    evidence = EvidenceFile(
        activity_id=activity.id,
        original_name="e.pdf",
        stored_name="x",
        content_type="application/pdf",
        size=4,
        sha256="0" * 64,
    )
    db.session.add(evidence)
    pursuit = start_pursuit(
        owner,
        {"certification": "PgMP", "target_exam_on": date(2027, 6, 1), "weekly_hours": "5"},
        actor=owner,
        today=TODAY,
    )
    session = log_session(
        pursuit,
        {"studied_on": TODAY, "minutes": 30, "domain": pursuit.domains[0].name, "kind": "reading"},
        actor=owner,
        today=TODAY,
    )
    entry = background.add_experience(
        owner,
        {"title": "ERP", "kind": "project", "started_on": date(2020, 1, 1)},
        actor=owner,
        today=TODAY,
    )
    reminder = Reminder(
        person_id=owner.id,
        subject_type="credential",
        subject_id=credential.id,
        kind="renewal",
        due_on=TODAY,
        channel="inbox",
        title="t",
        body="b",
        link="/",
    )
    db.session.add(reminder)
    token, _plain = create_token(owner, "theirs")
    db.session.commit()
    return {
        "person_id": owner.id,
        "credential_id": credential.id,
        "activity_id": activity.id,
        "file_id": evidence.id,
        "pursuit_id": pursuit.id,
        "session_id": session.id,
        "entry_id": entry.id,
        "reminder_id": reminder.id,
        "token_id": token.id,
        "unit_id": owner.org_unit_id,
    }


def object_routes(app):
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, sorted(r.methods))):
        ids = [a for a in rule.arguments if a not in NOT_IDS]
        if rule.endpoint in NOT_OBJECTS or not ids:
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method, ids


def path_of(rule, values: dict) -> str:
    path = rule.rule
    for arg in rule.arguments:
        value = values.get(arg, "experience" if arg == "kind" else "x")
        path = path.replace(f"<int:{arg}>", str(value)).replace(f"<{arg}>", str(value))
    return path


def expected(app, rule, who: str, people) -> set[int]:
    """404 for an object out of scope; 403 where the route is closed to the role."""
    view = app.view_functions[rule.endpoint]
    allowed = view.access_rule.roles
    roles = people[who].role_codes
    if allowed and not (allowed & roles):
        return {403, 404}
    return {404}


@pytest.mark.parametrize("who", ROLES)
def test_every_object_route_answers_404_out_of_scope_before_reading_the_body(
    app, client, people, login, bearer, world, who
):
    sees_everyone = who in ("hr", "admin")
    login(people[who])
    headers = bearer(who)
    checked, problems = 0, []
    for rule, method, ids in object_routes(app):
        if sees_everyone and not set(ids) & OWN_ONLY and "unit_id" not in ids:
            continue  # HR and admins may see the outsider: nothing here is out of their scope
        if sees_everyone and "unit_id" in ids:
            continue
        path = path_of(rule, world)
        api = path.startswith("/api/")
        kwargs = {"headers": headers} if api else {}
        if method in ("POST", "PUT", "PATCH"):
            if api:
                kwargs["json"] = {"certainly": "not valid", "level": "x", "title": ""}
            else:
                kwargs["data"] = {"file": (io.BytesIO(b"x"), "x.exe"), "minutes": "-1"}
        response = client.open(path, method=method, **kwargs)
        checked += 1
        if response.status_code not in expected(app, rule, who, people):
            problems.append(f"{who} {method} {path} -> {response.status_code}")
    assert checked >= (2 if sees_everyone else 40)
    assert problems == []


def test_the_matrix_covers_every_route_with_an_id(app):
    """A new route with an id is in the matrix unless it is listed here as not an object."""
    covered = {rule.endpoint for rule, _m, _ids in object_routes(app)}
    with_ids = {
        r.endpoint
        for r in app.url_map.iter_rules()
        if set(r.arguments) - NOT_IDS and r.endpoint not in NOT_OBJECTS
    }
    assert with_ids == covered


#: Writes whose permission depends on the body (a self or a manager assessment).
BODY_DECIDES = {"api_capability.assess", "skills.person"}


@pytest.mark.parametrize("who", ["pmo", "hr"])
def test_a_write_a_role_may_never_make_is_403_before_the_body(app, client, people, bearer, who):
    """A PMO head and HR see the practitioner but may not change their records."""
    headers = bearer(who)
    values = {"person_id": people["practitioner"].id}
    problems = []
    for rule, method, ids in object_routes(app):
        if ids != ["person_id"] or not rule.rule.startswith("/api/") or method == "GET":
            continue
        if rule.endpoint in BODY_DECIDES:
            continue
        response = client.open(
            path_of(rule, values), method=method, headers=headers, json={"certainly": "not valid"}
        )
        if response.status_code != 403:
            problems.append(f"{who} {method} {rule.rule} -> {response.status_code}")
    assert problems == []
