"""The well-formed read: a cell stream whose every cell fits where it stands, read on the parse table alone.

Most tables are well formed, and they need neither Lark's lexer interface nor its error machinery, nor a tree: the
same choices as :class:`~xxgk.tables.cells.CellLexer` fed to Lark's parser are made on the parse table's stack
automaton (:class:`lalr.Stacks`), and where each value goes is read off the parser's stack (:func:`placement`).
Where a cell does not fit, :func:`read_well_formed` says None and the caller parses with the recovery.  That both
ways give the same tables is a differential property test (``tests/tables/test_differential.py``).
"""

from __future__ import annotations

from typing import Any, NamedTuple

from xxgk.engine import grammars, lalr
from xxgk.errors import GrammarError
from xxgk.tables import grammar
from xxgk.tables.cells import FILL, PLACEHOLDER, Classes, Stream, fill_of, joined, mid_row
from xxgk.tables.form import Column, bare, columns, keys
from xxgk.tables.values import NUMBERS


class Placement(NamedTuple):
    """Where a value just taken stands: its unit (scope, columns, labelled by a row label) and its place in it."""

    scope: str
    columns: tuple[Column, ...]
    labelled: bool
    at: int


# A unit of values as the fast path reads it: where it goes, its label's cell (-1: none), its values' cells (-1: a
# GAP).  A plain tuple: a NamedTuple's constructor is a Python function, 0.29 us against 0.03 (a report reads ~35 rows).
Row = tuple[Placement, int, list[int]]


class Move(NamedTuple):
    """What the fast path does with a cell on a stack of the automaton: the stack reached, the cells it moves on
    (0: a GAP before the cell, 2: a label joined over two cells), where the value taken goes (None: no value), whether
    that value is the cell's (else a GAP), whether the cell is a row label, or joins two cells where the first was a
    label by itself (worth saying).  A cell dropped (fill where no value is wanted) is none of these."""

    number: int
    advance: int
    place: Placement | None
    own: bool
    label: bool
    joins: bool


# A cell's key for its move on a stack: a label cell's candidates (CellLexer.classify); a value cell's kind, or, where
# it starts a row or may be fill its row ends with, its kind, whether it starts a row and what fill it is.
_Key = Classes | str | tuple[str, bool, int]


def read_well_formed(template: str, stream: Stream) -> list[Row] | None:
    """The value rows of a stream whose every cell fits where it stands, or None at the first cell that does not.

    The same choices as :meth:`CellLexer.tokens` fed to Lark's parser, made on the parse table of ``template``'s
    grammar (:func:`move`, worked out once per stack and kind of cell, and kept on disk for later processes); each
    value's place comes from :func:`placement`.
    """
    fresh: dict[tuple[tuple[Any, ...], _Key], _Kept | None] = {}
    rows = _read(template, stream, fresh)
    if fresh:
        _kept(template).add(fresh)
    return rows


def _read(template: str, stream: Stream, fresh: dict[tuple[tuple[Any, ...], _Key], _Kept | None]) -> list[Row] | None:
    """:func:`read_well_formed`, adding to ``fresh`` each move it worked out, by its stack and key."""
    stacks, lexer = grammar.stacks(template), grammar.lexer(template)
    moves = _moves(template)
    label_of, known = lexer.label, stream.classes  # the labels' classes, kept for the recovery should it run
    cells = stream.cells
    texts, row_starts = cells.texts, cells.row_starts
    kinds = lexer.kinds(stream)  # kept on the stream for the recovery should it run
    fill: dict[int, int] | None = None
    # Not the dropped cells (Stream.dropped): only the recovery's checks read them, and it reads a stream of its own.
    diagnostics = stream.diagnostics
    rows: list[Row] = []
    row: list[int] = []  # the cells of the row taken last
    label = -1  # the cell of the row label taken last
    number = stacks.start
    on = moves.setdefault(number, {})  # the moves from the stack reached
    i, end = 0, len(texts)
    while i < end:
        kind = kinds[i]
        key: _Key
        if kind is None:
            key = known[i] = label_of(texts, i)
        elif kind in FILL:
            if fill is None:
                if stream.fill is None:
                    stream.fill = fill_of(kinds, row_starts, texts, cells.shown)
                fill = stream.fill
            key = (kind, row_starts[i], fill.get(i, 0))
        else:
            key = (kind, True, False) if row_starts[i] else kind
        found = on.get(key)
        if found is None:
            if key in on:  # a cell that does not fit here
                return None
            made = _move(template, number, key)
            found = on[key] = None if made is None else (*made, moves.setdefault(made.number, {}))
            fresh[stacks.stack(number), key] = None if made is None else (stacks.stack(made.number), *made[1:])
            if found is None:
                return None
        number, advance, place, own, is_label, joins, on = found
        if place is not None:
            if place.at == 0:  # a row's first value opens it
                row = []
                rows.append((place, label if place.labelled else -1, row))
            row.append(i if own else -1)
        elif is_label:
            label = i
        if joins:
            diagnostics.append(joined(cells, i))
        i += advance
    if stacks.take(number, (lalr.END,)) is None:
        return None
    return rows


def move(template: str, number: int, what: Any, row_start: bool, fill: int) -> Move | None:
    """What :func:`read_well_formed` does with a cell of ``what`` (a value's kind, or a label's candidates), that
    starts a row and is fill its row ends with (``FILLER``, ``PLACEHOLDER``, else 0), for the parser with stack
    ``number`` — the choices of :meth:`CellLexer._decide`; None where the cell does not fit."""
    stacks, lexer = grammar.stacks(template), grammar.lexer(template)
    names = lexer.all_names(stacks)
    mid = mid_row(stacks, number)
    gaps, empties = tuple(names.get("GAP", ())), tuple(names.get("EMPTY", ()))
    drop = Move(number, 1, None, False, False, False)
    if isinstance(what, Classes):
        ordered = tuple(n for c in what.names for n in names.get(c, ()))
        step = stacks.take(number, ordered)
        if step is None:
            return None
        # A label offered joined and alone: the first offer decides how many cells it takes.
        width = next(w for c, w in zip(what.names, what.widths, strict=True) if step.terminal in names.get(c, ()))
        joins = width == 2 and what.joins_over_label(bare(step.terminal))
        return Move(step.number, width, None, False, step.terminal in grammar.continuing(template), joins)
    if row_start and mid:
        step = stacks.take(number, gaps)
        if step is not None:  # the form shows a new row: the row before lacks values
            return Move(step.number, 0, _placement(stacks, template, step.number), False, False, False)
    if fill:  # as CellLexer.tokens: dropped, or a merged place or a dash a GAP
        step = stacks.take(number, gaps) if mid else None
        if step is None:
            return drop
        if what == "EMPTY" or fill == PLACEHOLDER:
            return Move(step.number, 1, _placement(stacks, template, step.number), False, False, False)
    if what == "EMPTY":
        step = stacks.take(number, empties) if mid else None
        if step is None:
            return drop
    else:
        # A value cell is its kind's terminal whatever its neighbours (classify), so it needs no classes.
        kinds = NUMBERS if what == "NUMBER" else (what,)
        step = stacks.take(number, tuple(n for k in kinds for n in names.get(k, ())))
        if step is None:
            return None
    return Move(step.number, 1, _placement(stacks, template, step.number), True, False, False)


# A move as the read keeps it: the move's fields, then the moves from the stack it reaches (looked up once).
_Step = tuple[int, int, Placement | None, bool, bool, bool, dict[_Key, Any]]
# A move as it is kept on disk: the move's fields, the stack reached as its parser states (a stack's number is this
# process's).
_Kept = tuple[tuple[Any, ...], int, Placement | None, bool, bool, bool]

# The modules whose code works out a move — this one and what it imports, the import closure that
# tests/tables/test_wellformed.py holds this to — part of the key the moves are kept on disk under: a move kept is
# only read by the code that worked it out.
_CODE = (
    "xxgk.engine.grammars",
    "xxgk.engine.lalr",
    "xxgk.errors",
    "xxgk.records",
    "xxgk.schema",
    "xxgk.tables.cells",
    "xxgk.tables.form",
    "xxgk.tables.grammar",
    "xxgk.tables.labels",
    "xxgk.tables.values",
    "xxgk.tables.wellformed",
)
# Moves kept a template, at most: a report's tables take ~280, the corpus's ~400; every process reads the file and
# numbers what it holds (~2 us a move: 600 cost a third of working out a report's 280).
_KEPT_MAX = 600


def _kept(template: str) -> grammars.Store:
    """The moves of ``template``'s read kept on disk, by stack (its parser states) and key: those of the first
    read of a process that worked out any — all a one-file run needs — not of every read of a batch, for which
    writing the file again and again would cost more than the moves (1,860 varied documents: 630 writes, 3.5 s)."""
    return grammars.store(f"wellformed_{template}", _CODE, _KEPT_MAX, 1, grammar.parser(template))


@grammars.derived
def _moves(template: str) -> dict[int, dict[_Key, _Step | None]]:
    """:func:`move` by stack, of each kind of cell met so far, by this process or those before it (:func:`_kept`):
    the stacks are the grammar's, not the text's.  A move read back numbers the stacks it names, and places the
    stack it reaches (:func:`placed`)."""
    stacks = grammar.stacks(template)
    moves: dict[int, dict[_Key, _Step | None]] = {}
    places: dict[int, Placement] = {}
    try:
        for (stack, key), kept in _kept(template).saved.items():
            on = moves.setdefault(stacks.number(stack), {})
            if kept is None:
                on[key] = None
                continue
            reached, advance, place, own, label, joins = kept
            number = stacks.number(reached)
            on[key] = (number, advance, place, own, label, joins, moves.setdefault(number, {}))
            if place is not None:
                places[number] = place
    except Exception:  # a file of another shape (damaged): worked out anew, as without one
        return {}
    _placements(template).update(places)
    return moves


def _move(template: str, number: int, key: _Key) -> Move | None:
    """:func:`move` of a cell by its key (a label's candidates are a tuple too)."""
    if isinstance(key, Classes | str):
        return move(template, number, key, False, False)
    return move(template, number, *key)


def _placement(stacks: lalr.Stacks, template: str, number: int) -> Placement:
    return _placements(template).get(number) or placement(stacks, template, number)


def placed(template: str, number: int) -> Placement:
    """:func:`placement` on the stack automaton of ``template``'s parser (:func:`grammar.stacks`)."""
    return _placements(template).get(number) or placement(grammar.stacks(template), template, number)


@grammars.derived
def _placements(template: str) -> dict[int, Placement]:
    """:func:`placement` of each stack of ``template``'s automaton reached so far."""
    return {}


def placement(stacks: lalr.Stacks, template: str, number: int) -> Placement:
    """Where the value on top of stack ``number`` goes, read off the symbols of the stack, as the tree would say
    (:mod:`xxgk.tables.tree`): below it, the values its row took so far, and below those the row's label — whose
    key says the table (and the nearest item heading, the item of table 1) — or, for the reviews' fifteen values,
    their header.  Worked out once per stack: the stacks are the grammar's, not the text's."""
    symbols = [_symbols(stacks)[state] for state in stacks.stack(number)[1:]]
    value_rules = grammar.value_rules(template)
    j = len(symbols) - 2
    while symbols[j] in value_rules:
        j -= 1
    at = len(symbols) - 2 - j
    head = bare(symbols[j])
    terminals = keys(template)
    if head in terminals.item_rows:
        item = next(terminals.items[bare(s)] for s in reversed(symbols[:j]) if bare(s) in terminals.items)
        scope, label = f"active_disclosure/{item}", head
    elif head in terminals.app_rows:
        scope, label = "applications", head
    elif head == "review_head":
        scope, label = "reviews", None
    else:
        raise GrammarError(f"a value after {symbols[j]}: neither a row label nor the reviews' header")
    place = Placement(scope, columns(template, scope, label), label is not None, at)
    _placements(template)[number] = place
    return place


@grammars.derived
def _symbols(stacks: lalr.Stacks) -> dict[Any, str]:
    """The symbol each parser state is entered by (:func:`lalr.accessing_symbols`)."""
    return lalr.accessing_symbols(stacks.conf)
