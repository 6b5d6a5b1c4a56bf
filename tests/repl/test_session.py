"""The session: the command table and how a line is run (a command, a unique prefix, a slip, an input), the commands
that choose what to run (:grammars, :rule, :parser, :reload), and grammar files reloaded when they change.  Driven as
users drive it (``xxgk repl --batch``) against the toy grammars of tests/repl/grammars."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.repl.driver import batch
from xxgk.repl.session import COMMANDS


def test_help_lists_every_command(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    status, out = batch(monkeypatch, capsys, ":help\n")
    assert status == 0
    for name, command in COMMANDS.items():
        assert f":{name}" in out and command.what in out
    assert "\x1b[" not in out  # plain text in batch mode


def test_grammars_lists_files_and_rules(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    _, out = batch(monkeypatch, capsys, ":grammars\n")
    assert "start, row, cell, sum, expr" in out
    assert "terminals only: NUM" in out  # common.lark
    assert "start rule: toy.start   parser: lalr" in out


def test_rule_qualified_bare_unknown_and_ambiguous(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], toy_copy: Path
) -> None:
    status, out = batch(monkeypatch, capsys, ":rule toy.sum\n:rule row\n")
    assert status == 0
    assert "start rule: toy.sum" in out and "start rule: toy.row" in out
    status, out = batch(monkeypatch, capsys, ":rule nowhere\n")
    assert status == 1 and "no rule 'nowhere'" in out
    shutil.copy(toy_copy / "toy.lark", toy_copy / "twin.lark")
    status, out = batch(monkeypatch, capsys, ":rule row\n:rule twin.row\n", grammar_dir=toy_copy)
    assert "'row' is a rule of several grammars: toy.row, twin.row" in out
    assert "start rule: twin.row" in out and status == 1


def test_quit_and_unknown_commands(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    status, out = batch(monkeypatch, capsys, ":gram\n:t\n:frobnicate\n:quit\n:help\n")
    assert "grammars in" in out  # a unique prefix is enough
    assert "unknown command :t (:tokens, :tree?)" in out and "unknown command :frobnicate" in out
    assert ":norm" not in out.split(":quit")[1] and status == 1


def test_a_command_word_without_its_colon_keeps_the_input(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out = batch(monkeypatch, capsys, "新收 | 1 |\n:input\nhelp\n:input\n")
    assert "'help' is a command: type :help" in out and status == 1
    assert out.count("1 │ 新收 | 1 |") == 2


def test_reload_picks_up_an_edit_and_shows_a_broken_grammar_with_file_and_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], toy_copy: Path
) -> None:
    toy = toy_copy / "toy.lark"
    original = toy.read_text(encoding="utf-8")

    # Batch mode reads one line ahead to find the end of an input block, so each edit follows a command.
    def session() -> Iterator[str]:
        yield "新收 | - |\n"  # no "-" cell in the grammar yet
        yield ":input\n"
        toy.write_text(original.replace('| "/"   -> na', '| "/"   -> na\n     | "-"   -> dash'), encoding="utf-8")
        yield ":reload\n"
        lines = original.splitlines()
        at = lines.index("start: row+") + 1
        toy.write_text("\n".join([*lines[:at], "broken: ??", *lines[at:]]) + "\n", encoding="utf-8")
        yield ":reload\n"
        yield "新收 | 1 |\n"
        yield ":input\n"
        toy.write_text(original, encoding="utf-8")
        yield ":reload\n"
        yield ":grammars\n"

    _, out = batch(monkeypatch, capsys, session(), grammar_dir=toy_copy)
    before, fixed, broken, restored = out.split("xxgk> :reload")
    assert "parse error" in before and "unexpected LABEL '-'" in before
    assert "── dash" in fixed and "parse error" not in fixed
    line = original.splitlines().index("start: row+") + 2
    assert f"grammar error: {toy}:{line}:9: Expecting a value" in broken  # the line and column of the edit
    assert "grammar error" in broken.split("xxgk> 新收 | 1 |")[1]  # parsing with it says so, the REPL stays
    assert "grammar error" not in restored and "start, row, cell, sum, expr" in restored


def test_changed_grammar_files_are_reloaded_without_asking(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], toy_copy: Path
) -> None:
    toy = toy_copy / "toy.lark"

    def session() -> Iterator[str]:
        yield "新收 | 1 |\n"
        yield ":input\n"
        toy.write_text(toy.read_text(encoding="utf-8").replace("-> num", "-> number"), encoding="utf-8")
        stamp = toy.stat().st_mtime_ns + 10**9
        os.utime(toy, ns=(stamp, stamp))  # a later mtime even on coarse file-system clocks
        yield ":tree\n"

    _, out = batch(monkeypatch, capsys, session(), grammar_dir=toy_copy)
    tree = out.split("xxgk> :tree")[1]
    assert "grammar files changed on disk (toy.lark): reloaded" in tree and "── number" in tree
