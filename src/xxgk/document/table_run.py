"""A table's run of lines: after a table's first line, the lines that continue it, read as ONE token (TABLE_LINES)
by a regex that takes every line the lexer would read as a table line, and the blank lines between them, in one
match — a report's tables are most of its lines, and a token per line costs the parser a step per line."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from typing import Any, NamedTuple, Protocol

from lark import Token

from xxgk.document.lines import TABLE_LINES, Choice, Lexicon, Lines, Reading
from xxgk.engine import grammars, lalr


class Inside(NamedTuple):
    """What a table's lines are read with, for one parser state before its first line (:meth:`Chooser.inside`):
    the parser's ``stack`` once the table's lines are shifted as TABLE_LINES, the terminals an ordinary line
    inside the table may be (``lexicon``, as the lexer's ``lexicon`` gives them), and the ``run`` that takes the
    lines they make table lines (:func:`run_pattern` of its names)."""

    stack: tuple[Any, ...]
    lexicon: Lexicon
    run: re.Pattern[str]


class Chooser(Protocol):
    """What the table run asks the line lexer (:class:`~xxgk.document.lexer.LineLexer`)."""

    def inside(self, conf: Any, stack: tuple[Any, ...], ranks: tuple[int, ...]) -> Inside | None:
        """How a table's lines are read after its first line, the parser having state ``stack`` under the open
        heading ``ranks``; None when the parser takes no TABLE_LINES there (see the lexer)."""

    def choose(self, src: Lines, start: int, text: str, conf: Any, stack: tuple[Any, ...], table: bool) -> Choice:
        """The lexer's reading of the line at ``start`` (see the lexer)."""


def table_lines(lexer: Chooser, src: Lines, position: lalr.Position) -> Iterator[Token]:
    """After a table's first line: the lines that continue the table, as ONE token (TABLE_LINES).

    Each line is decided as if the parser had taken the lines before it one by one: inside a table the parser
    accepts any table line terminal, and any other terminal exactly when it may follow the table — which is
    what the parser accepts after TABLE_LINES.  The run ends before the first line whose first fitting terminal
    is not a table line; that line (and the ignored lines before it) are lexed as usual."""
    conf, now = position()
    inside = lexer.inside(conf, now, src.ranks)
    if inside is None:
        return
    stack, lexicon, run = inside
    # The scan: the terminals an ordinary line inside this table may be, in priority order, as one regex whose
    # match names the lexer's choice; and the run, which takes the lines that choice makes table lines, and the
    # blank lines between them, in one match.  The lines it stops at are looked at one by one: a line that ends
    # the table, a blank last line, and the lines where the run is cut (src.stops), which go through choose — a
    # skeleton heading, page furniture (dropped), and the last two content lines (the signature's and the date's).
    scan = lexicon.scan
    text, stops, size = src.text, src.stops, len(src.text)
    last = None  # the end of the last line taken
    debris: list[int] = []
    chosen: tuple[int, Reading | None] = (-1, None)
    start = src.cursor
    stop = cut = -1
    while start <= size:
        if start > stop:  # the next stop, and the cut before it: once a stop, not once a look at its lines
            at = bisect_left(stops, start)
            stop = stops[at]
            # The text cut before the blank lines before the stop gives each line the same match (see run_pattern).
            cut = content_end(text, stop, max(stops[at - 1] - 1, 0) if at else 0)
        taken = run.match(text, start - 1, cut) if start <= cut else None
        if taken and taken.end() >= start:
            last = taken.end()
            start = last + 1
            continue
        end = src.end(start)
        choice: Choice
        if start == stop:
            choice = lexer.choose(src, start, text[start:end], conf, stack, True)
        elif match := scan.match(text, start):
            choice = lexicon.readings[match.lastgroup]
        else:
            choice = ""  # nothing fits: the lexer will say what it is
        if choice is None:
            if text[start:end].strip():
                debris.append(start)
            start = end + 1
            continue
        if isinstance(choice, str) or choice[0] not in TABLE_LINES:
            # The line after the table: what fits it inside the table fits it after TABLE_LINES (a table line,
            # which alone fits only inside, would not have ended the table), so the lexer takes this choice.
            chosen = (start, choice if isinstance(choice, tuple) else None)
            break
        last, start = end, end + 1
    if last is None:
        return
    src.chosen = chosen
    for start in debris:
        if start < last:
            src.diagnose("document.debris", "page furniture ignored", start, src.line(start).strip())
    first, number = src.cursor, src.number
    breaks = text.count("\n", first, last)
    column = last - src.line_of(last) + 1
    src.cursor, src.number = last + 1, number + breaks + 1
    yield lalr.new_token("TABLE_LINES", text[first:last], first, number, 1, number + breaks, column, last)


def run_pattern(patterns: dict[str, str], ignored: str, names: tuple[str, ...]) -> re.Pattern[str]:
    """Matched at the newline before a line: the lines whose first match among ``names`` (in this order; their
    whole-line ``patterns`` by name) is a table line, and the blank lines between them, up to the last such line.

    An ignored line (``ignored``: the pattern of the %ignore'd terminals) is never one, and the run does not look:
    it is matched against a text cut at the end of a line that is not blank (content_end), before the next page
    furniture (a stop, see the lexer's ``furniture``), and the blank lines before that are taken between lines.
    Such a cut gives each line the same match, for no terminal that fits after a table looks past its own line:
    SIGNATURE is taken on one line only, which is a stop, and TITLE_HEAD cannot follow a table (tested)."""
    # Built from the last name up: a table line is one more alternative, any other terminal a (?!...) in front
    # of the alternatives after it (so a line it matches is not a table line).  Each alternative matches the whole
    # line or nothing, so their order does not change what the run takes: the later, more general ones (CELL) come
    # first, for they take most lines at the first try.
    line = ""
    for name in reversed(names):
        if name in TABLE_LINES:
            line = f"{line}|{patterns[name]}" if line else patterns[name]
        elif line:
            line = f"(?!{patterns[name]})(?:{line})"
    # The line break and the blank lines after it, as one run of spaces, tabs and line breaks given back to its last
    # line break: a repetition of single characters, which the regex engine walks in a tight loop, where a
    # repetition of lines costs it a step per line.  Exact only while a line of spaces and tabs is ignored.
    if not all(grammars.regex(ignored).fullmatch(blank) for blank in ("", " ", "\t", " \t ")):
        raise ValueError(
            "the table run takes lines of spaces and tabs for ignored lines; the grammar ignores no such line"
        )
    return grammars.regex(f"(?:(?>[ \\t\\n]*\\n)(?:{line}))*+")


def content_end(text: str, stop: int, after: int) -> int:
    """The end of the last line before the line at ``stop`` (or one past the end of ``text``) that is not all spaces
    and tabs, looked for back to ``after`` (the line break before the stop before it, which is no blank line): where
    a table's run is cut (run_pattern); before ``after`` when there is none."""
    end = content = max(stop - 1, 0)
    # Back over the blank lines a character at a time: there are one or two.
    while content > after and text[content - 1] in " \t\n":
        content -= 1
    if content == after:  # blank lines only since the stop before: the run takes no line
        return after - 1
    cut = text.find("\n", content, end)
    return end if cut < 0 else cut
