"""The ``xxgk`` command: ``parse`` reports, ``check`` their numbers, debug grammars in the ``repl``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from rich.console import Console

from xxgk.errors import XxgkError
from xxgk.export import print_summary, to_json
from xxgk.pipeline import parse_file

EPILOG = """\
examples:
  xxgk parse corpus/000_875ca7f37e0dab6a.txt               readable summary: sections, tables, findings
  xxgk parse corpus/000_875ca7f37e0dab6a.txt --format json the JSON contract (SCHEMA.md)
  python -m xxgk parse report.txt                          the same without the console script

exit status: 0 parsed; 2 usage error; 3 input not readable as text; 5 broken grammar file.
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
        help="parse report files and print a summary or JSON",
        description="Parse report files (UTF-8 or GB18030 text extracted from web pages, Word or PDF).",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="report text file(s)")
    p.add_argument(
        "--format",
        choices=("summary", "json"),
        default="summary",
        help="summary: readable tree and tables (default); json: the output contract of SCHEMA.md",
    )
    p.set_defaults(run=_run_parse)
    return ap


def _run_parse(args: argparse.Namespace, out: Console, err: Console) -> int:
    status = 0
    for path in args.files:
        try:
            report = parse_file(path)
        except XxgkError as exc:
            err.print(f"xxgk: {exc}", markup=False, highlight=False)
            status = max(status, exc.exit_status)
            continue
        if args.format == "json":
            sys.stdout.write(to_json(report) + "\n")
        else:
            print_summary(report, out)
    return status


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``xxgk`` console script; returns the exit status."""
    args = build_parser().parse_args(argv)
    out = Console(highlight=False)
    err = Console(stderr=True, highlight=False)
    try:
        status: int = args.run(args, out, err)
    except XxgkError as exc:
        err.print(f"xxgk: {exc}", markup=False, highlight=False)
        return exc.exit_status
    except KeyboardInterrupt:
        return 130
    return status
