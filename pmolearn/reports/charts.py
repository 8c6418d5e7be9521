"""The headcount report as server-side SVG: certified people per certification by month; the
page shows the same rows as a table."""

from __future__ import annotations

from dataclasses import dataclass

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 40, 110, 16, 30
COLOURS = ("#0a58ca", "#b02a37", "#146c43", "#6f42c1", "#8a4b00", "#0b6e77", "#545b62", "#a3195b")
GAP = 14


@dataclass(frozen=True)
class Line:
    code: str
    colour: str
    points: str
    label_y: float
    last: int


@dataclass(frozen=True)
class Chart:
    lines: list[Line]
    x_ticks: list[tuple[float, str]]
    y_ticks: list[tuple[float, int]]
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    bottom: int = HEIGHT - BOTTOM


def headcount_chart(rows: list[dict]) -> Chart | None:
    months = sorted({r["month"] for r in rows})
    codes = sorted({r["certification"] for r in rows})
    if not months or not codes:
        return None
    value = {(r["month"], r["certification"]): r["people"] for r in rows}
    top = max([1, *value.values()])
    span = max(len(months) - 1, 1)

    def x(i: int) -> float:
        return round(LEFT + (WIDTH - LEFT - RIGHT) * i / span, 1)

    def y(v: int) -> float:
        return round(HEIGHT - BOTTOM - (HEIGHT - TOP - BOTTOM) * v / top, 1)

    lines = []
    ranked = sorted(codes, key=lambda c: -value.get((months[-1], c), 0))[: len(COLOURS)]
    for colour, code in zip(COLOURS, ranked, strict=False):
        series = [value.get((m, code), 0) for m in months]
        points = " ".join(f"{x(i)},{y(v)}" for i, v in enumerate(series))
        lines.append(Line(code, colour, points, y(series[-1]), series[-1]))
    placed, floor = [], HEIGHT - BOTTOM
    for line in sorted(lines, key=lambda item: -item.label_y):
        at = min(line.label_y, floor)
        if placed and placed[-1].label_y - at < GAP:
            at = placed[-1].label_y - GAP
        placed.append(Line(line.code, line.colour, line.points, round(at, 1), line.last))
    x_ticks = [(x(i), months[i]) for i in sorted({0, len(months) // 2, len(months) - 1})]
    y_ticks = [(y(v), v) for v in sorted({0, top // 2, top})]
    return Chart(placed, x_ticks, y_ticks)
