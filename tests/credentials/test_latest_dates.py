"""A credential keeps its newest cycle's end and grace end (what its status turns on), and the
renewals due rank statuses in SQL from them: both must say what ``cycles`` says."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Date, literal, select

from pmolearn import clock
from pmolearn.catalog.models import RenewalPolicy
from pmolearn.cli import load_seeds
from pmolearn.credentials import cycles, queries, services
from pmolearn.credentials.models import Credential
from pmolearn.extensions import db
from tests.conftest import SEEDS


def test_a_new_credential_and_a_renewal_keep_the_latest_dates(make, people, catalog):
    me = people["practitioner"]
    pmp = make.credential(me, earned_on=date(2023, 1, 10))
    db.session.commit()
    assert (pmp.latest_end, pmp.latest_grace_end) == (date(2026, 1, 10), date(2027, 1, 10))
    assert cycles.latest_dates(pmp.cycle_dates) == (pmp.latest_end, pmp.latest_grace_end)

    # A complete cycle renewed in its grace period: the dates move to the new cycle.
    for n in range(4):
        make.activity(me, pmp, completed_on=date(2025, 1, 5 + n), pdus="15",
                      areas={"ways_of_working": "5", "power_skills": "5",
                             "business_acumen": "5"})  # fmt: skip
    services.renew(pmp, date(2026, 6, 1), actor=me, today=clock.today())
    db.session.commit()
    stored = db.session.execute(
        select(Credential.latest_end, Credential.latest_grace_end).where(Credential.id == pmp.id)
    ).one()
    assert tuple(stored) == (date(2029, 1, 10), date(2030, 1, 10))


def test_a_credential_without_a_known_cycle_end_keeps_none(make, people, catalog):
    """PMI-PMOCP's renewal rules are unconfirmed: no end, so always active."""
    me = people["practitioner"]
    found = make.credential(me, code="PMI-PMOCP", earned_on=date(2026, 1, 5))
    db.session.commit()
    assert (found.latest_end, found.latest_grace_end) == (None, None)


days = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    end=st.one_of(st.none(), days),
    grace=st.integers(0, 24),
    offset=st.integers(-400, 800),
    retired=st.one_of(st.none(), st.integers(-30, 30)),
)
def test_the_sql_status_and_rank_agree_with_cycles_on_every_day(app, end, grace, offset, retired):
    """``queries.status_sql`` (and ``_urgency``, its rank) is ``cycles.status_between`` in SQL:
    the same status on any day, boundaries included (the last day of a cycle, of its grace
    period, the day after, and the day of a retirement)."""
    grace_last = cycles.grace_end(end, grace) if end else None
    on = (end or date(2025, 6, 1)) + timedelta(days=offset)
    retired_on = None if retired is None else on + timedelta(days=retired)
    status, rank = db.session.execute(
        select(
            queries.status_sql(
                literal(end, Date), literal(grace_last, Date), literal(retired_on, Date)
            ),
            queries._urgency(literal(end, Date), literal(grace_last, Date)),
        ),
        {"today": on},
    ).one()
    assert status == cycles.status_between(end, grace_last, on, retired_on=retired_on)
    assert rank == queries.URGENCY[cycles.status_between(end, grace_last, on)]


@pytest.mark.parametrize("offset", [-1, 0, 1])
def test_the_renewals_due_count_each_status_at_its_boundaries(make, people, catalog, offset):
    """The cycle ends on 10 January 2026, its grace on 10 January 2027: on, just before and
    just after each boundary the counts and the row say what ``cycles`` says."""
    me, pmo = people["practitioner"], people["pmo"]
    pmp = make.credential(me, earned_on=date(2023, 1, 10))
    db.session.commit()
    for boundary in (pmp.latest_end, pmp.latest_grace_end):
        on = boundary + timedelta(days=offset)
        found = queries.due_renewals(pmo, on, within_days=90, limit=10)
        status = cycles.credential_status(pmp.cycle_dates, on)
        assert found.counts == {s: int(s == status) for s in queries.URGENCY}
        assert [(d.credential_id, d.status) for d in found.rows] == [(pmp.id, status)]


def test_a_changed_grace_period_moves_the_stored_grace_end(empty_catalog, make, people):
    """A seed that changes a policy's grace period (here, the ORM row) moves the grace end kept
    by every credential whose newest cycle it judges; statuses everywhere agree again."""
    load_seeds(SEEDS)
    db.session.commit()
    me, pmo = people["practitioner"], people["pmo"]
    pmp = make.credential(me, earned_on=date(2023, 1, 10))  # ended 10 January 2026
    db.session.commit()
    assert pmp.latest_grace_end == date(2027, 1, 10)
    policy = db.session.get(RenewalPolicy, pmp.latest_cycle.policy_id)
    policy.grace_months = 6
    db.session.commit()
    stored = db.session.scalar(select(Credential.latest_grace_end).where(Credential.id == pmp.id))
    assert stored == date(2026, 7, 10)
    db.session.expire_all()
    today = clock.today()  # 25 November 2026: past the shorter grace period
    assert cycles.credential_status(pmp.cycle_dates, today) == cycles.EXPIRED
    found = queries.due_renewals(pmo, today, within_days=90, limit=10)
    assert found.counts[cycles.EXPIRED] == 1
    assert queries.held_by([me.id], today)[me.id][0].status == cycles.EXPIRED
