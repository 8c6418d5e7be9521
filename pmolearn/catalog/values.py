"""The catalog as plain values: what the per-process snapshot (``snapshot``) holds and every
page reads. Read-only: one snapshot is shared by every request of a process, so its JSON comes
as dicts and lists that refuse changes (copies of them are ordinary, free to change)."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from pmolearn.catalog import models


@dataclass(frozen=True)
class Issuer:
    id: int
    code: str
    name: str
    url: str | None
    notes: str | None


@dataclass(frozen=True)
class ActivityType:
    id: int
    policy_id: int
    code: str
    name: str
    category: str
    position: int
    cap_per_activity: Decimal | None
    cap_per_cycle: Decimal | None
    claims_per_cycle: int | None
    transferable: bool
    notes: str | None


@dataclass(frozen=True, eq=False)
class Policy:
    """A renewal policy, its activity types in order. Compared by identity (a snapshot holds
    one of each), so the engine's view of it can be kept beside it."""

    id: int
    certification_id: int
    certification_code: str
    effective_from: date
    scheme: str | None
    cycle_years: int | None
    pdus_required: Decimal | None
    categories: Mapping[str, Any]
    area_minimums: Mapping[str, Any]
    area_category: str
    carry_over_allowed: bool
    carry_over_max: Decimal | None
    carry_over_window_months: int
    grace_months: int | None
    renewal_fee_member: Decimal | None
    renewal_fee_non_member: Decimal | None
    notes: str | None
    source_codes: tuple[str, ...]
    confidence: str | None
    effective_from_known: bool
    lifetime: bool
    activity_types: tuple[ActivityType, ...] = ()

    @property
    def label(self) -> str:
        return models.policy_label(
            self.certification_code, self.effective_from, self.effective_from_known
        )

    @property
    def is_confirmed(self) -> bool:
        return models.policy_confirmed(self.cycle_years, self.pdus_required)


@dataclass(frozen=True, eq=False)
class RuleSet:
    id: int
    certification_id: int
    label: str
    position: int
    effective_from: date | None
    effective_to: date | None
    disputed: str | None
    rules: Mapping[str, Any]
    source_codes: tuple[str, ...]
    confidence: str | None

    def applies_on(self, day: date) -> bool:
        return models.rule_set_applies(self.effective_from, self.effective_to, day)


@dataclass(frozen=True, eq=False)
class Certification:
    """A certification with its issuer, policies (oldest first) and eligibility rule sets."""

    id: int
    code: str
    name: str
    issuer_id: int
    issuer: Issuer
    status: str
    level: str | None
    certifies: str | None
    superseded_by: str | None
    available_from: date | None
    eligibility: Mapping[str, Any]
    exam: Mapping[str, Any]
    fees: Mapping[str, Any]
    typical_roles: tuple[Any, ...]
    source_codes: tuple[str, ...]
    unconfirmed: tuple[Any, ...]
    suits: str | None
    study_hours: int | None
    exam_rules: Mapping[str, Any]
    policies: tuple[Policy, ...] = ()
    eligibility_rules: tuple[RuleSet, ...] = ()

    def policy_on(self, day: date) -> Policy | None:
        return models.policy_on(self.policies, day)

    def rules_on(self, day: date) -> RuleSet | None:
        return models.rules_on(self.eligibility_rules, day)

    def __repr__(self) -> str:
        return f"<Certification {self.code}>"


@dataclass(frozen=True)
class Catalog:
    revision: int
    #: In the catalog's order: by status (active first), then code.
    certifications: tuple[Certification, ...]
    by_id: Mapping[int, Certification] = field(repr=False)
    by_code: Mapping[str, Certification] = field(repr=False)
    policies: Mapping[int, Policy] = field(repr=False)

    def find(self, code: str) -> Certification | None:
        """By code, whatever its case (``pmp`` is the PMP)."""
        return (
            self.by_code.get(code)
            or self.by_code.get(code.upper())
            or next((c for c in self.certifications if c.code.lower() == code.lower()), None)
        )

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.certifications)


def frozen(value: Any) -> Any:
    """JSON as read-only dicts and lists: every request of the process shares them. They stay
    ``dict`` and ``list`` (the rules engines test for them, the API serialises them), and any
    attempt to change one raises."""
    if isinstance(value, dict):
        return FrozenDict({k: frozen(v) for k, v in value.items()})
    if isinstance(value, list):
        return FrozenList(frozen(v) for v in value)
    return value


def _read_only(*_args, **_kwargs):
    raise TypeError("the catalog's snapshot is shared by every request: copy it to change it")


class FrozenDict(dict):
    """A dict that refuses changes; its copies are plain dicts, free to change."""

    __slots__ = ()
    __setitem__ = __delitem__ = __ior__ = _read_only
    clear = pop = popitem = setdefault = update = _read_only

    def __copy__(self) -> dict:
        return dict(self)

    def __deepcopy__(self, memo) -> dict:
        return {k: copy.deepcopy(v, memo) for k, v in self.items()}

    def __reduce__(self):
        return dict, (dict(self),)


class FrozenList(list):
    """A list that refuses changes; its copies are plain lists, free to change."""

    __slots__ = ()
    __setitem__ = __delitem__ = __iadd__ = __imul__ = _read_only
    append = extend = insert = pop = remove = clear = sort = reverse = _read_only

    def __copy__(self) -> list:
        return list(self)

    def __deepcopy__(self, memo) -> list:
        return [copy.deepcopy(v, memo) for v in self]

    def __reduce__(self):
        return list, (list(self),)
