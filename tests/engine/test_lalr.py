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
from lark import Transformer

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


def twin_numbers(stacks: lalr.Stacks, twin: lalr.Stacks, text: str) -> list[tuple[int, int]]:
    """For each token of Lark's parse of ``text`` in the tab_rows grammar (up to the first ``twin`` does not take):
    the number ``twin`` has reached, and the number ``stacks`` gives the interactive parser's stack."""
    interactive = grammars.load(GRAMMARS["tab_rows"]).parse_interactive(text)
    pairs, number = [], twin.start
    for token in interactive.iter_parse():  # each token is yielded before the parser takes it
        pairs.append((number, stacks.number_of(interactive)))
        step = twin.take_one(number, token.type)
        if step is None:
            break
        number = step.number
    return pairs


@settings(max_examples=4 * EXAMPLES, deadline=None)
@given(first=TEXT, text=TEXT)
def test_a_twin_automaton_numbers_the_stacks_alike(first: str, text: str) -> None:
    """:meth:`Stacks.reducing` makes an automaton whose steps run other callbacks: a number stands for the same stack
    in both, whichever of the two met the stack first."""
    parser = grammars.load(GRAMMARS["tab_rows"])
    stacks = lalr.Stacks.of(parser)
    twin_numbers(stacks, stacks, first + "\n")  # the original numbers some stacks first
    twin = stacks.reducing(lalr.embedded(parser, Transformer()))
    assert all(mine == theirs for mine, theirs in twin_numbers(stacks, twin, text + "\n"))


def test_the_twin_comparison_can_fail() -> None:
    """An automaton numbered on its own numbers the stacks another way."""
    parser = grammars.load(GRAMMARS["tab_rows"])
    stacks = lalr.Stacks.of(parser)
    twin_numbers(stacks, stacks, "\t规章\n\t0\n")
    alone = lalr.Stacks(stacks.conf)
    assert any(mine != theirs for mine, theirs in twin_numbers(stacks, alone, "a\tb\t\n\t规章\n"))
