"""Capability gaps by hand-worked cases: effective levels (manager over self, credentials as a
floor only while active), exact gaps, certification groups, readiness, and the next step."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from pmolearn.skills.gap import Assessment, CertGroup, Role, SkillNeed, effective_levels, gap

IMPLIED = {"PMP": {"PRMG": 4, "PROF": 3}, "PgMP": {"PGMG": 6, "PRMG": 5}, "PMI-PMOCP": {"PROF": 4}}
DEFINED = {
    "PRMG": [4, 5, 6, 7],
    "PROF": [2, 3, 4, 5, 6],
    "PGMG": [6, 7],
    "BURM": [2, 3, 4, 5, 6, 7],
}
SENIOR_PM = Role(
    "senior_project_manager",
    "Senior Project Manager",
    (SkillNeed("PRMG", 6), SkillNeed("BURM", 5)),
    (CertGroup("all", "required", ("PMP",)), CertGroup("any", "preferred", ("PMI-ACP", "PgMP"))),
)
D1, D2 = date(2026, 1, 10), date(2026, 6, 1)


def test_the_manager_s_assessment_counts_over_the_person_s_own_the_latest_of_each():
    levels = effective_levels(
        [
            Assessment("BURM", 5, "self", D2),
            Assessment("BURM", 3, "manager", D1),
            Assessment("BURM", 4, "manager", D2),
            Assessment("RLMT", 4, "self", D1),
        ],
        [],
        IMPLIED,
    )
    assert (levels["BURM"].level, levels["BURM"].source) == (4, "manager")
    assert (levels["RLMT"].level, levels["RLMT"].source) == (4, "self")


def test_an_active_credential_is_a_floor_and_only_while_active():
    own = [Assessment("PRMG", 4, "self", D1)]
    with_pgmp = effective_levels(own, ["PMP", "PgMP"], IMPLIED)
    assert (with_pgmp["PRMG"].level, with_pgmp["PRMG"].credential) == (5, "PgMP")
    assert with_pgmp["PGMG"].source == "credential"
    lapsed = effective_levels(own, ["PMP"], IMPLIED)  # the PgMP is no longer active
    assert (lapsed["PRMG"].level, lapsed["PRMG"].source) == (4, "self")
    higher = effective_levels([Assessment("PRMG", 6, "manager", D1)], ["PgMP"], IMPLIED)
    assert (higher["PRMG"].level, higher["PRMG"].source) == (6, "manager")


def test_the_gap_is_exactly_required_minus_actual_never_below_zero():
    result = gap(
        SENIOR_PM,
        [Assessment("PRMG", 4, "manager", D1), Assessment("BURM", 6, "self", D1)],
        ["PMP"],
        IMPLIED,
        DEFINED,
    )
    assert [(s.skill, s.required, s.actual, s.gap) for s in result.skills] == [
        ("PRMG", 6, 4, 2),
        ("BURM", 5, 6, 0),
    ]
    assert [(g.mode, g.met) for g in result.certifications] == [("all", True), ("any", False)]
    # readiness: PRMG 4/6, BURM 1, PMP required 1 -> (2/3 + 1 + 1) / 3
    assert round(result.readiness, 6) == round((2 / 3 + 1 + 1) / 3, 6)
    assert not result.ready and result.total_gap == 2


def test_nothing_assessed_and_nothing_held():
    result = gap(SENIOR_PM, [], [], IMPLIED, DEFINED)
    assert [s.gap for s in result.skills] == [6, 5] and result.readiness == 0.0
    assert result.next_step.kind == "certification" and result.next_step.code == "PMP"
    assert "raises PRMG to 4" in result.next_step.words


def test_the_next_step_closes_the_most():
    # With the PMP held and BURM met, PRMG 4 -> 5 is worth as much as the PgMP (which implies
    # PRMG 5 and meets the preferred group too): the certification meets more, so it wins.
    result = gap(SENIOR_PM, [Assessment("BURM", 5, "manager", D1)], ["PMP"], IMPLIED, DEFINED)
    assert (result.next_step.kind, result.next_step.code, result.next_step.meets) == (
        "certification",
        "PgMP",
        1,
    )
    # A skill step names the skill's next defined level.
    only_skill = Role("r", "R", (SkillNeed("PGMG", 7),))
    step = gap(only_skill, [], [], {}, DEFINED).next_step
    assert (step.kind, step.code, step.level) == ("skill", "PGMG", 6)


def test_a_role_without_requirements_is_fully_ready():
    result = gap(Role("open", "Anyone"), [], [], IMPLIED)
    assert result.readiness == 1.0 and result.ready and result.next_step is None


@given(st.integers(1, 7), st.integers(0, 7), st.booleans())
def test_readiness_is_in_0_1_and_1_exactly_when_ready(required, actual, holds_pmp):
    role = Role("r", "R", (SkillNeed("BURM", required),), (CertGroup("all", "required", ("PMP",)),))
    own = [Assessment("BURM", actual, "self", D1)] if actual else []
    result = gap(role, own, ["PMP"] if holds_pmp else [], IMPLIED)
    assert 0.0 <= result.readiness <= 1.0
    assert (result.readiness == 1.0) == result.ready
    assert result.skills[0].gap == max(0, required - actual)
