"""A certification in plain words, for its catalog page: who may sit it, the exam, the renewal,
the fees. Research notes (confidence grades, placeholder dates) stay out; what no source confirms
is said to be unconfirmed, and what sources dispute is said to be disputed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from pmolearn import text
from pmolearn.catalog.models import Certification, EligibilityRuleSet, RenewalPolicy

EDUCATION = {
    "any": "anyone",
    "secondary": "a secondary diploma",
    "associate": "an associate degree",
    "bachelor": "a four-year degree",
    "postgraduate": "a postgraduate degree",
}
KINDS = {"program": "programme", "portfolio": "portfolio", "pmo": "PMO", "project": "project"}
ISSUER_WORDS = {"PMI": "PMI", "SAI": "Scaled Agile", "PMOGA": "PMO Global Alliance"}


@dataclass(frozen=True)
class Rules:
    label: str
    when: str
    routes: list[str]
    also: list[str]
    disputed: str | None = None
    closed: str | None = None
    note: str | None = None


def eligibility(certification: Certification, on: date) -> list[Rules]:
    """The rule set in force for an exam on ``on`` and any later one already known."""
    shown = [
        r
        for r in certification.eligibility_rules
        if r.applies_on(on) or (r.effective_from and r.effective_from > on)
    ]
    return [_rules(r) for r in sorted(shown, key=lambda r: r.effective_from or date.min)]


def _rules(rule_set: EligibilityRuleSet) -> Rules:
    rules = rule_set.rules
    when = "For exams from " + text.day(rule_set.effective_from) if rule_set.effective_from else ""
    if rule_set.effective_to:
        when = "For exams up to " + text.day(rule_set.effective_to)
    years = rules.get("experience_window_years")
    routes = [_route(path, years) for path in rules.get("paths") or []]
    also = []
    training = rules.get("training")
    if training:
        also.append(_training(training))
    for course in rules.get("courses") or []:
        also.append(course["label"] + ".")
    return Rules(
        rule_set.label,
        when,
        routes,
        also,
        rule_set.disputed,
        rules.get("closed"),
        rules.get("note"),
    )


def _route(path: dict, years: int | None) -> str:
    who = EDUCATION[path.get("education", "any")]
    if path.get("gac"):
        who = "a degree from a PMI GAC-accredited programme"
    needs = []
    for need in path.get("experience") or []:
        kinds = need.get("kinds")
        what = need.get("label", "experience").lower()
        if kinds and not need.get("label"):
            what = " or ".join(KINDS[k] for k in kinds) + " experience"
        part = f"{need['months']} months of {what}"
        if need.get("agile"):
            part = part.replace(" months of ", " months of agile ") if "agile" not in what else part
        if need.get("waived_by"):
            part += f" (or an active {' or '.join(need['waived_by'])})"
        needs.append(part)
    within = f" within the last {years} years" if years and needs else ""
    if not needs:
        return f"With {who}." if who != "anyone" else "Open to anyone."
    return f"With {who}: {text.join(needs)}{within}."


def _training(training: dict) -> str:
    sentence = (
        f"{text.amount(training['hours'])} hours of {training.get('label', 'training').lower()}"
    )
    credits = training.get("credits") or {}
    if credits:
        sentence += (
            " ("
            + text.join(
                f"an active {code} counts for {text.amount(hours)}"
                for code, hours in credits.items()
            )
            + ")"
        )
    if training.get("waived_by"):
        sentence += f" (or an active {' or '.join(training['waived_by'])})"
    sentence += "."
    return (
        sentence[0].upper()
        + sentence[1:]
        + (" " + training["note"] if training.get("note") else "")
    )


@dataclass(frozen=True)
class Exam:
    version: str
    when: str
    length: str
    domains: list[tuple[str, str]]
    notes: list[str] = field(default_factory=list)
    disputed: bool = False


def exams(certification: Certification, on: date) -> list[Exam]:
    """The outline in force and any announced after it, in words."""
    result = []
    for version in (certification.exam or {}).get("versions") or []:
        if version.get("superseded"):
            continue
        ends = version.get("effective_to")
        if ends and date.fromisoformat(ends) < on:
            continue
        result.append(_exam(version))
    return result


def _exam(version: dict) -> Exam:
    disputed = (version.get("disputed") or {}).get("questions")
    if disputed:
        readings = [f"{d['value']} ({d['reading']})" for d in disputed]
        questions = text.join(readings, "or") + " questions, disputed"
    elif version.get("questions"):
        questions = f"{version['questions']} questions"
    else:
        questions = "number of questions unconfirmed"
    minutes = f"{version['minutes']} minutes" if version.get("minutes") else "time unconfirmed"
    length = f"{questions}; {minutes}"
    if version.get("passing_score_pct"):
        length += f"; pass mark {version['passing_score_pct']} %"
    start = version.get("effective_from")
    when = f"From {text.day(date.fromisoformat(start))}" if start and len(start) == 10 else ""
    domains = [(d["name"], f"{d['weight_pct']} %") for d in version.get("domains") or []]
    for d in version.get("domains_weight_range_pct") or []:
        weight = "unconfirmed" if d.get("min") is None else f"{d['min']}–{d['max']} %"
        domains.append((d["name"], weight))
    notes = [n for n in (version.get("breaks"), version.get("approach_mix")) if n]
    return Exam(str(version.get("id")), when, length, domains, notes, bool(disputed))


def renewal(policy: RenewalPolicy | None) -> list[str]:
    """The renewal rule in sentences."""
    if policy is None:
        return ["No renewal rules are known: unconfirmed."]
    if policy.lifetime:
        return ["Held for life: no PDUs and no renewal."]
    if policy.cycle_years is None:
        return ["The renewal cycle and PDUs are unconfirmed."]
    every = "every year" if policy.cycle_years == 1 else f"every {policy.cycle_years} years"
    if policy.pdus_required is None:
        return [f"Renew {every}; the PDUs required are unconfirmed."]
    if not policy.pdus_required:
        return [f"Renew {every} by attestation and fee, with no PDUs."]
    sentences = [f"Renew {every} with {text.pdus(policy.pdus_required)}."]
    education = (policy.categories or {}).get("education", {})
    parts = []
    if education.get("min"):
        parts.append(f"at least {education['min']} in Education")
    areas = set((policy.area_minimums or {}).values())
    if len(areas) == 1:
        parts.append(f"with at least {areas.pop()} in each Talent Triangle area")
    giving = (policy.categories or {}).get("giving_back", {})
    if giving.get("max") is not None:
        parts.append(f"at most {giving['max']} in Giving Back")
    if parts:
        sentences.append("Of them, " + text.join(parts) + ".")
    if policy.carry_over_allowed:
        most = (
            f"up to {text.amount(policy.carry_over_max)}"
            if policy.carry_over_max
            else ("how many is unconfirmed")
        )
        sentences.append(
            f"Extra PDUs from the final {policy.carry_over_window_months} months carry over "
            f"({most})."
        )
    if policy.grace_months:
        sentences.append(
            f"Miss the date and the credential is suspended for {policy.grace_months} months, in "
            "which PDUs still count and renewal restores it; then it expires."
        )
    else:
        sentences.append("Any grace period after the date is unconfirmed.")
    return sentences


def fees(certification: Certification, policy: RenewalPolicy | None) -> tuple[list[tuple], str]:
    """(label, amount words) rows and the line on how current they are."""
    fee = certification.fees or {}
    rows = []
    for key, label in (
        ("exam_member", "Exam, member"),
        ("exam_non_member", "Exam, non-member"),
        ("reexam_member", "Re-exam, member"),
        ("reexam_non_member", "Re-exam, non-member"),
        ("retake", "Retake"),
        ("membership_per_year", "Membership, a year"),
    ):
        if key in fee:
            amount = fee[key]
            rows.append(
                (
                    label,
                    "unconfirmed"
                    if amount is None
                    else f"{amount} {fee.get('currency', '')}".strip(),
                )
            )
    if policy is not None:
        for label, amount in (
            ("Renewal, member", policy.renewal_fee_member),
            ("Renewal, non-member", policy.renewal_fee_non_member),
        ):
            rows.append((label, "unconfirmed" if amount is None else f"{text.amount(amount)} USD"))
    issuer = ISSUER_WORDS.get(certification.issuer.code, certification.issuer.name)
    as_of = fee.get("as_of")
    line = f"As researched on {text.day(date.fromisoformat(as_of))}" if as_of else "Undated"
    if fee.get("verify_with_issuer"):
        line += f"; verify with {issuer} before you rely on them."
    return rows, line
