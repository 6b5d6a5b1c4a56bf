"""The worker pool: results in order, let go of once taken, a few chunks ahead, unpickled with the collector paused; and
it stops at once, whatever state a stop finds its pipes in."""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
import signal
import struct
import time
import weakref
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from xxgk.scale import batch, workers
from xxgk.scale.workers import _unpickled, abandon, process_many


def test_abandon_frees_the_pools_thread_from_half_a_result() -> None:
    """A worker killed while it wrote a result leaves a message's header without its body in the results pipe: the
    pool's thread, reading it, must not wait for the rest for ever (the interpreter's exit joins that thread)."""
    pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("forkserver"))
    started = pool.submit(time.sleep, 0)
    started.result(timeout=60)  # the worker and the pool's thread are running
    long_task = pool.submit(time.sleep, 60)
    # What the worker would have written first: the length of a result that never comes.
    os.write(pool._result_queue._writer.fileno(), struct.pack("!i", 1000))  # type: ignore[attr-defined]
    time.sleep(0.2)  # the thread is now inside recv(), waiting for 1000 bytes
    manager = pool._executor_manager_thread
    assert manager is not None
    handler = signal.getsignal(signal.SIGINT)
    try:
        abandon(pool)
    finally:
        signal.signal(signal.SIGINT, handler)  # abandon ignores Ctrl-C for the clean-up; its caller restores it
    manager.join(timeout=30)  # a hang guard, not a measure of speed
    assert not manager.is_alive()
    assert long_task.done()


def test_a_result_is_let_go_once_taken(tmp_path: Path) -> None:
    """The pool holds no result it has handed on: a batch's memory does not grow with the number of files (nor the
    collector's passes with it).  A missing file is the cheapest outcome, one chunk each."""
    results = process_many([tmp_path / f"missing{i}.txt" for i in range(20)], batch.parse_one, 2)
    first = weakref.ref(next(results))
    second = next(results)  # the first chunk is done with
    assert first() is None
    assert second.failure is not None and second.source.endswith("missing1.txt")
    handler = signal.getsignal(signal.SIGINT)
    try:
        results.close()
    finally:
        signal.signal(signal.SIGINT, handler)  # abandon ignores Ctrl-C for the clean-up; its caller restores it


SEEN: list[bool] = []


def _made_while_unpickled() -> str:
    SEEN.append(gc.isenabled())
    return "made"


class _Probe:
    """Unpickled by a call that notes whether the collector runs meanwhile."""

    def __reduce__(self) -> tuple[Callable[[], str], tuple[()]]:
        return _made_while_unpickled, ()


@pytest.mark.parametrize("enabled", [True, False])
def test_a_chunk_is_unpickled_with_the_collector_paused(enabled: bool) -> None:
    """The parent unpickles a chunk of results with the collector off, and leaves it as it found it."""
    SEEN.clear()
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        assert _unpickled(pickle.dumps([_Probe(), _Probe()])) == ["made", "made"]
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()
    assert SEEN == [False, False]


def test_a_few_chunks_a_worker_are_in_flight(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunks are submitted as results are taken, a few a worker ahead: a slow consumer's batch does not pile the
    whole corpus's results up in the parent."""
    submitted: list[int] = []
    submit = ProcessPoolExecutor.submit

    def counted(self: ProcessPoolExecutor, *args: Any, **kwargs: Any) -> Any:
        submitted.append(len(args[2]))  # _each(work, paths): the chunk's paths
        return submit(self, *args, **kwargs)

    monkeypatch.setattr(ProcessPoolExecutor, "submit", counted)
    paths = [tmp_path / f"missing{i}.txt" for i in range(100)]  # chunks of 6: 17 chunks
    results = process_many(paths, batch.parse_one, 2)
    assert next(results).source.endswith("missing0.txt")
    assert len(submitted) == 2 * workers._AHEAD + 1  # the first window, and one more as the first chunk was taken
    taken = [o.source for o in results]
    assert sum(submitted) == len(paths) and taken == [str(p) for p in paths[1:]]
