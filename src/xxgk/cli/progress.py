"""What ``xxgk parse`` says on standard error while a batch runs: the files of its directories it leaves unread, a
progress bar or spinner (on a terminal only), each failure as it comes, the closing summary — and the exit status all
of that adds up to."""

from __future__ import annotations

import collections
import contextlib
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from xxgk.cli.consoles import Consoles
from xxgk.errors import NOT_A_REPORT_STATUS, combined_status
from xxgk.scale.batch import other_files

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress, TaskID

    from xxgk.scale.render import Rendered

# A single file this large takes a second or more: say what is happening instead of a silent wait.
_LARGE_FILE = 2_000_000


def others_note(paths: Sequence[str]) -> str | None:
    """How many files of the directories among ``paths`` are not read, by suffix (None: there are none) — a folder
    of downloads may hold a report as an old ``.doc`` or a scan, which must not go unread unseen."""
    others = other_files(paths)
    if not others:
        return None
    kinds = collections.Counter(f.suffix.lower() or "no suffix" for f in others)
    listed = ", ".join(f"{kind} {n}" for kind, n in kinds.most_common())
    return f"xxgk: {len(others)} other file(s) in the directories not read ({listed}); --glob chooses the files"


class Bar:
    """Files parsed so far, drawn as a rich progress bar when ``console`` is a terminal; nothing otherwise (and then
    rich is not imported for it)."""

    def __init__(self, console: Console | None) -> None:
        self._task: TaskID | None = None
        self._bar: Progress | None = None
        if console is not None and console.is_terminal:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            self._bar = Progress(
                TextColumn("parsing"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                console=console,
                redirect_stdout=False,
                redirect_stderr=False,
            )

    def __enter__(self) -> Bar:
        if self._bar is not None:
            self._bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()

    def begin(self, total: int) -> None:
        """Set the number of files to parse."""
        if self._bar is not None:
            self._task = self._bar.add_task("parse", total=total)

    def advance(self, files: int = 1) -> None:
        """Count ``files`` more files as parsed."""
        if self._bar is not None and self._task is not None:
            self._bar.advance(self._task, files)


def spinner(consoles: Consoles, wanted: bool, files: Sequence[Path]) -> contextlib.AbstractContextManager[Any]:
    """A spinner while one large file is parsed (the progress bar counts files, so it would sit at 0 of 1)."""
    size = sum(f.stat().st_size for f in files if f.is_file()) if wanted else 0
    if size < _LARGE_FILE or not consoles.err.is_terminal:
        return contextlib.nullcontext()
    return consoles.err.status(f"parsing {files[0]} ({size / 1e6:.0f} MB)", spinner="dots")


class Tally:
    """What a batch has given so far: files per status and the exit statuses met.  Each failure is said on
    standard error as it is added."""

    def __init__(self, consoles: Consoles) -> None:
        self.consoles = consoles
        self.counts = {"report": 0, "not_a_report": 0, "failed": 0, "findings": 0, "diagnostics": 0}
        self.statuses: set[int] = set()

    def add(self, item: Rendered) -> None:
        """Count one file (its output is not looked at)."""
        self.counts[item.status] += 1
        if item.failure is not None:
            self.statuses.add(item.failure.exit_status)
            self.consoles.say(f"xxgk: {item.failure.describe(item.source)}")
        elif item.status == "not_a_report":
            self.statuses.add(NOT_A_REPORT_STATUS)
            self.consoles.say(f"xxgk: {item.source}: not a disclosure report")
        else:
            self.counts["findings"] += item.findings
            self.counts["diagnostics"] += item.diagnostics

    def say_summary(self, seconds: float, out: Path | None) -> None:
        """The closing line: how many files, how long, how many of each status, where the output went."""
        c = self.counts
        n = c["report"] + c["not_a_report"] + c["failed"]
        where = f" → {out}" if out else ""
        self.consoles.say(
            f"{n} file(s) in {seconds:.1f} s: {c['report']} report(s) ({c['findings']} with findings, "
            f"{c['diagnostics']} with diagnostics), {c['not_a_report']} not a report, {c['failed']} failed{where}",
        )

    def exit_status(self) -> int:
        """0, the one exit status met, or the mixed-failures status."""
        return combined_status(self.statuses)
