"""The cell lexer: each cell of a stream one terminal of the statutory grammar, chosen by what the parser can take.

:class:`CellLexer`, a Lark lexer (:class:`lalr.StateLexer`), makes every cell ONE terminal: a value (``NUMBER``,
``NA``, ``EMPTY``, ``ODD``, by the grammar's own patterns, :mod:`xxgk.tables.values`) or the label it matches
tolerantly (``ROW_NEW_RECEIVED`` …, :mod:`xxgk.tables.labels`).  A cell that matches several labels (``总计``, a
truncated ``本年新``) becomes the one the parser can take next; so does a label broken over two cells (``其他`` /
``结果``), offered joined alongside the first cell's own reading.  A row the serialisation shows ended early gets a
``GAP`` for each value it lacks; the empty cells and placeholders a row ends with (:func:`trailing`) are dropped.

The same choices are made without Lark's parser by :mod:`xxgk.tables.wellformed` (sharing :meth:`CellLexer.classify`).

Longer than 400 lines because the lexer runs two loops over the same choices, side by side so that a change to one
is seen by the other: Lark's lexer interface (:meth:`CellLexer.tokens`, for the reference parse) and the token loop
of :class:`lalr.Driver` (:meth:`CellLexer.run`, the recovery's parse), which shifts each token as it makes it.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterator, Sequence
from typing import Any, ClassVar, NamedTuple

import attrs
from lark import Token

from xxgk.engine import lalr
from xxgk.records import Cell, Cells, Diagnostic
from xxgk.tables.form import ROW_LABEL, bare, keys
from xxgk.tables.labels import fold, matcher, numbered, rows_only
from xxgk.tables.values import NUMBERS, VALUES, ValuePatterns

UNKNOWN = "UNKNOWN"  # a cell that is neither a value nor any label: never in the grammar, so always skipped
# How many cell texts the cell lexer remembers the reading of (the labels and values reports keep printing).
_REMEMBERED = 4096
_GAP, _EMPTY = ("GAP",), ("EMPTY",)
# Value kinds that may be fill: a merged place (empty) or a converter's placeholder ("-") at a row's end.
FILL = frozenset({"EMPTY", "NA"})
# What fill a cell is (:func:`fill_of`): a merged place or not-applicable mark, or a dash that may be a converter's
# placeholder for a cell the row lacks.
FILLER, PLACEHOLDER = 1, 2
# A not-applicable cell of dashes only: what converters write for a cell they have nothing for ("/" is the agency's).
_DASHES = frozenset("-—–")


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
        width = len(cells_of(token))
        if width == 1 and 2 not in self.widths:  # most cells: one each (values, labels in one cell)
            return self.names
        return tuple(n for n, w in zip(self.names, self.widths, strict=True) if w == width)


class Decision(NamedTuple):
    """What the cell lexer does with a cell: the token's name (None: the cell is dropped), how many cells it moves
    on, whether the token is synthetic (a ``GAP``: no text), and whether it joins two cells where the first was a
    label by itself (worth saying)."""

    name: str | None
    advance: int
    synthetic: bool
    joins: bool


# A cell's key for its move on a stack (CellLexer.run): a label cell's classes; a value cell's kind, or where it
# starts a row or is a kind that may be fill, its kind, whether it starts a row and which fill it is.
_MoveKey = Classes | str | tuple[str, bool, int]
# A move (CellLexer._move): the decision's fields, the stack reached, the moves from it (None: the token not taken).
_Move = tuple[str | None, int, bool, bool, int, "dict[_MoveKey, _Move] | None"]


@attrs.define
class Stream:
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
    fill: dict[int, int] | None = None  # CellLexer.fill
    kinds: list[str | None] | None = None  # CellLexer.kinds


def trailing(cells: Cells, kinds: Sequence[str | None]) -> dict[int, int]:
    """The fill a row ends with (up to the next row start or the end): empty cells, and not-applicable ones once the
    row has shown a number — the merged places of the Word table ("| 2 | 57 | ||") and a converter's "-"
    placeholders for columns a row does not have ("| 96 | - | - |"), never a header's values ("/" × 15).  After a
    complete row they are dropped.  A merged place never takes a row's value place: a row whose values run into it
    showed fewer values than its columns (a cell lost), so which columns its values belong to is open, and the row
    is short (GAP) rather than placed from the left.  Nor does a dash (``PLACEHOLDER``) after the row's number: a
    converter writes "-" for every cell a row lacks, so a row that lost a cell before such a placeholder prints
    exactly as a row whose last value is not applicable ("| 0 | 128 | - |"), and read as a value it would put the
    row's values one column early.  A "/" is the agency's own mark, a value: the fill after a number starts after
    the last "/", which is read as the row's not-applicable value, or after a complete row as a value too many.  In a
    form that shows every row (:attr:`Cells.shown`), a row without a number ends in fill after its last label too:
    the values of a row label ("| 总计 | - | - |"), dropped after a header's labels ("| 总计 | 复议后起诉 | - | - |",
    a converter's placeholders for the columns the header row does not fill).  ``kinds``: each cell's
    (``ValuePatterns.kind``)."""
    return fill_of(kinds, cells.row_starts, cells.texts, cells.shown)


def fill_of(
    kinds: Sequence[str | None], row_starts: Sequence[bool], texts: Sequence[str], shown: Sequence[bool] = ()
) -> dict[int, int]:
    """:func:`trailing` of cells of ``kinds`` (``ValuePatterns.kind``), each row read back from its end: only the
    cells a row ends with are looked at, whether it showed a number before them, and whether its form shows rows
    (``shown``, :attr:`Cells.shown`; none where it is empty)."""
    out: dict[int, int] = {}
    start = 0
    known = len(shown) == len(kinds)
    for end in [*itertools.compress(range(1, len(kinds)), itertools.islice(row_starts, 1, None)), len(kinds)]:
        j = end
        while j > start and kinds[j - 1] in FILL:
            j -= 1
        if j < end:
            if "NUMBER" in kinds[start:j]:
                # A "/" is the agency's own mark, a value (a dash may be a converter's placeholder): the fill after a
                # number is the empty cells and dashes the row ends with, after its last "/" — which is read as the
                # row's not-applicable value, or after a complete row as a value too many (a value split in two, a
                # stray number before it), not dropped as fill while the row's values are placed one column early.
                for i in range(end - 1, j - 1, -1):
                    if kinds[i] == "EMPTY":
                        out[i] = FILLER
                    elif _DASHES.issuperset(texts[i].strip()):
                        out[i] = PLACEHOLDER
                    else:
                        break
            else:
                if not (known and shown[start] and j > start and kinds[j - 1] is None):
                    # No number in the row, and no label of a row the form shows before its end: only the empty
                    # cells after its last "-".
                    k = end
                    while k > j and kinds[k - 1] == "EMPTY":
                        k -= 1
                    j = k
                for i in range(j, end):
                    out[i] = FILLER
        start = end
    return out


class CellLexer(lalr.StateLexer):
    """Lark lexer over a :class:`Stream` of cells: one token per cell (two for a label split over two cells).

    Subclassed per template (``template``) because the label texts differ between the two formats.
    """

    template: ClassVar[str]

    def setup(self, terminals: list[lalr.Terminal], ignore: frozenset[str]) -> None:
        patterns = {bare(t.name): t.regexp for t in terminals}
        self.values = ValuePatterns(patterns["NUMBER"], patterns["NA"], patterns["ODD"])
        self.matcher = matcher(self.template)
        self._names: dict[str, list[str]] = {}
        # Reports print the same labels and values over and over: what a cell's text is, is worked out once.
        self.kind = functools.lru_cache(maxsize=_REMEMBERED)(self.values.kind)
        self._fold = functools.lru_cache(maxsize=_REMEMBERED)(fold)
        self._match = functools.lru_cache(maxsize=_REMEMBERED)(self.matcher.match)
        self.read = functools.lru_cache(maxsize=_REMEMBERED)(self.values.read)
        self._label_classes = functools.lru_cache(maxsize=_REMEMBERED)(self._classes_of_label)
        # A cell whose folded text starts no longer label's ("" starts all) makes no label with the next cell, and
        # one that folds to nothing joins it to its own exact labels, read already: it reads so whatever follows.
        openings = {
            f[:n] for texts in keys(self.template).labels.values() for f in map(fold, texts) for n in range(len(f))
        }
        self._alone = functools.lru_cache(maxsize=_REMEMBERED)(
            lambda text: None if self._fold(text) in openings else self._label_classes(text, None)
        )
        self._value_classes = {kind: Classes((kind,), (1,)) for kind in VALUES}
        self._value_classes["NUMBER"] = Classes(NUMBERS, (1,) * len(NUMBERS))
        self._automaton: lalr.Stacks | None = None
        # What the lexer does with a cell for the parser with a stack of the automaton: by the stack's number, the
        # cell's classes, whether it starts a row and which fill (of what its row ends with) it is (_decide).
        self._decisions: dict[tuple[int, Classes, bool, int], Decision] = {}
        self._firsts: dict[tuple[int, tuple[str, ...]], tuple[str, str] | None] = {}  # first, by stack and candidates
        self._moves: dict[int, dict[_MoveKey, _Move]] = {}  # run's moves, by stack and the cell's key

    def classify(self, stream: Stream, i: int) -> Classes:
        """What the cell at ``i`` can be: candidate terminals, best first, and how many cells each takes.

        A label the extractor broke over two cells (``商业`` / ``企业``, ``其他`` / ``结果``) is offered joined with
        the next cell when the join is a label: before the cell's own reading when that is only tolerant (cut off,
        glued, or none), after it when the cell is a label by itself (``其他`` is a column and a row) — the parser
        state then chooses (:meth:`tokens`, :func:`xxgk.tables.wellformed.read_well_formed`).
        """
        if i not in stream.classes:
            texts = stream.cells.texts
            kind = self.kind(texts[i])
            stream.classes[i] = self._value_classes[kind] if kind is not None else self.label(texts, i)
        return stream.classes[i]

    def label(self, texts: Sequence[str], i: int) -> Classes:
        """:meth:`classify` for a cell that is no value (the fast path knows which are)."""
        if (found := self._alone(texts[i])) is not None:  # most label cells: whole labels, read by their text
            return found
        after = texts[i + 1] if i + 1 < len(texts) else None
        if after is not None and self.kind(after) is not None:
            after = None  # a value never ends a label
        return self._label_classes(texts[i], after)

    def _classes_of_label(self, text: str, after: str | None) -> Classes:
        """:meth:`classify` for a cell that is no value, followed by ``after`` (None: by a value or nothing)."""
        folded = self._fold(text)
        joined = self.matcher.exact(folded + self._fold(after)) if after is not None else []
        single, exact = self._match(folded), self.matcher.exact(folded)
        if numbered(text):  # "(七)总计" is the total row, not the header's 总计 (labels.numbered)
            single, joined, exact = rows_only(single), rows_only(joined), rows_only(exact)
        own = [(name, 1) for name in single or [UNKNOWN]]
        if exact:
            return classes_of(own + [(name, 2) for name in joined if name not in single])
        # The first cell is only a tolerant reading (cut off, glued): the exact join comes first, even of the same
        # label — "一、本年新收政府" / "信息公开申请数量" is one label, and its second half alone is no row of its own.
        return classes_of([(name, 2) for name in joined] + own)

    def fill(self, stream: Stream) -> dict[int, int]:
        """The stream's trailing fill (:func:`trailing`): empty and not-applicable cells that end their rows, each
        ``FILLER`` or ``PLACEHOLDER``."""
        if stream.fill is None:
            stream.fill = trailing(stream.cells, self.kinds(stream))
        return stream.fill

    def kinds(self, stream: Stream) -> list[str | None]:
        """The value kind of each cell of the stream (:attr:`kind`; None: no value), read once for the stream's
        fill and its parse."""
        if stream.kinds is None:
            stream.kinds = list(map(self.kind, stream.cells.texts))
        return stream.kinds

    def automaton(self, parser: Any) -> lalr.Stacks:
        """The stack automaton (:meth:`lalr.Stacks.of`) of this lexer's parser, from the ``Lark``, its parse table
        or an interactive parser — one parser, one table: built on the first call, then grown and remembered across
        parses."""
        if self._automaton is None:
            self._automaton = lalr.Stacks.of(parser)
        return self._automaton

    def names(self, stacks: lalr.Stacks, bare_name: str) -> list[str]:
        """The grammar's names for a bare terminal name (table_common.lark's are namespaced when imported)."""
        return self.all_names(stacks).get(bare_name, [])

    def all_names(self, stacks: lalr.Stacks) -> dict[str, list[str]]:
        """:meth:`names` of every bare terminal name, from the parse table of ``stacks``."""
        if not self._names:
            # Plain strings (Stacks.symbols): some of Lark's names are Tokens, slow to compare and to take apart
            # (every token's type is one of these).
            for name in stacks.symbols():
                if bare(name).isupper() and name != lalr.END:
                    self._names.setdefault(bare(name), []).append(name)
        return self._names

    def tokens(self, text: Any, position: lalr.Position) -> Iterator[Token]:
        """The tokens of the stream ``text`` for Lark's parser (the reference parse): the choices :meth:`run` makes
        for :class:`lalr.Driver`, the parser's stack numbered on the automaton at every cell."""
        stream: Stream = text
        stacks = self.automaton(position()[0])
        cells = stream.cells
        texts, lines, columns, row_starts = cells.texts, cells.lines, cells.columns, cells.row_starts
        dropped, new_token, fill, end = stream.dropped, lalr.new_token, self.fill(stream), len(texts)
        i = stream.pos
        while i < end:
            classes = self.classify(stream, i)
            kind = classes.names[0]
            if stream.orphaned:
                if kind in VALUES:
                    self._orphan(stream, i, kind)
                    i = stream.pos = i + 1
                    continue
                stream.orphaned = False
            number = stacks.number(position()[1])
            key = (number, classes, row_starts[i], fill.get(i, 0) if kind in FILL else 0)
            name, advance, synthetic, joins = self._decision(stacks, key)
            # Where the lexer stands when it yields: Lark's parser, resuming after an error, lexes afresh from there.
            stream.pos = i + advance
            if name is None:
                dropped.add(i)
            elif synthetic:
                yield new_token(name, "", -1, lines[i], columns[i], None, None, -1)
            else:
                if joins:
                    stream.diagnostics.append(joined(cells, i))
                yield new_token(name, texts[i], i, lines[i], columns[i], None, None, i + advance)
            i += advance

    def run(self, stream: Stream, stacks: lalr.Stacks, driver: lalr.Driver) -> Iterator[Token]:
        """The lexer's loop for :class:`lalr.Driver` on this lexer's automaton ``stacks``: the stream's tokens,
        chosen as :meth:`tokens` chooses them for Lark's parser, each shifted as it is made; each the parser does not
        take is yielded, and the loop goes on from the parser's state as the recovery left it.  What a cell does on a
        stack — the token and the step the parser takes on it — is looked up at once, by the cell's key among the
        moves from the stack (:meth:`_move`): one lookup a cell, where a token handed to the parser took two and a
        switch between lexer and parser, which now happens only at an error (the differential tests hold the units
        read off the shifts to Lark's parse of :meth:`tokens`)."""
        cells = stream.cells
        texts, lines, columns, row_starts = cells.texts, cells.lines, cells.columns, cells.row_starts
        known, dropped, new_token, shifts = stream.classes, stream.dropped, lalr.new_token, driver.shifts
        fill, end, kinds = self.fill(stream), len(texts), self.kinds(stream)
        moves = self._moves
        number = driver.number
        on = moves.setdefault(number, {})
        last: Token | None = None  # the last token made that has text
        i = stream.pos
        orphaned = stream.orphaned
        while i < end:
            # The cell's key: a value's kind, with whether it starts a row and its fill where _decide asks them (its
            # classes are its kind's: value_classes), or a label cell's classes.
            key: _MoveKey
            kind = kinds[i]
            if kind is None:
                classes = known.get(i)  # a label cell's classes are kept: the recovery asks them again
                key = known[i] = self.label(texts, i) if classes is None else classes
                if orphaned:  # a label ends the values of the row label skipped before
                    orphaned = stream.orphaned = False
            elif orphaned:
                self._orphan(stream, i, kind)
                i += 1
                continue
            elif kind in FILL:
                key = (kind, row_starts[i], fill.get(i, 0))
            elif row_starts[i]:
                key = (kind, True, 0)
            else:
                key = kind
            move = on.get(key)
            if move is None:
                move = on[key] = self._move(stacks, number, key)
            name, advance, synthetic, joins, reached, ahead = move
            if name is None:
                dropped.add(i)
                i += advance
                continue
            if synthetic:
                token = new_token(name, "", -1, lines[i], columns[i], None, None, -1)
            else:
                if joins:
                    stream.diagnostics.append(joined(cells, i))
                token = last = new_token(name, texts[i], i, lines[i], columns[i], None, None, i + advance)
            i += advance
            if ahead is None:  # not taken: the parser's reductions before it finds no action, the token yielded
                stream.pos = i
                driver.number = stacks.stuck(number, name).number
                if last is not None:
                    driver.last = last
                yield token
                # The recovery fed the parser and may have skipped a row label: its state as it left it.
                number, orphaned = driver.number, stream.orphaned
                on = moves.setdefault(number, {})
                continue
            shifts.append((token, reached))
            number, on = reached, ahead
        stream.pos = i
        driver.number = number
        if last is not None:
            driver.last = last

    def _orphan(self, stream: Stream, i: int, kind: str) -> None:
        """Skip the value cell at ``i``, of ``kind``, as a value of the row label skipped before it
        (:attr:`Stream.orphaned`; an empty cell is dropped)."""
        if kind == "EMPTY":
            stream.dropped.add(i)
        else:
            cells = stream.cells
            stream.skipped.append(Token(kind, cells.texts[i], i, cells.lines[i], cells.columns[i], end_pos=i + 1))

    def _decision(self, stacks: lalr.Stacks, key: tuple[int, Classes, bool, int]) -> Decision:
        """:meth:`_decide` by its arguments, remembered."""
        decision = self._decisions.get(key)
        if decision is None:
            decision = self._decisions[key] = self._decide(stacks, *key)
        return decision

    def _move(self, stacks: lalr.Stacks, number: int, key: _MoveKey) -> _Move:
        """What :meth:`run` does with a cell of ``key`` for the parser with stack ``number``: the decision, the
        stack the parser reaches taking the token, and the moves from that stack (None: not taken)."""
        classes: Classes
        if isinstance(key, Classes):
            classes, row_start, fill = key, False, 0
        elif isinstance(key, str):
            classes, row_start, fill = self._value_classes[key], False, 0
        else:
            kind, row_start, fill = key
            classes = self._value_classes[kind]
        name, advance, synthetic, joins = self._decision(stacks, (number, classes, row_start, fill))
        step = None if name is None else stacks.take_one(number, name)
        if step is None:
            return name, advance, synthetic, joins, number, None
        return name, advance, synthetic, joins, step.number, self._moves.setdefault(step.number, {})

    def _decide(self, stacks: lalr.Stacks, number: int, classes: Classes, row_start: bool, fill: int) -> Decision:
        """What :meth:`run` and :meth:`tokens` do with a cell of ``classes`` (that starts a row, that is fill its row
        ends with: ``FILLER`` or ``PLACEHOLDER``, else 0) for the parser with stack ``number``."""
        kind = classes.names[0]
        mid = mid_row(stacks, number)
        if kind in VALUES and row_start and mid:
            gap = self.first(stacks, number, _GAP)
            if gap is not None:  # the form shows a new row: the row before lacks values
                return Decision(gap[1], 0, True, False)
        if fill:
            # Fill its row ends with: dropped after a complete row; where the row still wants a value, a merged
            # place or a dash is a value it lost (GAP), a "/" a value not applicable (see trailing).
            gap = self.first(stacks, number, _GAP) if mid else None
            if gap is None:
                return Decision(None, 1, False, False)
            if kind == "EMPTY" or fill == PLACEHOLDER:
                return Decision(gap[1], 1, True, False)
        if kind == "EMPTY":
            empty = self.first(stacks, number, _EMPTY) if mid else None
            return Decision(None, 1, False, False) if empty is None else Decision(empty[1], 1, False, False)
        return self._choose(stacks, number, classes)

    def _choose(self, stacks: lalr.Stacks, number: int, classes: Classes) -> Decision:
        """The token the parser with stack ``number`` gets for a cell of ``classes``: the grammar's name of the first
        candidate it takes (none: the first candidate's, for the error handler to decide), the cells it takes, and
        whether it joins two cells where the first was a label by itself."""
        fitting = self.first(stacks, number, classes.names)
        if fitting is None:  # nothing fits here: the error handler decides
            kind = classes.names[0]
            chosen, name = kind, (self.names(stacks, kind) or [kind])[0]
        else:
            chosen, name = fitting
        return Decision(name, classes.widths[classes.names.index(chosen)], False, classes.joins_over_label(chosen))

    def first(self, stacks: lalr.Stacks, number: int, candidates: tuple[str, ...]) -> tuple[str, str] | None:
        """The first candidate the parser with stack ``number`` takes next, with its name in the grammar (remembered
        per stack of the automaton)."""
        key = (number, candidates)
        if key not in self._firsts:
            taken = (
                (c, n) for c in candidates for n in self.names(stacks, c) if stacks.take_one(number, n) is not None
            )
            self._firsts[key] = next(taken, None)
        return self._firsts[key]


def classes_of(pairs: list[tuple[str, int]]) -> Classes:
    return Classes(tuple(n for n, _ in pairs), tuple(w for _, w in pairs))


def is_terminal(name: str) -> bool:
    """Terminal names, also namespaced ones (Lark's own test, ``name.isupper()``, refuses ``table_common__NA``)."""
    return bare(name).isupper()


def mid_row(stacks: lalr.Stacks, number: int) -> bool:
    """Whether the last thing the parser with stack ``number`` took is a row label or a value (a terminal, not a rule
    it reduced), so that a value now continues that row."""
    symbol = stacks.symbol(number)
    return symbol is not None and is_terminal(symbol) and (bare(symbol) in VALUES or bare(symbol).startswith(ROW_LABEL))


@functools.cache
def lexer_class(template: str) -> type[CellLexer]:
    """The cell lexer of ``template`` (``"2019"``, ``"2021"``), for a parser of its grammar."""
    return type(f"CellLexer{template}", (CellLexer,), {"template": template})


def lexer_input(cells: Sequence[Cell]) -> Any:
    """What :class:`CellLexer` reads in place of a string: ``cells`` as one stream, with the lexer's state."""
    return Stream(Cells.of(cells))


def joined(cells: Cells, i: int) -> Diagnostic:
    """What reading the cells ``i`` and ``i + 1`` as one label says, where ``i`` alone is a label too."""
    first, second = cells.cell(i), cells.cell(i + 1)
    return Diagnostic(
        "table.joined_cells",
        f"{first.text!r} ({first.line}:{first.column}) is a label by itself, but here the form wants the label it "
        f"makes with the next cell {second.text!r} ({second.line}:{second.column}): read as one label",
        first.line,
        first.column,
        f"{first.text} | {second.text}",
    )


def index(token: Token) -> int:
    """The index of a token's (first) cell in the stream; -1 for a synthetic token."""
    return -1 if token.start_pos is None else token.start_pos


def cells_of(token: Token) -> range:
    """The indices of the cells a token was made from (none for a synthetic token)."""
    start = token.start_pos
    if start is None or start < 0:
        return range(0)
    end = token.end_pos
    return range(start, start + 1 if end is None else end)


def where(token: Token) -> str:
    """A token's text and position, as diagnostics show it."""
    return where_at(str(token.value), token.line, token.column)


def where_at(text: str, line: int | None, column: int | None) -> str:
    return f"{text!r} ({line}:{column})"
