"""Test renderers: the three statutory tables, given as plain values, written out as report text in each
serialisation the parser reads (see ``xxgk.tables.serial``), optionally in Traditional characters and with CRLF line
ends.

Plain values have the shape of the gold files' ``tables``: ``{"active_disclosure": {item: {row: {column: v}}},
"applications": {row: {column: v}}, "reviews": {group: {column: v}}}`` with ``v`` an int, a Decimal (or a float, as
JSON gives amounts) or None (printed ``/``).  Every key and statutory label comes from :mod:`xxgk.schema`.

A table is first laid out as a grid (rows of cell texts, the printed form of the national template) and the grid is
then written in one serialisation.  The pipe forms pad short rows as the Word extractors do: ``cell_lines`` with a
``||`` line, ``pipe_rows`` with a `` ||`` run, ``markdown`` with empty cells.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Final

import opencc
from hypothesis import strategies as st

from xxgk.schema import (
    ACTIVE_DISCLOSURE,
    AMOUNT_COLUMNS,
    APPLICANT_COLUMNS,
    APPLICATION_GROUPS,
    APPLICATION_ROWS,
    ART20_ITEMS,
    REVIEW_COLUMNS,
    REVIEW_GROUPS,
    SECTIONS,
    SIGNED_COLUMNS,
)

FORMS: Final = ("paragraphs", "lines", "pipe_rows", "markdown", "cell_lines", "tab_rows", "spaced_rows", "tsv_rows")
# Forms in which a cell may run over several lines.
WRAPPING_FORMS: Final = frozenset({"paragraphs", "tab_rows"})

# Printed header cells that name no key (so schema.py does not hold them).
INFO_CONTENT: Final = "信息内容"
APPLICANT_HEAD: Final = "申请人情况"
ORGS_HEAD: Final = "法人或其他组织"
LITIGATION_HEAD: Final = "行政诉讼"
BALANCE_NOTE: Final = "(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)"
# The applications row under which the results heading (三、本年度办理结果) is printed.
FIRST_RESULT_ROW: Final = "granted"

NUMERALS: Final = "一二三四五六"
TABLE_SECTIONS: Final = ("active_disclosure", "applications", "reviews")

Grid = list[list[str]]
Plain = dict[str, Any]


# --- values ------------------------------------------------------------------------------------------------------

COUNT: Final = st.integers(min_value=0, max_value=10**6) | st.none()
SIGNED: Final = st.integers(min_value=-1000, max_value=1000) | st.none()
AMOUNT: Final = st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False) | st.none()


@st.composite
def plain_tables(draw: st.DrawFn, template: str) -> Plain:
    """Values for every cell of the three tables of ``template`` (hypothesis), in the shape of the gold files."""

    def value(item: str, column: str) -> int | Decimal | None:
        kind = AMOUNT if (item, column) in AMOUNT_COLUMNS else SIGNED if column in SIGNED_COLUMNS else COUNT
        return draw(kind)

    active = {
        item: {row: {c: value(item, c) for c, _ in columns} for row, _ in rows}
        for item, (rows, columns) in ACTIVE_DISCLOSURE[template].items()
    }
    applications = {row: {c: draw(COUNT) for c, _ in APPLICANT_COLUMNS} for row, _ in APPLICATION_ROWS[template]}
    reviews = {group: {c: draw(COUNT) for c, _ in REVIEW_COLUMNS} for group, _ in REVIEW_GROUPS}
    return {"active_disclosure": active, "applications": applications, "reviews": reviews}


# --- grids --------------------------------------------------------------------------------------------------------


def show(value: int | float | Decimal | None, *, unit: str = "") -> str:
    """A value as a report prints it: ``/`` for None, a decimal without exponent, an optional unit."""
    if value is None:
        return "/"
    if isinstance(value, float):
        value = Decimal(str(value))
    return (format(value, "f") if isinstance(value, Decimal) else str(value)) + unit


def active_disclosure_grid(values: Plain, template: str, *, units: bool = False) -> Grid:
    """Table 1: per item a title row, a header row (信息内容 + columns), then one row per statutory row."""
    grid: Grid = []
    for item, (rows, columns) in ACTIVE_DISCLOSURE[template].items():
        grid.append([ART20_ITEMS[item]])
        grid.append([INFO_CONTENT, *(label for _, label in columns)])
        for row, label in rows:
            cells = values[item][row]
            grid.append(
                [label]
                + [show(cells[c], unit="万元" if units and (item, c) in AMOUNT_COLUMNS else "") for c, _ in columns]
            )
    return grid


def applications_grid(values: Plain, template: str) -> Grid:
    """Table 2: three header rows, then each row with its group heading printed before the group's first row."""
    person, *orgs, total = (label for _, label in APPLICANT_COLUMNS)
    grid: Grid = [[BALANCE_NOTE, APPLICANT_HEAD], [person, ORGS_HEAD, total], orgs]
    printed: set[str] = set()
    for row, label in APPLICATION_ROWS[template]:
        groups = ["results"] if row == FIRST_RESULT_ROW else [row.partition(".")[0]] if "." in row else []
        heads = [APPLICATION_GROUPS[g] for g in groups if g not in printed]
        printed.update(groups)
        grid.append([*heads, label, *(show(values[row][c]) for c, _ in APPLICANT_COLUMNS)])
    return grid


def reviews_grid(values: Plain) -> Grid:
    """Table 3: the two-level header (行政复议 | 行政诉讼 > 未经复议直接起诉, 复议后起诉) and one row of 15 values."""
    (_, review_label), *litigation = REVIEW_GROUPS
    columns = [label for _, label in REVIEW_COLUMNS]
    return [
        [review_label, LITIGATION_HEAD],
        [*columns, *(label for _, label in litigation)],
        columns * len(litigation),
        [show(values[group][c]) for group, _ in REVIEW_GROUPS for c, _ in REVIEW_COLUMNS],
    ]


def grids(tables: Plain, template: str, *, units: bool = False) -> dict[str, Grid]:
    """The grids of the three tables, keyed by the section they are printed in."""
    return {
        "active_disclosure": active_disclosure_grid(tables["active_disclosure"], template, units=units),
        "applications": applications_grid(tables["applications"], template),
        "reviews": reviews_grid(tables["reviews"]),
    }


def wrap(text: str) -> str:
    """A label broken over two lines in the middle, as narrow Word cells print it.

    Short texts stay whole, and so does any text with a digit in it (it may be a value).
    """
    if len(text) < 6 or any(ch.isdigit() for ch in text):
        return text
    return text[: len(text) // 2] + "\n" + text[len(text) // 2 :]


def padded(grid: Grid) -> list[tuple[list[str], int]]:
    """Each row with the number of places it lacks against the widest row (the merged cells of the Word table)."""
    width = max(len(row) for row in grid)
    return [(row, width - len(row)) for row in grid]


# --- text -------------------------------------------------------------------------------------------------------


def render_block(grid: Grid, form: str, *, wrapped: bool = False) -> str:
    """The grid written in serialisation ``form`` (LF line ends, ending with a line break)."""
    if wrapped and form in WRAPPING_FORMS:
        grid = [[wrap(cell) for cell in row] for row in grid]
    if form == "paragraphs":
        return "".join(cell + "\n\n" for row in grid for cell in row)
    if form == "lines":
        return "".join(cell + "\n" for row in grid for cell in row)
    if form == "tsv_rows":  # a browser's copy: the merged places of a row as empty fields at its end
        return "".join("\t".join(row + [""] * pad) + "\n" for row, pad in padded(grid))
    if form == "spaced_rows":  # wrapped: a long cell broken over two lines, as PDF text breaks a narrow column
        return "".join(" ".join(wrap(cell) if wrapped else cell for cell in row) + "\n" for row in grid)
    if form == "tab_rows":
        return "\n".join("".join("\t" + cell + "\n" for cell in row) for row in grid)
    if form == "cell_lines":
        return "".join(
            "".join(cell + " |\n" for cell in row) + ("|" * pad + "\n" if pad else "") for row, pad in padded(grid)
        )
    if form == "pipe_rows":
        return "".join(" | ".join(row) + " |" + (" " + "|" * pad if pad else "") + "\n" for row, pad in padded(grid))
    if form == "markdown":
        lines = ["| " + " | ".join(row + [""] * pad) + " |" for row, pad in padded(grid)]
        rule = "|" + "---|" * max(len(row) for row in grid)
        return "\n".join([lines[0], rule, *lines[1:]]) + "\n"
    raise ValueError(f"unknown form {form!r}")


def render_report(
    tables: Plain,
    template: str,
    form: str,
    *,
    traditional: bool = False,
    crlf: bool = False,
    wrapped: bool = False,
    units: bool = False,
) -> str:
    """A minimal report: title, the six section headings, the tables under 二/三/四 written in ``form``."""
    year = 2023 if template == "2021" else 2020
    parts = [f"示例市人力资源和社会保障局{year}年政府信息公开工作年度报告\n"]
    table_grids = grids(tables, template, units=units)
    for numeral, (key, title, _) in zip(NUMERALS, SECTIONS, strict=True):
        parts.append(f"{numeral}、{title}\n")
        if key in table_grids:
            parts.append(render_block(table_grids[key], form, wrapped=wrapped))
        else:
            parts.append("本年度无需要说明的情况。\n")
    text = ("\n" if form == "paragraphs" else "").join(parts)
    if traditional:
        text = opencc.OpenCC("s2t").convert(text)
    return text.replace("\n", "\r\n") if crlf else text
