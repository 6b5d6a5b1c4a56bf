"""The one exception family of xxgk.  Bad *content* never raises: it becomes diagnostics on the Report.

Exceptions are for input that cannot be read at all (missing file, binary data, undecodable bytes) and for
grammar files that do not load.  Every exception carries the position in the original input when one exists.

Each class has the exit status the ``xxgk`` command ends with when it stops on that error; :data:`EXIT_STATUSES`
lists every status, including those that are not exceptions (the ``--help`` epilog prints it).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final


class XxgkError(Exception):
    """Base class of every exception xxgk raises on purpose."""

    exit_status = 2

    def __init__(
        self,
        message: str,
        *,
        source: str | None = None,
        line: int | None = None,
        column: int | None = None,
        excerpt: str = "",
    ) -> None:
        self.message = message
        self.source = source
        self.line = line
        self.column = column
        self.excerpt = excerpt
        super().__init__(str(self))

    def __str__(self) -> str:
        if self.source is None and self.line is None:
            return self.message  # a usage error: about no input
        where = self.source or "<input>"
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        text = f"{where}: {self.message}"
        if self.excerpt:
            text += f"\n    {self.excerpt}"
        return text

    def __reduce__(self) -> tuple[object, ...]:
        # Keyword-only fields do not survive the default exception pickling; worker processes send these back.
        return _rebuild, (type(self), self.message, self.source, self.line, self.column, self.excerpt)


def _rebuild(
    cls: type[XxgkError], message: str, source: str | None, line: int | None, column: int | None, excerpt: str
) -> XxgkError:
    return cls(message, source=source, line=line, column=column, excerpt=excerpt)


class InputError(XxgkError):
    """The input cannot be read as text.  Raised as itself for a missing or unreadable file; the subclasses say why
    readable bytes are still not a report's text."""

    exit_status = 3


class NoReportsError(InputError):
    """A directory (or the whole command line) yields no file matching the glob."""

    exit_status = 6


class EmptyInputError(InputError):
    """The file is empty or holds nothing but white space."""

    exit_status = 7


class BinaryInputError(InputError):
    """The file is binary (a PDF, Word or image file, an archive, NUL bytes, control characters), not text."""

    exit_status = 8


class UndecodableError(InputError):
    """The bytes are neither UTF-8, UTF-16 with a byte-order mark, nor GB18030; ``line``/``column`` is the first
    byte that does not decode."""

    exit_status = 9


class DocumentError(InputError):
    """A web page, Word or PDF file that cannot be read: damaged (a ZIP or PDF cut short), encrypted, or of a
    format xxgk does not read (an old binary ``.doc``); the message says which and what to do."""

    exit_status = 11


class NoTextLayerError(DocumentError):
    """A PDF without a text layer (a scan): its pages are images, so there is no text to read until OCR adds it."""

    exit_status = 12


class ParseError(XxgkError):
    """A grammar rejected input where the caller asked for strictness (e.g. the REPL's single-rule parses)."""

    exit_status = 4


class GrammarError(XxgkError):
    """A ``.lark`` file failed to load; ``source`` is the grammar file and ``line`` its line."""

    exit_status = 5


NOT_A_REPORT_STATUS: Final = 10
FINDINGS_STATUS: Final = 1
MIXED_FAILURES_STATUS: Final = 11
INTERNAL_ERROR_STATUS: Final = 70
INTERRUPTED_STATUS: Final = 130
BROKEN_PIPE_STATUS: Final = 141

EXIT_STATUSES: Final[tuple[tuple[int, str], ...]] = (
    (0, "success (check: nothing at or above --fail-on)"),
    (FINDINGS_STATUS, "check: findings at or above --fail-on (lost tables and cells included); repl: a command failed"),
    (XxgkError.exit_status, "usage error"),
    (InputError.exit_status, "no such file, or not readable"),
    (ParseError.exit_status, "a strict grammar parse failed"),
    (GrammarError.exit_status, "broken grammar file"),
    (NoReportsError.exit_status, "no report files found"),
    (EmptyInputError.exit_status, "empty file"),
    (BinaryInputError.exit_status, "binary file, not text"),
    (UndecodableError.exit_status, "not UTF-8, UTF-16 or GB18030"),
    (NOT_A_REPORT_STATUS, "not a disclosure report"),
    (MIXED_FAILURES_STATUS, "inputs failed for different reasons (each is said on standard error)"),
    (DocumentError.exit_status, "a web page, Word or PDF file that cannot be read (damaged, encrypted, .doc)"),
    (NoTextLayerError.exit_status, "a PDF without a text layer (scanned): run OCR first"),
    (INTERNAL_ERROR_STATUS, "internal error (a bug in xxgk)"),
    (INTERRUPTED_STATUS, "interrupted (Ctrl-C); no output file is left behind"),
    (BROKEN_PIPE_STATUS, "standard output closed early (| head): the rest is not written, as for any tool"),
)
"""Every exit status of every ``xxgk`` command, in one table (printed by each command's ``--help``).  An input that
failed outranks findings: ``check`` exits with the input's status, not 1."""


def exit_status_help() -> str:
    """:data:`EXIT_STATUSES` as the ``exit status:`` block of a ``--help`` epilog."""
    return "exit status (every xxgk command):\n" + "\n".join(f"  {code:>3}  {text}" for code, text in EXIT_STATUSES)


def combined_status(statuses: Iterable[int]) -> int:
    """One exit status for several failures: 0 for none, the status when all agree, else the mixed-failures one."""
    met = set(statuses) - {0}
    if not met:
        return 0
    return met.pop() if len(met) == 1 else MIXED_FAILURES_STATUS
