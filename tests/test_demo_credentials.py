"""The demo's credentials and PDU histories (``pmolearn.demo.credentials``), on the real seeds."""

from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from pmolearn.catalog.models import Certification
from pmolearn.clock import add_years
from pmolearn.credentials import services
from pmolearn.credentials.cycles import cycle_end, grace_end
from pmolearn.credentials.models import Credential, CredentialCycle
from pmolearn.demo.generator import build_demo
from pmolearn.extensions import db
from pmolearn.pdus.models import PduActivity, pdu_applications
from pmolearn.people.models import Person

TODAY = date(2026, 11, 25)  # API.md's example date
STATUSES = ("active", "suspended", "expired", "retired")


def build(seed: int = 3, today: date = TODAY, staff: int = 120):
    summary = build_demo(staff=staff, seed=seed, today=today)
    db.session.commit()
    return summary


def person(email: str) -> Person:
    return db.session.scalar(select(Person).where(Person.email == email))


def all_views(as_of: date) -> list[tuple[Person, services.CredentialView]]:
    people = db.session.scalars(select(Person).order_by(Person.id)).all()
    return [(p, view) for p in people for view in views_of(p, as_of)]


def views_of(holder: Person, as_of: date) -> list[services.CredentialView]:
    return services.views_of(services.person_credentials(holder.id), as_of)


@pytest.mark.parametrize("today", [TODAY, date(2028, 2, 29), date(2026, 3, 2)])
def test_the_practitioner_holds_an_active_pmp_at_risk_with_a_clear_next_step(app, catalog, today):
    build(today=today)
    views = views_of(person("practitioner@example.com"), today)
    assert [v.credential.certification.code for v in views] == ["PMP"]
    view = views[0]
    assert view.status == "active"
    assert view.credential.number == "3141592"
    compliance = view.compliance
    assert compliance.status == "at_risk"
    assert compliance.remaining.total > 0
    assert "Power Skills" in compliance.next_step
    assert 0 < compliance.days_left <= 100
    body = compliance.to_dict()  # the shape of API.md's example credential
    assert (body["earned"], body["applied"]) == (47.5, 44.0)
    assert body["by_category"]["education"]["applied"] == 30.0
    assert body["by_category"]["giving_back"] == {
        "earned": 17.5,
        "applied": 14.0,
        "min": 0,
        "max": 25,
    }
    assert body["remaining"]["total"] == 16.0
    assert body["remaining"]["areas"]["power_skills"] == 2.0
    drafts = [a for a in view.claims if a.status == "draft"]
    assert drafts and all(a.completed_on <= today for a in drafts)


def test_the_pmo_head_holds_pmp_complete_and_pgmp_and_sees_a_mixed_team(app, catalog):
    build()
    pmo = person("pmo@example.com")
    views = {v.credential.certification.code: v for v in views_of(pmo, TODAY)}
    assert {"PMP", "PgMP"} <= set(views)
    assert views["PMP"].status == "active"
    assert views["PMP"].compliance.status == "complete"
    assert len(views["PMP"].credential.cycles) >= 2  # renewed before
    team = [
        view
        for p, view in all_views(TODAY)
        if p.org_unit.path.startswith(pmo.org_unit.path) and p.id != pmo.id
    ]
    assert {"active", "suspended"} <= {v.status for v in team}
    assert "behind" in {v.compliance.status for v in team if v.compliance}


def test_every_status_is_present_and_counted(app, catalog):
    summary = build()
    views = all_views(TODAY)
    statuses = Counter(view.status for _, view in views)
    assert all(statuses[s] > 0 for s in STATUSES), statuses
    assert summary.counts["credentials"] == len(views)
    for status in STATUSES:
        assert summary.counts[f"credentials_{status}"] == statuses[status]
    assert all(v.credential.retired_on for _, v in views if v.status == "retired")
    pmp = Counter(
        v.compliance.status
        for _, v in views
        if v.credential.certification.code == "PMP" and v.compliance
    )
    assert {"complete", "behind", "grace"} <= set(pmp), pmp
    assert pmp["on_track"] + pmp["at_risk"] > 0, pmp
    codes = Counter(v.credential.certification.code for _, v in views)
    assert codes["PMP"] == max(codes.values())  # most project and PMO managers hold a PMP
    assert {"CAPM", "PMI-ACP"} <= set(codes)
    counts = summary.counts
    assert counts["credential_cycles"] == db.session.scalar(
        select(func.count()).select_from(CredentialCycle)
    )
    assert counts["pdu_activities"] == db.session.scalar(
        select(func.count()).select_from(PduActivity)
    )
    assert counts["pdu_applications"] == db.session.scalar(
        select(func.count()).select_from(pdu_applications)
    )


def test_cycles_follow_the_catalog_and_renewed_cycles_were_complete(app, catalog):
    build()
    for _, view in all_views(TODAY):
        credential = view.credential
        cycles = credential.cycles
        assert cycles[0].start == credential.earned_on
        for number, cycle in enumerate(cycles, start=1):
            assert cycle.number == number
            assert cycle.policy_id == credential.certification.policy_on(cycle.start).id
            if cycle.policy is None or cycle.policy.cycle_years is None:
                assert cycle.end is None
        if cycles[0].end is not None:
            assert cycles[0].end == cycle_end(cycles[0].start, cycles[0].policy.cycle_years)
        for previous, cycle in zip(cycles, cycles[1:], strict=False):
            assert previous.renewed_on is not None and previous.renewed_on <= previous.end
            assert previous.renewed_on <= TODAY
            assert (cycle.start - previous.end).days == 1
            assert cycle.end == add_years(previous.end, cycle.policy.cycle_years)
            renewal = services.evaluate_cycle(
                credential, previous, view.claims, previous.renewed_on
            )
            # None: the PDU rules are unconfirmed (SAFe SPC), so renewal was not judged
            assert renewal is None or renewal.is_complete, (
                credential.certification.code,
                previous.start,
            )
        assert cycles[-1].renewed_on is None
        last_day = grace_end(cycles[-1].end, cycles[-1].grace_months) if cycles[-1].end else None
        if view.status == "suspended":
            assert cycles[-1].end < TODAY <= last_day
        if view.status == "expired":
            assert last_day < TODAY


def test_activities_are_well_formed(app, catalog):
    build()
    types = {
        t.code: t.category
        for t in db.session.scalar(select(Certification).where(Certification.code == "PMP"))
        .policy_on(TODAY)
        .activity_types
    }
    activities = db.session.scalars(select(PduActivity)).all()
    assert len(activities) > 200
    quarter = Decimal("0.25")
    for activity in activities:
        split = activity.ways_of_working + activity.power_skills + activity.business_acumen
        assert activity.category == types[activity.activity_type]
        if activity.category == "education":
            assert split == activity.pdus, activity.title
        else:
            assert split == 0, activity.title
        assert activity.pdus > 0 and activity.pdus % quarter == 0
        assert all(v % quarter == 0 for v in activity.areas.values())
        assert activity.completed_on <= TODAY
        assert activity.reported_on is None or activity.completed_on <= activity.reported_on
        assert activity.reported_on is None or activity.reported_on <= TODAY
        if activity.activity_type == "organization_meeting":
            assert activity.pdus <= 2
    statuses = Counter(a.status for a in activities)
    assert statuses["claimed"] + statuses["approved"] > 0.8 * len(activities)
    assert statuses["draft"] > 0
    providers = {a.provider_id for a in activities if a.provider_id}
    assert providers and all(p.startswith("ATP-") for p in providers)


def test_every_application_links_an_activity_to_a_credential_of_its_person(app, catalog):
    build()
    rows = db.session.execute(
        select(PduActivity, Credential)
        .join(pdu_applications, pdu_applications.c.activity_id == PduActivity.id)
        .join(Credential, Credential.id == pdu_applications.c.credential_id)
    ).all()
    assert rows
    for activity, credential in rows:
        assert activity.person_id == credential.person_id
        assert credential.earned_on <= activity.completed_on
        last = credential.latest_cycle
        if last.end is not None:
            assert activity.completed_on <= grace_end(last.end, last.grace_months)
        if credential.retired_on:
            assert activity.completed_on <= credential.retired_on
    shared = Counter(activity.id for activity, _ in rows)
    assert max(shared.values()) > 1  # PMI lets one activity count for several credentials
    unapplied = db.session.scalar(
        select(func.count())
        .select_from(PduActivity)
        .where(~PduActivity.id.in_(select(pdu_applications.c.activity_id)))
    )
    assert unapplied == 0


def snapshot() -> tuple[list[tuple], list[tuple]]:
    credentials = db.session.execute(
        select(Person.email, Certification.code, Credential.earned_on, Credential.number)
        .join(Person, Person.id == Credential.person_id)
        .join(Certification, Certification.id == Credential.certification_id)
        .order_by(Credential.id)
    ).all()
    activities = db.session.execute(
        select(PduActivity.title, PduActivity.completed_on, PduActivity.pdus).order_by(
            PduActivity.id
        )
    ).all()
    return [tuple(r) for r in credentials], [tuple(r) for r in activities]


def test_the_same_seed_gives_the_same_credentials_and_activities(app, catalog):
    build(seed=3)
    first = snapshot()
    build(seed=3)
    assert snapshot() == first
    assert first[0] and first[1]
    build(seed=4)
    assert snapshot() != first


def test_without_a_catalog_the_demo_builds_without_credentials(app, empty_catalog):
    summary = build()
    assert summary.counts["people"] == 120
    assert "credentials" not in summary.counts
    for model in (Credential, CredentialCycle, PduActivity):
        assert db.session.scalar(select(func.count()).select_from(model)) == 0
