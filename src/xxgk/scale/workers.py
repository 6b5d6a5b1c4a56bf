"""Work on many files on worker processes: results in input order, and a pool that stops at once (Ctrl-C, a closed
pipe, a consumer that has had enough) instead of first finishing every file already queued.

:mod:`multiprocessing` and :mod:`concurrent.futures` are imported only when a second process is asked for: a
one-file command never pays for them.
"""

from __future__ import annotations

import collections
import itertools
import os
from collections.abc import Callable, Generator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from xxgk.scale import interrupts

if TYPE_CHECKING:
    import multiprocessing.connection
    import multiprocessing.queues
    import threading
    from concurrent.futures import ProcessPoolExecutor

T = TypeVar("T")

_AHEAD = 4
"""Chunks in flight a worker: enough that none waits while the parent waits for the oldest (whose results come
first), few enough that results do not pile up in the parent."""


def available_cores() -> int:
    """Cores this process may run on (fewer than the machine's under a container's or taskset's limit)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def process_many(paths: Sequence[Path], work: Callable[[Path], T], jobs: int | None = None) -> Generator[T, None, None]:
    """``work(path)`` for each of ``paths``, in order, on ``jobs`` processes (default: every core; 1: here).

    ``work`` must be picklable (a module-level function or a ``functools.partial`` of one).  Each worker process
    builds its parsers once, on its first file (the grammar cache is per process).
    """
    jobs = min(jobs or available_cores(), len(paths))
    if jobs <= 1:
        yield from map(work, paths)
        return
    with interrupts.held():
        # A Ctrl-C waits for these imports: one cut short leaves a half-made multiprocessing module behind, and every
        # later batch of the process (a library caller's, the tests') fails on it.
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

    # Workers start from a clean process, not a fork of one that runs the progress bar's thread (forkserver where
    # the platform has it, else spawn).
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    if method == "forkserver":
        multiprocessing.set_forkserver_preload(["xxgk.scale.render"])
    chunksize = max(1, min(32, len(paths) // (jobs * 8)))
    context = multiprocessing.get_context(method)
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=interrupts.ignore)
    try:
        # The fork server and the workers start while SIGINT is blocked, and keep it blocked (a mask is inherited):
        # Ctrl-C reaches the whole process group, and a process starting up would print a KeyboardInterrupt
        # traceback.  A Ctrl-C meanwhile is delivered here when the mask is lifted.
        # The first submissions start every worker; later ones start none (the pool is full).
        starts = iter(range(0, len(paths), chunksize))
        with interrupts.held():
            chunks = collections.deque(
                pool.submit(_each, work, paths[i : i + chunksize]) for i in itertools.islice(starts, jobs * _AHEAD)
            )
        # A few chunks a worker in flight, one more submitted as each is taken: when the consumer is slower than the
        # workers (writing, a panel's frames), the workers wait, and no more than those chunks' results wait here —
        # this process's memory does not grow with the corpus.  Each chunk is let go of once taken.
        while chunks:
            head = chunks.popleft()
            start = next(starts, None)
            if start is not None:
                chunks.append(pool.submit(_each, work, paths[start : start + chunksize]))
            yield from _unpickled(head.result())
    except BaseException:
        # Ctrl-C, a closed pipe, an error writing the output, or the consumer stopping early (GeneratorExit):
        # ``shutdown(wait=True)`` would first finish every file already queued — minutes on a corpus.
        abandon(pool)
        raise
    pool.shutdown()


def _each(work: Callable[[Path], T], paths: Sequence[Path]) -> bytes:
    # Not pool.map: closing its iterator cancels the queued work, and the pool's thread then dies on the cancelled
    # futures when the workers are killed (see abandon).  The results are pickled here, so that the pool carries
    # bytes and the parent unpickles them with the collector paused (_unpickled).
    import pickle

    return pickle.dumps([work(p) for p in paths], pickle.HIGHEST_PROTOCOL)


def _unpickled(data: bytes) -> list[Any]:
    # A chunk of Reports is some 20,000 container objects, all kept until the consumer has taken them: unpickled by
    # the pool's thread, they set off a collection every 700, each walking the chunk so far (and full passes over
    # the whole process as they pile up), a third of the parent's time.  A report holds no cycle to collect.
    import gc
    import pickle

    paused = gc.isenabled()
    gc.disable()
    try:
        chunk: list[Any] = pickle.loads(data)
    finally:
        if paused:
            gc.enable()
    return chunk


def abandon(pool: ProcessPoolExecutor) -> None:
    """Stop ``pool`` now: drop the queued work and kill the workers, without waiting for anything.

    A second Ctrl-C during the clean-up that follows (temporary output files removed) is ignored, so the clean-up
    always completes; :func:`xxgk.cli.main.main` restores the handler.
    """
    interrupts.ignore()
    # No public way to kill the workers before Python 3.14.  Killed workers make the pool's own thread fail the
    # queued work and close its queues; cancelling that work first instead makes the thread die on the cancelled
    # futures (InvalidStateError) and leaves a queue's feeder blocked, which the interpreter's exit then waits for.
    workers = list((pool._processes or {}).values())
    calls: multiprocessing.queues.Queue[Any] | None = getattr(pool, "_call_queue", None)
    results: multiprocessing.connection.Connection | None = getattr(
        getattr(pool, "_result_queue", None), "_writer", None
    )
    manager: threading.Thread | None = getattr(pool, "_executor_manager_thread", None)
    if calls is not None:
        calls.cancel_join_thread()
    for worker in workers:
        worker.kill()
    pool.shutdown(wait=False)
    for worker in workers:
        worker.join(timeout=1)
    # A worker killed while it wrote a result leaves half a message in the results pipe: the pool's thread then
    # waits for the rest for ever (this process holds the pipe's writing end too), and so does the interpreter's
    # exit, which joins that thread.  With our end closed and the workers' gone, it reads the end of the pipe instead.
    if results is not None:
        results.close()
    # The pool's thread sees the workers gone and closes its pipes; done here, not raced by the interpreter's exit.
    if manager is not None:
        manager.join(timeout=1)
