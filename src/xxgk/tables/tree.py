"""From the statutory grammar's parse to units of values: read off the parse's shifts, or a ``lark.Transformer``
with one method per rule for the tree of Lark's own parse.

A unit is a row of values as the grammar placed them — a labelled row, or the fifteen values of the reviews
table — with the table (and, in table 1, the item) it stands in and the columns its values go to
(:func:`xxgk.tables.form.columns`).  Units are made only where the recovery ran: off the stacks the driver's shifts
reached (:func:`parsed`, each value placed as the well-formed read places it, :mod:`xxgk.tables.wellformed`), or
from the tree of Lark's own parse (:func:`units`, the reference); the two agree (differential tests).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

import attrs
from lark import Token, Transformer, Tree
from lark.visitors import merge_transformers

from xxgk.engine import grammars
from xxgk.errors import GrammarError
from xxgk.tables import grammar
from xxgk.tables.cells import cells_of
from xxgk.tables.form import Column, bare, columns, keys, unit_name
from xxgk.tables.values import VALUES
from xxgk.tables.wellformed import Placement, placed


@attrs.define
class Unit:
    """A row of values as the grammar placed them (a labelled row, or the fifteen values of the reviews table)."""

    scope: str  # applications, reviews, active_disclosure/<item>
    columns: Sequence[Column]
    label: Token | None
    values: list[Token]
    dropped: bool = False  # left out by a check (xxgk.tables.checks)

    def name(self) -> str:
        """``applications/withheld.state_secret``, ``active_disclosure/art20_1/rules``, or ``reviews``."""
        return unit_name(self.scope, self.columns, self.label is not None)


@attrs.frozen
class _Values:
    """A row's tokens (its label first when ``labelled``) before its table says where it stands."""

    tokens: list[Token]
    labelled: bool


@attrs.frozen
class Parsed:
    """What one parse placed: its value units in document order, and the tokens of its headers and item headings,
    each with the scope it stands in."""

    units: list[Unit]
    headings: list[tuple[Token, str]]

    def scopes(self) -> dict[int, str]:
        """The scope (table, or item of table 1) of every cell the parse placed (the header check wants them)."""
        found = {i: scope for token, scope in self.headings for i in cells_of(token)}
        for unit in self.units:
            for token in [unit.label, *unit.values] if unit.label is not None else unit.values:
                for i in cells_of(token):
                    found[i] = unit.scope
        return found


# What a rule below a table hands up: its tokens (labels of headers) and rows of values, in document order.
_Parts = list[Token | _Values]


class _Units(Transformer[Token, Any]):
    """The tree of one parse to its :class:`Parsed`."""

    def __init__(self, template: str) -> None:
        super().__init__(visit_tokens=False)
        self.template = template

    def start(self, tables: list[Parsed]) -> Parsed:
        return Parsed([u for t in tables for u in t.units], [h for t in tables for h in t.headings])

    def active_disclosure(self, parts: _Parts) -> Parsed:
        return self._table("active_disclosure", parts)

    def applications(self, parts: _Parts) -> Parsed:
        return self._table("applications", parts)

    def reviews(self, parts: _Parts) -> Parsed:
        return self._table("reviews", parts)

    def row(self, tokens: list[Token]) -> _Values:
        return _Values(tokens, labelled=True)

    def __default__(self, data: Any, children: list[Any], meta: Any) -> _Parts:
        """A rule that only groups (an item of table 1, a group of rows, a header): its parts, flattened."""
        return [part for child in children for part in (child if isinstance(child, list) else [child])]

    def _table(self, kind: str, parts: _Parts) -> Parsed:
        items = keys(self.template).items
        units: list[Unit] = []
        headings: list[tuple[Token, str]] = []
        scope = kind
        for part in self.__default__("", parts, None):
            if isinstance(part, Token):
                if bare(part.type) in items:
                    scope = f"{kind}/{items[bare(part.type)]}"
                headings.append((part, scope))
                continue
            label, values = (part.tokens[0], part.tokens[1:]) if part.labelled else (None, part.tokens)
            placed = columns(self.template, scope, None if label is None else bare(label.type))
            if len(placed) != len(values):
                raise GrammarError(f"{scope}: the grammar gives {len(values)} values for {len(placed)} columns")
            units.append(Unit(scope, placed, label, values))
        return Parsed(units, headings)


class _Common(Transformer[Token, Any]):
    """The rules of ``grammars/table_common.lark`` that the templates import under its namespace."""

    def review_values(self, tokens: list[Token]) -> _Values:
        return _Values(tokens, labelled=False)


def _transformer(template: str) -> Transformer[Token, Any]:
    # Lark's way to transform rules imported under a namespace (table_common__review_values); it has no annotations.
    merged: Transformer[Token, Any] = merge_transformers(_Units(template), table_common=_Common())  # type: ignore[no-untyped-call]
    return merged


def units(tree: Tree[Token], template: str) -> Parsed:
    """The value units of the parse tree of ``template``'s grammar, in document order, with its headings."""
    found: Parsed = _transformer(template).transform(tree)
    return found


def parsed(template: str, shifts: Sequence[tuple[Token, int]]) -> Parsed:
    """What :func:`units` makes of the tree of a parse of ``template``'s grammar, read off the parse's shifts (each
    token taken, with the number of the stack of ``grammar.stacks(template)`` it reached; :class:`lalr.Driver`): a
    value's unit and place in it from the stack it reached (:func:`wellformed.placed`, as the well-formed read
    places them), its row's label the row label taken last; the headers' and item headings' tokens in the scope of
    their table, or of the item heading taken last in it."""
    roles = _roles(template)
    found: list[Unit] = []
    headings: list[tuple[Token, str]] = []
    values: list[Token] = []
    label: Token | None = None
    table = scope = ""
    for token, number in shifts:
        role = roles.get(number)
        if role is None:
            role = roles[number] = _role(template, token.type, number)
        if role is _MORE:  # most shifts: a value its row took after its first
            values.append(token)
        elif isinstance(role, Placement):  # a row's first value opens it
            values = [token]
            found.append(Unit(role.scope, role.columns, label if role.labelled else None, values))
        elif isinstance(role, _Heading):
            if role.table != table:
                table = scope = role.table
            scope = role.scope or scope
            headings.append((token, scope))
        else:
            label = token
    for unit in found:
        if len(unit.columns) != len(unit.values):
            message = f"{unit.scope}: the grammar gives {len(unit.values)} values for {len(unit.columns)} columns"
            raise GrammarError(message)
    return Parsed(found, headings)


class _Heading(NamedTuple):
    """A header's or item heading's label: its table, and the scope it opens (an item heading's; None: none)."""

    table: str
    scope: str | None


_LABEL = "label"  # a row's label
_MORE = "more"  # a value of a row after its first: it only joins the row opened last (its Placement is not read)
_Role = Placement | _Heading | str


@grammars.derived
def _roles(template: str) -> dict[int, _Role]:
    """:func:`_role` by the stack reached: the terminal taken last is the one on top of it, so a stack says it all."""
    return {}


def _role(template: str, name: str, number: int) -> _Role:
    """What the terminal ``name``, taken to reach stack ``number``, is in a unit: a row's first value (its
    placement) or a later one, a row's label, or a header's or item heading's label."""
    if bare(name) in VALUES:
        place = placed(template, number)
        return place if place.at == 0 else _MORE
    if name in grammar.continuing(template):
        return _LABEL
    table = grammar.tables(template)[name]
    item = keys(template).items.get(bare(name))
    return _Heading(table, None if item is None else f"{table}/{item}")
