"""The reports: each says its columns, the statuses and sorts it takes, and yields its rows in
order, a chunk at a time, so a CSV or XLSX of 100,000 rows never holds them all at once. The
JSON list, the page and the downloads all read these rows: they cannot disagree.

Statuses come from ``credentials.cycles``, PDU figures from the compliance engine, pursuit
stages from ``study``: nothing here re-derives a rule.

Each report is a module of this package (the roster and expiring share one); ``base`` holds what
they share.
"""

from __future__ import annotations

from pmolearn.reports.definitions.audit import AuditReport
from pmolearn.reports.definitions.base import Report
from pmolearn.reports.definitions.compliance import ComplianceReport
from pmolearn.reports.definitions.costs import CostsReport
from pmolearn.reports.definitions.headcount import HeadcountReport
from pmolearn.reports.definitions.pipeline import PipelineReport
from pmolearn.reports.definitions.roster import ExpiringReport, RosterReport

__all__ = ["REPORTS", "Report"]

REPORTS: dict[str, Report] = {
    r.name: r
    for r in (
        RosterReport(),
        ExpiringReport(),
        ComplianceReport(),
        PipelineReport(),
        CostsReport(),
        HeadcountReport(),
        AuditReport(),
    )
}
