"""What the REPL reads out of a parse (:mod:`xxgk.repl.parsing`, over the typed doors of :mod:`xxgk.engine.lalr`),
checked against Lark's own answers on generated and damaged inputs of the toy grammar: the terminals the parser
accepts at every step and where it failed (Lark's public ``InteractiveParser.accepts()``), and that walking the parse
token by token, as :step does, fails exactly where ``Lark.parse`` does."""

from __future__ import annotations

import functools

from hypothesis import given, settings
from hypothesis import strategies as st
from lark import Lark
from lark.exceptions import UnexpectedInput, UnexpectedToken

from tests.repl.driver import GRAMMARS
from xxgk.repl import parsing
from xxgk.repl.workspace import Workspace

# Pieces of the toy grammar's rows, and damage: a letter among the numbers, a stray +, a tab, a blank line.
PIECES = ("新收", "办结", " | ", "|", "1", "23", "/", " ", "\n", "x", "+", "\t", "\n\n")
TEXTS = st.lists(st.sampled_from(PIECES), max_size=30).map("".join)
RULES = st.sampled_from(["start", "row", "sum"])
# A grammar whose LALR table reduces on terminals that fail after the reduction: the item ``x: NUM •`` is one state
# for both brackets, so after ``( 1`` the table reduces on ``]`` as well as ``)`` — only walking it tells them apart.
BRACKETS = """
start: "(" x ")" | "[" x "]" | "(" "[" start "]" ")"
x: NUM
NUM: /\\d+/
%ignore " "
"""
BRACKET_TEXTS = st.lists(st.sampled_from(("(", ")", "[", "]", "1", " ")), max_size=12).map("".join)


@functools.cache
def brackets() -> Lark:
    return Lark(BRACKETS, parser="lalr", debug=True)


@functools.cache
def toy(rule: str) -> Lark:
    """The REPL's LALR parser of ``toy.<rule>`` (built as :step builds it: ``debug=True``, item sets kept)."""
    return Workspace(GRAMMARS).parser("toy", rule, "lalr").lark


@settings(max_examples=1500, deadline=None)
@given(st.one_of(st.tuples(RULES.map(toy), TEXTS), st.tuples(st.builds(brackets), BRACKET_TEXTS)))
def test_accepted_terminals_are_larks_at_every_step_and_at_the_error(case: tuple[Lark, str]) -> None:
    """The REPL asks the parse table itself because Lark's ``accepts()`` drops namespaced terminals; for a grammar
    whose terminals are all upper case, the two must agree everywhere — before each token, at the end, and in the
    parser an error carries."""
    lark, text = case
    ip = lark.parse_interactive(text)
    walked = True
    try:
        for token in parsing.lex(ip):
            assert parsing.accepted(ip) == ip.accepts()
            ip.feed_token(token)
        assert parsing.accepted(ip) == ip.accepts()
        parsing.feed_eof(ip, None)
    except UnexpectedInput:
        walked = False
    try:
        lark.parse(text)
        parsed = True
    except UnexpectedInput as error:
        parsed = False
        carried = getattr(error, "interactive_parser", None)
        if carried is not None:
            assert parsing.accepted(carried) == carried.accepts()
            if isinstance(error, UnexpectedToken):  # the parser state it carries, read by the parse table
                assert set(parsing.expected(error)) == carried.accepts()
    assert walked == parsed


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_state_numbers_are_stable_and_name_every_state_the_walk_reaches(text: str) -> None:
    first, second = toy("start").parse_interactive(text), toy("start").parse_interactive(text)
    numbers = parsing.state_numbers(first)
    assert numbers == parsing.state_numbers(second)
    assert sorted(numbers.values()) == list(range(len(numbers))) and numbers[parsing.state(first)] == 0
    try:
        for token in parsing.lex(first):
            first.feed_token(token)
            assert parsing.state(first) in numbers
            assert parsing.rule_stack(first)  # debug-mode states: every stack spells a rule
    except UnexpectedInput:
        pass


def test_bare_drops_lark_namespaces_only() -> None:
    assert parsing.bare("table_common__ROW_GRANTED") == "ROW_GRANTED"
    assert parsing.bare("row{table_common__ROW_PARTIAL,_table_common__v7}") == "row{ROW_PARTIAL,_v7}"
    assert parsing.bare("__ANON_0") == "__ANON_0" and parsing.bare("__start_star_0") == "__start_star_0"
    assert parsing.names(["b__Y", "X", "$END"]) == "$END X Y"
