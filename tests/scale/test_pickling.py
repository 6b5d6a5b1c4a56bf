"""A Report crosses from a worker process to its parent pickled (xxgk.scale.batch.parse_many): what arrives is the
record that left, field by field — the same types, the same values written the same way (a Decimal ``1.0`` is not
``1``), the same read-only tables — and is made by the records' own ``__init__`` (records.pickled_by_init)."""

from __future__ import annotations

import pickle
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import corpus_files
from xxgk.records import (
    CellRef,
    Diagnostic,
    Finding,
    FrozenDict,
    Period,
    Report,
    Section,
    Span,
    Tables,
    Value,
    pickled_by_init,
)
from xxgk.scale.batch import Failure, Outcome, parse_one


def assert_same(before: Any, after: Any, where: str = "") -> None:
    """``after`` is ``before`` again: of the same type at every level, and each value written the same (``==``
    alone takes ``Decimal('1.0')`` for ``1`` and a dict for a FrozenDict)."""
    assert type(after) is type(before), where
    if attrs.has(type(before)):
        for f in attrs.fields(type(before)):
            assert_same(getattr(before, f.name), getattr(after, f.name), f"{where}.{f.name}")
    elif isinstance(before, dict):
        assert list(after) == list(before), where
        for key, value in before.items():
            assert_same(value, after[key], f"{where}[{key!r}]")
    elif isinstance(before, tuple | list):
        assert len(after) == len(before), where
        for i, (b, a) in enumerate(zip(before, after, strict=True)):
            assert_same(b, a, f"{where}[{i}]")
    else:
        assert after == before and repr(after) == repr(before), where


def round_trip(record: Any) -> Any:
    return pickle.loads(pickle.dumps(record, pickle.HIGHEST_PROTOCOL))


@pytest.mark.parametrize("path", corpus_files(documents=True), ids=lambda p: p.stem)
def test_every_corpus_outcome_survives_the_trip(path: Path) -> None:
    outcome = parse_one(path)
    assert outcome.report is not None
    again = round_trip(outcome)
    assert_same(outcome, again)
    assert again == outcome
    # A record the report holds twice (a period's section, in the section tree too) arrives once, held twice.
    tree = {id(s) for s in _sections(again.report.sections)}
    assert all(id(p.section) in tree for p in again.report.periods)


def _sections(sections: tuple[Section, ...]) -> list[Section]:
    return [s for top in sections for s in (top, *_sections(top.children))]


lines = st.integers(0, 10**6)
texts = st.text(max_size=6)
numbers = st.one_of(st.none(), st.integers(), st.decimals(allow_nan=False, allow_infinity=False, places=3))
values = st.builds(Value, numbers, lines, lines, texts)
cell_refs = st.builds(CellRef, texts, numbers, st.none() | lines)
diagnostics = st.builds(Diagnostic, texts, texts, st.none() | lines, st.none() | lines, texts)
leaf_sections = st.builds(Section, st.none() | texts, st.none() | texts, texts, texts, lines, texts)
sections = st.recursive(
    leaf_sections,
    lambda children: st.builds(
        Section, st.none() | texts, st.none() | texts, texts, texts, lines, texts, st.tuples(children, children)
    ),
    max_leaves=6,
)
keyed = st.dictionaries(texts, st.dictionaries(texts, values, max_size=3), max_size=3)
tables = st.builds(Tables, st.dictionaries(texts, keyed, max_size=2), keyed, keyed)
findings = st.builds(
    Finding,
    texts,
    st.sampled_from(["error", "warning", "uncertain"]),
    st.lists(cell_refs, max_size=3).map(tuple),
    numbers,
    numbers,
    texts,
    texts,
)
spans = st.builds(Span, texts, lines, lines)


@st.composite
def reports(draw: st.DrawFn) -> Report:
    tree = tuple(draw(st.lists(sections, max_size=3)))
    periods = tuple(Period(draw(lines), draw(st.booleans()), s) for s in _sections(tree)[:2])
    maybe_text = st.none() | texts
    return Report(
        draw(maybe_text),
        draw(maybe_text),
        draw(st.none() | lines),
        draw(maybe_text),
        draw(maybe_text),
        tree,
        draw(tables),
        tuple(draw(st.lists(findings, max_size=3))),
        tuple(draw(st.lists(diagnostics, max_size=3))),
        tuple(draw(st.lists(spans, max_size=2))),
        None,
        draw(st.none() | lines),
        periods,
    )


failures = st.builds(Failure, texts, texts, st.none() | lines, st.none() | lines, st.integers(0, 255))
outcomes = st.builds(Outcome, texts, st.none() | reports(), st.none() | failures)


@given(st.lists(outcomes, max_size=3))
def test_generated_outcomes_survive_the_trip(batch: list[Outcome]) -> None:
    again = round_trip(batch)
    assert_same(batch, again)
    assert all(isinstance(o.report.tables.applications, FrozenDict) for o in again if o.report is not None)


@given(st.lists(values | cell_refs | diagnostics | spans, max_size=4))
def test_shared_records_arrive_shared(records: list[Any]) -> None:
    again = round_trip(records + records)
    assert_same(records + records, again)
    assert all(a is b for a, b in zip(again[: len(records)], again[len(records) :], strict=True))


MADE: list[tuple[int, Decimal]] = []


@pickled_by_init
@attrs.frozen
class Watched:
    """A record that notes each time its ``__init__`` makes one."""

    a: int
    b: Decimal

    def __attrs_post_init__(self) -> None:
        MADE.append((self.a, self.b))


def test_a_record_is_remade_by_its_init() -> None:
    MADE.clear()
    again = round_trip(Watched(1, Decimal("1.0")))
    made_twice = [(1, Decimal("1.0"))] * 2  # made to pickle, and made again by unpickling
    assert made_twice == MADE
    assert_same(Watched(1, Decimal("1.0")), again)


def test_a_field_init_cannot_take_positionally_is_refused() -> None:
    with pytest.raises(TypeError, match="positional"):

        @pickled_by_init
        @attrs.frozen
        class KeywordOnly:
            a: int
            b: int = attrs.field(kw_only=True)

    with pytest.raises(TypeError, match="positional"):

        @pickled_by_init
        @attrs.frozen
        class Derived:
            a: int
            b: int = attrs.field(init=False, default=0)

    with pytest.raises(TypeError, match="two or more"):

        @pickled_by_init
        @attrs.frozen
        class Alone:
            a: int
