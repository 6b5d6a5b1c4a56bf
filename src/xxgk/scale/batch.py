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
import signal
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Literal, Protocol, TypeVar

import attrs
from attrs import frozen

from xxgk.document import concat
from xxgk.errors import (
    INTERNAL_ERROR_STATUS,
    NOT_A_REPORT_STATUS,
    NoReportsError,
    XxgkError,
    combined_status,
    exit_status_help,
)
from xxgk.export import longform
from xxgk.export.report import print_summary, to_dict, to_json
from xxgk.normalise.text import decode
from xxgk.pipeline import parse, parse_file
from xxgk.records import Report

if TYPE_CHECKING:  # rich is imported where it is used: a library caller of parse_many needs no console
    import multiprocessing.queues
    from concurrent.futures import ProcessPoolExecutor

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
CELL_COLUMNS = longform.names("cells")
"""Columns of the default CSV and Parquet output: one row per statutory value, or one row per input without any
(``error`` says why).  ``--table`` writes the other long tables (:data:`xxgk.export.longform.SCHEMAS`)."""

Status = Literal["report", "not_a_report", "failed"]
T = TypeVar("T")

EPILOG = """\
examples:
  xxgk parse report.txt                             readable summary: sections, tables, findings
  xxgk parse report.txt --format json               the JSON contract (SCHEMA.md) of one report
  xxgk parse corpus/ --out reports.jsonl            every *.txt under corpus/, one report per line
  xxgk parse a/ b/ --glob '*.text' --out cells.csv  long table of statutory cells (also .parquet)
  xxgk parse corpus/ --out reports.csv --table reports   one row per input: status, cells read of expected
  xxgk parse corpus/ --out dataset/ --table all --format parquet   cells, reports, findings, diagnostics
  curl -s URL | xxgk parse - --format json          a report from standard input (source "<stdin>")
  xxgk parse corpus/ --format jsonl | head -1       stops quietly when the reader has had enough
  xxgk parse 年报.pdf 年报.docx 年报.html             web pages, Word and PDF files are read as they are
  xxgk parse downloads/ --glob '*.pdf' --out r.jsonl  every PDF under downloads/ (docs/readers.md)

A file that cannot be parsed never stops a batch: it is a line (JSONL) or row (CSV, Parquet) with its error.
Every cell row has a status (ok, odd, repaired, uncertain, null): `status == "ok"` keeps the trustworthy ones.
`source` is the path as given or found.  Output files appear only when complete (written under a temporary name).

""" + exit_status_help()


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
        report = parse_file(source)
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


def process_many(paths: Sequence[Path], work: Callable[[Path], T], jobs: int | None = None) -> Generator[T, None, None]:
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
        multiprocessing.set_forkserver_preload(["xxgk.scale.batch"])
    chunksize = max(1, min(32, len(paths) // (jobs * 8)))
    context = multiprocessing.get_context(method)
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_ignore_interrupts)
    try:
        # The fork server and the workers start while SIGINT is blocked, and keep it blocked (a mask is inherited):
        # Ctrl-C reaches the whole process group, and a process starting up would print a KeyboardInterrupt
        # traceback.  A Ctrl-C meanwhile is delivered here when the mask is lifted.
        with _interrupts_held():
            chunks = [pool.submit(_each, work, paths[i : i + chunksize]) for i in range(0, len(paths), chunksize)]
        for chunk in chunks:
            yield from chunk.result()
    except BaseException:
        # Ctrl-C, a closed pipe, an error writing the output, or the consumer stopping early (GeneratorExit):
        # ``shutdown(wait=True)`` would first finish every file already queued — minutes on a corpus.
        abandon(pool)
        raise
    pool.shutdown()


def _each(work: Callable[[Path], T], paths: Sequence[Path]) -> list[T]:
    # Not pool.map: closing its iterator cancels the queued work, and the pool's thread then dies on the cancelled
    # futures when the workers are killed (see abandon).
    return [work(p) for p in paths]


@contextlib.contextmanager
def _interrupts_held() -> Iterator[None]:
    """Within the block Ctrl-C waits: it is raised when the block ends.  Processes started within keep SIGINT
    blocked (a signal mask is inherited), so they never see it at all.

    Blocking the signal is not enough for this process: any of its other threads (a progress bar's, the pool's)
    takes it, and Python then raises it in the main thread all the same; so the handler also changes, to one that
    only notes the signal.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    noted: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: noted.append(signum))
    masked = hasattr(signal, "pthread_sigmask")
    if masked:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        if masked:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
        signal.signal(signal.SIGINT, previous)
        if noted and callable(previous):
            previous(signal.SIGINT, None)


def _ignore_interrupts() -> None:
    # Ctrl-C reaches the whole process group; only the parent acts on it (it stops the workers), so a worker never
    # prints a KeyboardInterrupt traceback of its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def abandon(pool: ProcessPoolExecutor) -> None:
    """Stop ``pool`` now: drop the queued work and kill the workers, without waiting for anything.

    A second Ctrl-C during the clean-up that follows (temporary output files removed) is ignored, so the clean-up
    always completes; :func:`xxgk.cli.main.main` restores the handler.
    """
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    # No public way to kill the workers before Python 3.14.  Killed workers make the pool's own thread fail the
    # queued work and close its queues; cancelling that work first instead makes the thread die on the cancelled
    # futures (InvalidStateError) and leaves a queue's feeder blocked, which the interpreter's exit then waits for.
    workers = list((pool._processes or {}).values())
    calls: multiprocessing.queues.Queue[Any] | None = getattr(pool, "_call_queue", None)
    manager: threading.Thread | None = getattr(pool, "_executor_manager_thread", None)
    if calls is not None:
        calls.cancel_join_thread()
    for worker in workers:
        worker.kill()
    pool.shutdown(wait=False)
    for worker in workers:
        worker.join(timeout=1)
    # The pool's thread sees the workers gone and closes its pipes; done here, not raced by the interpreter's exit.
    if manager is not None:
        manager.join(timeout=1)


def cell_rows(outcome: Outcome) -> Iterator[dict[str, Any]]:
    """Rows of :data:`CELL_COLUMNS` for one outcome: its statutory values, or one row naming why there are none."""
    return iter(table_rows("cells", outcome))


def table_rows(table: str, outcome: Outcome) -> list[dict[str, Any]]:
    """The rows of long table ``table`` (:data:`xxgk.export.longform.SCHEMAS`) for one outcome; a failed file is one row
    of ``cells`` and of ``reports`` and none of ``findings`` and ``diagnostics``."""
    if outcome.report is not None:
        return longform.rows(table, outcome.source, outcome.report)
    assert outcome.failure is not None
    error = outcome.failure.describe(outcome.source)
    if table == "cells":
        return [longform.placeholder_cell(outcome.source, None, "failed", f"{outcome.failure.kind}: {error}")]
    if table == "reports":
        return [longform.report_row(outcome.source, None, error_kind=outcome.failure.kind, error=error)]
    return []


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


def render(fmt: str, path: Path, table: str = "cells", split: bool = False) -> list[Rendered]:
    """Parse ``path`` and render it for format ``fmt`` (the work each batch process does): one item, or with
    ``split`` one per report the file holds."""
    outcomes = parse_parts(path) if split else [parse_one(path)]
    return [rendered(fmt, outcome, table) for outcome in outcomes]


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


def rendered(fmt: str, outcome: Outcome, table: str = "cells") -> Rendered:
    """``outcome`` rendered for format ``fmt``: the Report itself (summary), JSON text, a JSON line, the rows of
    long table ``table`` — or, for ``table`` ``all``, a mapping of every long table's name to its rows."""
    output: Any
    if fmt == "summary":
        output = outcome.report
    elif fmt == "json":
        output = None if outcome.report is None else to_json(outcome.report)
    elif fmt == "jsonl":
        output = json.dumps(jsonl_record(outcome), ensure_ascii=False)
    elif table == "all":
        output = {name: table_rows(name, outcome) for name in longform.TABLE_NAMES}
    else:
        output = table_rows(table, outcome)
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
    def __init__(self, stream: IO[str], table: str = "cells") -> None:
        self.writer = csv.DictWriter(stream, fieldnames=longform.names(table), lineterminator="\n")
        self.writer.writeheader()

    def write(self, item: Rendered) -> None:
        self.writer.writerows(item.output)


class ParquetSink:
    """Rows are buffered and written as one row group per ``_ROWS`` rows, so memory stays flat on any corpus."""

    _ROWS = 100_000

    def __init__(self, path: Path, table: str = "cells") -> None:
        import pyarrow.parquet as pq

        self.schema = longform.arrow_schema(table)
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
    tmp: Path | None = None
    try:
        # Ctrl-C is held while the temporary path is made (and while it is removed): one that comes meanwhile is
        # raised when the path is known, inside this try, so no moment leaves it behind.
        with _interrupts_held():
            tmp = _temporary(target, prefix, directory)
            _PENDING.add(tmp)
        yield tmp
        umask = os.umask(0)
        os.umask(umask)
        # mkstemp and mkdtemp make the path private; the output should be like any other file.
        tmp.chmod((0o777 if directory else 0o666) & ~umask)
        if _INTERRUPTED:  # a Ctrl-C whose KeyboardInterrupt was swallowed on the way: no output all the same
            raise KeyboardInterrupt
        os.replace(tmp, target)
        _PENDING.discard(tmp)
    finally:
        if tmp is not None:
            with _interrupts_held():
                _remove(tmp)


# Temporary outputs not yet renamed or removed.  A Ctrl-C can stop a ``with`` statement after the context manager
# made its path but before the statement took it on (ExitStack.enter_context): nothing would then remove the path
# until the garbage collector finalises the generator, so the command removes what is left here when it stops.
_PENDING: set[Path] = set()


def _remove(tmp: Path) -> None:
    if tmp.is_dir():
        shutil.rmtree(tmp, ignore_errors=True)
    else:
        tmp.unlink(missing_ok=True)
    _PENDING.discard(tmp)


def remove_pending() -> None:
    """Remove every temporary output path a stopped command left (see :func:`atomic_output`)."""
    with _interrupts_held():
        for tmp in list(_PENDING):
            _remove(tmp)


def _temporary(target: Path, prefix: str, directory: bool) -> Path:
    try:
        if directory:
            return Path(tempfile.mkdtemp(dir=target.parent, prefix=prefix, suffix=".part"))
        fd, name = tempfile.mkstemp(dir=target.parent, prefix=prefix, suffix=".part")
        os.close(fd)
        return Path(name)
    except OSError as exc:
        raise XxgkError(f"cannot write the output here: {exc.strerror}", source=str(target)) from None


class _Tables:
    """``--table all``: each long table to its own file of a directory."""

    def __init__(self, sinks: dict[str, Sink]) -> None:
        self.sinks = sinks

    def write(self, item: Rendered) -> None:
        for name, sink in self.sinks.items():
            sink.write(attrs.evolve(item, output=item.output[name]))


@contextlib.contextmanager
def open_sink(fmt: str, target: Path | None, out: Console, table: str = "cells") -> Iterator[Sink]:
    """The writer of format ``fmt`` into ``target`` (atomically) or, without one, to standard output; ``table``
    names the long table of a CSV or Parquet output (``all``: every one, into the directory ``target``)."""
    if table == "all":
        if target is None or fmt not in ("csv", "parquet"):
            raise XxgkError("--table all writes a directory of CSV or Parquet files: give --out DIR --format csv")
        with atomic_output(target, directory=True) as tmp, contextlib.ExitStack() as stack:
            sinks = {
                name: stack.enter_context(open_sink(fmt, tmp / f"{name}.{fmt}", out, name))
                for name in longform.TABLE_NAMES
            }
            yield _Tables(sinks)
        return
    if fmt == "parquet":
        if target is None:
            raise XxgkError("Parquet output needs --out FILE.parquet")
        with atomic_output(target) as tmp:
            sink = ParquetSink(tmp, table)
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
            yield _Csv(stream, table)


# --- the command ------------------------------------------------------------------------------------------------


def add_arguments(p: argparse.ArgumentParser) -> None:
    """The arguments of ``xxgk parse``."""
    p.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="report files (text, web page, .docx, PDF), directories to search, or - for standard input",
    )
    p.add_argument(
        "--format",
        choices=FORMATS,
        help="summary: readable (default); json: the JSON contract of one report; jsonl: one report per line; "
        "csv, parquet: long table of statutory cells. Default: from the --out extension, else summary",
    )
    p.add_argument("-o", "--out", type=Path, metavar="FILE", help="write here instead of standard output")
    p.add_argument(
        "--table",
        choices=(*longform.TABLE_NAMES, "all"),
        default="cells",
        help="the long table a CSV or Parquet output holds (docs/outputs.md): cells (default; one row per value "
        "with its status), reports (one row per input), findings, diagnostics; all: the four, as "
        "DIR/cells.csv … with --out DIR",
    )
    p.add_argument(
        "--split",
        action="store_true",
        help="a file holding several reports one after another (diagnostic document.concatenated) gives one "
        "report per part, named FILE#1, FILE#2 …, positions still those of the file",
    )
    p.add_argument("--glob", default="*.txt", help="file names to take from directories (default: %(default)s)")
    p.add_argument(
        "-q", "--quiet", action="store_true", help="no progress and no closing summary; failures are still said"
    )
    p.add_argument("--no-progress", action="store_true", help="no progress bar or spinner (shown only on a terminal)")
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


def output_format(requested: str | None, out: Path | None, table: str = "cells") -> str:
    """The format asked for, or the one the output file's extension names, or ``summary`` (``csv`` for a directory
    of every long table)."""
    if requested:
        return requested
    if out is None:
        return "summary"
    if table == "all":
        return "csv"
    try:
        return _SUFFIXES[out.suffix.lower()]
    except KeyError:
        raise XxgkError(f"cannot tell the format from {out.suffix!r}: add --format", source=str(out)) from None


def run(args: argparse.Namespace, out: Console, err: Console) -> int:
    """Run ``xxgk parse`` and return its exit status."""
    try:
        with _interrupts_noted():
            return _run(args, out, err)
    except BaseException:
        remove_pending()
        raise


# Set by the SIGINT handler of a running command (_interrupts_noted): a KeyboardInterrupt raised where Python
# swallows exceptions (a garbage-collector callback, a __del__) would otherwise let the batch finish and write its
# output; atomic_output checks this before it renames a temporary output into place.
_INTERRUPTED: list[bool] = []


@contextlib.contextmanager
def _interrupts_noted() -> Iterator[None]:
    """Within the block Ctrl-C raises KeyboardInterrupt as usual and is also noted (see ``_INTERRUPTED``)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.getsignal(signal.SIGINT)

    def note(signum: int, frame: Any) -> None:
        _INTERRUPTED.append(True)
        if callable(previous):
            previous(signum, frame)

    signal.signal(signal.SIGINT, note)
    _INTERRUPTED.clear()
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        _INTERRUPTED.clear()


def _run(args: argparse.Namespace, out: Console, err: Console) -> int:
    if args.engine == "dask":
        return _run_dask(args, out, err)
    if args.scheduler:
        raise XxgkError("--scheduler needs --engine dask")
    fmt = output_format(args.format, args.out, args.table)
    if fmt == "parquet":
        _require_pyarrow()
    if args.jobs is not None and args.jobs < 1:
        raise XxgkError("--jobs must be at least 1")
    files, failed = find_reports([p for p in args.paths if p != STDIN], args.glob)
    stdin = STDIN in args.paths
    if not files and not stdin:
        raise NoReportsError(f"no file matching {args.glob!r}", source=", ".join(args.paths))
    count = len(files) + stdin
    if fmt == "json" and count > 1:
        raise XxgkError(f"--format json prints one report and {count} files were given: use --format jsonl")
    batch = count > 1 or args.out is not None
    tally = Tally(err)
    started = time.perf_counter()
    shown = not (args.quiet or args.no_progress)
    progress = progress_bar(err, shown and batch and fmt != "summary")
    with open_sink(fmt, args.out, out, args.table) as sink, progress:
        task = progress.add_task("parse", total=count + len(failed))
        work = functools.partial(render, fmt, table=args.table, split=args.split)
        # Standard input is read here: worker processes do not share it.
        known = [*failed, *([parse_stdin()] if stdin else [])]
        first = ([rendered(fmt, outcome, args.table)] for outcome in known)
        # Closed on the way out whatever happens (a closed pipe, Ctrl-C, an error writing), so that the workers
        # stop at once rather than when the garbage collector gets to the generator.
        results = contextlib.closing(process_many(files, work, args.jobs))
        with _spinner(err, shown and not batch, files), results as parsed:
            for items in itertools.chain(first, parsed):
                for item in items:
                    sink.write(item)
                    tally.add(item)
                progress.advance(task)
    if batch and not args.quiet:
        tally.say_summary(time.perf_counter() - started, args.out)
    return tally.exit_status()


STDIN = "-"
"""The path that means standard input, as for most command-line tools."""

STDIN_SOURCE = "<stdin>"
"""``Report.source`` of a report read from standard input."""

# A single file this large takes a second or more: say what is happening instead of a silent wait.
_LARGE_FILE = 2_000_000


def parse_stdin() -> Outcome:
    """Parse the bytes of standard input into an :class:`Outcome` (source ``<stdin>``); never raises."""
    try:
        return Outcome(STDIN_SOURCE, report=parse(sys.stdin.buffer.read(), source=STDIN_SOURCE))
    except Exception as exc:  # as parse_one: one bad input never stops a batch
        return Outcome(STDIN_SOURCE, failure=Failure.from_exception(exc))


def _spinner(console: Console, wanted: bool, files: Sequence[Path]) -> contextlib.AbstractContextManager[Any]:
    """A spinner while one large file is parsed (the progress bar counts files, so it would sit at 0 of 1)."""
    size = sum(f.stat().st_size for f in files if f.is_file())
    if not (wanted and console.is_terminal and size >= _LARGE_FILE):
        return contextlib.nullcontext()
    return console.status(f"parsing {files[0]} ({size / 1e6:.0f} MB)", spinner="dots")


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
        return combined_status(self.statuses)


def _say(console: Console, text: str) -> None:
    console.print(text, markup=False, highlight=False, soft_wrap=True)


def _run_dask(args: argparse.Namespace, out: Console, err: Console) -> int:
    try:
        from xxgk.scale import dask
    except ImportError as exc:
        raise XxgkError(f"--engine dask needs {exc.name}: pip install 'xxgk[dask]'") from None
    return dask.run(args, out, err)


def _require_pyarrow() -> None:
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        raise XxgkError("Parquet output needs pyarrow: pip install 'xxgk[parquet]'") from None
