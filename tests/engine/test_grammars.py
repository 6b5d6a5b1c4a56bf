"""``grammars.reload`` forgets the parsers and all that the stages worked out from them (the REPL's ``:reload``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import xxgk
from tests.conftest import corpus_files
from xxgk.document import parser as document
from xxgk.document.lexer import LineLexer
from xxgk.engine import grammars, lalr
from xxgk.tables import serial, statutory


def _worked_out() -> tuple[Any, ...]:
    """Things the stages build from the grammars once and keep."""
    lines = grammars.load(serial.GRAMMARS["lines"])
    return (
        statutory.parser("2021"),
        statutory._stacks("2021"),
        lalr.lark_parts(document.parser()),
        lines,
        lalr._table(lines),
    )


def test_reload_forgets_what_was_read_from_the_grammars() -> None:
    before = [xxgk.parse_file(path) for path in corpus_files()]
    read = _worked_out()
    grammars.reload()
    assert all(new is not old for new, old in zip(_worked_out(), read, strict=True))
    # Rebuilt from the grammar files read again, the stages give the same reports (stack numbers and places anew).
    assert [xxgk.parse_file(path) for path in corpus_files()] == before


def _fresh_reports(monkeypatch: pytest.MonkeyPatch, cache: Path) -> list[xxgk.Report]:
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    grammars.reload()
    return [xxgk.parse_file(path) for path in corpus_files()]


def test_parsers_read_back_from_the_cache_give_the_same_reports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built = _fresh_reports(monkeypatch, tmp_path)
    saved = {p.name.split("-")[0] for p in (tmp_path / "xxgk").iterdir()}
    assert saved >= {"document", "common", "table_2019", "table_2021"}

    def build(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("built, not read from the cache")

    monkeypatch.setattr(grammars.Lark, "open_from_package", build)
    assert _fresh_reports(monkeypatch, tmp_path) == built


def test_a_damaged_cache_file_is_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    built = _fresh_reports(monkeypatch, tmp_path)
    files = sorted((tmp_path / "xxgk").iterdir())
    for i, path in enumerate(files):
        path.write_bytes(path.read_bytes()[: 10 * i])  # cut short, down to empty
    assert _fresh_reports(monkeypatch, tmp_path) == built
    assert all(path.stat().st_size > 100 for path in files)


def test_a_cache_folder_that_cannot_be_written_only_means_building(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "a file"
    blocked.write_text("not a folder")
    built = _fresh_reports(monkeypatch, tmp_path / "ok")
    assert _fresh_reports(monkeypatch, blocked) == built
    assert blocked.read_text() == "not a folder"


def test_an_edited_grammar_file_has_its_own_cache_file(monkeypatch: pytest.MonkeyPatch) -> None:
    options = {"parser": "lalr", "lexer": LineLexer}
    before = grammars._cache_file("document", options)
    assert grammars._cache_file("document", {**options, "start": "other"}) != before
    monkeypatch.setattr(grammars, "_sources", lambda: b"document.lark\0start: WORD\0")
    assert grammars._cache_file("document", options) != before


def test_without_a_home_folder_nothing_is_cached(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_home() -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.setenv("XDG_CACHE_HOME", "relative/ignored")
    monkeypatch.setattr(grammars.Path, "home", no_home)
    assert grammars.cache_dir() is None
    grammars.reload()
    assert xxgk.parse_file(corpus_files()[0]).tables.applications
