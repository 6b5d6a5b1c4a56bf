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
from xxgk.tables.cells import FILL, Stream, joined
from xxgk.tables.form import Column, bare, columns, keys
from xxgk.tables.values import NUMBERS


class Placement(NamedTuple):
    """Where a value just taken stands: its unit (scope, columns, labelled by a row label) and its place in it."""

    scope: str
    columns: tuple[Column, ...]
    labelled: bool
    at: int


class Row(NamedTuple):
    """A unit of values as the fast path reads it: where it goes, its label's cell, its values' cells (-1: a GAP)."""

    place: Placement
    label: int | None
    cells: list[int]


def read_well_formed(template: str, stream: Stream) -> list[Row] | None:
    """The value rows of a stream whose every cell fits where it stands, or None at the first cell that does not.

    The same choices as :meth:`CellLexer.tokens` fed to Lark's parser, made on the parse table of ``template``'s
    grammar; each value's place comes from :func:`placement`.
    """
    stacks, lexer = grammar.stacks(template), grammar.lexer(template)
    names = lexer.all_names(stacks)
    grammar_names = lexer.grammar_names
    continuing = grammar.continuing(template)
    gaps, empties = tuple(names.get("GAP", ())), tuple(names.get("EMPTY", ()))
    # A value cell is its kind's terminal whatever its neighbours (classify), so most cells need no classes.
    value_names = {kind: tuple(names.get(kind, ())) for kind in ("NA", "ODD")}
    value_names["NUMBER"] = tuple(name for kind in NUMBERS for name in names.get(kind, ()))
    kind_of = lexer.kind
    placements = _placements(template)
    rows: list[Row] = []
    label = -1  # the cell of the row label taken last
    number = stacks.start
    last = ""  # the terminal taken last (see cells.mid_row)
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
                add_value(rows, label, placements.get(number) or placement(stacks, template, number), -1)
                continue
        if kind in FILL and i in lexer.fill(stream):  # as CellLexer.tokens: dropped, or a merged place a GAP
            step = stacks.take(number, gaps) if mid_row else None
            if step is None or kind == "EMPTY":
                i += 1
                if step is None:
                    stream.dropped.add(i - 1)
                else:
                    last, number = step.terminal, step.number
                    add_value(rows, label, placements.get(number) or placement(stacks, template, number), -1)
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
                stream.diagnostics.append(joined(cells, i))
        last, number = step.terminal, step.number
        if kind is not None:
            add_value(rows, label, placements.get(number) or placement(stacks, template, number), i)
        elif last in continuing:  # a row label (the only label after which a value continues a row)
            label = i
        i += width
    if stacks.take(number, (lalr.END,)) is None:
        return None
    return rows


def add_value(rows: list[Row], label: int, place: Placement, cell: int) -> None:
    """Put the value in ``cell`` (-1: a GAP) into its row, which its first value opens."""
    if place.at == 0:
        rows.append(Row(place, label if place.labelled else None, []))
    rows[-1].cells.append(cell)


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
