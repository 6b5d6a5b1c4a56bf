"""The ``xxgk parse`` command: report files and directories in, one output out — the readable summary, JSON, JSON
Lines, CSV or Parquet — on all cores, never stopped by one bad file, and an exit status that says what went wrong.

The files are parsed and rendered on worker processes (:mod:`xxgk.scale`), or on a Dask cluster with ``--engine
dask`` (:mod:`xxgk.cli.cluster`); the output is written atomically (:mod:`xxgk.scale.sinks`).  One file to standard
output imports neither the process pool nor rich: what it costs is the parse.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import itertools
import time
from pathlib import Path

from xxgk.cli.consoles import Consoles
from xxgk.cli.progress import Bar, Tally, others_note, spinner
from xxgk.errors import NoReportsError, XxgkError, exit_status_help
from xxgk.export import columns
from xxgk.scale import atomic
from xxgk.scale.batch import REPORT_SUFFIXES, STDIN, find_reports, parse_stdin, wanted
from xxgk.scale.render import render, rendered
from xxgk.scale.sinks import FORMATS, open_sink, output_format, require_pyarrow
from xxgk.scale.workers import process_many

EPILOG = """\
examples:
  xxgk parse report.txt                             readable summary: sections, tables, findings
  xxgk parse report.txt --format json               the JSON contract (docs/spec.md) of one report
  xxgk parse corpus/ --out reports.jsonl            every report file under corpus/, one report per line
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


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``xxgk parse`` to the command's subparsers."""
    p = sub.add_parser(
        "parse",
        help="parse report files or directories to a summary, JSON, JSON Lines, CSV or Parquet",
        description="Parse report files: web pages (any charset), Word .docx and PDF files, or their text (UTF-8 "
        "or GB18030), told apart by content.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.set_defaults(run=run, consoles="lazy")
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
        choices=(*columns.TABLE_NAMES, "all"),
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
    p.add_argument(
        "--glob",
        help="the file names to take from directories, as the shell matches them (default: every "
        + ", ".join(REPORT_SUFFIXES)
        + " file, in any case; the others found are counted in a note)",
    )
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


def run(args: argparse.Namespace, consoles: Consoles) -> int:
    """Run ``xxgk parse`` and return its exit status."""
    try:
        if args.engine == "dask":
            return _run_dask(args, consoles)
        return _run(args, consoles)
    except BaseException:
        atomic.remove_pending()
        raise


def _run(args: argparse.Namespace, consoles: Consoles) -> int:
    if args.scheduler:
        raise XxgkError("--scheduler needs --engine dask")
    fmt = output_format(args.format, args.out, args.table)
    if fmt == "parquet":
        require_pyarrow()
    if args.jobs is not None and args.jobs < 1:
        raise XxgkError("--jobs must be at least 1")
    paths = [p for p in args.paths if p != STDIN]
    files, failed = find_reports(paths, args.glob)
    stdin = STDIN in args.paths
    note = others_note(paths) if args.glob is None and not args.quiet else None
    if note:
        consoles.say(note)
    if not files and not stdin:
        raise NoReportsError(f"no {wanted(args.glob)}", source=", ".join(args.paths))
    count = len(files) + stdin
    if fmt == "json" and count > 1:
        raise XxgkError(f"--format json prints one report and {count} files were given: use --format jsonl")
    batch = count > 1 or args.out is not None
    tally = Tally(consoles)
    started = time.perf_counter()
    shown = not (args.quiet or args.no_progress)
    progress = Bar(consoles.err if shown and batch and fmt != "summary" else None)
    with open_sink(fmt, args.out, lambda: consoles.out, args.table) as sink, progress:
        progress.begin(count + len(failed))
        work = functools.partial(render, fmt, table=args.table, split=args.split)
        # Standard input is read here: worker processes do not share it.
        known = [*failed, *([parse_stdin()] if stdin else [])]
        first = ([rendered(fmt, outcome, args.table)] for outcome in known)
        # Closed on the way out whatever happens (a closed pipe, Ctrl-C, an error writing), so that the workers
        # stop at once rather than when the garbage collector gets to the generator.
        results = contextlib.closing(process_many(files, work, args.jobs))
        with spinner(consoles, shown and not batch, files), results as parsed:
            for items in itertools.chain(first, parsed):
                for item in items:
                    sink.write(item)
                    tally.add(item)
                progress.advance()
    if batch and not args.quiet:
        tally.say_summary(time.perf_counter() - started, args.out)
    return tally.exit_status()


def _run_dask(args: argparse.Namespace, consoles: Consoles) -> int:
    try:
        from xxgk.cli import cluster
    except ImportError as exc:
        raise XxgkError(f"--engine dask needs {exc.name}: pip install 'xxgk[dask]'") from None
    return cluster.run(args, consoles)
