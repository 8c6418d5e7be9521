"""The demo's people: names, emails, titles, managers, flags and calendar tokens, the four
sign-ins placed where their stories need them."""

from __future__ import annotations

import random
import re
import unicodedata

from faker import Faker

from pmolearn.demo.context import HR_CODE, PMO_CODE, ROOT_CODE, DemoPerson, DemoUnit
from pmolearn.demo.titles import (
    BUSINESS,
    EXPERIENCE_YEARS,
    PROFILES,
    TITLES,
    CareerStage,
    TitleInfo,
)
from pmolearn.people.models import new_calendar_token
from pmolearn.people.roles import AccessRole

EMAIL_DOMAIN = "demo.example.com"
PMI_MEMBER_SHARE = 0.6
INACTIVE_SHARE = 0.02
TARGET_ROLE_SHARE = 0.75  # project people with a next step on their ladder
BUSINESS_TARGET_SHARE = 0.1  # other staff who aim at project coordination

ADMIN_EMAIL = "admin@example.com"
HR_EMAIL = "hr@example.com"
PMO_EMAIL = "pmo@example.com"
PRACTITIONER_EMAIL = "practitioner@example.com"


class _EmailMaker:
    """``first.last@demo.example.com``, then ``first.last2@…``: unique by construction (the
    local part before the number holds letters, dots and hyphens only)."""

    def __init__(self) -> None:
        self.seen: dict[str, int] = {}

    def __call__(self, first: str, last: str) -> str:
        base = f"{_slug(first)}.{_slug(last)}".strip(".") or "person"
        n = self.seen[base] = self.seen.get(base, 0) + 1
        return f"{base}{n if n > 1 else ''}@{EMAIL_DOMAIN}"


def _slug(text_: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text_).encode("ascii", "ignore").decode()
    return re.sub(r"-+", "-", re.sub(r"[^a-z-]", "", ascii_text.lower())).strip("-")


def _calendar_token(used: set[str]) -> str:
    """A secret feed token from ``secrets`` (never from the seeded generator: anyone who knows
    the seed could then predict every demo person's private calendar address)."""
    while True:
        token = new_calendar_token()
        if token not in used:
            used.add(token)
            return token


def generate_people(
    rng: random.Random, faker: Faker, units: list[DemoUnit], first_id: int = 1
) -> list[DemoPerson]:
    """Everyone, unit by unit in tree order: the unit's manager first, then its members."""
    emails = _EmailMaker()
    tokens: set[str] = set()
    people: list[DemoPerson] = []
    next_id = first_id
    for unit in units:
        for position in range(unit.size):
            first, last = faker.first_name(), faker.last_name()
            sign_in = _sign_in_at(unit, position)
            if position == 0:
                title, info = unit.head_title, unit.head
            else:
                title = SIGN_IN_TITLES.get(sign_in or "") or _draw_title(rng, unit.profile)
                info = TITLES[title]
            target = _target_role(rng, info)
            low, high = EXPERIENCE_YEARS[info.stage]
            experience = rng.randint(low, high)
            inactive = rng.random() < INACTIVE_SHARE
            member = rng.random() < PMI_MEMBER_SHARE
            token = _calendar_token(tokens)
            if sign_in == "practitioner":
                target, member = "senior_project_manager", True
            if sign_in == "pmo":
                target = None
            roles = {AccessRole.PRACTITIONER.value}
            if position == 0 and unit.in_pmo:
                roles.add(AccessRole.PMO_HEAD.value)
            if sign_in == "admin":
                roles.add(AccessRole.ADMIN.value)
            if sign_in == "hr":
                roles.add(AccessRole.HR.value)
            if position == 0:
                unit.manager_id = next_id
                manager_id = unit.parent.manager_id if unit.parent else None
            else:
                manager_id = unit.manager_id
            people.append(
                DemoPerson(
                    id=next_id,
                    email=SIGN_IN_EMAILS[sign_in] if sign_in else emails(first, last),
                    name=f"{first} {last}",
                    unit=unit,
                    manager_id=manager_id,
                    job_title=title,
                    stage=info.stage,
                    track=info.track,
                    current_role=info.current_role,
                    target_role=target,
                    experience_years=experience,
                    active=not inactive or position == 0 or sign_in is not None,
                    pmi_member=member,
                    roles=tuple(sorted(roles)),
                    is_unit_manager=position == 0,
                    calendar_token=token,
                    sign_in=sign_in,
                )
            )
            next_id += 1
    return people


SIGN_IN_EMAILS = {
    "admin": ADMIN_EMAIL,
    "hr": HR_EMAIL,
    "pmo": PMO_EMAIL,
    "practitioner": PRACTITIONER_EMAIL,
}


#: The job titles of the sign-ins who are not unit managers.
SIGN_IN_TITLES = {
    "admin": "Systems Administrator",
    "hr": "HR Business Partner",
    "practitioner": "Project Manager",
}


def _draw_title(rng: random.Random, profile: str) -> str:
    pool = PROFILES[profile]
    return rng.choices([title for title, _ in pool], weights=[w for _, w in pool])[0]


def _sign_in_at(unit: DemoUnit, position: int) -> str | None:
    """pmo@ heads the Enterprise PMO and practitioner@ is its second person (reporting to pmo@);
    admin@ and hr@ are the second people of the root unit and Human Resources, or their
    managers in a company too small for both (``SEPARATE_HEADS_FROM``)."""
    if unit.code == PMO_CODE:
        return {0: "pmo", 1: "practitioner"}.get(position)
    if unit.code in (ROOT_CODE, HR_CODE) and position == unit.minimum - 1:
        return "admin" if unit.code == ROOT_CODE else "hr"
    return None


def _target_role(rng: random.Random, info: TitleInfo) -> str | None:
    draw = rng.random()
    if info.target_roles:
        return rng.choice(info.target_roles) if draw < TARGET_ROLE_SHARE else None
    if info.track == BUSINESS and info.stage <= CareerStage.PRACTITIONER:
        return "project_coordinator" if draw < BUSINESS_TARGET_SHARE else None
    return None
