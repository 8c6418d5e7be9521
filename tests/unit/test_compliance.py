"""The compliance engine: hand-worked PMI cases, then properties over random claims.

Source ids (S01, S35, ...) are those of /work/shared/catalog/RESEARCH.md section 9.
"""

import json
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from pmolearn.clock import add_months, add_years
from pmolearn.credentials.compliance import (
    AREAS,
    STATUSES,
    ActivityType,
    CategoryRule,
    Claim,
    Cycle,
    Policy,
    evaluate,
)
from pmolearn.credentials.cycles import Window, cycle_end, grace_end

WOW, PS, BA = AREAS


def pmi_policy(label, required, education, giving_back, area, working, carry_over_max=None):
    """A PMI CCR policy: education minimum, giving-back maximum, area minimums, caps (S34, S35)."""
    types = {
        code: ActivityType(code, "education")
        for code in ("course", "online_media", "reading", "informal_learning")
    }
    types["organization_meeting"] = ActivityType("organization_meeting", "education", D(2))
    types["working_as_professional"] = ActivityType(
        "working_as_professional", "giving_back", cap_per_cycle=D(working), transferable=False
    )
    for code in ("create_content", "give_presentation", "share_knowledge", "volunteer"):
        types[code] = ActivityType(code, "giving_back")
    return Policy(
        label=label,
        cycle_years=3,
        pdus_required=D(required),
        categories={
            "education": CategoryRule(D(education)),
            "giving_back": CategoryRule(D(0), D(giving_back)),
        },
        area_minimums=dict.fromkeys(AREAS, D(area)),
        activity_types=types,
        carry_over_max=None if carry_over_max is None else D(carry_over_max),
        grace_months=12,
    )


PMP = pmi_policy("PMP since 2015-12-01", 60, 35, 25, 8, 8, carry_over_max=20)
CAPM = pmi_policy("CAPM", 15, 9, 6, 2, 2)
ACP = pmi_policy("PMI-ACP", 30, 18, 12, 4, 4)
CYCLE = Cycle(date(2024, 3, 1), date(2027, 3, 1))
AS_OF = date(2026, 11, 25)


def edu(id, on, wow=0, ps=0, ba=0, kind="course", **kw):
    """An education claim whose PDUs are its area split (S43: one activity may be split)."""
    areas = {WOW: D(wow), PS: D(ps), BA: D(ba)}
    return Claim(id, kind, on, sum(areas.values()), areas, **kw)


def gb(id, on, pdus, kind="volunteer", **kw):
    return Claim(id, kind, on, D(pdus), **kw)


def api_claims():
    return [
        edu(1, date(2024, 6, 1), 12, 6, 12),
        gb(2, date(2025, 1, 1), "11.5", "working_as_professional"),
        gb(3, date(2025, 6, 1), 6),
    ]


def complete_pmp_claims():
    return [edu(1, date(2024, 6, 1), 12, 12, 11), gb(2, date(2025, 6, 1), 25)]


# --- hand-worked cases ------------------------------------------------------------------------


def test_api_example():
    """API.md's credential example: 30 education + 17.5 giving back, 44 applied (S34, S35, S40).

    Working as a Professional 11.5 is capped at 8, so giving back applies 8 + 6 = 14. Education
    needs max(35 - 30, power skills 8 - 6) = 5, the total max(60 - 44, 5) = 16. Expected pace:
    60 × 999 / 1095 ≈ 54.7; 44 is 80 % of it, so at risk.
    """
    result = evaluate(PMP, CYCLE, api_claims(), AS_OF)
    expected = {
        "as_of": "2026-11-25",
        "policy": "PMP since 2015-12-01",
        "required": 60,
        "earned": 47.5,
        "applied": 44.0,
        "by_category": {
            "education": {"earned": 30.0, "applied": 30.0, "min": 35, "max": None},
            "giving_back": {"earned": 17.5, "applied": 14.0, "min": 0, "max": 25},
        },
        "by_area": {
            "ways_of_working": {"applied": 12.0, "min": 8},
            "power_skills": {"applied": 6.0, "min": 8},
            "business_acumen": {"applied": 12.0, "min": 8},
        },
        "remaining": {
            "total": 16.0,
            "education": 5.0,
            "areas": {"ways_of_working": 0.0, "power_skills": 2.0, "business_acumen": 0.0},
        },
        "carry_over": 0.0,
        "days_left": 96,
        "status": "at_risk",
    }
    data = result.to_dict()
    data["remaining"].pop("by_category")  # an addition to the documented shape
    assert {key: data[key] for key in expected} == expected
    assert result.remaining.education == D(5)
    assert result.applied_by_type["working_as_professional"] == D(8)


def test_to_dict_is_json_with_the_contract_types():
    """Policy figures stay integers (60, 35, null), computed amounts are floats (44.0)."""
    data = evaluate(PMP, CYCLE, api_claims(), AS_OF).to_dict()
    text = json.dumps(data)
    assert '"required": 60,' in text
    assert '"applied": 44.0,' in text
    assert '"min": 35, "max": null' in text
    assert '"carry_over": 0.0' in text
    assert data["remaining"]["by_category"] == {"education": 5.0, "giving_back": 0.0}
    assert data["pace_per_month"] == 5.07  # 16 PDUs over 96 / 30.4375 months
    assert data["grace_ends_on"] == "2028-03-01"
    assert data["carry_over_known"] is True
    assert data["next_step"].startswith("Log ")
    assert data["ignored_claim_ids"] == []
    assert isinstance(data["days_left"], int)


def test_exactly_complete_pmp():
    """35 education (12/12/11, each area >= 8) + 25 giving back = 60: complete (S34, S35, S01)."""
    result = evaluate(PMP, CYCLE, complete_pmp_claims(), AS_OF)
    assert result.is_complete
    assert result.status == "complete"
    assert result.applied == D(60)
    assert result.remaining.total == 0
    assert set(result.remaining.by_category.values()) == {D(0)}
    assert set(result.remaining.areas.values()) == {D(0)}
    assert result.pace_per_month == 0


def test_giving_back_is_capped_at_its_maximum():
    """Giving back counts at most 25 PDUs for PMP (S34, S35): 30 earned, 25 applied."""
    claims = [
        edu(1, date(2024, 6, 1), 12, 12, 11),
        gb(2, date(2025, 1, 1), 20),
        gb(3, date(2025, 6, 1), 10, "create_content"),
    ]
    result = evaluate(PMP, CYCLE, claims, AS_OF)
    giving_back = result.by_category["giving_back"]
    assert (giving_back.earned, giving_back.applied) == (D(30), D(25))
    assert (result.earned, result.applied) == (D(65), D(60))
    assert result.is_complete
    # the cap is reached by the first claims, like PMI's claim system: the later one is cut
    assert result.applied_by_type["volunteer"] == D(20)
    assert result.applied_by_type["create_content"] == D(5)


def test_working_as_professional_capped_across_two_claims():
    """Working as a Professional: 8 per cycle for 60-PDU credentials, however claimed (S35, S37)."""
    claims = [
        gb(1, date(2024, 9, 1), 5, "working_as_professional"),
        gb(2, date(2025, 9, 1), 5, "working_as_professional"),
    ]
    result = evaluate(PMP, CYCLE, claims, AS_OF)
    assert result.applied_by_type["working_as_professional"] == D(8)
    assert result.by_category["giving_back"].earned == D(10)
    assert result.by_category["giving_back"].applied == D(8)


def test_organization_meeting_capped_per_event_with_areas_scaled():
    """Organization meetings: at most 2 PDUs per event (S08, S35); the area split scales down."""
    claims = [
        Claim(1, "organization_meeting", date(2024, 6, 1), D(3), {WOW: D("1.5"), PS: D("1.5")})
    ]
    result = evaluate(PMP, CYCLE, claims, AS_OF)
    assert result.earned == D(3)
    assert result.applied == D(2)
    assert result.by_area[WOW].applied == D(1)
    assert result.by_area[PS].applied == D(1)
    assert result.by_area[BA].applied == D(0)


def test_scaled_area_split_is_rounded_down_to_the_hundredth():
    """3 PDUs split 1/1/1 capped to 2 give 0.66 per area: never credit an area more than earned."""
    areas = dict.fromkeys(AREAS, D(1))
    claims = [Claim(1, "organization_meeting", date(2024, 6, 1), D(3), areas)]
    result = evaluate(PMP, CYCLE, claims, AS_OF)
    assert result.by_category["education"].applied == D(2)
    assert [result.by_area[a].applied for a in AREAS] == [D("0.66")] * 3


def test_area_shortfall_binds_over_education_minimum():
    """40 education all in Ways of Working: Power Skills and Business Acumen still need 8 each
    (S03, S04, S34), so education needs 16, not max(35 - 40, 0) = 0; total max(60 - 40, 16) = 20.
    """
    result = evaluate(PMP, CYCLE, [edu(1, date(2024, 6, 1), wow=40)], AS_OF)
    assert result.remaining.areas == {WOW: D(0), PS: D(8), BA: D(8)}
    assert result.remaining.education == D(16)
    assert result.remaining.total == D(20)
    assert not result.is_complete


def test_drafts_and_rejected_claims_do_not_count():
    """Only claimed or approved activities count (DESIGN.md, PDU activity; S02 audit)."""
    claims = [
        edu(1, date(2024, 6, 1), wow=10, status="draft"),
        edu(2, date(2024, 6, 1), ps=10, status="rejected"),
        edu(3, date(2024, 6, 1), ba=10, status="approved"),
        edu(4, date(2024, 6, 1), ba=5, status="claimed"),
    ]
    result = evaluate(PMP, CYCLE, claims, AS_OF)
    assert result.earned == D(15)
    assert result.by_area[BA].applied == D(15)
    assert result.by_area[WOW].applied == 0
    assert result.ignored_claim_ids == ()


def test_unknown_activity_types_are_ignored_and_listed():
    """An activity type the policy does not know cannot be judged: ignored, and said so."""
    claims = [Claim(9, "podcast_marathon", date(2024, 6, 1), D(5)), edu(1, date(2024, 6, 1), 5)]
    result = evaluate(PMP, CYCLE, claims, AS_OF)
    assert result.earned == D(5)
    assert result.ignored_claim_ids == (9,)


def test_claims_outside_the_cycle_do_not_count():
    """Activities before the cycle (S43) or after its end do not count toward it."""
    claims = [edu(1, date(2024, 2, 29), wow=10), edu(2, date(2027, 3, 2), wow=10)]
    result = evaluate(PMP, CYCLE, claims, AS_OF)
    assert result.earned == 0


def test_claims_on_the_start_and_end_dates_count():
    """A cycle runs from the day the exam was passed to its expiry date, both in (S17, S41)."""
    claims = [edu(1, date(2024, 3, 1), wow=10), edu(2, date(2027, 3, 1), ps=10)]
    assert evaluate(PMP, CYCLE, claims, AS_OF).earned == D(20)


def test_the_counting_window_decides_what_counts():
    """PDUs earned during suspension still count toward the cycle (S41, S42)."""
    claims = [edu(1, date(2027, 6, 1), wow=10)]
    extended = replace(CYCLE, window=Window(CYCLE.start, date(2028, 3, 1)))
    assert evaluate(PMP, CYCLE, claims, date(2027, 7, 1)).earned == 0
    assert evaluate(PMP, extended, claims, date(2027, 7, 1)).earned == D(10)


def test_carried_in_claims_count_whatever_their_date():
    """Carry-over from the previous cycle counts in the new one (S38, S43)."""
    carried = (Claim(-5, "course", date(2027, 3, 1), D(15), {WOW: D(10), PS: D(5)}),)
    cycle = Cycle(date(2027, 3, 2), date(2030, 3, 1), carried_in=carried)
    result = evaluate(PMP, cycle, [edu(1, date(2027, 5, 1), ba=10)], date(2027, 6, 1))
    assert result.earned == D(25)
    assert result.by_area[WOW].applied == D(10)
    assert result.by_area[PS].applied == D(5)


def test_capm_numbers():
    """CAPM: 15 PDUs, education >= 9, giving back <= 6, >= 2 per area, working <= 2 (S01, S34).

    6 education (2/2/2) + 8 volunteering: giving back applies 6, total 12; education needs 3,
    the total max(15 - 12, 3) = 3.
    """
    claims = [
        edu(1, date(2024, 6, 1), 2, 2, 2),
        gb(2, date(2025, 6, 1), 8),
        gb(3, date(2025, 7, 1), 3, "working_as_professional"),
    ]
    result = evaluate(CAPM, CYCLE, claims, AS_OF)
    assert result.by_category["giving_back"].applied == D(6)
    assert result.applied == D(12)
    assert result.remaining.education == D(3)
    assert result.remaining.total == D(3)
    assert set(result.remaining.areas.values()) == {D(0)}


def test_pmi_acp_numbers():
    """PMI-ACP: 30 PDUs, education >= 18, giving back <= 12, >= 4 per area, working <= 4 (S34, S35).

    18 education (10/4/4) + working 6 (4 applied) + volunteering 10: giving back 14 -> 12; 30 in.
    """
    claims = [
        edu(1, date(2024, 6, 1), 10, 4, 4),
        gb(2, date(2025, 1, 1), 6, "working_as_professional"),
        gb(3, date(2025, 6, 1), 10),
    ]
    result = evaluate(ACP, CYCLE, claims, AS_OF)
    assert result.applied_by_type["working_as_professional"] == D(4)
    assert result.by_category["giving_back"].applied == D(12)
    assert result.applied == D(30)
    assert result.is_complete


def test_fee_only_policy_is_complete_without_claims():
    """A yearly, fee-only renewal (zero PDUs) must be expressible (DESIGN.md; SAFe, S12)."""
    policy = Policy("SAFe SPC", 1, D(0), {}, {}, {})
    start = date(2026, 1, 15)
    cycle = Cycle(start, cycle_end(start, policy.cycle_years))
    result = evaluate(policy, cycle, [], date(2026, 6, 1))
    assert result.is_complete
    assert result.status == "complete"
    assert result.by_category == {}
    assert result.next_step == "No PDUs are required: renew by 15 January 2027."


def test_status_grace_then_lapsed():
    """Not renewed by the end: suspended for a year in which renewal restores it, then expired
    (S41, S42, S99).
    """
    claims = api_claims()
    assert evaluate(PMP, CYCLE, claims, date(2027, 3, 2)).status == "grace"
    assert evaluate(PMP, CYCLE, claims, date(2028, 3, 1)).status == "grace"
    lapsed = evaluate(PMP, CYCLE, claims, date(2028, 3, 2))
    assert lapsed.status == "lapsed"
    assert lapsed.days_left == -367  # 2028 is a leap year
    assert lapsed.pace_per_month == D(16)


def test_status_without_grace_lapses_the_day_after_the_end():
    """A policy with no grace period lapses straight away."""
    policy = replace(PMP, grace_months=0)
    assert evaluate(policy, CYCLE, [], date(2027, 3, 1)).status == "behind"
    assert evaluate(policy, CYCLE, [], date(2027, 3, 2)).status == "lapsed"


def test_complete_stays_complete_after_the_end():
    """A complete cycle can still be renewed after its end (S28b, S41)."""
    result = evaluate(PMP, CYCLE, complete_pmp_claims(), date(2027, 6, 1))
    assert result.status == "complete"
    assert result.next_step == (
        "All 60 PDUs are in: renew by 1 March 2028 to restore the credential."
    )


def test_pace_statuses():
    """Straight-line pace: on track at or above it, at risk from 75 %, behind below (our rule)."""
    # a year in: 20 expected
    assert evaluate(PMP, CYCLE, api_claims(), date(2025, 3, 1)).status == "on_track"
    assert evaluate(PMP, CYCLE, [edu(1, date(2024, 6, 1), 5, 5, 5)], date(2025, 3, 1)).status == (
        "at_risk"
    )
    assert evaluate(PMP, CYCLE, [edu(1, date(2024, 6, 1), 10)], AS_OF).status == "behind"
    assert evaluate(PMP, CYCLE, [], CYCLE.start).status == "on_track"


def test_add_years_falls_back_from_29_february():
    """Cycles end on the same calendar date; 29 February falls back to 28 February (DESIGN.md)."""
    assert add_years(date(2024, 2, 29), 3) == date(2027, 2, 28)
    assert add_years(date(2024, 2, 29), 4) == date(2028, 2, 29)
    assert cycle_end(date(2024, 3, 1), 3) == date(2027, 3, 1)


def test_month_arithmetic_clamps_to_month_end():
    """grace_end(31 January, 1) is 28 February; going back crosses the year."""
    assert grace_end(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert grace_end(date(2027, 3, 1), 12) == date(2028, 3, 1)
    assert add_months(date(2027, 3, 1), -12) == date(2026, 3, 1)
    assert add_months(date(2026, 1, 31), -2) == date(2025, 11, 30)


# --- carry-over -------------------------------------------------------------------------------


def carry_over_claims(late):
    """36 education (12/12/12), working 8 and volunteering 11 early; `late` in the last year."""
    early = [
        edu(1, date(2024, 6, 1), 12, 12, 12),
        gb(2, date(2025, 1, 1), 8, "working_as_professional"),
        gb(3, date(2025, 6, 1), 11),
    ]
    return early + late


def test_carry_over_of_excess_earned_in_the_last_year():
    """Excess PDUs earned in the final 12 months roll over (S43, S38, S40).

    75 applied, 20 of them in the last year (a course, 10/5/5). Slack: total 75 - 60 = 15,
    education 56 - 35 = 21, Ways of Working 22 - 8 = 14, Power Skills and Business Acumen
    17 - 8 = 9. Drawing the course: 10 Ways of Working, then 5 Power Skills, when the total
    slack is used up: 15 carried.
    """
    late = [edu(4, date(2026, 9, 1), 10, 5, 5)]
    result = evaluate(PMP, CYCLE, carry_over_claims(late), AS_OF)
    assert result.applied == D(75)
    assert result.carry_over == D(15)
    assert result.carry_over_claims == (
        Claim(-4, "course", CYCLE.end, D(15), {WOW: D(10), PS: D(5)}),
    )


def test_carry_over_window_starts_after_end_minus_twelve_months():
    """PDUs of the first two years never carry (S43, S38): 1 March 2026 is outside the window."""
    on_edge = [edu(4, date(2026, 3, 1), 10, 5, 5)]
    inside = [edu(4, date(2026, 3, 2), 10, 5, 5)]
    assert evaluate(PMP, CYCLE, carry_over_claims(on_edge), AS_OF).carry_over == 0
    assert evaluate(PMP, CYCLE, carry_over_claims(inside), AS_OF).carry_over == D(15)


def test_carry_over_maximum_is_honoured():
    """At most 20 PDUs carry for PMP (S38, S39, S40): 40 excess in the last year, 20 carried."""
    claims = [
        edu(1, date(2024, 6, 1), 12, 12, 12),
        gb(2, date(2025, 6, 1), 24),
        edu(3, date(2026, 12, 1), 20, 10, 10),
    ]
    result = evaluate(PMP, CYCLE, claims, AS_OF)
    assert result.applied == D(100)
    assert result.carry_over == D(20)
    assert result.carry_over_claims[0].areas == {WOW: D(20)}


def test_working_as_professional_never_carries():
    """Working as a Professional cannot be transferred (S35, S40), even as the latest claim.

    52 early + 4 education (Ways of Working) + working 8 late = 64: 4 excess, from the course.
    """
    claims = [
        edu(1, date(2024, 6, 1), 12, 12, 12),
        gb(2, date(2025, 6, 1), 16),
        edu(3, date(2026, 11, 1), wow=4),
        gb(4, date(2026, 12, 1), 8, "working_as_professional"),
    ]
    result = evaluate(PMP, CYCLE, claims, AS_OF)
    assert result.carry_over == D(4)
    assert [c.id for c in result.carry_over_claims] == [-3]


def test_an_area_at_its_minimum_is_never_drawn_from():
    """Carrying must leave every area minimum met (S03, S34, S43).

    35 education (10/3/22) + 25 giving back early; a course of 5 Ways of Working and 5 Power
    Skills late. 10 PDUs are excess, but Power Skills is exactly at 8: only 5 carry.
    """
    claims = [
        edu(1, date(2024, 6, 1), 10, 3, 22),
        gb(2, date(2025, 6, 1), 25),
        edu(3, date(2026, 9, 1), wow=5, ps=5),
    ]
    result = evaluate(PMP, CYCLE, claims, AS_OF)
    assert result.applied == D(70)
    assert result.carry_over == D(5)
    assert result.carry_over_claims[0].areas == {WOW: D(5)}


def test_only_non_transferable_excess_carries_nothing():
    """Excess that lies only in Working as a Professional stays behind (S35, S40)."""
    claims = [
        edu(1, date(2024, 6, 1), 15, 15, 15),
        gb(2, date(2025, 6, 1), 10),
        gb(3, date(2026, 12, 1), 8, "working_as_professional"),
    ]
    result = evaluate(PMP, CYCLE, claims, AS_OF)
    assert result.applied == D(63)
    assert result.carry_over == 0


def test_unapplied_giving_back_does_not_carry():
    """PDUs above the giving-back cap were never applied, so they cannot carry (S35, S38).

    Giving back: 20 early + 10 late = 30 earned, 25 applied, so the late claim applies 5;
    with 35 + 25 = 60 + 10 education excess, only those 5 can be drawn from it.
    """
    claims = [
        edu(1, date(2024, 6, 1), 15, 15, 15),
        gb(2, date(2025, 6, 1), 20),
        gb(3, date(2026, 12, 1), 10),
    ]
    result = evaluate(PMP, CYCLE, claims, AS_OF)
    assert result.applied == D(70)
    assert result.carry_over == D(5)


def test_unknown_carry_over_maximum_carries_nothing():
    """CAPM's carry-over maximum is unconfirmed (RESEARCH.md section 8, item 4): 0, unknown."""
    claims = [edu(1, date(2024, 6, 1), 5, 5, 5), gb(2, date(2026, 12, 1), 6)]
    result = evaluate(CAPM, CYCLE, claims, AS_OF)
    assert result.is_complete
    assert result.carry_over == 0
    assert result.carry_over_known is False
    assert result.carry_over_claims == ()


def test_no_carry_over_while_incomplete():
    """Only excess over a met requirement carries (S43)."""
    result = evaluate(PMP, CYCLE, [edu(1, date(2026, 12, 1), 30, 30)], AS_OF)
    assert not result.is_complete
    assert result.carry_over == 0
    assert result.carry_over_known is True


def test_carried_in_claims_do_not_carry_again():
    """What came in from the last cycle was earned then, not in this cycle's last year (S43).

    The carried-in claim is dated inside the window on purpose: being carried in is what excludes
    it. 20 carried in + 36 education + 20 giving back = 76; the 16 excess comes from giving back.
    """
    carried = (Claim(-9, "course", date(2030, 3, 1), D(20), {WOW: D(20)}),)
    cycle = Cycle(date(2027, 3, 2), date(2030, 3, 1), carried_in=carried)
    claims = [edu(1, date(2029, 6, 1), 12, 12, 12), gb(2, date(2029, 7, 1), 20)]
    result = evaluate(PMP, cycle, claims, date(2030, 1, 1))
    assert result.applied == D(76)
    assert result.carry_over == D(16)
    assert [c.id for c in result.carry_over_claims] == [-2]


# --- next step --------------------------------------------------------------------------------


def test_next_step_in_cycle():
    """Areas first, then education beyond them, then the total when it binds."""
    assert evaluate(PMP, CYCLE, api_claims(), AS_OF).next_step == (
        "Log 16 more PDUs, at least 5 of them Education (2 in Power Skills, 3 in any area), "
        "by 1 March 2027."
    )
    assert evaluate(PMP, CYCLE, [edu(1, date(2024, 6, 1), wow=40)], AS_OF).next_step == (
        "Log 20 more PDUs, at least 16 of them Education (8 in Power Skills, 8 in Business "
        "Acumen), by 1 March 2027."
    )


def test_next_step_formats_numbers_and_singulars():
    """No trailing .0; one PDU is singular."""
    claims = [edu(1, date(2024, 6, 1), "12", "6.75", "16.25"), gb(2, date(2025, 6, 1), "21.75")]
    assert evaluate(PMP, CYCLE, claims, AS_OF).next_step == (
        "Log 3.25 more PDUs, at least 1.25 of them Education in Power Skills, by 1 March 2027."
    )
    claims = [edu(1, date(2024, 6, 1), "12", "7", "16"), gb(2, date(2025, 6, 1), "25")]
    assert evaluate(PMP, CYCLE, claims, AS_OF).next_step == (
        "Log 1 more Education PDU in Power Skills by 1 March 2027."
    )
    claims = [edu(1, date(2024, 6, 1), 12, 12, 12), gb(2, date(2025, 6, 1), "21.5")]
    assert evaluate(PMP, CYCLE, claims, AS_OF).next_step == "Log 2.5 more PDUs by 1 March 2027."


def test_next_step_when_complete_suspended_or_lapsed():
    """Renewal, suspension and expiry sentences (S41, S42)."""
    assert evaluate(PMP, CYCLE, complete_pmp_claims(), AS_OF).next_step == (
        "All 60 PDUs are in: renew by 1 March 2027."
    )
    claims = [edu(1, date(2024, 6, 1), 12, 12, 12), gb(2, date(2025, 6, 1), 8)]
    assert evaluate(PMP, CYCLE, claims, date(2027, 5, 1)).next_step == (
        "Suspended: log 16 more PDUs, then renew by 1 March 2028 to restore the credential."
    )
    assert evaluate(PMP, CYCLE, claims, date(2028, 5, 1)).next_step == (
        "Lapsed on 2 March 2028: the exam must be passed again."
    )
    assert evaluate(PMP, CYCLE, complete_pmp_claims(), date(2029, 1, 1)).next_step == (
        "All 60 PDUs are in for the cycle that ended on 1 March 2027."
    )


# --- properties -------------------------------------------------------------------------------

POLICIES = (PMP, CAPM, ACP)
TYPES = (*PMP.activity_types, "unknown_type")
EDUCATION_TYPES = {code for code, t in PMP.activity_types.items() if t.category == "education"}
# strategies are built once: building them inside every draw costs more than the engine
kinds = st.sampled_from(TYPES)
statuses = st.sampled_from(("claimed", "approved", "claimed", "approved", "draft", "rejected"))
quarters = st.integers(0, 40).map(lambda n: D(n) / 4)
amounts = st.integers(0, 80).map(lambda n: D(n) / 4)
days_from_start = st.sampled_from(range(-60, 3 * 366 + 60))
days_before_end = st.sampled_from(range(-60, 14 * 31))  # the last year, where carry-over is earned
carry_over_maximums = st.sampled_from((None, D(5), D(10), D(20)))
start_days = st.integers(0, 16 * 365)
as_of_days = st.sampled_from(range(-30, 3 * 366 + 18 * 31))


@st.composite
def claim_specs(draw):
    """A claim but for its id and cycle: (late, days, kind, pdus, areas, status).

    Education PDUs are split across the areas, often all in one so that area minimums bind.
    """
    late = draw(st.booleans())
    days = draw(days_before_end if late else days_from_start)
    kind = draw(kinds)
    if kind not in EDUCATION_TYPES:
        pdus, areas = draw(amounts), {}
    elif draw(st.booleans()):
        pdus = draw(amounts)
        areas = {draw(st.sampled_from(AREAS)): pdus}
    else:
        parts = draw(st.tuples(quarters, quarters, quarters))
        pdus, areas = sum(parts), dict(zip(AREAS, parts, strict=True))
    return late, days, kind, pdus, areas, draw(statuses)


CLAIM_SPECS = claim_specs()


def claim_at(spec, cycle, claim_id):
    late, days, kind, pdus, areas, status = spec
    on = cycle.end - timedelta(days=days) if late else cycle.start + timedelta(days=days)
    return Claim(claim_id, kind, on, pdus, areas, status)


@st.composite
def scenarios(draw, min_claims=0):
    """(policy, cycle, claims, as_of): a PMP, CAPM or PMI-ACP cycle with unique claim ids."""
    policy = replace(draw(st.sampled_from(POLICIES)), carry_over_max=draw(carry_over_maximums))
    start = date(2015, 1, 1) + timedelta(days=draw(start_days))
    end = cycle_end(start, policy.cycle_years)
    extended = draw(st.booleans())
    last = grace_end(end, policy.grace_months) if extended else end
    cycle = Cycle(start, end, Window(start, last))
    carried = [
        replace(claim_at(spec, cycle, -i), completed_on=start - timedelta(days=1))
        for i, spec in enumerate(draw(st.lists(CLAIM_SPECS, max_size=2)), 1)
    ]
    cycle = replace(cycle, carried_in=tuple(carried))
    specs = draw(st.lists(CLAIM_SPECS, min_size=min_claims, max_size=14))
    claims = [claim_at(spec, cycle, i) for i, spec in enumerate(specs, 1)]
    as_of = start + timedelta(days=draw(as_of_days))
    return policy, cycle, claims, as_of


def constraints_hold(policy, result):
    """The renewal requirements checked directly on the reported figures."""
    return (
        result.applied >= policy.pdus_required
        and all(c.applied >= c.min for c in result.by_category.values())
        and all(a.applied >= a.min for a in result.by_area.values())
    )


@given(scenarios(), st.data())
def test_more_claims_never_raise_what_is_missing(scenario, data):
    """Logging an activity can only bring renewal closer, on every constraint (DESIGN.md)."""
    policy, cycle, claims, as_of = scenario
    extra = claim_at(data.draw(CLAIM_SPECS), cycle, len(claims) + 1)
    before = evaluate(policy, cycle, claims, as_of).remaining
    after = evaluate(policy, cycle, [*claims, extra], as_of).remaining
    assert after.total <= before.total
    assert all(after.by_category[c] <= v for c, v in before.by_category.items())
    assert all(after.areas[a] <= v for a, v in before.areas.items())


@given(scenarios())
def test_caps_are_never_exceeded(scenario):
    """Category maximums and per-cycle type caps hold; caps only ever lower PDUs (S34, S35)."""
    policy, cycle, claims, as_of = scenario
    result = evaluate(policy, cycle, claims, as_of)
    assert result.applied <= result.earned
    for category in result.by_category.values():
        assert category.applied <= category.earned
        assert category.max is None or category.applied <= category.max
    assert result.by_category["giving_back"].applied <= policy.categories["giving_back"].max
    for code, applied in result.applied_by_type.items():
        cap = policy.activity_types[code].cap_per_cycle
        assert cap is None or applied <= cap


@given(scenarios())
def test_complete_exactly_when_every_constraint_holds(scenario):
    """Nothing remaining means total, category and area minimums all met, and only then (S34)."""
    policy, cycle, claims, as_of = scenario
    result = evaluate(policy, cycle, claims, as_of)
    assert (result.remaining.total == 0) == constraints_hold(policy, result)
    assert result.is_complete == (result.remaining.total == 0)
    assert (result.status == "complete") == result.is_complete


@given(scenarios())
def test_remaining_is_at_least_the_naive_shortfall_and_never_negative(scenario):
    """The binding shortfall is never below the plain one; no figure goes negative."""
    policy, cycle, claims, as_of = scenario
    result = evaluate(policy, cycle, claims, as_of)
    remaining = result.remaining
    assert remaining.total >= result.required - result.applied
    assert remaining.total >= sum(remaining.by_category.values())
    figures = [result.earned, result.applied, result.carry_over, result.pace_per_month]
    figures += [remaining.total, *remaining.by_category.values(), *remaining.areas.values()]
    figures += [c.applied for c in result.by_category.values()]
    figures += [a.applied for a in result.by_area.values()]
    assert all(figure >= 0 for figure in figures)


@given(scenarios())
def test_status_is_one_of_the_known_ones(scenario):
    """Statuses come from the documented set; pace statuses only inside the cycle."""
    policy, cycle, claims, as_of = scenario
    result = evaluate(policy, cycle, claims, as_of)
    assert result.status in STATUSES
    if not result.is_complete and as_of <= cycle.end:
        assert result.status in ("on_track", "at_risk", "behind")


@given(scenarios(min_claims=6))
def test_carry_over_is_bounded_and_transferable(scenario):
    """Only when complete, at most the maximum, only transferable late PDUs (S38, S40, S43)."""
    policy, cycle, claims, as_of = scenario
    result = evaluate(policy, cycle, claims, as_of)
    assert result.carry_over_known == (policy.carry_over_max is not None)
    if not result.is_complete or policy.carry_over_max is None:
        assert result.carry_over == 0
        return
    assert result.carry_over <= policy.carry_over_max
    assert result.carry_over == sum(c.pdus for c in result.carry_over_claims)
    window_start = add_months(cycle.end, -policy.carry_over_window_months)
    sources = {c.id: c for c in claims}
    for carried in result.carry_over_claims:
        source = sources[-carried.id]
        assert policy.activity_types[source.activity_type].transferable
        assert window_start < source.completed_on <= cycle.end
        assert carried.completed_on == cycle.end
        assert 0 < carried.pdus <= source.pdus


@given(scenarios(min_claims=6))
def test_removing_the_carried_pdus_keeps_the_cycle_complete(scenario):
    """Carried PDUs are excess: the cycle stays complete without them (S43, S38)."""
    policy, cycle, claims, as_of = scenario
    result = evaluate(policy, cycle, claims, as_of)
    taken = {-c.id: c for c in result.carry_over_claims}
    reduced = [_without(claim, taken[claim.id]) if claim.id in taken else claim for claim in claims]
    assert evaluate(policy, cycle, reduced, as_of).is_complete == result.is_complete


def _without(claim, carried):
    """`claim` less what was carried from it."""
    areas = {a: v - carried.areas.get(a, D(0)) for a, v in claim.areas.items()}
    return replace(claim, pdus=claim.pdus - carried.pdus, areas=areas)


def test_a_report_s_figures_are_the_page_s_figures():
    """``detail=False`` leaves out what only a page shows; every figure it gives is the same."""
    cases = [
        (PMP, CYCLE, api_claims(), date(2026, 11, 25)),
        (PMP, CYCLE, complete_pmp_claims(), date(2026, 11, 25)),
        (PMP, CYCLE, [], date(2027, 6, 1)),
    ]
    for case in cases:
        full = evaluate(*case)
        lean = evaluate(*case, detail=False)
        assert (
            lean.applied,
            lean.required,
            lean.earned,
            lean.remaining,
            lean.status,
            lean.by_category,
            lean.by_area,
        ) == (
            full.applied,
            full.required,
            full.earned,
            full.remaining,
            full.status,
            full.by_category,
            full.by_area,
        )
