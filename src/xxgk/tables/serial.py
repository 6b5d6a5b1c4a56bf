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

The form is chosen from the block's own text (:func:`detect_form`); a block that fits none is read as paragraphs
and reported as ``table.unknown_form``.  Each form is one small LALR grammar (``grammars/serial_*.lark``, sharing
the terminals of ``grammars/table_cells.lark``) that accepts any sequence of lines, so reading cells never fails.
Where a grammar has nothing to choose (one terminal fits at any point, any sequence of lines parses: tab rows, pipe
rows, paragraphs, cell lines), its terminals are matched in one pass and grouped as its rules do, without a parse
per token; ``tests/tables/test_serial.py`` checks these against the parse.
"""

from __future__ import annotations

import re
from typing import Final, Literal

from lark import Tree

from xxgk.engine import grammars, lalr
from xxgk.engine.lalr import Lexeme
from xxgk.normalise.text import NormText
from xxgk.records import Block, Cell, Cells, Diagnostic

Form = Literal[
    "paragraphs",
    "lines",
    "pipe_rows",
    "markdown",
    "cell_lines",
    "separated_cells",
    "tab_rows",
    "spaced_rows",
    "tsv_rows",
]

GRAMMARS: Final[dict[Form, str]] = {
    "paragraphs": "serial_paragraphs",
    "lines": "serial_lines",
    "pipe_rows": "serial_pipe_rows",
    "markdown": "serial_markdown",
    "cell_lines": "serial_cell_lines",
    "separated_cells": "serial_separated_cells",
    "tab_rows": "serial_tab_rows",
    "spaced_rows": "serial_spaced_rows",
    "tsv_rows": "serial_tsv_rows",
}
# Forms whose first cell begins a row (every form but paragraphs and lines, which show no rows).
_ROW_FORMS: Final = frozenset({"pipe_rows", "markdown", "cell_lines", "separated_cells", "tab_rows", "tsv_rows"})

# A piece of the stream before positions are mapped: text, its offset in the block, row_start.
_Piece = tuple[str, int, bool]


def read_cells(block: Block, norm: NormText) -> tuple[list[Cell], list[Diagnostic]]:
    """Read the cells of ``block`` in whichever serialisation it is written (see the module docstring)."""
    cells, diagnostics = read_block(block, norm)
    return [cells.cell(i) for i in range(len(cells))], diagnostics


def read_block(block: Block, norm: NormText) -> tuple[Cells, list[Diagnostic]]:
    """:func:`read_cells` as one :class:`~xxgk.records.Cells` stream, as the pipeline hands it on."""
    # The grammars read lines that end with "\n"; the block's text is copied once, with one, for detection and reading.
    text = norm.text[block.start : block.end] + "\n"
    if not text.strip():
        return Cells([], [], [], []), []
    diagnostics = []
    form, paragraphs = _detect(text)
    if form is None:
        form = "paragraphs"
        first = len(text) - len(text.lstrip())
        line, column = norm.locate(block.start + first)
        diagnostics.append(
            Diagnostic(
                "table.unknown_form",
                "the table is written in no known form; read one cell per paragraph",
                line,
                column,
                norm.original_line(line),
            )
        )
    pieces = paragraphs if form == "paragraphs" and paragraphs is not None else split_cells(text, form)
    if not pieces:
        return Cells([], [], [], []), diagnostics
    texts, offsets, row_starts = zip(*pieces, strict=True)
    lines, columns = zip(*norm.locate_many(block.start + offset for offset in offsets), strict=True)
    return Cells(list(texts), list(lines), list(columns), list(row_starts)), diagnostics


def detect_form(text: str) -> Form | None:
    """Which serialisation ``text`` (one block) is written in, by what most of its lines look like; None if none.

    Tab rows need lines opened by a tab; the pipe forms, lines with pipes — markdown if one of them is a rule line,
    else several cells to a line for pipe rows, one for cell lines; paragraphs, several blank-separated paragraphs,
    most of them one line long; lines, a single paragraph of several lines each of which can be a cell (the
    lines grammar's ``CELL_LINE``: short, no full stop, not a flattened row such as ``规章 0 0 5``).  A single
    paragraph of other lines is no table form.
    """
    return _detect(text if text.endswith("\n") else text + "\n")[0]


# What detection counts, each by one scan of the block's text rather than a loop over a list of its lines: each
# pattern matches at most once per line, as a match runs to the line's end (_SEVERAL_CELLS: to its last text).
# A line with text, from its first character on.
_TEXT_LINE: Final = re.compile(r"\S[^\n]*")
# A line with text whose first character after its spaces is a tab.
_TABBED_LINE: Final = re.compile(r"^ *\t[^\S\n]*\S", re.MULTILINE)
# A line with a tab after text (a row of tab-separated cells; in tab rows a tab only opens a line).
_TSV_LINE: Final = re.compile(r"^[^\S\n]*[^\s][^\n\t]*\t", re.MULTILINE)
# A line holding one pipe and nothing else.
_PIPE_ALONE: Final = re.compile(r"^[^\S\n]*\|[^\S\n]*$", re.MULTILINE)
# A line with a pipe, from its first pipe on.
_PIPED_LINE: Final = re.compile(r"\|[^\n]*")
# A flattened row: text, spaces, and a value (a number, with a unit or not, or a not-applicable dash) as the line's
# last word — "规章 0 0 5", "行政许可 57", "0 0 1 0 1".  Prose in a table block rarely ends so; one line in eight
# suffices, as PDF text breaks long labels and header cells over several lines.
_FLAT_ROW: Final = re.compile(r"\S[^\S\n]+(?:[-+]?[0-9][0-9.]*(?:万元|元|件)?|[/—-]+)[^\S\n]*$", re.MULTILINE)
# A line of pipe-ended cells with more than one non-empty cell: text, a pipe, and text again.
_SEVERAL_CELLS: Final = re.compile(r"[^\s|].*\|.*[^\s|]")


def _detect(text: str) -> tuple[Form | None, list[_Piece] | None]:
    """:func:`detect_form` of ``text`` ending with a line end, and the paragraphs when it had to read them (so they
    are not read twice)."""
    # Most lines with text decide.  Counting them takes a scan, counting all lines (text ends with a line end) none;
    # a form on most of all lines is on most of those with text, so they are counted only when that does not settle it.
    lines = text.count("\n")
    tsv = len(_TSV_LINE.findall(text)) if "\t" in text else 0
    if tsv and 2 * tsv >= len(_TEXT_LINE.findall(text)):
        return "tsv_rows", None
    tabbed = len(_TABBED_LINE.findall(text)) if "\t" in text else 0
    if 2 * tabbed >= lines:
        return "tab_rows", None
    piped = len(_PIPED_LINE.findall(text))
    if tabbed or 2 * piped < lines:
        lines = len(_TEXT_LINE.findall(text))
        if not lines:
            return None, None
        if 2 * tabbed >= lines:
            return "tab_rows", None
    if 2 * piped >= lines:
        # A rule line holds three dashes: most blocks have none, and the rule pattern is tried at every position.
        if "---" in text and _rule_line().search(text):
            return "markdown", None
        several = len(_SEVERAL_CELLS.findall(text))
        if several > piped - several:
            return "pipe_rows", None
        # A "|" line between most cells is a filler the extractor writes at every cell border, not a row's end.
        alone = len(_PIPE_ALONE.findall(text))
        return ("separated_cells" if alone >= 3 and 4 * alone >= piped else "cell_lines"), None
    flat = len(_FLAT_ROW.findall(text))
    if flat and (8 * flat >= len(_TEXT_LINE.findall(text)) or _cells_or_rows(text)):
        return "spaced_rows", None
    paragraphs = _paragraphs(text)
    one_line = sum("\n" not in cell for cell, _, _ in paragraphs)
    if len(paragraphs) > 1 and one_line >= len(paragraphs) / 2:
        return "paragraphs", paragraphs
    # Several paragraphs of several lines are no paragraphs form: a blank line inside one-cell-a-line text (a page
    # number the normaliser emptied, a page break) does not make its lines one cell.
    if lines > 1:
        text_lines = (line + "\n" for line in text.split("\n") if line.strip())
        if all(_cell_line().fullmatch(line) for line in text_lines):
            return "lines", None
    return None, paragraphs


def _cells_or_rows(text: str) -> bool:
    """Whether every line with text is a cell (the lines grammar's ``CELL_LINE``) or a flattened row: PDF text of a
    table whose labels stand on lines of their own and whose values follow on the next line ("规章" / "0 1 6")."""
    return all(
        _cell_line().fullmatch(line + "\n") or _FLAT_ROW.search(line) for line in text.split("\n") if line.strip()
    )


def split_cells(text: str, form: Form) -> list[_Piece]:
    """The cells of block ``text`` read with the grammar of ``form``: (text, offset in ``text``, row_start)."""
    if not text.endswith("\n"):
        text += "\n"
    if form == "tab_rows":
        return _tab_rows(text)
    if form in ("pipe_rows", "tsv_rows"):
        return _pipe_rows(text, form)
    if form == "paragraphs":
        return _paragraphs(text)
    if form in ("cell_lines", "separated_cells"):
        return _cell_lines(text, form)
    return _parsed(text, form)


def _parsed(text: str, form: Form) -> list[_Piece]:
    """:func:`split_cells` by the grammar's parse (``text`` ends with a line end)."""
    tree: Tree[Lexeme] = lalr.parse(grammars.load(GRAMMARS[form]), text)
    out: list[_Piece] = []
    row_next = form in _ROW_FORMS
    for node in tree.children:
        assert isinstance(node, Tree)
        if node.data == "row":
            for i, cell in enumerate(node.children):
                out.append(_cell(cell.children if isinstance(cell, Tree) else [cell], i == 0 and row_next))
        elif node.data == "spans":
            (token,) = node.children
            assert isinstance(token, tuple)
            _, written, start = token
            out.extend(_spans(written, start))
            row_next = True
        else:  # a cell on its own: paragraphs, cell lines
            out.append(_cell(node.children, row_next))
            row_next = False
    return out


# The readers below match a form's terminals in one pass and make each cell as its line is read, the way its grammar
# groups them: a line that continues the cell before it (rare: most cells are one line) extends the piece already
# made (:func:`_continued`).  The tokens are taken as strings (``findall``: a tuple of the terminals per token, the
# one that matched non-empty), no match object each.  Any text is a sequence of a grammar's tokens (the grammar
# reads any lines), so they tile the text and a token's offset is the length of those before it.


def _tab_rows(text: str) -> list[_Piece]:
    """What the tab rows grammar reads, without a parse: a line's first character after its spaces fixes its
    terminal (a tab: ``TAB_LINE``; a line end: ``_BLANKS``; else ``UNTABBED_LINE``), and every sequence of lines
    parses — a blank run ends a row, a tab line opens a cell, an untabbed line continues the cell before it or, at
    the start of a row, opens a stray cell; the first cell of a row begins it."""
    out: list[_Piece] = []
    start, row_next, open_cell = 0, True, False
    for tab_line, untabbed, blanks in _tokens("tab_rows", ("TAB_LINE", "UNTABBED_LINE", "_BLANKS")).findall(text):
        if tab_line:
            tab = tab_line.index("\t")
            out.append(_piece(tab_line[tab + 1 :], start + tab + 1, start + tab, row_next))
            row_next, open_cell = False, True
        elif untabbed:
            if open_cell:
                out[-1] = _continued(out[-1], untabbed, start)
            else:
                out.append(_piece(untabbed, start, start, row_next))
                row_next, open_cell = False, True
        else:
            row_next, open_cell = True, False
        start += len(tab_line or untabbed or blanks)
    return out


def _pipe_rows(text: str, form: Form) -> list[_Piece]:
    """What the pipe rows grammar reads, without a parse: at any point of a line exactly one of its terminals matches
    (a ``CELL`` if a pipe is still to come, else ``TAIL`` if text is, else the line end), and every sequence of
    lines is a sequence of rows, so the tokens alone make the cells: each line's first begins a row."""
    out: list[_Piece] = []
    start, row_next = 0, True
    for cell, tail, line_end in _tokens(form, ("CELL", "TAIL", "_NL")).findall(text):
        if cell:  # its delimiter (the pipe, or the tab) is its last character
            out.append(_piece(cell[:-1], start, start + len(cell) - 1, row_next))
            row_next = False
        elif tail:
            out.append(_piece(tail, start, start, row_next))
            row_next = False
        else:
            row_next = True
        start += len(cell or tail or line_end)
    return out


def _paragraphs(text: str) -> list[_Piece]:
    """What the paragraphs grammar reads, without a parse: a line is a ``LINE`` or part of ``_BLANKS`` by whether it
    has text, and every sequence of lines is paragraphs, so each run of text lines is a cell."""
    out: list[_Piece] = []
    start, open_cell = 0, False
    for line, blanks in _tokens("paragraphs", ("LINE", "_BLANKS")).findall(text):
        if blanks:
            open_cell = False
        elif open_cell:
            out[-1] = _continued(out[-1], line, start)
        else:
            out.append(_piece(line, start, start, False))
            open_cell = True
        start += len(line or blanks)
    return out


def _cell_lines(text: str, form: Form) -> list[_Piece]:
    """What the cell lines grammar reads, without a parse: a line's terminal is fixed by its last character (none:
    ``_BLANKS``; a pipe: ``PIPES_LINE`` if it is all pipes, else ``PIPED_LINE``; else ``UNPIPED_LINE``), and every
    sequence of lines parses — text lines are a cell with the piped line that ends them, or loose text before a
    ``|``-only line, a blank line or the end."""
    out: list[_Piece] = []
    start, row_next, open_cell = 0, True, False
    terminals = ("PIPED_LINE", "PIPES_LINE", "UNPIPED_LINE", "_BLANKS")
    separated = form == "separated_cells"
    for match in _tokens(form, ("_PIPE_ALONE", *terminals) if separated else terminals).findall(text):
        alone, piped, pipes, unpiped, blanks = match if separated else ("", *match)
        if alone:  # separated cells: a "|" line between two cells is no cell and ends no row
            open_cell = False
            start += len(alone)
            continue
        if piped or unpiped:
            # Both have text, so the cell is at its first character, never at a delimiter.
            written = _before_pipes(piped) if piped else unpiped
            if open_cell:
                out[-1] = _continued(out[-1], written, start)
            else:
                out.append(_piece(written, start, start, row_next))
                row_next = False
            open_cell = not piped  # a piped line ends its cell
        else:
            open_cell = False
            if pipes:
                out.extend(_spans(pipes, start))
                row_next = True
        start += len(piped or pipes or unpiped or blanks)
    return out


def _before_pipes(piped: str) -> str:
    """The text of a pipe-ended cell line: what stands before the pipes that end it ("现行有效件数 ||" is one cell;
    its second pipe a merged place, which the ``|``-only line after it shows again)."""
    return piped.rstrip().rstrip("|")


def _piece(written: str, offset: int, delimiter: int, row_start: bool) -> _Piece:
    """A cell of one line: ``written`` (its text without delimiters, at ``offset``) stripped, at its first character;
    if it has none, empty at its ``delimiter``."""
    text = written.strip()
    if text:
        return text, offset + len(written) - len(written.lstrip()), row_start
    return "", delimiter, row_start


def _continued(piece: _Piece, written: str, offset: int) -> _Piece:
    """``piece`` with one more line of its cell (``written`` at ``offset``): the lines with text, stripped, are
    joined by line breaks, and the cell is at the first of them."""
    text = written.strip()
    if not text:
        return piece
    before, at, row_start = piece
    if before:
        return before + "\n" + text, at, row_start
    return text, offset + len(written) - len(written.lstrip()), row_start


def _spans(written: str, start: int) -> list[_Piece]:
    """The empty cells of a ``|``-only line ``written`` at ``start``: one at each pipe."""
    return [("", start + i, False) for i, ch in enumerate(written) if ch == "|"]


def _cell(tokens: list[Lexeme] | list[Lexeme | Tree[Lexeme]], row_start: bool) -> _Piece:
    """One cell of a parse from its tokens (a line each, or a pipe row's cell), as the readers above make it."""
    first, *rest = (_content(token) for token in tokens if isinstance(token, tuple))
    piece = _piece(*first, row_start)
    for written, offset, _ in rest:
        piece = _continued(piece, written, offset)
    return piece


def _content(token: Lexeme) -> tuple[str, int, int]:
    """What ``token`` writes into its cell without delimiters, that text's offset, and the delimiter's offset."""
    terminal, value, start = token
    value = value.rstrip("\n")
    if terminal == "TAB_LINE":
        tab = value.index("\t")
        return value[tab + 1 :], start + tab + 1, start + tab
    if terminal == "PIPED_LINE":
        written = _before_pipes(value)
        return written, start, start + len(written)
    if terminal == "CELL":
        pipe = value.rindex("|")
        return value[:pipe], start, start + pipe
    return value, start, start


@grammars.derived
def _cell_line() -> re.Pattern[str]:
    """A line that can be one cell, as the lines grammar defines it."""
    return re.compile(grammars.load(GRAMMARS["lines"]).get_terminal("CELL_LINE").pattern.to_regexp())


@grammars.derived
def _rule_line() -> re.Pattern[str]:
    """The markdown rule line, as the markdown grammar defines it, at the start of a line (it ends at the line's
    end: the pattern holds no other line break)."""
    return re.compile("(?m)^" + grammars.load(GRAMMARS["markdown"]).get_terminal("_RULE").pattern.to_regexp())


@grammars.derived
def _tokens(form: Form, terminals: tuple[str, ...]) -> re.Pattern[str]:
    """Terminals of ``form``'s grammar as one pattern of named alternatives, for a form whose terminals never
    match at the same place (the shortcuts of :func:`split_cells`)."""
    grammar = grammars.load(GRAMMARS[form])
    return re.compile("|".join(f"(?P<{t}>{grammar.get_terminal(t).pattern.to_regexp()})" for t in terminals))
