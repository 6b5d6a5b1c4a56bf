"""How the REPL tests drive ``xxgk repl``: in batch mode, in process, with commands on stdin — as its users drive it —
against the toy grammars of tests/repl/grammars, so the tests do not move when the real grammars change."""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.cells import cell_len

from xxgk.cli.main import main

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
