"""Reading what the layout leaves open, where the identities of the form (勾稽关系) settle it.

A row that showed fewer values than its columns (empty cells dropped) is placed when exactly one way of spreading its
values over its columns satisfies the identities the read cells can decide (:func:`place_short_row`).

A cell such as ``l2``, ``1O``, ``O`` or ``一二`` is not read by the table stage: a letter may stand for a digit, or
may be noise.  When the 勾稽 identities (:mod:`xxgk.identities`) give the cell a value from cells that were read,
and that value is the one the text spells with its look-alike letters read as digits (l, I → 1; O, o, 〇 → 0;
Chinese digits one by one), the two independent readings agree and the value is placed, reported as
``value.repaired``.  Any disagreement, or an identity with another empty operand, leaves the cell null.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from attrs import frozen

from xxgk.identities import APPLICATION_PLANS, REVIEW_PLAN, Equation
from xxgk.records import Diagnostic, KeyedTable, Number, Tables, Value

# Characters read as the digit they are mistaken for, or written as.
_DIGITS = str.maketrans("lI|iOo〇零一二三四五六七八九", "111100" + "00" + "123456789")


@frozen
class Unreadable:
    """A value cell that was not placed because its reading is not certain: where it is and what it says."""

    table: str  # "applications" or "reviews" (table 1 has no identities)
    row: str
    column: str
    text: str
    line: int
    col: int


def spelled(text: str) -> int | None:
    """The count ``text`` spells when its look-alike characters are read as digits, None when it spells none."""
    digits = text.strip().translate(_DIGITS)
    return int(digits) if digits.isascii() and digits.isdigit() else None


def repair(tables: Tables, template: str, cells: list[Unreadable]) -> list[Diagnostic]:
    """Place each cell of ``cells`` that an identity and its text agree on; one diagnostic per cell placed."""
    plans = {"applications": APPLICATION_PLANS.get(template, ()), "reviews": REVIEW_PLAN}
    placed: list[Diagnostic] = []
    pending = [c for c in cells if c.table in plans and spelled(c.text) is not None]
    changed = True
    while changed:  # a cell placed may complete another identity for the next one
        changed = False
        for cell in list(pending):
            table: KeyedTable = getattr(tables, cell.table)
            derived = {v for eq in plans[cell.table] if (v := _solve(eq, table, cell)) is not None}
            value = spelled(cell.text)
            if derived != {value} or value is None:
                continue
            table.setdefault(cell.row, {})[cell.column] = Value(value, cell.line, cell.col, cell.text)
            pending.remove(cell)
            changed = True
            rules = sorted({eq.rule for eq in plans[cell.table] if _solve(eq, table, cell) == value})
            placed.append(
                Diagnostic(
                    "value.repaired",
                    f"{cell.table}/{cell.row}/{cell.column}: {cell.text!r} read as {value}: its letters read as "
                    f"digits, and {', '.join(rules)} give(s) the same value",
                    cell.line,
                    cell.col,
                    cell.text,
                )
            )
    return placed


def _solve(eq: Equation, table: KeyedTable, cell: Unreadable) -> Number | None:
    """The value ``eq`` gives ``cell`` from its other cells (the cell itself is left out of the sums), None when the
    cell is not in it, another of its cells is empty or missing, or the value would be negative."""
    me = (cell.row, cell.column)
    stated = [(r, c) for _, r, c in eq.stated]
    operands = [(r, c) for _, r, c in eq.operands]
    if me not in stated and me not in operands:
        return None
    sums: list[Number] = []
    for side in (stated, operands):
        total: Number = 0
        for rc in side:
            if rc == me:
                continue
            v = table.get(rc[0], {}).get(rc[1])
            if v is None or v.value is None:
                return None
            total += v.value
        sums.append(total)
    value = sums[1] - sums[0] if me in stated else sums[0] - sums[1]
    return value if value >= 0 else None


@frozen
class ShortRow:
    """A row that showed fewer values than its columns (empty cells dropped by the extraction): its columns' keys
    (row, column) in order, and the values it showed, read, with their cells (text, line, column)."""

    table: str
    keys: tuple[tuple[str, str], ...]
    values: tuple[tuple[Number | None, str, int, int], ...]
    line: int  # where the row is reported (its label, else its first value)
    col: int


def place_short_row(tables: Tables, template: str, short: ShortRow) -> Diagnostic | None:
    """Place ``short``'s values when exactly one way of spreading them over its columns (the missing ones empty)
    satisfies every identity that the cells read can decide; None (nothing placed) otherwise."""
    table: KeyedTable = getattr(tables, short.table)
    fits = _placements(table, _identities(template, short.table, short.keys), short)
    if len(fits) != 1:
        return None
    for p, (value, text, line, col) in zip(fits[0], short.values, strict=True):
        row, column = short.keys[p]
        table.setdefault(row, {})[column] = Value(value, line, col, text)
    empty = [f"{short.table}/{'/'.join(short.keys[p])}" for p in range(len(short.keys)) if p not in fits[0]]
    return Diagnostic(
        "table.short_row_placed",
        f"a row of {short.table} showed {len(short.values)} of its {len(short.keys)} values; exactly one placement "
        f"satisfies the identities, with {', '.join(empty)} empty: placed so",
        short.line,
        short.col,
        " | ".join(v[1] for v in short.values),
    )


class RowIdentity(NamedTuple):
    """An identity over a row: each of its row positions with its sign in ``stated - operands`` (+1 stated, -1 an
    operand, their sum for a cell on both sides), and its other cells, each with its sign, row and column."""

    terms: tuple[tuple[int, int], ...]
    others: tuple[tuple[int, str, str], ...]


def over_row(equations: Iterable[Equation], keys: tuple[tuple[str, str], ...]) -> tuple[RowIdentity, ...]:
    """Those of ``equations`` that have a cell in the row whose cells (row, column) are ``keys``, over it."""
    index = {key: p for p, key in enumerate(keys)}
    found = []
    for eq in equations:
        signs: dict[int, int] = {}
        others = []
        for side, sign in ((eq.stated, 1), (eq.operands, -1)):
            for _, row, column in side:
                p = index.get((row, column))
                if p is None:
                    others.append((sign, row, column))
                else:
                    signs[p] = signs.get(p, 0) + sign
        if signs:
            found.append(RowIdentity(tuple(signs.items()), tuple(others)))
    return tuple(found)


@functools.cache
def _identities(template: str, table: str, keys: tuple[tuple[str, str], ...]) -> tuple[RowIdentity, ...]:
    """The identities of ``table`` (``applications``, ``reviews``) in ``template`` over the row ``keys``: a report's
    short rows are of a few shapes, and so are every report's."""
    plan = {"applications": APPLICATION_PLANS.get(template, ()), "reviews": REVIEW_PLAN}.get(table, ())
    return over_row(plan, keys)


@functools.cache
def own_identities(template: str, table: str, keys: tuple[tuple[str, str], ...]) -> tuple[RowIdentity, ...]:
    """The identities of ``table`` in ``template`` that read the row ``keys`` and no other cell: its total column
    (``applications.row_total``), or the totals of the reviews' groups the row's values cover."""
    return tuple(identity for identity in _identities(template, table, keys) if not identity.others)


def _placements(table: KeyedTable, identities: Sequence[RowIdentity], short: ShortRow) -> list[tuple[int, ...]]:
    """The placements of ``short``'s values (the positions they take, in order; the others empty) that fit: every
    identity (:func:`over_row`) that can be decided holds, and each of the row's cells is in one that does — a
    placement that only escapes the checks (a "/" where it leaves them undecided) is no fit.  The first two in the
    order of ``itertools.combinations`` (at most two: whether the fit is unique is the question).

    A "/" leaves every identity over its cell undecided, so a row that shows one has no fit; in a row without one
    every identity is decided, and a placement fits when each holds and each of the row's cells is in one.  An
    identity over the row holds when what the row's values add to it (each with its side's sign) equals what its
    other cells leave over: a depth-first walk over the row's positions, each taking the next value or staying
    empty, keeps for each identity what is left over so far, and does not walk on from a position where an identity
    it decides is left with anything.  What the rest of the walk finds depends only on the position, the count of
    values placed and those remainders: it is kept per such state (a row of the applications table, whose total
    column adds up all the others, has a state per position and count).  The remainders are exact: tables 2 and 3
    hold counts (ints), so the order of the additions does not matter."""
    keys, values = short.keys, [v for v, _, _, _ in short.values if v is not None]
    size, count = len(keys), len(short.values)
    if len(values) < count:
        return []  # a "/" among them: see above
    checks = [(terms, left) for terms, others in identities if (left := _left(others, table)) is not None]
    if len({p for terms, _ in checks for p, _ in terms}) < size:
        return []  # a cell that no identity can decide: no placement fits
    terms_at: list[list[tuple[int, int]]] = [[] for _ in keys]  # (identity, sign) for the identities at each position
    decided_at: list[list[int]] = [[] for _ in keys]  # the identities whose last row cell is at each position
    for i, (terms, _) in enumerate(checks):
        for p, sign in terms:
            terms_at[p].append((i, sign))
        decided_at[max(p for p, _ in terms)].append(i)
    seen: dict[tuple[int, int, tuple[Number, ...]], tuple[tuple[int, ...], ...]] = {}

    def walk(p: int, placed: int, left: tuple[Number, ...]) -> tuple[tuple[int, ...], ...]:
        """The first two placements of the values from ``placed`` on over the positions from ``p`` on that fit, with
        ``left`` what each identity leaves over for the positions from ``p`` on."""
        if size - p < count - placed:
            return ()
        if p == size:
            return ((),)
        state = (p, placed, left)
        found = seen.get(state)
        if found is None:
            found = ()
            decided = decided_at[p]
            if placed < count:  # the next value here …
                value = values[placed]
                taken = list(left)
                for i, sign in terms_at[p]:
                    taken[i] -= sign * value
                if not any(map(taken.__getitem__, decided)):
                    found = tuple([(p, *rest) for rest in walk(p + 1, placed + 1, tuple(taken))])
            if len(found) < 2 and not any(map(left.__getitem__, decided)):  # … or this place empty
                found = (*found, *walk(p + 1, placed, left))[:2]
            seen[state] = found
        return found

    return list(walk(0, 0, tuple(left for _, left in checks)))


def _left(others: tuple[tuple[int, str, str], ...], table: KeyedTable) -> Number | None:
    """What an identity's cells outside the row leave over for the row's (operands minus stated); None when one is
    empty or missing (the identity decides nothing then, whatever the row's values)."""
    left: Number = 0
    for sign, row, column in others:
        cell = table.get(row, {}).get(column)
        if cell is None or cell.value is None:
            return None
        left -= sign * cell.value
    return left
