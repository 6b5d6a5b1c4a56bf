"""The public API: the package docstring is a tutorial that runs, tables are read-only, ``source`` is the path."""

from __future__ import annotations

import doctest
import gc
import pickle
from pathlib import Path
from typing import Any

import attrs
import pytest

import xxgk
from tests.conftest import ROOT, corpus_files
from xxgk import pipeline
from xxgk.records import FrozenDict, Tables, Value


def test_the_package_docstring_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # its example names the file relative to the repository
    failed, tried = doctest.testmod(xxgk, report=True)
    assert tried >= 10 and failed == 0


def test_every_name_of_all_is_there() -> None:
    assert all(getattr(xxgk, name) is not None for name in xxgk.__all__)
    with pytest.raises(AttributeError):
        _ = xxgk.no_such_name  # type: ignore[attr-defined]


def test_a_reports_tables_are_read_only() -> None:
    report = xxgk.parse_file(corpus_files()[0])
    t = report.tables
    with pytest.raises(TypeError, match="read-only"):
        t.applications["total"]["total"] = Value(1, 1, 1, "1")
    with pytest.raises(TypeError):
        t.applications.pop("total")
    with pytest.raises(TypeError):
        t.active_disclosure["art20_1"]["rules"].update({})
    copy = dict(t.applications["total"])
    copy["total"] = Value(1, 1, 1, "1")  # a copy is an ordinary dict
    assert xxgk.to_json(report)  # and the report still exports


def test_read_only_tables_pickle_compare_and_evolve() -> None:
    report = xxgk.parse_file(corpus_files()[0])
    again = pickle.loads(pickle.dumps(report))
    assert again == report and isinstance(again.tables.reviews, FrozenDict)
    built = xxgk.Report(None, None, None, None, None, tables=Tables(applications={"total": {}}))
    assert isinstance(built.tables.applications["total"], FrozenDict)  # frozen however the Report is made
    assert attrs.evolve(built, year=2020).tables == built.tables


def test_source_is_the_path_as_given(tmp_path: Path) -> None:
    nested = tmp_path / "a" / "report.txt"
    nested.parent.mkdir()
    nested.write_bytes(corpus_files()[0].read_bytes())
    assert xxgk.parse_file(nested).source == str(nested)
    assert xxgk.parse_file(str(nested)).source == str(nested)


def test_parse_leaves_the_garbage_collector_as_it_found_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """The collector is paused while a text is parsed (docs/performance.md) and restored after — also when the
    parse raises, and left off when the caller had it off."""
    seen: list[bool] = []
    real = pipeline.normalise

    def watching(*args: Any, **kwargs: Any) -> Any:
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline, "normalise", watching)
    assert gc.isenabled()
    xxgk.parse(corpus_files()[0].read_bytes())
    assert seen == [False] and gc.isenabled()
    with pytest.raises(xxgk.InputError):
        xxgk.parse(b"\x00\x01\x02binary")
    assert gc.isenabled()
    gc.disable()
    try:
        xxgk.parse(corpus_files()[0].read_bytes())
        assert not gc.isenabled()
    finally:
        gc.enable()
