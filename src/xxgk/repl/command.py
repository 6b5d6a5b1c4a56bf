"""``xxgk repl``: a REPL for debugging the grammars — why did this line not parse, and what did the parser expect?

This module is the front end: the ``repl`` subcommand and batch mode (``--batch``: commands from stdin, plain text
out).  Imports flow one way: this module → the session (:mod:`xxgk.repl.session`: the commands, over
:mod:`.state`, :mod:`.inputs`, :mod:`.stages`, :mod:`.display`) → what they read out of a parse
(:mod:`xxgk.repl.parsing`) and the grammar files and parsers (:mod:`xxgk.repl.workspace`); the interactive prompt
(prompt_toolkit: history, completion, pasted blocks) is :mod:`xxgk.repl.prompt`, beside the session.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:  # the session, its parsers, the stages and rich are imported when the REPL runs, not by every command
    from rich.console import Console

    from xxgk.repl.session import Session

from xxgk.engine import grammars
from xxgk.errors import exit_status_help

EPILOG = """\
examples:
  xxgk repl corpus/000_875ca7f37e0dab6a.txt         load a report, then :help
  xxgk repl --rule document.start                   choose the start rule up front
  xxgk repl --batch < commands.txt                  run commands without a terminal, plain text out
  xxgk repl --grammar-dir tests/grammars --batch    work on another folder of .lark files

In --batch mode every line starting with ':' and a letter is a command; a run of other lines between two commands
is one input (a block).  Exit status: 0, or 1 when a command failed (unknown command, missing file, bad rule …).

""" + exit_status_help()


def register(subparsers: Any) -> None:
    """Add the ``repl`` subcommand to the ``xxgk`` argument parser."""
    p = subparsers.add_parser(
        "repl",
        help="debug the grammars interactively (tokens, tree, errors, LALR steps)",
        description="A grammar-debugging REPL: feed a line, a pasted block or part of a file, look at every stage "
        "(normalised text, tokens, tree, records, diagnostics) and at what the parser expected where it failed.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("file", nargs="?", metavar="FILE", help="report file to load as the input (as :load FILE)")
    p.add_argument("--batch", action="store_true", help="read commands from stdin and print plain text")
    p.add_argument("--color", action="store_true", help="colour in --batch mode too")
    p.add_argument(
        "--grammar-dir", type=Path, metavar="DIR", help="folder of .lark files (default: the package's grammars)"
    )
    p.add_argument(
        "--corpus-dir", type=Path, default=Path("corpus"), metavar="DIR", help=":save writes here (default: corpus)"
    )
    p.add_argument("--rule", metavar="NAME", help="start rule (default: document.start, else the first start rule)")
    p.add_argument("--parser", choices=("lalr", "earley"), default="lalr", help="parser to start with (lalr)")
    p.add_argument(
        "--history", type=Path, default=Path.home() / ".xxgk_repl_history", metavar="FILE", help="prompt history"
    )
    p.add_argument("--width", type=int, metavar="N", help="output width (default: the terminal's, 120 in --batch)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace, out: Console, err: Console) -> int:
    """Run the REPL as the arguments say; returns the exit status."""
    from xxgk.repl.session import Session
    from xxgk.repl.workspace import Workspace, package_grammar_dir

    directory: Path = args.grammar_dir or package_grammar_dir()
    if not directory.is_dir():
        err.print(f"xxgk repl: no grammar folder {directory}", markup=False)
        return 2
    color = True if args.color else (False if args.batch else None)
    console = make_console(sys.stdout, color=color, width=args.width)
    own = None if directory.resolve() == package_grammar_dir().resolve() else directory
    with grammars.folder(own):  # :record and :diag run the pipeline on the grammars under study
        session = Session(console, Workspace(directory), corpus_dir=args.corpus_dir, rule=args.rule, parser=args.parser)
        ok = session.run(f":load {args.file}") if args.file else True
        if args.batch:
            return run_batch(session, sys.stdin) or (0 if ok else 1)
        from xxgk.repl.prompt import prompt_session, run_interactive  # prompt_toolkit is slow to import: only here

        return run_interactive(session, prompt_session(session, args.history))


def make_console(file: IO[str], *, color: bool | None, width: int | None = None) -> Console:
    """The console the session prints to: colour when ``color`` (even into a pipe), plain text when False (no escape
    codes at all), the terminal's choice when None.

    Markup and emoji codes are off (the output is full of user text with ``[`` and ``:``), and long lines are not
    wrapped: a report line is shown whole, as the terminal or the file receiving it wraps it.
    """
    from rich.console import Console

    common: dict[str, Any] = {"file": file, "highlight": False, "markup": False, "emoji": False, "soft_wrap": True}
    if color is None:
        return Console(**common, width=width)
    if color:
        return Console(**common, force_terminal=True, width=width or 120)
    return Console(**common, color_system=None, force_terminal=False, width=width or 120)


def run_batch(session: Session, stream: Iterable[str]) -> int:
    """Run the commands and inputs of ``stream``, echoing each after the prompt; 1 when any command failed."""
    from xxgk.repl.session import MORE, PROMPT

    failed = False
    for chunk in chunks(stream):
        lines = chunk.split("\n")
        session.out.print(PROMPT + lines[0] + "".join(f"\n{MORE}{line}" for line in lines[1:]))
        failed |= not session.run(chunk)
        if session.done:
            break
    return 1 if failed else 0


def chunks(stream: Iterable[str]) -> Iterator[str]:
    """Commands one by one; consecutive other lines as one input, without the blank lines around it."""
    from xxgk.repl.session import is_command

    block: list[str] = []

    def flush() -> Iterator[str]:
        text = "\n".join(block).strip("\n")
        block.clear()
        if text.strip():
            yield text

    for raw in stream:
        line = raw.rstrip("\r\n")
        if is_command(line):
            yield from flush()
            yield line.strip()
        else:
            block.append(line)
    yield from flush()
