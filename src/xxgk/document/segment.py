"""Stage 2 — the document grammar: lines of normalised text to a section tree and raw table blocks.

``grammars/document.lark`` is an LALR grammar over *lines*: each of its terminals matches one whole line, and the
:class:`LineLexer` here hands the parser one token per line.  The lexer is contextual in Lark's sense — of the
terminals that match a line it takes the highest-priority one the parser can accept in its current state — and it
does the three things a grammar cannot:

* it recognises the known six-section skeleton (``schema.SECTIONS``) and repairs damaged section headings (``2、``,
  ``- ``, a missing number, leading spaces), reporting each repair;
* like Python's indenter, it closes nested headings with ``_END`` tokens by enumerator rank, so the grammar nests
  (一) > 1、 > (1) > ① > 一是 without conflicts;
* it drops ignored lines (blank lines, page furniture).

Lines the parser still cannot place are kept as :class:`~xxgk.records.Span` with a diagnostic (Lark ``on_error``).
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator, Sequence
from itertools import accumulate, chain, islice, repeat
from typing import Any

import attrs
from attrs import define, field, frozen
from lark import Lark, Token, Tree
from lark.common import LexerConf
from lark.exceptions import UnexpectedInput, UnexpectedToken
from lark.lexer import Lexer, LexerState
from lark.parsers.lalr_parser_state import ParseConf

from xxgk import schema
from xxgk.engine import grammars, lalr
from xxgk.normalise.text import NormText
from xxgk.records import Block, Diagnostic, Document, Section, Span


def segment(norm: NormText) -> Document:
    """Parse the document structure of ``norm``: title, sections, table blocks, signature.  Never raises on content."""
    lines = _Lines(norm)
    tree = _parse(lines)
    if tree is None:  # a line the grammar cannot place: Lark's own loop keeps it and goes on, or says why it gives up
        lines = _Lines(norm)
        try:
            tree = _parser().parse(lines, on_error=lines.skip)
        except UnexpectedInput as exc:  # keep the whole text
            lines.diagnostics.append(Diagnostic("document.unparsed", f"document grammar gave up: {exc}"))
            return Document(None, None, None, lines.pre2019, (), (), tuple(lines.diagnostics), (_whole(norm),))
    return _Reader(lines).document(tree)


# --- headings ----------------------------------------------------------------------------------------------------

# Heading terminal -> (enumerator kind, rank, enumerator terminal in common.lark).  Rank 0 is the top level; a bullet
# (rank None) takes the rank of the heading before it, for it stands in for that heading's numbering.
_HEADINGS: dict[str, tuple[str, int | None, str]] = {
    "H_CN": ("cn", 0, "ENUM_CN"),
    "H_PAREN_CN": ("paren_cn", 1, "ENUM_PAREN_CN"),
    "H_ARABIC": ("arabic", 2, "ENUM_ARABIC"),
    "H_PAREN_ARABIC": ("paren_arabic", 3, "ENUM_PAREN_ARABIC"),
    "H_CIRCLED": ("circled", 4, "ENUM_CIRCLED"),
    "H_ORDINAL": ("ordinal", 5, "ENUM_ORDINAL"),
    "H_BULLET": ("bullet", None, "ENUM_BULLET"),
}
# Tokens that end every open nested heading: the top-level headings and the signature.
_TOP_LEVEL = frozenset({"SECTION", "TABLE_SECTION", "H_CN", "SIGNATURE", "DATE_LINE"})
# The line terminals of a table (document.lark's _table_line), which the parser accepts anywhere inside one.
_TABLE_LINES = frozenset({"TAB_LINE", "PIPE_LINE", "TSV_LINE", "NUM_LINE", "CELL"})
_TABLE_ALONE = frozenset((name,) for name in _TABLE_LINES)
# Enumerator forms a section heading may carry: 一、, and the damaged 2、, "- " and none at all (a bare title line).
_SECTION_KINDS = frozenset({"cn", "bare_cn", "arabic", "bullet", "none"})
_CN_NUMERALS = "一二三四五六七八九十"
# A heading phrase ends at the first of these; longer than _PHRASE_MAX characters, it is not a phrase.
_STOP = re.compile(r"[。:;]")
_COMMA = re.compile(r"[,,]")
_PHRASE_MAX = 40
# How many lexicons (LineLexer._lexicon) and fits answers (LineLexer._fits) a lexer keeps.
_MEMO_MAX = 4096
_SPACE = re.compile(r"\s+")
# What the lexicon's scan names an ignored line (LineLexer._alternation); and the one token that ends a heading, which
# the tree leaves out (its name starts with _), so every parse can share it.
_IGNORED = "_IGNORED"
_END = Token("_END", "")


@frozen
class Heading:
    """A heading line taken apart: enumerator ``kind``, ``number`` as written, ``title`` phrase and same-line text."""

    kind: str
    number: str | None
    title: str
    text: str
    column: int  # 0-based offset of the enumerator (or title) in the line


def split_heading(line: str, kind: str, enumerator: re.Pattern[str] | None) -> Heading:
    """Split a heading line into enumerator, title phrase and the text that follows on the same line.

    The title is the text before the first 。 : ; — or, when that is longer than a heading phrase can be, before the
    first comma; a line with neither is all title.
    """
    body = line.lstrip()
    column = len(line) - len(body)
    number = None
    if enumerator is not None and (m := enumerator.match(body)):
        number = m.group().strip().rstrip("、,.是").strip() or m.group().strip()
        body = body[m.end() :]
    body = body.strip()
    for pattern in (_STOP, _COMMA):
        m = pattern.search(body)
        if m and m.start() <= _PHRASE_MAX:
            return Heading(kind, number, body[: m.start()].strip(), body[m.end() :].strip(), column)
    return Heading(kind, number, body, "", column)


def _bare_numeral(heading: Heading) -> tuple[Heading, int | None]:
    """A section heading whose numeral lost its 、 ("一总体情况", "二 主动公开政府信息情况"): the numeral must be the
    section's own number, so a title that merely starts with a numeral is never taken for a section."""
    key = _title_key(heading.title)
    index = _skeleton().get(key[1:])
    if index is None or key[:1] != _CN_NUMERALS[index]:
        return heading, None
    title = heading.title.lstrip()[1:].lstrip()
    return attrs.evolve(heading, kind="bare_cn", number=key[0], title=title), index


def _title_key(title: str) -> str:
    return _SPACE.sub("", title).rstrip("。:;,")


@functools.cache
def _skeleton() -> dict[str, int]:
    """Accepted section titles (spaces removed) -> index of the section in ``schema.SECTIONS``."""
    return {_title_key(v): i for i, (_, _, variants) in enumerate(schema.SECTIONS) for v in variants}


# --- the line lexer ----------------------------------------------------------------------------------------------


@frozen
class _Lexicon:
    """The terminals a line may be in one parser state (LineLexer._lexicon): ``names`` in priority order, ``scan``
    their whole-line patterns as one regex whose match names the first, and by terminal ``steps``, how many open
    headings it closes and the rank it opens."""

    names: tuple[str, ...]
    scan: re.Pattern[str]
    steps: dict[str, tuple[int, int]]


# The lexer's reading of a line (LineLexer._choose): (terminal, the skeleton heading it opens, how many open headings
# it closes, the rank it opens); None for an ignored line; a terminal's name alone when nothing fits.
_Reading = tuple[str, Heading | None, int, int]
_Choice = _Reading | str | None


@define
class _Lines:
    """One parse's input and the lexer's state: the lines, the cursor, the open heading ranks, what was found.

    Line ``i`` (0-based; its number is ``i + 1``) is ``texts[i]``, at offset ``starts[i]`` in the normalised text —
    two plain lists rather than a record per line, for a report has some 400 lines and most are read once."""

    norm: NormText
    texts: list[str] = field(init=False)
    starts: list[int] = field(init=False)
    hinted: frozenset[int] = frozenset()  # the lines that contain a section title (_skeleton_hint)
    stops: list[int] = field(factory=list)  # where a table's run is cut (LineLexer._table_lines), and len(texts)
    cursor: int = 0
    ranks: tuple[int, ...] = ()
    chosen: tuple[int, _Reading | None] = (-1, None)  # the line a table ends at, and what the table scan read it as
    last_section: int = -1
    pre2019: bool = False
    headings: dict[int, Heading] = field(factory=dict)  # by line number
    last: tuple[int, int] = (-1, -1)  # indices of the last two lines that are not ignored
    keys: dict[int, str | None] = field(factory=dict)  # section key of each top-level heading, by line number
    diagnostics: list[Diagnostic] = field(factory=list)
    unparsed: list[Span] = field(factory=list)

    def __attrs_post_init__(self) -> None:
        self.texts = self.norm.text.split("\n")
        self.starts = [0, *accumulate(len(t) + 1 for t in self.texts[:-1])]

    def end(self, index: int) -> int:
        return self.starts[index] + len(self.texts[index])

    def diagnose(self, kind: str, message: str, pos: int, excerpt: str) -> None:
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


class LineLexer(Lexer):
    """Lark lexer that yields one token per line, choosing among the grammar's line terminals by parser state."""

    __future_interface__ = 2

    def __init__(self, conf: LexerConf) -> None:
        # A terminal must match the whole line: the match has to end where the line ends.
        compiled = [
            (t.name, re.compile(f"(?:{t.pattern.to_regexp()})(?=\\n|\\Z)"))
            for t in sorted(conf.terminals, key=lambda t: (-t.priority, t.name))
        ]
        self.terminals = [(name, rx) for name, rx in compiled if name not in conf.ignore]
        self.names = tuple(name for name, _ in self.terminals)  # in priority order
        self.ignore = re.compile("|".join(f"(?:{rx.pattern})" for name, rx in compiled if name in conf.ignore))
        self.heading_names = tuple(name for name in self.names if name in _HEADINGS)
        self.cn_heading = dict(self.terminals)["H_CN"]
        self._lexicons: dict[tuple[tuple[Any, ...], bool, tuple[int, ...], str], _Lexicon] = {}  # see _lexicon
        self._fit: dict[tuple[tuple[Any, ...], bool, tuple[str, ...]], bool] = {}  # see _fits

    def lex(self, lexer_state: LexerState, parser_state: Any) -> Iterator[Token]:
        return self.tokens(lexer_state.text, parser_state)  # type: ignore[arg-type]

    def tokens(self, src: _Lines, parser_state: Any) -> Iterator[Token]:
        """The tokens of ``src`` from its cursor on, for the parser in ``parser_state`` (a Lark ``ParserState``)."""
        if src.cursor == 0:
            self._scan(src)
        while src.cursor < len(src.texts):
            index = src.cursor
            src.cursor += 1  # before yielding: after an error the parser resumes with a fresh call, at the next line
            text = src.texts[index]
            if src.chosen[0] == index and src.chosen[1]:  # decided by the table scan that stopped here
                choice: _Choice = src.chosen[1]
            else:
                choice = self._choose(src, index, text, parser_state.parse_conf, tuple(parser_state.state_stack), False)
            start, number = src.starts[index], index + 1
            if choice is None:
                if text.strip():
                    src.diagnose("document.debris", "page furniture ignored", start, text.strip())
                continue
            if isinstance(choice, str):  # nothing fits: hand the parser the likeliest reading, for on_error to keep
                yield Token(choice, text, start, number, 1, end_pos=start + len(text))
                continue
            name, section, closes, rank = choice
            if section:
                self._open_section(src, index, text, section)
            elif name in _HEADINGS:
                self._open_heading(src, index, text, name)
            if closes:
                src.ranks = src.ranks[:-closes]
                yield from repeat(_END, closes)
            if rank:
                src.ranks += (rank,)
            yield Token(name, text, start, number, 1, number, len(text) + 1, start + len(text))
            if name in _TABLE_LINES:
                yield from self._table_lines(src, parser_state)
        yield from repeat(_END, len(src.ranks))
        src.ranks = ()

    def _scan(self, src: _Lines) -> None:
        """What the lexer needs to know of the whole text before the first line: whether it is a pre-2019 report,
        which lines may head a section (both found by one regex scan over the text rather than a match per line),
        which are the last two content lines (looked for from the end)."""
        text, starts = src.norm.text, src.starts
        if any(m in text for m in schema.PRE2019_MARKERS):  # rare, and a substring test is far cheaper than a scan
            marked = {bisect_right(starts, m.start()) - 1 for m in _pre2019_hint().finditer(text)}
            src.pre2019 = any(self._pre2019_heading(src.texts[i]) for i in sorted(marked))
        content = list(islice((i for i in reversed(range(len(starts))) if not self._ignored(src, i)), 2))
        src.last = (content[1] if len(content) > 1 else -1, content[0] if content else -1)
        src.hinted = frozenset(bisect_right(starts, m.start()) - 1 for m in _skeleton_hint().finditer(text))
        src.stops = [*sorted(src.hinted | set(src.last) - {-1}), len(starts)]

    def _ignored(self, src: _Lines, index: int) -> bool:
        """Whether line ``index`` is dropped: a blank line or page furniture (an %ignore'd terminal matches it)."""
        return self.ignore.match(src.norm.text, src.starts[index]) is not None

    def _choose(self, src: _Lines, index: int, text: str, conf: Any, stack: tuple[Any, ...], table: bool) -> _Choice:
        """The first terminal for line ``index`` that fits the parser with state ``stack`` (``table``: see
        :meth:`_fits`): (terminal, the skeleton heading it opens, how many open headings it closes, the rank it
        opens) — None for an ignored line, and when none fits, the likeliest terminal.  Changes nothing, so the
        table scan can ask it about lines it may not take."""
        section = None
        if index in src.hinted:  # the skeleton heading comes first, but an ignored line is no heading
            if self._ignored(src, index):
                return None
            section = self._section(src, index, text)
        if section:
            rank, ends = self._closing(src.ranks, section[0])
            if self._fits(conf, stack, table, [*ends, section[0]]):
                return section[0], section[1], len(ends), rank
        lexicon = self._lexicon(conf, stack, table, src.ranks, self._line(src, index))
        if match := lexicon.scan.match(src.norm.text, src.starts[index]):
            name = str(match.lastgroup)
            return None if name == _IGNORED else (name, None, *lexicon.steps[name])
        if section:
            return section[0]
        match = self._alternation(self.names).match(src.norm.text, src.starts[index])
        return str(match.lastgroup) if match else "PARA"

    @staticmethod
    def _line(src: _Lines, index: int) -> str:
        """What _may_close needs to know of line ``index``: "signature" for the last content line but one, "last" for
        the last one, else ""."""
        return "signature" if index == src.last[0] else "last" if index == src.last[1] else ""

    def _lexicon(self, conf: Any, stack: tuple[Any, ...], table: bool, ranks: tuple[int, ...], line: str) -> _Lexicon:
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
            steps = {}
            for name in self.names:
                rank, ends = self._closing(ranks, name)
                if fits([*ends, name]) and self._may_close(line, name, fits, ends):
                    steps[name] = (len(ends), rank)
            lexicon = self._lexicons[key] = _Lexicon(tuple(steps), self._alternation(tuple(steps), True), steps)
        return lexicon

    def _closing(self, ranks: Sequence[int], name: str) -> tuple[int, list[str]]:
        """The rank ``name`` opens under the open heading ``ranks``, and the _END tokens that must come before it."""
        rank = self._rank(ranks, name)
        closes = len(ranks) if name in _TOP_LEVEL else sum(1 for r in ranks if r >= rank > 0)
        return rank, ["_END"] * closes

    def _table_lines(self, src: _Lines, state: Any) -> Iterator[Token]:
        """After a table's first line: the lines that continue the table, as ONE token (TABLE_LINES).

        Each line is decided as if the parser had taken the lines before it one by one: inside a table the parser
        accepts any table line terminal, and any other terminal exactly when it may follow the table — which is
        what the parser accepts after TABLE_LINES.  The run ends before the first line whose first fitting terminal
        is not a table line; that line (and the ignored lines before it) are lexed as usual."""
        conf, after = state.parse_conf, list(state.state_stack)
        if not lalr.shift(conf, after, "TABLE_LINES"):
            return
        stack = tuple(after)
        # The scan: the terminals an ordinary line inside this table may be, in priority order, as one regex whose
        # match names the lexer's choice; and the run, which takes the lines that choice makes table lines, and the
        # blank lines between them, in one match.  The lines it stops at are looked at one by one: page furniture
        # (dropped), a line that ends the table, and the lines where the run is cut (src.stops), which go through
        # _choose — a skeleton heading, and the last two content lines (the signature's and the date's, _may_close).
        lexicon = self._lexicon(conf, stack, True, src.ranks, "")
        scan, run = lexicon.scan, self._run(lexicon.names)
        text, starts, texts, stops = src.norm.text, src.starts, src.texts, src.stops
        last, debris = None, []
        chosen: tuple[int, _Reading | None] = (-1, None)
        index = src.cursor
        while index < len(texts):
            stop = stops[bisect_left(stops, index)]
            # The text cut before the stop gives each line the same match (see _run).
            taken = run.match(text, starts[index] - 1, src.end(stop - 1)) if index < stop else None
            if taken and taken.end() >= starts[index]:
                last = bisect_right(starts, taken.end()) - 1
                index = last + 1
                continue
            choice: _Choice
            if index == stop:
                choice = self._choose(src, index, texts[index], conf, stack, True)
            elif match := scan.match(text, starts[index]):
                name = str(match.lastgroup)
                choice = None if name == _IGNORED else (name, None, *lexicon.steps[name])
            else:
                choice = ""  # nothing fits: the lexer will say what it is
            if choice is None:
                if texts[index].strip():
                    debris.append(index)
                index += 1
                continue
            if isinstance(choice, str) or choice[0] not in _TABLE_LINES:
                # The line after the table: what fits it inside the table fits it after TABLE_LINES (a table line,
                # which alone fits only inside, would not have ended the table), so the lexer takes this choice.
                chosen = (index, choice if isinstance(choice, tuple) else None)
                break
            last, index = index, index + 1
        if last is None:
            return
        src.chosen = chosen
        for index in debris:
            if index < last:
                src.diagnose("document.debris", "page furniture ignored", starts[index], texts[index].strip())
        first, src.cursor = src.cursor, last + 1
        start, end = starts[first], src.end(last)
        yield Token("TABLE_LINES", text[start:end], start, first + 1, 1, last + 1, len(src.texts[last]) + 1, end)

    @functools.cache  # noqa: B019 -- one lexer per parser, and grammars.load caches the parser
    def _run(self, names: tuple[str, ...]) -> re.Pattern[str]:
        """Matched at the newline before a line: the lines whose first match among ``names`` (in this order) is a
        table line, and the blank lines between them, up to the last such line.  An ignored line is never one.

        It may be matched against a text cut at the end of a line, for no terminal that fits after a table looks
        past its own line: SIGNATURE is taken on one line only, which is a stop, and TITLE_HEAD cannot follow a
        table (tested)."""
        patterns = {name: rx.pattern for name, rx in self.terminals}
        # Built from the last name up: a table line is one more alternative, any other terminal a (?!...) in front
        # of the alternatives after it (so a line it matches is not a table line).
        line = ""
        for name in reversed(names):
            if name in _TABLE_LINES:
                line = f"{patterns[name]}|{line}" if line else patterns[name]
            elif line:
                line = f"(?!{patterns[name]})(?:{line})"
        ignored = self.ignore.pattern
        blank = f"(?=[ \\t]*(?:\\n|\\Z))(?:{ignored})\\n"
        return re.compile(f"(?:\\n(?:{blank})*+(?!{ignored})(?:{line}))*+")

    @functools.cache  # noqa: B019 -- one lexer per parser, and grammars.load caches the parser
    def _alternation(self, names: tuple[str, ...], ignored: bool = False) -> re.Pattern[str]:
        """The whole-line patterns of terminals ``names``, in this order, as one regex (the match names its group);
        with ``ignored``, an ignored line (the %ignore'd terminals, which come before any) first, as _IGNORED."""
        patterns = dict(self.terminals)
        alternatives = [f"(?P<{name}>{patterns[name].pattern})" for name in names]
        if ignored:
            alternatives.insert(0, f"(?P<{_IGNORED}>{self.ignore.pattern})")
        return re.compile("|".join(alternatives))

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
            return line == "signature"
        if name == "DATE_LINE" and line != "last":
            return fits([*ends, name, "PARA"])  # the date under the title: text may follow
        return True

    # --- headings and the skeleton

    def _heading(self, text: str) -> Heading | None:
        """``text`` taken apart as a heading: numbered by the first heading terminal it matches, or a bare phrase."""
        if match := self._alternation(self.heading_names).match(text):
            kind, _, enumerator = _HEADINGS[str(match.lastgroup)]
            return split_heading(text, kind, _enumerators()[enumerator])
        return split_heading(text, "none", None) if len(text.strip()) <= _PHRASE_MAX else None

    def _section(self, src: _Lines, line: int, text: str) -> tuple[str, Heading] | None:
        """(SECTION or TABLE_SECTION, heading) when line ``line``, ``text``, heads the next section of the known
        skeleton."""
        if line not in src.hinted:
            return None
        heading = self._heading(text)
        if heading is None:
            return None
        if src.pre2019 and self._pre2019_heading(text):
            return "SECTION", heading
        index = _skeleton().get(_title_key(heading.title))
        if index is None and heading.kind == "none":
            heading, index = _bare_numeral(heading)
        if index is None or index <= src.last_section or heading.kind not in _SECTION_KINDS:
            return None
        if heading.kind == "arabic" and heading.number != str(index + 1):
            return None  # a "1、" item whose title happens to be a section's: not a misnumbered section
        table = schema.SECTION_KEYS[index] in schema.TABLE_SECTIONS and not src.pre2019
        return ("TABLE_SECTION" if table else "SECTION"), heading

    def _pre2019_heading(self, text: str) -> bool:
        # Only a 一、 heading counts: "(二)依申请公开政府信息情况" is an ordinary sub-heading of a current report.
        return any(m in text for m in schema.PRE2019_MARKERS) and self.cn_heading.match(text) is not None

    @staticmethod
    def _open_section(src: _Lines, line: int, text: str, heading: Heading) -> None:
        index = _skeleton().get(_title_key(heading.title))
        if heading.kind == "bare_cn":
            pos = src.starts[line] + heading.column
            message = f"'{heading.number}' without 、 read as section {heading.number}、"
            src.diagnose("heading.repaired", message, pos, text.strip())
            heading = attrs.evolve(heading, kind="cn")
        src.headings[line + 1] = heading
        src.keys[line + 1] = None if index is None else schema.SECTION_KEYS[index]
        if index is None:
            return
        src.last_section = index
        pos = src.starts[line] + heading.column
        if heading.kind != "cn":
            form = {"arabic": f"'{heading.number}、'", "bullet": "a bullet", "none": "no number"}[heading.kind]
            src.diagnose("heading.repaired", f"heading with {form} read as section {index + 1}", pos, text.strip())
        if heading.column:
            message = f"leading spaces before the heading of section {index + 1} ignored"
            src.diagnose("heading.repaired", message, src.starts[line], text)

    def _open_heading(self, src: _Lines, line: int, text: str, name: str) -> None:
        kind, _, enumerator = _HEADINGS[name]
        heading = split_heading(text, kind, _enumerators()[enumerator])
        src.headings[line + 1] = heading
        src.keys[line + 1] = None
        if kind == "paren_cn" and heading.number and not heading.number.startswith("("):
            pos = src.starts[line] + heading.column
            src.diagnose("heading.repaired", f"'{heading.number}' read as ({heading.number}", pos, text.strip())

    # --- nesting

    @staticmethod
    def _rank(ranks: Sequence[int], name: str) -> int:
        """The nesting rank a token opens (0: none).  A token ends every open heading of the same or a lower rank."""
        if name not in _HEADINGS or name in _TOP_LEVEL:
            return 0
        rank = _HEADINGS[name][1]
        return rank if rank is not None else (ranks[-1] if ranks else 1)


@grammars.derived
def _enumerators() -> dict[str, re.Pattern[str]]:
    """The enumerator terminals of common.lark, compiled, for taking heading lines apart."""
    common = grammars.load("common", parser=None, lexer="basic")
    return {t.name: re.compile(t.pattern.to_regexp()) for t in common.terminals if t.name.startswith("ENUM_")}


@functools.cache
def _pre2019_hint() -> re.Pattern[str]:
    return re.compile("|".join(map(re.escape, schema.PRE2019_MARKERS)))


@functools.cache
def _skeleton_hint() -> re.Pattern[str]:
    """Quick test that a line may head a section: it contains a section title (or a pre-2019 marker)."""
    titles = {v for _, _, variants in schema.SECTIONS for v in variants} | set(schema.PRE2019_MARKERS)
    return re.compile("|".join(sorted(map(re.escape, titles), key=len, reverse=True)))


def _parser() -> Lark:
    return grammars.load("document", lexer=LineLexer)


class _Parser:
    """The parser as :class:`LineLexer` reads it — the two attributes of a Lark ``ParserState`` it looks at — for a
    parse on :class:`lalr.Stacks`: the parse table, and the state stack numbered ``number`` (a tuple the lexer's
    memos take as it is)."""

    def __init__(self, stacks: lalr.Stacks) -> None:
        self.parse_conf = stacks.conf
        self.number = stacks.start
        self.state_stack = stacks.stack(self.number)


def _parse(src: _Lines) -> Tree[Token] | None:
    """What ``_parser().parse(src, on_error=src.skip)`` does for a report whose every line the grammar places — the
    common case — on the parse table read as an automaton over whole stacks (:class:`lalr.Stacks`): a token is one
    look-up of the reductions it makes and the stack it reaches, worked out once for all reports.  None at the first
    token the parser does not take, for Lark's own loop to keep the line and go on (or say why it gives up)."""
    lexer, stacks = _table()
    parser, values = _Parser(stacks), list[Any]()
    for token in chain(lexer.tokens(src, parser), [Token(lalr.END, "")]):
        step = stacks.take_one(parser.number, token.type)
        if step is None:
            return None
        lalr.feed(values, step, token)
        parser.number, parser.state_stack = step.number, stacks.stack(step.number)
    tree: Tree[Token] = values[-1]
    return tree


@grammars.derived
def _table() -> tuple[LineLexer, lalr.Stacks]:
    """The document parser's lexer, and its parse table as :class:`lalr.Stacks`."""
    frontend = _parser().parser
    lalr_parser = frontend.parser
    conf = ParseConf(lalr_parser._parse_table, lalr_parser.parser.callbacks, frontend.parser_conf.start[0])
    return frontend.lexer, lalr.Stacks(conf)


def lexer_input(norm: NormText) -> Any:
    """What :class:`LineLexer` reads in place of a string: the lines of ``norm`` with the lexer's state (for a parser
    of ``document.lark`` built elsewhere, such as the REPL's)."""
    return _Lines(norm)


def _whole(norm: NormText) -> Span:
    return Span(norm.original, 1, 1)


# --- from the parse tree to records -------------------------------------------------------------------------------

_YEAR = re.compile(r"((?:19|20)[0-9]{2})[^\S\n]*年度?")
# Spaces between two Chinese characters: PDF text spaces out names ("示例市 人力资源和社会保障局").
_CJK_SPACES = re.compile(r"(?<=[\u3400-\u9fff])[^\S\n]+(?=[\u3400-\u9fff])")
# Where the text states the period the report covers: 统计期限自2023年1月1日 / 统计期限从2023年…
_PERIOD = re.compile(f"(?:{'|'.join(schema.PERIOD_WORDS)})" + r"[^0-9\n]{0,6}((?:19|20)[0-9]{2})年")
# The generic tail of a title: 政府信息公开工作年度报告 and its variants.
_TITLE_TAIL = re.compile(r"(?:政府)?(?:信息公开)?(?:工作)?(?:年度)?(?:工作)?报告.*$")


class _Reader:
    """Walks the parse tree once, building sections and blocks."""

    def __init__(self, src: _Lines) -> None:
        self.src = src
        self.blocks: list[Block] = []
        self.title: str | None = None
        self.signature: str | None = None

    def document(self, tree: Tree[Token]) -> Document:
        sections: list[Section] = []
        for node in tree.children:
            assert isinstance(node, Tree)
            if node.data == "title":
                lines = [t for t in node.children if isinstance(t, Token) and t.type != "DATE_LINE"]
                self.title = "".join(t.strip() for t in lines) or None
            elif node.data == "preamble":
                if node.children:
                    sections.append(self._preamble(node))
            elif node.data == "closing":
                names = [t.strip() for t in node.children if isinstance(t, Token) and t.type == "SIGNATURE"]
                self.signature = names[0] if names else None
            else:
                head = node.children[0]
                assert isinstance(head, Token)
                key = self.src.keys.get(head.line or 0)
                sections.append(self._section(head, node.children[1:], key, key))
        src = self.src
        return Document(
            title=self.title,
            agency=self._agency(),
            year=self._year(sections),
            pre2019=src.pre2019,
            sections=tuple(sections),
            blocks=tuple(self.blocks),
            diagnostics=tuple(src.diagnostics),
            unparsed=tuple(src.unparsed),
        )

    def _preamble(self, node: Tree[Token]) -> Section:
        first = next(node.scan_values(lambda v: isinstance(v, Token)))
        text, children = self._body(node.children, None)
        return Section(None, None, "none", "", first.line or 1, text, children)

    def _section(self, head: Token, items: list[Any], key: str | None, top: str | None) -> Section:
        """The section headed by ``head``; ``top`` is the key of the top-level section it is in (for its tables)."""
        heading = self.src.headings[head.line or 0]
        text, children = self._body(items, top)
        text = "\n".join(t for t in (heading.text, text) if t)
        return Section(key, heading.number, heading.kind, heading.title, head.line or 1, text, children)

    def _body(self, items: list[Any], top: str | None) -> tuple[str, tuple[Section, ...]]:
        texts: list[str] = []
        children: list[Section] = []
        for item in items:
            if item.data == "para":
                texts.append(item.children[0].strip())
            elif item.data == "sub":
                children.append(self._section(item.children[0], item.children[1:], None, top))
            else:  # table, cell_table
                first, last = item.children[0], item.children[-1]
                self.blocks.append(Block(top, first.start_pos, last.end_pos, first.line))
        return "\n".join(texts), tuple(children)

    def _agency(self) -> str | None:
        """From the title (what is left once year and 政府信息公开…报告 are taken off), else the signature."""
        if self.title:
            name = _CJK_SPACES.sub("", _TITLE_TAIL.sub("", _YEAR.sub("", self.title)).strip())
            if len(name) >= 2:
                return name
        return self.signature

    def _year(self, sections: list[Section]) -> int | None:
        """From the title; else the stated statistics period; else the first year the overview (or the text) names."""
        text = self.src.norm.text
        overview = next((s for s in sections if s.key == "overview"), None)
        found = (  # each source looked at (the overview flattened) only when the one before names no year
            _YEAR.search(self.title or "")
            or _PERIOD.search(text)
            or (_YEAR.search(_flat(overview)) if overview else None)
            or _YEAR.search(text)
        )
        return int(found.group(1)) if found else None


def _flat(section: Section) -> str:
    return "\n".join([section.title, section.text, *(_flat(c) for c in section.children)])
