"""Charts of a study plan drawn as SVG on the server (no JavaScript, no CDN): the burn-up of
planned against logged hours, and each domain's coverage. Pages put a table of the same numbers
beside each chart, for screen readers and print."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from pmolearn import text
from pmolearn.study.plan import BurnUpPoint, Plan, Progress

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 16, 36


@dataclass(frozen=True)
class Tick:
    x: float
    y: float
    label: str


@dataclass(frozen=True)
class BurnUp:
    planned: str  # SVG polyline points
    logged: str
    today_x: float | None
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    summary: str
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    bottom: float = HEIGHT - BOTTOM


def burn_up_chart(plan: Plan, points: list[BurnUpPoint], on: date) -> BurnUp:
    span = max((plan.exam_on - plan.started_on).days, 1)
    top = max([plan.total_hours, *(p.logged for p in points if p.logged is not None)])
    top = max(top, Decimal(1))

    def x(day: date) -> float:
        return round(LEFT + (WIDTH - LEFT - RIGHT) * (day - plan.started_on).days / span, 1)

    def y(value: Decimal) -> float:
        return round(HEIGHT - BOTTOM - (HEIGHT - TOP - BOTTOM) * float(value / top), 1)

    planned = " ".join(f"{x(p.on)},{y(p.planned)}" for p in points)
    logged = " ".join(f"{x(p.on)},{y(p.logged)}" for p in points if p.logged is not None)
    middle = plan.started_on + (plan.exam_on - plan.started_on) / 2
    x_ticks = [
        Tick(x(d), HEIGHT - 12, text.day(d)) for d in (plan.started_on, middle, plan.exam_on)
    ]
    y_ticks = [Tick(LEFT - 6, y(v), text.amount(v)) for v in (Decimal(0), top / 2, top)]
    last = next((p for p in reversed(points) if p.logged is not None), None)
    summary = (
        f"Planned hours rise to {text.amount(plan.total_hours)} by {text.day(plan.exam_on)}; "
        f"{text.amount(last.logged if last else 0)} logged by {text.day(min(on, plan.exam_on))}."
    )
    today_x = x(on) if plan.started_on <= on <= plan.exam_on else None
    return BurnUp(planned, logged, today_x, x_ticks, y_ticks, summary)


@dataclass(frozen=True)
class Bar:
    name: str
    logged: Decimal
    planned: Decimal
    weight: Decimal
    percent: float  # logged / planned, capped at 100 for the bar
    caption: str


def coverage_bars(progress: Progress) -> list[Bar]:
    bars = []
    for d in progress.by_domain:
        share = float(d.share) * 100
        shown = round(float(d.hours_logged / d.planned_hours) * 100) if d.planned_hours else 0
        caption = (
            f"{text.amount(d.hours_logged)} of {text.amount(d.planned_hours)} hours "
            f"({shown} %), weight {text.amount(d.weight)} %"
        )
        bars.append(
            Bar(d.name, d.hours_logged, d.planned_hours, d.weight, round(share, 1), caption)
        )
    return bars
