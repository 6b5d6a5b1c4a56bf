"""Line terminals of document.lark written for the regex engine's speed read the lines their plain reading does."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from xxgk.document.parser import parser
from xxgk.engine import lalr

_LINE = st.text(alphabet="表格0。. \t|", max_size=90) | st.builds(
    lambda n, c, at: ("表" * n)[:at] + c + ("表" * n)[at:],
    st.integers(0, 90),
    st.sampled_from("。 \t"),
    st.integers(0, 90),
)


@given(_LINE, _LINE)
@settings(max_examples=1000, deadline=None)
def test_a_cell_is_a_line_of_1_to_80_characters_without_a_full_stop(line: str, after: str) -> None:
    # Fails with the lookahead reading past the line's end, or the 80 off by one.
    cell = re.compile(lalr.lark_parts(parser())[0].patterns["CELL"])
    plain = 1 <= len(line) <= 80 and "。" not in line
    assert (cell.match(line) is not None) == plain
    assert (cell.match(f"{line}\n{after}") is not None) == plain
    assert (cell.match(f"{after}\n{line}\n{after}", len(after) + 1) is not None) == plain
