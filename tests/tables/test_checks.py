"""The checks of what the recovery skipped (:mod:`xxgk.tables.checks`)."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, settings
from lark.exceptions import UnexpectedInput

from tests.tables.test_differential import DAMAGED_STREAMS, EXAMPLES, damaged_stream
from xxgk.tables import grammar
from xxgk.tables.cells import Stream, cells_of
from xxgk.tables.checks import _units_at
from xxgk.tables.recovery import Recovery


@pytest.mark.parametrize("template", ["2019", "2021"])
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@DAMAGED_STREAMS
def test_the_units_at_cells_are_a_map_of_every_units_cells(
    template: str, form: str, damage: str, edits: list[tuple[str, float, str]], rng: random.Random
) -> None:
    """The unit :func:`_units_at` names for a cell is the one a map of every unit's cells (its label's and its
    values', the last unit to hold a cell) names, for any cells asked, held or not; no unit holds a cell the recovery
    skipped."""
    cells = damaged_stream(template, form, damage, edits, rng)
    stream = Stream(cells)
    try:
        units = Recovery(stream, template).parse(grammar.parser(template)).units
    except UnexpectedInput:
        return
    every = {i: u for u in units for t in ([u.label] if u.label else []) + u.values for i in cells_of(t)}
    # What the extra-value check leaves out of its question: a skipped cell is in no unit.
    assert not every.keys() & {i for t in stream.skipped for i in cells_of(t)}
    asked = set(random.Random(len(cells)).sample(range(-1, len(cells) + 1), k=min(8, len(cells) + 2)))
    found = _units_at(units, asked)
    assert found.keys() == asked & every.keys()
    assert all(found[i] is every[i] for i in found)


def test_a_cell_held_twice_is_the_last_units() -> None:
    """As in a map of every unit's cells, a cell two units hold is the later one's (the units are read from the
    last: an implementation reading from the first fails here)."""
    cells = damaged_stream("2021", "tab_rows", "none", [], random.Random(1))
    units = Recovery(Stream(cells), "2021").parse(grammar.parser("2021")).units
    i = cells_of(units[0].values[0])[0]
    doubled = [*units, units[0]]
    doubled[-1] = type(units[0])(units[0].scope, units[0].columns, units[0].label, list(units[0].values))
    assert _units_at(doubled, {i})[i] is doubled[-1]
