"""The recovery: Lark's ``on_error`` handler for a cell stream that does not fit the form where it stands.

It skips cells that fit nowhere and supplies what is missing before a label that fits later, walking the form
forward (the tables are one fixed sequence, :func:`xxgk.tables.grammar.spans`) — unless the walk would pass the
label written next, which makes the label that fits later the one out of place.  It never guesses: what it skips,
supplies, or meets out of the form's order is noted on the :class:`~xxgk.tables.cells.Stream`, for the checks
(:mod:`xxgk.tables.checks`) to report and leave out.
"""

from __future__ import annotations

import functools
import math
import re
from typing import Any, NamedTuple

from lark import Lark, Token
from lark.exceptions import UnexpectedInput, UnexpectedToken

from xxgk.engine import grammars, lalr
from xxgk.records import Diagnostic
from xxgk.tables import grammar
from xxgk.tables.cells import UNKNOWN, Stream, cells_of, index, is_terminal, mid_row
from xxgk.tables.form import COLUMN_LABELS, GROUP_LABELS, IN_HEADER, ROW_LABEL, bare, label_text
from xxgk.tables.labels import cjk, fold, numbered, other_columns
from xxgk.tables.tree import Parsed, parsed, units
from xxgk.tables.values import VALUES

# Bound of the way the recovery supplies past missing cells (a whole table is about 300 tokens).
_MAX_PATH = 400
# A header cell that puts its column in 元 ("采购总金额(单位:元)"), where the form's amounts are in 万元.
_YUAN = re.compile(r"单位\W{0,2}元")


class Recovery:
    """Lark ``on_error`` handler: skip cells that fit nowhere, supply what is missing before a label that fits later."""

    def __init__(self, stream: Stream, template: str) -> None:
        self.stream = stream
        self.lexer = grammar.lexer(template)
        self.template = template

    def parse(self, lark: Lark, *, reference: bool = False) -> Parsed:
        """The units of the stream by the template's grammar, this recovery the error handler: Lark's parse run on the
        stack automaton (:class:`lalr.Driver`), the units read off the stacks its shifts reached (:func:`parsed`), or
        with ``reference`` Lark's parser ``lark`` itself and its tree then transformed (for the differential test:
        both give the same units)."""
        if reference:
            return units(lark.parse(self.stream, on_error=self), self.template)
        lexer, stream, stacks = self.lexer, self.stream, grammar.stacks(self.template)
        return parsed(
            self.template,
            lalr.Driver(stacks, lambda driver: lexer.run(stream, stacks, driver)).parse(self.recover),
        )

    def __call__(self, error: UnexpectedInput) -> bool:
        """Lark's ``on_error``: :meth:`recover` from the token of an ``UnexpectedToken`` (nothing else)."""
        if not isinstance(error, UnexpectedToken) or error.interactive_parser is None:
            return False
        return self.recover(error.token, error.interactive_parser)

    def recover(self, token: Token, ip: Any) -> bool:
        """Go on past ``token``, which the parser ``ip`` (an interactive parser, or :class:`lalr.Driver`) does not
        take: True when the parser has been fed what makes it go on, False to let the error stand."""
        stacks = self.lexer.automaton(ip)
        number = stacks.number_of(ip)
        if token.type == "$END":
            way = _way(self.template, stacks, number, ("$END",))
            if way is None:
                return False
            self._missing(way, token, "the table ends early")
            _feed(ip, way, token)
            return True
        i = index(token)
        if i < 0:
            return False  # the lexer makes GAP only where the parser takes it
        candidates = self.lexer.classify(self.stream, i).taking(token)
        if candidates[0] in VALUES:
            self.stream.skipped.append(token)  # a value is no label: it heads nothing and says nothing of a header
            return True
        way = None if candidates[0] == UNKNOWN else self._way_to(token, stacks, number, candidates)
        if (
            way is None
            or self._intruder(token, stacks, number, way)
            or self._repeats_row(token)
            or self._passes_next(token, way)
        ):
            self._skip(token, _stack(self.template, stacks, number), candidates)
            return True
        if way.reordered:
            self.stream.disagreeing.append(token)
        self._missing(way, token, f"before {token.value!r}")
        _feed(ip, way, token)
        ip.feed_token(Token.new_borrow_pos(way.target, token.value, token))
        return True

    def _repeats_row(self, token: Token) -> bool:
        """Whether ``token`` is a row written again: a cell before it with the same text is a row's label, a number
        right after it.  A label that fits nowhere here but whose text another label shares later in the form
        ("(七)总计" and the reviews' 总计 column) is then that row repeated, not a jump to the later label: it is
        skipped, and the checks compare its values with the row's."""
        texts, text, at = self.stream.cells.texts, str(token.value), index(token)
        i = -1
        while True:
            try:
                i = texts.index(text, i + 1, at)
            except ValueError:
                return False
            if self.lexer.kind(texts[i + 1]) == "NUMBER":
                return True

    def _way_to(self, token: Token, stacks: lalr.Stacks, number: int, candidates: tuple[str, ...]) -> _Way | None:
        """The way from stack ``number`` to ``token``, which can be ``candidates``; None when it cannot come any
        more."""
        names = tuple(n for c in candidates for n in self.lexer.names(stacks, c))
        return _way(self.template, stacks, number, names)

    def _intruder(self, token: Token, stacks: lalr.Stacks, number: int, way: _Way) -> bool:
        """Whether the next label after ``token`` (and its values) fits here, for the parser with stack ``number``:
        then ``token`` heads cells that do not belong (a stray or repeated row), and jumping ahead to where it would
        fit (by ``way``) would lose real rows — unless ``token``, a row's label, stands right before that label and
        the only label ``way`` supplies is that label, a row's too: with no value between them either may be the
        debris (四、结转下年度继续办理, "总计", values, with (七)总计 lost), so the values are neither row's for
        certain; ``token`` is then taken by the way, which passes the label after it, and that label is skipped
        with the values (:meth:`_passes_next`): neither row is placed."""
        following = self._next_label(token, known=False)
        if following is None or self.lexer.first(stacks, number, following) is None:
            return False
        if self._heads_values(token):
            return True  # a stray row
        return not _swapped(way, following)

    def _passes_next(self, token: Token, way: _Way) -> bool:
        """Whether taking ``token`` by ``way`` would pass the next label written after it and its values
        (:attr:`_Way.passed`; text the lexer does not know is passed over, as it says nothing of the form): then
        ``token`` is debris that reads as a later label ("总计", or a value and "总计" run into one cell) amid the
        rows, or a row displaced from further on, and taking it would lose the rows from that next label on — a
        whole table or two for one stray word; it is skipped (with its values), and reported as every skip is.  A
        label right before another, when the only label the way supplies is that other (:func:`_swapped`), may as
        well be the one the values after both belong to, the other the debris: that is left to the way, which takes
        ``token`` and skips the label it passed, and neither row is placed."""
        candidates = self._next_label(token, known=True)
        if candidates is None or way.passed.isdisjoint(candidates):
            return False
        return self._heads_values(token) or not _swapped(way, candidates)

    def _heads_values(self, token: Token) -> bool:
        """Whether the cell right after ``token`` is a value."""
        after = cells_of(token)[-1] + 1
        return after < len(self.stream.cells.texts) and self.lexer.classify(self.stream, after).names[0] in VALUES

    def _next_label(self, token: Token, *, known: bool) -> tuple[str, ...] | None:
        """What the next cell after ``token`` that is no value (with ``known``: and not text the lexer does not
        know) can be; None when there is none."""
        i, end = cells_of(token)[-1] + 1, len(self.stream.cells.texts)
        while i < end:
            candidates = self.lexer.classify(self.stream, i).names
            if candidates[0] not in VALUES and not (known and candidates[0] == UNKNOWN):
                return candidates
            i += 1
        return None

    def _skip(self, token: Token, stack: _Stack, candidates: tuple[str, ...]) -> None:
        """Skip a cell that is no value, read where the parser's stack is ``stack``; note it if it stands against a
        header: a column label out of the form's place says the columns are printed in another order.  Text the
        lexer does not know (a garbled, generic or agency-worded header cell: ``列1``, ``科 研 机``) says nothing
        about the order, so it is only reported as unmatched: the header is advisory, the rows' labels and the
        form's column order place the values.  ``candidates``: what the token's cells can be
        (:meth:`Classes.taking`)."""
        self.stream.skipped.append(token)
        # A skipped header cell that is the rest of the column label taken just before it (a header cell whose line
        # break the extraction turned into a cell break: "本年新" / "制作数量") is no column out of place.
        fragment = stack.top is not None and stack.top in candidates
        if not fragment:
            # A label that cannot stand here heads values of its own; so does unknown Chinese text after a complete
            # row or where the form shows a new row (inside a row it may be debris between the row's values:
            # "3.其他" / "结果" / 0 …) — but numbered text right after a row's label, before its values, is a row of
            # its own that the form does not have, under the label (2021's "1.申请人无正当理由逾期不补正…" under
            # 2019's one (六)其他处理 row): the form numbers its rows, and the values after it are its own; and any
            # text right after a skipped cell, a label or its values (the row was broken off there: values after the
            # text would not follow on from the row's, whose label may be far back — the lexer ends the skipped
            # label's orphaned values at this cell, and this takes them on).
            known = candidates != (UNKNOWN,)
            i = index(token)
            text = str(token.value)
            broken = self._skipped_before(i)
            under = stack.top is not None and stack.top.startswith(ROW_LABEL) and numbered(text)
            opens = self.stream.cells.row_starts[i]
            in_row = stack.mid and not opens and not under
            # Where the form shows a new row while the row still wants values, any text heads the values printed
            # after it in that row ("|", "*", not Chinese alone): they are never the row's whose label came before.
            starts_row = opens and stack.mid
            self.stream.orphaned = known or broken or starts_row or (cjk().search(text) is not None and not in_row)
        if candidates == (UNKNOWN,):
            # A column of the other template (本年新制作数量 in a 2021 table) is no garble: another form's order.
            candidates = _other_columns(self.template, str(token.value))
            # The form's amounts are in 万元: a header in 元 is another unit.
            if stack.header and _YUAN.search(str(token.value)):
                self.stream.disagreeing.append(token)
                return
            fragment = stack.top is not None and stack.top in candidates
        if stack.header and not fragment and any(c.startswith(COLUMN_LABELS) for c in candidates):
            self.stream.disagreeing.append(token)

    def _skipped_before(self, i: int) -> bool:
        """Whether the cell before cell ``i`` (the one now skipped) was skipped too, a label or a value."""
        skipped = self.stream.skipped
        return len(skipped) > 1 and i - 1 in cells_of(skipped[-2])

    def _missing(self, way: _Way, at: Token, where: str) -> None:
        if way.shown is not None:
            self.stream.diagnostics.append(
                Diagnostic("table.missing", f"{where}: missing {way.shown}", at.line, at.column, str(at.value))
            )


def _feed(ip: Any, way: _Way, at: Token) -> None:
    """Feed the parser ``ip`` the terminals ``way`` supplies, as synthetic tokens at ``at``'s place (``start_pos``
    -1: no text)."""
    new_token, line, column = lalr.new_token, at.line, at.column
    for name in way.names:
        ip.feed_token(new_token(name, "", -1, line, column, None, None, -1))


class _Stack(NamedTuple):
    """What the recovery asks of the parser's stack where it skips a cell, worked out once per stack of the
    automaton: the terminal taken last, bare, when that is the last thing on the stack (None where a rule it reduced
    since is on top) — read off the state stack, which says what the top of Lark's value stack is: that terminal's
    token, as no rule of the grammars hands a token up in its place; whether a value now continues a row
    (:func:`mid_row`); and whether a header is being read (the parser last took a heading or column label, and a
    column may follow)."""

    top: str | None
    mid: bool
    header: bool


@grammars.derived
def _stack_facts(template: str) -> dict[int, _Stack]:
    """:func:`_stack` by the parser's stack number, the only thing it depends on."""
    return {}


def _stack(template: str, stacks: lalr.Stacks, number: int) -> _Stack:
    """:class:`_Stack` of stack ``number`` of ``template``'s automaton ``stacks``."""
    found = _stack_facts(template).get(number)
    if found is None:
        symbol = stacks.symbol(number)
        top = bare(symbol) if symbol is not None and is_terminal(symbol) else None
        header = (
            top is not None
            and top.startswith(IN_HEADER)
            and any(bare(name).startswith(COLUMN_LABELS) for name in stacks.actions(number))
        )
        found = _stack_facts(template)[number] = _Stack(top, mid_row(stacks, number), header)
    return found


@functools.lru_cache(maxsize=4096)
def _other_columns(template: str, text: str) -> tuple[str, ...]:
    """The column labels of the other templates that ``text`` matches (skipped cells repeat over reports)."""
    return tuple(other_columns(template).match(fold(text)))


class _Way(NamedTuple):
    """The synthetic terminals that bring the parser, by the shortest way through the form, to take a target
    (:func:`_way`), that target, whether the way reorders the groups (:meth:`Recovery.recover`: the header writes a
    group before columns that the form puts before it), the labels it supplies as a diagnostic names them (None
    when only values are missing: the row reports itself as short), and the labels it passes (bare names): those
    the parser could take on the way, before the target's stack, that have no place at or after the target."""

    names: tuple[str, ...]
    target: str
    reordered: bool
    shown: str | None
    passed: frozenset[str]


@grammars.derived
def _ways(template: str) -> dict[tuple[int, tuple[str, ...]], _Way | None]:
    """:func:`_way` by stack and targets: the way depends on nothing else, and damaged tables meet the same few."""
    return {}


def _swapped(way: _Way, following: tuple[str, ...]) -> bool:
    """Whether ``way`` supplies no label but ``following`` (the label written next), and only row labels are at
    stake: a row's label right before the next row's, either of which may be the debris."""
    supplied = {bare(n) for n in way.names} - VALUES
    rows = [bare(way.target), *supplied]
    return bool(supplied) and supplied.issubset(following) and all(r.startswith(ROW_LABEL) for r in rows)


def _way(template: str, stacks: lalr.Stacks, number: int, targets: tuple[str, ...]) -> _Way | None:
    """The way from stack ``number`` of the automaton to one of ``targets``; None when they cannot come any more.

    The form is one fixed sequence, so the way is walked, not searched: a missing value is a ``GAP`` (so that its
    row reports itself); of the labels the parser can take, the one furthest on (:func:`grammar.spans`) that does
    not pass the targets is supplied, which leaves out optional headings."""
    ways = _ways(template)
    key = (number, targets)
    if key in ways:
        return ways[key]
    spans = grammar.spans(template)
    ends = [spans[t][1] for t in targets if t in spans]
    horizon = max(ends) if ends else math.inf  # $END lies past the whole form
    path: list[str] = []
    takeable: set[str] = set()
    found: _Way | None = None
    while len(path) < _MAX_PATH:
        accepts = stacks.accepts(number, is_terminal)
        target = next((t for t in targets if t in accepts), None)
        if target is not None:
            # Not what the target's stack takes besides the target: that is optional there (a group heading the
            # text may print after its first row), and passing it loses no row.
            at = spans[target][0] if target in spans else math.inf  # $END lies past the whole form
            passed = frozenset(bare(n) for n in takeable if n in spans and spans[n][1] < at)
            found = _Way(tuple(path), target, _reordered(path, target), _shown(template, path), passed - VALUES)
            break
        gaps = [n for n in accepts if bare(n) == "GAP"]
        labels = [n for n in accepts if n in spans and bare(n) not in VALUES and spans[n][0] <= horizon]
        if not gaps and not labels:
            break
        takeable.update(accepts)
        name = gaps[0] if gaps else max(labels, key=lambda n: spans[n][0])
        step = stacks.take_one(number, name)
        assert step is not None  # name is one the stack accepts
        number = step.number
        path.append(name)
    ways[key] = found
    return found


def _reordered(path: list[str], name: str) -> bool:
    """Whether the walk to the group label ``name`` supplies column labels: the header writes this group before
    columns that the form puts before it (行政诉讼's groups before 行政复议's columns), another order of groups,
    so placing the values by the form's order would put them under the wrong groups.  (A column label lost from a
    header only makes the walk supply it before the next column, which is no group.)"""
    return bare(name).startswith(GROUP_LABELS) and any(bare(t).startswith(COLUMN_LABELS) for t in path)


def _shown(template: str, path: list[str]) -> str | None:
    """The labels supplied on ``path``, as a diagnostic names them; None when only values are missing (the row
    reports itself as short)."""
    labels = [label_text(template, name) for name in path if bare(name) not in VALUES]
    if not labels and all(bare(name) == "GAP" for name in path):
        return None
    return ", ".join(labels[:8]) + (f" and {len(labels) - 8} more" if len(labels) > 8 else "")
