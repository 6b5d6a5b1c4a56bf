"""The LALR driver (``xxgk.engine.lalr``) against Lark's own parser, on generated input.

- :func:`lalr.accepts` (what the stage lexers ask before choosing a token) names the terminals Lark's interactive
  parser accepts, at every point of a parse.

``XXGK_DIFF_EXAMPLES=500 pytest tests/engine/test_lalr.py`` searches deeper (the default keeps CI fast).
"""

from __future__ import annotations

import os
from typing import Final

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lark import Token

from xxgk.engine import grammars, lalr
from xxgk.tables.serial import GRAMMARS, Form

EXAMPLES: Final = int(os.environ.get("XXGK_DIFF_EXAMPLES", "25"))

TEXT = st.text(alphabet="|\t \n-:/规章0。", max_size=80) | st.lists(
    st.sampled_from(
        ["", "\t", "\t规章", "规章 0 0 5", "|||", "| |", "规章 |", "| a | b |", "|---|---|", "a\tb\t", "规"]
    )
    | st.text(alphabet="|\t \u3000-:/规章0", max_size=8),
    max_size=14,
).map("\n".join)


@pytest.mark.parametrize("form", ["tab_rows", "markdown", "cell_lines", "spaced_rows"])
@settings(max_examples=4 * EXAMPLES, deadline=None)
@given(text=TEXT)
def test_accepts_is_the_interactive_parsers(form: Form, text: str) -> None:
    """Before every token of a parse (and at its end), the terminals :func:`lalr.accepts` names on the parser's
    state stack are those Lark's interactive parser accepts."""
    parser = grammars.load(GRAMMARS[form])
    stacks = lalr.Stacks.of(parser)
    interactive = parser.parse_interactive(text + "\n")
    for _ in interactive.iter_parse():  # each token is yielded before the parser takes it
        expected = interactive.accepts()
        number = stacks.number_of(interactive)
        assert stacks.accepts(number, str.isupper) == expected
        assert lalr.accepts(stacks.conf, list(stacks.stack(number)), str.isupper) == expected
    assert stacks.accepts(stacks.number_of(interactive), str.isupper) == interactive.accepts()


POSITION = st.none() | st.integers(min_value=-1, max_value=10**6)


@settings(max_examples=EXAMPLES, deadline=None)
@given(
    type_=st.sampled_from(["ROW_RULES", "NUMBER", "$END", "table_common__GAP"]),
    value=st.text(max_size=6),
    positions=st.lists(POSITION, min_size=6, max_size=6),
)
def test_new_token_is_larks_token(type_: str, value: str, positions: list[int | None]) -> None:
    """:func:`lalr.new_token` makes the token Lark's constructor makes: equal, and every slot of ``Token`` the same
    (a slot Lark adds that it leaves unset fails here, not in a lexer)."""
    made = lalr.new_token(type_, value, *positions)
    larks = Token(type_, value, *positions)
    assert type(made) is Token and made == larks and str(made) == str(larks)
    for slot in Token.__slots__:
        assert getattr(made, slot) == getattr(larks, slot), slot
