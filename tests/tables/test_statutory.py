"""The statutory layer: hand-made cell streams of both templates mapped onto the keyed tables.

Cells are rendered here from schema.py's labels in the printed layout of the national format; every value is
distinct, so a value placed under the wrong key is caught.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from xxgk import schema
from xxgk.engine import grammars
from xxgk.errors import GrammarError
from xxgk.records import Cell, Cells, Diagnostic, Tables
from xxgk.tables import grammar
from xxgk.tables.cells import Stream
from xxgk.tables.labels import fold
from xxgk.tables.statutory import read_cell_stream, read_tables
from xxgk.tables.wellformed import read_well_formed

Row = list[str]
GRAMMAR_DIR = Path(__file__).resolve().parents[2] / "grammars"


def _item_rows(template: str, header: bool = True) -> Iterator[tuple[tuple[str, ...] | None, Row]]:
    """Rows of table 1: (key path or None, cells).  A value is named by its key path."""
    for item, (rows, cols) in schema.ACTIVE_DISCLOSURE[template].items():
        yield None, [schema.ART20_ITEMS[item]]
        if header:
            yield None, [schema.TABLE_HEADINGS["info_content"], *(label for _, label in cols)]
        for row, label in rows:
            yield (item, row), [label, *("@" + "/".join((item, row, col)) for col, _ in cols)]


def _app_rows(template: str) -> Iterator[tuple[tuple[str, ...] | None, Row]]:
    cols = dict(schema.APPLICANT_COLUMNS)
    head = schema.TABLE_HEADINGS
    yield None, [head["balance_note"], head["applicant"]]
    yield None, [cols["natural_person"], head["legal_person"], cols["total"]]
    yield None, [label for key, label in schema.APPLICANT_COLUMNS if key not in ("natural_person", "total")]
    groups = {"granted": "results", "withheld.state_secret": "withheld", "unable.not_held": "unable"}
    groups |= {"not_processed.petition_complaint": "not_processed", "other.no_correction": "other"}
    for row, label in schema.APPLICATION_ROWS[template]:
        group = [schema.APPLICATION_GROUPS[groups[row]]] if row in groups else []
        yield (row,), [*group, label, *(f"@{row}/{col}" for col in schema.applicant_column_keys())]


def _review_rows() -> Iterator[tuple[tuple[str, ...] | None, Row]]:
    groups = dict(schema.REVIEW_GROUPS)
    cols = [label for _, label in schema.REVIEW_COLUMNS]
    yield None, [groups["review"], schema.TABLE_HEADINGS["litigation"]]
    yield None, [*cols, groups["litigation_direct"], groups["litigation_after_review"]]
    yield None, cols + cols
    yield ("reviews",), [f"@{g}/{c}" for g, _ in schema.REVIEW_GROUPS for c, _ in schema.REVIEW_COLUMNS]


def layout(template: str, header: bool = True) -> list[tuple[tuple[str, ...] | None, Row]]:
    """The three tables of ``template`` as printed rows; value cells are ``@`` and their key path until numbered."""
    return [*_item_rows(template, header), *_app_rows(template), *_review_rows()]


def render(
    rows: list[tuple[tuple[str, ...] | None, Row]], row_marks: bool = False
) -> tuple[list[Cell], dict[str, int]]:
    """Cells (one per line) with distinct numbers for the value cells, and the number each key path got."""
    cells: list[Cell] = []
    numbers: dict[str, int] = {}
    for _, row in rows:
        for n, text in enumerate(row):
            if text.startswith("@"):
                number = len(cells) + 1000
                # A key written twice has no single right value: -1, which no cell holds.
                numbers[text[1:]] = -1 if text[1:] in numbers else number
                text = str(number)
            cells.append(Cell(text, len(cells) + 1, 1, row_marks and n == 0))
    return cells, numbers


def placed(tables: Tables) -> dict[str, Any]:
    """Every placed value by its key path (table 1's without the table name, as the renderer names them)."""
    out: dict[str, Any] = {}
    for item, rows in tables.active_disclosure.items():
        for row, cols in rows.items():
            out |= {f"{item}/{row}/{col}": v.value for col, v in cols.items()}
    for row, cols in tables.applications.items():
        out |= {f"{row}/{col}": v.value for col, v in cols.items()}
    for group, cols in tables.reviews.items():
        out |= {f"{group}/{col}": v.value for col, v in cols.items()}
    return out


def kinds(diagnostics: list[Diagnostic]) -> list[str]:
    return [d.kind for d in diagnostics]


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
    cells, numbers = render(list(_review_rows()))
    tables, diagnostics = read_cell_stream(cells, "2021")
    assert placed(tables) == numbers and diagnostics == []
    assert tables.reviews["litigation_after_review"]["total"].value == numbers["litigation_after_review/total"]


# --- tolerant labels ---------------------------------------------------------------------------------------------


def _replace(cells: list[Cell], old: str, *new: str) -> list[Cell]:
    """Replace the first cell whose text is ``old`` by cells ``new`` (same line)."""
    i = next(i for i, c in enumerate(cells) if c.text == old)
    return [*cells[:i], *(attrs.evolve(cells[i], text=t) for t in new), *cells[i + 1 :]]


def test_truncated_headers_take_the_column_the_parser_expects() -> None:
    cells, numbers = render(layout("2019"))
    cells = _replace(cells, "本年新制作数量", "本年新")
    cells = _replace(cells, "本年新公开数量", "本年新")
    cells = _replace(cells, "本年增/减", "本年增/")
    tables, diagnostics = read_cell_stream(cells, "2019")
    assert placed(tables) == numbers and diagnostics == []


def test_split_and_broken_labels() -> None:
    cells, numbers = render(layout("2021"))
    cells = _replace(cells, "商业企业", "商业", "企业")
    cells = _replace(cells, "科研机构", "科研 机构")
    cells = _replace(cells, "结果纠正", "结果\n纠正")
    cells = _replace(cells, "尚未审结", "尚未\n审结")
    cells = _replace(cells, "5.要求行政机关确认或重新出具已获取信息", "5.要求行政机关确认或重新\n出具已获取信息")
    cells = _replace(cells, "总计", "总 计")
    tables, diagnostics = read_cell_stream(cells, "2021")
    assert placed(tables) == numbers and diagnostics == []


def test_labels_glued_to_debris_and_damaged_enumerators() -> None:
    cells, numbers = render(layout("2021"))
    cells = _replace(cells, "一、本年新收政府信息公开申请数量", "_Hlk66973412一、本年新收政府信息公开申请数量")
    cells = _replace(cells, "(三)不予公开", "三)不予公开")
    cells = _replace(cells, "(二)部分公开(区分处理的,只计这一情形,不计其他情形)", "(二)部分公开")
    tables, diagnostics = read_cell_stream(cells, "2021")
    assert placed(tables) == numbers and diagnostics == []


def test_fold() -> None:
    assert fold("(三) 不予公开") == "不予公开"
    assert fold("3.危及“三安全一稳定”") == "危及三安全一稳定"
    assert fold("第二十条第(一)项") == "第二十条第一项"
    assert fold("本年收费金额(单位:万元)") == "本年收费金额单位万元"


# --- values ------------------------------------------------------------------------------------------------------


def _values() -> Any:
    return grammar.lexer("2021").values


@pytest.mark.parametrize(
    ("text", "amount", "signed", "value", "odd"),
    [
        ("12", False, False, 12, False),
        ("-6", False, True, -6, False),
        ("-6", False, False, -6, True),
        ("196.7万元", True, False, Decimal("196.7"), False),
        ("3909.30万元", True, False, Decimal("3909.30"), False),
        ("15.2255", True, False, Decimal("15.2255"), False),
        ("0", True, False, Decimal("0"), False),
        ("/", False, False, None, False),
        ("—", False, False, None, False),
        ("-", False, False, None, False),
        ("", False, False, None, False),
        ("00", False, False, 0, True),
        ("0 0", False, False, 0, True),
        ("43]", False, False, 43, True),
        ("12.0", False, False, 12, True),
        ("——", False, False, None, False),
        ("5件", False, False, 5, False),
        ("385000元", True, False, Decimal("38.5000"), True),
    ],
)
def test_read_value(text: str, amount: bool, signed: bool, value: object, odd: bool) -> None:
    reading = _values().read(text, amount=amount, signed=signed)
    assert reading.certain
    assert reading.value == value and type(reading.value) is type(value)
    assert (reading.odd is not None) is odd


@pytest.mark.parametrize(
    ("text", "amount"),
    [("1 1", False), ("12.5", False), ("约12", False), ("500元", False), ("l2", False), ("1O", False), ("I5", False)],
)
def test_unreadable_values_are_not_guessed(text: str, amount: bool) -> None:
    assert not _values().read(text, amount=amount, signed=False).certain


def test_odd_cells_in_a_table() -> None:
    cells, numbers = render(layout("2019"))
    by_text = {c.text: c for c in cells}
    fees = str(numbers["art20_9/central_procurement/amount"])
    cells = _replace(cells, fees, "196.7万元")
    cells = _replace(cells, str(numbers["art20_5/other_services/change"]), "-6")
    cells = _replace(cells, str(numbers["partial/total"]), "0 0")
    cells = _replace(cells, str(numbers["total/other_org"]), "1 1")
    cells = _replace(cells, str(numbers["granted/research"]), "/")
    cells = _replace(cells, str(numbers["granted/commercial"]), "")
    tables, diagnostics = read_cell_stream(cells, "2019")
    assert tables.active_disclosure["art20_9"]["central_procurement"]["amount"].value == Decimal("196.7")
    assert tables.active_disclosure["art20_5"]["other_services"]["change"].value == -6
    assert tables.applications["partial"]["total"].value == 0
    assert "other_org" not in tables.applications["total"]
    assert tables.applications["granted"]["research"].value is None
    assert tables.applications["granted"]["commercial"].value is None
    assert kinds(diagnostics) == ["value.odd", "value.unreadable"]
    assert diagnostics[1].line == by_text[str(numbers["total/other_org"])].line
    assert "applications/total/other_org" in diagnostics[1].message


@pytest.mark.parametrize("odd", ["l2", "O", "无", "不适用", "*", "〇", "1O", "一二", "一百二十七", "N/A"])
@pytest.mark.parametrize("row_marks", [False, True])
def test_an_odd_cell_holds_its_column(odd: str, row_marks: bool) -> None:
    """A cell that is no number the form allows stands in a value's place: the row's later values keep their
    columns (nothing shifts left), the odd cell itself is not placed, and a diagnostic names it."""
    cells, numbers = render(layout("2019"), row_marks=row_marks)
    target = "art20_1/normative_documents/new_made"
    cells = _replace(cells, str(numbers[target]), odd)
    tables, diagnostics = read_cell_stream(cells, "2019")
    assert placed(tables) == {k: v for k, v in numbers.items() if k != target}
    assert kinds(diagnostics) == ["value.unreadable"]
    assert target in diagnostics[0].message and diagnostics[0].excerpt == odd


def test_empty_spanned_cells_are_not_values() -> None:
    """Empty cells where no value is wanted (row starts, after a header, after a full row) are skipped."""
    cells: list[Cell] = []
    for _, row in layout("2021"):
        cells += [Cell("", 0, 1, True), *(Cell(t, 0, 1) for t in row), Cell("", 0, 1), Cell("", 0, 1)]
    cells = [attrs.evolve(c, line=n + 1) for n, c in enumerate(cells)]
    rendered, numbers = render(layout("2021"))
    texts = iter(c.text for c in rendered)
    cells = [attrs.evolve(c, text=next(texts)) if c.text else c for c in cells]
    tables, diagnostics = read_cell_stream(cells, "2021")
    assert placed(tables) == numbers and diagnostics == []


# --- recovery ----------------------------------------------------------------------------------------------------


def _without_row(rows: list[tuple[tuple[str, ...] | None, Row]], key: tuple[str, ...]) -> list[Any]:
    return [(k, r) for k, r in rows if k != key]


def test_missing_row_is_reported_and_the_rest_placed() -> None:
    cells, numbers = render(_without_row(layout("2021"), ("withheld.prohibited_by_law",)))
    tables, diagnostics = read_cell_stream(cells, "2021")
    assert placed(tables) == numbers
    assert "withheld.prohibited_by_law" not in tables.applications
    assert kinds(diagnostics) == ["table.missing"]
    assert "2.其他法律行政法规禁止公开" in diagnostics[0].message
    assert diagnostics[0].line == next(c.line for c in cells if c.text.startswith("3.危及"))


def test_missing_item_is_reported() -> None:
    rows = layout("2019")
    start = next(i for i, (_, r) in enumerate(rows) if r[0] == schema.ART20_ITEMS["art20_8"])
    cells, numbers = render(rows[:start] + rows[start + 3 :])
    tables, diagnostics = read_cell_stream(cells, "2019")
    assert placed(tables) == numbers
    assert "art20_8" not in tables.active_disclosure
    assert kinds(diagnostics) == ["table.missing"]


def test_extra_row_is_skipped_and_named() -> None:
    rows = layout("2021")
    at = next(i for i, (k, _) in enumerate(rows) if k == ("granted",))
    extra = (None, ["(一点五)另行处理", "91", "92", "93", "94", "95", "96", "97"])
    cells, numbers = render([*rows[:at], extra, *rows[at:]])
    tables, diagnostics = read_cell_stream(cells, "2021")
    assert placed(tables) == numbers
    assert kinds(diagnostics) == ["table.unmatched_cell"]
    assert "(一点五)另行处理" in diagnostics[0].message and "97" in diagnostics[0].excerpt
    assert diagnostics[0].line == next(c.line for c in cells if c.text == "(一点五)另行处理")


@pytest.mark.parametrize("row_marks", [False, True])
def test_short_row_is_not_placed(row_marks: bool) -> None:
    rows = layout("2021")
    at = next(i for i, (k, _) in enumerate(rows) if k == ("unable.not_held",))
    key, row = rows[at]
    rows[at] = (key, row[:-1])
    cells, numbers = render(rows, row_marks)
    tables, diagnostics = read_cell_stream(cells, "2021")
    assert "unable.not_held" not in tables.applications
    assert placed(tables) == {k: v for k, v in numbers.items() if not k.startswith("unable.not_held/")}
    assert kinds(diagnostics) == ["table.short_row"]


def test_extra_value_makes_its_row_uncertain() -> None:
    rows = layout("2021")
    at = next(i for i, (k, _) in enumerate(rows) if k == ("art20_1", "rules"))
    key, row = rows[at]
    rows[at] = (key, [*row, "999"])
    cells, numbers = render(rows)
    tables, diagnostics = read_cell_stream(cells, "2021")
    assert "rules" not in tables.active_disclosure["art20_1"]
    assert placed(tables) == {k: v for k, v in numbers.items() if not k.startswith("art20_1/rules/")}
    assert kinds(diagnostics) == ["table.unmatched_cell", "table.extra_value"]


def test_a_header_that_disagrees_places_nothing_under_it() -> None:
    cells, numbers = render(layout("2021"))
    i = next(i for i, c in enumerate(cells) if c.text == "本年制发件数")
    cells[i], cells[i + 1] = (
        attrs.evolve(cells[i], text="本年废止件数"),
        attrs.evolve(cells[i + 1], text="本年制发件数"),
    )
    tables, diagnostics = read_cell_stream(cells, "2021")
    assert "art20_1" not in tables.active_disclosure
    assert placed(tables) == {k: v for k, v in numbers.items() if not k.startswith("art20_1/")}
    assert "table.header_mismatch" in kinds(diagnostics)


@pytest.mark.parametrize("garble", [["列1", "列2", "列3"], ["名 称"], ["项目"], []])
def test_a_garbled_or_generic_header_is_advisory(garble: list[str]) -> None:
    """Header text the lexer does not know says nothing about the column order: the rows' labels and the form's
    order place the values, and the unknown cells are reported."""
    cells, numbers = render(layout("2021"))
    i = next(i for i, c in enumerate(cells) if c.text == "本年制发件数")
    cells = cells[:i] + [attrs.evolve(cells[i], text=t) for t in garble] + cells[i + 3 :]
    tables, diagnostics = read_cell_stream(cells, "2021")
    assert placed(tables) == numbers
    assert kinds(diagnostics) == (["table.unmatched_cell"] if garble else [])


def test_a_header_cell_broken_in_two_is_no_column_out_of_place() -> None:
    cells, numbers = render(layout("2019"))
    cells = _replace(cells, "本年新制作数量", "本年新", "制作数量")
    cells = _replace(cells, "对外公开总数量", "对外公开", "总数量")
    tables, diagnostics = read_cell_stream(cells, "2019")
    assert placed(tables) == numbers
    assert "table.header_mismatch" not in kinds(diagnostics)


def test_a_row_label_broken_in_two_is_one_label_even_if_each_half_matches() -> None:
    """ "一、本年新收政府" / "信息公开申请数量": the first half alone is a cut-off label, the second half alone
    matches two rows; their join is exact, and taken — the second half never becomes a row of its own."""
    cells, numbers = render(layout("2021"))
    for label in ("一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量"):
        cells = _replace(cells, label, label[:8], label[8:])
    tables, diagnostics = read_cell_stream(cells, "2021")
    assert placed(tables) == numbers
    assert kinds(diagnostics) == []


def test_label_variants_and_a_header_in_yuan() -> None:
    """规范性档案 (an over-conversion) is 规范性文件; a header that puts an amount column in 元 is not the form's
    (万元), so that item's values are not placed by the form's order."""
    cells, numbers = render(layout("2019"))
    cells = _replace(cells, "规范性文件", "规范性档案")
    tables, diagnostics = read_cell_stream(cells, "2019")
    assert placed(tables) == numbers and not diagnostics
    cells, numbers = render(layout("2021"))
    cells = _replace(cells, "本年收费金额(单位:万元)", "本年收费金额(单位:元)")
    tables, diagnostics = read_cell_stream(cells, "2021")
    assert placed(tables) == {k: v for k, v in numbers.items() if not k.startswith("art20_8/")}
    assert "table.header_mismatch" in kinds(diagnostics)


def test_a_reviews_header_in_another_order_places_nothing_by_the_forms_order() -> None:
    """行政诉讼 (with its two groups) printed before 行政复议: the walk to the first group written would supply the
    columns the header writes further on, so the header is another order, and none of the 15 values is placed."""
    rows = layout("2021")
    groups = dict(schema.REVIEW_GROUPS)
    cols = [label for _, label in schema.REVIEW_COLUMNS]
    head = schema.TABLE_HEADINGS["litigation"]
    i = next(i for i, (_, row) in enumerate(rows) if row[0] == groups["review"])
    rows[i] = (None, [head, groups["review"]])
    rows[i + 1] = (None, [groups["litigation_direct"], groups["litigation_after_review"], *cols])
    cells, numbers = render(rows)
    tables, diagnostics = read_cell_stream(cells, "2021")
    assert not tables.reviews
    assert all(numbers[k] == v for k, v in placed(tables).items())
    assert "table.header_mismatch" in kinds(diagnostics)


def test_a_header_cell_lost_is_no_other_order() -> None:
    cells, numbers = render(layout("2021"))
    cells = _replace(cells, "其他结果")  # the first of the reviews' three 其他结果 header cells
    tables, diagnostics = read_cell_stream(cells, "2021")
    assert placed(tables) == numbers
    assert "table.header_mismatch" not in kinds(diagnostics)


def test_swapped_rows_are_never_placed_under_each_others_keys() -> None:
    rows = layout("2021")
    a = next(i for i, (k, _) in enumerate(rows) if k == ("not_processed.duplicate",))
    rows[a], rows[a + 1] = rows[a + 1], rows[a]
    cells, numbers = render(rows)
    tables, diagnostics = read_cell_stream(cells, "2021")
    got = placed(tables)
    assert all(numbers[k] == v for k, v in got.items())
    swapped = {"not_processed.publication", "not_processed.duplicate"}
    assert len(swapped & set(tables.applications)) == 1
    assert len(got) == len(numbers) - 7
    assert sorted(kinds(diagnostics)) == ["table.missing", "table.unmatched_cell"]


def test_table_cut_short_keeps_what_was_certain() -> None:
    rows = layout("2021")
    at = next(i for i, (k, _) in enumerate(rows) if k == ("other.no_fee",))
    cells, numbers = render(rows[:at])
    tables, diagnostics = read_cell_stream(cells, "2021")
    assert placed(tables) == numbers
    assert kinds(diagnostics) == ["table.missing"]
    assert "ends early" in diagnostics[0].message and "(七)总计" in diagnostics[0].message


def test_wrong_template_wording_is_not_placed() -> None:
    """A 2019 table 1 read with the 2021 grammar: its headers and rows disagree, nothing is taken by position."""
    rows = [r for r in _item_rows("2019")]
    cells, _ = render(rows)
    tables, diagnostics = read_cell_stream(cells, "2021")
    wrong = {"art20_5": "other_services", "art20_9": "central_procurement"}
    for item, row in wrong.items():
        assert row not in tables.active_disclosure.get(item, {})
    assert "art20_1" not in tables.active_disclosure
    assert diagnostics


def test_no_cells_no_tables() -> None:
    assert read_cell_stream([], "2021") == (Tables(), [])
    assert read_tables([], None) == (Tables(), [])


def test_cells_that_are_not_column_labels_leave_the_header_standing() -> None:
    cells, numbers = render(layout("2021"))
    note = schema.TABLE_HEADINGS["balance_note"]
    i = next(i for i, c in enumerate(cells) if c.text == note)
    cells[i], cells[i + 1] = attrs.evolve(cells[i], text=cells[i + 1].text), attrs.evolve(cells[i + 1], text=note)
    cells = _replace(cells, "本年制发件数", "本年制发件数", "[bookmark: _Hlk1]")
    tables, diagnostics = read_cell_stream(cells, "2021")
    assert placed(tables) == numbers
    assert kinds(diagnostics) == ["table.unmatched_cell", "table.unmatched_cell"]


def test_a_stray_row_does_not_make_the_parser_jump_ahead() -> None:
    rows = layout("2021")
    at = next(i for i, (k, _) in enumerate(rows) if k == ("withheld.prohibited_by_law",))
    stray = (None, ["(七)总计", "81", "82", "83", "84", "85", "86", "87"])
    cells, numbers = render([*rows[:at], stray, *rows[at:]])
    tables, diagnostics = read_cell_stream(cells, "2021")
    assert placed(tables) == {k: v for k, v in numbers.items() if not k.startswith("total/")}
    assert kinds(diagnostics) == ["table.unmatched_cell", "table.repeated_row"]
    assert diagnostics[0].excerpt.startswith("(七)总计 | 81")


def test_a_row_written_twice_alike_is_placed_once() -> None:
    cells, numbers = render(layout("2021"))
    first = next(i for i, c in enumerate(cells) if c.text == dict(schema.APPLICATION_ROWS["2021"])["granted"])
    cells = [*cells[: first + 8], *cells[first : first + 8], *cells[first + 8 :]]
    tables, diagnostics = read_cell_stream(cells, "2021")
    assert placed(tables) == numbers
    assert kinds(diagnostics) == ["table.unmatched_cell"]


@pytest.mark.parametrize("text", ["(1)", "1.", "2023年", "第3项"])
def test_enumerators_and_text_with_numbers_are_not_values(text: str) -> None:
    assert _values().kind(text) is None


# --- property: damage of any kind never places a value under a wrong key -----------------------------------------

_DAMAGE = st.sampled_from(["keep"] * 6 + ["delete", "duplicate", "swap", "drop_value", "add_value", "junk"])


@settings(max_examples=150, deadline=None)
@given(
    template=st.sampled_from(["2019", "2021"]),
    damage=st.lists(_DAMAGE, min_size=60, max_size=60),
    row_marks=st.booleans(),
)
@example(template="2021", damage=["keep"] * 60, row_marks=False)
def test_damaged_tables_never_misplace_a_value(template: str, damage: list[str], row_marks: bool) -> None:
    rows = layout(template)
    out: list[tuple[tuple[str, ...] | None, Row]] = []
    for i, (key, row) in enumerate(rows):
        what = damage[i % len(damage)]
        if what == "delete":
            continue
        if what == "drop_value" and key is not None:
            row = row[:-1]
        elif what == "add_value" and (key is not None or row_marks):
            # Without row marks, a number after a header followed by a row one value short reads exactly like
            # the right table: no reader can tell, so that damage is only drawn where rows are marked.
            row = [*row, "999"]
        elif what == "junk":
            out.append((None, ["某某情况", "1", "2"]))
        out.append((key, row))
        if what == "duplicate":
            out.append((key, row))
        if what == "swap" and len(out) > 1:
            out[-1], out[-2] = out[-2], out[-1]
    cells, numbers = render(out, row_marks)
    tables, _ = read_cell_stream(cells, template)
    for path, value in placed(tables).items():
        assert numbers.get(path) == value, path


def _both_ways(cells: list[Cell], template: str) -> tuple[Tables, list[Diagnostic]]:
    """What the stage reads from ``cells``, after checking that Lark's own parse (the recovery path, which a
    well-formed stream never needs) reads the same."""
    read = read_cell_stream(cells, template)
    assert read == read_cell_stream(cells, template, reference=True)
    return read


@pytest.mark.parametrize("template", ["2019", "2021"])
@pytest.mark.parametrize("row_marks", [False, True])
@pytest.mark.parametrize("header", [False, True])
def test_well_formed_path_places_what_the_tree_places(template: str, row_marks: bool, header: bool) -> None:
    """The fast path (the parse table's stack automaton) makes the lexer's choices, and reading the places off the
    parser's stack gives what the parser's tree gives: same tables, same diagnostics; a short row still gets its
    GAP."""
    rows = layout(template, header)
    rows = [(key, [*row, ""] if key is not None else row) for key, row in rows]  # spanned places: empty cells
    if row_marks:  # a row the marks show ended early (an empty cell opens the next): the lexer fills in GAPs
        short = next(i for i, (key, _) in enumerate(rows) if key is not None and key[0] == "granted")
        rows[short] = (rows[short][0], rows[short][1][:-3])
        rows[short + 1] = (rows[short + 1][0], ["", *rows[short + 1][1]])
    cells, _ = render(rows, row_marks)
    found = read_well_formed(template, Stream(Cells.of(cells)))
    assert found is not None
    assert any(-1 in r.cells for r in found) == row_marks
    _, diagnostics = _both_ways(cells, template)
    assert "table.unmatched_cell" not in kinds(diagnostics)


@pytest.mark.parametrize("template", ["2019", "2021"])
def test_well_formed_path_gives_way_where_a_cell_does_not_fit(template: str) -> None:
    """A cell the parser cannot take, or an end it cannot accept, sends the stream to the recovery parse."""
    cells, _ = render(layout(template))
    assert read_well_formed(template, Stream(Cells.of(cells))) is not None
    stray = [*cells[:5], Cell("某某情况", 99, 1), *cells[5:]]
    assert read_well_formed(template, Stream(Cells.of(stray))) is None
    assert read_well_formed(template, Stream(Cells.of(cells[:-3]))) is None
    assert kinds(read_cell_stream(stray, template)[1]) == ["table.unmatched_cell"]


# --- labels broken over two cells ------------------------------------------------------------------------------------

# A label the extractor broke over two cells (the `lines` form: one cell per line), by the first half: 商业 and 结果
# and 尚未 are no labels by themselves, 其他 is one (a column of table 2, the row 3.其他).
_SPLITS = {
    "商业企业": ("商业", "企业"),
    "结果纠正": ("结果", "纠正"),
    "尚未审结": ("尚未", "审结"),
    "其他结果": ("其他", "结果"),
}


def _split_labels(cells: list[Cell]) -> list[Cell]:
    """Every cell holding one of the split labels, as two cells."""
    out: list[Cell] = []
    for cell in cells:
        out += [attrs.evolve(cell, text=t) for t in _SPLITS.get(cell.text, (cell.text,))]
    return out


@pytest.mark.parametrize("template", ["2019", "2021"])
@pytest.mark.parametrize("row_marks", [False, True])
def test_split_labels_on_the_well_formed_path(template: str, row_marks: bool) -> None:
    """Every split label is read joined on the fast path, which builds the tree Lark builds (same choices); a join
    over a cell that is a label by itself (其他 / 结果, three times in table 3's header) is reported."""
    cells, numbers = render(layout(template), row_marks)
    cells = _split_labels(cells)
    assert [c.text for c in cells].count("其他") == 4  # the applicant column and the three reviews' 其他结果
    assert read_well_formed(template, Stream(Cells.of(cells))) is not None
    tables, diagnostics = _both_ways(cells, template)
    assert placed(tables) == numbers and kinds(diagnostics) == ["table.joined_cells"] * 3
    assert all(d.excerpt == "其他 | 结果" for d in diagnostics)


@pytest.mark.parametrize("template", ["2019", "2021"])
def test_split_labels_in_the_recovery(template: str) -> None:
    """A stray cell sends the stream to Lark's parser and the recovery, which joins the same cells."""
    cells, numbers = render(layout(template))
    cells = _split_labels([*cells[:5], Cell("某某情况", 99, 1), *cells[5:]])
    assert read_well_formed(template, Stream(Cells.of(cells))) is None
    tables, diagnostics = read_cell_stream(cells, template)
    assert placed(tables) == numbers
    assert sorted(kinds(diagnostics)) == ["table.joined_cells"] * 3 + ["table.unmatched_cell"]


@pytest.mark.parametrize("split", list(_SPLITS))
def test_each_split_label_alone(split: str) -> None:
    """Each split on its own, on both paths: only the join over a label (其他 / 结果) is reported."""
    cells, numbers = render(layout("2021"))
    cells = _replace(cells, split, *_SPLITS[split])
    joined = ["table.joined_cells"] if split == "其他结果" else []
    tables, diagnostics = read_cell_stream(cells, "2021")
    assert placed(tables) == numbers and kinds(diagnostics) == joined
    cells = [*cells[:5], Cell("某某情况", 99, 1), *cells[5:]]
    tables, diagnostics = read_cell_stream(cells, "2021")
    assert placed(tables) == numbers and sorted(kinds(diagnostics)) == [*joined, "table.unmatched_cell"]


def test_a_label_by_itself_is_not_joined_where_it_fits() -> None:
    """The row 3.其他 followed by a stray 结果 stays the row, though the two cells join into a label (其他结果, a
    column of table 3): the parser state chooses, and the join does not fit there."""
    cells, numbers = render(layout("2021"))
    i = next(i for i, c in enumerate(cells) if c.text == "3.其他")
    cells = [*cells[: i + 1], attrs.evolve(cells[i], text="结果"), *cells[i + 1 :]]
    tables, diagnostics = read_cell_stream(cells, "2021")
    assert placed(tables) == numbers
    assert kinds(diagnostics) == ["table.unmatched_cell"] and "'结果'" in diagnostics[0].message


def test_a_row_one_value_short_does_not_fill_from_its_merged_places() -> None:
    """A pipe row that lost a cell ("| 2 | 57 | ||"): its values run into the empty merged places at the line's end.
    Those are no values, so the row is short and nothing of it is placed (it was placed from the left before)."""
    cells, numbers = render(layout("2021"), row_marks=True)
    i = next(i for i, c in enumerate(cells) if c.text == str(numbers["granted/research"]))
    row_end = next(j for j in range(i, len(cells)) if cells[j].row_start)
    cells = [*cells[:i], *cells[i + 1 : row_end], attrs.evolve(cells[row_end - 1], text=""), *cells[row_end:]]
    tables, diagnostics = read_cell_stream(cells, "2021")
    assert "granted" not in tables.applications
    assert placed(tables) == {k: v for k, v in numbers.items() if not k.startswith("granted/")}
    assert "table.short_row" in kinds(diagnostics)


def test_values_after_a_label_that_cannot_stand_are_that_labels() -> None:
    """A row moved under another item (行政许可 among table 1's 第(六)项 rows, its 行政处罚 row showing no value):
    行政许可's value is its own, never 行政处罚's — it is skipped with its label."""
    cells, numbers = render(layout("2021"))
    penalty = next(i for i, c in enumerate(cells) if c.text == "行政处罚")
    moved = [attrs.evolve(cells[penalty], text="行政许可"), attrs.evolve(cells[penalty], text="77")]
    cells = [*cells[: penalty + 1], *moved, *cells[penalty + 2 :]]  # 行政处罚's value replaced by the moved row
    tables, _ = read_cell_stream(cells, "2021")
    assert "penalty" not in tables.active_disclosure.get("art20_6", {})
    assert all(numbers.get(k) == v for k, v in placed(tables).items())


def test_the_grammar_names_the_column_kinds_of_the_schema(tmp_path: Path) -> None:
    """A row whose values the grammar gives another kind than schema.py's columns (the 2021 fees as a count, where
    the schema has an amount in 万元) is refused when the parser is built."""
    for name in ("common", "table_common", "table_2021"):
        (tmp_path / f"{name}.lark").write_text((GRAMMAR_DIR / f"{name}.lark").read_text(encoding="utf-8"))
    edited = (
        (tmp_path / "table_2021.lark")
        .read_text(encoding="utf-8")
        .replace("row{ROW_FEES, _amount}", "row{ROW_FEES, _v1}")
    )
    (tmp_path / "table_2021.lark").write_text(edited, encoding="utf-8")
    with grammars.folder(tmp_path), pytest.raises(GrammarError, match=r"ROW_FEES.*NUMBER.*AMOUNT"):
        grammar.parser("2021")
    assert grammar.parser("2021") is not None  # the package's grammar again
