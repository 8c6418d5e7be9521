"""What the activities are called and who gave them, and practitioner@'s own history."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from pmolearn.demo.credentials.plans import Activity, CredentialPlan
from pmolearn.demo.credentials.tables import (
    AREAS,
    BOOKS,
    EDUCATION,
    GIVING_BACK,
    MEDIA_PROVIDERS,
    OTHER_COURSE_PROVIDERS,
    PRACTITIONER_DRAFTS,
    PRACTITIONER_HISTORY,
    SIZES,
    TOPICS,
    TRAINING_PARTNERS,
    WAP,
    Q,
)

if TYPE_CHECKING:  # for annotations only
    from pmolearn.demo.context import DemoPerson


class StoryTeller:
    """Names and describes activities; tells practitioner@'s story.

    A part of ``_Builder``, which holds the state."""

    def _describe(
        self, kind: str, area: str, chapter: str, completed: date
    ) -> tuple[str, str | None, str | None, date | None]:
        """(title, provider, provider id, started_on) of an activity of ``kind``."""
        rng = self.rng
        topic = rng.choice(TOPICS[area])
        if kind == "course":
            started = completed - timedelta(days=rng.randint(0, 30))
            if rng.random() < 0.6:
                provider, provider_id = rng.choice(TRAINING_PARTNERS)
                return topic, provider, provider_id, started
            return f"{topic} (e-learning)", rng.choice(OTHER_COURSE_PROVIDERS), None, started
        if kind == "online_media":
            form = rng.choice(("Webinar", "Webinar", "Podcast", "On-demand video"))
            return f"{form}: {topic}", rng.choice(MEDIA_PROVIDERS), None, None
        if kind == "organization_meeting":
            form = rng.choice(("meeting", "evening talk", "breakfast seminar"))
            return f"{chapter} {form}: {topic}", chapter, None, None
        if kind == "reading":
            return f"Book: {rng.choice(BOOKS[area])}", None, None, None
        if kind == "informal_learning":
            form = rng.choice(
                ("Peer learning circle", "Lessons-learned workshop", "Mentoring sessions")
            )
            return f"{form}: {topic}", None, None, None
        if kind == WAP:
            started = completed - timedelta(days=rng.randint(180, 365))
            return (
                f"Working as a project professional at {self.company}",
                self.company,
                None,
                started,
            )
        if kind == "create_content":
            form = rng.choice(
                ("Blog post", f"Article for the {chapter} newsletter", "Internal playbook")
            )
            return f"{form}: {topic}", None, None, None
        if kind == "give_presentation":
            form = rng.choice((f"Talk at the {chapter}", "Lunch-and-learn", "Conference session"))
            return f"{form}: {topic}", None, None, None
        if kind == "share_knowledge":
            title = rng.choice(
                (
                    "Mentoring a junior project manager",
                    "Coaching PMP candidates",
                    "Teaching the internal project fundamentals course",
                )
            )
            return title, None, None, None
        title = rng.choice(
            (
                f"{chapter} volunteer: events team",
                f"{chapter} volunteer: mentoring programme",
                "Pro bono project manager for a local charity",
                "Volunteer reviewer for a PMI standard",
            )
        )
        return title, chapter if chapter in title else None, None, None

    def _extras(
        self, person: DemoPerson, chapter: str, driver: CredentialPlan, acts: list[Activity]
    ) -> None:
        """A few drafts (not counted yet) and the odd rejected claim."""
        rng = self.rng
        if driver.fate != "active" or driver.target == "story":
            return
        start = driver.current_cycle.start
        if rng.random() < 0.2:
            for _ in range(rng.randint(1, 2)):
                completed = max(start, self.today - timedelta(days=rng.randint(0, 45)))
                area = rng.choice(AREAS)
                size = int(rng.choice(SIZES["online_media"]) * Q)
                title, provider, provider_id, started = self._describe(
                    "online_media", area, chapter, completed
                )
                areas = tuple(size if a == area else 0 for a in AREAS)
                acts.append(
                    self._new(
                        "online_media",
                        EDUCATION,
                        completed,
                        size,
                        areas=areas,
                        title=title,
                        provider=provider,
                        provider_id=provider_id,
                        status="draft",
                        notes="To finish: add the certificate.",
                    )
                )
        if rng.random() < 0.03:
            completed = self._date(start, self.today)
            acts.append(
                self._new(
                    "informal_learning",
                    EDUCATION,
                    completed,
                    2 * Q,
                    areas=(2 * Q, 0, 0),
                    title="Weekly project team stand-ups",
                    provider=None,
                    provider_id=None,
                    status="rejected",
                    reported_on=completed,
                    notes="Rejected by PMI: routine work is not learning.",
                )
            )

    def _practitioner_story(self, plan: CredentialPlan) -> list[Activity]:
        """API.md's example: Education 30 (Power Skills 6 of 8), Giving Back 17.5 of which
        Working as a Professional 11.5 (capped at 8), so 44 applied; plus two drafts."""
        start = plan.earned_on
        span = (self.today - start).days
        acts = []
        for share, kind, title, provider, provider_id, pdus, areas in PRACTITIONER_HISTORY:
            completed = start + timedelta(days=int(span * share))
            category = EDUCATION if areas else GIVING_BACK
            provider = {"{company}": self.company}.get(provider or "", provider)
            activity = self._new(
                kind,
                category,
                completed,
                int(pdus * Q),
                areas=tuple(int(x * Q) for x in areas) if areas else (0, 0, 0),
                title=title.format(company=self.company),
                provider=provider,
                provider_id=provider_id,
            )
            self._status(activity, past=share < 0.5)
            acts.append(activity)
        for days_ago, title, provider, pdus in PRACTITIONER_DRAFTS:
            completed = max(start, self.today - timedelta(days=days_ago))
            acts.append(
                self._new(
                    "online_media",
                    EDUCATION,
                    completed,
                    int(pdus * Q),
                    areas=(0, int(pdus * Q), 0),
                    title=title,
                    provider=provider,
                    provider_id=None,
                    status="draft",
                )
            )
        return acts
