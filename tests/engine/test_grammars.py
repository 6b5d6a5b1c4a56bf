"""The grammar loader: one parser per grammar and options, kept on disk between processes and read back identical,
and :func:`grammars.reload` forgetting the parsers and all that was worked out from them (the REPL's ``:reload``)."""

from __future__ import annotations

import os
import pickle
import re
import subprocess
import sys
import types
from pathlib import Path
from typing import Any

import pytest

import xxgk
from tests.conftest import corpus_files
from xxgk.engine import grammars, lalr


def test_reload_forgets_what_was_read_from_the_grammars() -> None:
    before = [xxgk.parse_file(path) for path in corpus_files()]
    worked: list[object] = []

    @grammars.derived
    def worked_out(name: str) -> object:
        worked.append(name)
        return grammars.load(name).terminals

    name = "serial_lines"
    parser, terminals = grammars.load(name), worked_out(name)
    assert grammars.load(name) is parser and worked_out(name) is terminals and worked == [name]
    grammars.reload()
    assert grammars.load(name) is not parser and worked_out(name) is not terminals and worked == [name, name]
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
    assert saved >= {"document", "serial_lines", "table_2019", "table_2021"}

    def build(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("built, not read from the cache")

    monkeypatch.setattr(grammars.Lark, "open_from_package", build)
    assert _fresh_reports(monkeypatch, tmp_path) == built


def test_lalr_parsers_are_kept_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Read back by unpickling alone (their parse tables' actions Lark's own singletons, their lexers made anew):
    not Lark.load, a third of whose time that takes."""
    built = _fresh_reports(monkeypatch, tmp_path)

    def load(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("read back by Lark.load, not kept whole")

    monkeypatch.setattr(grammars.Lark, "load", load)
    assert _fresh_reports(monkeypatch, tmp_path) == built


def test_until_the_engine_says_how_a_parser_is_kept_in_larks_save_format(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert grammars._WHOLE[0] is lalr.reduced  # said by the engine as it is imported
    options = {"parser": "lalr", "maybe_placeholders": False}
    whole = grammars.cache_file("serial_lines", options)
    monkeypatch.setattr(grammars, "_WHOLE", [])
    assert grammars.cache_file("serial_lines", options) != whole  # a file of its own: neither reads the other's
    built = _fresh_reports(monkeypatch, tmp_path)
    loaded: list[object] = []
    load = grammars.Lark.load
    monkeypatch.setattr(grammars.Lark, "load", lambda f: loaded.append(f) or load(f))
    assert _fresh_reports(monkeypatch, tmp_path) == built
    assert len(loaded) >= 3 and all(isinstance(saved, dict) for saved in loaded)  # document, table_2019, table_2021


def test_a_damaged_cache_file_is_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    built = _fresh_reports(monkeypatch, tmp_path)
    files = sorted((tmp_path / "xxgk").iterdir())
    for i, path in enumerate(files):
        path.write_bytes(path.read_bytes()[: 10 * i])  # cut short, down to empty
    assert _fresh_reports(monkeypatch, tmp_path) == built
    # Every file there again, whole; the well-formed read's moves under the rebuilt parser's file (grammars.store).
    again = sorted((tmp_path / "xxgk").iterdir())
    assert [path.name.rsplit("-", 1)[0] for path in again] == [path.name.rsplit("-", 1)[0] for path in files]
    assert all(path.stat().st_size > 100 for path in again)


def test_a_cache_folder_that_cannot_be_written_only_means_building(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "a file"
    blocked.write_text("not a folder")
    built = _fresh_reports(monkeypatch, tmp_path / "ok")
    assert _fresh_reports(monkeypatch, blocked) == built
    assert blocked.read_text() == "not a folder"


def test_a_parser_that_does_not_pickle_is_built_in_every_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built = _fresh_reports(monkeypatch, tmp_path / "ok")

    def unpicklable(obj: object) -> None:
        raise TypeError(f"cannot pickle {type(obj).__name__!r} object")

    monkeypatch.setattr(grammars, "_WHOLE", [unpicklable])
    assert _fresh_reports(monkeypatch, tmp_path / "not") == built
    assert not list((tmp_path / "not" / "xxgk").glob("table_*"))
    # Nor what is worked out on its states (each process numbers them anew).
    assert not list((tmp_path / "not" / "xxgk").glob("wellformed_*"))


def test_a_store_on_a_parsers_states_is_kept_under_the_file_the_parser_was_read_from(tmp_path: Path) -> None:
    """Lark numbers a parse table's states in set order, which differs with the hash seed: a parser that another
    process built anew (here: another seed) in place of the first is not read with the moves worked out on the
    first one's state numbers."""
    code = (
        "from xxgk.tables import grammar, wellformed\n"
        "print(grammar.parser('2021').parser.parser.parser.parse_table.start_states, wellformed._kept('2021').path)"
    )
    seen = []
    for seed in ("1", "2"):
        for built in (tmp_path / "xxgk").glob("table_2021-*"):
            built.unlink()  # built anew by this process
        env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path), "PYTHONHASHSEED": seed}
        seen.append(subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True))
    (start1, kept1), (start2, kept2) = (run.stdout.rsplit(" ", 1) for run in seen)
    assert start1 != start2  # the two parsers number their states otherwise (these two seeds do)
    assert kept1 != kept2


def test_an_edited_grammar_file_has_its_own_cache_file(monkeypatch: pytest.MonkeyPatch) -> None:
    options = {"parser": "lalr", "maybe_placeholders": False}
    before = grammars.cache_file("serial_lines", options)
    assert before is not None and before.name.startswith("serial_lines-")
    assert grammars.cache_file("serial_lines", {**options, "start": "other"}) != before
    assert grammars.cache_file("serial_lines", options) == before
    edited = grammars.sources().replace(b"\0", b"\0 ", 1)  # one more space in the first grammar file
    monkeypatch.setattr(grammars, "sources", lambda: edited)
    assert grammars.cache_file("serial_lines", options) != before


def test_without_a_home_folder_nothing_is_cached(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_home() -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.setenv("XDG_CACHE_HOME", "relative/ignored")
    monkeypatch.setattr(grammars.Path, "home", no_home)
    assert grammars.cache_dir() is None
    grammars.reload()
    assert xxgk.parse_file(corpus_files()[0]).tables.applications


def test_regexes_read_back_from_the_cache_are_those_compiled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    built = _fresh_reports(monkeypatch, tmp_path)
    (kept,) = (tmp_path / "xxgk").glob("regexes-*.pickle")
    saved = pickle.loads(kept.read_bytes())
    assert len(saved) > 10  # the line lexer's alternations, its table run, the heading patterns
    for pattern, parts in saved.items():
        assert grammars._from_parts(parts) == re.compile(pattern)  # a Pattern's == compares the engine's code

    def compiled(pattern: str) -> None:
        raise AssertionError(f"compiled, not read from the cache: {pattern}")

    monkeypatch.setattr(grammars, "_pattern_parts", compiled)
    assert _fresh_reports(monkeypatch, tmp_path) == built


def test_a_regex_the_cache_cannot_make_is_compiled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    built = _fresh_reports(monkeypatch, tmp_path)
    (kept,) = (tmp_path / "xxgk").glob("regexes-*.pickle")
    saved = pickle.loads(kept.read_bytes())
    kept.write_bytes(pickle.dumps({pattern: ("not", "the engine's") for pattern in saved}))
    assert _fresh_reports(monkeypatch, tmp_path) == built
    assert {p: grammars._from_parts(parts) for p, parts in pickle.loads(kept.read_bytes()).items()} == {
        p: re.compile(p) for p in saved
    }


def test_a_second_process_finds_every_regex_kept(tmp_path: Path) -> None:
    """Whatever its hash seed (a set's order): a pattern made from a set must be the same text in every process."""
    code = f"import xxgk; xxgk.parse_file({str(corpus_files()[0])!r})"
    kept: list[bytes] = []
    for seed in ("1", "2"):
        env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path), "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-c", code], env=env, check=True)
        kept.append(b"".join(p.read_bytes() for p in (tmp_path / "xxgk").glob("regexes-*.pickle")))
    assert kept[0] and kept[1] == kept[0]


def test_the_grammar_files_read_are_those_the_package_loader_lists() -> None:
    """sources() reads an installed package's folder as files; importlib.resources is the way for any package."""
    import importlib.resources

    folder = importlib.resources.files("xxgk") / "grammars"
    files = sorted((f for f in folder.iterdir() if f.name.endswith(".lark")), key=lambda f: f.name)
    grammars.sources.cache_clear()
    assert grammars.sources() == b"".join(f.name.encode() + b"\0" + f.read_bytes() + b"\0" for f in files)


def test_a_store_is_kept_under_the_source_of_the_code_that_fills_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "filler.py"
    monkeypatch.setitem(sys.modules, "filler", types.ModuleType("filler"))
    sys.modules["filler"].__file__ = str(source)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))

    def store() -> grammars.Store:
        grammars.reload()  # a later process
        return grammars.store("filled", ("xxgk.errors", "filler"), 10, 2)

    source.write_text("A = 1\n")
    store().add({"a": 1})
    assert store().saved == {"a": 1}
    source.write_text("A = 2\n")  # the code edited: another file, started afresh
    assert store().saved == {}
    source.write_text("A = 1\n")
    assert store().saved == {"a": 1}
    edited = grammars._digest() + "0"  # a grammar file edited: as the parsers
    monkeypatch.setattr(grammars, "_digest", lambda: edited)
    assert store().saved == {}


def test_a_store_is_written_as_many_times_a_process_as_it_says(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    grammars.reload()
    kept = grammars.store("twice", ("xxgk.errors",), 10, 2)
    for n in range(4):
        kept.add({n: n})
    assert kept.saved == {0: 0, 1: 1, 2: 2, 3: 3}
    assert kept.path is not None and pickle.loads(kept.path.read_bytes()) == {0: 0, 1: 1}


def test_a_store_is_not_kept_for_grammars_under_study_or_code_without_a_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setitem(sys.modules, "sourceless", types.ModuleType("sourceless"))
    grammars.reload()
    assert grammars.store("kept", ("xxgk.errors",), 10, 1).path is not None
    assert grammars.store("kept", ("xxgk.errors", "sourceless"), 10, 1).path is None
    with grammars.folder(tmp_path):
        assert grammars.store("kept", ("xxgk.errors",), 10, 1).path is None
