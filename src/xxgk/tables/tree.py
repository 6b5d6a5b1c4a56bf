"""From the statutory grammar's parse tree to units of values: a ``lark.Transformer`` with one method per rule.

A unit is a row of values as the grammar placed them — a labelled row, or the fifteen values of the reviews
table — with the table (and, in table 1, the item) it stands in and the columns its values go to
(:func:`xxgk.tables.form.columns`).  The tree is built only where the recovery ran; a well-formed stream's units
are read off the parser's stack instead (:mod:`xxgk.tables.wellformed`), and the two agree (a differential test).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import attrs
from lark import Token, Transformer, Tree
from lark.visitors import merge_transformers

from xxgk.errors import GrammarError
from xxgk.tables.cells import cells_of
from xxgk.tables.form import Column, bare, columns, keys, unit_name


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


# What a rule below a table hands up: its tokens (labels of headers) and rows of values, in document order.
_Parts = list[Token | _Values]


class _Units(Transformer[Token, Any]):
    """The tree of one parse to its :class:`Unit` list; the scope (table, or item of table 1) of every cell placed
    is noted in ``scopes`` (None: not wanted)."""

    def __init__(self, template: str, scopes: dict[int, str] | None) -> None:
        super().__init__(visit_tokens=False)
        self.template = template
        self.scopes = scopes

    def start(self, tables: list[list[Unit]]) -> list[Unit]:
        return [unit for table in tables for unit in table]

    def active_disclosure(self, parts: _Parts) -> list[Unit]:
        return self._table("active_disclosure", parts)

    def applications(self, parts: _Parts) -> list[Unit]:
        return self._table("applications", parts)

    def reviews(self, parts: _Parts) -> list[Unit]:
        return self._table("reviews", parts)

    def row(self, tokens: list[Token]) -> _Values:
        return _Values(tokens, labelled=True)

    def __default__(self, data: Any, children: list[Any], meta: Any) -> _Parts:
        """A rule that only groups (an item of table 1, a group of rows, a header): its parts, flattened."""
        return [part for child in children for part in (child if isinstance(child, list) else [child])]

    def _table(self, kind: str, parts: _Parts) -> list[Unit]:
        items = keys(self.template).items
        units: list[Unit] = []
        scope = kind
        for part in self.__default__(None, parts, None):
            if isinstance(part, Token):
                if bare(part.type) in items:
                    scope = f"{kind}/{items[bare(part.type)]}"
                self._mark([part], scope)
                continue
            label, values = (part.tokens[0], part.tokens[1:]) if part.labelled else (None, part.tokens)
            placed = columns(self.template, scope, None if label is None else bare(label.type))
            if len(placed) != len(values):
                raise GrammarError(f"{scope}: the grammar gives {len(values)} values for {len(placed)} columns")
            self._mark(part.tokens, scope)
            units.append(Unit(scope, placed, label, values))
        return units

    def _mark(self, tokens: list[Token], scope: str) -> None:
        if self.scopes is not None:
            for token in tokens:
                for i in cells_of(token):
                    self.scopes[i] = scope


class _Common(Transformer[Token, Any]):
    """The rules of ``grammars/table_common.lark`` that the templates import under its namespace."""

    def review_values(self, tokens: list[Token]) -> _Values:
        return _Values(tokens, labelled=False)


def units(tree: Tree[Token], template: str, scopes: dict[int, str] | None = None) -> list[Unit]:
    """The value units of the parse tree of ``template``'s grammar, in document order; the scope of every cell the
    tree holds is noted in ``scopes`` when given."""
    # Lark's way to transform rules imported under a namespace (table_common__review_values); it has no annotations.
    transformer = merge_transformers(_Units(template, scopes), table_common=_Common())  # type: ignore[no-untyped-call]
    found: list[Unit] = transformer.transform(tree)
    return found
