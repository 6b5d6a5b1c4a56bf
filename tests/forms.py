"""The forms real reports print the statutory tables in (issue 11), and the damage extraction does to them.

``render.py`` writes a table grid in the six serialisations the parser has read since the seeds; this module adds the
forms of issue 11 ("Forms to read" 1–10): PDF text (a label and its numbers on one line), a browser's copy of an HTML
table (tab-separated rows, a rowspan label only on its group's first row, header cells with a line break inside), a
PDF converter's markdown (one small table per group, generic headers, ``-`` placeholders, a trailing empty column,
``|---|`` after every row), labels wrapped over two lines with the numbers on the next, header cells broken
character by character, vertical or glued, one cell per line with the empty cells dropped, and pipe filler lines.

A table is laid out first as a :class:`Table` — rows that know whether they are a title, a header or data, and which
of their cells are values — so damage can pick a value, a header or a data row and the truth stays known.  Damage
never changes what a cell *means*: a cell replaced by odd text (``l2`` for 12) still holds its value, swapped rows
keep their labels, a reordered reviews header carries its values along — or it makes a cell hold no cell's value
(``ROW_DAMAGE``'s two values glued, one split), which is then wrong wherever it is placed.  So the truth of a damaged
document is the undamaged values, and the property to hold is: every value the parser places equals it (null is
always allowed).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any, Final

from tests import render
from xxgk.records import Tables, Value
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

Plain = dict[str, Any]

# The forms of this module; ``render.FORMS`` are the older ones, written from :meth:`Table.grid`.
NEW_FORMS: Final = (
    "pdf_text",
    "pdf_spaced_headers",
    "pdf_vertical_headers",
    "pdf_glued_headers",
    "browser_tabs",
    "converter_markdown",
    "wrapped_labels",
    "dropped_empty_cells",
    "pipe_fillers",
)
ALL_FORMS: Final = (*render.FORMS, *NEW_FORMS)

NUMERALS: Final = "一二三四五六"
GENERIC_HEAD: Final = "项目"
FURNITURE: Final = ("- 4 -", "示例市人力资源和社会保障局政府信息公开工作年度报告", "第 4 页 共 9 页", "— 12 —")
CHINESE_DIGITS: Final = "〇一二三四五六七八九"


@dataclass
class Row:
    """One printed row: ``labels`` (group heading, row label; header cells for a header row), then ``values``.

    ``key`` names the statutory cells of a data row: ``(table, item, row)`` for active disclosure,
    ``("applications", row)``, ``("reviews",)`` (its 15 values run over the three groups in ``groups`` order).
    """

    kind: str  # "title" | "header" | "data"
    labels: list[str]
    values: list[str] = field(default_factory=list)
    key: tuple[str, ...] = ()

    def cells(self) -> list[str]:
        return [*self.labels, *self.values]


@dataclass
class Table:
    """One statutory table as printed: its section key and its rows."""

    section: str
    rows: list[Row]
    # The reviews table's group order as printed (its header decides; see ``reorder_header``).
    groups: tuple[str, ...] = tuple(g for g, _ in REVIEW_GROUPS)

    def grid(self) -> list[list[str]]:
        return [row.cells() for row in self.rows]


# --- values ---------------------------------------------------------------------------------------------------


def _count(rng: random.Random) -> int | None:
    """A count as reports print them: mostly small, often 0, sometimes large, now and then not applicable."""
    return rng.choice([0, 0, 1, 2, rng.randint(0, 40), rng.randint(0, 40), rng.randint(0, 10**6), None])


def random_tables(rng: random.Random, template: str, *, consistent: bool) -> Plain:
    """Values for every cell of the three tables of ``template``, in the shape of the gold files.

    With ``consistent`` the applications and reviews satisfy every 勾稽 identity of docs/spec.md (row and column sums,
    the balance, the review totals) with the small counts and many zeros of real reports — so the identities can
    decide a placement the layout leaves open; without, any cell may be anything (a report may break an identity).
    Drawn from ``rng`` (hypothesis's ``st.randoms()``): hundreds of separate hypothesis draws cost more than the parse.
    """

    def value(item: str, column: str) -> int | Decimal | None:
        if (item, column) in AMOUNT_COLUMNS:
            return rng.choice([None, Decimal(0), Decimal(rng.randint(0, 10**8)) / 100])
        if column in SIGNED_COLUMNS:
            return rng.choice([None, 0, rng.randint(-1000, 1000)])
        return _count(rng)

    active = {
        item: {row: {c: value(item, c) for c, _ in columns} for row, _ in rows}
        for item, (rows, columns) in ACTIVE_DISCLOSURE[template].items()
    }
    rows = [r for r, _ in APPLICATION_ROWS[template]]
    if not consistent:
        applications = {row: {c: _count(rng) for c, _ in APPLICANT_COLUMNS} for row in rows}
        reviews = {group: {c: _count(rng) for c, _ in REVIEW_COLUMNS} for group, _ in REVIEW_GROUPS}
        return {"active_disclosure": active, "applications": applications, "reviews": reviews}
    people = [c for c, _ in APPLICANT_COLUMNS if c != "total"]
    results = rows[2:-2]
    table: dict[str, dict[str, int]] = {}
    for row in results:
        table[row] = {c: rng.choice([0, 0, 0, 1, 2, rng.randint(0, 40)]) for c in people}
    table["total"] = {c: sum(table[r][c] for r in results) for c in people}
    forward = {c: rng.randint(0, 5) for c in people}
    over = {c: rng.randint(0, table["total"][c] + forward[c]) for c in people}
    table["carried_forward"] = forward
    table["carried_over"] = over
    table["new_received"] = {c: table["total"][c] + forward[c] - over[c] for c in people}
    applications = {row: {**table[row], "total": sum(table[row].values())} for row in rows}
    reviews = {}
    for group, _ in REVIEW_GROUPS:
        four = {c: rng.choice([0, 0, 1, rng.randint(0, 40)]) for c, _ in REVIEW_COLUMNS if c != "total"}
        reviews[group] = {**four, "total": sum(four.values())}
    return {"active_disclosure": active, "applications": applications, "reviews": reviews}


# --- layout ---------------------------------------------------------------------------------------------------


def tables_of(values: Plain, template: str, *, units: bool = False) -> list[Table]:
    """The three statutory tables of ``template`` laid out as printed, from plain values."""
    active: list[Row] = []
    for item, (rows, columns) in ACTIVE_DISCLOSURE[template].items():
        active.append(Row("title", [ART20_ITEMS[item]]))
        active.append(Row("header", [render.INFO_CONTENT, *(label for _, label in columns)]))
        for row, label in rows:
            cells = values["active_disclosure"][item][row]
            unit = {c: "万元" if units and (item, c) in AMOUNT_COLUMNS else "" for c, _ in columns}
            shown = [render.show(cells[c], unit=unit[c]) for c, _ in columns]
            active.append(Row("data", [label], shown, ("active_disclosure", item, row)))
    person, *orgs, total = (label for _, label in APPLICANT_COLUMNS)
    applications = [
        Row("header", [render.BALANCE_NOTE, render.APPLICANT_HEAD]),
        Row("header", [person, render.ORGS_HEAD, total]),
        Row("header", orgs),
    ]
    printed: set[str] = set()
    for row, label in APPLICATION_ROWS[template]:
        groups = ["results"] if row == render.FIRST_RESULT_ROW else [row.partition(".")[0]] if "." in row else []
        heads = [APPLICATION_GROUPS[g] for g in groups if g not in printed]
        printed.update(groups)
        shown = [render.show(values["applications"][row][c]) for c, _ in APPLICANT_COLUMNS]
        applications.append(Row("data", [*heads, label], shown, ("applications", row)))
    reviews = Table("reviews", reviews_rows(values["reviews"], tuple(g for g, _ in REVIEW_GROUPS)))
    return [Table("active_disclosure", active), Table("applications", applications), reviews]


def reviews_rows(values: Plain, groups: tuple[str, ...]) -> list[Row]:
    """The reviews table with its groups in ``groups`` order: 行政复议 alone, the two 行政诉讼 groups under one head."""
    label = dict(REVIEW_GROUPS)
    columns = [c for _, c in REVIEW_COLUMNS]
    top: list[str] = []
    second: list[str] = []
    for group in groups:
        if group == "review":
            top.append(label[group])
            second += columns
        elif render.LITIGATION_HEAD not in top:
            top.append(render.LITIGATION_HEAD)
            second += [label[g] for g in groups if g != "review"]
    third = columns * (len(groups) - 1)
    if groups[0] != "review":
        # the litigation head comes first: its sub-heads and columns before 行政复议's columns
        second = [label[g] for g in groups if g != "review"] + columns
        third = columns * 2
    data = [render.show(values[g][c]) for g in groups for c, _ in REVIEW_COLUMNS]
    return [Row("header", top), Row("header", second), Row("header", third), Row("data", [], data, ("reviews",))]


def truth_of(table: Table, values: Plain) -> dict[str, Any]:
    """The flattened ``{"section/…/column": value}`` cells of ``table`` that ``values`` holds."""
    out: dict[str, Any] = {}
    if table.section == "reviews":
        for group, cells in values["reviews"].items():
            out.update({f"reviews/{group}/{c}": v for c, v in cells.items()})
    elif table.section == "applications":
        for row, cells in values["applications"].items():
            out.update({f"applications/{row}/{c}": v for c, v in cells.items()})
    else:
        for item, rows in values["active_disclosure"].items():
            for row, cells in rows.items():
                out.update({f"active_disclosure/{item}/{row}/{c}": v for c, v in cells.items()})
    return out


def truth(values: Plain, template: str) -> dict[str, Any]:
    """Every cell of the three tables of ``values``, flattened as :func:`placed` flattens the parser's."""
    out: dict[str, Any] = {}
    for table in tables_of(values, template):
        out.update(truth_of(table, values))
    return out


def placed(tables: Tables) -> dict[str, Value]:
    """The parser's tables flattened to ``{"table/…/column": Value}``."""
    out: dict[str, Value] = {}
    for item, rows in tables.active_disclosure.items():
        for row, cells in rows.items():
            out.update({f"active_disclosure/{item}/{row}/{c}": v for c, v in cells.items()})
    for row, cells in tables.applications.items():
        out.update({f"applications/{row}/{c}": v for c, v in cells.items()})
    for group, cells in tables.reviews.items():
        out.update({f"reviews/{group}/{c}": v for c, v in cells.items()})
    return out


# --- forms ----------------------------------------------------------------------------------------------------


def _broken(cell: str, style: str) -> str:
    """A header cell as PDF text breaks it: ``spaced`` (``科 研 机\\n构``), ``vertical`` (a character a line)."""
    if len(cell) > 12:
        return cell  # the 勾稽 note spans the table's width: PDF text keeps it on one line
    if style == "vertical":
        return "\n".join(cell)
    if style == "spaced" and len(cell) > 3:
        return " ".join(cell[:3]) + "\n" + " ".join(cell[3:])
    return cell


def pdf_text(table: Table, *, headers: str = "plain") -> str:
    """PDF text: a row's labels and values on one line, space-separated; the reviews table's 15 values on one line.

    ``headers`` is ``plain`` (header cells space-separated), ``spaced`` (each header cell's characters spaced and
    broken after the third), ``vertical`` (one character a line) or ``glued`` (a header row's cells run together).
    """
    lines: list[str] = []
    for row in table.rows:
        if row.kind == "header" and headers == "glued":
            lines.append("".join(row.cells()))
        elif row.kind == "header" and headers in ("spaced", "vertical"):
            lines.extend(_broken(cell, headers) for cell in row.cells())
        else:
            lines.append(" ".join(row.cells()))
    return "\n".join(lines) + "\n"


def browser_tabs(table: Table) -> str:
    """A browser's copy of the HTML table: one row a line, cells split by TAB, empty cells kept as empty fields
    (``/`` was an empty cell on the page), a rowspan label only on its group's first row, and a line break inside
    the long header cells (``本年新`` / ``制作数量``)."""
    lines = []
    for row in table.rows:
        if row.kind == "header":
            cells = [c[:3] + "\n" + c[3:] if 6 <= len(c) <= 8 else c for c in row.cells()]
        else:
            cells = [*row.labels, *("" if v == "/" else v for v in row.values)]
        lines.append("\t".join(cells))
    return "\n".join(lines) + "\n"


def converter_markdown(table: Table, *, split_group_label: bool = True) -> str:
    """A PDF-to-markdown converter's tables: one small table per group of rows, each under a generic header
    (``| 项目 | 列1 | 列2 | … |``), a ``|---|`` rule after every row, ``-`` for an empty cell, a trailing empty column.

    With ``split_group_label`` a group heading is cut across its group's first two rows (``（四）无法`` / ``提供``).
    """
    width = max(len(row.cells()) for row in table.rows)
    rule = "|" + "---|" * (width + 1)
    out: list[str] = []
    group: list[list[str]] = []

    def flush() -> None:
        if group:
            head = [GENERIC_HEAD, *(f"列{i}" for i in range(1, width))]
            out.append("| " + " | ".join([*head, ""]) + " |")
            for cells in group:
                out.append(rule)
                padded = [c if c and c != "/" else "-" for c in cells] + ["-"] * (width - len(cells))
                out.append("| " + " | ".join([*padded, ""]) + " |")
            out.append(rule)
            out.append("")
            group.clear()

    rows = [replace(row) for row in table.rows]  # the split heading must not reach the caller's rows
    continued = False
    for i, row in enumerate(rows):
        if not continued and (row.kind == "title" or (row.kind == "data" and len(row.labels) > 1)):
            flush()
        continued = False
        cells = row.cells()
        following = rows[i + 1] if i + 1 < len(rows) else None
        heading = row.labels[0] if row.kind == "data" and len(row.labels) == 2 else ""
        if split_group_label and heading.startswith("(") and following is not None and following.kind == "data":
            cut = len(heading) - 2
            cells = [heading[:cut], *cells[1:]]
            group.append(cells)
            # the rest of the heading lands in the next row's first place, before its own label
            following.labels = [heading[cut:], *following.labels]
            continued = True
            continue
        group.append(cells)
    flush()
    return "\n".join(out) + "\n"


def _wrap_label(label: str) -> str:
    return label if len(label) < 8 else label[: len(label) // 2] + "\n" + label[len(label) // 2 :]


def wrapped_labels(table: Table, *, headers: str = "plain") -> str:
    """PDF text with narrow label columns: a long label over two lines, the row's numbers on the next line; header
    cells as :func:`pdf_text` writes them for ``headers``."""
    lines: list[str] = []
    for row in table.rows:
        if row.kind == "data":
            lines.extend(_wrap_label(label) for label in row.labels)
            lines.append(" ".join(row.values))
        elif row.kind == "header" and headers in ("spaced", "vertical"):
            lines.extend(_broken(cell, headers) for cell in row.cells())
        else:
            lines.append(" ".join(row.cells()))
    return "\n".join(lines) + "\n"


def dropped_empty_cells(table: Table) -> str:
    """One cell per line with the empty cells gone: a not-applicable value (``/`` on the page) leaves no line."""
    return "".join(cell + "\n" for row in table.rows for cell in row.cells() if cell not in ("", "/"))


def pipe_fillers(table: Table) -> str:
    """``cell |`` lines as Word extractors write them, with a ``|`` alone between cells, a ``||||`` filler line
    after each row and rows ending in ``||``."""
    out: list[str] = []
    for row in table.rows:
        cells = row.cells()
        for i, cell in enumerate(cells):
            out.append(cell + (" ||" if i == len(cells) - 1 else " |"))
            if i < len(cells) - 1:
                out.append("|")
        out.append("||||")
    return "\n".join(out) + "\n"


def render_table(table: Table, form: str) -> str:
    """``table`` written in ``form`` (one of :data:`ALL_FORMS`)."""
    if form in render.FORMS:
        return render.render_block(table.grid(), form)
    if form.startswith("pdf_"):
        return pdf_text(table, headers="plain" if form == "pdf_text" else form.split("_")[1])
    writers: dict[str, Callable[[Table], str]] = {
        "browser_tabs": browser_tabs,
        "converter_markdown": converter_markdown,
        "wrapped_labels": wrapped_labels,
        "dropped_empty_cells": dropped_empty_cells,
        "pipe_fillers": pipe_fillers,
    }
    return writers[form](table)


# --- damage to a table ------------------------------------------------------------------------------------------


def odd_text(value: str, rng: random.Random) -> str:
    """``value`` as a typist or OCR writes it oddly: ``l2`` or ``1O`` (a letter for a digit), ``一二`` or
    ``一百二十七`` (Chinese numerals), ``O`` or ``〇`` for 0, or no number at all (``无``, ``不适用``, ``*``)."""
    choices = ["无", "不适用", "*"]
    if value == "0":
        choices += ["O", "〇", "O", "〇"]
    elif value.isdigit():
        choices.append("".join(CHINESE_DIGITS[int(d)] for d in value))
        if int(value) < 1000:
            choices.append(chinese_numeral(int(value)))
        if "1" in value:
            choices += ["l".join(value.split("1"))] * 2
        if "0" in value:
            choices += ["O".join(value.split("0"))] * 2
    return rng.choice(choices)


def chinese_numeral(n: int) -> str:
    """``n`` (1–999) in Chinese numerals as written out: 127 → 一百二十七, 12 → 十二, 105 → 一百零五."""
    hundreds, tens, units = n // 100, n // 10 % 10, n % 10
    out = CHINESE_DIGITS[hundreds] + "百" if hundreds else ""
    if tens:
        out += ("" if tens == 1 and not hundreds else CHINESE_DIGITS[tens]) + "十"
    elif hundreds and units:
        out += "零"
    return out + (CHINESE_DIGITS[units] if units else "")


def _data_rows(table: Table) -> list[Row]:
    return [row for row in table.rows if row.kind == "data" and row.values]


def drop_cell(table: Table, rng: random.Random) -> str:
    """One value cell of a data row gone (the row shows one value fewer)."""
    row = rng.choice(_data_rows(table))
    at = rng.randrange(len(row.values))
    del row.values[at]
    return f"dropped value {at} of {row.key}"


def odd_cell(table: Table, rng: random.Random) -> str:
    """One value cell written oddly (:func:`odd_text`); it still occupies its column."""
    row = rng.choice(_data_rows(table))
    at = rng.randrange(len(row.values))
    was = row.values[at]
    row.values[at] = odd_text(was, rng)
    return f"value {at} of {row.key}: {was!r} -> {row.values[at]!r}"


def swap_rows(table: Table, rng: random.Random) -> str:
    """Two data rows exchanged, each with its labels."""
    rows = [i for i, row in enumerate(table.rows) if row.kind == "data"]
    if len(rows) < 2:
        return "nothing to swap"
    i, j = rng.sample(rows, 2)
    table.rows[i], table.rows[j] = table.rows[j], table.rows[i]
    return f"swapped {table.rows[j].key} and {table.rows[i].key}"


def garble_header(table: Table, rng: random.Random) -> str:
    """One header row's cells replaced by generic titles, cut short or glued to the next."""
    heads = [row for row in table.rows if row.kind == "header"]
    row = rng.choice(heads)
    how = rng.choice(["generic", "cut", "glued"])
    if how == "generic":
        row.labels = [f"列{i + 1}" for i in range(len(row.labels))]
    elif how == "cut":
        row.labels = [cell[: max(1, len(cell) // 2)] for cell in row.labels]
    elif len(row.labels) > 1:
        row.labels = ["".join(row.labels[:2]), *row.labels[2:]]
    return f"header {row.labels} ({how})"


def remove_header(table: Table, rng: random.Random) -> str:
    """Every header row of the table gone."""
    table.rows = [row for row in table.rows if row.kind != "header"]
    return "headers removed"


def reorder_header(table: Table, rng: random.Random, values: Plain) -> str:
    """The reviews table printed with 行政诉讼 before 行政复议 — header and values together (the header decides)."""
    if table.section != "reviews":
        return "not the reviews table"
    groups = rng.choice([("litigation_direct", "litigation_after_review", "review")])
    table.groups = groups
    table.rows = reviews_rows(values["reviews"], groups)
    return f"groups {groups}"


# --- damage real reports show to rows and columns (a tuple of its own: see ROW_DAMAGE) ----------------------------
#
# Unlike the damage above, some of these make a cell hold no cell's value (two values glued, one split): the truth is
# still the undamaged values, so such a cell placed anywhere is a wrong number, as it should be.


def _labelled_rows(table: Table) -> list[Row]:
    return [row for row in table.rows if row.kind == "data" and row.labels]


def _labelled_row(table: Table, rng: random.Random) -> Row | None:
    """One of the table's data rows that print a label, at random (None: none does)."""
    rows = _labelled_rows(table)
    return rng.choice(rows) if rows else None


def lose_row(table: Table, rng: random.Random) -> str:
    """A whole data row gone, its labels and values (a line the extraction lost)."""
    row = rng.choice(_data_rows(table))
    table.rows.remove(row)
    return f"lost row {row.key}"


def lose_label(table: Table, rng: random.Random) -> str:
    """A data row's own label gone (its group heading, if printed, kept): its values stand between two rows."""
    if (row := _labelled_row(table, rng)) is None:
        return "no labelled row"
    label = row.labels.pop()
    return f"lost label {label!r} of {row.key}"


def repeat_row(table: Table, rng: random.Random) -> str:
    """A data row printed twice, one copy right after the other (a page break repeats it)."""
    row = rng.choice(_data_rows(table))
    at = table.rows.index(row)
    table.rows.insert(at + 1, replace(row, labels=list(row.labels), values=list(row.values)))
    return f"repeated row {row.key}"


def repeat_header(table: Table, rng: random.Random) -> str:
    """The table's header rows printed again before a data row other than the first (the next page repeats them)."""
    heads = [replace(row, labels=list(row.labels)) for row in table.rows if row.kind == "header"]
    rows = [i for i, row in enumerate(table.rows) if row.kind == "data"][1:]
    if not heads or not rows:
        return "nothing to repeat"
    at = rng.choice(rows)
    table.rows[at:at] = heads
    return f"header repeated before {table.rows[at + len(heads)].key}"


def marked_label(table: Table, rng: random.Random) -> str:
    """A footnote mark or page number glued to a row label (``（一）本年新收政府信息公开申请数量1``)."""
    if (row := _labelled_row(table, rng)) is None:
        return "no labelled row"
    mark = rng.choice(["1", "2", "3", "12", "*", "①"])
    row.labels[-1] += mark
    return f"label of {row.key} marked {mark!r}"


def lone_number(table: Table, rng: random.Random) -> str:
    """A number standing alone among a row's values or between two rows (a page number, a footnote mark)."""
    rows = _data_rows(table)
    row = rng.choice(rows)
    number = rng.choice(["1", "2", "3", "5", "12", "26"])
    if rng.random() < 0.5:
        at = rng.randrange(len(row.values) + 1)
        row.values.insert(at, number)
        return f"{number!r} inserted at value {at} of {row.key}"
    at = table.rows.index(row)
    table.rows.insert(at + rng.randrange(2), Row("data", [], [number]))
    return f"{number!r} alone near {row.key}"


def glue_values(table: Table, rng: random.Random) -> str:
    """Two neighbouring values of a row run together (``12 3`` -> ``123``: the space between them lost)."""
    rows = [row for row in _data_rows(table) if len(row.values) > 1]
    if not rows:
        return "no row of two values"
    row = rng.choice(rows)
    at = rng.randrange(len(row.values) - 1)
    glued = row.values[at] + row.values[at + 1]
    row.values[at : at + 2] = [glued]
    return f"values {at}, {at + 1} of {row.key} glued: {glued!r}"


def split_value(table: Table, rng: random.Random) -> str:
    """A value of several digits broken in two (``123`` -> ``12 3``: a space inside it)."""
    choices = [(row, i) for row in _data_rows(table) for i, v in enumerate(row.values) if len(v) > 1 and v.isdigit()]
    if not choices:
        return "no value to split"
    row, at = rng.choice(choices)
    value = row.values[at]
    cut = rng.randrange(1, len(value))
    row.values[at : at + 1] = [value[:cut], value[cut:]]
    return f"value {at} of {row.key} split: {value[:cut]!r} {value[cut:]!r}"


def wrap_values(table: Table, rng: random.Random) -> str:
    """A row's values wrapped past the next row's label: label, next label, the row's values, the next row's."""
    rows = _data_rows(table)
    pairs = [(a, b) for a, b in zip(table.rows, table.rows[1:], strict=False) if a in rows and b in rows]
    if not pairs:
        return "no two rows in a row"
    first, second = rng.choice(pairs)
    second.values[:0] = first.values
    first.values = []
    return f"values of {first.key} after the label of {second.key}"


def _cut_values(table: Table, rng: random.Random) -> tuple[Row, int, list[str]] | None:
    """A data row of two values or more, cut after one of its values: the row, where, and the values taken off it
    (None: no such row)."""
    rows = [row for row in _data_rows(table) if len(row.values) > 1]
    if not rows:
        return None
    row = rng.choice(rows)
    cut = rng.randrange(1, len(row.values))
    rest = row.values[cut:]
    del row.values[cut:]
    return row, cut, rest


def break_row(table: Table, rng: random.Random) -> str:
    """A row's values broken over two printed rows, the second without a label (a long PDF line wrapped)."""
    if (made := _cut_values(table, rng)) is None:
        return "no row of two values"
    row, cut, rest = made
    table.rows.insert(table.rows.index(row) + 1, Row("data", [], rest))
    return f"values of {row.key} broken after {cut}"


def page_break(table: Table, rng: random.Random) -> str:
    """A page break inside a row: its first values, a page's furniture line, the header printed again, the rest."""
    if (made := _cut_values(table, rng)) is None:
        return "no row of two values"
    row, cut, rest = made
    heads = [replace(head, labels=list(head.labels)) for head in table.rows if head.kind == "header"]
    at = table.rows.index(row) + 1
    table.rows[at:at] = [Row("title", [rng.choice(FURNITURE)]), *heads, Row("data", [], rest)]
    return f"page break in {row.key} after value {cut}"


# Rows agencies add to the form: a breakdown of the row above, a subtotal, a case the form does not name.
EXTRA_ROWS: Final = ("其中:网上申请", "其中：当面申请", "小计", "合计", "(八)其他情形", "9.其他", "其他情况")


def extra_row(table: Table, rng: random.Random) -> str:
    """A row the form does not have, with values of its own, after a data row (an agency's breakdown or subtotal)."""
    row = rng.choice(_data_rows(table))
    label = rng.choice(EXTRA_ROWS)
    values = [str(rng.choice([0, 1, 2, rng.randint(3, 99)])) for _ in row.values]
    table.rows.insert(table.rows.index(row) + 1, Row("data", [label], values))
    return f"row {label!r} after {row.key}"


def split_label(table: Table, rng: random.Random) -> str:
    """A row label wrapped with the row's values between its halves (PDF text: ``1.公开 5 0 0`` / ``内容``)."""
    rows = [row for row in _labelled_rows(table) if len(row.labels[-1]) > 3]
    if not rows:
        return "no label to split"
    row = rng.choice(rows)
    label = row.labels[-1]
    cut = rng.randrange(2, len(label) - 1)
    row.labels[-1] = label[:cut]
    table.rows.insert(table.rows.index(row) + 1, Row("data", [label[cut:]]))
    return f"label of {row.key} split around its values: {label[:cut]!r} … {label[cut:]!r}"


def drop_column(table: Table, rng: random.Random) -> str:
    """One value column lost in every data row (PDF extraction drops a narrow column), its header cell kept or not."""
    widths = {len(row.values) for row in _data_rows(table)}
    at = rng.randrange(min(widths))
    for row in _data_rows(table):
        del row.values[at]
    header = rng.random() < 0.5
    if header:
        for row in table.rows:
            if row.kind == "header" and len(row.labels) > at + 1:
                del row.labels[at + 1]
    return f"value column {at} lost" + (" with a header cell" if header else "")


def add_column(table: Table, rng: random.Random) -> str:
    """A column the form does not have, in every data row and the last header row: a remarks column of "/" or
    empty cells, or numbers (a column of the agency's own), at the end or inside the values."""
    fill = rng.choice(["/", "", "number"])
    rows = _data_rows(table)
    at = rng.choice([min(len(row.values) for row in rows), rng.randrange(min(len(row.values) for row in rows))])
    for row in rows:
        row.values.insert(min(at, len(row.values)), str(rng.randint(0, 30)) if fill == "number" else fill)
    heads = [row for row in table.rows if row.kind == "header"]
    if heads:
        heads[-1].labels.append("备注")
    return f"a column of {fill!r} at value {at}"


def header_width(table: Table, rng: random.Random) -> str:
    """A header row with one cell more (``备注``) or one fewer than the form's."""
    heads = [row for row in table.rows if row.kind == "header"]
    if not heads:
        return "no header"
    row = rng.choice(heads)
    if rng.random() < 0.5 or len(row.labels) < 2:
        row.labels.append("备注")
        return f"header {row.labels[0]!r} gained 备注"
    lost = row.labels.pop(rng.randrange(1, len(row.labels)))
    return f"header {row.labels[0]!r} lost {lost!r}"


TABLE_DAMAGE: Final = ("drop_cell", "odd_cell", "swap_rows", "garble_header", "remove_header", "reorder_header")
TEXT_DAMAGE: Final = ("furniture", "cut", "move")
DAMAGE: Final = ("none", *TABLE_DAMAGE, *TEXT_DAMAGE)
# Damage to rows and columns that real reports show, drawn by the property test beside DAMAGE (a tuple of its own:
# the differential tests and other harnesses that draw from DAMAGE keep their documents).
ROW_DAMAGE: Final = (
    "lose_row",
    "lose_label",
    "repeat_row",
    "repeat_header",
    "marked_label",
    "lone_number",
    "glue_values",
    "split_value",
    "wrap_values",
    "break_row",
    "page_break",
    "extra_row",
    "split_label",
    "drop_column",
    "add_column",
    "header_width",
)
_TABLE_DAMAGE: Final[dict[str, Callable[[Table, random.Random], str]]] = {
    "drop_cell": drop_cell,
    "odd_cell": odd_cell,
    "swap_rows": swap_rows,
    "garble_header": garble_header,
    "remove_header": remove_header,
    "lose_row": lose_row,
    "lose_label": lose_label,
    "repeat_row": repeat_row,
    "repeat_header": repeat_header,
    "marked_label": marked_label,
    "lone_number": lone_number,
    "glue_values": glue_values,
    "split_value": split_value,
    "wrap_values": wrap_values,
    "break_row": break_row,
    "page_break": page_break,
    "extra_row": extra_row,
    "split_label": split_label,
    "drop_column": drop_column,
    "add_column": add_column,
    "header_width": header_width,
}


def damage_table(table: Table, how: str, rng: random.Random, values: Plain) -> str:
    if how == "reorder_header":
        return reorder_header(table, rng, values)
    return _TABLE_DAMAGE[how](table, rng)


# --- damage to the text -----------------------------------------------------------------------------------------


def insert_furniture(block: str, rng: random.Random) -> tuple[str, str]:
    """A page number, a repeated page header or a footer line inserted between two lines of a table block (a page
    break inside the table)."""
    lines = block.rstrip("\n").split("\n")
    at = rng.randrange(1, len(lines)) if len(lines) > 1 else 1
    line = rng.choice(FURNITURE)
    lines.insert(at, line)
    return "\n".join(lines) + "\n", f"{line!r} at table line {at}"


def cut_block(block: str, rng: random.Random) -> tuple[str, str]:
    """The table block cut at a character inside it (the document ends there)."""
    at = rng.randrange(1, len(block))
    return block[:at], f"cut at char {at}: …{block[max(0, at - 20) : at]!r}"


# --- the report -------------------------------------------------------------------------------------------------


@dataclass
class Rendered:
    """A rendered report and what was done to it (for failure messages)."""

    text: str
    damage: str
    tables: list[Table]


def render_report(
    values: Plain,
    template: str,
    form: str,
    *,
    damage: str = "none",
    rng: random.Random | None = None,
    tables: list[Table] | None = None,
) -> Rendered:
    """A minimal report (title, the six section headings, the tables under 二/三/四) in ``form`` with ``damage``
    done to one table (chosen by ``rng``).  Section headings get ``##`` in the converter's markdown.  ``tables``:
    the tables laid out already (:func:`mixed_report`), else those of ``values``."""
    rng = rng or random.Random(0)
    year = 2023 if template == "2021" else 2020
    tables = tables_of(values, template) if tables is None else tables
    target = rng.randrange(len(tables))
    if damage == "reorder_header":
        target = 2
    note = "no damage"
    if damage in TABLE_DAMAGE or damage in ROW_DAMAGE:
        note = damage_table(tables[target], damage, rng, values)
    blocks = {t.section: render_table(replace(t, rows=[replace(r) for r in t.rows]), form) for t in tables}
    target_key = tables[target].section
    cut = False
    if damage == "furniture":
        blocks[target_key], note = insert_furniture(blocks[target_key], rng)
    elif damage == "cut":
        blocks[target_key], note = cut_block(blocks[target_key], rng)
        cut = True
    moved = ""
    if damage == "move":
        moved = blocks.pop(target_key)
        where = rng.choice(["after_problems", "inside_overview"])
        note = f"{target_key} table moved {where}"
    mark = "## " if form == "converter_markdown" else ""
    parts = [f"示例市人力资源和社会保障局{year}年政府信息公开工作年度报告\n"]
    for numeral, (key, title, _) in zip(NUMERALS, SECTIONS, strict=True):
        if not (moved and key == target_key):
            parts.append(f"{mark}{numeral}、{title}\n")
        if key in blocks:
            parts.append(blocks[key])
            if cut and key == target_key:
                break
        else:
            parts.append("本年度无需要说明的情况。\n")
        if moved and ((key == "overview" and "inside" in note) or (key == "problems" and "after" in note)):
            parts.append(moved)
    return Rendered("".join(parts), f"{damage}: {note}", tables)


OTHER_TEMPLATE: Final = {"2019": "2021", "2021": "2019"}


def mixed_report(template: str, form: str, rng: random.Random, *, consistent: bool) -> tuple[Rendered, Plain]:
    """A report of ``template`` in ``form`` with its table 1 or 2 printed in the other template's form, as agencies
    mix them (a 2020 report in the new applications table, a 2021 report with the old table 1), and its truth: each
    table's cells by the form it is printed in, flattened as :func:`truth` flattens them (a key of the printed form
    that the report's template lacks has no truth: any value placed there is wrong)."""
    other = OTHER_TEMPLATE[template]
    own = random_tables(rng, template, consistent=consistent)
    theirs = random_tables(rng, other, consistent=consistent)
    which = rng.randrange(2)  # the reviews table is the same in both
    tables = [*tables_of(own, template)]
    tables[which] = tables_of(theirs, other)[which]
    truth: Plain = {}
    for i, table in enumerate(tables):
        truth.update(truth_of(table, theirs if i == which else own))
    rendered = render_report(own, template, form, rng=rng, tables=tables)
    return replace(rendered, damage=f"{tables[which].section} in the {other} form"), truth


def table_blocks(values: Plain, template: str, form: str, damage: str, rng: random.Random) -> list[str]:
    """The table blocks alone, in ``form`` with ``damage`` done to one table as :func:`render_report` does it (a moved
    table comes last): what the serialisation layer is handed, for tests of the table layer without a report."""
    tables = tables_of(values, template)
    target = 2 if damage == "reorder_header" else rng.randrange(len(tables))
    if damage in TABLE_DAMAGE or damage in ROW_DAMAGE:
        damage_table(tables[target], damage, rng, values)
    blocks = [render_table(t, form) for t in tables]
    if damage == "furniture":
        blocks[target], _ = insert_furniture(blocks[target], rng)
    elif damage == "cut":
        blocks[target], _ = cut_block(blocks[target], rng)
        blocks = blocks[: target + 1]
    elif damage == "move":
        blocks.append(blocks.pop(target))
    return blocks
