"""What the national form says, in the statutory grammars' terms: the terminal of each schema key, the key and
printed labels of each label terminal, and the columns of each row of values.

Every key and label comes from :mod:`xxgk.schema`; the grammars (``grammars/table_*.lark``) name their label
terminals after the keys (``ROW_WITHHELD_STATE_SECRET`` for ``withheld.state_secret``), and this module is where
the two are tied together.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import NamedTuple

from attrs import frozen

from xxgk import schema
from xxgk.errors import GrammarError

GRAMMARS = {"2019": "table_2019", "2021": "table_2021"}
# Labels of rows: those that head values.
ROW_LABEL = "ROW_"
# Labels whose place in a header decides which column a value belongs to.
COLUMN_LABELS = ("COL_", "REVIEW_", "GROUP_REVIEW", "GROUP_LITIGATION_")
# Labels of a table's header: its columns and the groups over them (法人或其他组织).
HEADER_LABELS = ("HEAD_", *COLUMN_LABELS)
# Labels after which the parser is inside a header (an item's or a table's), until the first row label.
IN_HEADER = ("ITEM_", *HEADER_LABELS)
# Labels of a header that head groups of columns (the reviews' three groups of five).
GROUP_LABELS = ("GROUP_REVIEW", "GROUP_LITIGATION_")


def terminal(prefix: str, key: str) -> str:
    """The grammar's terminal for a schema key: ``terminal("ROW_", "withheld.state_secret")``."""
    return prefix + key.upper().replace(".", "_")


def bare(name: str) -> str:
    """A terminal or rule name without the namespace Lark gives names imported from table_common.lark."""
    return name.rpartition("__")[2]


@frozen
class Keys:
    """What each label terminal of one template means: its printed labels and the key it stands for."""

    labels: dict[str, tuple[str, ...]]
    items: dict[str, str]  # ITEM_ terminals of table 1: the item key
    item_rows: dict[str, str]  # ROW_ terminals of table 1: the row key
    app_rows: dict[str, str]  # ROW_ terminals of table 2: the row key


@functools.cache
def keys(template: str) -> Keys:
    """The label terminals of ``template`` (``"2019"``, ``"2021"``), from schema.py."""
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
            add(ROW_LABEL, key, label, item_rows)
        for key, label in cols:
            add("COL_", key, label)
    for key, label in schema.APPLICANT_COLUMNS:
        add("COL_", key, label)
    for key, label in schema.APPLICATION_GROUPS.items():
        add("GROUP_", key, label)
    for key, label in schema.APPLICATION_ROWS[template]:
        add(ROW_LABEL, key, label, app_rows)
    for key, label in schema.REVIEW_GROUPS:
        add("GROUP_", key, label)
    for key, label in schema.REVIEW_COLUMNS:
        add("REVIEW_", key, label)
    for key, label in schema.TABLE_HEADINGS.items():
        add("HEAD_", key, label)
    if set(item_rows) & set(app_rows):
        raise GrammarError(f"terminals shared by tables 1 and 2: {sorted(set(item_rows) & set(app_rows))}")
    return Keys({k: tuple(v) for k, v in labels.items()}, items, item_rows, app_rows)


def label_text(template: str, name: str) -> str:
    """The printed label of the terminal ``name`` (itself, for a terminal without one: a value's)."""
    return keys(template).labels.get(bare(name), (bare(name),))[0]


class Column(NamedTuple):
    """Where a value of a unit goes: its key in the table, its path, and how its cell is read."""

    key: tuple[str, ...]  # (item, row, column) in table 1, (row, column) or (group, column) in tables 2 and 3
    path: str  # applications/granted/natural_person
    amount: bool  # a decimal number of 万元, not a count
    signed: bool  # may be negative
    row: tuple[str, ...]  # the key without its column: the row's place in the table


@functools.cache
def columns(template: str, scope: str, label: str | None) -> tuple[Column, ...]:
    """The columns of the values of the row ``label`` (a bare terminal; None: the reviews' values) in ``scope``
    (``applications``, ``reviews``, ``active_disclosure/<item>``), in order."""
    kind, _, item = scope.partition("/")
    names: list[tuple[str, ...]]
    if kind == "reviews":
        names = [(g, c) for g, _ in schema.REVIEW_GROUPS for c, _ in schema.REVIEW_COLUMNS]
    elif kind == "applications":
        assert label is not None
        names = [(keys(template).app_rows[label], c) for c in schema.applicant_column_keys()]
    else:
        assert label is not None
        row = keys(template).item_rows[label]
        names = [(item, row, c) for c, _ in schema.ACTIVE_DISCLOSURE[template][item][1]]
    return tuple(
        Column(
            key,
            "/".join((kind, *key)),
            (key[0], key[-1]) in schema.AMOUNT_COLUMNS,
            key[-1] in schema.SIGNED_COLUMNS,
            key[:-1],
        )
        for key in names
    )


def unit_name(scope: str, columns: Sequence[Column], labelled: bool) -> str:
    """A row of values by name: ``applications/withheld.state_secret``, ``active_disclosure/art20_1/rules``, or
    ``reviews`` for the reviews' fifteen values (``labelled`` False: no row label)."""
    if not labelled:
        return scope
    return "/".join((scope.partition("/")[0], *columns[0].key[:-1]))
