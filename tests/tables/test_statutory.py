"""The statutory stage (``read_tables``, ``read_cell_stream``): hand-made cell streams of both templates mapped onto
the keyed tables (``tests/tables/streams.py``).
"""

from __future__ import annotations

import attrs
import pytest

from tests.tables.streams import layout, placed, render, review_rows
from xxgk import schema
from xxgk.records import Cell, Cells
from xxgk.tables.statutory import read_cell_stream, read_tables


@pytest.mark.parametrize("template", ["2019", "2021"])
@pytest.mark.parametrize("row_marks", [False, True])
def test_every_value_placed_by_its_label(template: str, row_marks: bool) -> None:
    cells, numbers = render(layout(template), row_marks)
    tables, diagnostics = read_cell_stream(cells, template)
    assert placed(tables) == numbers
    assert diagnostics == []
    assert len(numbers) == {"2019": 198, "2021": 200}[template]


def test_values_carry_their_cell_and_position() -> None:
    cells, _ = render(layout("2021"))
    cells = [attrs.evolve(c, column=c.line + 3) for c in cells]
    tables, _ = read_cell_stream(cells, "2021")
    value = tables.applications["new_received"]["natural_person"]
    cell = next(c for c in cells if c.text == str(value.value))
    assert (value.line, value.column, value.raw) == (cell.line, cell.column, cell.text)


def test_headers_may_be_lost() -> None:
    cells, numbers = render(layout("2019", header=False))
    tables, diagnostics = read_cell_stream(cells, "2019")
    assert placed(tables) == numbers
    assert diagnostics == []


def test_blocks_are_read_in_order_as_one_stream() -> None:
    rows = layout("2021")
    first_app = next(i for i, (_, r) in enumerate(rows) if r[0] == schema.TABLE_HEADINGS["balance_note"])
    a, _ = render(rows[:first_app])
    b, _ = render(rows[first_app:])
    tables, diagnostics = read_tables([Cells.of(a), Cells.of(b)], "2021")
    assert diagnostics == []
    assert set(tables.active_disclosure) == {"art20_1", "art20_5", "art20_6", "art20_8"}
    assert len(tables.applications) == 25 and len(tables.reviews) == 3


def test_reviews_alone() -> None:
    cells, numbers = render(list(review_rows()))
    tables, diagnostics = read_cell_stream(cells, "2021")
    assert placed(tables) == numbers and diagnostics == []
    assert tables.reviews["litigation_after_review"]["total"].value == numbers["litigation_after_review/total"]


@pytest.mark.parametrize(
    ("dash", "placed_values"), [("-", None), ("/", {"issued": 2, "repealed": 41, "in_force": None})]
)
def test_a_dash_where_a_padded_row_still_wants_a_value_may_stand_for_a_lost_cell(
    dash: str, placed_values: dict[str, int | None] | None
) -> None:
    """A converter pads every row to its table's width with "-": a row of three values that lost one prints as
    ``| 2 | 41 | - |``, exactly as a row whose last value is not applicable — read so, 2 and 41 would stand one
    column early.  The row is short: nothing of it placed, and said.  A "/" is the agency's own mark: a value."""
    rows = [
        ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
        ["规章", "0", "0", "0"],
        ["行政规范性文件", "2", "41", dash],
    ]
    rows += [["行政许可", "96", "-", "-"]]
    cells = [Cell(text, line, 1 + 5 * j, j == 0) for line, row in enumerate(rows, 1) for j, text in enumerate(row)]
    tables, diagnostics = read_cell_stream(cells, "2021")
    got = tables.active_disclosure["art20_1"].get("normative_documents")
    assert (None if got is None else {k: v.value for k, v in got.items()}) == placed_values
    assert tables.active_disclosure["art20_5"]["licensing"]["decisions"].value == 96  # its "-" × 2: padding, dropped
    assert ("table.short_row" in [d.kind for d in diagnostics]) == (placed_values is None)


def test_a_converters_dashes_after_the_reviews_header_are_no_values() -> None:
    """Markdown pads every row to the table's width with "-": after the header rows' labels they are placeholders,
    not the reviews' values, which follow in a row of their own."""
    groups = ["行政复议", "行政诉讼"]
    columns = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    rows = [groups + ["-"] * 13, columns + ["未经复议直接起诉", "复议后起诉"] + ["-"] * 8, columns * 2 + ["-"] * 5]
    rows.append([str(n) for n in range(1, 16)])
    cells = [Cell(text, line, 1 + 5 * j, j == 0) for line, row in enumerate(rows, 1) for j, text in enumerate(row)]
    stream = Cells.of(cells)
    shown = Cells(stream.texts, stream.lines, stream.columns, stream.row_starts, [True] * len(stream))
    tables, diagnostics = read_tables([shown], "2021")
    assert tables.reviews["litigation_after_review"]["total"].value == 15
    assert diagnostics == []
    unshown, _ = read_tables([stream], "2021")  # the same cells where rows are not shown: dashes are values
    assert "litigation_after_review" not in unshown.reviews
