"""The console script as a user runs it: a command that started no worker processes ends without the interpreter's
teardown, and still writes every byte of its output and keeps its exit status."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import xxgk
from tests.conftest import corpus_files
from xxgk.errors import BROKEN_PIPE_STATUS

# Standard output buffered, as it is for a user's pipe: what is left in the buffer is what a missing flush loses.
BUFFERED = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}


def test_one_file_json_is_written_whole() -> None:
    f = corpus_files()[0]
    proc = subprocess.run(
        [sys.executable, "-m", "xxgk", "parse", str(f), "--format", "json"],
        capture_output=True,
        timeout=120,
        env=BUFFERED,
    )
    assert proc.returncode == 0 and proc.stderr == b""
    assert proc.stdout.decode("utf-8") == xxgk.to_json(xxgk.parse_file(f)) + "\n"


def test_a_short_output_is_written_too(tmp_path: Path) -> None:
    """A few bytes stay in Python's buffer (a large write goes straight through): the exit must flush them."""
    (tmp_path / "empty.txt").write_bytes(b"")
    proc = subprocess.run(
        [sys.executable, "-m", "xxgk", "parse", str(tmp_path / "empty.txt"), "--format", "jsonl"],
        capture_output=True,
        timeout=120,
        env=BUFFERED,
    )
    assert proc.returncode == 7
    assert json.loads(proc.stdout)["error"]["kind"] == "EmptyInputError"


def test_a_reader_gone_without_workers_is_141_and_quiet() -> None:
    files = [str(f) for f in corpus_files()]
    proc = subprocess.Popen(
        [sys.executable, "-m", "xxgk", "parse", *files, "--format", "jsonl", "--jobs", "1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=BUFFERED,
    )
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline()
    proc.stdout.close()
    err = proc.stderr.read()
    assert proc.wait(timeout=120) == BROKEN_PIPE_STATUS
    assert first.startswith(b'{"source":') and err == b""


def test_a_one_file_run_makes_no_pass_of_the_cyclic_collector() -> None:
    """What a one-file run makes is kept to its end: the console script leaves the collector nothing to walk."""
    code = (
        "import gc, sys\n"
        "from xxgk.cli import main as cli\n"
        "run, passes = cli.main, []\n"
        "def counted():\n"
        "    gc.callbacks.append(lambda phase, info: passes.append(info) if phase == 'stop' else None)\n"
        "    status = run()\n"
        "    sys.stderr.write(f'{len(passes)} passes')\n"
        "    return status\n"
        "cli.main = counted\n"
        f"sys.argv[1:] = ['parse', {str(corpus_files()[0])!r}, '--format', 'json']\n"
        "cli.entry()\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=120, env=BUFFERED)
    assert proc.returncode == 0 and json.loads(proc.stdout)["tables"]
    assert proc.stderr == b"0 passes"
