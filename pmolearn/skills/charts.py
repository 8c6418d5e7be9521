"""The capability timeline as server-side SVG (no JavaScript, no CDN): valid holders of each
certification month by month. The page puts the same numbers in a table beside it."""

from __future__ import annotations

from dataclasses import dataclass, replace

from pmolearn import text
from pmolearn.skills.capability import Month

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 40, 110, 16, 30
#: Distinct, AA-contrast line colours (on white), one per certification shown.
COLOURS = ("#0a58ca", "#b02a37", "#146c43", "#6f42c1", "#8a4b00", "#0b6e77", "#545b62", "#a3195b")
SHOWN = len(COLOURS)


@dataclass(frozen=True)
class Line:
    code: str
    colour: str
    points: str
    last_y: float
    last: int


@dataclass(frozen=True)
class Timeline:
    lines: list[Line]
    x_ticks: list[tuple[float, str]]
    y_ticks: list[tuple[float, int]]
    summary: str
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    bottom: int = HEIGHT - BOTTOM


def timeline_chart(months: list[Month]) -> Timeline | None:
    if not months or not months[0].certifications:
        return None
    codes = [c.code for c in sorted(months[0].certifications, key=lambda c: -c.valid_holders)]
    codes = codes[:SHOWN]
    top = max([1] + [c.valid_holders for m in months for c in m.certifications if c.code in codes])
    span = max(len(months) - 1, 1)

    def x(i: int) -> float:
        return round(LEFT + (WIDTH - LEFT - RIGHT) * i / span, 1)

    def y(value: int) -> float:
        return round(HEIGHT - BOTTOM - (HEIGHT - TOP - BOTTOM) * value / top, 1)

    lines = []
    for colour, code in zip(COLOURS, codes, strict=False):
        values = [next(c.valid_holders for c in m.certifications if c.code == code) for m in months]
        points = " ".join(f"{x(i)},{y(v)}" for i, v in enumerate(values))
        lines.append(Line(code, colour, points, y(values[-1]), values[-1]))
    lines = _spread_labels(lines)
    x_ticks = [(x(i), months[i].month) for i in sorted({0, len(months) // 2, len(months) - 1})]
    y_ticks = [(y(v), v) for v in sorted({0, top // 2, top})]
    drops = []
    for code in codes:
        first = next(c.valid_holders for c in months[0].certifications if c.code == code)
        for m in months:
            now = next(c.valid_holders for c in m.certifications if c.code == code)
            if now < first:
                drops.append(f"{code} falls to {now} in {text.month(m.on)}")
                break
    summary = "; ".join(drops) + "." if drops else "No valid holder count falls in this period."
    return Timeline(lines, x_ticks, y_ticks, summary)


LABEL_GAP = 14


def _spread_labels(lines: list[Line]) -> list[Line]:
    """Move the end labels apart so that none overlaps another: from the lowest up, each at
    its line's end or at least ``LABEL_GAP`` above the one below, never under the x axis."""
    placed: list[Line] = []
    floor = HEIGHT - BOTTOM
    for line in sorted(lines, key=lambda item: -item.last_y):
        y = min(line.last_y, floor)
        if placed and placed[-1].last_y - y < LABEL_GAP:
            y = placed[-1].last_y - LABEL_GAP
        placed.append(replace(line, last_y=round(y, 1)))
    return placed
