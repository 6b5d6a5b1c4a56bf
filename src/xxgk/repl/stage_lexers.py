"""The grammars whose terminals a stage's own lexer matches rather than Lark's, and the input each such lexer reads:
the REPL builds their parsers with that lexer, so it drives them the way the pipeline does."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from attrs import frozen
from lark.lexer import Lexer

from xxgk.document import lexer as segment
from xxgk.normalise.text import NormText
from xxgk.records import Block, Cell
from xxgk.tables import serial, statutory


@frozen
class StageLexer:
    """A grammar that only its stage module can lex: the custom Lark lexer and the input that lexer reads."""

    lexer: type[Lexer]
    reads: Callable[[NormText], Any]
    cell_tokens: bool = False


def stage_lexers() -> dict[str, StageLexer]:
    """The grammars whose terminals are matched by a stage's own lexer rather than Lark's, by grammar name.

    The document grammar's terminals each match a whole line; its line lexer (segment.py) also makes the %declare'd
    tokens (skeleton headings, _END) and reads the lexer's line state, not a string.  The statutory grammars read
    table cells: the REPL takes the input as one table block, reads its cells with the serialisation grammars and
    hands them to the template's cell lexer (statutory.py), as the pipeline does.
    """
    stages = {"document": StageLexer(segment.LineLexer, segment.lexer_input)}
    for template, grammar in statutory.GRAMMARS.items():
        lexer = statutory.lexer_class(template)
        stages[grammar] = StageLexer(lexer, lambda norm: statutory.lexer_input(_cells(norm)), cell_tokens=True)
    return stages


def _cells(norm: NormText) -> list[Cell]:
    """The cells of the whole input read as one table block (the form chosen from the text, as for any block)."""
    cells, _ = serial.read_cells(Block(None, 0, len(norm.text), 1), norm)
    return cells
