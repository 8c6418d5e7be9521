"""Whether a person may sit a certification's exam. Pure (standard library and ``clock``).

Two questions, both judged on plain dataclasses the service builds:

- :func:`evaluate`: does the person meet a rule set from the catalog (education, months of
  experience by kind within the rule's window with overlaps counted once, training hours with
  credits for credentials held, required courses)? Every requirement says what is needed, what
  the person has and whether it is met; a disputed rule set says so.
- :func:`exam_standing`: within the issuer's eligibility window and attempt rules, may the person
  schedule (another) attempt now, and if not, from when (PMI: a one-year window from approval,
  three attempts in it, a one-year wait after the third failure; UPDATE-2026-12 U4).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from pmolearn import text
from pmolearn.clock import add_months, add_years

EDUCATION_RANK = {"any": 0, "secondary": 1, "associate": 2, "bachelor": 3, "postgraduate": 4}
EDUCATION_WORDS = {
    "any": "No education requirement",
    "secondary": "Secondary diploma or higher",
    "associate": "Associate degree or higher",
    "bachelor": "Four-year degree or higher",
    "postgraduate": "Postgraduate degree",
}
ALL_KINDS = frozenset({"project", "program", "portfolio", "pmo"})
DAYS_PER_MONTH = Decimal("30.4375")


# --- inputs ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """A stretch of experience (``end`` None: still going on)."""

    start: date
    end: date | None
    kind: str = "project"
    agile: bool = False


@dataclass(frozen=True)
class Training:
    hours: Decimal
    topic: str
    completed_on: date


@dataclass(frozen=True)
class Facts:
    """What the person brings: education, experience, training, credentials held today."""

    education: str | None = None
    gac: bool = False
    experience: tuple[Period, ...] = ()
    training: tuple[Training, ...] = ()
    credentials: frozenset[str] = frozenset()


@dataclass(frozen=True)
class RuleSet:
    """A catalog rule set: ``rules`` as seeded (``experience_window_years``, ``paths``,
    ``training``, ``courses``, ``closed``)."""

    label: str
    rules: Mapping
    disputed: str | None = None
    sources: tuple[str, ...] = ()


# --- results ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """One requirement: what is needed, what the person has, and whether it is met."""

    requirement: str
    required: object
    have: object
    met: bool
    unit: str = ""
    note: str = ""
    source: str | None = None

    def to_dict(self) -> dict:
        return {
            "requirement": self.requirement,
            "required": _json(self.required),
            "have": _json(self.have),
            "met": self.met,
            "unit": self.unit,
            "note": self.note,
            "source": self.source,
        }


@dataclass(frozen=True)
class Result:
    rules: str
    met: bool
    items: tuple[Item, ...]
    disputed: str | None = None
    closed: str | None = None
    sources: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        return {
            "rules": self.rules,
            "met": self.met,
            "disputed": self.disputed is not None,
            "dispute": self.disputed,
            "closed": self.closed,
            "items": [item.to_dict() for item in self.items],
            "sources": list(self.sources),
        }


def _json(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


# --- experience in months --------------------------------------------------------------------


def months_of(periods: Iterable[Period], first: date, last: date) -> int:
    """Whole months of experience between ``first`` and ``last``, overlaps counted once.

    The periods are merged; each merged stretch counts its whole calendar months, and the days
    left over from every stretch are pooled into months of 30.4375 days. (PMI's worked case:
    1 January to 31 March and 1 February to 31 May of one year make 5 months; D1.)
    """
    stretches = sorted(
        (max(p.start, first), min(p.end or last, last))
        for p in periods
        if p.start <= last and (p.end or last) >= first
    )
    merged: list[list[date]] = []
    for start, end in stretches:
        if merged and start <= merged[-1][1] + timedelta(days=1):
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    months, days = 0, 0
    for start, end in merged:
        whole, rest = _whole_months(start, end + timedelta(days=1))
        months += whole
        days += rest
    return months + int(Decimal(days) / DAYS_PER_MONTH)


def _whole_months(start: date, end: date) -> tuple[int, int]:
    """(whole months from ``start`` up to ``end`` exclusive, days left over)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    while months > 0 and add_months(start, months) > end:
        months -= 1
    return months, (end - add_months(start, months)).days


# --- judging a rule set ----------------------------------------------------------------------


def evaluate(rule_set: RuleSet, facts: Facts, on: date) -> Result:
    """Judge ``facts`` against ``rule_set`` on ``on``; the path closest to met is shown."""
    rules = rule_set.rules
    common = {"rules": rule_set.label, "disputed": rule_set.disputed, "sources": rule_set.sources}
    if rules.get("closed"):
        item = Item("Open to new candidates", "yes", "no", False, note=rules["closed"])
        return Result(met=False, items=(item,), closed=rules["closed"], **common)
    years = rules.get("experience_window_years")
    first = add_years(on, -years) if years else date.min
    shared = (*_training_items(rules.get("training"), facts), *_course_items(rules, facts))
    best: tuple[Item, ...] | None = None
    for path in rules.get("paths") or [{}]:
        items = (_education_item(path, facts), *_experience_items(path, facts, first, on, years))
        candidate = items + shared
        if best is None or _score(candidate) > _score(best):
            best = candidate
        if all(item.met for item in candidate):
            break
    return Result(met=all(item.met for item in best), items=best, **common)


def _score(items: Sequence[Item]) -> tuple[bool, int, Decimal]:
    """All met, then most met, then the smallest shortfall: each unmet figure counts the share
    still missing, an unmet degree or course counts whole (it is the hardest to make up). A
    graduate one month short is shown the degree's 48 months, not the diploma's 84."""
    shortfall = Decimal(0)
    for i in items:
        if i.met:
            continue
        if _number(i.required) and _number(i.have) and i.required:
            shortfall += (Decimal(i.required) - Decimal(i.have)) / Decimal(i.required)
        else:
            shortfall += 1
    return all(i.met for i in items), sum(i.met for i in items), -shortfall


def _number(value) -> bool:
    return isinstance(value, int | Decimal) and not isinstance(value, bool)


def _education_item(path: Mapping, facts: Facts) -> Item:
    level = path.get("education", "any")
    words = EDUCATION_WORDS[level]
    have_rank = EDUCATION_RANK.get(facts.education or "", -1)
    met = have_rank >= EDUCATION_RANK[level] or level == "any"
    if path.get("gac"):
        words = "A degree from a PMI GAC-accredited programme"
        met = met and facts.gac
    have = facts.education or "not given"
    if facts.gac and facts.education:
        have += " (GAC-accredited)"
    return Item("Education", words, have, met)


def _experience_items(
    path: Mapping, facts: Facts, first: date, last: date, years: int | None
) -> list[Item]:
    items = []
    for need in path.get("experience") or []:
        label = need.get("label", "Experience")
        within = f" in the last {years} years" if years else ""
        kinds = frozenset(need.get("kinds") or ALL_KINDS)
        periods = [
            p for p in facts.experience if p.kind in kinds and (p.agile or not need.get("agile"))
        ]
        have = months_of(periods, first, last)
        required = int(need["months"])
        waiving = sorted(set(need.get("waived_by") or []) & facts.credentials)
        note = f"Met by your active {', '.join(waiving)}." if waiving else ""
        if not waiving and need.get("waived_by"):
            note = f"An active {' or '.join(need['waived_by'])} also meets it."
        items.append(
            Item(label + within, required, have, have >= required or bool(waiving), "months", note)
        )
    return items


def _training_items(training: Mapping | None, facts: Facts) -> list[Item]:
    if not training:
        return []
    topics = set(training.get("topics") or [])
    hours = sum((t.hours for t in facts.training if not topics or t.topic in topics), Decimal(0))
    credits = {
        code: Decimal(str(value))
        for code, value in (training.get("credits") or {}).items()
        if code in facts.credentials
    }
    waiving = sorted(set(training.get("waived_by") or []) & facts.credentials)
    required = Decimal(str(training["hours"]))
    have = hours + sum(credits.values(), Decimal(0))
    notes = [f"{text.amount(v)} hours credited for your active {c}." for c, v in credits.items()]
    if waiving:
        notes.append(f"Met by your active {', '.join(waiving)}.")
    if training.get("note"):
        notes.append(training["note"])
    met = have >= required or bool(waiving)
    label = training.get("label", "Training")
    return [Item(label, required, have, met, "hours", " ".join(notes))]


def _course_items(rules: Mapping, facts: Facts) -> list[Item]:
    taken = {t.topic for t in facts.training}
    return [
        Item(
            course["label"],
            "attended",
            "attended" if course["topic"] in taken else "not yet",
            course["topic"] in taken,
        )
        for course in rules.get("courses") or []
    ]


# --- the exam window and attempts ------------------------------------------------------------


@dataclass(frozen=True)
class Standing:
    """Where a candidate stands with the issuer's exam rules on a date."""

    may_sit: bool
    reason: str
    window_ends_on: date | None = None
    attempts_left: int | None = None
    #: When the person may apply (or sit) again, when not now.
    again_on: date | None = None
    failures: tuple[date, ...] = field(default_factory=tuple)


def exam_standing(
    rules: Mapping, applied_on: date | None, attempts: Sequence[tuple[date, bool]], on: date
) -> Standing:
    """May an attempt be scheduled on ``on``, given the application date and past attempts.

    PMI (``eligibility_window_months``, ``attempts_in_window``, ``wait_after_last_failure_months``):
    attempts count inside the window that the application opened; after the last allowed
    attempt fails, the candidate waits before reapplying; a window that lapses with attempts
    left needs a new application but no wait. Scaled Agile (``retake_waits_days``): the n-th
    retake waits the n-th figure (the last one repeating).
    """
    failures = tuple(day for day, passed in attempts if not passed)
    if "retake_waits_days" in rules:
        return _retake_waits(rules["retake_waits_days"], failures, on)
    window = rules.get("eligibility_window_months")
    if window is None or applied_on is None:
        reason = "Apply first: the eligibility window opens when the application is approved."
        return Standing(window is None, "No attempt rules are known." if window is None else reason)
    window_end = add_months(applied_on, window)
    inside = [day for day in failures if applied_on <= day <= window_end]
    allowed = rules.get("attempts_in_window")
    left = None if allowed is None else allowed - len(inside)
    if left is not None and left <= 0:
        wait = rules.get("wait_after_last_failure_months") or 0
        again = add_months(inside[-1], wait)
        used = f"All {allowed} attempts of the eligibility window are used"
        reason = f"{used}: reapply from {text.day(again)}."
        return Standing(False, reason, window_end, 0, again, failures)
    if on > window_end:
        reason = "The eligibility window has lapsed: apply again (no wait is needed)."
        return Standing(False, reason, window_end, left, on, failures)
    ends = f"the window ends on {text.day(window_end)}"
    reason = f"{left} of {allowed} attempts left; {ends}." if allowed else f"Open: {ends}."
    return Standing(True, reason, window_end, left, None, failures)


def _retake_waits(waits: Sequence[int], failures: tuple[date, ...], on: date) -> Standing:
    if not failures:
        return Standing(True, "First attempt.", failures=failures)
    wait = waits[min(len(failures), len(waits)) - 1]
    again = failures[-1] + timedelta(days=wait)
    if on >= again:
        return Standing(True, f"A retake is open (after a wait of {wait} days).", failures=failures)
    opens = f"The next retake opens on {text.day(again)}."
    return Standing(False, opens, again_on=again, failures=failures)
