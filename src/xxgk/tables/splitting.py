"""Cell splitting per serialisation form: the grammars of the forms (``grammars/serial_*.lark``), the one-pass
readers that match each grammar's terminals and group them as its rules do (:data:`SHORTCUTS`: a block's cells with
their lines and columns), and the pieces (text, offset in the block) that Lark's own parse is compared in.

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
from xxgk.normalise.offsets import line_offsets
from xxgk.records import Cells

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
# Forms that show where every row ends (cell lines show only the ends of rows with merged places): Cells.shown.
EVERY_ROW_SHOWN: Final = frozenset({"pipe_rows", "markdown", "tab_rows", "tsv_rows"})

# A piece of the stream before positions are mapped: text, its offset in the block, row_start.
Piece = tuple[str, int, bool]


# The readers below read a block line by line, as its grammar's terminals are lines or cells of a line whose kind
# the line's own text fixes (its first or last character after spaces, its pipes), and make each cell as its line is
# read, the way the grammar groups them: a line that continues the cell before it (rare: most cells are one line)
# extends the cell already made (:func:`_extend`).  A cell's text is its written text stripped, at its first
# character, written out in the loops: a call per cell costs more than the cell's own work.  Each line of ``text``
# (which ends with a line end) is an item of ``text.split("\n")`` but the last, which is empty.
#
# A reader gives its cells as the columns of a Cells stream, positioned in ``text`` as lines and columns: the line of
# ``text``'s first line is numbered ``line``, and a column counts from 1 — as the original input has them when the
# normaliser changed no length on their lines (NormText.locate_lines), so that most blocks need no locating at all.


def tab_rows(text: str, line: int) -> Cells:
    """What the tab rows grammar reads, without a parse: a line's first character after its spaces fixes its
    terminal (a tab: ``TAB_LINE``; a line end: ``_BLANKS``; else ``UNTABBED_LINE``), and every sequence of lines
    parses — a blank run ends a row, a tab line opens a cell, an untabbed line continues the cell before it or, at
    the start of a row, opens a stray cell; the first cell of a row begins it."""
    cells = Cells([], [], [], [])
    texts, lines, columns, row_starts = cells.texts, cells.lines, cells.columns, cells.row_starts
    row_next, open_cell = True, False
    for written in text.split("\n")[:-1]:
        body = written.lstrip()
        if body:
            # A tab among the spaces before the text opens a cell (they are all white space, so the cell's text is
            # the line's); no tab there: the line continues the open cell, or opens a stray one.  Most lines open with
            # the tab, which their first character settles.
            if open_cell and written[0] != "\t" and written.find("\t", 0, len(written) - len(body)) < 0:
                _extend(cells, written, line)
            else:
                texts.append(body.rstrip())
                lines.append(line)
                columns.append(len(written) - len(body) + 1)
                row_starts.append(row_next)
                row_next, open_cell = False, True
        elif "\t" in written:  # a tab and nothing after it: an empty cell, at the tab
            texts.append("")
            lines.append(line)
            columns.append(written.index("\t") + 1)
            row_starts.append(row_next)
            row_next, open_cell = False, True
        else:
            row_next, open_cell = True, False
        line += 1
    return cells


def pipe_rows(text: str, form: Form, line: int) -> Cells:
    """What the pipe rows grammar reads, without a parse: at any point of a line exactly one of its terminals matches
    (a ``CELL`` if a pipe is still to come, else ``TAIL`` if text is, else the line end), and every sequence of
    lines is a sequence of rows: each line is a row, its text split at each pipe (tabs in tab-separated rows), the
    last part a cell only if it has text (a ``TAIL``; else the line end's spaces); the first cell begins a row.

    Markdown is read so too: at a line's start a rule line (``_RULE``) is taken whole and the pipe that opens a row
    (``_OPEN``) before a cell — both outrank the cell terminals there, as in the grammar — and then the line is a
    pipe row after its opening pipe."""
    delimiter = "\t" if form == "tsv_rows" else "|"
    rule = _tokens("markdown", ("_RULE",)) if form == "markdown" else None
    cells = Cells([], [], [], [])
    texts, lines, columns, row_starts = cells.texts, cells.lines, cells.columns, cells.row_starts
    for written in text.split("\n")[:-1]:
        column = 1  # of the row's first cell
        if rule is not None:
            # A rule line holds three dashes: the rule pattern (which ends at the line's end) is tried on those.
            if "---" in written and rule.match(written + "\n") is not None:
                line += 1
                continue
            body = written.lstrip()
            if body.startswith("|"):
                column += len(written) - len(body) + 1
                written = body[1:]
        parts = written.split(delimiter)
        tail = parts.pop()  # popped, not unpacked: no copy of the row's parts
        row_start = True
        for part in parts:
            # At its first character, or, empty, at its delimiter: len(part) - len(body) is either.
            body = part.lstrip()
            texts.append(body.rstrip())
            lines.append(line)
            columns.append(column + len(part) - len(body))
            row_starts.append(row_start)
            row_start = False
            column += len(part) + 1
        body = tail.lstrip()
        if body:
            texts.append(body.rstrip())
            lines.append(line)
            columns.append(column + len(tail) - len(body))
            row_starts.append(row_start)
        line += 1
    return cells


def lines(text: str, line: int) -> Cells:
    """What the lines grammar reads, without a parse: a line is a ``CELL_LINE`` (it outranks ``LINE``), a ``LINE``
    or part of ``_BLANKS`` whatever came before, and every sequence of lines parses: each text line is a cell."""
    cells = Cells([], [], [], [])
    texts, lines, columns = cells.texts, cells.lines, cells.columns
    for written in text.split("\n")[:-1]:
        body = written.lstrip()
        if body:
            texts.append(body.rstrip())
            lines.append(line)
            columns.append(len(written) - len(body) + 1)
        line += 1
    cells.row_starts.extend([False] * len(texts))
    return cells


def paragraphs(text: str, line: int) -> Cells:
    """What the paragraphs grammar reads, without a parse: a line is a ``LINE`` or part of ``_BLANKS`` by whether it
    has text, and every sequence of lines is paragraphs, so each run of text lines is a cell."""
    cells = Cells([], [], [], [])
    texts, lines, columns = cells.texts, cells.lines, cells.columns
    open_cell = False
    for written in text.split("\n")[:-1]:
        body = written.lstrip()
        if not body:
            open_cell = False
        elif open_cell:
            _extend(cells, written, line)
        else:
            texts.append(body.rstrip())
            lines.append(line)
            columns.append(len(written) - len(body) + 1)
            open_cell = True
        line += 1
    cells.row_starts.extend([False] * len(texts))
    return cells


def cell_lines(text: str, form: Form, line: int) -> Cells:
    """What the cell lines grammar reads, without a parse: a line's terminal is fixed by its last character (none:
    ``_BLANKS``; a pipe: ``PIPES_LINE`` if it is all pipes, else ``PIPED_LINE``; else ``UNPIPED_LINE``), and every
    sequence of lines parses — text lines are a cell with the piped line that ends them, or loose text before a
    ``|``-only line, a blank line or the end.  In separated cells a line of one pipe (``_PIPE_ALONE``, which outranks
    ``PIPES_LINE``) is no cell and ends no row."""
    cells = Cells([], [], [], [])
    texts, lines, columns, row_starts = cells.texts, cells.lines, cells.columns, cells.row_starts
    row_next, open_cell = True, False
    separated = form == "separated_cells"
    for whole in text.split("\n")[:-1]:
        # The line stripped once: its last character fixes its terminal, and most lines are a cell's one line, whose
        # text it is (a piped line's once its pipes are cut).
        body = whole.strip()
        if not body:
            open_cell = False
        elif body[-1] == "|":
            written = body.rstrip("|")  # before_pipes of the stripped line
            # Text and a pipe (a cell's last line), unless what is left is pipes and spaces; a pipe before the text
            # is rare, and only then are the pipes taken out to look.
            if written and ("|" not in written or written.replace("|", "").strip()):
                if open_cell:
                    _extend(cells, whole.rstrip().rstrip("|"), line)
                else:
                    texts.append(written.rstrip())
                    lines.append(line)
                    columns.append(len(whole) - len(whole.lstrip()) + 1)
                    row_starts.append(row_next)
                    row_next = False
                open_cell = False  # a piped line ends its cell
            else:  # pipes only: an empty cell at each pipe
                open_cell = False
                if not separated or body != "|":
                    # Most such lines are pipes alone, a pipe at each column; others are looked at a character each.
                    count = whole.count("|")
                    if count == len(whole):
                        columns.extend(range(1, count + 1))
                    else:
                        columns.extend([i for i, ch in enumerate(whole, 1) if ch == "|"])
                    texts.extend([""] * count)
                    lines.extend([line] * count)
                    row_starts.extend([False] * count)
                    row_next = True
        elif open_cell:
            _extend(cells, whole, line)
        else:
            texts.append(body)
            lines.append(line)
            columns.append(len(whole) - len(whole.lstrip()) + 1)
            row_starts.append(row_next)
            row_next, open_cell = False, True
        line += 1
    return cells


def spaced_rows(text: str, line: int) -> Cells:
    """What the spaced rows grammar reads, without a parse: at a line's start a header cell written vertically
    (``VERTICAL``, which outranks the cell terminals there, as in the grammar) is taken whole; else the line is blank
    or a row, whose cells stand after its spaces (``_SPACE``, which is followed by text) — a ``SPACED_OUT`` or a
    ``WORD``, which ends at a space — and then its end, so one scan of the block finds them all (:func:`_spaced`).
    The form shows no rows."""
    cells = Cells([], [], [], [])
    texts, lines, columns = cells.texts, cells.lines, cells.columns
    column = 1
    for vertical, space, cell in _spaced().findall(text):
        if cell:
            column += len(space)
            texts.append(cell)
            lines.append(line)
            columns.append(column)
            column += len(cell)
        elif vertical:  # whole lines: the cell is on the first, after its spaces
            body = vertical.lstrip()
            texts.append(body.rstrip())
            lines.append(line)
            columns.append(len(vertical) - len(body) + 1)
            line += vertical.count("\n")
        else:  # a line's end
            line += 1
            column = 1
    cells.row_starts.extend([False] * len(texts))
    return cells


def _extend(cells: Cells, written: str, line: int) -> None:
    """The last of ``cells`` with one more line of its cell (``written`` on ``line``): the lines with text,
    stripped, are joined by line breaks, and the cell is at the first of them (:func:`continued` for a piece)."""
    text = written.strip()
    if not text:
        return
    if cells.texts[-1]:
        cells.texts[-1] += "\n" + text
    else:
        cells.texts[-1] = text
        cells.lines[-1] = line
        cells.columns[-1] = len(written) - len(written.lstrip()) + 1


def as_pieces(cells: Cells, text: str) -> list[Piece]:
    """A reader's ``cells`` of ``text`` (its first line numbered 1) as pieces, at their offsets in ``text``."""
    starts = line_offsets(text.split("\n"))
    return [
        (cell, starts[line - 1] + column - 1, row_start)
        for cell, line, column, row_start in zip(cells.texts, cells.lines, cells.columns, cells.row_starts, strict=True)
    ]


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
def _spaced() -> re.Pattern[str]:
    """What a scan of a spaced rows block meets, as three groups: a ``VERTICAL`` cell at a line's start; or a cell
    and the spaces before it (``_SPACE``, none at a line's start; the cell terminals in the order the grammar's
    lexer tries them); or none, at a line's end (with the spaces before it, which no cell follows)."""
    grammar = grammars.load(GRAMMARS["spaced_rows"])
    vertical, space, *cells = (
        grammar.get_terminal(t).pattern.to_regexp() for t in ("VERTICAL", "_SPACE", "SPACED_OUT", "WORD")
    )
    return re.compile(f"(?m)^({vertical})|((?:{space})?)({'|'.join(f'(?:{cell})' for cell in cells)})|[^\\S\\n]*\\n")


# The forms read by :func:`xxgk.tables.serial.split_cells` without a parse, and their readers: the text of a block
# and the number of its first line to its cells.
SHORTCUTS: Final[dict[Form, Callable[[str, Form, int], Cells]]] = {
    "tab_rows": lambda text, _, line: tab_rows(text, line),
    "pipe_rows": pipe_rows,
    "tsv_rows": pipe_rows,
    "markdown": pipe_rows,
    "paragraphs": lambda text, _, line: paragraphs(text, line),
    "lines": lambda text, _, line: lines(text, line),
    "cell_lines": cell_lines,
    "separated_cells": cell_lines,
    "spaced_rows": lambda text, _, line: spaced_rows(text, line),
}
