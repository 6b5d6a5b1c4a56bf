"""Ctrl-C and a closed pipe end a real ``--jobs 2`` batch cleanly: status 130 (141 for the pipe), no traceback, no
partial output file — however far the batch has got when the signal comes."""

from __future__ import annotations

import gc
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import corpus_files
from xxgk.cli import main as cli_main
from xxgk.cli.main import main
from xxgk.errors import BROKEN_PIPE_STATUS, INTERRUPTED_STATUS
from xxgk.scale import interrupts
from xxgk.scale.atomic import atomic_output

RUNS = int(os.environ.get("XXGK_INTERRUPT_RUNS", "50"))
COPIES = 60  # 300 files: a batch of about a second on two workers, longer than any delay below


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("big")
    for i in range(COPIES):
        for f in corpus_files():
            shutil.copy(f, folder / f"{i:03d}_{f.name}")
    return folder


# A Ctrl-C may land in a callback where Python swallows the KeyboardInterrupt (an import lock's weakref callback):
# that it still ends the command, noted (interrupts.noted), is part of what this test checks.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_ctrl_c_ends_a_real_batch_every_time(
    big: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "120")
    out = tmp_path / "out"
    out.mkdir()
    statuses = []
    begun = threading.Event()
    run_command = cli_main._main

    def begin(argv: list[str]) -> int:
        begun.set()
        return run_command(argv)

    # The delay counts from the command's start: counted from the timer's, on a loaded machine the signal could come
    # before main() is even called, and interrupt the test instead.
    monkeypatch.setattr(cli_main, "_main", begin)
    for run in range(RUNS):
        # Delays from 0.01 to 0.2 s, more of them early: while the files are listed, while the workers start (the
        # fork server is warm after the first run), mid-batch, while writing.
        delay = 0.01 + 0.19 * (run / max(1, RUNS - 1)) ** 2
        begun.clear()
        timer = threading.Thread(target=_interrupt, args=(begun, delay))
        timer.start()
        statuses.append(main(["parse", str(big), "--out", str(out / "cells.csv"), "--jobs", "2", "--quiet"]))
        timer.join()
        assert not any(out.iterdir()), f"run {run}: a partial output was left: {list(out.iterdir())}"
    captured = capsys.readouterr()
    assert statuses == [INTERRUPTED_STATUS] * RUNS
    assert "Traceback" not in captured.err and "Error" not in captured.err
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # the handler is given back


def _interrupt(begun: threading.Event, delay: float) -> None:
    begun.wait()
    time.sleep(delay)
    os.kill(os.getpid(), signal.SIGINT)


def _xxgk(*argv: str) -> subprocess.Popen[bytes]:
    # A session of its own: a terminal's Ctrl-C can be sent to its process group, and a hang killed with it.
    return subprocess.Popen(
        [sys.executable, "-m", "xxgk", *argv], stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
    )


def _finish(proc: subprocess.Popen[bytes]) -> tuple[bytes, bytes]:
    """The process's output once it ends; a hang guard (not a measure of speed) that leaves no process behind."""
    try:
        return proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise


def test_ctrl_c_in_a_terminal_reaches_the_workers_too(big: Path, tmp_path: Path) -> None:
    """A terminal sends SIGINT to the whole process group: the workers must not print tracebacks either."""
    out = tmp_path / "cells.csv"
    proc = _xxgk("parse", str(big), "--out", str(out), "--jobs", "2")
    # Wait until the batch has begun: the worker processes exist once the first result is written.
    threading.Event().wait(1.2)
    os.killpg(proc.pid, signal.SIGINT)
    _, err = _finish(proc)
    assert proc.returncode == INTERRUPTED_STATUS, err
    assert b"Traceback" not in err and b"Error" not in err
    assert not any(tmp_path.iterdir())


def test_a_closed_pipe_is_quiet(big: Path) -> None:
    files = sorted(big.iterdir())[:40]  # small chunks: the first line comes soon, and 39 more follow it
    proc = _xxgk("parse", *map(str, files), "--format", "jsonl", "--jobs", "2")
    assert proc.stdout is not None
    first = proc.stdout.readline()
    proc.stdout.close()
    _, err = _finish(proc)
    assert first.startswith(b'{"source":')
    assert proc.returncode == BROKEN_PIPE_STATUS and err == b""


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")  # the swallowing is the point
def test_an_interrupt_swallowed_on_the_way_still_leaves_no_output(tmp_path: Path) -> None:
    """A KeyboardInterrupt raised inside a garbage-collector callback is swallowed by Python (the full suite's
    hypothesis plugin has one): the batch then runs to its end, but the noted Ctrl-C keeps its output from being
    renamed into place."""
    target = tmp_path / "cells.csv"

    def swallowed(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            gc.callbacks.remove(swallowed)
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.01)  # the handler runs here, inside the callback, and its exception is lost

    with pytest.raises(KeyboardInterrupt), interrupts.noted(), atomic_output(target) as tmp:
        tmp.write_text("a,b\n", encoding="utf-8")
        gc.callbacks.append(swallowed)
        gc.collect()
    assert not any(tmp_path.iterdir())
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
