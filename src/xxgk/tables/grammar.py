"""The statutory grammars as loaded: each template's LALR parser with its cell lexer, and what the table layer
reads once off its rules and parse table (the form's order, the value rules, the terminals that continue a row).

Built on first use and forgotten by ``grammars.reload`` (the REPL's ``:reload``) with the parsers themselves.
"""

from __future__ import annotations

import itertools

from lark import Lark

from xxgk import schema
from xxgk.engine import grammars, lalr
from xxgk.errors import GrammarError
from xxgk.tables.cells import CellLexer, is_terminal, lexer_class
from xxgk.tables.form import GRAMMARS, ROW_LABEL, bare, columns, keys
from xxgk.tables.values import NUMBERS, VALUES


@grammars.derived
def parser(template: str) -> Lark:
    """The LALR parser of ``template``'s tables (built once), after checking every label terminal has a label."""
    lark = grammars.load(GRAMMARS[template], lexer=lexer_class(template))
    used = {bare(name) for options in lalr.rules(lark).values() for e in options for name, term in e if term}
    unlabelled = sorted(used - VALUES - set(keys(template).labels))
    if unlabelled:
        raise GrammarError(f"terminals without a label in schema.py: {unlabelled}", source=GRAMMARS[template])
    _check_kinds(template, lark)
    return lark


def _check_kinds(template: str, lark: Lark) -> None:
    """Every row's values are of its columns' kinds — a count (``NUMBER``), an amount (``AMOUNT``), a change
    (``CHANGE``): the grammar names them, schema.py's ``AMOUNT_COLUMNS`` and ``SIGNED_COLUMNS`` say them, and the
    values are read by the latter, so the two must agree."""
    rules = lalr.rules(lark)
    kinds = {
        name: bare(symbol)
        for name, options in rules.items()
        if all(len(e) == 1 and e[0][1] and bare(e[0][0]) in VALUES for e in options)
        for ((symbol, _),) in options
        if bare(symbol) in NUMBERS
    }

    def spelled(symbol: str) -> list[str]:
        if symbol in kinds:
            return [kinds[symbol]]
        return [kind for expansion in rules[symbol] for part, _ in expansion for kind in spelled(part)]

    for name, options in rules.items():
        if bare(name) == "review_values":
            scope, label, values = "reviews", None, [s for e in options for s, _ in e]
        elif name.startswith("row{"):
            ((terminal, _), *parts), *_ = options
            label, values = bare(terminal), [s for s, _ in parts]
            scope = _scope(template, label)
        else:
            continue
        got = [kind for symbol in values for kind in spelled(symbol)]
        want = ["AMOUNT" if c.amount else "CHANGE" if c.signed else "NUMBER" for c in columns(template, scope, label)]
        if got != want:
            raise GrammarError(f"{name}: values {got} where schema.py's columns are {want}", source=GRAMMARS[template])


def _scope(template: str, label: str) -> str:
    """The table (for table 1: and item) of the row ``label``."""
    row = keys(template).item_rows.get(label)
    if row is None:
        return "applications"
    item = next(item for item, (rows, _) in schema.ACTIVE_DISCLOSURE[template].items() if row in dict(rows))
    return f"active_disclosure/{item}"


def lexer(template: str) -> CellLexer:
    """The cell lexer of ``template``'s parser."""
    found = lalr.lexer_of(parser(template))
    assert isinstance(found, CellLexer)
    return found


@grammars.derived
def stacks(template: str) -> lalr.Stacks:
    """The stack automaton of ``template``'s parser (its parse table and tree callbacks), shared with its lexer."""
    return lexer(template).automaton(parser(template))


@grammars.derived
def spans(template: str) -> dict[str, tuple[int, int]]:
    """Where each terminal stands in the form: first and last index in a walk of the grammar in written order.

    The tables are one fixed sequence, so these places order the labels the parser can take at any point; the
    recovery uses them to walk forward (:mod:`xxgk.tables.recovery`).
    """
    rules = lalr.rules(parser(template))
    found: dict[str, tuple[int, int]] = {}
    seen: set[str] = set()
    counter = itertools.count()

    def walk(name: str) -> None:
        seen.add(name)
        for expansion in rules.get(name, []):
            for symbol, term in expansion:
                if term:
                    at = next(counter)
                    found[symbol] = (found.get(symbol, (at, at))[0], at)
                elif symbol not in seen:
                    walk(symbol)

    walk("start")
    return found


@grammars.derived
def value_rules(template: str) -> frozenset[str]:
    """The rules of ``template``'s grammar that stand for one value cell (``_value``)."""
    return frozenset(
        name
        for name, options in lalr.rules(parser(template)).items()
        if all(len(e) == 1 and e[0][1] and bare(e[0][0]) in VALUES for e in options)
    )


@grammars.derived
def continuing(template: str) -> frozenset[str]:
    """The terminals after which a value continues a row: a row label or a value (see :func:`cells.mid_row`)."""
    names = [n for n in stacks(template).symbols() if is_terminal(n) and n != lalr.END]
    return frozenset(n for n in names if bare(n) in VALUES or bare(n).startswith(ROW_LABEL))


@grammars.derived
def tables(template: str) -> dict[str, str]:
    """The table (``active_disclosure``, ``applications``, ``reviews``) of each terminal of ``template``'s grammar
    that is no value: one each, as the forms have no label in two tables (a grammar that had one is refused)."""
    rules = lalr.rules(parser(template))
    found: dict[str, str] = {}

    def walk(name: str, table: str, seen: set[str]) -> None:
        seen.add(name)
        for expansion in rules.get(name, []):
            for symbol, term in expansion:
                if not term:
                    if symbol not in seen:
                        walk(symbol, table, seen)
                elif bare(symbol) not in VALUES and found.setdefault(symbol, table) != table:
                    raise GrammarError(f"{symbol} stands in {found[symbol]} and in {table}", source=GRAMMARS[template])

    for name in rules:
        if bare(name) in schema.TABLE_SECTIONS:
            walk(name, bare(name), set())
    return found
