"""The interactive prompt through prompt_toolkit's pipe input: commands, a pasted block, Ctrl-D, completion."""

from __future__ import annotations

import io
from pathlib import Path

from prompt_toolkit.completion import CompleteEvent
from prompt_toolkit.document import Document
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from prompt_toolkit.shortcuts import PromptSession

from tests.repl.driver import BROKEN, GRAMMARS
from xxgk.repl.command import make_console
from xxgk.repl.prompt import ReplCompleter, run_interactive
from xxgk.repl.session import Session
from xxgk.repl.workspace import Workspace


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
