"""Placing values: units of cells (from the tree, or rows of the well-formed read) to :class:`~xxgk.records.Tables`.

Each value is read for its column (:mod:`xxgk.tables.values`) and stored under its key with its position; a row
with a ``GAP`` among its values is short — which columns its values belong to is not certain, so none is placed —
and an unreadable cell is left out; both are kept for what the identities settle (:mod:`xxgk.tables.repair`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from xxgk.records import Diagnostic, Tables, Value
from xxgk.tables.cells import CellLexer, Stream, index, where_at
from xxgk.tables.form import Column, unit_name

if TYPE_CHECKING:
    from lark import Token

    from xxgk.tables.repair import ShortRow, Unreadable
    from xxgk.tables.tree import Unit
    from xxgk.tables.values import Reading
    from xxgk.tables.wellformed import Row

# The repair (:mod:`xxgk.tables.repair`) is imported where a short row or an unreadable cell first needs it: most
# reports have neither, and a one-file run then does not load it.


class Placer:
    """Turns the units of one parse into Values, leaving out and reporting every row that is not certain."""

    def __init__(self, template: str, lexer: CellLexer, stream: Stream, diagnostics: list[Diagnostic]) -> None:
        self.template = template
        self.lexer = lexer
        self.stream = stream
        self.diagnostics = diagnostics  # the checks' so far: placing adds its own
        self.unreadable: list[Unreadable] = []  # value cells not placed for their text alone (see repair.py)
        self.short: list[ShortRow] = []  # rows of tables 2 and 3 that showed fewer values than their columns

    def place(self, units: list[Unit]) -> Tables:
        """The tables holding the values of the units not dropped."""
        # A unit's tokens are the stream's cells (a value token is one cell, at its index); a GAP, lexed or supplied,
        # and a supplied label are synthetic, at -1 — so a unit is placed as a fast-path row is.
        return self._place_all(
            (unit.scope, unit.columns, unit.label is not None, _at(unit.label), list(map(index, unit.values)))
            for unit in units
            if not unit.dropped
        )

    def place_rows(self, rows: list[Row]) -> Tables:
        """The tables holding the values of the fast path's rows."""
        return self._place_all((place.scope, place.columns, place.labelled, label, row) for place, label, row in rows)

    def _place_all(self, units: Iterable[tuple[str, Sequence[Column], bool, int, list[int]]]) -> Tables:
        """The tables holding the values of ``units``: each its scope, columns, whether it is labelled, its label's
        cell (-1: none in the text) and its values' cells (-1: a GAP).  Each value is read for its column and stored;
        a row with a GAP among real values is short, and none of its values is placed (:meth:`_short`)."""
        tables = Tables()
        read = self.lexer.read
        cells = self.stream.cells
        texts, lines, at = cells.texts, cells.lines, cells.columns
        # One loop over every unit's values, a call for none of them (most reports: ~35 rows of ~6 values).
        for scope, columns, labelled, label, indices in units:
            if -1 in indices:
                self._short(scope, columns, labelled, label, indices)
                continue
            # The row written in: a unit's columns go through its rows one after the other (the reviews': three).
            row: dict[str, Value] | None = None
            row_key: tuple[str, ...] = ()
            for (key, path, amount, signed, in_row), i in zip(columns, indices, strict=True):
                text = texts[i]
                reading = read(text, amount, signed)
                if (reading.odd is not None or not reading.certain) and not self._odd(
                    scope, key, path, in_row, reading, text, lines[i], at[i]
                ):
                    continue
                if row is None or in_row != row_key:  # made where its first value is stored: the written order kept
                    row, row_key = _row(tables, scope, in_row), in_row
                row[key[-1]] = Value(reading.value, lines[i], at[i], text)
        return tables

    def _short(self, scope: str, columns: Sequence[Column], labelled: bool, label: int, indices: list[int]) -> None:
        """Report a unit with a GAP among its values (see :meth:`_place_all`) and keep it for :meth:`repaired`; a
        unit of gaps alone is a missing row, which the recovery reported."""
        cells = self.stream.cells
        texts, lines, at = cells.texts, cells.lines, cells.columns
        real = [(texts[i], lines[i], at[i]) for i in indices if i >= 0]
        if not real:
            return
        line, column = (lines[label], at[label]) if label >= 0 else real[0][1:]
        self._note_short(scope, columns, real, line, column)
        self.diagnostics.append(
            Diagnostic(
                "table.short_row",
                f"{unit_name(scope, columns, labelled)} has {len(real)} of its {len(indices)} values "
                f"({', '.join(where_at(*v) for v in real[:8])}): which columns they belong to is not "
                "certain, so none is placed",
                line,
                column,
                " | ".join(v[0] for v in real),
            )
        )

    def _note_short(
        self,
        scope: str,
        columns: Sequence[Column],
        real: list[tuple[str, int, int]],
        line: int,
        col: int,
    ) -> None:
        """Keep a short row of table 2 or 3 for :meth:`repaired`, when every value it shows reads for certain."""
        table = scope.partition("/")[0]
        if table == "active_disclosure":
            return  # no identity ties table 1's cells
        readings = [self.lexer.read(text, False, False) for text, _, _ in real]
        if all(r.certain for r in readings):
            from xxgk.tables.repair import ShortRow

            keys = tuple((c.key[0], c.key[1]) for c in columns)
            values = tuple((r.value, t, line, col) for r, (t, line, col) in zip(readings, real, strict=True))
            self.short.append(ShortRow(table, keys, values, line, col))

    def repaired(self, tables: Tables) -> tuple[Tables, list[Diagnostic]]:
        """``tables`` with what the identities settle (:mod:`xxgk.tables.repair`) — short rows with exactly one
        placement that satisfies them, unreadable cells that an identity and their text agree on — and every diagnostic
        of the read: a row or cell placed so is reported as such, no longer as short or unreadable."""
        diagnostics = [*self.stream.diagnostics, *self.diagnostics]
        if not (self.short or self.unreadable):
            return tables, diagnostics
        from xxgk.tables.repair import place_short_row, repair

        placed = [d for short in self.short if (d := place_short_row(tables, self.template, short)) is not None]
        placed += repair(tables, self.template, self.unreadable)
        if placed:
            where = {(d.line, d.column) for d in placed}
            replaced = ("value.unreadable", "table.short_row")
            diagnostics = [d for d in diagnostics if d.kind not in replaced or (d.line, d.column) not in where]
        return tables, diagnostics + placed

    def _odd(
        self,
        scope: str,
        key: tuple[str, ...],
        path: str,
        row_key: tuple[str, ...],
        reading: Reading,
        text: str,
        line: int,
        column: int,
    ) -> bool:
        """Report a value cell read with something odd about it; whether it is placed (else it is kept for
        :meth:`repaired`, unreadable)."""
        if reading.odd is not None:
            kind = "value.odd" if reading.certain else "value.unreadable"
            verdict = f"read as {reading.value}" if reading.certain else "not placed"
            self.diagnostics.append(Diagnostic(kind, f"{path}: {reading.odd}: {verdict}", line, column, text))
        if not reading.certain:
            from xxgk.tables.repair import Unreadable

            self.unreadable.append(Unreadable(scope.partition("/")[0], row_key[0], key[-1], text, line, column))
        return reading.certain


def _at(label: Token | None) -> int:
    """The cell of a unit's label: -1 for none, or a supplied one."""
    return -1 if label is None else index(label)


def _row(tables: Tables, scope: str, key: tuple[str, ...]) -> dict[str, Value]:
    """The row of ``tables`` at ``key`` — (item, row) in table 1, (row,) or (group,) in tables 2 and 3 — made if new."""
    if scope == "applications":
        return tables.applications.setdefault(key[0], {})
    if scope == "reviews":
        return tables.reviews.setdefault(key[0], {})
    item, row = key  # active_disclosure/<item>
    return tables.active_disclosure.setdefault(item, {}).setdefault(row, {})
