"""Where rendered files go, in input order: standard output or a file written atomically, in one of the output
formats — the readable summary, JSON, JSON Lines, or a long table as CSV or Parquet (one file, or with ``--table all``
a directory of every long table).  csv, pyarrow and rich are imported only by the formats that use them."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Protocol

import attrs

from xxgk.errors import XxgkError
from xxgk.export import columns
from xxgk.scale.atomic import atomic_output

if TYPE_CHECKING:
    from rich.console import Console

    from xxgk.scale.render import Rendered

FORMATS = ("summary", "json", "jsonl", "csv", "parquet")
_SUFFIXES = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".csv": "csv",
    ".parquet": "parquet",
    ".txt": "summary",
}


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


class Sink(Protocol):
    """Where rendered files go, one at a time, in input order."""

    def write(self, item: Rendered) -> None: ...


class _Summary:
    def __init__(self, console: Console) -> None:
        self.console = console

    def write(self, item: Rendered) -> None:
        from xxgk.export.summary import print_summary  # here: the machine formats never draw one

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
        import csv

        self.writer = csv.DictWriter(stream, fieldnames=columns.names(table), lineterminator="\n")
        self.writer.writeheader()

    def write(self, item: Rendered) -> None:
        self.writer.writerows(item.output)


class ParquetSink:
    """Rows are buffered and written as one row group per ``_ROWS`` rows, so memory stays flat on any corpus."""

    _ROWS = 100_000

    def __init__(self, path: Path, table: str = "cells") -> None:
        import pyarrow.parquet as pq

        self.schema = columns.arrow_schema(table)
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


class _Tables:
    """``--table all``: each long table to its own file of a directory."""

    def __init__(self, sinks: dict[str, Sink]) -> None:
        self.sinks = sinks

    def write(self, item: Rendered) -> None:
        for name, sink in self.sinks.items():
            sink.write(attrs.evolve(item, output=item.output[name]))


@contextlib.contextmanager
def open_sink(fmt: str, target: Path | None, out: Callable[[], Console], table: str = "cells") -> Iterator[Sink]:
    """The writer of format ``fmt`` into ``target`` (atomically) or, without one, to standard output; ``table``
    names the long table of a CSV or Parquet output (``all``: every one, into the directory ``target``).  ``out``
    gives the console of standard output, asked for only by a summary written there."""
    if table == "all":
        if target is None or fmt not in ("csv", "parquet"):
            raise XxgkError("--table all writes a directory of CSV or Parquet files: give --out DIR --format csv")
        with atomic_output(target, directory=True) as tmp, contextlib.ExitStack() as stack:
            sinks = {
                name: stack.enter_context(open_sink(fmt, tmp / f"{name}.{fmt}", out, name))
                for name in columns.TABLE_NAMES
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

            yield _Summary(out() if target is None else Console(file=stream, width=120, highlight=False))
        elif fmt in ("json", "jsonl"):
            yield _Text(stream)
        else:
            yield _Csv(stream, table)


def require_pyarrow() -> None:
    """Raise a usage error that says how to install pyarrow when it is missing (before any file is parsed)."""
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        raise XxgkError("Parquet output needs pyarrow: pip install 'xxgk[parquet]'") from None
