"""The ``xxgk`` command: ``parse`` reports, ``check`` their numbers, debug grammars in the ``repl``."""

from __future__ import annotations

import argparse
import contextlib
import importlib.metadata
import os
import signal
import sys
import threading
from collections.abc import Sequence

from rich.console import Console

from xxgk.cli.check import register as register_check
from xxgk.cli.extract import register as register_extract
from xxgk.errors import BROKEN_PIPE_STATUS, INTERRUPTED_STATUS, XxgkError, exit_status_help
from xxgk.panel.compare import register as register_compare
from xxgk.panel.series import register as register_panel
from xxgk.panel.view import register as register_view
from xxgk.repl.command import register as register_repl
from xxgk.scale import batch

EPILOG = """\
examples:
  xxgk parse corpus/000_875ca7f37e0dab6a.txt               readable summary: sections, tables, findings
  xxgk parse corpus/000_875ca7f37e0dab6a.txt --format json the JSON contract (SCHEMA.md)
  xxgk parse 2023年报.pdf                                 a PDF, Word .docx or web page, read as it is
  xxgk extract 2023年报.pdf --origins                     the text the grammars see, with each line's origin
  python -m xxgk parse report.txt                          the same without the console script

"""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``xxgk`` command (exposed for documentation and tests)."""
    ap = argparse.ArgumentParser(
        prog="xxgk",
        description="Parse 政府信息公开工作年度报告 (government information-disclosure annual reports) "
        "into validated, structured data with grammars.",
        epilog=EPILOG + "\n" + exit_status_help(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ap.add_argument("--version", action="version", version=f"xxgk {version()}")
    sub = ap.add_subparsers(dest="command", metavar="COMMAND", required=True)
    p = sub.add_parser(
        "parse",
        help="parse report files or directories to a summary, JSON, JSON Lines, CSV or Parquet",
        description="Parse report files: web pages (any charset), Word .docx and PDF files, or their text (UTF-8 "
        "or GB18030), told apart by content.",
        epilog=batch.EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    batch.add_arguments(p)
    p.set_defaults(run=batch.run)
    register_check(sub)
    register_extract(sub)
    register_repl(sub)
    register_panel(sub)
    register_compare(sub)
    register_view(sub)
    return ap


def version() -> str:
    """The installed version of xxgk."""
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


def _main(argv: Sequence[str] | None) -> int:
    args = build_parser().parse_args(argv)
    out = Console(highlight=False)
    if not out.is_terminal:
        # Piped output is read in files and pagers, where rich's 80-column default cuts the applications grid.
        out = Console(highlight=False, width=120)
    err = Console(stderr=True, highlight=False)
    try:
        status: int = args.run(args, out, err)
    except XxgkError as exc:
        err.print(f"xxgk: {exc}", markup=False, highlight=False, soft_wrap=True)
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
    sys.exit(main())
