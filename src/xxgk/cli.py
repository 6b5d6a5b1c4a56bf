"""The ``xxgk`` command: ``parse`` reports, ``check`` their numbers, debug grammars in the ``repl``."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from rich.console import Console

from xxgk import batch
from xxgk.check import register as register_check
from xxgk.compare import register as register_compare
from xxgk.errors import XxgkError
from xxgk.extract import register as register_extract
from xxgk.panel import register as register_panel
from xxgk.repl import register as register_repl
from xxgk.view import register as register_view

EPILOG = """\
examples:
  xxgk parse corpus/000_875ca7f37e0dab6a.txt               readable summary: sections, tables, findings
  xxgk parse corpus/000_875ca7f37e0dab6a.txt --format json the JSON contract (SCHEMA.md)
  xxgk parse 2023年报.pdf                                 a PDF, Word .docx or web page, read as it is
  xxgk extract 2023年报.pdf --origins                     the text the grammars see, with each line's origin
  python -m xxgk parse report.txt                          the same without the console script

exit status: 0 parsed; 2 usage error; 3-12 bad input (listed in xxgk parse --help); 70 internal error.
"""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``xxgk`` command (exposed for documentation and tests)."""
    ap = argparse.ArgumentParser(
        prog="xxgk",
        description="Parse 政府信息公开工作年度报告 (government information-disclosure annual reports) "
        "into validated, structured data with grammars.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
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


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``xxgk`` console script; returns the exit status."""
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
    except KeyboardInterrupt:
        return 130
    return status
