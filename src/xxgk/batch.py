"""The ``xxgk parse`` command: many report files in, one output out, on all cores, never stopped by one bad file.

Inputs are files and directories (searched recursively with ``--glob``).  Each file becomes an :class:`Outcome` —
a Report, or the reason it could not be read — in input order.  Outputs are the readable summary, the JSON contract
of one report, JSON Lines (one report per line, a failure as ``{"source", "error"}``), or a long table of the
statutory cells as CSV or Parquet (:data:`CELL_COLUMNS`; a failed file is one row with ``error`` set).  Files are
written to a temporary file beside the target and renamed at the end, so a failed run leaves no partial output.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import functools
import itertools
import json
import os
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Literal, Protocol, TypeVar

import attrs
from attrs import frozen

from xxgk.errors import (
    EXIT_STATUSES,
    INTERNAL_ERROR_STATUS,
    MIXED_FAILURES_STATUS,
    NOT_A_REPORT_STATUS,
    NoReportsError,
    XxgkError,
)
from xxgk.export import LONG_COLUMNS, iter_cells, print_summary, to_dict, to_json
from xxgk.pipeline import parse_file
from xxgk.records import Report

if TYPE_CHECKING:  # rich is imported where it is used: a library caller of parse_many needs no console
    from rich.console import Console
    from rich.progress import Progress

FORMATS = ("summary", "json", "jsonl", "csv", "parquet")
_SUFFIXES = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".csv": "csv",
    ".parquet": "parquet",
    ".txt": "summary",
}
CELL_COLUMNS = ("source", "template", "year", "agency", *LONG_COLUMNS, "error")
"""Columns of the CSV and Parquet output: one row per statutory value, or one row per failed file."""

Status = Literal["report", "not_a_report", "failed"]
T = TypeVar("T")

EPILOG = """\
examples:
  xxgk parse report.txt                             readable summary: sections, tables, findings
  xxgk parse report.txt --format json               the JSON contract (SCHEMA.md) of one report
  xxgk parse corpus/ --out reports.jsonl            every *.txt under corpus/, one report per line
  xxgk parse a/ b/ --glob '*.text' --out cells.csv  long table of statutory cells (also .parquet)
  xxgk parse 年报.pdf 年报.docx 年报.html             web pages, Word and PDF files are read as they are
  xxgk parse downloads/ --glob '*.pdf' --out r.jsonl  every PDF under downloads/ (docs/readers.md)

A file that cannot be parsed never stops a batch: it is a line (JSONL) or row (CSV, Parquet) with its error.
`source` is the path as given or found.  Output files appear only when complete (written under a temporary name).

exit status:
""" + "\n".join(f"  {code:>3}  {meaning}" for code, meaning in EXIT_STATUSES)


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
        report = attrs.evolve(parse_file(path), source=source)
    except Exception as exc:  # one bad file must never stop a batch
        return Outcome(source, failure=Failure.from_exception(exc))
    return Outcome(source, report=report)


def find_reports(paths: Iterable[str | os.PathLike[str]], glob: str = "*.txt") -> tuple[list[Path], list[Outcome]]:
    """The files to parse, in order and without repeats, and a failed outcome for each directory without any.

    A directory is searched recursively for names matching ``glob``; any other path is taken as a file, even a
    missing one, so that its error is reported like any other file's.
    """
    files: dict[Path, None] = {}
    empty: list[Outcome] = []
    for arg in paths:
        p = Path(arg)
        if p.is_dir():
            found = sorted(f for f in p.rglob(glob) if f.is_file())
            if not found:
                exc = NoReportsError(f"no file matching {glob!r} in this directory", source=str(p))
                empty.append(Outcome(str(p), failure=Failure.from_exception(exc)))
            files.update(dict.fromkeys(found))
        else:
            files[p] = None
    return list(files), empty


def available_cores() -> int:
    """Cores this process may run on (fewer than the machine's under a container's or taskset's limit)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def parse_many(paths: Sequence[Path], jobs: int | None = None) -> Iterator[Outcome]:
    """Outcomes of ``paths`` in their order, parsed on ``jobs`` processes (default: every core)."""
    return process_many(paths, parse_one, jobs)


def process_many(paths: Sequence[Path], work: Callable[[Path], T], jobs: int | None = None) -> Iterator[T]:
    """``work(path)`` for each of ``paths``, in order, on ``jobs`` processes (default: every core; 1: here).

    ``work`` must be picklable (a module-level function or a ``functools.partial`` of one).  Each worker process
    builds its parsers once, on its first file (the grammar cache is per process).
    """
    jobs = min(jobs or available_cores(), len(paths))
    if jobs <= 1:
        yield from map(work, paths)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # Workers start from a clean process, not a fork of one that runs the progress bar's thread (forkserver where
    # the platform has it, else spawn).
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    if method == "forkserver":
        multiprocessing.set_forkserver_preload(["xxgk.batch"])
    chunksize = max(1, min(32, len(paths) // (jobs * 8)))
    with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context(method)) as pool:
        yield from pool.map(work, paths, chunksize=chunksize)


def cell_rows(outcome: Outcome) -> Iterator[dict[str, Any]]:
    """Rows of :data:`CELL_COLUMNS` for one outcome: its statutory values, or one row naming why there are none."""
    r = outcome.report
    if r is None:
        assert outcome.failure is not None
        yield _row(outcome.source, error=f"{outcome.failure.kind}: {outcome.failure.describe(outcome.source)}")
        return
    head = {"template": r.template, "year": r.year, "agency": r.agency}
    if outcome.status == "not_a_report":
        yield _row(outcome.source, **head, error="not a disclosure report (diagnostic document.not_a_report)")
        return
    for cell in iter_cells(r):
        yield _row(outcome.source, **head, **cell)


def _row(source: str, **values: Any) -> dict[str, Any]:
    return {column: values.get(column) for column in CELL_COLUMNS} | {"source": source}


def jsonl_record(outcome: Outcome) -> dict[str, Any]:
    """One JSON Lines record: the report's JSON contract, or ``{"source", "error"}`` for a failed file."""
    if outcome.report is not None:
        return to_dict(outcome.report)
    assert outcome.failure is not None
    return {"source": outcome.source, "error": attrs.asdict(outcome.failure)}


# --- outputs ----------------------------------------------------------------------------------------------------


@frozen
class Rendered:
    """One file ready for the output: its status and counts, and the output itself, made in the worker process
    (a JSON line or table rows pickle far faster than the Report they come from)."""

    source: str
    status: Status
    failure: Failure | None
    findings: bool
    diagnostics: bool
    output: Any


def render(fmt: str, path: Path) -> Rendered:
    """Parse ``path`` and render it for format ``fmt`` (the work each batch process does)."""
    return rendered(fmt, parse_one(path))


def rendered(fmt: str, outcome: Outcome) -> Rendered:
    """``outcome`` rendered for format ``fmt``: the Report itself (summary), JSON text, a JSON line, table rows."""
    output: Any
    if fmt == "summary":
        output = outcome.report
    elif fmt == "json":
        output = None if outcome.report is None else to_json(outcome.report)
    elif fmt == "jsonl":
        output = json.dumps(jsonl_record(outcome), ensure_ascii=False)
    else:
        output = list(cell_rows(outcome))
    r = outcome.report
    findings, diagnostics = (bool(r.findings), bool(r.diagnostics)) if r else (False, False)
    return Rendered(outcome.source, outcome.status, outcome.failure, findings, diagnostics, output)


class Sink(Protocol):
    """Where rendered files go, one at a time, in input order."""

    def write(self, item: Rendered) -> None: ...


class _Summary:
    def __init__(self, console: Console) -> None:
        self.console = console

    def write(self, item: Rendered) -> None:
        if item.output is not None:
            print_summary(item.output, self.console)


class _Text:
    """JSON and JSON Lines: the worker made the text."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream

    def write(self, item: Rendered) -> None:
        if item.output is not None:
            self.stream.write(item.output + "\n")


class _Csv:
    def __init__(self, stream: IO[str]) -> None:
        self.writer = csv.DictWriter(stream, fieldnames=CELL_COLUMNS, lineterminator="\n")
        self.writer.writeheader()

    def write(self, item: Rendered) -> None:
        self.writer.writerows(item.output)


class ParquetSink:
    """Rows are buffered and written as one row group per ``_ROWS`` rows, so memory stays flat on any corpus."""

    _ROWS = 100_000

    def __init__(self, path: Path) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        types = {"year": pa.int64(), "value": pa.float64(), "line": pa.int64()}
        self.schema = pa.schema([(c, types.get(c, pa.string())) for c in CELL_COLUMNS])
        self.writer = pq.ParquetWriter(path, self.schema)
        self.rows: list[dict[str, Any]] = []

    def write(self, item: Rendered) -> None:
        self.rows.extend(item.output)
        if len(self.rows) >= self._ROWS:
            self.flush()

    def flush(self) -> None:
        import pyarrow as pa

        if self.rows:
            self.writer.write_table(pa.Table.from_pylist(self.rows, schema=self.schema))
            self.rows = []

    def close(self) -> None:
        self.flush()
        self.writer.close()


@contextlib.contextmanager
def atomic_output(target: Path, *, directory: bool = False) -> Iterator[Path]:
    """A temporary path beside ``target`` that is renamed to it when the block ends normally, removed otherwise.

    With ``directory`` the path is an empty directory (a missing or empty ``target`` directory is replaced).
    """
    prefix = f".{target.name}."
    try:
        if directory:
            tmp = Path(tempfile.mkdtemp(dir=target.parent, prefix=prefix, suffix=".part"))
        else:
            fd, name = tempfile.mkstemp(dir=target.parent, prefix=prefix, suffix=".part")
            os.close(fd)
            tmp = Path(name)
    except OSError as exc:
        raise XxgkError(f"cannot write the output here: {exc.strerror}", source=str(target)) from None
    try:
        yield tmp
        umask = os.umask(0)
        os.umask(umask)
        # mkstemp and mkdtemp make the path private; the output should be like any other file.
        tmp.chmod((0o777 if directory else 0o666) & ~umask)
        os.replace(tmp, target)
    finally:
        if directory:
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            tmp.unlink(missing_ok=True)


@contextlib.contextmanager
def open_sink(fmt: str, target: Path | None, out: Console) -> Iterator[Sink]:
    """The writer of format ``fmt`` into ``target`` (atomically) or, without one, to standard output."""
    if fmt == "parquet":
        if target is None:
            raise XxgkError("Parquet output needs --out FILE.parquet")
        with atomic_output(target) as tmp:
            sink = ParquetSink(tmp)
            yield sink
            sink.close()
        return
    with contextlib.ExitStack() as stack:
        if target is None:
            stream: IO[str] = sys.stdout
        else:
            tmp = stack.enter_context(atomic_output(target))
            stream = stack.enter_context(tmp.open("w", encoding="utf-8", newline=""))
        if fmt == "summary":
            from rich.console import Console

            yield _Summary(out if target is None else Console(file=stream, width=120, highlight=False))
        elif fmt in ("json", "jsonl"):
            yield _Text(stream)
        else:
            yield _Csv(stream)


# --- the command ------------------------------------------------------------------------------------------------


def add_arguments(p: argparse.ArgumentParser) -> None:
    """The arguments of ``xxgk parse``."""
    p.add_argument(
        "paths", nargs="+", metavar="PATH", help="report files (text, web page, .docx, PDF), or directories to search"
    )
    p.add_argument(
        "--format",
        choices=FORMATS,
        help="summary: readable (default); json: the JSON contract of one report; jsonl: one report per line; "
        "csv, parquet: long table of statutory cells. Default: from the --out extension, else summary",
    )
    p.add_argument("-o", "--out", type=Path, metavar="FILE", help="write here instead of standard output")
    p.add_argument("--glob", default="*.txt", help="file names to take from directories (default: %(default)s)")
    p.add_argument("-j", "--jobs", type=int, metavar="N", help="worker processes (default: every core; 1: no workers)")
    p.add_argument(
        "--engine",
        choices=("processes", "dask"),
        default="processes",
        help="processes: this machine's cores (default); dask: a Dask cluster, writing --out DIR.parquet "
        "(needs xxgk[dask]; paths may then be fsspec URLs such as s3://bucket/reports/)",
    )
    p.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="with --engine dask: the scheduler to use, e.g. tcp://10.0.0.5:8786 (default: a local cluster of "
        "--jobs worker processes)",
    )


def output_format(requested: str | None, out: Path | None) -> str:
    """The format asked for, or the one the output file's extension names, or ``summary``."""
    if requested:
        return requested
    if out is None:
        return "summary"
    try:
        return _SUFFIXES[out.suffix.lower()]
    except KeyError:
        raise XxgkError(f"cannot tell the format from {out.suffix!r}: add --format", source=str(out)) from None


def run(args: argparse.Namespace, out: Console, err: Console) -> int:
    """Run ``xxgk parse`` and return its exit status."""
    if args.engine == "dask":
        return _run_dask(args, out, err)
    if args.scheduler:
        raise XxgkError("--scheduler needs --engine dask")
    fmt = output_format(args.format, args.out)
    if fmt == "parquet":
        _require_pyarrow()
    if args.jobs is not None and args.jobs < 1:
        raise XxgkError("--jobs must be at least 1")
    files, failed = find_reports(args.paths, args.glob)
    if not files:
        raise NoReportsError(f"no file matching {args.glob!r}", source=", ".join(args.paths))
    if fmt == "json" and len(files) > 1:
        raise XxgkError(f"--format json prints one report and {len(files)} files were given: use --format jsonl")
    batch = len(files) > 1 or args.out is not None
    tally = Tally(err)
    started = time.perf_counter()
    progress = progress_bar(err, batch and fmt != "summary")
    with open_sink(fmt, args.out, out) as sink, progress:
        task = progress.add_task("parse", total=len(files) + len(failed))
        work = functools.partial(render, fmt)
        empty_dirs = (rendered(fmt, outcome) for outcome in failed)
        for item in itertools.chain(empty_dirs, process_many(files, work, args.jobs)):
            sink.write(item)
            progress.advance(task)
            tally.add(item)
    if batch:
        tally.say_summary(time.perf_counter() - started, args.out)
    return tally.exit_status()


def progress_bar(console: Console, wanted: bool) -> Progress:
    """The bar of files parsed, shown when ``wanted`` and ``console`` is a terminal."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    return Progress(
        TextColumn("parsing"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
        disable=not (wanted and console.is_terminal),
        redirect_stdout=False,
        redirect_stderr=False,
    )


class Tally:
    """What a batch has given so far: files per status and the exit statuses met.  Each failure is said on
    ``console`` as it is added."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.counts = {"report": 0, "not_a_report": 0, "failed": 0, "findings": 0, "diagnostics": 0}
        self.statuses: set[int] = set()

    def add(self, item: Rendered) -> None:
        """Count one file (its output is not looked at)."""
        self.counts[item.status] += 1
        if item.failure is not None:
            self.statuses.add(item.failure.exit_status)
            _say(self.console, f"xxgk: {item.failure.describe(item.source)}")
        elif item.status == "not_a_report":
            self.statuses.add(NOT_A_REPORT_STATUS)
            _say(self.console, f"xxgk: {item.source}: not a disclosure report")
        else:
            self.counts["findings"] += item.findings
            self.counts["diagnostics"] += item.diagnostics

    def say_summary(self, seconds: float, out: Path | None) -> None:
        """The closing line: how many files, how long, how many of each status, where the output went."""
        c = self.counts
        n = c["report"] + c["not_a_report"] + c["failed"]
        where = f" → {out}" if out else ""
        _say(
            self.console,
            f"{n} file(s) in {seconds:.1f} s: {c['report']} report(s) ({c['findings']} with findings, "
            f"{c['diagnostics']} with diagnostics), {c['not_a_report']} not a report, {c['failed']} failed{where}",
        )

    def exit_status(self) -> int:
        """0, the one exit status met, or the mixed-failures status."""
        if not self.statuses:
            return 0
        return next(iter(self.statuses)) if len(self.statuses) == 1 else MIXED_FAILURES_STATUS


def _say(console: Console, text: str) -> None:
    console.print(text, markup=False, highlight=False, soft_wrap=True)


def _run_dask(args: argparse.Namespace, out: Console, err: Console) -> int:
    try:
        from xxgk import dask
    except ImportError as exc:
        raise XxgkError(f"--engine dask needs {exc.name}: pip install 'xxgk[dask]'") from None
    return dask.run(args, out, err)


def _require_pyarrow() -> None:
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        raise XxgkError("Parquet output needs pyarrow: pip install 'xxgk[parquet]'") from None
