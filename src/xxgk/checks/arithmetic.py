"""The arithmetic identities of the national format (勾稽关系, :mod:`xxgk.identities`) checked in a table: a break is
an ``error``; an empty (``/``) or missing operand makes the check ``uncertain``.  In every finding the cells of the
*stated* side (the total the report prints) come first, then the operands."""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping, Sequence

from xxgk.identities import Cell, CellPlan, Equation
from xxgk.records import CellRef, Finding, KeyedTable, Number, Value

NO_ROW: Mapping[str, Value] = {}


def value(table: KeyedTable, row: str, col: str) -> Value | None:
    return table.get(row, NO_ROW).get(col)


def ref(path: str, v: Value | None) -> CellRef:
    # A missing cell has neither value nor line; an empty cell (``/``) has a line but no value.
    return CellRef(path, None if v is None else v.value, None if v is None else v.line)


def _sum(table: KeyedTable, cells: Sequence[Cell]) -> Number | None:
    total: Number = 0
    for _, row, col in cells:
        v = table.get(row, NO_ROW).get(col)
        if v is None or v.value is None:
            return None
        total += v.value
    return total


def check(eq: Equation, stated_in: KeyedTable, operands_in: KeyedTable) -> Finding | None:
    """None when ``eq`` holds, else a finding (``uncertain`` for an empty or missing operand)."""
    expected, actual = _sum(operands_in, eq.operands), _sum(stated_in, eq.stated)
    if expected is not None and expected == actual:
        return None  # the common case: no cell references to build
    return _finding(eq, stated_in, operands_in, expected, actual)


def _finding(
    eq: Equation, stated_in: KeyedTable, operands_in: KeyedTable, expected: Number | None, actual: Number | None
) -> Finding:
    """The finding of ``eq``, which does not hold: its sums are ``expected`` (the operands') and ``actual``."""
    cells = (*_refs(stated_in, eq.stated), *_refs(operands_in, eq.operands))
    zh, en = eq.where
    if expected is None or actual is None:
        blanks = ", ".join(c.path for c in cells if c.value is None)
        return Finding(
            eq.rule,
            "uncertain",
            cells,
            expected,
            actual,
            f"{zh}:有空白或缺失的单元格({blanks}),无法核对",
            f"{en}: cannot be checked, empty or missing cell(s): {blanks}",
        )
    return Finding(
        eq.rule,
        eq.severity,
        cells,
        expected,
        actual,
        f"{zh}:应为{expected},表中为{actual}",
        f"{en}: expected {expected}, the table says {actual}",
    )


def _refs(table: KeyedTable, cells: Sequence[Cell]) -> list[CellRef]:
    """:func:`ref` of each of ``cells`` in ``table``, a missing cell's the one reference of its path (a damaged table
    misses many, in finding after finding)."""
    return [
        _missing(path) if (v := table.get(row, NO_ROW).get(col)) is None else CellRef(path, v.value, v.line)
        for path, row, col in cells
    ]


@functools.cache  # an identity's paths: the schema's cells, a few hundred
def _missing(path: str) -> CellRef:
    return ref(path, None)


def equations(plan: CellPlan, table: KeyedTable) -> Iterator[Finding]:
    """A finding for each equation of ``plan`` that does not hold in ``table``; none when the table was not found."""
    if not table:
        return
    # Each cell the plan reads, once, in one comprehension (a list made per row cost a third more).
    values: list[Number | None] = [
        cells.get(col, _MISSING).value
        for row, columns in plan.rows
        for cells in (table.get(row, NO_ROW),)
        for col in columns
    ]
    for only_with, stated, operands, eq in plan.sides:
        if only_with is None or only_with in table:
            expected, actual = _total(values, operands), _total(values, stated)
            if expected is None or expected != actual:
                yield _finding(eq, table, table, expected, actual)


_MISSING = Value(None, 0, 0, "")  # a cell the table lacks: no value, as an empty one


def _total(values: list[Number | None], places: tuple[int, ...]) -> Number | None:
    total: Number = 0
    for i in places:
        v = values[i]
        if v is None:
            return None
        total += v
    return total
