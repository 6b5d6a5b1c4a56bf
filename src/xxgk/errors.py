"""The one exception family of xxgk.  Bad *content* never raises: it becomes diagnostics on the Report.

Exceptions are for input that cannot be read at all (missing file, binary data, undecodable bytes) and for
grammar files that do not load.  Every exception carries the position in the original input when one exists.
"""

from __future__ import annotations


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
        where = self.source or "<input>"
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        text = f"{where}: {self.message}"
        if self.excerpt:
            text += f"\n    {self.excerpt}"
        return text


class InputError(XxgkError):
    """The input cannot be read as text: missing, empty, binary, or in an encoding we cannot detect."""

    exit_status = 3


class ParseError(XxgkError):
    """A grammar rejected input where the caller asked for strictness (e.g. the REPL's single-rule parses)."""

    exit_status = 4


class GrammarError(XxgkError):
    """A ``.lark`` file failed to load; ``source`` is the grammar file and ``line`` its line."""

    exit_status = 5
