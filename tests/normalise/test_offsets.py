"""The line index of a text: its counted answers (the few positions a report asks, counted on from the last) agree
with the bisect in the table of every line's start, whatever the order of the positions and wherever the counting
gives way to the table."""

from __future__ import annotations

import sys
from bisect import bisect_right

from hypothesis import given
from hypothesis import strategies as st

from xxgk.normalise.offsets import LineIndex, line_offsets

TEXTS = st.text(alphabet="ab一\n", max_size=60)


def _by_table(text: str, pos: int) -> tuple[int, int, int]:
    starts = line_offsets(text.split("\n"))
    i = bisect_right(starts, pos) - 1
    return i, starts[i], starts[i + 1] if i + 1 < len(starts) else sys.maxsize


@given(TEXTS, st.data())
def test_line_and_span_agree_with_the_table(text: str, data: st.DataObject) -> None:
    positions = data.draw(st.lists(st.integers(-2, len(text) + 2), max_size=40))
    index = LineIndex(text)
    for pos in positions:
        expected = _by_table(text, pos)
        asked = data.draw(st.sampled_from(["line", "span", "line_start"]))
        if asked == "line":
            assert index.line(pos) == expected[:2]
        elif asked == "span":
            assert index.span(pos) == expected
        else:
            assert index.line_start(pos) == expected[1]


@given(TEXTS, st.data())
def test_lines_agree_with_the_table(text: str, data: st.DataObject) -> None:
    # In order (a text's edits), with a position or two out of order among them.
    positions = sorted(data.draw(st.lists(st.integers(0, len(text)), max_size=30)))
    positions += data.draw(st.lists(st.integers(-1, len(text) + 1), max_size=3))
    index = LineIndex(text)
    index.line(data.draw(st.integers(0, len(text))))  # counting goes on from wherever the last position was
    assert index.lines(positions) == [_by_table(text, pos)[:2] for pos in positions]


def test_positions_far_apart_fall_back_to_the_table() -> None:
    text = "ab\n" * 50
    index = LineIndex(text)
    for _ in range(10):  # back and forth over the whole text: more than four readings of it
        assert index.line(len(text)) == (50, 150)
        assert index.line(0) == (0, 0)
    assert index._starts is not None  # the table was made: the answers below come from it
    assert index.line(4) == (1, 3)
    assert index.span(4) == (1, 3, 6)


def test_given_starts_are_used() -> None:
    # A CR ends a line of the original too: its starts come from normalise, and no count of "\n" is made.
    index = LineIndex("a\rb\r\nc", (0, 2, 5))
    assert [index.line(pos) for pos in (0, 2, 3, 5, 6)] == [(0, 0), (1, 2), (1, 2), (2, 5), (2, 5)]
    assert index.span(3) == (1, 2, 5)
