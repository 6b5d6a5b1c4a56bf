"""A parse error as the REPL shows it: the caret under the original line, the terminals expected there (also those a
grammar imports, namespaced by Lark), the rule stack, the nearest labelled broken example."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.cells import cell_len

from tests.repl.driver import BROKEN, batch, caret_column


def test_parse_error_shows_caret_expected_rule_stack_and_example(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out = batch(monkeypatch, capsys, BROKEN)
    assert "parse error at <input>:2:6 (toy.start, lalr): unexpected LABEL 'x 3'" in out
    assert caret_column(out, "办结 | x 3 |") == cell_len("办结 | ")
    assert 'expected: NUM /\\d+/ · SLASH "/"' in out
    assert "rule stack (outermost first):" in out and "__row_plus_1: VBAR • cell" in out
    assert "looks like: a letter where a cell belongs (toy.errors.toml)" in out


def test_earley_error_shows_caret_and_expected(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out = batch(monkeypatch, capsys, ":parser earley\n" + BROKEN)
    assert "parse error at <input>:2:6 (toy.start, earley)" in out
    assert caret_column(out, "办结 | x 3 |") == cell_len("办结 | ")
    assert "expected: " in out and "NUM" in out.split("expected: ")[1].splitlines()[0]


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
