"""Demo credentials and PDU histories: ``build_credentials``, one of the demo's extra builders.

The builder works in three phases, each a module: ``planning`` (who holds what, with which
fate), ``activities`` (PDU activities that reach each target, named by ``stories``) and
``rows`` (the bulk insert). ``tables`` holds the data they draw from, ``plans`` what they plan.

Who holds what follows the job title (``HOLDINGS``): most project, programme and PMO managers
hold a PMP, programme and portfolio leads add PgMP or PfMP, juniors hold a CAPM, agile roles
PMI-ACP or SAFe SPC, a few PMO people the new PMI-PMOCP (its renewal rules are unconfirmed, so
its cycle has no end) or the legacy PMO-CP.

Every credential is planned from its intended *fate* (``active``, ``suspended``, ``expired``,
``retired``): the earned date is chosen so that the latest cycle ends where that fate needs it
(suspended: within the 12-month grace period before ``today``; expired: beyond it); earlier
cycles were renewed (``renewed_on`` set, carry-over computed by the compliance engine), and the
latest one gets a compliance *target* (``complete``, ``on_track``, ``at_risk``, ``behind``,
``grace``, ``lapsed``). PDU activities are then generated per person to reach those targets:
amounts in quarters, Education split across the three Talent Triangle areas exactly, caps
respected (except where a sign-in's story needs a capped claim), dates inside the cycle and
never after ``today``. Each activity is applied to every PMI credential of its person whose
cycles contain its date, as PMI allows.

The sign-ins tell a story: ``practitioner@`` holds an active PMP whose cycle ends in 96 days
with API.md's example history (at risk: 2 Power Skills PDUs short); ``pmo@`` holds PMP (complete)
and PgMP; the first PMP holders of the Enterprise PMO are suspended, behind and expired, so the
PMO head sees a mixed team.

Deterministic: one random stream of its own (``ctx.stream("credentials")``), ``ctx.today`` for
every date and timestamp, ids assigned here from ``ctx.next_id``. Everything is inserted in bulk.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from pmolearn.catalog.models import Certification, RenewalPolicy
from pmolearn.credentials.models import Credential
from pmolearn.demo.credentials.activities import ActivityWriter
from pmolearn.demo.credentials.planning import Planner
from pmolearn.demo.credentials.plans import Activity, CredentialPlan, Rules
from pmolearn.demo.credentials.rows import RowWriter
from pmolearn.demo.credentials.stories import StoryTeller
from pmolearn.demo.credentials.tables import PRACTITIONER_NUMBER, STREAM
from pmolearn.extensions import db
from pmolearn.pdus.models import PduActivity

if TYPE_CHECKING:  # for annotations only
    import random

    from pmolearn.demo.context import DemoContext


def build_credentials(ctx: DemoContext) -> dict[str, int]:
    """Give people certifications and PDU histories; {} when the catalog is not seeded."""
    certifications = _load_catalog()
    if "PMP" not in certifications:
        return {}
    builder = _Builder(ctx, certifications)
    builder.plan()
    builder.generate_activities()
    return builder.insert()


def _load_catalog() -> dict[str, Certification]:
    """Certifications with their policies and activity types, in one statement."""
    rows = db.session.scalars(
        select(Certification).options(
            joinedload(Certification.policies).joinedload(RenewalPolicy.activity_types)
        )
    ).unique()
    return {c.code: c for c in rows}


class _Builder(Planner, ActivityWriter, StoryTeller, RowWriter):
    """The three phases of ``build_credentials`` over one shared state."""

    def __init__(self, ctx: DemoContext, certifications: dict[str, Certification]) -> None:
        self.ctx = ctx
        self.today = ctx.today
        self.rng: random.Random = ctx.stream(STREAM)
        self.certifications = certifications
        self.rules: dict[int, Rules | None] = {}
        self.company = ctx.units[0].name
        self.credentials: list[CredentialPlan] = []
        self.by_person: dict[int, list[CredentialPlan]] = {}
        self.activities: dict[int, list[Activity]] = {}
        self.numbers: set[str] = {PRACTITIONER_NUMBER}
        self.next_credential_id = ctx.next_id(Credential)
        self.next_activity_id = ctx.next_id(PduActivity)
