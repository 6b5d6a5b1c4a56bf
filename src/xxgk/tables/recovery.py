"""The recovery: Lark's ``on_error`` handler for a cell stream that does not fit the form where it stands.

It skips cells that fit nowhere and supplies what is missing before a label that fits later, walking the form
forward (the tables are one fixed sequence, :func:`xxgk.tables.grammar.spans`).  It never guesses: what it skips,
supplies, or meets out of the form's order is noted on the :class:`~xxgk.tables.cells.Stream`, for the checks
(:mod:`xxgk.tables.checks`) to report and leave out.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Sequence
from typing import Any

from lark import Lark, Token
from lark.exceptions import UnexpectedInput, UnexpectedToken

from xxgk.engine import grammars, lalr
from xxgk.records import Diagnostic
from xxgk.tables import grammar
from xxgk.tables.cells import UNKNOWN, CellLexer, Stream, cells_of, index, is_terminal, mid_row
from xxgk.tables.form import COLUMN_LABELS, GROUP_LABELS, IN_HEADER, bare, label_text
from xxgk.tables.labels import cjk, fold, other_columns
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
            lalr.Driver(stacks, lambda driver: lexer.cell_tokens(stream, stacks, driver)).parse(self.recover),
        )

    def __call__(self, error: UnexpectedInput) -> bool:
        """Lark's ``on_error``: :meth:`recover` from the token of an ``UnexpectedToken`` (nothing else)."""
        if not isinstance(error, UnexpectedToken) or error.interactive_parser is None:
            return False
        return self.recover(error.token, error.interactive_parser)

    def recover(self, token: Token, ip: Any) -> bool:
        """Go on past ``token``, which the parser ``ip`` (an interactive parser, or :class:`lalr.Driver`) does not
        take: True when the parser has been fed what makes it go on, False to let the error stand."""
        if token.type == "$END":
            found = _search(ip, ["$END"], token, self.template, self.lexer)
            if found is None:
                return False
            self._missing(found[0], token, "the table ends early")
            for synthetic in found[0]:
                ip.feed_token(synthetic)
            return True
        i = index(token)
        if i < 0:
            return False  # the lexer makes GAP only where the parser takes it
        candidates = self.lexer.classify(self.stream, i).taking(token)
        if candidates[0] in VALUES or candidates[0] == UNKNOWN:
            self._skip(token, ip, candidates)
            return True
        if self._intruder(token, ip):
            self._skip(token, ip, candidates)
            return True
        names = [n for c in candidates for n in self.lexer.names(self.lexer.automaton(ip), c)]
        found = _search(ip, names, token, self.template, self.lexer)
        if found is None:
            self._skip(token, ip, candidates)
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
        return bare(name).startswith(GROUP_LABELS) and any(bare(t.type).startswith(COLUMN_LABELS) for t in path)

    def _intruder(self, token: Token, ip: Any) -> bool:
        """Whether the next label after ``token`` (and its values) fits here: then ``token`` heads cells that do
        not belong (a stray or repeated row), and jumping ahead to where it would fit would lose real rows."""
        i, end = cells_of(token)[-1] + 1, len(self.stream.cells.texts)
        while i < end:
            candidates = self.lexer.classify(self.stream, i).names
            if candidates[0] not in VALUES:
                stacks = self.lexer.automaton(ip)
                return self.lexer.first(stacks, stacks.number_of(ip), candidates) is not None
            i += 1
        return False

    def _skip(self, token: Token, ip: Any, candidates: tuple[str, ...]) -> None:
        """Skip a cell; note it if it stands against a header: a column label out of the form's place says the
        columns are printed in another order.  Text the lexer does not know (a garbled, generic or agency-worded
        header cell: ``列1``, ``科 研 机``) says nothing about the order, so it is only reported as unmatched: the
        header is advisory, the rows' labels and the form's column order place the values.  ``candidates``: what the
        token's cells can be (:meth:`Classes.taking`)."""
        self.stream.skipped.append(token)
        if candidates[0] in VALUES:
            return  # a value is no label: it heads nothing and says nothing of a header's order
        if not _fragment(candidates, ip, self.lexer):
            # A label that cannot stand here heads values of its own; so does unknown Chinese text after a complete
            # row or where the form shows a new row (inside a row it may be debris between the row's values:
            # "3.其他" / "结果" / 0 …).
            known = candidates != (UNKNOWN,)
            stacks = self.lexer.automaton(ip)
            in_row = mid_row(stacks, stacks.number_of(ip)) and not self.stream.cells.row_starts[index(token)]
            self.stream.orphaned = known or (cjk().search(str(token.value)) is not None and not in_row)
        if candidates == (UNKNOWN,):
            # A column of the other template (本年新制作数量 in a 2021 table) is no garble: another form's order.
            candidates = _other_columns(self.template, str(token.value))
            # The form's amounts are in 万元: a header in 元 is another unit.
            if _YUAN.search(str(token.value)) and _in_header(ip, self.lexer):
                self.stream.disagreeing.append(token)
                return
        column = any(c.startswith(COLUMN_LABELS) for c in candidates)
        if column and _in_header(ip, self.lexer) and not _fragment(candidates, ip, self.lexer):
            self.stream.disagreeing.append(token)

    def _missing(self, path: list[Token], at: Token, where: str) -> None:
        shown = _shown(self.template, tuple(t.type for t in path))
        if shown is not None:
            self.stream.diagnostics.append(
                Diagnostic("table.missing", f"{where}: missing {shown}", at.line, at.column, str(at.value))
            )


def _fragment(candidates: tuple[str, ...], ip: Any, lexer: CellLexer) -> bool:
    """Whether a skipped header cell is the rest of the column label taken just before it (a header cell whose line
    break the extraction turned into a cell break: "本年新" / "制作数量"): it is no column out of place."""
    top = _taken_last(ip, lexer)
    return top is not None and bare(top) in candidates


def _in_header(ip: Any, lexer: CellLexer) -> bool:
    """Whether the parser is reading a header: it last took a heading or column label and a column may follow."""
    stacks = lexer.automaton(ip)
    number = stacks.number_of(ip)
    found = _headers(lexer.template).get(number)
    if found is None:
        top = _taken_last(ip, lexer)
        found = _headers(lexer.template)[number] = (
            top is not None
            and bare(top).startswith(IN_HEADER)
            and any(bare(name).startswith(COLUMN_LABELS) for name in stacks.actions(number))
        )
    return found


@grammars.derived
def _headers(template: str) -> dict[int, bool]:
    """:func:`_in_header` by the parser's stack, the only thing it depends on."""
    return {}


@functools.lru_cache(maxsize=4096)
def _shown(template: str, path: tuple[str, ...]) -> str | None:
    """The labels the recovery supplies on ``path``, as a diagnostic names them; None when only values are missing
    (the row reports itself as short).  The same ways through the form come back over and over."""
    labels = [label_text(template, name) for name in path if bare(name) not in VALUES]
    if not labels and all(bare(name) == "GAP" for name in path):
        return None
    return ", ".join(labels[:8]) + (f" and {len(labels) - 8} more" if len(labels) > 8 else "")


@functools.lru_cache(maxsize=4096)
def _other_columns(template: str, text: str) -> tuple[str, ...]:
    """The column labels of the other templates that ``text`` matches (skipped cells repeat over reports)."""
    return tuple(other_columns(template).match(fold(text)))


def _taken_last(ip: Any, lexer: CellLexer) -> str | None:
    """The terminal the parser ``ip`` took last, when that is the last thing on its stack (not a rule it reduced
    since): read off its state stack, which says what the top of Lark's value stack is — that terminal's token, as
    no rule of the grammars hands a token up in its place."""
    stacks = lexer.automaton(ip)
    symbol = stacks.symbol(stacks.number_of(ip))
    return symbol if symbol is not None and is_terminal(symbol) else None


def _search(
    ip: Any, targets: Sequence[str], at: Token, template: str, lexer: CellLexer
) -> tuple[list[Token], str] | None:
    """The synthetic tokens that bring the parser, by the shortest way through the form, to take one of ``targets``.

    The form is one fixed sequence, so the way is walked, not searched: a missing value is a ``GAP`` (so that its
    row reports itself); of the labels the parser can take, the one furthest on (:func:`grammar.spans`) that does
    not pass the targets is supplied, which leaves out optional headings.  None when the targets cannot come any more.
    Synthetic tokens have ``start_pos`` -1.
    """
    stacks = lexer.automaton(ip)
    found = _way(template, stacks, stacks.number_of(ip), tuple(targets))
    if found is None:
        return None
    names, target = found
    return [lalr.new_token(name, "", -1, at.line, at.column, None, None, -1) for name in names], target


@grammars.derived
def _ways(template: str) -> dict[tuple[int, tuple[str, ...]], tuple[tuple[str, ...], str] | None]:
    """:func:`_way` by stack and targets: the way depends on nothing else, and damaged tables meet the same few."""
    return {}


def _way(
    template: str, stacks: lalr.Stacks, number: int, targets: tuple[str, ...]
) -> tuple[tuple[str, ...], str] | None:
    """:func:`_search` on the stack automaton from stack ``number``: the terminals supplied, and the target taken."""
    ways = _ways(template)
    key = (number, targets)
    if key in ways:
        return ways[key]
    spans = grammar.spans(template)
    ends = [spans[t][1] for t in targets if t in spans]
    horizon = max(ends) if ends else math.inf  # $END lies past the whole form
    path: list[str] = []
    found: tuple[tuple[str, ...], str] | None = None
    while found is None and len(path) < _MAX_PATH:
        accepts = stacks.accepts(number, is_terminal)
        target = next((t for t in targets if t in accepts), None)
        if target is not None:
            found = tuple(path), target
            break
        gaps = [n for n in accepts if bare(n) == "GAP"]
        labels = [n for n in accepts if n in spans and bare(n) not in VALUES and spans[n][0] <= horizon]
        if not gaps and not labels:
            break
        name = gaps[0] if gaps else max(labels, key=lambda n: spans[n][0])
        step = stacks.take_one(number, name)
        assert step is not None  # name is one the stack accepts
        number = step.number
        path.append(name)
    ways[key] = found
    return found
