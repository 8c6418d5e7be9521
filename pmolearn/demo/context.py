"""What the demo's builders are handed (``DemoContext``: the units, the people, a random stream
each, the bulk insert) and what ``build_demo`` returns."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from faker import Faker

from pmolearn.demo.bulk import _next_id, insert_rows
from pmolearn.demo.titles import BUSINESS, CareerStage, TitleInfo

#: The codes of the units the sign-ins belong to (the company, its PMO, HR).
ROOT_CODE, PMO_CODE, HR_CODE = "HQ", "PMO", "HR"


@dataclass(eq=False)
class DemoUnit:
    """One org unit of the demo; ``id``/``path`` are final, ``manager_id`` set with people."""

    code: str
    name: str
    kind: str  # root, pmo, pmo_sub, division, team
    profile: str
    parent: DemoUnit | None = field(default=None, repr=False)
    head: TitleInfo = field(default=TitleInfo(CareerStage.LEAD, BUSINESS), repr=False)
    head_title: str = ""
    weight: float = 1.0
    minimum: int = 1
    size: int = 0
    children: list[DemoUnit] = field(default_factory=list, repr=False)
    id: int = 0
    path: str = "/"
    manager_id: int | None = None

    @property
    def in_pmo(self) -> bool:
        """The Enterprise PMO or one of its sub-units."""
        unit: DemoUnit | None = self
        while unit is not None:
            if unit.code == PMO_CODE:
                return True
            unit = unit.parent
        return False

    def walk(self) -> Iterator[DemoUnit]:
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(eq=False, slots=True)
class DemoPerson:
    id: int
    email: str
    name: str
    unit: DemoUnit
    manager_id: int | None
    job_title: str
    stage: CareerStage
    track: str
    current_role: str | None  # JobRole code (kept even when the catalog lacks it)
    target_role: str | None
    experience_years: int
    active: bool
    pmi_member: bool
    roles: tuple[str, ...]
    is_unit_manager: bool
    calendar_token: str
    sign_in: str | None = None  # "admin", "hr", "pmo", "practitioner"

    @property
    def is_project_professional(self) -> bool:
        return self.track != BUSINESS


@dataclass(eq=False)
class DemoContext:
    """Everything a builder needs; builders insert through ``insert`` and return their counts."""

    seed: int
    rng: random.Random
    faker: Faker
    today: date
    password_hash: str
    units: list[DemoUnit]
    people: list[DemoPerson]
    job_role_ids: dict[str, int]
    sign_ins: dict[str, DemoPerson]
    created_at: datetime
    #: Tables that received explicit ids (their PostgreSQL sequences are advanced at the end).
    explicit_id_tables: set[str] = field(default_factory=set)

    def stream(self, name: str) -> random.Random:
        """A random stream of its own per builder, so adding one builder changes no other."""
        return random.Random(f"{self.seed}:{name}")

    def unit(self, code: str) -> DemoUnit:
        return next(u for u in self.units if u.code == code)

    def next_id(self, model: type) -> int:
        """The first free id of ``model``'s table, for builders that assign their own ids."""
        return _next_id(model)

    def insert(self, model: type, rows: Sequence[dict[str, Any]]) -> int:
        """Bulk-insert ``rows`` (dicts with the same keys) in chunks; returns how many."""
        return insert_rows(model, rows, self.explicit_id_tables)


Builder = Callable[[DemoContext], dict[str, int]]


@dataclass(frozen=True)
class DemoSignIn:
    key: str
    email: str
    name: str
    roles: tuple[str, ...]
    description: str

    def __iter__(self) -> Iterator[str]:
        """Unpacks as ``email, roles`` (roles joined with "+"), as the CLI prints them."""
        return iter((self.email, "+".join(self.roles)))


@dataclass
class DemoSummary:
    seed: int
    password: str
    counts: dict[str, int]
    sign_ins: list[DemoSignIn]

    @property
    def staff(self) -> int:
        return self.counts["people"]

    def lines(self) -> list[str]:
        """What ``pmolearn demo`` prints."""
        out = [f"Demo organisation (seed {self.seed}):"]
        out += [f"  {name}: {count}" for name, count in self.counts.items()]
        out.append(f"Sign-ins (password: {self.password}):")
        out += [
            f"  {s.email:<26} {'+'.join(s.roles):<24} {s.name} - {s.description}"
            for s in self.sign_ins
        ]
        return out
