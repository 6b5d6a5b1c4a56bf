"""The table layer's fast ways agree with Lark's own parse (one executor per grammar, docs/architecture.md).

- Serialisation: the one-pass readers and :func:`lalr.parse` give the cells Lark's own parse of the form's grammar
  gives (``split_cells(…, reference=True)``), for every form, on generated text.
- Statutory: the stack automaton answers the cell lexer's questions (which terminals the parser can take) as
  Lark's interactive parser does, and the well-formed read on the parse table (:mod:`xxgk.tables.wellformed`) gives
  the tables and diagnostics that Lark's parser with the recovery gives (``read_cell_stream(…, reference=True)``),
  on generated tables of both templates in every form (``tests/forms.py``), intact and damaged — by the forms'
  damage and by cells deleted, doubled, swapped or inserted; where a cell does not fit, the recovery's driver
  (``lalr.Driver``, the units read off the stacks its shifts reached) gives the units Lark's parser with the
  recovery gives, its tree transformed.

``XXGK_DIFF_EXAMPLES=500 pytest tests/tables/test_differential.py`` searches deeper (the default keeps CI fast).
"""

from __future__ import annotations

import contextlib
import os
import random
from typing import Final

import attrs
import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from lark import Token
from lark.exceptions import UnexpectedInput

from tests import forms
from xxgk.engine import lalr
from xxgk.normalise.text import normalise
from xxgk.records import Block, Cell, Cells
from xxgk.tables import grammar
from xxgk.tables.cells import Stream
from xxgk.tables.form import bare
from xxgk.tables.recovery import Recovery, _stack
from xxgk.tables.serial import GRAMMARS, Form, detect_form, read_block, split_cells
from xxgk.tables.statutory import read_cell_stream
from xxgk.tables.tree import Parsed

EXAMPLES: Final = int(os.environ.get("XXGK_DIFF_EXAMPLES", "25"))

# --- serialisation ---------------------------------------------------------------------------------------------

LINES = st.lists(
    st.sampled_from(["", " ", "\t", "\t规章", " \t0", "规章", "规章 0 0 5", "0", "|||", "| |", "规章 |", "a | b |"])
    | st.sampled_from(["| a | b |", "|---|:---:|", "--- | ---", "a\tb\t", "规\n章\n制", "规章。", "(一)规章 3"])
    | st.sampled_from(["一、 规 章 0", "(三) 不予公开 2", "① 规章", "科 研 机 构 5", " 规 \n章\n 制 ", "1. 规章\t0"])
    | st.text(alphabet="|\t \u3000-:/规章0。", max_size=8),
    max_size=14,
).map("\n".join)
# White space that is no space, tab or line end ("\x0b", "\x85"): the readers strip as the terminals' \s matches.
TEXT = st.text(alphabet="|\t \n-:/规章0。\x0b\x85", max_size=80) | LINES


@pytest.mark.parametrize("form", list(GRAMMARS))
@settings(max_examples=8 * EXAMPLES, deadline=None)
@given(text=TEXT)
@example(text="0 规\n章\n制\n")  # a vertical cell's shape that starts after a row's cell: no vertical cell
def test_every_form_reads_as_larks_parse(form: Form, text: str) -> None:
    assert split_cells(text, form) == split_cells(text, form, reference=True)


def test_the_serial_comparison_can_fail() -> None:
    """A row break the one-pass reader would miss shows: the cells differ."""
    assert split_cells("\tA\n\tB\n", "tab_rows") != split_cells("\tA\n\n\tB\n", "tab_rows", reference=True)


# Debris the normaliser removes or shortens, so that a block's columns in the original differ from the text's.
DEBRIS = st.sampled_from(["[bookmark: _Hlk1]", "&nbsp;", "</span>", "\r\n", "公開", "\u200b"])


@settings(max_examples=4 * EXAMPLES, deadline=None)
@given(parts=st.lists(LINES | DEBRIS, min_size=1, max_size=6), data=st.data())
def test_a_block_is_read_where_larks_cells_are(parts: list[str], data: st.DataObject) -> None:
    """read_block's cells, positioned by lines and columns (in place, or located), are Lark's cells located."""
    norm = normalise("".join(parts))
    starts = [0, *(i + 1 for i, ch in enumerate(norm.text) if ch == "\n")]
    i = data.draw(st.integers(0, len(starts) - 1))
    j = data.draw(st.integers(i + 1, len(starts)))
    block = Block("applications", starts[i], starts[j] - 1 if j < len(starts) else len(norm.text), i + 1)
    cells, _ = read_block(block, norm)
    text = norm.text[block.start : block.end]
    pieces = split_cells(text, detect_form(text) or "paragraphs", reference=True) if text.strip() else []
    lines, columns = norm.locate_many([offset for _, offset, _ in pieces], block.start)
    expected = ([t for t, _, _ in pieces], lines, columns, [row_start for _, _, row_start in pieces])
    assert (cells.texts, cells.lines, cells.columns, cells.row_starts) == expected


# --- statutory -------------------------------------------------------------------------------------------------


# A cell and whether its block's form shows every row (Cells.shown), so that edits keep both.
Shown = tuple[Cell, bool]


def cells_of(blocks: list[str]) -> list[Shown]:
    """The cells of the table blocks, as the pipeline reads them (each block on its own, one stream)."""
    streams = []
    for text in blocks:
        norm = normalise(text)
        streams.append(read_block(Block("applications", 0, len(norm.text), 1), norm)[0])
    joined = Cells.joined(streams)
    return [(joined.cell(i), joined.shown[i]) for i in range(len(joined))]


def as_cells(cells: list[Shown]) -> Cells:
    """The stream of ``cells``, each block's form as it was read."""
    stream = Cells.of([c for c, _ in cells])
    return attrs.evolve(stream, shown=[shown for _, shown in cells])


EDIT = st.tuples(
    st.sampled_from(["delete", "double", "swap", "insert"]),
    st.floats(0, 1),
    st.sampled_from(
        ["某某情况", "其他", "结果", "总计", "本年新", "0", "", "/", "商业", "审结", "l2", "3件", "(三)", "-"]
    ),
)


def edited(cells: list[Shown], edits: list[tuple[str, float, str]]) -> list[Shown]:
    """``cells`` with cells deleted, doubled, swapped with the next, or a debris cell inserted."""
    out = list(cells)
    for how, where, text in edits:
        if not out:
            break
        i = min(int(where * len(out)), len(out) - 1)
        if how == "delete":
            del out[i]
        elif how == "double":
            out.insert(i, out[i])
        elif how == "swap" and i + 1 < len(out):
            out[i], out[i + 1] = out[i + 1], out[i]
        elif how == "insert":
            out.insert(i, (attrs.evolve(out[i][0], text=text), out[i][1]))
    return out


@pytest.mark.parametrize("form", forms.ALL_FORMS)
@pytest.mark.parametrize("template", ["2019", "2021"])
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    phases=(Phase.explicit, Phase.reuse, Phase.generate),  # no shrinking: the drawn damage says what was done
)
@given(
    damage=st.sampled_from(forms.DAMAGE),
    edits=st.lists(EDIT, max_size=3) | st.just([]),
    consistent=st.booleans(),
    rng=st.randoms(use_true_random=False),
)
def test_the_well_formed_read_is_larks_parse(
    template: str, form: str, damage: str, edits: list[tuple[str, float, str]], consistent: bool, rng: random.Random
) -> None:
    values = forms.random_tables(rng, template, consistent=consistent)
    cells = as_cells(edited(cells_of(forms.table_blocks(values, template, form, damage, rng)), edits))
    assert read_cell_stream(cells, template) == read_cell_stream(cells, template, reference=True)


def test_the_statutory_comparison_can_fail() -> None:
    """One value changed shows: the tables differ."""
    values = forms.random_tables(random.Random(1), "2021", consistent=True)
    cells = cells_of(forms.table_blocks(values, "2021", "tab_rows", "none", random.Random(1)))
    i = next(i for i, (c, _) in enumerate(cells) if c.text.isdigit())
    cell, shown = cells[i]
    changed = [*cells[:i], (attrs.evolve(cell, text=str(int(cell.text) + 1)), shown), *cells[i + 1 :]]
    assert read_cell_stream(as_cells(cells), "2021") != read_cell_stream(as_cells(changed), "2021", reference=True)


@pytest.mark.parametrize("template", ["2019", "2021"])
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    form=st.sampled_from(forms.ALL_FORMS),
    damage=st.sampled_from(forms.DAMAGE),
    edits=st.lists(EDIT, max_size=2),
    rng=st.randoms(use_true_random=False),
)
def test_the_lexers_questions_are_larks(
    template: str, form: str, damage: str, edits: list[tuple[str, float, str]], rng: random.Random
) -> None:
    """Before every token the cell lexer gives Lark's parser (up to the first that does not fit), the terminals the
    stack automaton says the parser can take — what the lexer and the recovery choose by — are those Lark's
    interactive parser accepts."""
    values = forms.random_tables(rng, template, consistent=True)
    cells = as_cells(edited(cells_of(forms.table_blocks(values, template, form, damage, rng)), edits))
    stacks = grammar.stacks(template)
    interactive = grammar.parser(template).parse_interactive(Stream(cells))
    try:
        for _ in interactive.iter_parse():  # each token is yielded before the parser takes it
            assert stacks.accepts(stacks.number_of(interactive), str.isupper) == interactive.accepts()
    except UnexpectedInput:
        pass  # the recovery's business; the questions asked so far were answered alike


# A damaged stream of a table form: the tables in a form, damaged as extraction damages them, then cells edited.
DAMAGED_STREAMS = given(
    form=st.sampled_from(forms.ALL_FORMS),
    damage=st.sampled_from(forms.DAMAGE),
    edits=st.lists(EDIT, min_size=1, max_size=4),
    rng=st.randoms(use_true_random=False),
)


def damaged_stream(
    template: str, form: str, damage: str, edits: list[tuple[str, float, str]], rng: random.Random
) -> Cells:
    """The cells of generated tables of ``template`` in ``form`` with ``damage``, then ``edits``."""
    values = forms.random_tables(rng, template, consistent=rng.random() < 0.5)
    return as_cells(edited(cells_of(forms.table_blocks(values, template, form, damage, rng)), edits))


@pytest.mark.parametrize("template", ["2019", "2021"])
@settings(max_examples=2 * EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@DAMAGED_STREAMS
def test_the_recovery_driver_makes_the_units_of_larks_tree(
    template: str, form: str, damage: str, edits: list[tuple[str, float, str]], rng: random.Random
) -> None:
    """Where a cell does not fit, the parse with the recovery runs on the stack automaton (``lalr.Driver``), the
    units read off the stacks its shifts reached (``tree.parsed``): those units and headings (each token with its
    cells), and what the recovery notes on the stream, are what Lark's parser with the same recovery gives, its
    tree transformed — or both refuse the stream alike."""
    cells = damaged_stream(template, form, damage, edits, rng)
    outcomes = []
    for reference in (False, True):
        stream = Stream(cells)
        try:
            parsed: object = shape(Recovery(stream, template).parse(grammar.parser(template), reference=reference))
        except UnexpectedInput as exc:
            parsed = type(exc)
        noted = (stream.skipped, stream.disagreeing, stream.diagnostics, stream.dropped, stream.orphaned)
        outcomes.append((parsed, noted))
    assert outcomes[0] == outcomes[1]


class _Watching(Recovery):
    """The recovery as Lark's ``on_error``, noting at every error the terminal it reads as taken last (off the
    parser's state stack) and the top of Lark's value stack."""

    def __init__(self, stream: Stream, template: str) -> None:
        super().__init__(stream, template)
        self.seen: list[tuple[str | None, object]] = []

    def __call__(self, error: UnexpectedInput) -> bool:
        ip = error.interactive_parser  # type: ignore[attr-defined]
        values = lalr.value_stack(ip)
        stacks = self.lexer.automaton(ip)
        self.seen.append((_stack(self.template, stacks, stacks.number_of(ip)).top, values[-1] if values else None))
        return super().__call__(error)


@pytest.mark.parametrize("template", ["2019", "2021"])
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@DAMAGED_STREAMS
def test_the_terminal_taken_last_is_the_top_of_larks_value_stack(
    template: str, form: str, damage: str, edits: list[tuple[str, float, str]], rng: random.Random
) -> None:
    """The recovery reads the terminal the parser took last off its state stack (the driver keeps no value stack):
    wherever Lark's parser meets an error, the top of its value stack is a token of that terminal, and no token
    where the stack's top is a rule."""
    cells = damaged_stream(template, form, damage, edits, rng)
    watching = _Watching(Stream(cells), template)
    with contextlib.suppress(UnexpectedInput):  # the stream refused: the errors met before are still compared
        grammar.parser(template).parse(watching.stream, on_error=watching)
    for taken, top in watching.seen:
        assert taken == (bare(top.type) if isinstance(top, Token) else None)


def test_the_value_stack_comparison_can_fail() -> None:
    """The errors of a damaged stream meet both a token and a rule's tree on top of Lark's value stack, so a reading
    of the state stack that got either case wrong fails the comparison above."""
    values = forms.random_tables(random.Random(2), "2021", consistent=True)
    cells = cells_of(forms.table_blocks(values, "2021", "tab_rows", "none", random.Random(2)))
    damaged = edited(cells, [("insert", 0.3, "某某情况"), ("delete", 0.5, ""), ("insert", 0.7, "0")])
    watching = _Watching(Stream(as_cells(damaged)), "2021")
    grammar.parser("2021").parse(watching.stream, on_error=watching)
    assert {isinstance(top, Token) for _, top in watching.seen} == {True, False}


def shape(parsed: Parsed) -> object:
    """The units and headings of a parse with every token as (terminal, text, cells): a Token equals any token of
    its type and text."""

    def token(t: Token | None) -> object:
        return None if t is None else (t.type, str(t.value), t.start_pos, t.end_pos, t.line, t.column)

    units = [(u.scope, u.columns, token(u.label), [token(v) for v in u.values], u.dropped) for u in parsed.units]
    return units, [(token(t), scope) for t, scope in parsed.headings]


def test_the_units_comparison_can_fail() -> None:
    """A stream with one cell fewer gives other units."""
    values = forms.random_tables(random.Random(2), "2021", consistent=True)
    cells = cells_of(forms.table_blocks(values, "2021", "tab_rows", "none", random.Random(2)))
    lark = grammar.parser("2021")
    driven = Recovery(Stream(as_cells(cells[:40] + cells[41:])), "2021").parse(lark)
    assert shape(driven) != shape(Recovery(Stream(as_cells(cells)), "2021").parse(lark, reference=True))


@pytest.mark.parametrize("template", ["2019", "2021"])
@settings(max_examples=2 * EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@DAMAGED_STREAMS
def test_a_units_tokens_are_its_streams_cells(
    template: str, form: str, damage: str, edits: list[tuple[str, float, str]], rng: random.Random
) -> None:
    """Placing reads a unit's values and label off the stream by their tokens' indices (``Placer.place``), as the
    well-formed read's rows: every value token is a GAP at -1 or the cell at its index (its text, line, column), and
    every label token the cell at its index or supplied at -1 — by the driver and in Lark's own tree."""
    cells = damaged_stream(template, form, damage, edits, rng)
    for reference in (False, True):
        try:
            parsed = Recovery(Stream(cells), template).parse(grammar.parser(template), reference=reference)
        except UnexpectedInput:
            continue
        assert_tokens_are_cells(parsed, cells)


def assert_tokens_are_cells(parsed: Parsed, cells: Cells) -> None:
    """Each unit's tokens are cells of ``cells`` at their indices, or synthetic at -1 (value tokens: GAPs only)."""
    for unit in parsed.units:
        tokens = [(t, bare(t.type) != "GAP") for t in unit.values]
        for token, own in tokens + ([] if unit.label is None else [(unit.label, None)]):
            i = token.start_pos
            if i is None or i < 0:
                assert i == -1 and own is not True, token
            else:
                assert own is not False, token  # no GAP stands at a cell
                cell = (cells.texts[i], cells.lines[i], cells.columns[i])
                assert (str(token.value), token.line, token.column) == cell


def test_the_tokens_comparison_can_fail() -> None:
    """A value token moved off its cell shows."""
    values = forms.random_tables(random.Random(2), "2021", consistent=True)
    cells = as_cells(cells_of(forms.table_blocks(values, "2021", "tab_rows", "none", random.Random(2))))
    parsed = Recovery(Stream(cells), "2021").parse(grammar.parser("2021"))
    assert_tokens_are_cells(parsed, cells)
    token = parsed.units[3].values[0]
    token.start_pos = (token.start_pos or 0) + 1
    with pytest.raises(AssertionError):
        assert_tokens_are_cells(parsed, cells)
