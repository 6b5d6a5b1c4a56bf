"""The commands that show a stage of the input: :norm, :tokens, :tree, :ambig, :step, :record, :diag — on the toy
grammars, and on the package's grammars with their stage lexers."""

from __future__ import annotations

import io
import shutil
import sys
from pathlib import Path

import pytest

import xxgk
from tests.repl.driver import BROKEN, batch
from xxgk.cli.main import main
from xxgk.repl.workspace import package_grammar_dir


def test_norm_shows_both_texts_and_each_edit_and_positions_stay_original(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out = batch(monkeypatch, capsys, "新收 | [bookmark: _Toc1]１２ |\n:norm\n:tokens\n")
    assert "新收 | [bookmark: _Toc1]１２ |" in out and "新收 | 12 |" in out
    assert "bookmark" in out and '"[bookmark: _Toc1]" → ""' in out
    assert "width" in out and '"１２" → "12"' not in out  # a width edit is shown as the characters it changed
    # the number is at column 24 of the original line (after the removed bookmark)
    assert "NUM      │ '12'" in out and "│ 1:23 " in out


def test_tokens_and_tree_with_positions(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    _, out = batch(monkeypatch, capsys, "新收 | 1 | / |\n:tokens\n:tree pos\n:tree\n:tree wrong\n")
    tokens = out.split("xxgk> :tokens")[1].split("xxgk> :tree pos")[0]
    assert [line.split("│")[2].strip() for line in tokens.splitlines() if line.startswith("│")] == [
        "LABEL",
        "VBAR",
        "NUM",
        "VBAR",
        "SLASH",
        "VBAR",
        "_NL",
    ]
    assert "│ 1:6 " in tokens  # NUM '1'
    with_pos = out.split("xxgk> :tree pos")[1].split("xxgk> :tree")[0]
    assert "NUM '1'  1:6" in with_pos and "row  1:1-2:1" in with_pos
    assert "NUM '1'\n" in out.split("xxgk> :tree\n")[1]
    assert "usage: :tree [pos]" in out


def test_earley_and_ambiguity(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    status, out = batch(
        monkeypatch, capsys, ":rule sum\n:parser earley\n1+2+3\n:ambig\n:tokens\n1+2\n:ambig\n:parser cyk\n"
    )
    assert "shift/reduce conflict(s) in toy.sum" in out  # Lark resolves it silently; the REPL says so
    assert "1 ambiguous span(s)" in out and "ambiguity 1 at 1:1: 2 alternatives" in out
    assert "alternative 1" in out and "alternative 2" in out
    assert "PLUS     │ '+'" in out  # tokens under Earley: the leaves
    assert "no ambiguity: toy.sum has exactly one derivation" in out
    assert "usage: :parser lalr|earley" in out and status == 1


def test_step_walks_the_lalr_parse(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    _, out = batch(monkeypatch, capsys, "新收 | 1 |\n:step\n" + BROKEN + ":step 2\n")
    walk, broken = out.split("xxgk> :step")[1], out.split("xxgk> :step 2")[1]
    rows = [[c.strip() for c in line.split("│")[1:-1]] for line in walk.splitlines() if line.startswith("│")]
    assert rows[0][:4] == ["1", "0", "LABEL", "LABEL '新收'"]  # the start state is state 0
    assert rows[2][2] == "NUM SLASH" and rows[2][3] == "NUM '1'" and rows[2][5] == "LABEL VBAR NUM"
    assert rows[-1][0] == "end" and rows[-1][5] == "accepted"
    assert "✗ unexpected LABEL 'x 3'" in broken and "more step(s) not shown" in broken


def test_record_and_diag_of_typed_input(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    _, out = batch(monkeypatch, capsys, BROKEN + ":record\n:diag\n")
    record = out.split("xxgk> :record")[1].split("xxgk> :diag")[0]
    assert "source <input>" in record and "sections" in record
    diag = out.split("xxgk> :diag")[1]
    assert "toy.start: 2:6: unexpected LABEL 'x 3'" in diag
    assert "diagnostics" in diag and "findings" in diag


def test_stage_lexers_of_the_package_grammars(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The document grammar is read by segment.py's line lexer and the table grammars by statutory.py's cell lexer:
    the REPL drives both, and shows their tokens at their lines in the original file."""
    seed = Path(__file__).resolve().parents[2] / "corpus" / "004_b7caf00a3cd44191.txt"
    commands = f":load {seed} 1-6\n:tokens\n:load {seed}\n:block 1\n:rule table_2019.start\n:tokens\n:step 3\n"
    monkeypatch.setattr(sys, "stdin", io.StringIO(commands))
    assert main(["repl", "--batch"]) == 0
    out = capsys.readouterr().out
    lines = out.split("xxgk> :tokens")[1]
    assert "tokens (document.start)" in lines and "│ 1:1 " in lines and "│ 6:1 " in lines
    cells = out.split("xxgk> :tokens")[2]
    assert "tokens (table_2019.start)" in cells and "'第二十条第(一)项'" in cells and "│ 7:1 " in cells
    assert "LALR walk" in out and "Traceback" not in out


def test_diag_on_a_block_reports_the_findings_of_its_tables(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    seed = Path(__file__).resolve().parents[2] / "corpus" / "000_875ca7f37e0dab6a.txt"  # its 总计 row breaks
    _, out = batch(monkeypatch, capsys, f":load {seed}\n:block 2\n:diag\n", grammar_dir=package_grammar_dir())
    diag = out.split("xxgk> :diag")[1]
    assert "applications.row_total" in diag and "no findings" not in diag


def test_record_and_diag_use_the_grammar_dir(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = tmp_path / "g"
    shutil.copytree(package_grammar_dir(), folder)
    document = folder / "document.lark"
    document.write_text(document.read_text(encoding="utf-8") + "\nbroken: ??\n", encoding="utf-8")
    status, out = batch(monkeypatch, capsys, "一、总体情况\n:record\n:diag\n", grammar_dir=folder)
    record, diag = out.split("xxgk> :record")[1].split("xxgk> :diag")
    assert f"{document}" in record and f"{document}" in diag  # the pipeline read the folder's broken grammar
    assert "Traceback" not in out and status == 1
    assert xxgk.parse("一、总体情况\n").sections  # and the package's grammars are back afterwards
