"""The demo study's first phase: each project professional's background."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from pmolearn.clock import add_years
from pmolearn.demo.study.tables import (
    COURSES,
    EDUCATION,
    KIND_OF_TITLE,
    ORGANISATIONS,
    PROJECTS,
    Background,
    _draw,
)
from pmolearn.study.background import TOPIC_OF

if TYPE_CHECKING:  # for annotations only
    from pmolearn.demo.context import DemoPerson


class BackgroundWriter:
    """Education, experience and training: the facts eligibility is judged on.

    A part of ``_Builder``, which holds the state."""

    def _background(self, person: DemoPerson) -> Background:
        rng = self.rng
        education = _draw(rng, EDUCATION)
        gac = education in ("bachelor", "postgraduate") and rng.random() < 0.06
        found = Background(education, gac)
        years = max(person.experience_years, 1)
        began = add_years(self.today, -years) - timedelta(days=rng.randrange(0, 200))
        kind = KIND_OF_TITLE.get(person.job_title, "project")
        agile = person.track == "agile"
        if years > 4 and rng.random() < 0.8:  # an earlier job, often overlapping the current
            switch = add_years(self.today, -rng.randint(2, min(years - 1, 8)))
            ended = switch + timedelta(days=rng.randrange(0, 120))
            earlier_agile = agile and rng.random() < 0.5
            found.experience.append(self._entry(person, began, ended, "project", earlier_agile))
            began = switch
        found.experience.append(self._entry(person, began, None, kind, agile))
        if years > 6 and kind == "project" and rng.random() < 0.3:  # a programme on the side
            side = add_years(self.today, -rng.randint(1, 4))
            found.experience.append(self._entry(person, side, None, "program", False))
        return found

    def _training_behind_holdings(self, person: DemoPerson) -> None:
        """The contact hours an exam asked for, a few weeks before the credential was earned."""
        for held in self.held.get(person.id, []):
            hours = {"PMP": 35, "CAPM": 23, "PMI-ACP": 21, "PgMP": 21}.get(held.certification)
            earned = self.earned.get(held.credential_id)
            if hours and earned:
                topic = TOPIC_OF.get(held.certification, "project_management")
                self._training(person.id, topic, Decimal(hours), earned - timedelta(weeks=6))

    def _entry(self, person, start: date, end: date | None, kind: str, agile: bool) -> dict:
        rng = self.rng
        if end is None:
            title, organisation = person.job_title, self.ctx.units[0].name
        else:
            title, organisation = rng.choice(PROJECTS), rng.choice(ORGANISATIONS)
        return {
            "person_id": person.id,
            "title": title,
            "organisation": organisation,
            "kind": kind,
            "agile": agile,
            "started_on": start,
            "ended_on": end,
            "created_at": self.created_at,
        }

    def _training(self, person_id: int, topic: str, hours: Decimal, on: date) -> None:
        title, provider = COURSES[topic]
        self.backgrounds[person_id].training.append(
            {
                "person_id": person_id,
                "title": title,
                "provider": provider,
                "topic": topic,
                "hours": hours,
                "completed_on": min(on, self.today),
                "created_at": self.created_at,
            }
        )
