"""The PDU claims a credential counts, as this package sees them.

Claims are recorded by the ``pdus`` package, which sits above this one: ``pdus`` imports
``credentials``, never the reverse. So ``pdus`` hands over a :class:`ClaimSource` when the app
is built (``pdus.init_app``), and compliance, the credential page and the audit pack read claims
only through it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple, Protocol

from pmolearn.credentials import compliance
from pmolearn.credentials.cycles import Window


class ClaimRecord(NamedTuple):
    """One PDU claim applied to a credential: what counting and listing it need. A named
    tuple, not a dataclass: a page builds one per claim (a hundred or more), and a frozen
    dataclass took five times as long to make."""

    id: int
    title: str
    activity_type: str
    category: str
    completed_on: date
    pdus: Decimal
    areas: Mapping[str, Decimal]
    status: str
    provider: str | None = None
    reported_on: date | None = None
    evidence_count: int = 0

    @property
    def claim(self) -> compliance.Claim:
        return compliance.Claim(
            id=self.id,
            activity_type=self.activity_type,
            completed_on=self.completed_on,
            pdus=self.pdus,
            areas={a: v for a, v in self.areas.items() if v},
            status=self.status,
        )


@dataclass(frozen=True)
class EvidenceRecord:
    name: str
    #: The stored file; None when it is missing on disk.
    path: Path | None
    extension: str


@dataclass(frozen=True)
class AuditClaim:
    """A counted claim for the audit pack: its CSV cells (in the claim fields' order) and files."""

    id: int
    cells: tuple[tuple[str, object], ...]
    evidence: tuple[EvidenceRecord, ...] = field(default_factory=tuple)


class ClaimSource(Protocol):
    def for_credentials(
        self, credential_ids: Sequence[int], since: date | None = None
    ) -> dict[int, list[ClaimRecord]]:
        """Every claim applied to each credential, oldest first, in a fixed number of queries;
        with ``since``, only those completed on or after it."""

    def for_audit(self, credential_id: int, window: Window) -> list[AuditClaim]:
        """The claimed or approved claims of one credential inside ``window``, with evidence."""

    def audit_columns(self) -> tuple[str, ...]:
        """The CSV columns of :attr:`AuditClaim.cells`, in order."""


_source: ClaimSource | None = None


def register(source: ClaimSource) -> None:
    global _source
    _source = source


def source() -> ClaimSource:
    if _source is None:
        raise RuntimeError("No claim source: create_app() wires the pdus package in.")
    return _source
