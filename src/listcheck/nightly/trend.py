"""How the list fared night after night: broken, moved and transient links per UTC night,
kept as a short series in the tracking issue's state and drawn there as a Mermaid line
chart, which GitHub renders in issue bodies.

Mermaid's ``xychart-beta`` has no missing values: every line needs a number for every
category. A night without a record (no run, a failed run, the issue closed while the list
was clean) is therefore left off the axis rather than drawn as zero, and the caption under
the chart names those nights: a zero would claim a clean list nobody checked."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final

from listcheck.models import Report, Verdict
from listcheck.nightly.model import DAY

WINDOW: Final = 30
"""Nights the chart covers, tonight included; older points are dropped from the state."""


Y_FLOOR: Final = 10
"""The y-axis reaches at least this far, so that small counts get whole-number ticks and a
change from 1 to 2 does not fill the chart's height."""


SERIES: Final = (
    ("broken", "red", "#cf222e"),
    ("moved", "blue", "#0969da"),
    ("transient", "yellow", "#bf8700"),
)
"""Series in drawing order with the colour the caption names them by: GitHub's Mermaid
draws no legend, and its palette colours lines in the order they are declared."""


_INIT: Final = (
    '%%{init: {"xyChart": {"width": 1000, "height": 320, "xAxis": {"labelFontSize": 11}}, '
    '"themeVariables": {"xyChart": {"plotColorPalette": "'
    + ", ".join(colour for _, _, colour in SERIES)
    + '"}}}}%%'
)
"""Wide enough for 30 ``MM-DD`` labels side by side (Mermaid draws axis labels level and
lets them overlap); GitHub scales the drawing down to the issue's width."""


@dataclass(frozen=True, order=True)
class Night:
    """One night's counts: unique URLs by verdict, as the JSON report's links give them."""

    day: int
    """The UTC day, counted from 1970-01-01: a second run that day replaces the point."""
    broken: int
    moved: int
    transient: int

    def to_json(self) -> list[int]:
        return [self.day, self.broken, self.moved, self.transient]

    @classmethod
    def from_json(cls, item: Any) -> Night | None:
        """A stored point, or None when it is not four whole numbers >= 0 (a hand edit)."""
        if not isinstance(item, list) or len(item) != 4:
            return None
        if not all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in item):
            return None
        return cls(*item)


def day_of(now: float) -> int:
    return math.floor(now / DAY)


def tonight(report: Report, now: float) -> Night | None:
    """Tonight's point, or None for an offline report: it checked no link, and its zeros
    would read as a clean night."""
    if report.stats.offline:
        return None
    counts = Counter(link.verdict for link in report.links)
    return Night(
        day_of(now), counts[Verdict.BROKEN], counts[Verdict.MOVED], counts[Verdict.TRANSIENT]
    )


def normalized(points: Iterable[Night]) -> tuple[Night, ...]:
    """One point per day (the last one given wins), oldest first, at most :data:`WINDOW`."""
    by_day = {point.day: point for point in points}
    return tuple(sorted(by_day.values()))[-WINDOW:]


def record(series: Sequence[Night], night: Night | None) -> tuple[Night, ...]:
    """The series with tonight's point: a second run on the same UTC day replaces that
    day's point, and nights that fell out of the window (or lie after tonight: a clock
    gone wrong) are dropped."""
    if night is None:
        return normalized(series)
    kept = [point for point in series if night.day - WINDOW < point.day < night.day]
    return normalized([*kept, night])


def _date(day: int, form: str) -> str:
    return datetime.fromtimestamp(day * DAY, UTC).strftime(form)


def _numbers(values: Iterable[int]) -> str:
    return "[" + ", ".join(str(value) for value in values) + "]"


def chart(series: Sequence[Night], now: float) -> str:
    """The issue's trend section: the chart of the nights in the window ending tonight,
    its caption, and the nights without a record; one line instead while fewer than two
    nights are known (a single point draws no line)."""
    today = day_of(now)
    shown = [point for point in normalized(series) if today - WINDOW < point.day <= today]
    if len(shown) < 2:
        return (
            "*Broken, moved and transient links per night are charted here "
            "from the second night on.*"
        )
    top = max(Y_FLOOR, *(max(p.broken, p.moved, p.transient) for p in shown))
    labels = ", ".join(f'"{_date(point.day, "%m-%d")}"' for point in shown)
    lines = [
        "### Last 30 nights",
        "",
        "```mermaid",
        _INIT,
        "xychart-beta",
        f'    x-axis "night (UTC)" [{labels}]',
        f'    y-axis "links" 0 --> {top}',
        f"    line {_numbers(point.broken for point in shown)}",
        f"    line {_numbers(point.moved for point in shown)}",
        f"    line {_numbers(point.transient for point in shown)}",
        "```",
        "",
    ]
    named = [f"{name} ({colour})" for name, colour, _ in SERIES]
    caption = (
        f"Links {', '.join(named[:-1])} and {named[-1]}, one point per night, "
        f"{_date(shown[0].day, '%Y-%m-%d')} to {_date(shown[-1].day, '%Y-%m-%d')} (UTC)."
    )
    recorded = {point.day for point in shown}
    missing = [day for day in range(shown[0].day, shown[-1].day) if day not in recorded]
    if missing:
        dates = ", ".join(_date(day, "%m-%d") for day in missing)
        plural = "s" if len(missing) != 1 else ""
        caption += (
            f" No record for {len(missing)} night{plural} ({dates}): left off the axis, "
            "not drawn as zero."
        )
    return "\n".join([*lines, caption])
