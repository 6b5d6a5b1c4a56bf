"""The corpus chart of ``xxgk view``'s index: applications received and their outcomes, summed per report year, as
geometry the template draws as inline SVG."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from attrs import frozen

from xxgk import schema
from xxgk.records import Report


@frozen
class Bar:
    """One year of the corpus chart: the stacked outcome segments and the applications received."""

    year: int
    reports: int
    received: int
    segments: tuple[tuple[str, str, int, float, float], ...]  # (outcome key, label, count, y, height), SVG units
    x: float
    received_y: float


@frozen
class Chart:
    """The corpus chart's geometry (the template draws it as inline SVG)."""

    width: int
    height: int
    base: float
    bar_width: float
    top: int
    bars: tuple[Bar, ...]
    outcomes: tuple[tuple[str, str], ...]  # (key, label) in stacking order


# The outcome groups of the applications table's total column, stacked in this order (keys are row keys or the
# prefix of dotted ones).
_OUTCOMES = ("granted", "partial", "withheld", "unable", "not_processed", "other")


def _outcome_labels() -> tuple[tuple[str, str], ...]:
    rows = dict(schema.APPLICATION_ROWS["2021"])
    labels = ((k, schema.APPLICATION_GROUPS[k] if k in schema.APPLICATION_GROUPS else rows[k]) for k in _OUTCOMES)
    # (二)部分公开(区分处理的,…): the enumerator and the name, without the printed form's instruction.
    return tuple((k, label[:1] + label[1:].split("(")[0]) for k, label in labels)


def chart(reports: Iterable[Report], *, width: int = 640, height: int = 240) -> Chart | None:
    """Applications received (new_received, total column) and their outcomes, summed per report year; None when no
    report has a year and an applications table.  Empty cells (``/``) add nothing."""
    received: dict[int, int] = defaultdict(int)
    outcome: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(_OUTCOMES, 0))
    count: dict[int, int] = defaultdict(int)
    for r in reports:
        apps = r.tables.applications
        if r.year is None or not apps:
            continue
        count[r.year] += 1
        for row, cols in apps.items():
            v = cols.get("total")
            if v is None or v.value is None:
                continue
            group = row.partition(".")[0]
            if row == "new_received":
                received[r.year] += int(v.value)
            elif group in _OUTCOMES:
                outcome[r.year][group] += int(v.value)
    if not count:
        return None
    years = sorted(count)
    labels = dict(_outcome_labels())
    top = max(1, *received.values(), *(sum(o.values()) for o in outcome.values()))
    base, plot = height - 30.0, height - 50.0
    slot = (width - 60) / len(years)
    bars = []
    for i, year in enumerate(years):
        y = base
        segments = []
        for key in _OUTCOMES:
            n = outcome[year][key]
            h = plot * n / top
            y -= h
            segments.append((key, labels[key], n, round(y, 1), round(h, 1)))
        bars.append(
            Bar(
                year,
                count[year],
                received[year],
                tuple(segments),
                round(50 + i * slot + slot * 0.2, 1),
                round(base - plot * received[year] / top, 1),
            )
        )
    return Chart(width, height, base, round(slot * 0.6, 1), top, tuple(bars), _outcome_labels())
