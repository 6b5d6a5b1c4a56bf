"""``xxgk repl`` as a command: batch mode's chunks, plain text unless colour is asked, a file argument."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from tests.repl.driver import BROKEN, GRAMMARS
from xxgk.cli.main import main
from xxgk.repl.command import chunks


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


def test_file_argument_loads_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    report = tmp_path / "r.txt"
    report.write_text("新收 | 1 |\n", encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", io.StringIO(":input\n"))
    assert main(["repl", str(report), "--grammar-dir", str(GRAMMARS), "--batch"]) == 0
    assert "1 │ 新收 | 1 |" in capsys.readouterr().out
