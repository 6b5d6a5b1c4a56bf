"""The grammar-debugging REPL, driven as its users drive it: ``xxgk repl --batch`` with commands on stdin, and the
prompt through prompt_toolkit's pipe input.  Everything runs against the toy grammars of tests/repl/grammars, so the
tests do not move when the real grammars change."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import types
from collections.abc import Iterator
from pathlib import Path

import pytest
from prompt_toolkit.completion import CompleteEvent
from prompt_toolkit.document import Document
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from prompt_toolkit.shortcuts import PromptSession
from rich.cells import cell_len

import xxgk
from xxgk.cli.main import main
from xxgk.records import Block
from xxgk.repl import inputs as repl_inputs
from xxgk.repl.command import chunks, make_console
from xxgk.repl.prompt import ReplCompleter, run_interactive
from xxgk.repl.session import COMMANDS, Session
from xxgk.repl.workspace import Workspace, package_grammar_dir

GRAMMARS = Path(__file__).resolve().parent / "grammars"
BROKEN = "新收 | 1 | 2 |\n办结 | x 3 |\n"


def batch(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    commands: str | Iterator[str],
    *args: str,
    grammar_dir: Path = GRAMMARS,
) -> tuple[int, str]:
    """Run ``xxgk repl --batch`` in process with ``commands`` on stdin; (exit status, output)."""
    stdin = io.StringIO(commands) if isinstance(commands, str) else _Lines(commands)
    monkeypatch.setattr(sys, "stdin", stdin)
    status = main(["repl", "--grammar-dir", str(grammar_dir), "--batch", *args])
    return status, capsys.readouterr().out


class _Lines:
    """A stdin whose lines come from a generator, so a test can act (edit a grammar) between two commands."""

    def __init__(self, lines: Iterator[str]) -> None:
        self.lines = lines

    def __iter__(self) -> Iterator[str]:
        return self.lines


def caret_column(output: str, source_line: str) -> int:
    """The display column the caret under ``source_line`` points at (0-based, in the source line's own text)."""
    lines = output.splitlines()
    i = next(n for n, line in enumerate(lines) if line.endswith(source_line) and "│" in line)
    gutter = lines[i].index("│") + 2
    return cell_len(lines[i + 1][: lines[i + 1].index("^")]) - gutter


# --- commands --------------------------------------------------------------------------------------------------


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
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    status, out = batch(monkeypatch, capsys, ":rule toy.sum\n:rule row\n")
    assert status == 0
    assert "start rule: toy.sum" in out and "start rule: toy.row" in out
    status, out = batch(monkeypatch, capsys, ":rule nowhere\n")
    assert status == 1 and "no rule 'nowhere'" in out
    shutil.copytree(GRAMMARS, tmp_path / "g")
    shutil.copy(tmp_path / "g" / "toy.lark", tmp_path / "g" / "twin.lark")
    status, out = batch(monkeypatch, capsys, ":rule row\n:rule twin.row\n", grammar_dir=tmp_path / "g")
    assert "'row' is a rule of several grammars: toy.row, twin.row" in out
    assert "start rule: twin.row" in out and status == 1


def test_a_line_and_a_pasted_block_are_parsed(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out = batch(monkeypatch, capsys, "新收 | 1 | 2 |\n:input\n新收 | 1 | 2 |\n办结 | / |\n:input\n")
    first, second = out.split("xxgk> :input")[0], out.split("xxgk> :input")[1]
    assert first.count("── row") == 1 and "NUM '2'" in first
    assert "1 │ 新收 | 1 | 2 |" in second and "2 │ 办结 | / |" in out.split("xxgk> :input")[2]
    assert out.split("xxgk> :input")[1].count("── row") == 2 and "── na" in out


def test_parse_error_shows_caret_expected_rule_stack_and_example(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out = batch(monkeypatch, capsys, BROKEN)
    assert "parse error at <input>:2:6 (toy.start, lalr): unexpected LABEL 'x 3'" in out
    assert caret_column(out, "办结 | x 3 |") == cell_len("办结 | ")
    assert 'expected: NUM /\\d+/ · SLASH "/"' in out
    assert "rule stack (outermost first):" in out and "__row_plus_1: VBAR • cell" in out
    assert "looks like: a letter where a cell belongs (toy.errors.toml)" in out


def test_error_on_a_line_of_a_loaded_file_points_into_the_file(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    report = tmp_path / "r.txt"
    report.write_text("标题\n\n新收 | 1 |\n办结 | 2 3 |\n其他 | / |\n", encoding="utf-8")
    status, out = batch(monkeypatch, capsys, f":load {report} 3-5\n:tokens\n")
    assert status == 0
    assert f"loaded {report}: lines 3-5 of 5" in out
    assert f"parse error at {report}:4:8 (toy.start, lalr): unexpected NUM '3'" in out
    assert caret_column(out, "办结 | 2 3 |") == cell_len("办结 | 2 ")
    assert "LABEL    │ '新收'" in out and "│ 3:1 " in out


def test_load_rejects_missing_files_and_bad_lines(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    report = tmp_path / "r.txt"
    report.write_text("新收 | 1 |\n", encoding="utf-8")
    status, out = batch(monkeypatch, capsys, f":load {tmp_path}/none.txt\n:load {report} 2-9\n:load {report} x\n")
    assert status == 1
    assert "cannot load" in out and "outside the file (lines 1-1)" in out and "bad LINES 'x'" in out


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


def test_earley_error_shows_caret_and_expected(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out = batch(monkeypatch, capsys, ":parser earley\n" + BROKEN)
    assert "parse error at <input>:2:6 (toy.start, earley)" in out
    assert caret_column(out, "办结 | x 3 |") == cell_len("办结 | ")
    assert "expected: " in out and "NUM" in out.split("expected: ")[1].splitlines()[0]


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


def test_block_record_and_diag_use_the_table_stages(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    text = "一、总体情况\n\n新收 | 1 | 2 |\n办结 | / |\n\n二、其他\n"
    report = tmp_path / "r.txt"
    report.write_text(text, encoding="utf-8")
    start = text.index("新收")
    block = Block("applications", start, text.index("\n\n二"), 3)
    # The segmenter is another stage's business: here it finds exactly this block.
    monkeypatch.setattr(repl_inputs, "segment", lambda norm: types.SimpleNamespace(blocks=(block,)))
    status, out = batch(monkeypatch, capsys, f":block\n:load {report}\n:block\n:block 2\n:block 1\n:record\n:diag\n")
    assert "no file loaded" in out and status == 1
    listing = out.split("xxgk> :block\n")[2]
    assert "│ 1 " in listing and "3-4" in listing and "applications" in listing
    assert "usage: :block N with N from 1 to 1" in out
    assert f"block 1: {report} lines 3-4" in out
    record = out.split("xxgk> :record")[1].split("xxgk> :diag")[0]
    assert "cells (serialisation grammar)" in record
    assert "新收" in record and "3:1" in record and "4:6" in record  # the '/' of 办结, in the file's numbering


def test_save_writes_a_new_corpus_file_and_never_overwrites(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    status, out = batch(
        monkeypatch,
        capsys,
        ":save early\n" + BROKEN + ":save fixed_case\n:save fixed_case\n:save ../outside\n",
        "--corpus-dir",
        str(tmp_path),
    )
    assert (tmp_path / "fixed_case.txt").read_text(encoding="utf-8") == BROKEN
    assert "no input yet" in out and "exists: choose another name" in out and "usage: :save NAME" in out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fixed_case.txt"] and status == 1


def test_quit_and_unknown_commands(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    status, out = batch(monkeypatch, capsys, ":gram\n:t\n:frobnicate\n:quit\n:help\n")
    assert "grammars in" in out  # a unique prefix is enough
    assert "unknown command :t (:tokens, :tree?)" in out and "unknown command :frobnicate" in out
    assert ":norm" not in out.split(":quit")[1] and status == 1


def test_file_argument_loads_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    report = tmp_path / "r.txt"
    report.write_text("新收 | 1 |\n", encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", io.StringIO(":input\n"))
    assert main(["repl", str(report), "--grammar-dir", str(GRAMMARS), "--batch"]) == 0
    assert "1 │ 新收 | 1 |" in capsys.readouterr().out


# --- grammar files: reload, errors -------------------------------------------------------------------------------


def test_reload_picks_up_an_edit_and_shows_a_broken_grammar_with_file_and_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = tmp_path / "g"
    shutil.copytree(GRAMMARS, folder)
    toy = folder / "toy.lark"
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

    _, out = batch(monkeypatch, capsys, session(), grammar_dir=folder)
    before, fixed, broken, restored = out.split("xxgk> :reload")
    assert "parse error" in before and "unexpected LABEL '-'" in before
    assert "── dash" in fixed and "parse error" not in fixed
    line = original.splitlines().index("start: row+") + 2
    assert f"grammar error: {toy}:{line}:9: Expecting a value" in broken  # the line and column of the edit
    assert "grammar error" in broken.split("xxgk> 新收 | 1 |")[1]  # parsing with it says so, the REPL stays
    assert "grammar error" not in restored and "start, row, cell, sum, expr" in restored


def test_changed_grammar_files_are_reloaded_without_asking(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = tmp_path / "g"
    shutil.copytree(GRAMMARS, folder)
    toy = folder / "toy.lark"

    def session() -> Iterator[str]:
        yield "新收 | 1 |\n"
        yield ":input\n"
        toy.write_text(toy.read_text(encoding="utf-8").replace("-> num", "-> number"), encoding="utf-8")
        stamp = toy.stat().st_mtime_ns + 10**9
        os.utime(toy, ns=(stamp, stamp))  # a later mtime even on coarse file-system clocks
        yield ":tree\n"

    _, out = batch(monkeypatch, capsys, session(), grammar_dir=folder)
    tree = out.split("xxgk> :tree")[1]
    assert "grammar files changed on disk (toy.lark): reloaded" in tree and "── number" in tree


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        ("start: row+ footer", "Rule 'footer' used but not defined (in rule start)"),
        ("start: row+ ??", "start: row+ ??"),
        ("start: row+\n%import nowhere.X", "nowhere"),
    ],
)
def test_grammar_errors_name_file_and_line(tmp_path: Path, edit: str, message: str) -> None:
    shutil.copytree(GRAMMARS, tmp_path / "g")
    toy = tmp_path / "g" / "toy.lark"
    lines = toy.read_text(encoding="utf-8").replace("start: row+", edit).splitlines()
    toy.write_text("\n".join(lines) + "\n", encoding="utf-8")
    problem = Workspace(tmp_path / "g").problems["toy"]
    expected_line = next(n for n, line in enumerate(lines, 1) if line.startswith(edit.split("\n")[-1]))
    assert problem.source == str(toy) and problem.line == expected_line
    assert message in str(problem)


def test_a_broken_grammar_at_start_does_not_stop_the_repl(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    shutil.copytree(GRAMMARS, tmp_path / "g")
    toy = tmp_path / "g" / "toy.lark"
    good = toy.read_text(encoding="utf-8")
    toy.write_text(good.replace("start: row+", "start: row+ ??"), encoding="utf-8")

    def session() -> Iterator[str]:
        yield "新收 | 1 |\n"
        yield ":input\n"
        toy.write_text(good, encoding="utf-8")
        yield ":reload\n"

    status, out = batch(monkeypatch, capsys, session(), grammar_dir=tmp_path / "g")
    assert f"grammar error: {toy}:4:" in out and "no start rule to parse with" in out and status == 0
    assert "── row" in out.split(":reload")[1]  # fixed: the default start rule is found again


# --- batch mode, colour, the real grammars -------------------------------------------------------------------------


def test_batch_chunks_group_input_lines_between_commands() -> None:
    lines = ["", ":help", "a", "", "b", ":tree", "", "c", "", ":x y", ":", "d"]
    assert list(chunks(line + "\n" for line in lines)) == [":help", "a\n\nb", ":tree", "c", ":x y", ":\nd"]


def test_batch_is_plain_unless_color_is_asked() -> None:
    command = [sys.executable, "-m", "xxgk", "repl", "--grammar-dir", str(GRAMMARS), "--batch"]
    plain = subprocess.run(command, input=BROKEN, capture_output=True, text=True, encoding="utf-8", check=False)
    assert plain.returncode == 0 and "parse error" in plain.stdout and "\x1b[" not in plain.stdout
    colour = subprocess.run(
        [*command, "--color"], input=BROKEN, capture_output=True, text=True, encoding="utf-8", check=False
    )
    assert "\x1b[" in colour.stdout


def test_the_package_grammars_load(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(":grammars\n"))
    assert main(["repl", "--batch"]) == 0
    out = capsys.readouterr().out
    assert "grammars in" in out and "grammar error" not in out


# --- the prompt ----------------------------------------------------------------------------------------------------


def prompt_session(keys: str, tmp_path: Path) -> str:
    """Type ``keys`` at a real prompt_toolkit prompt (pipe input, no terminal) and return what the REPL printed."""
    buffer = io.StringIO()
    session = Session(make_console(buffer, color=False), Workspace(GRAMMARS), corpus_dir=tmp_path)
    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        prompt: PromptSession[str] = PromptSession(input=pipe, output=DummyOutput(), completer=ReplCompleter(session))
        assert run_interactive(session, prompt) == 0
    return buffer.getvalue()


def test_prompt_runs_commands_and_takes_a_pasted_block(tmp_path: Path) -> None:
    paste = "\x1b[200~新收 | 1 | 2 |\n办结 | / |\x1b[201~"
    out = prompt_session(
        ":rule start\r" + paste + "\r" + ":tokens\r" + BROKEN.replace("\n", "\r") + ":quit\r", tmp_path
    )
    assert "start rule: toy.start" in out
    assert out.split("tokens (toy.start)")[0].count("── row") == 2  # the pasted block arrived as one input
    assert "│ 2:1 " in out  # 办结, the first token of the pasted block's second line
    assert "unexpected LABEL 'x 3'" in out and "expected: NUM" in out


def test_prompt_ends_on_ctrl_d_and_survives_bad_commands(tmp_path: Path) -> None:
    out = prompt_session(":nope\r:help\r\x04", tmp_path)
    assert "unknown command :nope" in out and ":reload" in out


def test_completion_of_commands_rules_arguments_and_files(tmp_path: Path) -> None:
    session = Session(make_console(io.StringIO(), color=False), Workspace(GRAMMARS), corpus_dir=tmp_path)
    completer = ReplCompleter(session)

    def complete(text: str) -> list[str]:
        return [c.text for c in completer.get_completions(Document(text), CompleteEvent(completion_requested=True))]

    assert complete(":ru") == [":rule"] and complete(":re") == [":record", ":reload"]
    assert complete(":rule toy.s") == ["toy.start", "toy.sum"]
    assert "start" in complete(":rule ") and "toy.expr" in complete(":rule ")
    assert complete(":parser e") == ["earley"] and complete(":tree ") == ["pos"]
    assert complete(f":load {GRAMMARS}/to") == ["y.errors.toml", "y.lark"]
    assert complete("新收 |") == []


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


# --- fixes: namespaced templates, :step's expected, :diag on a block, --grammar-dir in the pipeline, slips --------

PARTS = """\
row{label}: label _num SEP
_num: NUM
NUM: /[0-9]+/
SEP: ";"
%ignore " "
"""
TWIN = """\
%import .parts (row, NUM)
A: "a"
B: "b"
start: row{A} row{B}
%ignore " "
"""


@pytest.fixture
def imported(tmp_path: Path) -> Path:
    """A grammar that uses a template of another grammar, whose terminal it does not import (namespaced by Lark)."""
    folder = tmp_path / "imported"
    folder.mkdir()
    (folder / "parts.lark").write_text(PARTS, encoding="utf-8")
    (folder / "twin.lark").write_text(TWIN, encoding="utf-8")
    return folder


def test_rule_stack_of_an_imported_template_reads_as_the_grammar(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], imported: Path
) -> None:
    _, out = batch(monkeypatch, capsys, ":rule twin.start\na 1 b 2\n", grammar_dir=imported)
    assert "row{A}: A • _num SEP" in out and "parts__" not in out


def test_step_says_what_was_expected_as_the_parse_does(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], imported: Path
) -> None:
    _, out = batch(monkeypatch, capsys, ":rule twin.start\na 1 b 2\n:step 1\n", grammar_dir=imported)
    parse, step = out.split("xxgk> :step 1")
    assert 'expected: SEP ";"' in parse
    assert 'expected: SEP ";"' in step and "expected: nothing" not in step
    assert "row{A}: A • _num SEP" in step  # the rule stack of the parser the walk stopped in


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


def test_a_command_word_without_its_colon_keeps_the_input(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out = batch(monkeypatch, capsys, "新收 | 1 |\n:input\nhelp\n:input\n")
    assert "'help' is a command: type :help" in out and status == 1
    assert out.count("1 │ 新收 | 1 |") == 2


def test_replacing_a_loaded_input_says_so(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    report = tmp_path / "my report.txt"  # a space in the name: :load takes it whole
    report.write_text("新收 | 1 |\n新收 | 2 |\n", encoding="utf-8")
    status, out = batch(monkeypatch, capsys, f":load {report}\n:load {report} 2\n新收 | 3 |\n")
    assert f"loaded {report}: lines 2-2 of 2" in out and status == 0
    assert f"the input from {report} was replaced" in out
