"""The command-line pieces ``xxgk panel``, ``xxgk compare`` and ``xxgk view`` share: the subcommand with its teaching
epilog, the report files and folders to read (``--glob``, ``--jobs``), and what a jump is (``--jump-factor``,
``--jump-floor``)."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from xxgk.errors import XxgkError
from xxgk.panel import reports
from xxgk.panel.pairs import DEFAULT_JUMPS, Jumps
from xxgk.scale.batch import Outcome


def subcommand(subparsers: Any, name: str, *, summary: str, description: str, epilog: str) -> argparse.ArgumentParser:
    """Add the subcommand ``name`` (``summary``: its line in ``xxgk --help``) with ``epilog`` shown as written.
    ``subparsers`` is argparse's ``_SubParsersAction``, a private class, hence Any."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        name,
        help=summary,
        description=description,
        epilog=epilog,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    return parser


def add_paths_argument(p: argparse.ArgumentParser) -> None:
    """The report files and folders to read (``paths``)."""
    p.add_argument("paths", nargs="+", metavar="FILE_OR_DIR", help="report files, or directories searched for --glob")


def add_search_arguments(p: argparse.ArgumentParser) -> None:
    """``--glob`` (the file names searched for in folders) and ``--jobs``."""
    p.add_argument(
        "--glob", help="file names searched for in directories, as the shell matches them (default: the report formats)"
    )
    p.add_argument("--jobs", type=int, help="worker processes (default: this machine's cores)")


def outcomes(args: argparse.Namespace) -> Iterator[Outcome]:
    """The outcome of every report the arguments name (:func:`xxgk.panel.reports.load`); an error for ``--jobs`` below
    1, before any file is read."""
    if args.jobs is not None and args.jobs < 1:
        raise XxgkError("--jobs must be at least 1")
    return reports.load(args.paths, args.glob, args.jobs)


def add_jump_arguments(p: argparse.ArgumentParser) -> None:
    """``--jump-factor`` and ``--jump-floor`` (:class:`~xxgk.panel.pairs.Jumps`)."""
    default = DEFAULT_JUMPS
    for flag, metavar, value, meaning in (
        ("--jump-factor", "X", default.factor, "a value more than X times the other year's is a jump"),
        ("--jump-floor", "N", default.floor, "no jump unless the larger value is at least N"),
    ):
        p.add_argument(flag, metavar=metavar, type=Decimal, default=value, help=f"{meaning} (default {value})")


def jumps(args: argparse.Namespace) -> Jumps:
    """The :class:`~xxgk.panel.pairs.Jumps` of ``--jump-factor`` and ``--jump-floor``."""
    return Jumps(args.jump_factor, args.jump_floor)
