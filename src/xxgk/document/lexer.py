"""The line lexer of ``grammars/document.lark``: one token per line, chosen by what the parser can take.

The lexer is contextual in Lark's sense — of the terminals that match a line it takes the highest-priority one the
parser can accept in its current state — and it does the three things a grammar cannot:

* it recognises the known six-section skeleton (:mod:`.skeleton`) and repairs damaged section headings, reporting
  each repair;
* like Python's indenter, it closes nested headings with ``_END`` tokens by enumerator rank, so the grammar nests
  (一) > 1、 > (1) > ① > 一是 without conflicts;
* it drops ignored lines (blank lines, page furniture).

A table's continuation lines are one token (:mod:`.table_run`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator, Sequence
from itertools import repeat
from typing import Any

from lark import Token

from xxgk.document.headings import HEADINGS, PRE2019_WORDS, TEMPLATE_WORDS, TOP_LEVEL, document_words
from xxgk.document.lines import IGNORED, TABLE_LINES, Choice, Lexicon, Lines, Reading
from xxgk.document.skeleton import Skeleton, open_heading, open_section
from xxgk.document.table_run import Inside, run_pattern, table_lines
from xxgk.engine import grammars, lalr
from xxgk.normalise.offsets import NormText

_TABLE_ALONE = frozenset((name,) for name in TABLE_LINES)
# How many lexicons (LineLexer.lexicon) and fits answers (LineLexer._fits) a lexer keeps.
_MEMO_MAX = 4096
# What _may_close needs to know of a line (LineLexer.lexicon): the last content line but one, and the last one
# (Lines.last); any other line is "".
_SIGNATURE, _LAST = "signature", "last"
# The one token that ends a heading, which the tree leaves out (its name starts with _), so every parse can share it.
_END = Token("_END", "")
_UNSEEN = object()  # a key not looked at yet (where None is an answer)
# A character that every line of page furniture holds (a line an %ignore'd terminal of document.lark matches that is
# not all spaces and tabs: each FOOTER phrase has one, DOTS its dots): the lexer finds the furniture by one search of
# the whole text for them, and tries the %ignore'd terminals on the lines they are in only, rather than on every
# line (FOOTER looks through a whole line).  A phrase's rarest in reports (页 for two: 印 is in 印发, 扫 and 打 are
# not rarer), for each line found is tried.  tests/document/test_furniture.py holds the grammar to it.
FURNITURE_MARKS = "页窗【享·•●・"
# Where a line ends: at a line break or the end of the text, as (?=\n|\Z) but in one test of the regex engine (its
# multi-line $, which takes \n alone for a line break) rather than a lookahead of two branches.
_EOL = "(?m:$)"
# A line of spaces and tabs: the only ignored line without a furniture mark.
_BLANK = f"[ \\t]*{_EOL}"


class LineLexer(lalr.StateLexer):
    """Lark lexer that yields one token per line, choosing among the grammar's line terminals by parser state."""

    def setup(self, terminals: list[lalr.Terminal], ignore: frozenset[str]) -> None:
        # A terminal must match the whole line: the match has to end where the line ends.  Kept as text: the lexer
        # matches alternations of them (_alternation), and compiling each alone as well cost a one-file run 3 ms.
        whole = [(t.name, f"(?:{t.regexp}){_EOL}") for t in sorted(terminals, key=lambda t: (-t.priority, t.name))]
        self.patterns = {name: pattern for name, pattern in whole if name not in ignore}
        self.names = tuple(self.patterns)  # in priority order
        self.ignore = grammars.regex("|".join(f"(?:{pattern})" for name, pattern in whole if name in ignore))
        # An empty line is the commonest ignored line; it is dropped without asking the parser what it may take.
        self.empty_ignored = self.ignore.match("") is not None
        self.blank = grammars.regex(_BLANK)
        heading_names = tuple(name for name in self.names if name in HEADINGS)
        self.skeleton = Skeleton(self._alternation(heading_names), grammars.regex(self.patterns["H_CN"]))
        self._lexicons: dict[tuple[tuple[Any, ...], bool, tuple[int, ...], str], Lexicon] = {}  # see lexicon
        self._fit: dict[tuple[tuple[Any, ...], bool, tuple[str, ...]], bool] = {}  # see _fits
        self._inside: dict[tuple[tuple[Any, ...], tuple[int, ...]], Inside | None] = {}  # see inside

    def tokens(self, text: Any, position: lalr.Position) -> Iterator[Token]:
        """The tokens of ``text`` (:class:`~xxgk.document.lines.Lines`) from its cursor on, for the parser at
        ``position``."""
        src: Lines = text
        if src.cursor == 0:
            self._scan(src)
        text, empty_ignored, choose = src.text, self.empty_ignored, self.choose
        new_token = lalr.new_token  # a token per line: Token() checks its arguments first
        size = len(text)
        while src.cursor <= size:
            start, number = src.cursor, src.number
            end = text.find("\n", start)  # Lines.end written out: a call less per line
            if end < 0:
                end = size
            # Before yielding: after an error the parser resumes with a fresh call, at the next line.
            src.cursor, src.number = end + 1, number + 1
            if start == end and empty_ignored:
                continue
            line = text[start:end]
            if src.chosen[0] == start and src.chosen[1]:  # decided by the table scan that stopped here
                choice: Choice = src.chosen[1]
            else:
                choice = choose(src, start, line, *position(), False)
            if choice is None:
                if line.strip():
                    src.diagnose("document.debris", "page furniture ignored", start, line.strip())
                continue
            if isinstance(choice, str):  # nothing fits: hand the parser the likeliest reading, for on_error to keep
                yield Token(choice, line, start, number, 1, end_pos=end)
                continue
            name, section, closes, rank = choice
            if section:
                open_section(src, start, number, line, section[1], section[2])
            elif name in HEADINGS:
                open_heading(src, start, number, line, name)
            if closes:
                src.ranks = src.ranks[:-closes]
                yield from repeat(_END, closes)
            if rank:
                src.ranks += (rank,)
            yield new_token(name, line, start, number, 1, number, end - start + 1, end)
            if name in TABLE_LINES:
                yield from table_lines(self, src, position)
        yield from repeat(_END, len(src.ranks))
        src.ranks = ()

    def _scan(self, src: Lines) -> None:
        """What the lexer needs to know of the whole text before the first line: whether it is a pre-2019 report,
        which lines may head a section, which template markers the text holds (the three found by one regex scan
        over the text rather than a match per line), the page furniture, which are the last two content lines
        (looked for from the end).  Done before the first token, so a parse that fails has it too."""
        text = src.text
        hinted, markers = set(), set()
        marked = []  # the lines that hold a pre-2019 marker: only they may be a pre-2019 heading
        for found in document_words().finditer(text):
            word = found.group()
            if word in TEMPLATE_WORDS:
                markers.add(word)
            else:
                start = text.rfind("\n", 0, found.start()) + 1  # Lines.line_of written out: a call less per word
                hinted.add(start)
                if word in PRE2019_WORDS:
                    marked.append(start)
        src.hinted, src.markers = frozenset(hinted), frozenset(markers)
        src.pre2019 = any(self.skeleton.pre2019_heading(src.line(start)) for start in marked)
        src.furniture = self.furniture(text)
        src.last = self._last_two(src)
        src.stops = [*sorted(src.hinted | src.furniture | set(src.last) - {-1}), len(text) + 1]

    def _last_two(self, src: Lines) -> tuple[int, int]:
        """The last content line but one and the last (by their start; -1 for none): looked for from the end, past
        the lines that are dropped — page furniture (found already) and blank lines (what else an %ignore'd terminal
        matches)."""
        text, furniture, blank = src.text, src.furniture, self.blank.match
        last, end = -1, len(text)
        while end >= 0:
            start = text.rfind("\n", 0, end) + 1
            if start not in furniture and blank(text, start) is None:
                if last >= 0:
                    return start, last
                last = start
            end = start - 1
        return -1, last

    def furniture(self, text: str) -> frozenset[int]:
        """The lines of ``text`` that are page furniture (by their start): an %ignore'd terminal matches them, and
        they are not all spaces and tabs.  Looked for where a furniture mark is (FURNITURE_MARKS), a line at most
        once a mark: str.find a mark at a time reads the text five times faster than a regex of them all."""
        found = []
        ignored = self.ignore.match
        for mark in FURNITURE_MARKS:
            pos = text.find(mark)
            while pos >= 0:
                start = text.rfind("\n", 0, pos) + 1
                if ignored(text, start):
                    found.append(start)
                end = text.find("\n", pos)
                pos = text.find(mark, end) if end >= 0 else -1
        return frozenset(found)

    def choose(self, src: Lines, start: int, text: str, conf: Any, stack: tuple[Any, ...], table: bool) -> Choice:
        """The first terminal for the line at ``start``, ``text``, that fits the parser with state ``stack``
        (``table``: see :meth:`_fits`): (terminal, the skeleton heading it opens, how many open headings it closes,
        the rank it opens) — None for an ignored line, and when none fits, the likeliest terminal.  Changes nothing,
        so the table scan can ask it about lines it may not take."""
        if start in src.furniture:  # the scan's IGNORED is a blank line only
            return None
        section = None
        if start in src.hinted:  # the skeleton heading comes first (a line with a title is no blank line)
            section = self.skeleton.section(src, start, text)
        if section:
            rank, ends = self._closing(src.ranks, section[0])
            if self._fits(conf, stack, table, [*ends, section[0]]):
                return section[0], section, len(ends), rank
        last = src.last
        lexicon = self.lexicon(
            conf, stack, table, src.ranks, _SIGNATURE if start == last[0] else _LAST if start == last[1] else ""
        )
        if match := lexicon.scan.match(src.text, start):
            return lexicon.readings[match.lastgroup]
        if section:
            return section[0]
        match = self._alternation(self.names).match(src.text, start)
        return str(match.lastgroup) if match else "PARA"

    def lexicon(self, conf: Any, stack: tuple[Any, ...], table: bool, ranks: tuple[int, ...], line: str) -> Lexicon:
        """The terminals a line may be in this state: they fit the parser with ``stack`` (``table``: see
        :meth:`_fits`) after the _END tokens they imply under the open heading ``ranks``, and may be taken on a
        ``line`` of that kind (_may_close).  Remembered by all four, for reports go through the same few, and
        working it out walks the parse table for every terminal.  (Not by ``conf``: Lark makes one per parse, but a
        lexer belongs to one parser, so it is always the same table.)"""
        key = (stack, table, ranks, line)
        if (lexicon := self._lexicons.get(key)) is None:
            if len(self._lexicons) >= _MEMO_MAX:  # bounded, whatever the input
                self._lexicons.clear()
            fits = functools.partial(self._fits, conf, stack, table)
            readings: dict[str | None, Reading | None] = {IGNORED: None}
            for name in self.names:
                rank, ends = self._closing(ranks, name)
                if fits([*ends, name]) and self._may_close(line, name, fits, ends):
                    readings[name] = (name, None, len(ends), rank)
            names = tuple(name for name in self.names if name in readings)
            lexicon = self._lexicons[key] = Lexicon(names, self._alternation(names, True), readings)
        return lexicon

    def _closing(self, ranks: Sequence[int], name: str) -> tuple[int, list[str]]:
        """The rank ``name`` opens under the open heading ``ranks``, and the _END tokens that must come before it."""
        rank = self._rank(ranks, name)
        closes = len(ranks) if name in TOP_LEVEL else sum(1 for r in ranks if r >= rank > 0)
        return rank, ["_END"] * closes

    def inside(self, conf: Any, stack: tuple[Any, ...], ranks: tuple[int, ...]) -> Inside | None:
        """How a table's lines are read after its first line (:class:`~xxgk.document.table_run.Inside`), the parser
        having state ``stack`` under the open heading ``ranks``: None when it takes no TABLE_LINES there.  Remembered
        by both, as the lexicons are: a report's tables are read in the same few states."""
        key = (stack, ranks)
        inside = self._inside.get(key, _UNSEEN)
        if inside is _UNSEEN:
            if len(self._inside) >= _MEMO_MAX:
                self._inside.clear()
            after = list(stack)
            inside = None
            if lalr.shift(conf, after, "TABLE_LINES"):
                lexicon = self.lexicon(conf, tuple(after), True, ranks, "")
                inside = Inside(tuple(after), lexicon, self.run(lexicon.names))
            self._inside[key] = inside
        return inside  # type: ignore[return-value]

    @functools.cache  # noqa: B019 -- one lexer per parser, and grammars.load caches the parser
    def run(self, names: tuple[str, ...]) -> re.Pattern[str]:
        """The table run's regex (:func:`~xxgk.document.table_run.run_pattern`) for the terminals ``names``."""
        return run_pattern(self.patterns, self.ignore.pattern, names)

    @functools.cache  # noqa: B019 -- one lexer per parser, and grammars.load caches the parser
    def _alternation(self, names: tuple[str, ...], ignored: bool = False) -> re.Pattern[str]:
        """The whole-line patterns of terminals ``names``, in this order, as one regex (the match names its group);
        with ``ignored``, a blank line first, as IGNORED: an ignored line, where page furniture (Lines.furniture)
        is known already."""
        alternatives = [f"(?P<{name}>{self.patterns[name]})" for name in names]
        if ignored:
            alternatives.insert(0, f"(?P<{IGNORED}>{_BLANK})")
        return grammars.regex("|".join(alternatives))

    def _fits(self, conf: Any, stack: tuple[Any, ...], table: bool, terminals: list[str]) -> bool:
        """Would the parser with state ``stack`` take ``terminals``?  With ``table``, ``stack`` is the parser's once
        the table's lines are shifted as TABLE_LINES, and inside the table a lone table line fits too.  Remembered
        (:func:`lalr.fits_stack` walks the parse table), as the lexicons are."""
        key = (stack, table, tuple(terminals))
        if (fit := self._fit.get(key)) is None:
            if len(self._fit) >= _MEMO_MAX:
                self._fit.clear()
            alone = table and key[2] in _TABLE_ALONE
            fit = self._fit[key] = alone or lalr.fits_stack(conf, list(stack), terminals)
        return fit

    @staticmethod
    def _may_close(line: str, name: str, fits: Callable[[list[str]], bool], ends: list[str]) -> bool:
        """A signature, or a date that ends the document (after which the grammar wants nothing), must be followed
        by nothing but blank lines and page furniture: a date in the middle of a report is an ordinary line."""
        if name == "SIGNATURE":  # its pattern looks ahead to the date line, which must be the last line
            return line == _SIGNATURE
        if name == "DATE_LINE" and line != _LAST:
            return fits([*ends, name, "PARA"])  # the date under the title: text may follow
        return True

    @staticmethod
    def _rank(ranks: Sequence[int], name: str) -> int:
        """The nesting rank a token opens (0: none).  A token ends every open heading of the same or a lower rank."""
        if name not in HEADINGS or name in TOP_LEVEL:
            return 0
        rank = HEADINGS[name][1]
        return rank if rank is not None else (ranks[-1] if ranks else 1)


def lexer_input(norm: NormText) -> Any:
    """What :class:`LineLexer` reads in place of a string: the lines of ``norm`` with the lexer's state (for a parser
    of ``document.lark`` built elsewhere, such as the REPL's)."""
    return Lines(norm)
