"""A whole corpus on Dask: report files read through fsspec into a bag, the long tables as Dask DataFrames.

Install with ``pip install 'xxgk[dask]'``.  :func:`read_reports` lists the files on the client (local paths,
``s3://``, ``gs://`` … wherever the fsspec backend is installed) and returns a :class:`dask.bag.Bag` of
:class:`~xxgk.scale.batch.Outcome` records — each carries the :class:`~xxgk.records.Report` of one file or the
:class:`~xxgk.scale.batch.Failure` that stopped it, so a failed file is a record like any other, never a lost task.
:func:`long_frame` (:func:`cells_frame`, :func:`findings_frame`) turns the bag into Dask DataFrames in the long format
of the CSV and Parquet export (docs/outputs.md); the ``reports`` table has one row per input, failed ones included.
``xxgk parse --engine dask`` (:mod:`xxgk.cli.cluster`) writes the cells of a corpus as partitioned Parquet from a
Dask cluster, each partition by :func:`write_part`.

A file is never split: ``blocksize`` is the number of input bytes per partition, and files are grouped, in listing
order, into partitions of at most that many bytes (a larger file is a partition by itself).  Parsing costs about the
same per byte whatever the layout, so partitions of equal bytes are tasks of equal time even when file sizes vary.
"""

from __future__ import annotations

import contextlib
import functools
import glob as globbing
import posixpath
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import attrs
import dask.bag as db
import dask.dataframe as dd
import fsspec
from attrs import frozen
from dask.utils import parse_bytes
from distributed import Client, LocalCluster, as_completed
from fsspec import AbstractFileSystem

from xxgk.errors import InputError, NoReportsError, XxgkError
from xxgk.export import columns
from xxgk.pipeline import parse
from xxgk.scale.batch import Failure, Outcome, takes, wanted
from xxgk.scale.render import Rendered, rendered, table_rows
from xxgk.scale.sinks import ParquetSink
from xxgk.scale.workers import available_cores

DEFAULT_BLOCKSIZE = "1MiB"
"""Input bytes per partition: about a hundred reports, a few seconds of one worker."""


@frozen
class ReportFile:
    """One file to parse: the name it is reported under, where to read it, and its size in bytes."""

    source: str
    fs: AbstractFileSystem
    path: str
    size: int


Group = Sequence[ReportFile | Outcome]
"""One partition before parsing: files to parse, or outcomes already known (directories without reports)."""


def list_reports(urls: Iterable[str], glob: str | None = None) -> tuple[list[ReportFile], list[Outcome]]:
    """The files named by ``urls``, in order and without repeats, and a failed outcome per directory without any.

    Each URL is a glob (expanded by its filesystem), a directory (searched recursively for the names
    :func:`~xxgk.scale.batch.takes` reads: matching ``glob``, or without one the report formats) or a file, even a
    missing one (its error is then reported like any other file's).  ``source`` is the URL as given, or the
    directory or glob prefix as given followed by the path found under it — for local paths exactly what ``xxgk
    parse`` reports.
    """
    files: dict[str, ReportFile] = {}
    empty: list[Outcome] = []
    for url in urls:
        fs, root = fsspec.core.url_to_fs(url)
        if globbing.has_magic(url):
            prefix = url[: url.rfind("/", 0, min(url.find(c) for c in "*?[" if c in url)) + 1]
            base = fsspec.core.url_to_fs(prefix or ".")[1]
            found = fs.glob(root, detail=True)
        elif fs.isdir(root):
            prefix, base = url, root
            found = {p: i for p, i in fs.find(root, detail=True).items() if takes(posixpath.basename(p), glob)}
            if not found:
                exc = NoReportsError(f"no {wanted(glob)} in this directory", source=url)
                empty.append(Outcome(url, failure=Failure.from_exception(exc)))
        else:
            files.setdefault(url, ReportFile(url, fs, root, _size(fs, root)))
            continue
        for path in sorted(p for p, info in found.items() if info["type"] == "file"):
            source = _join(prefix, posixpath.relpath(path, base))
            files.setdefault(source, ReportFile(source, fs, path, found[path]["size"]))
    return list(files.values()), empty


def _size(fs: AbstractFileSystem, path: str) -> int:
    try:
        return int(fs.size(path))
    except OSError:
        return 0  # a missing file fails when it is read, in its task


def _join(prefix: str, relative: str) -> str:
    # Local names as pathlib spells them (as the batch does); URLs keep their scheme's slashes.
    return prefix.rstrip("/") + "/" + relative if "://" in prefix else str(Path(prefix) / relative)


def partitions(files: Sequence[ReportFile], blocksize: int) -> Iterator[list[ReportFile]]:
    """``files`` in order, cut into groups of at most ``blocksize`` bytes (a larger file is a group by itself)."""
    group: list[ReportFile] = []
    size = 0
    for f in files:
        if group and size + f.size > blocksize:
            yield group
            group, size = [], 0
        group.append(f)
        size += f.size
    if group:
        yield group


def listed(urls: Sequence[str], glob: str | None) -> tuple[list[ReportFile], list[Outcome]]:
    """:func:`list_reports`, raising :class:`~xxgk.errors.NoReportsError` when no file matches."""
    files, empty = list_reports(urls, glob)
    if not files:
        raise NoReportsError(f"no {wanted(glob)}", source=", ".join(urls))
    return files, empty


def groups(files: Sequence[ReportFile], empty: list[Outcome], blocksize: int) -> list[Group]:
    """The partitions of a corpus: the failed directories first (as the batch reports them), then ``files`` cut
    by :func:`partitions`."""
    return [*([empty] if empty else []), *partitions(files, blocksize)]


def read_reports(
    urlpath_or_glob: str | Sequence[str], *, blocksize: int | str = DEFAULT_BLOCKSIZE, glob: str | None = None
) -> db.Bag:
    """A bag of :class:`~xxgk.scale.batch.Outcome` records, one per report file, in listing order.

    ``urlpath_or_glob`` is one URL or several (see :func:`list_reports`); ``blocksize`` is the number of input
    bytes per partition (an int, or a string such as ``"1MiB"``).  Each outcome holds the file's
    :class:`~xxgk.records.Report` or, when it could not be read, its :class:`~xxgk.scale.batch.Failure`; directories
    without any matching file come first, as failures.  Files are read and parsed on the workers, each of which
    builds its parsers once, on its first file.  Raises :class:`~xxgk.errors.NoReportsError` when nothing matches.
    """
    urls = [urlpath_or_glob] if isinstance(urlpath_or_glob, str) else list(urlpath_or_glob)
    parts = groups(*listed(urls, glob), parse_bytes(blocksize))
    return db.from_sequence(parts, npartitions=len(parts)).map(parse_group).flatten()


def parse_group(group: Group) -> list[Outcome]:
    """The outcomes of one partition (the work of one task)."""
    return [item if isinstance(item, Outcome) else parse_report_file(item) for item in group]


def parse_report_file(file: ReportFile) -> Outcome:
    """Read and parse one file into an :class:`~xxgk.scale.batch.Outcome`; never raises."""
    try:
        report = parse(_read(file), source=file.source)
    except Exception as exc:  # one bad file must never stop a batch
        return Outcome(file.source, failure=Failure.from_exception(exc))
    return Outcome(file.source, report=report)


def _read(file: ReportFile) -> bytes:
    # The same errors as xxgk.parse_file gives for a local file.
    try:
        with file.fs.open(file.path, "rb") as stream:
            data: bytes = stream.read()
    except FileNotFoundError:
        raise InputError("no such file", source=file.source) from None
    except IsADirectoryError:
        raise InputError("is a directory, not a report file", source=file.source) from None
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror or exc}", source=file.source) from None
    return data


# --- long tables --------------------------------------------------------------------------------------------------


def _rows(table: str, outcomes: Iterable[Outcome]) -> list[dict[str, Any]]:
    return [row for outcome in outcomes for row in table_rows(table, outcome)]


def long_frame(outcomes: db.Bag, table: str) -> dd.DataFrame:
    """Long table ``table`` (``cells``, ``reports``, ``findings``, ``diagnostics``:
    :data:`xxgk.export.columns.SCHEMAS`, the columns and dtypes of the CSV and Parquet export) of a bag of
    outcomes (:func:`read_reports`)."""
    return outcomes.map_partitions(functools.partial(_rows, table)).to_dataframe(meta=columns.empty_frame(table))


def cells_frame(outcomes: db.Bag) -> dd.DataFrame:
    """The ``cells`` table: one row per statutory value, or one row per input without any (``error`` set)."""
    return long_frame(outcomes, "cells")


def findings_frame(outcomes: db.Bag) -> dd.DataFrame:
    """The ``findings`` table: one row per validation finding; the ``reports`` table has every input's status."""
    return long_frame(outcomes, "findings")


# --- xxgk parse --engine dask (xxgk.cli.cluster) ----------------------------------------------------------------------


def write_part(numbered: tuple[int, Group], folder: str, width: int) -> list[Rendered]:
    """Parse partition ``numbered`` into ``folder/part.NNN.parquet`` (the batch's Parquet schema, one row group per
    100 000 rows) and return what the command counts of each file, without its report or rows."""
    index, group = numbered
    sink = ParquetSink(Path(folder) / f"part.{index:0{width}d}.parquet")
    counted = []
    for outcome in parse_group(group):
        item = rendered("parquet", outcome)
        sink.write(item)
        counted.append(attrs.evolve(item, output=None))
    sink.close()
    return counted


def write_parts(client: Client, parts: Sequence[Group], folder: Path) -> Iterator[list[Rendered]]:
    """Write each of ``parts`` into ``folder`` on the cluster of ``client`` (:func:`write_part`), and yield what
    each gives as it completes (in no particular order)."""
    width = len(str(len(parts) - 1))
    futures = client.map(write_part, list(enumerate(parts)), folder=str(folder), width=width, pure=False)
    for future in as_completed(futures):
        yield future.result()


@contextlib.contextmanager
def connect(scheduler: str | None, jobs: int | None = None) -> Iterator[Client]:
    """A client of the cluster at ``scheduler``, or of a local cluster of ``jobs`` single-threaded worker processes
    (default: every core; parsing holds the GIL, so processes, not threads)."""
    if scheduler:
        try:
            client = Client(scheduler)
        except OSError as exc:
            raise XxgkError(f"cannot reach the Dask scheduler: {exc}", source=scheduler) from None
        with client:
            yield client
        return
    workers = jobs or available_cores()
    # The scheduler serves HTTP even without a dashboard; any free port, so that two clusters never collide.
    with (
        LocalCluster(n_workers=workers, threads_per_worker=1, dashboard_address=":0") as cluster,
        Client(cluster) as client,
    ):
        yield client
