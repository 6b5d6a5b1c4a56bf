"""Cell splitting per serialisation form: the grammars of the forms (``grammars/serial_*.lark``), the pieces a
block's text is cut into, and the one-pass readers that match each grammar's terminals and group them as its rules
do (:data:`SHORTCUTS`).

No grammar has anything to choose that the line being read does not settle — one terminal fits at any point of a
line (markdown and spaced rows: once the line's start is read) and any sequence of lines parses — so a parse per
token adds nothing: a block is read in one pass, line by line.  ``tests/tables/test_differential.py`` checks every
reader against Lark's own parse of the grammar (``serial.split_cells(…, reference=True)``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Final, Literal

from xxgk.engine import grammars

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
ROW_FORMS: Final = frozenset({"pipe_rows", "markdown", "cell_lines", "separated_cells", "tab_rows", "tsv_rows"})

# A piece of the stream before positions are mapped: text, its offset in the block, row_start.
Piece = tuple[str, int, bool]


# The readers below read a block line by line, as its grammar's terminals are lines or cells of a line whose kind
# the line's own text fixes (its first or last character after spaces, its pipes), and make each cell as its line is
# read, the way the grammar groups them: a line that continues the cell before it (rare: most cells are one line)
# extends the piece already made (:func:`continued`).  A cell's text is its written text stripped, at its first
# character (:func:`piece`), written out in the loops: a call per cell costs more than the cell's own work.  Each
# line of ``text`` (which ends with a line end) is an item of ``text.split("\n")`` but the last, which is empty.


def tab_rows(text: str) -> list[Piece]:
    """What the tab rows grammar reads, without a parse: a line's first character after its spaces fixes its
    terminal (a tab: ``TAB_LINE``; a line end: ``_BLANKS``; else ``UNTABBED_LINE``), and every sequence of lines
    parses — a blank run ends a row, a tab line opens a cell, an untabbed line continues the cell before it or, at
    the start of a row, opens a stray cell; the first cell of a row begins it."""
    out: list[Piece] = []
    start, row_next, open_cell = 0, True, False
    for line in text.split("\n")[:-1]:
        body = line.lstrip()
        if body:
            # A tab among the spaces before the text opens a cell (they are all white space, so the cell's text is
            # the line's); no tab there: the line continues the open cell, or opens a stray one.
            if open_cell and line.find("\t", 0, len(line) - len(body)) < 0:
                out[-1] = continued(out[-1], line, start)
            else:
                out.append((body.rstrip(), start + len(line) - len(body), row_next))
                row_next, open_cell = False, True
        elif "\t" in line:  # a tab and nothing after it: an empty cell, at the tab
            out.append(("", start + line.index("\t"), row_next))
            row_next, open_cell = False, True
        else:
            row_next, open_cell = True, False
        start += len(line) + 1
    return out


def pipe_rows(text: str, form: Form) -> list[Piece]:
    """What the pipe rows grammar reads, without a parse: at any point of a line exactly one of its terminals matches
    (a ``CELL`` if a pipe is still to come, else ``TAIL`` if text is, else the line end), and every sequence of
    lines is a sequence of rows: each line is a row (:func:`_row`; tabs for pipes in tab-separated rows)."""
    delimiter = "\t" if form == "tsv_rows" else "|"
    out: list[Piece] = []
    start = 0
    for line in text.split("\n")[:-1]:
        _row(out, line, start, delimiter)
        start += len(line) + 1
    return out


def markdown(text: str) -> list[Piece]:
    """What the markdown grammar reads, without a parse: at a line's start a rule line (``_RULE``) is taken whole
    and the pipe that opens a row (``_OPEN``) before a cell — both outrank the cell terminals there, as in the
    grammar — and then exactly one terminal matches at any point of the line (a ``CELL`` if a pipe is still to
    come, else ``TAIL`` if text is, else the line end).  Every line is a row, a rule or blank: a line's cells are a
    pipe row's (:func:`_row`) after its opening pipe."""
    rule = _tokens("markdown", ("_RULE",))
    out: list[Piece] = []
    start = 0
    for line in text.split("\n")[:-1]:
        # A rule line holds three dashes: the rule pattern is tried on the lines that do.
        if "---" not in line or rule.match(text, start) is None:
            body = line.lstrip()
            if body.startswith("|"):
                _row(out, body[1:], start + len(line) - len(body) + 1, "|")
            else:
                _row(out, line, start, "|")
        start += len(line) + 1
    return out


def _row(out: list[Piece], written: str, start: int, delimiter: str) -> None:
    """The cells of a row's text ``written`` (at ``start``) put on ``out``: its text split at each ``delimiter``,
    the last part only if it has text (a ``TAIL``; else the line end's spaces); the first cell begins a row."""
    *cells, tail = written.split(delimiter)
    row_start = True
    for cell in cells:
        body = cell.lstrip()
        if body:
            out.append((body.rstrip(), start + len(cell) - len(body), row_start))
        else:  # empty: at its delimiter
            out.append(("", start + len(cell), row_start))
        row_start = False
        start += len(cell) + 1
    body = tail.lstrip()
    if body:
        out.append((body.rstrip(), start + len(tail) - len(body), row_start))


def lines(text: str) -> list[Piece]:
    """What the lines grammar reads, without a parse: a line is a ``CELL_LINE`` (it outranks ``LINE``), a ``LINE``
    or part of ``_BLANKS`` whatever came before, and every sequence of lines parses: each text line is a cell."""
    out: list[Piece] = []
    start = 0
    for line in text.split("\n")[:-1]:
        body = line.lstrip()
        if body:
            out.append((body.rstrip(), start + len(line) - len(body), False))
        start += len(line) + 1
    return out


def paragraphs(text: str) -> list[Piece]:
    """What the paragraphs grammar reads, without a parse: a line is a ``LINE`` or part of ``_BLANKS`` by whether it
    has text, and every sequence of lines is paragraphs, so each run of text lines is a cell."""
    out: list[Piece] = []
    start, open_cell = 0, False
    for line in text.split("\n")[:-1]:
        body = line.lstrip()
        if not body:
            open_cell = False
        elif open_cell:
            out[-1] = continued(out[-1], line, start)
        else:
            out.append((body.rstrip(), start + len(line) - len(body), False))
            open_cell = True
        start += len(line) + 1
    return out


def cell_lines(text: str, form: Form) -> list[Piece]:
    """What the cell lines grammar reads, without a parse: a line's terminal is fixed by its last character (none:
    ``_BLANKS``; a pipe: ``PIPES_LINE`` if it is all pipes, else ``PIPED_LINE``; else ``UNPIPED_LINE``), and every
    sequence of lines parses — text lines are a cell with the piped line that ends them, or loose text before a
    ``|``-only line, a blank line or the end.  In separated cells a line of one pipe (``_PIPE_ALONE``, which outranks
    ``PIPES_LINE``) is no cell and ends no row."""
    out: list[Piece] = []
    start, row_next, open_cell = 0, True, False
    separated = form == "separated_cells"
    for line in text.split("\n")[:-1]:
        written = line.rstrip()
        if written.endswith("|"):
            if written.replace("|", "").strip():  # text and a pipe: a cell's last line
                written = written.rstrip("|")  # what stands before its pipes (before_pipes, written out)
                piped = True
            else:  # pipes only
                open_cell = False
                if not separated or written.lstrip() != "|":
                    out.extend(spans(line, start))
                    row_next = True
                start += len(line) + 1
                continue
        elif written:
            piped = False
        else:
            open_cell = False
            start += len(line) + 1
            continue
        # Text, so the cell is at its first character, never at a delimiter.
        if open_cell:
            out[-1] = continued(out[-1], written, start)
        else:
            body = written.lstrip()
            out.append((body.rstrip(), start + len(written) - len(body), row_next))
            row_next = False
        open_cell = not piped  # a piped line ends its cell
        start += len(line) + 1
    return out


def spaced_rows(text: str) -> list[Piece]:
    """What the spaced rows grammar reads, without a parse: at a line's start a header cell written vertically
    (``VERTICAL``, which outranks the cell terminals there, as in the grammar) is taken whole; else the line is blank
    or a row, whose cells stand after its spaces (``_SPACE``, which is followed by text) — a ``SPACED_OUT`` or a
    ``WORD``, which ends at a space — so one scan of the line finds them.  The form shows no rows."""
    vertical = _tokens("spaced_rows", ("VERTICAL",))
    cells = _spaced_cells()
    out: list[Piece] = []
    start = 0
    while start < len(text):
        match = vertical.match(text, start)
        if match is not None:
            written = match[0].rstrip("\n")
            body = written.lstrip()
            out.append((body.rstrip(), start + len(written) - len(body), False))
            start = match.end()
            continue
        end = text.index("\n", start) + 1  # the text ends with a line end
        for space, cell in cells.findall(text, start, end):
            start += len(space)
            out.append((cell, start, False))
            start += len(cell)
        start = end
    return out


def before_pipes(piped: str) -> str:
    """The text of a pipe-ended cell line: what stands before the pipes that end it ("现行有效件数 ||" is one cell;
    its second pipe a merged place, which the ``|``-only line after it shows again)."""
    return piped.rstrip().rstrip("|")


def piece(written: str, offset: int, delimiter: int, row_start: bool) -> Piece:
    """A cell of one line: ``written`` (its text without delimiters, at ``offset``) stripped, at its first character;
    if it has none, empty at its ``delimiter``."""
    text = written.strip()
    if text:
        return text, offset + len(written) - len(written.lstrip()), row_start
    return "", delimiter, row_start


def continued(piece: Piece, written: str, offset: int) -> Piece:
    """``piece`` with one more line of its cell (``written`` at ``offset``): the lines with text, stripped, are
    joined by line breaks, and the cell is at the first of them."""
    text = written.strip()
    if not text:
        return piece
    before, at, row_start = piece
    if before:
        return before + "\n" + text, at, row_start
    return text, offset + len(written) - len(written.lstrip()), row_start


def spans(written: str, start: int) -> list[Piece]:
    """The empty cells of a ``|``-only line ``written`` at ``start``: one at each pipe."""
    return [("", start + i, False) for i, ch in enumerate(written) if ch == "|"]


@grammars.derived
def _tokens(form: Form, terminals: tuple[str, ...]) -> re.Pattern[str]:
    """Terminals of ``form``'s grammar as one pattern of named alternatives, for a form whose terminals never
    match at the same place (the shortcuts of :func:`xxgk.tables.serial.split_cells`)."""
    grammar = grammars.load(GRAMMARS[form])
    return re.compile("|".join(f"(?P<{t}>{grammar.get_terminal(t).pattern.to_regexp()})" for t in terminals))


@grammars.derived
def _spaced_cells() -> re.Pattern[str]:
    """A cell of a spaced row and the spaces before it, as two groups: ``_SPACE`` (none at a line's start) and the
    cell terminals of the spaced rows grammar, in the order its lexer tries them."""
    grammar = grammars.load(GRAMMARS["spaced_rows"])
    space, *cells = (grammar.get_terminal(t).pattern.to_regexp() for t in ("_SPACE", "SPACED_OUT", "WORD"))
    return re.compile(f"((?:{space})?)({'|'.join(f'(?:{cell})' for cell in cells)})")


# The forms read by :func:`xxgk.tables.serial.split_cells` without a parse, and their readers.
SHORTCUTS: Final[dict[Form, Callable[[str, Form], list[Piece]]]] = {
    "tab_rows": lambda text, _: tab_rows(text),
    "pipe_rows": pipe_rows,
    "tsv_rows": pipe_rows,
    "paragraphs": lambda text, _: paragraphs(text),
    "markdown": lambda text, _: markdown(text),
    "lines": lambda text, _: lines(text),
    "cell_lines": cell_lines,
    "separated_cells": cell_lines,
    "spaced_rows": lambda text, _: spaced_rows(text),
}
