"""The ``xxgk`` command: ``parse`` reports, ``check`` their numbers, debug grammars in the ``repl``."""

from __future__ import annotations

import argparse
import contextlib
import gc
import importlib
import os
import signal
import sys
import threading
from collections.abc import Sequence
from typing import Any

from xxgk.cli.consoles import Consoles
from xxgk.errors import BROKEN_PIPE_STATUS, INTERRUPTED_STATUS, XxgkError, exit_status_help
from xxgk.scale import interrupts

COMMANDS = {
    "parse": "xxgk.cli.parse",
    "check": "xxgk.cli.check",
    "extract": "xxgk.cli.extract",
    "repl": "xxgk.repl.command",
    "panel": "xxgk.panel.series",
    "compare": "xxgk.panel.compare",
    "view": "xxgk.panel.view",
}
"""Each command, in the order ``--help`` lists them, and the module whose ``register(subparsers)`` adds it.  A run
imports the module of its own command only: ``xxgk parse`` never loads the REPL, the panel or the checks' tables."""

EPILOG = """\
examples:
  xxgk parse corpus/000_875ca7f37e0dab6a.txt               readable summary: sections, tables, findings
  xxgk parse corpus/000_875ca7f37e0dab6a.txt --format json the JSON contract (docs/spec.md)
  xxgk parse 2023年报.pdf                                 a PDF, Word .docx or web page, read as it is
  xxgk extract 2023年报.pdf --origins                     the text the grammars see, with each line's origin
  python -m xxgk parse report.txt                          the same without the console script

"""


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The argument parser of the ``xxgk`` command (exposed for documentation and tests); with ``command`` (one of
    :data:`COMMANDS`), only that command's arguments, as the command line that names it needs no others."""
    ap = argparse.ArgumentParser(
        prog="xxgk",
        description="Parse 政府信息公开工作年度报告 (government information-disclosure annual reports) "
        "into validated, structured data with grammars.",
        epilog=EPILOG + "\n" + exit_status_help(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ap.add_argument("--version", action=_Version, nargs=0, help="show program's version number and exit")
    sub = ap.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, module in COMMANDS.items():
        if command in (None, name):
            importlib.import_module(module).register(sub)
    return ap


class _Version(argparse.Action):
    """``--version``, which reads the installed version only when asked (the package metadata costs more to load
    than the rest of the command line)."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, *args: Any) -> None:
        sys.stdout.write(f"xxgk {version()}\n")
        parser.exit()


def version() -> str:
    """The installed version of xxgk."""
    import importlib.metadata

    try:
        return importlib.metadata.version("xxgk")
    except importlib.metadata.PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``xxgk`` command and return its exit status (:data:`xxgk.errors.EXIT_STATUSES`).

    Ctrl-C ends it with 130 and a closed standard output (``| head``) with 141, both without a traceback; output
    files are written under a temporary name, so neither leaves a partial one.
    """
    handler = signal.getsignal(signal.SIGINT)
    try:
        # Noted for the whole command, from its first line: a Ctrl-C whose KeyboardInterrupt something swallows (a
        # garbage-collector callback) must still keep an output from being renamed into place.
        with interrupts.noted():
            return _main(argv)
    except KeyboardInterrupt:
        return INTERRUPTED_STATUS
    except BrokenPipeError:
        _silence_stdout()
        return BROKEN_PIPE_STATUS
    finally:
        # The batch ignores a second Ctrl-C while it cleans up; whoever called main gets the handler back.
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGINT, handler)


def _named(argv: Sequence[str]) -> str | None:
    """The command ``argv`` names: its first word that is not an option (the top level has options without values
    only), if that is a command."""
    named = next((a for a in argv if not a.startswith("-")), None)
    return named if named in COMMANDS else None


def load_command(argv: Sequence[str]) -> None:
    """Import the module of the command ``argv`` names (:func:`main` would import it anyway): for the console
    script, which loads it before the run begins."""
    named = _named(argv)
    if named is not None:
        importlib.import_module(COMMANDS[named])


def _main(argv: Sequence[str] | None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    args = build_parser(_named(argv)).parse_args(argv)
    consoles = Consoles()
    try:
        # A command that makes its consoles on first use takes them whole (see xxgk.cli.consoles).
        status: int = (
            args.run(args, consoles)
            if getattr(args, "consoles", None) == "lazy"
            else args.run(args, consoles.out, consoles.err)
        )
    except XxgkError as exc:
        consoles.say(f"xxgk: {exc}")
        return exc.exit_status
    return status


def _silence_stdout() -> None:
    # The reader is gone: what is left in Python's buffer would raise again when the interpreter flushes it at exit.
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def entry() -> None:
    """The console script: :func:`main`, then exit with its status."""
    # The cyclic collector's young generation made large enough for a one-file run's objects (14,000-25,000 for a
    # text, 72,000 for a PDF's), most kept to the end: with Python's 700, the first pass after the parse walked them
    # all to free nothing (1-2 ms of a one-file run).  A batch still collects the cyclic garbage a damaged report
    # leaves (~700 objects) every hundred or so such reports.
    gc.set_threshold(_YOUNG, *gc.get_threshold()[1:])
    status = main()
    argv = sys.argv[1:]
    if next((a for a in argv if not a.startswith("-")), None) in _QUICK_EXIT and not _EXIT_WORK & sys.modules.keys():
        _exit_now(status)
    sys.exit(status)


_YOUNG = 100_000

# Commands that have written and closed every output when main returns and leave nothing for the interpreter's
# teardown to do, unless they started worker processes or a cluster (whose modules register exit-time work:
# multiprocessing joins its children and its resource tracker counts their semaphores).
_QUICK_EXIT = frozenset({"parse", "check", "extract"})
_EXIT_WORK = frozenset({"multiprocessing", "concurrent.futures", "distributed"})


def _exit_now(status: int) -> None:
    """Flush the standard streams and end the process without the interpreter's teardown: freeing every module
    and object takes 15 ms, a fifth of a one-file run."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:  # the reader left before the last of the output: as main says for one that left earlier
        _silence_stdout()
        status = BROKEN_PIPE_STATUS
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.flush()
    os._exit(status)
