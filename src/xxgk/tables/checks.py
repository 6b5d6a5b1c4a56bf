"""Checks on what the recovery skipped, met or supplied: each reports its cells and leaves out the rows it puts in
doubt, since a value that may be in the wrong cell is never placed.

- cells that fit no place of the form (``table.unmatched_cell``);
- a row with more values than its columns (``table.extra_value``);
- a header whose column labels stand out of the form's order, or in another unit (``table.header_mismatch``);
- a row written twice with different values (``table.repeated_row``);
- a row of table 2 or 3 read around a skipped cell that holds a number, whose own total does not add up
  (``table.unverified_row``).
"""

from __future__ import annotations

import bisect

from lark import Token

from xxgk.records import Diagnostic
from xxgk.tables.cells import CellLexer, Stream, cells_of, index, where
from xxgk.tables.form import bare
from xxgk.tables.repair import own_identities
from xxgk.tables.tree import Unit


class Checks:
    """The checks of one parse's stream and units; each marks the units it leaves out as dropped."""

    def __init__(self, template: str, lexer: CellLexer, stream: Stream) -> None:
        self.template = template
        self.lexer = lexer
        self.stream = stream
        self.diagnostics: list[Diagnostic] = []
        self._kinds: list[str | None] = []  # each cell's value kind (CellLexer.kinds), read when a check runs

    def run(self, units: list[Unit], scopes: dict[int, str] | None) -> list[Diagnostic]:
        """Every check, in order, on the units of the tree (``scopes``: the scope of each cell, wanted by the
        header check alone, so only when the recovery met a header out of order); the diagnostics."""
        if self.stream.skipped or self.stream.disagreeing:  # the checks are about cells the recovery skipped or met
            self._kinds = self.lexer.kinds(self.stream)
            self._report_skipped()
            self._check_extra_values(units)
            if scopes is not None:
                self._check_headers(units, scopes)
            self._check_repeated_rows(units)
            self._check_unverified_rows(units)
        return self.diagnostics

    def _report_skipped(self) -> None:
        """One diagnostic per run of cells the recovery skipped."""
        runs: list[list[Token]] = []
        last = -2
        dropped = self.stream.dropped
        for token in self.stream.skipped:
            if runs and dropped.issuperset(range(last + 1, index(token))):
                runs[-1].append(token)
            else:
                runs.append([token])
            last = cells_of(token)[-1]
        for run in runs:
            shown = ", ".join(where(t) for t in run[:6]) + (f" and {len(run) - 6} more" if len(run) > 6 else "")
            self.diagnostics.append(
                Diagnostic(
                    "table.unmatched_cell",
                    f"{len(run)} cell(s) fit no place of the {self.template} table form: {shown}",
                    run[0].line,
                    run[0].column,
                    " | ".join(str(t.value) for t in run),
                )
            )

    def _check_extra_values(self, units: list[Unit]) -> None:
        """A value skipped right after a complete row means that row had more values than columns."""
        values = [t for t in self.stream.skipped if self._is_value(index(t))]
        if not values:
            return
        skipped = {index(t) for t in self.stream.skipped}
        dropped = self.stream.dropped
        # Where the walk back from each skipped value stopped: the next one of a run of them stops there too, so a
        # run is walked once, not once per value (quadratic in a long run).
        back: dict[int, int] = {}
        for token in values:
            j = index(token) - 1
            while j in dropped or (j in skipped and self._is_value(j)):
                if j in back:
                    j = back[j]
                    break
                j -= 1
            back[index(token)] = j
        # A skipped cell is in no unit (the parse never took it), so only the others are looked for.
        by_cell = _units_at(units, set(back.values()) - skipped)
        for token in values:
            unit = by_cell.get(back[index(token)])
            if unit is not None and not unit.dropped:
                unit.dropped = True
                self.diagnostics.append(
                    Diagnostic(
                        "table.extra_value",
                        f"{unit.name()} has more values than its {len(unit.columns)} columns ({where(token)}): "
                        "its values are not placed",
                        token.line,
                        token.column,
                        str(token.value),
                    )
                )

    def _check_repeated_rows(self, units: list[Unit]) -> None:
        """A skipped row whose label names a placed row, with other values: which of the two is right is not
        certain, so the placed one is left out too."""
        placed = {bare(u.label.type): u for u in units if u.label is not None and index(u.label) >= 0}
        skipped, dropped = self.stream.skipped, self.stream.dropped
        kinds = self._kinds
        for n, token in enumerate(skipped):
            if kinds[index(token)] is not None:
                continue  # a value: its classes are its kind's, which names no row
            classes = self.lexer.classify(self.stream, index(token))
            if placed.keys().isdisjoint(classes.names):
                continue  # it names no placed row, whatever its width (most skipped cells: values, other labels)
            candidates = classes.taking(token)
            unit = next((placed[c] for c in candidates if c in placed), None)
            if unit is None or unit.dropped:
                continue
            values: list[Token] = []
            # Not skipped[n + 1 :]: a copy of the rest for every skipped label is quadratic in the table's length.
            for later in (skipped[m] for m in range(n + 1, len(skipped))):
                gap = range(cells_of(values[-1] if values else token)[-1] + 1, index(later))
                if not self._is_value(index(later)) or not dropped.issuperset(gap):
                    break
                values.append(later)
            if [str(v.value) for v in values] != [str(v.value) for v in unit.values]:
                unit.dropped = True
                self.diagnostics.append(
                    Diagnostic(
                        "table.repeated_row",
                        f"{unit.name()} is written twice with different values ({where(unit.values[0])} and "
                        f"{where(token)}): neither is placed",
                        token.line,
                        token.column,
                        " | ".join(str(t.value) for t in [token, *values]),
                    )
                )

    def _check_unverified_rows(self, units: list[Unit]) -> None:
        """A skipped cell that holds a number, amid a row's cells, may be one of its values the lexer could not read
        (``0 |``): the values after it then stand a column early, a value doubled or taken from further on filling
        the last place.  Where the row's own identities (its total; the reviews' group totals) can tell, they
        verify it: a row of table 2 or 3 read around such a cell whose own total does not add up is left out.  Only
        there — a report's sums may not add up (seed 000's total row), and are then placed and found by the checks
        of :mod:`xxgk.checks`."""
        numbers = sorted(index(t) for t in self.stream.skipped if any(c.isdigit() for c in str(t.value)))
        if not numbers:
            return
        read = self.lexer.read
        for unit in units:
            if unit.dropped or unit.scope not in ("applications", "reviews"):
                continue
            cells = [index(t) for t in ([unit.label, *unit.values] if unit.label is not None else unit.values)]
            if min(cells) < 0:
                continue  # a supplied label or a GAP: the row is reported missing or short already
            at = bisect.bisect_right(numbers, cells[0])
            if at == len(numbers) or numbers[at] >= cells[-1]:
                continue
            readings = [read(str(t.value), c.amount, c.signed) for c, t in zip(unit.columns, unit.values, strict=True)]
            values = [r.value for r in readings if r.certain and r.value is not None]
            if len(values) < len(readings):
                continue  # a cell not applicable or unreadable: the identities cannot tell
            keys = tuple((c.key[0], c.key[1]) for c in unit.columns)
            own = own_identities(self.template, unit.scope, keys)
            if all(sum(sign * values[p] for p, sign in identity.terms) == 0 for identity in own):
                continue
            unit.dropped = True
            token = next(t for t in self.stream.skipped if index(t) == numbers[at])
            self.diagnostics.append(
                Diagnostic(
                    "table.unverified_row",
                    f"{unit.name()} was read around {where(token)}, a cell holding a number that fits no place, and "
                    "its own total does not add up: a value may be lost there and the rest a column early, so none "
                    "is placed",
                    token.line,
                    token.column,
                    " | ".join(str(t.value) for t in unit.values),
                )
            )

    def _is_value(self, i: int) -> bool:
        """Whether cell ``i`` is a value (its classes are its kind's: :meth:`CellLexer.classify`)."""
        return self._kinds[i] is not None

    def _check_headers(self, units: list[Unit], scopes: dict[int, str]) -> None:
        """A column label that fits nowhere in the header: the columns are printed in another order than the form's,
        so no value under that header is placed by the form's order."""
        # The placed cells in order, and the units by scope: each label out of place is looked up, not compared with
        # every cell and unit (quadratic in a stream of many tables).
        placed = sorted(scopes)
        by_scope: dict[str, list[Unit]] = {}
        for unit in units:
            by_scope.setdefault(unit.scope, []).append(unit)
        for token in self.stream.disagreeing:
            before, after = bisect.bisect_left(placed, index(token)), bisect.bisect_right(placed, index(token))
            if before == 0 and after == len(placed):
                continue
            scope = scopes[placed[before - 1]] if before else scopes[placed[after]]
            hit = [u for u in by_scope.get(scope, ()) if not u.dropped]
            for unit in hit:
                unit.dropped = True
            self.diagnostics.append(
                Diagnostic(
                    "table.header_mismatch",
                    f"the header of {scope} has {where(token)} out of the form's place: "
                    f"{len(hit)} row(s) of values are not placed",
                    token.line,
                    token.column,
                    str(token.value),
                )
            )


def _units_at(units: list[Unit], cells: set[int]) -> dict[int, Unit]:
    """The unit that holds each of ``cells`` (as its label's or a value's), of those a unit holds — the last to, as
    a map of every unit's cells would say: the units are read from the last, and no further once each of the cells
    is found (the checks ask for a few cells, where a table has some three hundred)."""
    found: dict[int, Unit] = {}
    wanted = set(cells)
    for unit in reversed(units):
        for token in [unit.label, *unit.values] if unit.label else unit.values:
            for i in cells_of(token):  # none for a synthetic token
                if i in wanted:
                    found[i] = unit
                    wanted.discard(i)
        if not wanted:
            break
    return found
