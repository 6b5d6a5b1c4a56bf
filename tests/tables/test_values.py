"""Value cells (xxgk.tables.values): read for their column, odd cells, unreadable cells, empty spanned cells."""

from __future__ import annotations

import pickle
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.tables.streams import kinds, layout, placed, render, replace_cell
from xxgk.records import Cell, Value
from xxgk.tables import grammar
from xxgk.tables.statutory import read_cell_stream

# --- values ------------------------------------------------------------------------------------------------------


@given(
    st.one_of(st.none(), st.integers(), st.decimals(allow_nan=False, allow_infinity=False)),
    st.integers(0, 10**6),
    st.integers(0, 10**4),
    st.text(max_size=8),
)
def test_value_is_the_record_of_its_fields(value: int | Decimal | None, line: int, column: int, raw: str) -> None:
    """``Value``'s own ``__init__`` (each slot set directly) makes the record attrs would: its fields, equal and
    hashed as its fields, frozen, and ``attrs.evolve`` and pickling make it again."""
    made = Value(value, line, column, raw)
    assert attrs.astuple(made, recurse=False) == (value, line, column, raw)
    assert made == Value(value, line, column, raw) and hash(made) == hash(Value(value, line, column, raw))
    assert made != Value(value, line + 1, column, raw)
    assert repr(made) == f"Value(value={value!r}, line={line!r}, column={column!r}, raw={raw!r})"
    assert attrs.evolve(made, line=line + 1) == Value(value, line + 1, column, raw)
    assert pickle.loads(pickle.dumps(made)) == made
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        made.line = line + 1  # type: ignore[misc]


def test_value_init_sets_every_field() -> None:
    """``Value.__init__`` sets the fields attrs' would, none with a default, converter or validator that it would
    skip."""
    assert [f.name for f in attrs.fields(Value)] == ["value", "line", "column", "raw"]
    assert all(f.default is attrs.NOTHING and f.converter is None and f.validator is None for f in attrs.fields(Value))


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
    [
        *[("1 1", False), ("12.5", False), ("约12", False), ("500元", False), ("l2", False), ("1O", False)],
        *[("I5", False), ("2ll78", False), ("l0l0", False)],
    ],
)
def test_unreadable_values_are_not_guessed(text: str, amount: bool) -> None:
    assert not _values().read(text, amount=amount, signed=False).certain


def test_odd_cells_in_a_table() -> None:
    cells, numbers = render(layout("2019"))
    by_text = {c.text: c for c in cells}
    fees = str(numbers["art20_9/central_procurement/amount"])
    cells = replace_cell(cells, fees, "196.7万元")
    cells = replace_cell(cells, str(numbers["art20_5/other_services/change"]), "-6")
    cells = replace_cell(cells, str(numbers["partial/total"]), "0 0")
    cells = replace_cell(cells, str(numbers["total/other_org"]), "1 1")
    cells = replace_cell(cells, str(numbers["granted/research"]), "/")
    cells = replace_cell(cells, str(numbers["granted/commercial"]), "")
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


@pytest.mark.parametrize(
    "odd", ["l2", "O", "无", "不适用", "*", "〇", "1O", "2ll78", "l0l0", "一二", "一百二十七", "N/A"]
)
@pytest.mark.parametrize("row_marks", [False, True])
def test_an_odd_cell_holds_its_column(odd: str, row_marks: bool) -> None:
    """A cell that is no number the form allows stands in a value's place: the row's later values keep their
    columns (nothing shifts left), the odd cell itself is not placed, and a diagnostic names it."""
    cells, numbers = render(layout("2019"), row_marks=row_marks)
    target = "art20_1/normative_documents/new_made"
    cells = replace_cell(cells, str(numbers[target]), odd)
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


@pytest.mark.parametrize("text", ["(1)", "1.", "2023年", "第3项"])
def test_enumerators_and_text_with_numbers_are_not_values(text: str) -> None:
    assert _values().kind(text) is None
