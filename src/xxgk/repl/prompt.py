"""The interactive prompt of ``xxgk repl`` (prompt_toolkit): history, completion, pasted multi-line blocks.

Kept apart from :mod:`xxgk.repl.command` (which imports this module only when a prompt is shown, so that the ``xxgk``
command does not import prompt_toolkit otherwise); it uses the session alone.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from prompt_toolkit import PromptSession
from prompt_toolkit.completion import CompleteEvent, Completer, Completion, PathCompleter
from prompt_toolkit.document import Document
from prompt_toolkit.history import FileHistory

from xxgk.repl.session import COMMANDS, PROMPT, Session


def prompt_session(session: Session, history: Path) -> PromptSession[str]:
    """A prompt with the history in ``history`` and completion from ``session``."""
    return PromptSession(history=FileHistory(str(history)), completer=ReplCompleter(session))


def run_interactive(session: Session, prompt: PromptSession[str]) -> int:
    """The prompt loop: one command or input per prompt (a pasted block arrives as one); Ctrl-D or :quit leaves."""
    session.out.print("xxgk repl — :help lists the commands, Ctrl-D leaves")
    while not session.done:
        try:
            text = prompt.prompt(PROMPT)
        except KeyboardInterrupt:
            continue
        except EOFError:
            break
        if text.strip():
            session.run(text)
    return 0


class ReplCompleter(Completer):
    """Completes command names, rule names after :rule, file names after :load, and the few fixed arguments."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.paths = PathCompleter(expanduser=True)

    def get_completions(self, document: Document, complete_event: CompleteEvent) -> Iterator[Completion]:
        text = document.text_before_cursor
        if not text.startswith(":") or "\n" in text:
            return
        name, space, arg = text[1:].partition(" ")
        if not space:
            for command in COMMANDS:
                if command.startswith(name):
                    yield Completion(f":{command}", start_position=-len(text), display_meta=COMMANDS[command].what)
            return
        if name == "load" and " " not in arg:
            yield from self.paths.get_completions(Document(arg), complete_event)
            return
        for word in self.session.completions().get(name, []):
            if word.startswith(arg):
                yield Completion(word, start_position=-len(arg))
