"""What every report is: its columns, statuses and sorts, its rows a chunk at a time, and the
people in the viewer's scope it may show."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from pmolearn.credentials import cycles
from pmolearn.people.models import OrgUnit, Person
from pmolearn.people.scope import scope_filter
from pmolearn.reports.filters import Filters

CHUNK = 500
STATUSES = (cycles.ACTIVE, cycles.SUSPENDED, cycles.EXPIRED, cycles.RETIRED)
COMPLIANCE = ("complete", "on_track", "at_risk", "behind", "grace", "lapsed", "unconfirmed")


@dataclass(frozen=True)
class Column:
    key: str
    label: str


class Report:
    name = ""
    title = ""
    description = ""
    columns: tuple[Column, ...] = ()
    statuses: tuple[str, ...] = ()
    sorts: tuple[str, ...] = ()
    default_sort: str | None = None
    admin_only = False
    #: Extra query parameters the report takes.
    extra: frozenset[str] = frozenset()

    def rows(self, f: Filters) -> Iterator[dict]:
        raise NotImplementedError

    def page(self, f: Filters, offset: int, limit: int) -> tuple[int, list[dict]]:
        """(total, the rows of one page)."""
        rows = list(self.rows(f))
        return len(rows), rows[offset : offset + limit]

    @property
    def keys(self) -> list[str]:
        return [c.key for c in self.columns]


def _in_scope(query, f: Filters, person=Person):
    query = query.where(scope_filter(f.viewer), person.active.is_(True))
    if f.unit is not None:
        query = query.where(OrgUnit.path.startswith(f.unit.path))
    return query
