"""Form detection: which serialisation a table block is written in, by what most of its lines look like.

Each count is one scan of the block's text; the line shapes that are a grammar's (a cell line, the markdown rule
line) are read from the grammar files, not written again here.
"""

from __future__ import annotations

import re
from typing import Final

from xxgk.engine import grammars
from xxgk.records import Cells
from xxgk.tables.splitting import GRAMMARS, Form, paragraphs


def detect_form(text: str) -> Form | None:
    """Which serialisation ``text`` (one block) is written in, by what most of its lines look like; None if none.

    Tab rows need lines opened by a tab; the pipe forms, lines with pipes — markdown if one of them is a rule line,
    else several cells to a line for pipe rows, one for cell lines; paragraphs, three or more blank-separated
    paragraphs, most of them one line long; lines, a single paragraph of several lines each of which can be a cell
    (the lines grammar's ``CELL_LINE``: short, no full stop, not a flattened row such as ``规章 0 0 5``).  A single
    paragraph of other lines is no table form.
    """
    return detect(text if text.endswith("\n") else text + "\n")[0]


# What detection counts, each by one scan of the block's text rather than a loop over a list of its lines: each
# pattern matches at most once per line, as a match runs to the line's end or begins with the line end before it.
# The patterns of a line's start begin so, scanned in the text with a line end put before it: the regex engine finds
# a literal first character by a fast search, where "^" is tried at every position.
# A quantifier is possessive (*+, ++) where what follows it cannot match what it gave back, so that a line without
# the shape is given up at once rather than retried from each of its characters.
# The line end before a line without text (the lines with text are the others): most of a block's lines have text,
# and a match is found without a string made for each of them.
_BLANK_LINE: Final = re.compile(r"\n[^\S\n]*+(?=\n)")
# A line with text whose first character after its spaces is a tab.
_TABBED_LINE: Final = re.compile(r"\n *\t[^\S\n]*\S")
# A line with a tab after text (a row of tab-separated cells; in tab rows a tab only opens a line): to its last tab,
# as the engine runs ".*" to the line's end and back to a tab in tight loops, where it tests a class per character.
_TSV_LINE: Final = re.compile(r"\n[^\S\n]*+\S.*\t")
# A line with a pipe, from its first pipe on.
_PIPED_LINE: Final = re.compile(r"\|[^\n]*")
# A flattened row: text, spaces, and a value (a number, with a unit or not, or a not-applicable dash) as the line's
# last word — "规章 0 0 5", "行政许可 57", "0 0 1 0 1".  Prose in a table block rarely ends so; one line in eight
# suffices, as PDF text breaks long labels and header cells over several lines.  Matched from the first space after
# the text: the regex engine skips to a space by its first character's class, where a match tried at each character of
# text (most of a Chinese line, which has few spaces) costs a call.
_FLAT_ROW: Final = re.compile(
    r"[^\S\n](?<=\S[^\S\n])[^\S\n]*+(?:[-+]?[0-9][0-9.]*+(?:万元|元|件)?|[/—-]++)[^\S\n]*+$", re.MULTILINE
)
# A line of pipe-ended cells with more than one non-empty cell: text, a pipe, and text again — from the line's start,
# over the spaces and pipes before its first text and the text before its first pipe, so that a line without a
# second cell is given up at once rather than tried again from each of its characters; to the first text after the
# pipe, not the line's last.
_SEVERAL_CELLS: Final = re.compile(r"\n(?:[^\S\n]|\|)*+[^\s|][^\n|]*+\|[^\n]*?[^\s|]")


def detect(text: str, line: int = 1) -> tuple[Form | None, Cells | None]:
    """:func:`detect_form` of ``text`` ending with a line end, and the paragraphs when it had to read them (so they
    are not read twice; their lines numbered from ``line``, as :mod:`~xxgk.tables.splitting`'s readers do)."""
    # Most lines with text decide.  Counting them takes a scan, counting all lines (text ends with a line end) none;
    # a form on most of all lines is on most of those with text, so they are counted only when that does not settle it
    # — and a block of neither tabs nor pipes (paragraphs, lines, spaced rows) counts them only for a decision that
    # needs the number, not whether there is a blank line.
    lines = text.count("\n")
    lined = "\n" + text  # for the patterns of a line's start
    # A tsv line's tab stands after a character of its line: where every tab opens its line (tab rows), none does.
    tsv = len(_TSV_LINE.findall(lined)) if text.count("\t") > lined.count("\n\t") else 0
    if tsv and 2 * tsv >= lines - len(_BLANK_LINE.findall(lined)):
        return "tsv_rows", None
    tabbed = len(_TABBED_LINE.findall(lined)) if "\t" in text else 0
    if 2 * tabbed >= lines:
        return "tab_rows", None
    piped = len(_PIPED_LINE.findall(text))
    with_text: int | None = None  # the lines with text, once counted
    if tabbed or (piped and 2 * piped < lines):
        with_text = lines - len(_BLANK_LINE.findall(lined))
        if not with_text:
            return None, None
        if 2 * tabbed >= with_text:
            return "tab_rows", None
    elif not piped and text.isspace():
        return None, None
    if piped and 2 * piped >= (lines if with_text is None else with_text):
        # A rule line holds three dashes: most blocks have none, and the rule pattern is tried at every position.
        if "---" in text and rule_line().search(text):
            return "markdown", None
        several = len(_SEVERAL_CELLS.findall(lined))
        if several > piped - several:
            return "pipe_rows", None
        # A "|" line between most cells is a filler the extractor writes at every cell border, not a row's end.
        alone = len(_pipe_alone().findall(lined))
        return ("separated_cells" if alone >= 3 and 4 * alone >= piped else "cell_lines"), None
    flat = len(_FLAT_ROW.findall(text))
    if flat:
        if with_text is None:
            with_text = lines - len(_BLANK_LINE.findall(lined))
        if 8 * flat >= with_text or _cells_or_rows(text):
            return "spaced_rows", None
    # A block without a blank line is one paragraph, no paragraphs form; nor is one with a single blank line (two
    # paragraphs: a page number the normaliser emptied inside lines).
    if with_text is None and _BLANK_LINE.search(lined) is None:
        with_text = lines
    if with_text is None or with_text < lines:
        cells = paragraphs(text, line)
        # Most paragraphs are one line: those of several are counted.
        several_lines = sum(1 for cell in cells.texts if "\n" in cell)
        if len(cells) > 2 and 2 * several_lines <= len(cells):
            return "paragraphs", cells
        if with_text is None:
            with_text = lines - len(_BLANK_LINE.findall(lined))
    # Several paragraphs of several lines are no paragraphs form: a blank line inside one-cell-a-line text (a page
    # number the normaliser emptied, a page break) does not make its lines one cell.
    if with_text > 1 and cell_lines().fullmatch(text):
        return "lines", None
    return None, paragraphs(text, line)


def _cells_or_rows(text: str) -> bool:
    """Whether every line with text is a cell (the lines grammar's ``CELL_LINE``) or a flattened row: PDF text of a
    table whose labels stand on lines of their own and whose values follow on the next line ("规章" / "0 1 6")."""
    return all(
        cell_line().fullmatch(line + "\n") or _FLAT_ROW.search(line) for line in text.split("\n") if line.strip()
    )


@grammars.derived
def cell_line() -> re.Pattern[str]:
    """A line that can be one cell, as the lines grammar defines it."""
    return re.compile(grammars.load(GRAMMARS["lines"]).get_terminal("CELL_LINE").pattern.to_regexp())


@grammars.derived
def cell_lines() -> re.Pattern[str]:
    """Lines each of which is blank or can be one cell, as the lines grammar defines them: one match, rather than a
    match a line.  Possessive: a run of blank lines is one _BLANKS or several, and a failed match must not try them
    all (each line is one or the other, so there is nothing else to try)."""
    grammar = grammars.load(GRAMMARS["lines"])
    blanks, cell = (grammar.get_terminal(t).pattern.to_regexp() for t in ("_BLANKS", "CELL_LINE"))
    return re.compile(f"(?:{blanks}|{cell})*+")


@grammars.derived
def rule_line() -> re.Pattern[str]:
    """The markdown rule line, as the markdown grammar defines it, at the start of a line (it ends at the line's
    end: the pattern holds no other line break)."""
    return re.compile("(?m)^" + grammars.load(GRAMMARS["markdown"]).get_terminal("_RULE").pattern.to_regexp())


@grammars.derived
def _pipe_alone() -> re.Pattern[str]:
    """The line end before a line holding one pipe and nothing else, as the separated cells grammar defines it (the
    line ahead, so that the next line's line end is left to it)."""
    terminal = grammars.load(GRAMMARS["separated_cells"]).get_terminal("_PIPE_ALONE")
    return re.compile(f"\\n(?={terminal.pattern.to_regexp()})")
