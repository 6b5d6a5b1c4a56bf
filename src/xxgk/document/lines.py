"""One parse's input as the line lexer reads it: the lines of the normalised text, the cursor, the open heading
ranks, and what the lexer found on the way (headings, section keys, diagnostics, the lines kept unparsed)."""

from __future__ import annotations

import re
from typing import NamedTuple

from lark.exceptions import UnexpectedInput, UnexpectedToken

from xxgk.document.headings import Heading
from xxgk.normalise.offsets import NormText
from xxgk.records import Diagnostic, Span

# What the lexer's scan names an ignored line (Lexicon.scan): a blank one, the furniture being known already.
IGNORED = "_IGNORED"
# The line terminals of a table (document.lark's _table_line), which the parser accepts anywhere inside one.
TABLE_LINES = frozenset({"TAB_LINE", "PIPE_LINE", "TSV_LINE", "NUM_LINE", "SPACED_ROW", "CELL"})

# A line that heads a section of the skeleton, as the lexer read it (Skeleton.section): its terminal (SECTION or
# TABLE_SECTION), the heading taken apart, and the index of the section in schema.SECTIONS (None: a 2008-2018
# heading that names none of them) — worked out once, for the lexer records it when the parser takes the line.
Opening = tuple[str, Heading, int | None]
# The lexer's reading of a line (LineLexer.choose): (terminal, the skeleton heading it opens, how many open headings
# it closes, the rank it opens); None for an ignored line; a terminal's name alone when nothing fits.
Reading = tuple[str, Opening | None, int, int]
Choice = Reading | str | None


class Lines:
    """One parse's input and the lexer's state: the lines, the cursor, the open heading ranks, what was found.

    A line is known by the offset of its start in the normalised text (``text``), and its number (1-based) is
    counted as the lexer goes — no list of the lines or of their starts: a report has some 400 lines, of which the
    lexer looks at a few dozen one by one (a table's are taken by one regex match), and splitting the text and
    summing the lines' lengths cost more than the lexer's own work on those few.  (A plain class: the lexer's state
    needs none of attrs' methods, and defining an attrs class cost a one-file run 0.7 ms.)"""

    __slots__ = (
        "chosen",
        "cursor",
        "diagnostics",
        "furniture",
        "headings",
        "hinted",
        "keys",
        "last",
        "last_section",
        "markers",
        "norm",
        "number",
        "pre2019",
        "ranks",
        "stops",
        "text",
        "unparsed",
    )

    def __init__(self, norm: NormText) -> None:
        self.norm = norm
        self.text = norm.text
        self.hinted: frozenset[int] = frozenset()  # the lines that contain a section title (headings.document_words)
        self.markers: frozenset[str] = frozenset()  # the template markers the text holds (headings.document_words)
        self.stops: list[int] = []  # where a table's run is cut (table_run), and past the last line
        self.furniture: frozenset[int] = frozenset()  # the lines of page furniture (LineLexer.furniture)
        self.cursor = 0  # the next line for the lexer, past the last line (len(text) + 1) at the end
        self.number = 1  # its number
        self.ranks: tuple[int, ...] = ()
        # The line a table ends at, and what the table scan read it as.
        self.chosen: tuple[int, Reading | None] = (-1, None)
        self.last_section = -1
        self.pre2019 = False
        self.headings: dict[int, Heading] = {}  # by line number
        self.last: tuple[int, int] = (-1, -1)  # the last two lines that are not ignored
        self.keys: dict[int, str | None] = {}  # section key of each top-level heading, by line number
        self.diagnostics: list[Diagnostic] = []
        self.unparsed: list[Span] = []

    def end(self, start: int) -> int:
        """Offset of the end of the line at ``start`` (before its line break)."""
        end = self.text.find("\n", start)
        return len(self.text) if end < 0 else end

    def line(self, start: int) -> str:
        """The line at ``start``, without its line break."""
        return self.text[start : self.end(start)]

    def line_of(self, pos: int) -> int:
        """The line that offset ``pos`` falls in."""
        return self.text.rfind("\n", 0, pos) + 1

    def diagnose(self, kind: str, message: str, pos: int, excerpt: str) -> None:
        """Add a diagnostic at offset ``pos`` of the normalised text."""
        line, column = self.norm.locate(pos)
        self.diagnostics.append(Diagnostic(kind, message, line, column, excerpt))

    def skip(self, error: UnexpectedInput) -> bool:
        """Lark ``on_error``: keep a line the grammar cannot place as unparsed text and go on with the next."""
        if not isinstance(error, UnexpectedToken) or error.token.type == "$END":
            return False
        token = error.token
        if token.type == "_END":  # a closing the parser did not want: nothing to keep
            return True
        line, column = self.norm.locate(token.start_pos or 0)
        original = self.norm.original_line(line)
        self.unparsed.append(Span(original, line, column))
        expected = ", ".join(sorted(error.expected)[:6])
        self.diagnostics.append(
            Diagnostic(
                "document.unparsed", f"line not placed ({token.type}; expected {expected})", line, column, original
            )
        )
        return True


class Lexicon(NamedTuple):
    """The terminals a line may be in one parser state (LineLexer.lexicon): ``names`` in priority order, ``scan``
    their whole-line patterns as one regex whose match names the first (or IGNORED), and by the name it gives, the
    lexer's reading of the line (how many open headings the terminal closes and the rank it opens; None for
    IGNORED), made once here rather than at every line.  (The lexer's own: a NamedTuple costs less to define than
    an attrs class, a one-file run's start-up.)"""

    names: tuple[str, ...]
    scan: re.Pattern[str]
    readings: dict[str | None, Reading | None]
