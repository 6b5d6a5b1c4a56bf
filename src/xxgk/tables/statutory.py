"""Stage 3b — the statutory layer: cell streams to the three keyed tables of the national format.

The national format fixes every table, so each template's tables are written down as an LALR grammar over cell
tokens (``grammars/table_2019.lark``, ``grammars/table_2021.lark``, sharing ``grammars/table_common.lark``).

- :class:`CellLexer`, a Lark ``Lexer``, makes every cell ONE terminal: a value (``NUMBER``, ``NA``, ``EMPTY``, by the
  grammar's own patterns) or the label it matches tolerantly (``ROW_NEW_RECEIVED`` …; texts from :mod:`xxgk.schema`).
  A cell that matches several labels (``总计``, a truncated ``本年新``) becomes the one the parser can take next; so
  does a label broken over two cells (``其他`` / ``结果``), offered joined alongside the first cell's own reading.
- The parser checks the labels and places the values; nothing is placed by counting numbers.  Where the cells do
  not fit, the error handler recovers at the next label the grammar expects and says what it skipped or missed.
- :func:`read_tables` maps the tree onto :class:`~xxgk.records.Tables`, reading each value for its column.
- A stream whose every cell fits is read on the parse table alone (:func:`_read_well_formed`, :class:`lalr.Stacks`),
  with the same choices; each value's place is read off the parser's stack (the symbols below it: the row's label
  and the values before it), which is what the tree says, without building one.  Lark's parser, the tree and the
  recovery run only where a cell does not fit.

Recovery never guesses: a row that lost a value (a ``GAP`` where the form wants one), a row with a value too many,
and an item or table whose header disagrees with the form (a column label out of place, or unknown Chinese text
where a column label is due) are reported and left out.
"""

from __future__ import annotations

import functools
import itertools
import math
import re
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from typing import Any, ClassVar, NamedTuple

import attrs
from attrs import frozen
from lark import Lark, Token, Tree
from lark.common import LexerConf
from lark.exceptions import UnexpectedInput, UnexpectedToken
from lark.lexer import Lexer, LexerState
from lark.parsers.lalr_interactive_parser import InteractiveParser
from lark.parsers.lalr_parser_state import ParseConf

from xxgk import schema
from xxgk.engine import grammars, lalr
from xxgk.errors import GrammarError
from xxgk.records import Cell, Cells, Diagnostic, ItemTable, KeyedTable, Number, Tables, Value
from xxgk.tables.repair import ShortRow, Unreadable, place_short_row, repair

GRAMMARS = {"2019": "table_2019", "2021": "table_2021"}
VALUES = frozenset({"NUMBER", "NA", "EMPTY", "GAP", "ODD"})
UNKNOWN = "UNKNOWN"  # a cell that is neither a value nor any label: never in the grammar, so always skipped
# Labels whose place in a header decides which column a value belongs to.
_COLUMN_LABELS = ("COL_", "REVIEW_", "GROUP_REVIEW", "GROUP_LITIGATION_")
# Labels after which the parser is inside a header (an item's or a table's), until the first row label.
_IN_HEADER = ("ITEM_", "HEAD_", *_COLUMN_LABELS)
# A cut-off label must keep this many characters to be recognised (本年新 for 本年新制作数量).
_MIN_PARTIAL = 3
# Labels of a header that head groups of columns (the reviews' three groups of five).
_GROUP_LABELS = ("GROUP_REVIEW", "GROUP_LITIGATION_")
# Bound of the way the recovery supplies past missing cells (a whole table is about 300 tokens).
_MAX_PATH = 400
# How many cell texts the cell lexer remembers the reading of (the labels and values reports keep printing).
_REMEMBERED = 4096


# --- terminals and their labels, derived from schema.py ---------------------------------------------------------


def terminal(prefix: str, key: str) -> str:
    """The grammar's terminal for a schema key: ``terminal("ROW_", "withheld.state_secret")``."""
    return prefix + key.upper().replace(".", "_")


@frozen
class _Keys:
    """What each label terminal of one template means: its printed labels and the key it stands for."""

    labels: dict[str, tuple[str, ...]]
    items: dict[str, str]
    item_rows: dict[str, str]
    app_rows: dict[str, str]


@functools.cache
def _keys(template: str) -> _Keys:
    labels: dict[str, list[str]] = {}
    items: dict[str, str] = {}
    item_rows: dict[str, str] = {}
    app_rows: dict[str, str] = {}

    def add(prefix: str, key: str, label: str, keys: dict[str, str] | None = None) -> None:
        name = terminal(prefix, key)
        if keys is not None:
            if keys.get(name, key) != key:
                raise GrammarError(f"schema keys {keys[name]!r} and {key!r} share the terminal {name}")
            keys[name] = key
        for text in (label, *schema.LABEL_VARIANTS.get(label, ())):
            if text not in labels.setdefault(name, []):
                labels[name].append(text)

    for item, (rows, cols) in schema.ACTIVE_DISCLOSURE[template].items():
        add("ITEM_", item, schema.ART20_ITEMS[item], items)
        for key, label in rows:
            add("ROW_", key, label, item_rows)
        for key, label in cols:
            add("COL_", key, label)
    for key, label in schema.APPLICANT_COLUMNS:
        add("COL_", key, label)
    for key, label in schema.APPLICATION_GROUPS.items():
        add("GROUP_", key, label)
    for key, label in schema.APPLICATION_ROWS[template]:
        add("ROW_", key, label, app_rows)
    for key, label in schema.REVIEW_GROUPS:
        add("GROUP_", key, label)
    for key, label in schema.REVIEW_COLUMNS:
        add("REVIEW_", key, label)
    for key, label in schema.TABLE_HEADINGS.items():
        add("HEAD_", key, label)
    if set(item_rows) & set(app_rows):
        raise GrammarError(f"terminals shared by tables 1 and 2: {sorted(set(item_rows) & set(app_rows))}")
    return _Keys({k: tuple(v) for k, v in labels.items()}, items, item_rows, app_rows)


def bare(name: str) -> str:
    """A terminal or rule name without the namespace Lark gives names imported from table_common.lark."""
    return name.rpartition("__")[2]


# --- tolerant matching of one cell's text --------------------------------------------------------------------------

# An enumerator in front of a label: 一、 (一) 三) 1. 1、 (1) ①.  The label is known without it.
_ENUMERATOR = re.compile(r"^\s*(?:\(?[一二三四五六七八九十]+[)、.]|\(?\d{1,2}[)、.](?!\d)|[①-⑳])")
_CJK = re.compile(r"[\u3400-\u9fff]")
# What extraction debris glued to a number is made of (``[bookmark: _GoBack]43``, ``43</span>``).
_MARKUP = re.compile(r"[A-Za-z<>\[\]&;_]")
# Units a value cell may carry: amounts are in 万元 (SCHEMA.md); a count may say what it counts.
_AMOUNT_UNITS = frozenset({"万元"})
_COUNT_UNITS = frozenset({"件", "条"})
_NUMERALS = frozenset("一二三四五六七八九十")
# A header cell that puts its column in 元 ("采购总金额(单位:元)"), where the form's amounts are in 万元.
_YUAN = re.compile(r"单位\W{0,2}元")
# Letters that extraction and typing put for digits (l and I for 1, O and o for 0): glued to a number they may be
# part of it (``l2`` is 12, ``1O`` is 10), so such a cell is not read.  Checked on the characters touching the number.
_LOOKALIKE = re.compile(r"[lIiOo|]")


def fold(text: str) -> str:
    """A label's text reduced to what identifies it: no enumerator, spaces, punctuation, brackets or line breaks."""
    return "".join(ch for ch in _ENUMERATOR.sub("", text, count=1) if ch.isalnum() and ch != "_")


class _Matcher:
    """Label terminals of one template, found from a cell's folded text, best match first."""

    def __init__(self, labels: dict[str, tuple[str, ...]]) -> None:
        self._labels = [(name, fold(label)) for name, texts in labels.items() for label in texts]
        self._exact: dict[str, list[str]] = {}
        for name, folded in self._labels:
            self._exact.setdefault(folded, []).append(name)
        # Labels by their first two characters, and by every two characters they hold: a label inside a cell's
        # text starts at one of the text's pairs; a cut-off label holds the text's first pair.
        self._starting: dict[str, list[int]] = {}
        self._holding: dict[str, set[int]] = {}
        for i, (_, label) in enumerate(self._labels):
            if len(label) >= 2:
                self._starting.setdefault(label[:2], []).append(i)
            for j in range(len(label) - 1):
                self._holding.setdefault(label[j : j + 2], set()).add(i)

    def exact(self, folded: str) -> list[str]:
        return self._exact.get(folded, [])

    def match(self, folded: str) -> list[str]:
        """Exact matches, then labels glued to debris (no other Chinese in the cell), then cut-off labels."""
        found = list(self.exact(folded))
        starts = {i for j in range(len(folded) - 1) for i in self._starting.get(folded[j : j + 2], ())}
        glued = [
            (len(label), name)
            for name, label in (self._labels[i] for i in starts)
            if label != folded and label in folded and _debris(folded.replace(label, "", 1))
        ]
        found += [name for _, name in sorted(glued, reverse=True)]
        if len(folded) >= _MIN_PARTIAL:
            holders = sorted(self._holding.get(folded[:2], ()))
            found += [name for name, label in (self._labels[i] for i in holders) if folded != label and folded in label]
        return list(dict.fromkeys(found))


def _debris(rest: str) -> bool:
    return not any(_CJK.match(ch) and ch not in _NUMERALS for ch in rest)


# --- values ----------------------------------------------------------------------------------------------------------


@frozen
class Reading:
    """A value cell read for its column: ``value`` (None for not applicable), ``odd`` says why the cell was unusual,
    ``certain`` is False when the cell holds a number that cannot be read for sure (it is then not placed)."""

    value: Number | None
    odd: str | None = None
    certain: bool = True


class _ValuePatterns:
    """The grammar's NUMBER and NA patterns (``grammars/common.lark``), applied to whole cells."""

    def __init__(self, number: str, na: str, odd: str) -> None:
        self.number = re.compile(number)
        self.na = re.compile(na)
        self.odd = re.compile(odd)

    def kind(self, text: str) -> str | None:
        """``EMPTY``, ``NA``, ``NUMBER`` or ``ODD`` when the cell is a value (however odd), None when it is not."""
        t = text.strip()
        if not t:
            return "EMPTY"
        if self.na.fullmatch(t):
            return "NA"
        if self.number.fullmatch(t) or self.number.fullmatch("".join(t.split())) or self._glued(t):
            return "NUMBER"
        if self.odd.fullmatch(t):
            return "ODD"
        return None

    def _glued(self, t: str) -> re.Match[str] | None:
        """The one number in a cell otherwise made of extraction debris (markup, letters), not of Chinese, other
        digits or an enumerator's brackets and dots (``(1)`` and ``1.`` are no values)."""
        found = list(self.number.finditer(t))
        if len(found) != 1:
            return None
        rest = t[: found[0].start()] + t[found[0].end() :]
        if any(ch.isdigit() for ch in rest) or _CJK.search(rest) or not _MARKUP.search(rest):
            return None
        return found[0]

    def read(self, text: str, amount: bool, signed: bool) -> Reading:
        """Read a value cell as a count (int) or, in an amount column, a decimal number of 万元."""
        t = text.strip()
        if not t or self.na.fullmatch(t):
            return Reading(None)
        odd: list[str] = []
        m = self.number.fullmatch(t)
        if m is None:
            m = self.number.fullmatch("".join(t.split()))
            if m is not None:
                if set(m[0]) - set("+-0."):
                    return Reading(None, "spaces between digits", certain=False)
                odd.append("spaces between digits")
            else:
                m = self._glued(t)
                if m is None:
                    return Reading(None, "not a number", certain=False)
                if _LOOKALIKE.match(t[m.end() :]) or _LOOKALIKE.match(t[: m.start()][::-1]):
                    return Reading(None, f"{t!r}: a letter beside the digits may stand for a digit", certain=False)
                odd.append(f"glued to {(t[: m.start()] + t[m.end() :]).strip()!r}")
        # NUMBER is digits then an optional unit (万元, 件 …), which has no digits.
        cut = max(i for i, ch in enumerate(m[0]) if ch.isdigit()) + 1
        number, unit = m[0][:cut], m[0][cut:]
        if amount and unit == "元":  # 万元 is the column's unit: the amount is exact in it
            return Reading(Decimal(number).scaleb(-4), "written in 元: converted to 万元")
        if unit and unit not in (_AMOUNT_UNITS if amount else _COUNT_UNITS):
            return Reading(None, f"unit {unit} in {'an amount' if amount else 'a count'} column", certain=False)
        digits = number.lstrip("+-")
        if len(digits) > 1 and digits.startswith("0") and not digits.startswith("0."):
            odd.append("leading zero")
        if number.startswith("-") and not signed:
            odd.append("negative")
        decimal = Decimal(number)
        if amount:
            return Reading(decimal, "; ".join(odd) or None)
        if decimal != decimal.to_integral_value():
            return Reading(None, "a fraction in a count column", certain=False)
        if "." in number:
            odd.append("decimal point in a count column")
        return Reading(int(decimal), "; ".join(odd) or None)


# --- the cell lexer --------------------------------------------------------------------------------------------------


class Classes(NamedTuple):
    """What a cell can be (:meth:`CellLexer.classify`): candidate terminals (bare names, best first) and how many
    cells each takes (two for a label split over two cells)."""

    names: tuple[str, ...]
    widths: tuple[int, ...]

    def joins_over_label(self, name: str) -> bool:
        """Whether taking ``name`` joins two cells where the first cell was a label by itself (its reading comes
        first): the parser state chose the join, which is worth saying."""
        return self.widths[0] == 1 and self.widths[self.names.index(name)] == 2

    def taking(self, token: Token) -> tuple[str, ...]:
        """The candidates that take as many cells as ``token`` was made from (the recovery keeps a token's cells)."""
        width = len(_cells(token))
        return tuple(n for n, w in zip(self.names, self.widths, strict=True) if w == width)


@attrs.define
class _Stream:
    """The cells of one parse, read by :class:`CellLexer`, with what the lexer and the recovery did to them."""

    cells: Cells
    pos: int = 0
    dropped: set[int] = attrs.Factory(set)  # empty cells where no value was wanted (spanned places)
    skipped: list[Token] = attrs.Factory(list)  # cells the recovery could not fit
    # After a skipped row label (or Chinese text the lexer does not know), the values that follow are that row's:
    # they are skipped too, until the next label, never taken by the row before (labels anchor).
    orphaned: bool = False
    disagreeing: list[Token] = attrs.Factory(list)  # skipped cells that stood where a header has a column label
    diagnostics: list[Diagnostic] = attrs.Factory(list)
    classes: dict[int, Classes] = attrs.Factory(dict)
    fill: frozenset[int] | None = None  # CellLexer.fill


# Value kinds that may be fill: a merged place (empty) or a converter's placeholder ("-") at a row's end.
_FILL = frozenset({"EMPTY", "NA"})


def _trailing(cells: Cells, kind: Callable[[str], str | None]) -> frozenset[int]:
    """The fill a row ends with (up to the next row start or the end): empty cells, and not-applicable ones once the
    row has shown a number — the merged places of the Word table ("| 2 | 57 | ||") and a converter's "-"
    placeholders for columns a row does not have ("| 96 | - | - |"), never a header's values ("/" × 15).  After a
    complete row they are dropped.  A merged place never takes a row's value place: a row whose values run into it
    showed fewer values than its columns (a cell lost), so which columns its values belong to is open, and the row
    is short (GAP) rather than placed from the left.  A "-" there may be the row's own not-applicable value, so it
    is read as one (a row that lost a cell before a "-" placeholder is then read one column early: no text tells
    the two apart, docs/tables.md)."""
    out: list[int] = []
    run: list[int] = []
    numbers = False  # whether the row has shown a number: a "-" counts as fill only after one
    for i, (text, row_start) in enumerate(zip(cells.texts, cells.row_starts, strict=True)):
        if row_start:
            out += run
            run = []
            numbers = False
        k = kind(text)
        if k == "EMPTY" or (k == "NA" and numbers):
            run.append(i)
        else:
            run = []
            numbers = numbers or k == "NUMBER"
    return frozenset(out + run)


class CellLexer(Lexer):
    """Lark lexer over a :class:`_Stream` of cells: one token per cell (two for a label split over two cells).

    Subclassed per template (``template``) because the label texts differ between the two formats.
    """

    __future_interface__ = 2
    template: ClassVar[str]

    def __init__(self, lexer_conf: LexerConf) -> None:
        patterns = {bare(t.name): t.pattern.to_regexp() for t in lexer_conf.terminals}
        self.values = _ValuePatterns(patterns["NUMBER"], patterns["NA"], patterns["ODD"])
        self.matcher = _Matcher(_keys(self.template).labels)
        self._names: dict[str, list[str]] = {}
        # A cell's candidates (classify) to the grammar's names, in order, and the cells each takes (the fast path,
        # _read_well_formed).
        self.grammar_names: dict[Classes, tuple[tuple[str, ...], dict[str, int]]] = {}
        # Reports print the same labels and values over and over: what a cell's text is, is worked out once.
        self.kind = functools.lru_cache(maxsize=_REMEMBERED)(self.values.kind)
        self._fold = functools.lru_cache(maxsize=_REMEMBERED)(fold)
        self._match = functools.lru_cache(maxsize=_REMEMBERED)(self.matcher.match)
        self.read = functools.lru_cache(maxsize=_REMEMBERED)(self.values.read)
        self._label_classes = functools.lru_cache(maxsize=_REMEMBERED)(self._classes_of_label)
        self._value_classes = {kind: Classes((kind,), (1,)) for kind in VALUES}
        self._automaton: lalr.Stacks | None = None

    def classify(self, stream: _Stream, i: int) -> Classes:
        """What the cell at ``i`` can be: candidate terminals, best first, and how many cells each takes.

        A label the extractor broke over two cells (``商业`` / ``企业``, ``其他`` / ``结果``) is offered joined with
        the next cell when the join is a label: before the cell's own reading when that is only tolerant (cut off,
        glued, or none), after it when the cell is a label by itself (``其他`` is a column and a row) — the parser
        state then chooses (:meth:`lex`, :func:`_read_well_formed`).
        """
        if i not in stream.classes:
            texts = stream.cells.texts
            kind = self.kind(texts[i])
            if kind is not None:
                stream.classes[i] = self._value_classes[kind]
            else:
                after = texts[i + 1] if i + 1 < len(texts) else None
                if after is not None and self.kind(after) is not None:
                    after = None  # a value never ends a label
                stream.classes[i] = self._label_classes(texts[i], after)
        return stream.classes[i]

    def _classes_of_label(self, text: str, after: str | None) -> Classes:
        """:meth:`classify` for a cell that is no value, followed by ``after`` (None: by a value or nothing)."""
        folded = self._fold(text)
        joined = self.matcher.exact(folded + self._fold(after)) if after is not None else []
        single = self._match(folded) or [UNKNOWN]
        own = [(name, 1) for name in single]
        if self.matcher.exact(folded):
            return _classes(own + [(name, 2) for name in joined if name not in single])
        # The first cell is only a tolerant reading (cut off, glued): the exact join comes first, even of the same
        # label — "一、本年新收政府" / "信息公开申请数量" is one label, and its second half alone is no row of its own.
        return _classes([(name, 2) for name in joined] + own)

    def fill(self, stream: _Stream) -> frozenset[int]:
        """The stream's trailing fill (:func:`_trailing`): empty and not-applicable cells that end their rows."""
        if stream.fill is None:
            stream.fill = _trailing(stream.cells, self.kind)
        return stream.fill

    def automaton(self, conf: Any) -> lalr.Stacks:
        """The stack automaton of the parse table ``conf`` (a Lark ``ParseConf``) of this lexer's parser — one
        parser, one table: built on the first call, then grown and remembered across parses."""
        if self._automaton is None:
            self._automaton = lalr.Stacks(conf)
        return self._automaton

    def names(self, parser_state: Any, bare_name: str) -> list[str]:
        """The grammar's names for a bare terminal name (table_common.lark's are namespaced when imported)."""
        return self.all_names(parser_state.parse_conf).get(bare_name, [])

    def all_names(self, conf: Any) -> dict[str, list[str]]:
        """:meth:`names` of every bare terminal name, from the parse table ``conf``."""
        if not self._names:
            for actions in conf.parse_table.states.values():
                for name in actions:
                    if bare(name).isupper() and name != "$END":
                        # Plain strings: some of Lark's names are Tokens, slow to compare and to take apart
                        # (every token's type is one of these).
                        names = self._names.setdefault(bare(name), [])
                        if name not in names:
                            names.append(str(name))
        return self._names

    def lex(self, lexer_state: LexerState, parser_state: Any) -> Iterator[Token]:
        stream: _Stream = lexer_state.text  # type: ignore[assignment]
        cells = stream.cells
        while stream.pos < len(cells):
            i = stream.pos
            classes = self.classify(stream, i)
            kind = classes.names[0]
            width = 1
            if stream.orphaned:
                if kind in VALUES:
                    if kind == "EMPTY":
                        stream.dropped.add(i)
                    else:
                        line, column = cells.lines[i], cells.columns[i]
                        stream.skipped.append(Token(kind, cells.texts[i], i, line, column, end_pos=i + 1))
                    stream.pos += 1
                    continue
                stream.orphaned = False
            if kind in VALUES and cells.row_starts[i] and _mid_row(parser_state):
                gap = self._first(parser_state, ["GAP"])
                if gap is not None:  # the form shows a new row: the row before lacks values
                    yield Token(gap[1], "", start_pos=-1, line=cells.lines[i], column=cells.columns[i], end_pos=-1)
                    continue
            if kind in _FILL and i in self.fill(stream):
                # Fill its row ends with: dropped after a complete row; where the row still wants a value, a merged
                # place is a value it lost (GAP), a "-" a value not applicable (see _trailing).
                gap = self._first(parser_state, ["GAP"]) if _mid_row(parser_state) else None
                if gap is None or kind == "EMPTY":
                    stream.pos += 1
                    if gap is None:
                        stream.dropped.add(i)
                    else:
                        yield Token(gap[1], "", start_pos=-1, line=cells.lines[i], column=cells.columns[i], end_pos=-1)
                    continue
            if kind == "EMPTY":
                empty = self._first(parser_state, ["EMPTY"]) if _mid_row(parser_state) else None
                if empty is None:
                    stream.dropped.add(i)
                    stream.pos += 1
                    continue
                name = empty[1]
            else:
                fitting = self._first(parser_state, classes.names)
                if fitting is None:  # nothing fits here: the error handler decides
                    chosen, name = kind, (self.names(parser_state, kind) or [kind])[0]
                else:
                    chosen, name = fitting
                width = classes.widths[classes.names.index(chosen)]
                if classes.joins_over_label(chosen):
                    stream.diagnostics.append(_joined(cells, i))
            stream.pos += width
            line, column = cells.lines[i], cells.columns[i]
            token = Token(name, cells.texts[i], start_pos=i, line=line, column=column, end_pos=i + width)
            lexer_state.last_token = token
            yield token

    def _first(self, parser_state: Any, candidates: Sequence[str]) -> tuple[str, str] | None:
        """The first candidate the parser takes next, with its name in the grammar (asked of the stack automaton,
        which remembers the answer for the parser's state stack)."""
        stacks = self.automaton(parser_state.parse_conf)
        number = stacks.number(parser_state.state_stack)
        for candidate in candidates:
            for name in self.names(parser_state, candidate):
                if stacks.take_one(number, name) is not None:
                    return candidate, name
        return None


def _classes(pairs: list[tuple[str, int]]) -> Classes:
    return Classes(tuple(n for n, _ in pairs), tuple(w for _, w in pairs))


def _read_well_formed(stacks: lalr.Stacks, lexer: CellLexer, stream: _Stream) -> list[_Row] | None:
    """The value rows of a stream whose every cell fits where it stands, or None at the first cell that does not.

    The same choices as :meth:`CellLexer.lex` fed to Lark's parser, made on the parse table's stack automaton
    (:class:`lalr.Stacks`): most tables are well formed, and they need neither Lark's lexer interface nor its error
    machinery, nor a tree — where each value goes is read off the parser's stack (:func:`_placement`).  Where a
    cell does not fit, the caller parses again with the recovery (:class:`_Recovery`).
    """
    names = lexer.all_names(stacks.conf)
    grammar_names = lexer.grammar_names
    continuing = _continuing(stacks)
    gaps, empties = tuple(names.get("GAP", ())), tuple(names.get("EMPTY", ()))
    # A value cell is its kind's terminal whatever its neighbours (classify), so most cells need no classes.
    value_names = {kind: tuple(names.get(kind, ())) for kind in ("NUMBER", "NA", "ODD")}
    kind_of = lexer.kind
    placements = _placements(lexer.template)
    rows: list[_Row] = []
    label = -1  # the cell of the row label taken last
    number = stacks.start
    last = ""  # the terminal taken last (see _mid_row)
    cells = stream.cells
    texts, row_starts = cells.texts, cells.row_starts
    i = 0
    while i < len(texts):
        kind = kind_of(texts[i])
        width = 1
        mid_row = last in continuing
        if kind is not None and row_starts[i] and mid_row:
            step = stacks.take(number, gaps)
            if step is not None:  # the form shows a new row: the row before lacks values
                last, number = step.terminal, step.number
                _add_value(rows, label, placements.get(number) or _placement(stacks, lexer.template, number), -1)
                continue
        if kind in _FILL and i in lexer.fill(stream):  # as CellLexer.lex: dropped, or a merged place a GAP
            step = stacks.take(number, gaps) if mid_row else None
            if step is None or kind == "EMPTY":
                i += 1
                if step is None:
                    stream.dropped.add(i - 1)
                else:
                    last, number = step.terminal, step.number
                    _add_value(rows, label, placements.get(number) or _placement(stacks, lexer.template, number), -1)
                continue
        if kind == "EMPTY":
            step = stacks.take(number, empties) if mid_row else None
            if step is None:
                stream.dropped.add(i)
                i += 1
                continue
        elif kind is not None:
            step = stacks.take(number, value_names[kind])
            if step is None:
                return None
        else:
            classes = lexer.classify(stream, i)
            if classes not in grammar_names:
                widths_of: dict[str, int] = {}
                for c, w in zip(classes.names, classes.widths, strict=True):
                    for n in names.get(c, ()):
                        widths_of.setdefault(n, w)  # a label offered joined and alone: the first offer decides
                grammar_names[classes] = (tuple(n for c in classes.names for n in names.get(c, ())), widths_of)
            ordered, widths = grammar_names[classes]
            step = stacks.take(number, ordered)
            if step is None:
                return None
            width = widths[step.terminal]
            if width == 2 and classes.joins_over_label(bare(step.terminal)):
                stream.diagnostics.append(_joined(cells, i))
        last, number = step.terminal, step.number
        if kind is not None:
            _add_value(rows, label, placements.get(number) or _placement(stacks, lexer.template, number), i)
        elif last in continuing:  # a row label (the only label after which a value continues a row)
            label = i
        i += width
    if stacks.take(number, (lalr.END,)) is None:
        return None
    return rows


class _Row(NamedTuple):
    """A unit of values as the fast path reads it: where it goes, its label's cell, its values' cells (-1: a GAP)."""

    place: _Placement
    label: int | None
    cells: list[int]


def _add_value(rows: list[_Row], label: int, place: _Placement, cell: int) -> None:
    """Put the value in ``cell`` (-1: a GAP) into its row, which its first value opens."""
    if place.at == 0:
        rows.append(_Row(place, label if place.labelled else None, []))
    rows[-1].cells.append(cell)


class _Placement(NamedTuple):
    """Where a value just taken stands: its unit (scope, columns, labelled by a row label) and its place in it."""

    scope: str
    columns: tuple[_Column, ...]
    labelled: bool
    at: int


@grammars.derived
def _placements(template: str) -> dict[int, _Placement]:
    """:func:`_placement` of each stack of ``template``'s automaton reached so far."""
    return {}


def _placement(stacks: lalr.Stacks, template: str, number: int) -> _Placement:
    """Where the value on top of stack ``number`` goes, read off the symbols of the stack, as the tree would say
    (:func:`_units`): below it, the values its row took so far, and below those the row's label — whose key says
    the table (and the nearest item heading, the item of table 1) — or, for the reviews' fifteen values, their
    header.  Worked out once per stack: the stacks are the grammar's, not the text's."""
    symbols = [_symbols(stacks)[state] for state in stacks.stack(number)[1:]]
    value_rules = _value_rules(template)
    j = len(symbols) - 2
    while symbols[j] in value_rules:
        j -= 1
    at = len(symbols) - 2 - j
    head = bare(symbols[j])
    keys = _keys(template)
    if head in keys.item_rows:
        item = next(keys.items[bare(s)] for s in reversed(symbols[:j]) if bare(s) in keys.items)
        scope, label = f"active_disclosure/{item}", head
    elif head in keys.app_rows:
        scope, label = "applications", head
    elif head == "review_head":
        scope, label = "reviews", None
    else:
        raise GrammarError(f"a value after {symbols[j]}: neither a row label nor the reviews' header")
    place = _Placement(scope, _columns(template, scope, label), label is not None, at)
    _placements(template)[number] = place
    return place


@grammars.derived
def _symbols(stacks: lalr.Stacks) -> dict[Any, str]:
    return lalr.accessing_symbols(stacks.conf)


@grammars.derived
def _value_rules(template: str) -> frozenset[str]:
    """The rules of ``template``'s grammar that stand for one value cell (``_value``)."""
    expansions: dict[str, list[Sequence[Any]]] = {}
    for rule in parser(template).rules:
        expansions.setdefault(rule.origin.name, []).append(rule.expansion)
    return frozenset(
        name
        for name, options in expansions.items()
        if all(len(e) == 1 and e[0].is_term and bare(e[0].name) in VALUES for e in options)
    )


@grammars.derived
def _stacks(template: str) -> lalr.Stacks:
    """The stack automaton of ``template``'s parser (its parse table and tree callbacks), shared with its lexer."""
    frontend = parser(template).parser.parser.parser
    return _lexer(template).automaton(ParseConf(frontend.parse_table, frontend.callbacks, "start"))


def _lexer(template: str) -> CellLexer:
    """The cell lexer of ``template``'s parser."""
    lexer = parser(template).parser.lexer
    lexer = getattr(lexer, "lexer", lexer)
    assert isinstance(lexer, CellLexer)
    return lexer


@grammars.derived
def _continuing(stacks: lalr.Stacks) -> frozenset[str]:
    """The terminals after which a value continues a row: a row label or a value (see :func:`_mid_row`)."""
    names = [n for state in stacks.conf.states.values() for n in state if _labels(n) and n != lalr.END]
    return frozenset(str(n) for n in names if bare(n) in VALUES or bare(n).startswith("ROW_"))  # str: see all_names


def _labels(name: str) -> bool:
    """Terminal names, also namespaced ones (Lark's own test, ``name.isupper()``, refuses ``table_common__NA``)."""
    return bare(name).isupper()


def _mid_row(parser_state: Any) -> bool:
    """Whether the last token taken is a row label or a value, so that a value now continues that row."""
    top = parser_state.value_stack[-1] if parser_state.value_stack else None
    return isinstance(top, Token) and (bare(top.type) in VALUES or bare(top.type).startswith("ROW_"))


@functools.cache
def lexer_class(template: str) -> type[CellLexer]:
    """The cell lexer of ``template`` (``"2019"``, ``"2021"``), for a parser of its grammar."""
    return type(f"CellLexer{template}", (CellLexer,), {"template": template})


def lexer_input(cells: Sequence[Cell]) -> Any:
    """What :class:`CellLexer` reads in place of a string: ``cells`` as one stream, with the lexer's state."""
    return _Stream(Cells.of(cells))


@grammars.derived
def _spans(template: str) -> dict[str, tuple[int, int]]:
    """Where each terminal stands in the form: first and last index in a walk of the grammar in written order.

    The tables are one fixed sequence, so these places order the labels the parser can take at any point; the
    recovery uses them to walk forward (see :func:`_search`).
    """
    lark = parser(template)
    rules: dict[str, list[Sequence[Any]]] = {}
    for rule in lark.rules:
        rules.setdefault(rule.origin.name, []).append(rule.expansion)
    spans: dict[str, tuple[int, int]] = {}
    seen: set[str] = set()
    counter = itertools.count()

    def walk(name: str) -> None:
        seen.add(name)
        for expansion in rules.get(name, []):
            for sym in expansion:
                if sym.is_term:
                    at = next(counter)
                    spans[sym.name] = (spans.get(sym.name, (at, at))[0], at)
                elif sym.name not in seen:
                    walk(sym.name)

    walk("start")
    return spans


@grammars.derived
def parser(template: str) -> Lark:
    """The LALR parser of ``template``'s tables (built once), after checking every label terminal has a label."""
    lark = grammars.load(GRAMMARS[template], lexer=lexer_class(template))
    used = {bare(sym.name) for rule in lark.rules for sym in rule.expansion if sym.is_term}
    unlabelled = sorted(used - VALUES - set(_keys(template).labels))
    if unlabelled:
        raise GrammarError(f"terminals without a label in schema.py: {unlabelled}", source=GRAMMARS[template])
    return lark


# --- error recovery --------------------------------------------------------------------------------------------------


class _Recovery:
    """Lark ``on_error`` handler: skip cells that fit nowhere, supply what is missing before a label that fits later."""

    def __init__(self, stream: _Stream, lexer: CellLexer) -> None:
        self.stream = stream
        self.lexer = lexer

    def __call__(self, error: UnexpectedInput) -> bool:
        if not isinstance(error, UnexpectedToken) or error.interactive_parser is None:
            return False
        ip: InteractiveParser = error.interactive_parser
        token: Token = error.token
        if token.type != "$END" and _index(token) < 0:
            return False  # the lexer makes GAP only where the parser takes it
        if token.type == "$END":
            found = _search(ip, ["$END"], token, self.lexer)
            if found is None:
                return False
            self._missing(found[0], token, "the table ends early")
            for synthetic in found[0]:
                ip.feed_token(synthetic)
            return True
        candidates = self.lexer.classify(self.stream, _index(token)).taking(token)
        if candidates[0] in VALUES or candidates[0] == UNKNOWN:
            self._skip(token, ip)
            return True
        if self._intruder(token, ip):
            self._skip(token, ip)
            return True
        names = [n for c in candidates for n in self.lexer.names(ip.parser_state, c)]
        found = _search(ip, names, token, self.lexer)
        if found is None:
            self._skip(token, ip)
            return True
        path, name = found
        if self._reordered(path, name):
            self.stream.disagreeing.append(token)
        self._missing(path, token, f"before {token.value!r}")
        for synthetic in path:
            ip.feed_token(synthetic)
        ip.feed_token(Token.new_borrow_pos(name, token.value, token))
        return True

    def _reordered(self, path: list[Token], name: str) -> bool:
        """Whether the walk to the group label ``name`` supplies column labels: the header writes this group before
        columns that the form puts before it (行政诉讼's groups before 行政复议's columns), another order of groups,
        so placing the values by the form's order would put them under the wrong groups.  (A column label lost
        from a header only makes the walk supply it before the next column, which is no group.)"""
        return bare(name).startswith(_GROUP_LABELS) and any(bare(t.type).startswith(_COLUMN_LABELS) for t in path)

    def _intruder(self, token: Token, ip: InteractiveParser) -> bool:
        """Whether the next label after ``token`` (and its values) fits here: then ``token`` heads cells that do
        not belong (a stray or repeated row), and jumping ahead to where it would fit would lose real rows."""
        i = _cells(token)[-1] + 1
        while i < len(self.stream.cells):
            candidates = self.lexer.classify(self.stream, i).names
            if candidates[0] not in VALUES:
                names = [n for c in candidates for n in self.lexer.names(ip.parser_state, c)]
                stacks = self.lexer.automaton(ip.parser_state.parse_conf)
                number = stacks.number(ip.parser_state.state_stack)
                return any(stacks.take_one(number, n) is not None for n in names)
            i += 1
        return False

    def _skip(self, token: Token, ip: InteractiveParser) -> None:
        """Skip a cell; note it if it stands against a header: a column label out of the form's place says the
        columns are printed in another order.  Text the lexer does not know (a garbled, generic or agency-worded
        header cell: ``列1``, ``科 研 机``) says nothing about the order, so it is only reported as unmatched: the
        header is advisory, the rows' labels and the form's column order place the values."""
        self.stream.skipped.append(token)
        candidates = self.lexer.classify(self.stream, _index(token)).taking(token)
        if candidates[0] not in VALUES and not _fragment(candidates, ip):
            # A label that cannot stand here heads values of its own; so does unknown Chinese text after a complete
            # row (inside a row it may be debris between the row's values: "3.其他" / "结果" / 0 …).
            known = candidates != (UNKNOWN,)
            self.stream.orphaned = known or (
                _CJK.search(str(token.value)) is not None and not _mid_row(ip.parser_state)
            )
        if candidates == (UNKNOWN,):
            # A column of the other template (本年新制作数量 in a 2021 table) is no garble: another form's order.
            candidates = tuple(_other_columns(self.lexer.template).match(fold(str(token.value))))
            if _YUAN.search(str(token.value)) and _in_header(ip):  # the form's amounts are in 万元: another unit
                self.stream.disagreeing.append(token)
                return
        if any(c.startswith(_COLUMN_LABELS) for c in candidates) and _in_header(ip) and not _fragment(candidates, ip):
            self.stream.disagreeing.append(token)

    def _missing(self, path: list[Token], at: Token, where: str) -> None:
        labels = [_label_text(self.lexer.template, t.type) for t in path if bare(t.type) not in VALUES]
        if not labels and all(bare(t.type) == "GAP" for t in path):
            return  # only values missing: the row reports itself as short
        shown = ", ".join(labels[:8]) + (f" and {len(labels) - 8} more" if len(labels) > 8 else "")
        self.stream.diagnostics.append(
            Diagnostic("table.missing", f"{where}: missing {shown}", at.line, at.column, str(at.value))
        )


@functools.cache
def _other_columns(template: str) -> _Matcher:
    """The column labels of the templates other than ``template``, matched as the lexer matches its own."""
    labels = {
        name: texts
        for other in schema.TEMPLATES
        if other != template
        for name, texts in _keys(other).labels.items()
        if name.startswith(_COLUMN_LABELS) and name not in _keys(template).labels
    }
    return _Matcher(labels)


def _fragment(candidates: tuple[str, ...], ip: InteractiveParser) -> bool:
    """Whether a skipped header cell is the rest of the column label taken just before it (a header cell whose line
    break the extraction turned into a cell break: "本年新" / "制作数量"): it is no column out of place."""
    stack = ip.parser_state.value_stack
    top = stack[-1] if stack else None
    return isinstance(top, Token) and bare(top.type) in candidates


def _in_header(ip: InteractiveParser) -> bool:
    """Whether the parser is reading a header: it last took a heading or column label and a column may follow."""
    state = ip.parser_state
    top = state.value_stack[-1] if state.value_stack else None
    if not (isinstance(top, Token) and bare(top.type).startswith(_IN_HEADER)):
        return False
    return any(bare(name).startswith(_COLUMN_LABELS) for name in state.parse_conf.states[state.position])


def _joined(cells: Cells, i: int) -> Diagnostic:
    first, second = cells.cell(i), cells.cell(i + 1)
    return Diagnostic(
        "table.joined_cells",
        f"{first.text!r} ({first.line}:{first.column}) is a label by itself, but here the form wants the label it "
        f"makes with the next cell {second.text!r} ({second.line}:{second.column}): read as one label",
        first.line,
        first.column,
        f"{first.text} | {second.text}",
    )


def _label_text(template: str, name: str) -> str:
    return _keys(template).labels.get(bare(name), (bare(name),))[0]


def _search(
    ip: InteractiveParser, targets: Sequence[str], at: Token, lexer: CellLexer
) -> tuple[list[Token], str] | None:
    """The synthetic tokens that bring the parser, by the shortest way through the form, to take one of ``targets``.

    The form is one fixed sequence, so the way is walked, not searched: a missing value is a ``GAP`` (so that its
    row reports itself); of the labels the parser can take, the one furthest on (:func:`_spans`) that does not pass the
    targets is supplied, which leaves out optional headings.  None when the targets cannot come any more.
    Synthetic tokens have ``start_pos`` -1.
    """
    spans = _spans(lexer.template)
    ends = [spans[t][1] for t in targets if t in spans]
    horizon = max(ends) if ends else math.inf  # $END lies past the whole form
    # Walk the stack automaton from the parser's state stack: no parser copy, no trees built (lalr.py).
    stacks = lexer.automaton(ip.parser_state.parse_conf)
    number = stacks.number(ip.parser_state.state_stack)
    path: list[Token] = []
    while len(path) < _MAX_PATH:
        accepts = stacks.accepts(number, _labels)
        for target in targets:
            if target in accepts:
                return path, target
        gaps = [n for n in accepts if bare(n) == "GAP"]
        labels = [n for n in accepts if n in spans and bare(n) not in VALUES and spans[n][0] <= horizon]
        if not gaps and not labels:
            return None
        name = gaps[0] if gaps else max(labels, key=lambda n: spans[n][0])
        synthetic = Token(name, "", start_pos=-1, line=at.line, column=at.column, end_pos=-1)
        step = stacks.take_one(number, name)
        assert step is not None  # name is one the stack accepts
        number = step.number
        path.append(synthetic)
    return None


# --- from the tree to the tables -------------------------------------------------------------------------------------


class _Column(NamedTuple):
    """Where a value of a unit goes: its key in the table, its path, and how its cell is read."""

    key: tuple[str, ...]  # (item, row, column) in table 1, (row, column) or (group, column) in tables 2 and 3
    path: str  # applications/granted/natural_person
    amount: bool  # a decimal number of 万元, not a count
    signed: bool  # may be negative
    row: tuple[str, ...]  # the key without its column: the row's place in the table


@attrs.define
class _Unit:
    """A row of values as the grammar placed them (a labelled row, or the fifteen values of the reviews table)."""

    scope: str
    columns: Sequence[_Column]
    label: Token | None
    values: list[Token]
    dropped: bool = False

    def name(self) -> str:
        """``applications/withheld.state_secret``, ``active_disclosure/art20_1/rules``, or ``reviews``."""
        return _unit_name(self.scope, self.columns, self.label is not None)


def _unit_name(scope: str, columns: Sequence[_Column], labelled: bool) -> str:
    """:meth:`_Unit.name` of a unit in ``scope`` with ``columns``, labelled by a row label or not (the reviews)."""
    if not labelled:
        return scope
    return "/".join((scope.partition("/")[0], *columns[0].key[:-1]))


def _flatten(tree: Tree[Token]) -> Iterator[Token | Tree[Token]]:
    """Tokens and value-holding subtrees (rows, the reviews' values) of ``tree``, in document order."""
    for child in tree.children:
        if isinstance(child, Token) or bare(str(child.data)) in ("row", "review_values"):
            yield child
        else:
            yield from _flatten(child)


def _units(tree: Tree[Token], template: str, scopes: dict[int, str] | None) -> list[_Unit]:
    """The value units of the parse tree; the scope (table, or item of table 1) of every cell placed is noted in
    ``scopes`` (None: not wanted)."""
    keys = _keys(template)
    units: list[_Unit] = []
    for table in tree.children:
        if not isinstance(table, Tree):
            continue
        kind = bare(str(table.data))
        scope = kind
        for part in _flatten(table):
            if isinstance(part, Token):
                if bare(part.type) in keys.items:
                    scope = f"{kind}/{keys.items[bare(part.type)]}"
                if scopes is not None:
                    _mark(scopes, part, scope)
                continue
            tokens = [t for t in part.children if isinstance(t, Token)]
            if kind == "reviews":
                label, values = None, tokens
            else:
                label, values = tokens[0], tokens[1:]
            columns = _columns(template, scope, None if label is None else bare(label.type))
            if len(columns) != len(values):
                raise GrammarError(f"{scope}: the grammar gives {len(values)} values for {len(columns)} columns")
            if scopes is not None:
                for t in tokens:
                    _mark(scopes, t, scope)
            units.append(_Unit(scope, columns, label, values))
    return units


@functools.cache
def _columns(template: str, scope: str, label: str | None) -> tuple[_Column, ...]:
    """The columns of the values of the row ``label`` (None: the reviews' values) in ``scope``, in order."""
    kind, _, item = scope.partition("/")
    keys: list[tuple[str, ...]]
    if kind == "reviews":
        keys = [(g, c) for g, _ in schema.REVIEW_GROUPS for c, _ in schema.REVIEW_COLUMNS]
    elif kind == "applications":
        assert label is not None
        keys = [(_keys(template).app_rows[label], c) for c in schema.applicant_column_keys()]
    else:
        assert label is not None
        row = _keys(template).item_rows[label]
        keys = [(item, row, c) for c, _ in schema.ACTIVE_DISCLOSURE[template][item][1]]
    return tuple(
        _Column(
            key,
            "/".join((kind, *key)),
            (key[0], key[-1]) in schema.AMOUNT_COLUMNS,
            key[-1] in schema.SIGNED_COLUMNS,
            key[:-1],
        )
        for key in keys
    )


def _mark(scopes: dict[int, str], token: Token, scope: str) -> None:
    for i in _cells(token):
        scopes[i] = scope


def _index(token: Token) -> int:
    """The index of a token's (first) cell in the stream; -1 for a synthetic token."""
    return -1 if token.start_pos is None else token.start_pos


def _cells(token: Token) -> range:
    """The indices of the cells a token was made from (none for a synthetic token)."""
    start = _index(token)
    return (
        range(start, token.end_pos if start >= 0 and token.end_pos is not None else start + 1)
        if start >= 0
        else range(0)
    )


def _where(token: Token) -> str:
    return _where_at(str(token.value), token.line, token.column)


def _where_at(text: str, line: int | None, column: int | None) -> str:
    return f"{text!r} ({line}:{column})"


class _Mapping:
    """Turns the placed units into Values, leaving out and reporting every row that is not certain."""

    def __init__(self, template: str, lexer: CellLexer, stream: _Stream) -> None:
        self.template = template
        self.lexer = lexer
        self.stream = stream
        self.diagnostics: list[Diagnostic] = []
        self.unreadable: list[Unreadable] = []  # value cells not placed for their text alone (see repair.py)
        self.short: list[ShortRow] = []  # rows of tables 2 and 3 that showed fewer values than their columns

    def run(self, tree: Tree[Token]) -> Tables:
        scopes: dict[int, str] | None = {} if self.stream.disagreeing else None  # wanted by _check_headers alone
        units = _units(tree, self.template, scopes)
        if self.stream.skipped or self.stream.disagreeing:  # the checks are about cells the recovery skipped or met
            self._report_skipped()
            self._check_extra_values(units)
            if scopes is not None:
                self._check_headers(units, scopes)
            self._check_repeated_rows(units)
        return self.place(units)

    def place(self, units: list[_Unit]) -> Tables:
        """The tables holding the values of the units not dropped."""
        tables = Tables()
        for unit in units:
            if not unit.dropped:
                self._place(unit, tables)
        return tables

    def _report_skipped(self) -> None:
        """One diagnostic per run of cells the recovery skipped."""
        runs: list[list[Token]] = []
        last = -2
        for token in self.stream.skipped:
            if runs and all(i in self.stream.dropped for i in range(last + 1, _index(token))):
                runs[-1].append(token)
            else:
                runs.append([token])
            last = _cells(token)[-1]
        for run in runs:
            shown = ", ".join(_where(t) for t in run[:6]) + (f" and {len(run) - 6} more" if len(run) > 6 else "")
            self.diagnostics.append(
                Diagnostic(
                    "table.unmatched_cell",
                    f"{len(run)} cell(s) fit no place of the {self.template} table form: {shown}",
                    run[0].line,
                    run[0].column,
                    " | ".join(str(t.value) for t in run),
                )
            )

    def _check_extra_values(self, units: list[_Unit]) -> None:
        """A value skipped right after a complete row means that row had more values than columns."""
        by_cell = {i: u for u in units for t in [*([u.label] if u.label else []), *u.values] for i in _cells(t)}
        skipped = {_index(t) for t in self.stream.skipped}
        for token in self.stream.skipped:
            if not self._is_value(_index(token)):
                continue
            j = _index(token) - 1
            while j in self.stream.dropped or (j in skipped and self._is_value(j)):
                j -= 1
            unit = by_cell.get(j)
            if unit is not None and not unit.dropped:
                unit.dropped = True
                self.diagnostics.append(
                    Diagnostic(
                        "table.extra_value",
                        f"{unit.name()} has more values than its {len(unit.columns)} columns ({_where(token)}): "
                        "its values are not placed",
                        token.line,
                        token.column,
                        str(token.value),
                    )
                )

    def _check_repeated_rows(self, units: list[_Unit]) -> None:
        """A skipped row whose label names a placed row, with other values: which of the two is right is not
        certain, so the placed one is left out too."""
        placed = {bare(u.label.type): u for u in units if u.label is not None and _index(u.label) >= 0}
        skipped = self.stream.skipped
        for n, token in enumerate(skipped):
            candidates = self.lexer.classify(self.stream, _index(token)).taking(token)
            unit = next((placed[c] for c in candidates if c in placed), None)
            if unit is None or unit.dropped:
                continue
            values: list[Token] = []
            # Not skipped[n + 1 :]: a copy of the rest for every skipped label is quadratic in the table's length.
            for later in (skipped[m] for m in range(n + 1, len(skipped))):
                gap = range(_cells(values[-1] if values else token)[-1] + 1, _index(later))
                if not self._is_value(_index(later)) or any(i not in self.stream.dropped for i in gap):
                    break
                values.append(later)
            if [str(v.value) for v in values] != [str(v.value) for v in unit.values]:
                unit.dropped = True
                self.diagnostics.append(
                    Diagnostic(
                        "table.repeated_row",
                        f"{unit.name()} is written twice with different values ({_where(unit.values[0])} and "
                        f"{_where(token)}): neither is placed",
                        token.line,
                        token.column,
                        " | ".join(str(t.value) for t in [token, *values]),
                    )
                )

    def _is_value(self, i: int) -> bool:
        return self.lexer.classify(self.stream, i).names[0] in VALUES

    def _check_headers(self, units: list[_Unit], scopes: dict[int, str]) -> None:
        """A column label that fits nowhere in the header: the columns are printed in another order than the form's,
        so no value under that header is placed by the form's order."""
        for token in self.stream.disagreeing:
            before = [i for i in scopes if i < _index(token)]
            after = [i for i in scopes if i > _index(token)]
            if not before and not after:
                continue
            scope = scopes[max(before)] if before else scopes[min(after)]
            hit = [u for u in units if u.scope == scope and not u.dropped]
            for unit in hit:
                unit.dropped = True
            self.diagnostics.append(
                Diagnostic(
                    "table.header_mismatch",
                    f"the header of {scope} has {_where(token)} out of the form's place: "
                    f"{len(hit)} row(s) of values are not placed",
                    token.line,
                    token.column,
                    str(token.value),
                )
            )

    def _note_short(
        self,
        scope: str,
        columns: Sequence[_Column],
        real: list[tuple[str, int | None, int | None]],
        line: int,
        col: int,
    ) -> None:
        """Keep a short row of table 2 or 3 for :meth:`repaired`, when every value it shows reads for certain."""
        table = scope.partition("/")[0]
        if table == "active_disclosure":
            return  # no identity ties table 1's cells
        readings = [self.lexer.read(text, False, False) for text, _, _ in real]
        if all(r.certain for r in readings):
            keys = tuple((c.key[0], c.key[1]) for c in columns)
            values = tuple((r.value, t, line or 0, col or 0) for r, (t, line, col) in zip(readings, real, strict=True))
            self.short.append(ShortRow(table, keys, values, line, col))

    def repaired(self, tables: Tables) -> tuple[Tables, list[Diagnostic]]:
        """``tables`` with what the identities settle (:mod:`xxgk.tables.repair`) — short rows with exactly one
        placement that satisfies them, unreadable cells that an identity and their text agree on — and every diagnostic
        of the read: a row or cell placed so is reported as such, no longer as short or unreadable."""
        diagnostics = [*self.stream.diagnostics, *self.diagnostics]
        placed = [d for short in self.short if (d := place_short_row(tables, self.template, short)) is not None]
        placed += repair(tables, self.template, self.unreadable)
        if placed:
            where = {(d.line, d.column) for d in placed}
            replaced = ("value.unreadable", "table.short_row")
            diagnostics = [d for d in diagnostics if d.kind not in replaced or (d.line, d.column) not in where]
        return tables, diagnostics + placed

    def place_rows(self, rows: list[_Row]) -> Tables:
        """The tables holding the values of the fast path's rows."""
        tables = Tables()
        cells = self.stream.cells
        texts, lines, columns = cells.texts, cells.lines, cells.columns
        for place, label, indices in rows:
            self._place_values(
                tables,
                place.scope,
                place.columns,
                place.labelled,
                None if label is None else (lines[label], columns[label]),
                [(texts[i], lines[i], columns[i]) if i >= 0 else None for i in indices],
            )
        return tables

    def _place(self, unit: _Unit, tables: Tables) -> None:
        label = unit.label if unit.label is not None and _index(unit.label) >= 0 else None
        self._place_values(
            tables,
            unit.scope,
            unit.columns,
            unit.label is not None,
            None if label is None else (label.line, label.column),
            [None if bare(v.type) == "GAP" else (str(v.value), v.line, v.column) for v in unit.values],
        )

    def _place_values(
        self,
        tables: Tables,
        scope: str,
        columns: Sequence[_Column],
        labelled: bool,
        at: tuple[int | None, int | None] | None,
        values: list[tuple[str, int | None, int | None] | None],
    ) -> None:
        """Read a unit's values (text, line, column; None for a GAP) for their columns and store them, or, for a row
        with a GAP among real values, none of them; ``at`` is where its label stands (None: no label in the text)."""
        gaps = values.count(None)
        if gaps:
            if gaps < len(values):  # all gaps: a missing row, reported by the recovery
                real = [v for v in values if v is not None]
                line, column = at if at is not None else real[0][1:]
                self._note_short(scope, columns, real, line or 0, column or 0)
                self.diagnostics.append(
                    Diagnostic(
                        "table.short_row",
                        f"{_unit_name(scope, columns, labelled)} has {len(real)} of its {len(values)} values "
                        f"({', '.join(_where_at(*v) for v in real[:8])}): which columns they belong to is not "
                        "certain, so none is placed",
                        line,
                        column,
                        " | ".join(v[0] for v in real),
                    )
                )
            return
        read = self.lexer.read
        rows: dict[tuple[str, ...], dict[str, Value]] = {}  # the rows this unit writes in (the reviews': three)
        for (key, path, amount, signed, row_key), value in zip(columns, values, strict=True):
            text, line, column = value  # type: ignore[misc]  # no GAP here: counted above
            reading = read(text, amount, signed)
            if reading.odd is not None:
                kind = "value.odd" if reading.certain else "value.unreadable"
                verdict = f"read as {reading.value}" if reading.certain else "not placed"
                self.diagnostics.append(Diagnostic(kind, f"{path}: {reading.odd}: {verdict}", line, column, text))
            if not reading.certain:
                cell = Unreadable(scope.partition("/")[0], row_key[0], key[-1], text, line or 0, column or 0)
                self.unreadable.append(cell)
            else:
                row = rows.get(row_key)
                if row is None:  # made where its first value is stored, so the tables keep the written order
                    row = rows[row_key] = _row(tables, scope, row_key)
                row[key[-1]] = Value(reading.value, line or 0, column or 0, text)


def _row(tables: Tables, scope: str, key: tuple[str, ...]) -> dict[str, Value]:
    """The row of ``tables`` at ``key`` — (item, row) in table 1, (row,) or (group,) in tables 2 and 3 — made if new."""
    table = scope.partition("/")[0]
    if table == "active_disclosure":
        item, row = key
        items: ItemTable = tables.active_disclosure
        return items.setdefault(item, {}).setdefault(row, {})
    keyed: KeyedTable = tables.applications if table == "applications" else tables.reviews
    return keyed.setdefault(key[0], {})


# --- the stage -----------------------------------------------------------------------------------------------------


def read_tables(blocks: Sequence[Cells], template: str | None) -> tuple[Tables, list[Diagnostic]]:
    """Map the cells of table blocks onto the statutory tables of ``template`` (``"2019"`` or ``"2021"``).

    The blocks are read as one stream, in document order (each block starts a row), and the grammar decides which
    cells belong to which table, so a table split over blocks or a block holding two tables reads the same.
    Which section a block stands in is not needed for that.  What cannot be placed for certain is left out and
    reported.
    """
    if template not in GRAMMARS:
        return Tables(), []
    return read_cell_stream(Cells.joined(blocks), template)


def without_value_at(tables: Tables, line: int, column: int) -> tuple[Tables, list[Diagnostic]]:
    """``tables`` less the value read from the cell at ``line``:``column`` — the last cell of a text that ends inside a
    table with no line break after it, a number that may have been cut short (13 cut to 1)."""
    for rows in (*tables.active_disclosure.values(), tables.applications, tables.reviews):
        for key, row in rows.items():
            for column_key, value in list(row.items()):
                if (value.line, value.column) == (line, column):
                    del row[column_key]
                    message = f"{key}/{column_key}: the text ends inside this cell, which may be cut short: not placed"
                    return tables, [Diagnostic("table.cut_value", message, line, column, value.raw)]
    return tables, []


def read_cell_stream(cells: Cells | Sequence[Cell], template: str) -> tuple[Tables, list[Diagnostic]]:
    """Parse one stream of cells with the grammar of ``template`` into the keyed tables, with diagnostics."""
    if not isinstance(cells, Cells):
        cells = Cells.of(cells)
    lark = parser(template)
    stream = _Stream(cells)
    lexer = _lexer(template)
    rows = _read_well_formed(_stacks(template), lexer, stream)
    if rows is not None:
        mapping = _Mapping(template, lexer, stream)
        return mapping.repaired(mapping.place_rows(rows))
    stream = _Stream(cells, classes=stream.classes)
    try:
        tree = lark.parse(stream, on_error=_Recovery(stream, lexer))
    except UnexpectedInput as exc:
        last = len(cells) - 1
        return Tables(), [
            Diagnostic(
                "table.unparsed",
                f"the tables could not be read: {exc.__class__.__name__}",
                cells.lines[last] if cells else None,
                cells.columns[last] if cells else None,
            )
        ]
    mapping = _Mapping(template, lexer, stream)
    return mapping.repaired(mapping.run(tree))
