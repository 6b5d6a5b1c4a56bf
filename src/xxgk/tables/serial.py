"""Stage 3a — serialisation grammars: the text of one table block to a stream of cells.

The cell stream (what the statutory layer can rely on)
------------------------------------------------------
:func:`read_cells` returns the block's cells as :class:`~xxgk.records.Cell` records, in the order they are written
(row by row, left to right); :func:`read_block`, which the pipeline calls, returns the same cells as one
:class:`~xxgk.records.Cells` stream (parallel lists, no record per cell).  Whatever the form:

- ``text`` is the cell's text without its delimiters (tab, pipes), each line stripped; a cell written over several
  lines keeps its line breaks (``"结果\\n纠正"``); a line with no text adds nothing.
- ``line``/``column`` (1-based, in the ORIGINAL input) point at the first character of the text; for an empty cell,
  at its delimiter (the tab, or the pipe).
- Empty cells (``text == ""``) are kept wherever the form writes one — a tab line with nothing after the tab, a
  pipe with nothing before it (``| |``, ``| ||||``, a ``|||`` line) — because a leading or inner empty cell shifts
  the place of every later cell in its row.  Most are merged (spanned) places of the Word table, usually at the end
  of a row; the statutory layer skips empty cells where no value is expected and reads an empty value cell as null.
- ``row_start`` is True on a cell that the form shows begins a row, False otherwise.  What a False means depends on
  the form, so the statutory layer must treat row breaks as evidence, never count on their absence:

  ================  =================================================  ============================================
  form              rows                                               ``row_start`` is True on
  ================  =================================================  ============================================
  ``paragraphs``    not shown (one cell per paragraph, seed 000)       no cell
  ``lines``         not shown (one cell per line, no blank lines)      no cell
  ``pipe_rows``     every line is a row (``a | b |``, seed 004)        the first cell of each line
  ``markdown``      every line is a row (``| a | b |``, rule skipped)  the first cell of each line
  ``cell_lines``    partly: a ``|||`` line ends a row (seed 001)       the first cell of the block, and the cell
                                                                       after each ``|``-only line
  ``tab_rows``      a blank line ends a row (seeds 002, 003)           the first cell of each row
  ``tsv_rows``      every line is a row (``a⇥b⇥c``, a browser copy)     the first cell of each line
  ``spaced_rows``   not shown (``规章 0 0 5``, PDF text; a label        no cell
                    may wrap onto the next line)
  ================  =================================================  ============================================

  In ``cell_lines`` a row without merged places is followed by no ``|`` line, so its end is not shown; the empty
  cells of a ``|`` line belong to the row it ends (``row_start`` False).

The form is chosen from the block's own text (:mod:`~xxgk.tables.detection`); a block that fits none is read as
paragraphs and reported as ``table.unknown_form``.  Each form is one small LALR grammar (``grammars/serial_*.lark``,
sharing the terminals of ``grammars/table_cells.lark``) that accepts any sequence of lines, so reading cells never
fails.  No grammar has anything to choose that the line being read does not settle, so every form is read in one
pass (:mod:`~xxgk.tables.splitting`); Lark's own parse of the grammar, its tree made into cells by
:class:`_Pieces`, is the reference the tests hold each reader to.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from lark import Token, Transformer

from xxgk.engine import grammars
from xxgk.normalise.text import NormText
from xxgk.records import Block, Cell, Cells, Diagnostic
from xxgk.tables.detection import detect, detect_form
from xxgk.tables.splitting import (
    EVERY_ROW_SHOWN,
    GRAMMARS,
    ROW_FORMS,
    SHORTCUTS,
    Form,
    Piece,
    as_pieces,
    before_pipes,
    continued,
    piece,
    spans,
)

__all__ = ["GRAMMARS", "Form", "detect_form", "read_block", "read_cells", "split_cells"]


def read_cells(block: Block, norm: NormText) -> tuple[list[Cell], list[Diagnostic]]:
    """Read the cells of ``block`` in whichever serialisation it is written (see the module docstring)."""
    cells, diagnostics = read_block(block, norm)
    return [cells.cell(i) for i in range(len(cells))], diagnostics


def read_block(block: Block, norm: NormText) -> tuple[Cells, list[Diagnostic]]:
    """:func:`read_cells` as one :class:`~xxgk.records.Cells` stream, as the pipeline hands it on."""
    # The grammars read lines that end with "\n"; the block's text is copied once, with one, for detection and reading.
    text = norm.text[block.start : block.end] + "\n"
    if text.isspace():
        return Cells([], [], [], []), []
    diagnostics = []
    # The readers number the lines from the block's first and count columns in each: where the normaliser changed no
    # length, the original's line and column already.
    first = norm.locate(block.start)[0]
    form, paragraphs = detect(text, first)
    if form is None:
        form = "paragraphs"
        first_text = len(text) - len(text.lstrip())
        line, column = norm.locate(block.start + first_text)
        diagnostics.append(
            Diagnostic(
                "table.unknown_form",
                "the table is written in no known form; read one cell per paragraph",
                line,
                column,
                norm.original_line(line),
            )
        )
    cells = paragraphs if form == "paragraphs" and paragraphs is not None else SHORTCUTS[form](text, form, first)
    lines, columns = norm.locate_lines(block.start, block.end, first, cells.lines, cells.columns)
    return Cells(cells.texts, lines, columns, cells.row_starts, [form in EVERY_ROW_SHOWN] * len(cells)), diagnostics


def split_cells(text: str, form: Form, *, reference: bool = False) -> list[Piece]:
    """The cells of block ``text`` read with the grammar of ``form``: (text, offset in ``text``, row_start).

    ``reference``: by Lark's own parse of the grammar (``Lark.parse``), for the differential test — the same cells
    as the one-pass readers give."""
    if not text.endswith("\n"):
        text += "\n"
    if reference:
        pieces: list[Piece] = _Pieces(form).transform(grammars.load(GRAMMARS[form]).parse(text))
        return pieces
    return as_pieces(SHORTCUTS[form](text, form, 1), text)


class _Lines(NamedTuple):
    """The tokens of one cell written over lines (a line each)."""

    tokens: list[Token]


class _Spans(NamedTuple):
    """A ``|``-only line: its text and offset."""

    written: str
    start: int


class _Row(NamedTuple):
    """A row's cells: a token each (a pipe row's cell, a word) or the lines of one."""

    cells: list[_Lines | Token]


class _Pieces(Transformer[Any, list[Piece]]):
    """A serialisation grammar's tree to cell pieces: one method per rule of ``grammars/serial_*.lark``."""

    def __init__(self, form: Form) -> None:
        super().__init__(visit_tokens=False)
        self.row_form = form in ROW_FORMS  # whether the form shows rows: a row's first cell begins one

    def cell(self, lines: list[Token]) -> _Lines:
        return _Lines(lines)

    # Text lines that make one cell as a cell does: cell lines' text before a "|" line, a tab row's stray lines
    # before its first tab, a label written vertically (one character a line).
    loose = stray = vertical = cell

    def spans(self, pipes: list[Any]) -> _Spans:
        (token,) = pipes
        return _Spans(str(token), token.start_pos or 0)

    def row(self, cells: list[_Lines | Token]) -> _Row:
        return _Row(cells)

    def start(self, parts: list[_Row | _Spans | _Lines]) -> list[Piece]:
        out: list[Piece] = []
        row_next = self.row_form
        for part in parts:
            if isinstance(part, _Row):
                out += (
                    _cell(cell.tokens if isinstance(cell, _Lines) else [cell], i == 0 and row_next)
                    for i, cell in enumerate(part.cells)
                )
            elif isinstance(part, _Spans):
                out += spans(part.written, part.start)
                row_next = True
            else:  # a cell on its own: paragraphs, lines, cell lines
                out.append(_cell(part.tokens, row_next))
                row_next = False
        return out


def _cell(tokens: list[Token], row_start: bool) -> Piece:
    """One cell of a parse from its tokens, as the one-pass readers make it."""
    first, *rest = (_content(token) for token in tokens)
    made = piece(*first, row_start)
    for written, offset, _ in rest:
        made = continued(made, written, offset)
    return made


def _content(token: Token) -> tuple[str, int, int]:
    """What ``token`` writes into its cell without delimiters, that text's offset, and the delimiter's offset."""
    terminal, value, start = token.type, token.rstrip("\n"), token.start_pos or 0
    if terminal == "TAB_LINE":
        tab = value.index("\t")
        return value[tab + 1 :], start + tab + 1, start + tab
    if terminal == "PIPED_LINE":
        written = before_pipes(value)
        return written, start, start + len(written)
    if terminal == "CELL":  # its delimiter (the pipe, or the tab) is its last character
        return value[:-1], start, start + len(value) - 1
    return value, start, start
