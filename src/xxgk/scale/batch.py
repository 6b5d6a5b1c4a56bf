"""Many report files in, one :class:`Outcome` each — a Report, or the reason there is none — never stopped by one
bad file.

Inputs are files and directories (searched recursively for a glob) or standard input; a file holding several reports
one after another can give one outcome per report (:func:`parse_parts`).  :func:`parse_many` runs the parses on
worker processes (:mod:`xxgk.scale.workers`); what becomes of an outcome is :mod:`xxgk.scale.render`'s.
"""

from __future__ import annotations

import fnmatch
import os
import sys
import traceback
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Literal

from attrs import frozen

from xxgk.document import concat
from xxgk.errors import INTERNAL_ERROR_STATUS, NoReportsError, XxgkError
from xxgk.normalise.text import decode
from xxgk.pipeline import parse, parse_file
from xxgk.records import Report, pickled_by_init
from xxgk.scale.workers import process_many

__all__ = [
    "REPORT_SUFFIXES",
    "STDIN",
    "STDIN_SOURCE",
    "Failure",
    "Outcome",
    "Status",
    "concat_starts",
    "find_reports",
    "other_files",
    "parse_many",
    "parse_one",
    "parse_parts",
    "parse_stdin",
    "reports_in",
    "takes",
]

Status = Literal["report", "not_a_report", "failed"]


@pickled_by_init
@frozen
class Failure:
    """Why a file gave no report: the exception class name, its message, the position and the exit status."""

    kind: str
    message: str
    line: int | None
    column: int | None
    exit_status: int

    @classmethod
    def from_exception(cls, exc: BaseException) -> Failure:
        """The failure for ``exc``; anything outside the :class:`XxgkError` family is an internal error."""
        if isinstance(exc, XxgkError):
            return cls(type(exc).__name__, exc.message, exc.line, exc.column, exc.exit_status)
        frame = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
        where = f" at {Path(frame.filename).name}:{frame.lineno}" if frame else ""
        message = f"internal error (a bug in xxgk): {type(exc).__name__}: {exc}{where}"
        return cls("InternalError", message, None, None, INTERNAL_ERROR_STATUS)

    def describe(self, source: str) -> str:
        """``source:line:column: message`` as on a compiler's error line."""
        where = source + "".join(f":{n}" for n in (self.line, self.column) if n is not None)
        return f"{where}: {self.message}"


@pickled_by_init
@frozen
class Outcome:
    """What one input file gave: a report, or the failure that stopped it."""

    source: str
    report: Report | None = None
    failure: Failure | None = None

    @property
    def status(self) -> Status:
        """``failed`` without a report, ``not_a_report`` when the report carries that diagnostic, else ``report``."""
        if self.report is None:
            return "failed"
        if any(d.kind == "document.not_a_report" for d in self.report.diagnostics):
            return "not_a_report"
        return "report"


def parse_one(path: str | os.PathLike[str]) -> Outcome:
    """Parse one file into an :class:`Outcome`; never raises (an unexpected exception is an internal failure)."""
    source = os.fspath(path)
    try:
        report = parse_file(source)
    except Exception as exc:  # one bad file must never stop a batch
        return Outcome(source, failure=Failure.from_exception(exc))
    return Outcome(source, report=report)


STDIN = "-"
"""The path that means standard input, as for most command-line tools."""

STDIN_SOURCE = "<stdin>"
"""``Report.source`` of a report read from standard input."""


def parse_stdin() -> Outcome:
    """Parse the bytes of standard input into an :class:`Outcome` (source ``<stdin>``); never raises."""
    try:
        return Outcome(STDIN_SOURCE, report=parse(sys.stdin.buffer.read(), source=STDIN_SOURCE))
    except Exception as exc:  # as parse_one: one bad input never stops a batch
        return Outcome(STDIN_SOURCE, failure=Failure.from_exception(exc))


REPORT_SUFFIXES = (".txt", ".text", ".htm", ".html", ".docx", ".pdf")
"""The files of a directory read as reports when no glob chooses them: the formats xxgk reads (:mod:`xxgk.readers`),
by their suffix in any case (a download folder's ``.PDF``)."""


def takes(name: str, glob: str | None = None) -> bool:
    """Whether a file called ``name`` (a base name) found in a directory is read: it matches ``glob`` as the shell
    matches names (case and all), or, without a glob, it has one of the :data:`REPORT_SUFFIXES`."""
    return name.lower().endswith(REPORT_SUFFIXES) if glob is None else fnmatch.fnmatchcase(name, glob)


def wanted(glob: str | None) -> str:
    """What a directory is searched for, as messages say it."""
    return f"file matching {glob!r}" if glob is not None else "report file (" + ", ".join(REPORT_SUFFIXES) + ")"


def reports_in(directory: Path, glob: str | None = None) -> list[Path]:
    """The files under ``directory``, recursively and in name order, that :func:`takes` reads."""
    return sorted(f for f in directory.rglob("*") if takes(f.name, glob) and f.is_file())


def find_reports(paths: Iterable[str | os.PathLike[str]], glob: str | None = None) -> tuple[list[Path], list[Outcome]]:
    """The files to parse, in order and without repeats, and a failed outcome for each directory without any.

    A directory is searched recursively for the files :func:`takes` reads (by ``glob``, or by suffix); any other
    path is taken as a file, even a missing one, so that its error is reported like any other file's.
    """
    files: dict[Path, None] = {}
    empty: list[Outcome] = []
    for arg in paths:
        p = Path(arg)
        if p.is_dir():
            found = reports_in(p, glob)
            if not found:
                exc = NoReportsError(f"no {wanted(glob)} in this directory", source=str(p))
                empty.append(Outcome(str(p), failure=Failure.from_exception(exc)))
            files.update(dict.fromkeys(found))
        else:
            files[p] = None
    return list(files), empty


def other_files(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """The files of the directories among ``paths`` that :func:`find_reports` leaves without a glob (a ``.doc``, a
    spreadsheet, a picture), hidden ones aside: a command says how many, so that none goes unread unseen."""
    return sorted(
        f
        for p in map(Path, paths)
        if p.is_dir()
        for f in p.rglob("*")
        if not f.name.startswith(".") and not takes(f.name) and f.is_file()
    )


def parse_many(paths: Sequence[Path], jobs: int | None = None) -> Iterator[Outcome]:
    """Outcomes of ``paths`` in their order, parsed on ``jobs`` processes (default: every core)."""
    return process_many(paths, parse_one, jobs)


def parse_parts(path: str | os.PathLike[str]) -> list[Outcome]:
    """``xxgk parse --split``: the outcome of each report a file holds (:mod:`xxgk.document.concat`), named
    ``PATH#K`` for the K-th of several; a file of one report is one outcome named ``PATH``.  Positions stay those of
    the file."""
    outcome = parse_one(path)
    starts = [] if outcome.report is None else concat_starts(outcome.report)
    if not starts:
        return [outcome]
    source = os.fspath(path)
    try:
        text = decode(Path(path).read_bytes(), source=source)
        parts = concat.split(text, starts)
        return [
            Outcome(f"{source}#{k}", report=parse(part, source=f"{source}#{k}")) for k, (_, part) in enumerate(parts, 1)
        ]
    except Exception as exc:  # as parse_one: one bad file must never stop a batch
        return [Outcome(source, failure=Failure.from_exception(exc))]


def concat_starts(report: Report) -> list[int]:
    """The lines where further reports begin in the input of ``report`` (its ``document.concatenated`` diagnostics)."""
    return [d.line for d in report.diagnostics if d.kind == "document.concatenated" and d.line is not None]
