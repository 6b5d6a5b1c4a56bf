#!/usr/bin/env python3
"""Throughput of ``xxgk.scale.dask`` on a local cluster of 1, 2 … worker processes, against one plain process.

    .venv/bin/python benchmarks/dask_scaling.py                       # 1000 files, 1 and 2 workers
    .venv/bin/python benchmarks/dask_scaling.py --files 4000 --workers 1 2 4

The corpus is the seed reports copied under new names (real text, about 9 KB a file).  Each cluster first parses
the corpus once untimed, so that every worker has built its parsers, then the timed rounds run two ways: the bag
alone (``read_reports`` and a count of statuses: parsing, nothing written) and the command (``xxgk parse --engine
dask --scheduler`` writing Parquet).  Figures are files per second, best of ``--rounds``, and the
bag's files per CPU second of a worker (all rounds), which a busy machine does not distort.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import io
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from distributed import Client, LocalCluster

from xxgk.cli.main import main
from xxgk.scale import batch
from xxgk.scale import dask as xd

ROOT = Path(__file__).resolve().parent.parent


def make_corpus(folder: Path, n: int) -> int:
    """``n`` copies of the seeds in ``folder``; returns their total size in bytes."""
    seeds = sorted((ROOT / "corpus").glob("*.txt"))
    for i in range(n):
        shutil.copy(seeds[i % len(seeds)], folder / f"{i:06d}_{seeds[i % len(seeds)].name}")
    return sum(f.stat().st_size for f in folder.iterdir())


def best(rounds: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def status(outcome: batch.Outcome) -> str:
    return outcome.status


def worker_cpu(client: Client) -> float:
    """CPU seconds used so far by all the cluster's worker processes (what other work on the machine cannot inflate)."""
    return sum(client.run(time.process_time).values())


def command(address: str, corpus: Path, outputs: Iterator[Path]) -> None:
    """``xxgk parse --engine dask --scheduler ADDRESS corpus --out`` the next of ``outputs``, quietly."""
    with contextlib.redirect_stderr(io.StringIO()):
        main(["parse", "--engine", "dask", "--scheduler", address, str(corpus), "--out", str(next(outputs))])


def main_(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--files", type=int, default=1000)
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--blocksize", default="256KiB", help="bytes per partition for the bag (default: %(default)s)")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        size = make_corpus(corpus, args.files)
        files, _ = batch.find_reports([corpus])
        load = os.getloadavg()[0]
        print(f"corpus: {args.files} files, {size / 2**20:.1f} MiB; blocksize {args.blocksize}")
        print(f"{len(os.sched_getaffinity(0))} cores, load average {load:.2f} before the run (keep the machine idle)")
        batch.parse_one(files[0])  # this process's parsers, built before timing
        one = best(args.rounds, lambda: [batch.parse_one(f) for f in files])
        print(f"one process, no Dask: {args.files / one:6.1f} files/s")
        for n in args.workers:
            with (
                LocalCluster(n_workers=n, threads_per_worker=1, dashboard_address=":0") as cluster,
                Client(cluster) as client,
            ):
                bag = xd.read_reports(str(corpus), blocksize=args.blocksize)
                bag.map(status).frequencies().compute()  # every worker builds its parsers
                cpu = worker_cpu(client)
                parsed = best(args.rounds, lambda b=bag: b.map(status).frequencies().compute())
                per_cpu = args.files * args.rounds / (worker_cpu(client) - cpu)

                outputs = iter([Path(tmp) / f"out{n}.{i}.parquet" for i in range(args.rounds)])
                written = best(args.rounds, functools.partial(command, client.scheduler.address, corpus, outputs))
                print(
                    f"{n} worker(s): bag {args.files / parsed:6.1f} files/s ({args.files / parsed / n:.1f} per worker, "
                    f"{per_cpu:.1f} per worker CPU second), command with Parquet {args.files / written:6.1f} files/s, "
                    f"load average {os.getloadavg()[0]:.2f}"
                )


if __name__ == "__main__":
    main_()
