"""The line lexer knows a line by its start offset and counts line numbers as it goes (:class:`~xxgk.document.lines.
Lines`): every token it gives — a line, or a table's run of lines as one TABLE_LINES — carries the line numbers,
columns and offsets that splitting the text at its line breaks gives, on corpus reports intact and damaged (blank
lines, lines lost, doubled, cut, a text with and without a last line break)."""

from __future__ import annotations

from itertools import accumulate

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lark import Token
from lark.exceptions import UnexpectedInput

from tests.document.test_differential import _CORPUS, Damage, damaged, damages
from xxgk.document.lines import Lines
from xxgk.document.parser import fast_parse, lark_parse
from xxgk.normalise import normalise


def assert_at_their_lines(text: str) -> int:
    """Each token of the document parse of ``text`` (the fast parse's tree, or Lark's where the fast parse gives up)
    stands where the text's lines put it; the number of tokens looked at."""
    norm = normalise(text)
    lines = norm.text.split("\n")
    starts = [0, *accumulate(len(line) + 1 for line in lines[:-1])]
    try:
        tree = fast_parse(Lines(norm)) or lark_parse(Lines(norm))
    except UnexpectedInput:  # the grammar gave up on the text: no tokens to look at
        return 0
    found = list(tree.scan_values(lambda v: isinstance(v, Token)))
    for token in found:
        first, last = token.line or 0, token.end_line or 0
        assert token.start_pos == starts[first - 1], token
        assert token.end_pos == starts[last - 1] + len(lines[last - 1]), token
        assert (token.column, token.end_column) == (1, len(lines[last - 1]) + 1), token
        assert str(token) == "\n".join(lines[first - 1 : last]), token
        assert last == first or token.type == "TABLE_LINES", token
    return len(found)


def test_the_corpus_tokens_stand_at_their_lines() -> None:
    for text in _CORPUS:
        assert assert_at_their_lines(text) > 10
        assert assert_at_their_lines(text.rstrip("\n") + "\n") > 10
        assert assert_at_their_lines("\n\n" + text.rstrip("\n")) > 10


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None)
@given(st.sampled_from(_CORPUS), st.booleans(), damages)
def test_damaged_reports_tokens_stand_at_their_lines(text: str, trailing: bool, damage: list[Damage]) -> None:
    text = damaged(text, damage).rstrip("\n") + ("\n" if trailing else "")
    assert_at_their_lines(text or " ")
