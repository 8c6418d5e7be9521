"""The pipeline report: pursuits by stage and certification."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator

from sqlalchemy import case, func, select

from pmolearn.catalog.models import Certification
from pmolearn.extensions import db
from pmolearn.people.models import OrgUnit, Person
from pmolearn.reports.definitions.base import Column, Report, _in_scope
from pmolearn.reports.filters import Filters
from pmolearn.study.fields import STAGES
from pmolearn.study.models import ExamAttempt, Pursuit


class PipelineReport(Report):
    name = "pipeline"
    title = "Study pipeline and pass rates"
    description = "Pursuits per certification, stage by stage, with attempts and the pass rate."
    columns = (
        Column("certification", "Certification"),
        *(Column(s, s.replace("_", " ").capitalize()) for s in STAGES),
        Column("attempts", "Exam attempts"),
        Column("passes", "Passes"),
        Column("pass_rate", "Pass rate"),
    )
    statuses = STAGES
    sorts = ("certification", "attempts", "pass_rate")
    default_sort = "certification"

    def rows(self, f: Filters) -> Iterator[dict]:
        base = (
            select(Certification.code, Pursuit.stage, func.count())
            .join(Pursuit, Pursuit.certification_id == Certification.id)
            .join(Person, Person.id == Pursuit.person_id)
            .join(OrgUnit, OrgUnit.id == Person.org_unit_id)
            .group_by(Certification.code, Pursuit.stage)
        )
        base = _in_scope(base, f)
        attempts = (
            select(
                Certification.code,
                func.count(),
                func.sum(case((ExamAttempt.passed.is_(True), 1), else_=0)),
            )
            .join(Pursuit, Pursuit.certification_id == Certification.id)
            .join(ExamAttempt, ExamAttempt.pursuit_id == Pursuit.id)
            .join(Person, Person.id == Pursuit.person_id)
            .join(OrgUnit, OrgUnit.id == Person.org_unit_id)
            .group_by(Certification.code)
        )
        attempts = _in_scope(attempts, f)
        if f.certification is not None:
            base = base.where(Pursuit.certification_id == f.certification.id)
            attempts = attempts.where(Pursuit.certification_id == f.certification.id)
        stages: dict[str, Counter] = defaultdict(Counter)
        for code, stage, n in db.session.execute(base):
            stages[code][stage] += n
        tried = {code: (n, int(p or 0)) for code, n, p in db.session.execute(attempts)}
        rows = []
        for code in sorted(set(stages) | set(tried)):
            if f.status is not None and not stages[code][f.status]:
                continue
            n, passes = tried.get(code, (0, 0))
            rows.append(
                {
                    "certification": code,
                    **{s: stages[code][s] for s in STAGES},
                    "attempts": n,
                    "passes": passes,
                    "pass_rate": round(passes / n, 3) if n else None,
                }
            )
        key = f.sort_key or self.default_sort
        rows.sort(
            key=lambda r: (r[key] is None, r[key] if r[key] is not None else 0),
            reverse=f.descending,
        )
        yield from rows
