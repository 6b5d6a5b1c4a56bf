"""Generated multi-year corpora for the panel, compare and view tests: invented agencies, each with one report a
year whose tables satisfy every identity of its template, and carry-over from one year to the next — except where a
test plants a break.

Reports are written with :mod:`tests.render`'s grids (every label from ``xxgk.schema``) under a title naming the
agency and the year, so the whole pipeline reads them back.
"""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path
from typing import Any

from tests import render
from xxgk.schema import ACTIVE_DISCLOSURE, AMOUNT_COLUMNS, APPLICATION_ROWS, REVIEW_COLUMNS, REVIEW_GROUPS, SECTIONS

APPLICANTS = ("natural_person", "commercial", "research", "public_interest", "legal_service", "other_org")
NOT_RESULTS = frozenset({"new_received", "carried_over", "total", "carried_forward"})


def template_of(year: int) -> str:
    """The national format a report for ``year`` follows (2019 up to 2020, then 2021)."""
    return "2019" if year <= 2020 else "2021"


def tables(rng: random.Random, year: int, carried_over: dict[str, int]) -> dict[str, Any]:
    """Consistent tables for ``year``: every row and column adds up, ``carried_over`` is the given one (by applicant
    column), small random values elsewhere (at most 5 a cell, so no change is a jump at the default floor)."""
    template = template_of(year)
    rows = [key for key, _ in APPLICATION_ROWS[template]]
    results = [r for r in rows if r not in NOT_RESULTS]
    apps: dict[str, dict[str, Any]] = {r: {} for r in rows}
    for col in APPLICANTS:
        for r in results:
            apps[r][col] = rng.randint(0, 3)
        total = sum(apps[r][col] for r in results)
        forward = rng.randint(0, 3)
        over = carried_over[col]
        new = total + forward - over
        if new < 0:  # more carried over than handled: handle more
            apps["granted"][col] -= new
            total -= new
            new = 0
        apps["total"][col], apps["carried_forward"][col] = total, forward
        apps["carried_over"][col], apps["new_received"][col] = over, new
    for r in rows:
        apps[r]["total"] = sum(apps[r][c] for c in APPLICANTS)
    reviews: dict[str, dict[str, Any]] = {}
    for group, _ in REVIEW_GROUPS:
        parts = {c: rng.randint(0, 3) for c, _ in REVIEW_COLUMNS if c != "total"}
        reviews[group] = {**parts, "total": sum(parts.values())}
    active: dict[str, Any] = {}
    for item, (item_rows, columns) in ACTIVE_DISCLOSURE[template].items():
        active[item] = {}
        for row, _ in item_rows:
            cells: dict[str, Any] = {}
            for col, _ in columns:
                if (item, col) in AMOUNT_COLUMNS:
                    cells[col] = Decimal(rng.randint(100, 500)) / 10  # 10.0-50.0: never a jump
                elif col == "change":
                    cells[col] = rng.randint(-3, 3)
                else:
                    cells[col] = rng.randint(0, 5)
            active[item][row] = cells
    # The warnings of 第二十条第(一)项: what is in force (or published) includes this year's.
    for cells in active["art20_1"].values():
        if template == "2021":
            cells["in_force"] = cells["issued"] + rng.randint(0, 5)
        else:
            cells["total_published"] = cells["new_published"] + rng.randint(0, 5)
    return {"active_disclosure": active, "applications": apps, "reviews": reviews}


def forward(tables: dict[str, Any]) -> dict[str, int]:
    """The applications carried forward by applicant column: next year's carried_over."""
    return {c: tables["applications"]["carried_forward"][c] for c in APPLICANTS}


def text(title: str, year: int, values: dict[str, Any], form: str = "lines") -> str:
    """A report: ``title``, the six section headings, the tables of ``year``'s template under 二/三/四."""
    template = template_of(year)
    grids = render.grids(values, template)
    parts = [title + "\n"]
    for numeral, (key, section_title, _) in zip(render.NUMERALS, SECTIONS, strict=True):
        parts.append(f"{numeral}、{section_title}\n")
        parts.append(render.render_block(grids[key], form) if key in grids else "本年度无需要说明的情况。\n")
    return ("\n" if form == "paragraphs" else "").join(parts)


def write_series(
    folder: Path,
    agency: str,
    years: range,
    *,
    seed: int,
    printed: dict[int, str] | None = None,
    carry_breaks: dict[int, dict[str, int]] | None = None,
    edits: dict[int, dict[str, Any]] | None = None,
) -> dict[int, dict[str, Any]]:
    """One agency's reports for ``years`` written to ``folder`` (``<agency>_<year>.txt``); returns the tables.

    ``printed`` gives the name as a year's title prints it (spaces, full width, Traditional) where it differs;
    ``carry_breaks`` adds to that year's carried_over by column (the report stays consistent in itself: its
    new_received absorbs it); ``edits`` sets cells (``{"active_disclosure/art20_5/licensing/decisions": 900}``).
    """
    rng = random.Random(seed)
    over = {c: rng.randint(0, 3) for c in APPLICANTS}
    written: dict[int, dict[str, Any]] = {}
    for year in years:
        for col, delta in (carry_breaks or {}).get(year, {}).items():
            over[col] += delta
        values = tables(rng, year, over)
        for path, value in (edits or {}).get(year, {}).items():
            *where, last = path.split("/")
            node = values
            for part in where:
                node = node[part]
            node[last] = value
        name = (printed or {}).get(year, agency)
        title = f"{name}{year}年政府信息公开工作年度报告"
        (folder / f"{agency}_{year}.txt").write_text(text(title, year, values), encoding="utf-8")
        written[year] = values
        over = forward(values)
    return written
