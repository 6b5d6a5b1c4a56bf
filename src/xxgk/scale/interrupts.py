"""Ctrl-C while a batch runs: held while worker processes start and temporary outputs are made or removed, noted
while the command runs, ignored in the workers — so that a batch stopped at any moment leaves no partial output and
prints no traceback."""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from typing import Any

# Set by the SIGINT handler of a running command (:func:`noted`): a KeyboardInterrupt raised where Python swallows
# exceptions (a garbage-collector callback, a __del__) would otherwise let the batch finish and write its output.
_NOTED: list[bool] = []


def _in_main_thread() -> bool:
    # Signal handlers can be set in the main thread only; elsewhere (a caller's thread) Ctrl-C is left as it is.
    return threading.current_thread() is threading.main_thread()


@contextlib.contextmanager
def held() -> Iterator[None]:
    """Within the block Ctrl-C waits: it is raised when the block ends.  Processes started within keep SIGINT
    blocked (a signal mask is inherited), so they never see it at all.

    Blocking the signal is not enough for this process: any of its other threads (a progress bar's, the pool's)
    takes it, and Python then raises it in the main thread all the same; so the handler also changes, to one that
    only notes the signal.
    """
    if not _in_main_thread():
        yield
        return
    caught: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: caught.append(signum))
    masked = hasattr(signal, "pthread_sigmask")
    if masked:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        if masked:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
        signal.signal(signal.SIGINT, previous)
        if caught and callable(previous):
            previous(signal.SIGINT, None)


@contextlib.contextmanager
def noted() -> Iterator[None]:
    """Within the block Ctrl-C raises KeyboardInterrupt as usual and is also noted: :func:`interrupted` is then
    true until the block ends, even where the exception itself was swallowed on the way."""
    if not _in_main_thread():
        yield
        return
    previous = signal.getsignal(signal.SIGINT)

    def note(signum: int, frame: Any) -> None:
        _NOTED.append(True)
        if callable(previous):
            previous(signum, frame)

    signal.signal(signal.SIGINT, note)
    _NOTED.clear()
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        _NOTED.clear()


def interrupted() -> bool:
    """Whether a Ctrl-C came within the running :func:`noted` block."""
    return bool(_NOTED)


def ignore() -> None:
    """Ignore Ctrl-C from now on in this process: a worker's initializer (Ctrl-C reaches the whole process group;
    only the parent acts on it, by stopping the workers, so a worker never prints a traceback of its own) and the
    parent's clean-up once it has begun (a second Ctrl-C must not cut it short)."""
    if _in_main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)
