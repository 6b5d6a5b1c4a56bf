"""The grammar files under study: a broken one named with file and line, a REPL that starts with one broken, the
package's own grammars."""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.repl.driver import batch
from xxgk.cli.main import main
from xxgk.repl.workspace import Workspace


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        ("start: row+ footer", "Rule 'footer' used but not defined (in rule start)"),
        ("start: row+ ??", "start: row+ ??"),
        ("start: row+\n%import nowhere.X", "nowhere"),
    ],
)
def test_grammar_errors_name_file_and_line(toy_copy: Path, edit: str, message: str) -> None:
    toy = toy_copy / "toy.lark"
    lines = toy.read_text(encoding="utf-8").replace("start: row+", edit).splitlines()
    toy.write_text("\n".join(lines) + "\n", encoding="utf-8")
    problem = Workspace(toy_copy).problems["toy"]
    expected_line = next(n for n, line in enumerate(lines, 1) if line.startswith(edit.split("\n")[-1]))
    assert problem.source == str(toy) and problem.line == expected_line
    assert message in str(problem)


def test_a_broken_grammar_at_start_does_not_stop_the_repl(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], toy_copy: Path
) -> None:
    toy = toy_copy / "toy.lark"
    good = toy.read_text(encoding="utf-8")
    toy.write_text(good.replace("start: row+", "start: row+ ??"), encoding="utf-8")

    def session() -> Iterator[str]:
        yield "新收 | 1 |\n"
        yield ":input\n"
        toy.write_text(good, encoding="utf-8")
        yield ":reload\n"

    status, out = batch(monkeypatch, capsys, session(), grammar_dir=toy_copy)
    assert f"grammar error: {toy}:4:" in out and "no start rule to parse with" in out and status == 0
    assert "── row" in out.split(":reload")[1]  # fixed: the default start rule is found again


def test_the_package_grammars_load(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(":grammars\n"))
    assert main(["repl", "--batch"]) == 0
    out = capsys.readouterr().out
    assert "grammars in" in out and "grammar error" not in out
