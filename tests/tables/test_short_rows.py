"""The placements of a short row (``xxgk.tables.repair._placements``) against a brute-force oracle: every
``itertools.combinations`` of the row's positions, each checked against every identity in full.

The walk prunes and keeps what the rest of a walk finds per state; it must find the same first two fits as the
oracle on any row — generated identities (over the row and over cells outside it, empty or missing ones included)
whose values fit one placement (consistent) or none in particular (random), and the real identities of both
tables, with rows that hold "/" (a value that decides nothing).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from xxgk import schema
from xxgk.identities import APPLICATION_PLANS, REVIEW_PLAN, Cell, Equation
from xxgk.records import KeyedTable, Number, Value
from xxgk.tables.repair import ShortRow, _placements, over_row

Row = dict[tuple[str, str], Number | None]
Case = tuple[KeyedTable, list[Equation], ShortRow]


def _oracle(table: KeyedTable, equations: list[Equation], short: ShortRow) -> list[tuple[int, ...]]:
    """Every placement in combinations order that fits: no identity broken, every row cell in one that holds."""
    fits = []
    for taken in itertools.combinations(range(len(short.keys)), len(short.values)):
        trial: Row = dict.fromkeys(short.keys, 0)
        for p, value in zip(taken, short.values, strict=True):
            trial[short.keys[p]] = value[0]
        verdicts = [(eq, _holds(eq, table, trial)) for eq in equations]
        if any(v is False for _, v in verdicts):
            continue
        held = {(r, c) for eq, v in verdicts if v for _, r, c in (*eq.stated, *eq.operands)}
        if set(short.keys) <= held:
            fits.append(taken)
    return fits


def _holds(eq: Equation, table: KeyedTable, trial: Row) -> bool | None:
    sums = []
    for side in (eq.stated, eq.operands):
        values = [
            trial[r, c] if (r, c) in trial else getattr(table.get(r, {}).get(c), "value", None) for _, r, c in side
        ]
        if None in values:
            return None
        sums.append(sum(v for v in values if v is not None))
    return sums[0] == sums[1]


def _short(table: str, keys: list[tuple[str, str]], values: Sequence[Number | None]) -> ShortRow:
    return ShortRow(table, tuple(keys), tuple((v, str(v), 1, i) for i, v in enumerate(values)), 1, 0)


def _agree(table: KeyedTable, equations: list[Equation], short: ShortRow) -> None:
    mine = [eq for eq in equations if set(short.keys) & {(r, c) for _, r, c in (*eq.stated, *eq.operands)}]
    assert _placements(table, over_row(equations, short.keys), short) == _oracle(table, mine, short)[:2]


_VALUE = st.one_of(st.integers(0, 3), st.just(None), st.just(Decimal("1.5")))


@st.composite
def _generated(draw: st.DrawFn) -> Case:
    """A row of 1–9 cells, 1–5 identities over some of them and over cells outside the row; with ``consistent``,
    the cells outside are set so that every identity holds for one placement (the truth), else drawn freely."""
    size = draw(st.integers(1, 9))
    keys = [("r", f"c{i}") for i in range(size)]
    truth = [draw(st.integers(0, 3)) for _ in keys]
    shown = draw(st.lists(st.sampled_from(range(size)), unique=True, max_size=size).map(sorted))
    row = [v if p in shown else 0 for p, v in enumerate(truth)]
    consistent = draw(st.booleans())
    table: KeyedTable = {}
    equations = []
    for i in range(draw(st.integers(1, 5))):
        cells = draw(st.lists(st.sampled_from(range(size)), unique=True, min_size=1, max_size=size))
        cut = draw(st.integers(0, len(cells)))
        stated: list[Cell] = [("", *keys[p]) for p in cells[:cut]]
        operands: list[Cell] = [("", *keys[p]) for p in cells[cut:]]
        outside = draw(st.sampled_from(["value", "value", "value", "null", "missing", "none"]))
        if outside != "none":
            stated.append(("", "x", f"e{i}"))
        if outside == "value":
            balance = sum(row[p] for p in cells[cut:]) - sum(row[p] for p in cells[:cut])
            value = balance if consistent else draw(_VALUE)
            table.setdefault("x", {})[f"e{i}"] = Value(value, 1, 0, str(value))
        elif outside == "null":
            table.setdefault("x", {})[f"e{i}"] = Value(None, 1, 0, "/")
        equations.append(Equation("rule", tuple(stated), tuple(operands), ("", "")))
    values = [row[p] if consistent else draw(_VALUE) for p in shown]
    return table, equations, _short("x", keys, values)


@settings(max_examples=400, deadline=None)
@given(_generated())
def test_the_walk_finds_the_fits_that_every_combination_finds(case: Case) -> None:
    _agree(*case)


@st.composite
def _real(draw: st.DrawFn) -> Case:
    """A row of the applications table (either template) or the reviews table's one row of 15 cells, with the rest
    of the table filled from small counts or left empty, and some of the row's values shown."""
    kind = draw(st.sampled_from(["2019", "2021", "reviews"]))
    if kind == "reviews":
        plan = list(REVIEW_PLAN)
        keys = [(group, column) for group, _ in schema.REVIEW_GROUPS for column, _ in schema.REVIEW_COLUMNS]
        rows = [group for group, _ in schema.REVIEW_GROUPS]
        columns = [column for column, _ in schema.REVIEW_COLUMNS]
    else:
        plan = list(APPLICATION_PLANS[kind])
        rows = list(schema.application_row_keys(kind))
        columns = list(schema.applicant_column_keys())
        row = draw(st.sampled_from(rows))
        keys = [(row, column) for column in columns]
    table: KeyedTable = {}
    zeros = draw(st.booleans())  # an all-zero table: the identities hold for many placements
    for r in rows:
        for c in columns:
            if (r, c) not in keys and draw(st.integers(0, 9)) > 0:
                value = 0 if zeros else draw(st.integers(0, 2))
                table.setdefault(r, {})[c] = Value(value, 1, 0, str(value))
    count = draw(st.integers(0, len(keys)))
    values = draw(st.lists(st.one_of(st.integers(0, 2), st.just(None)), min_size=count, max_size=count))
    return table, plan, _short("reviews" if kind == "reviews" else "applications", keys, values)


@settings(max_examples=150, deadline=None)
@given(_real())
def test_the_walk_finds_the_fits_on_the_real_identities(case: Case) -> None:
    _agree(*case)
