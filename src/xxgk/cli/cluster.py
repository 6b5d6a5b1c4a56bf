"""``xxgk parse --engine dask``: the cells of a corpus as a directory of Parquet files, one per partition, written
from a Dask cluster (:mod:`xxgk.scale.dask` does the work; this module is the command's side of it: arguments,
progress, failures as they come, the summary and the exit status).  Importing it needs ``xxgk[dask]``."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from dask.utils import parse_bytes

from xxgk.cli.consoles import Consoles
from xxgk.cli.progress import Bar, Tally
from xxgk.errors import XxgkError
from xxgk.scale import dask as xd
from xxgk.scale.atomic import atomic_output
from xxgk.scale.sinks import output_format


def run(args: argparse.Namespace, consoles: Consoles) -> int:
    """Parse every file into ``--out DIR.parquet``, on the cluster at ``--scheduler`` or on a
    :class:`~distributed.LocalCluster` of ``--jobs`` worker processes.

    Local paths must be readable by every worker under the same name.  The directory appears only when complete.
    Nothing goes to standard output: progress and failures go to standard error.
    """
    if output_format(args.format, args.out) != "parquet" or args.out is None:
        raise XxgkError("--engine dask writes Parquet: give --out DIR.parquet")
    if args.scheduler and args.jobs is not None:
        raise XxgkError("--jobs sets the workers of a local cluster; the cluster at --scheduler has its own")
    target: Path = args.out
    if target.exists() and not (target.is_dir() and not any(target.iterdir())):
        raise XxgkError("the output exists: remove it or choose another --out", source=str(target))
    files, empty = xd.listed(args.paths, args.glob)
    tally = Tally(consoles)
    started = time.perf_counter()
    progress = Bar(consoles.err)
    with xd.connect(args.scheduler, args.jobs) as client, atomic_output(target, directory=True) as tmp, progress:
        info = client.scheduler_info()
        # Four partitions per worker at least, so that a small corpus still keeps every worker busy.
        share = sum(f.size for f in files) // (4 * max(1, len(info["workers"])))
        parts = xd.groups(files, empty, max(1, min(parse_bytes(xd.DEFAULT_BLOCKSIZE), share)))
        consoles.say(f"dask: {len(parts)} partition(s) on {len(info['workers'])} worker(s) at {info['address']}")
        progress.begin(sum(map(len, parts)))
        for counted in xd.write_parts(client, parts, tmp):
            for item in counted:
                tally.add(item)
            progress.advance(len(counted))
    tally.say_summary(time.perf_counter() - started, target)
    return tally.exit_status()
