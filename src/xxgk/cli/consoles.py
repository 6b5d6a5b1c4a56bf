"""The command's standard output and standard error as rich consoles, each made when first used: a run that only
writes JSON, CSV or Parquet and has nothing to say never imports rich (a fifth of a one-file run's start-up)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console


class Consoles:
    """``out`` and ``err``, made on first use unless given."""

    def __init__(self, out: Console | None = None, err: Console | None = None) -> None:
        self._out = out
        self._err = err

    @property
    def out(self) -> Console:
        """Standard output; 120 columns when it is not a terminal (read in files and pagers, where rich's 80-column
        default cuts the applications grid)."""
        if self._out is None:
            from rich.console import Console

            self._out = Console(highlight=False)
            if not self._out.is_terminal:
                self._out = Console(highlight=False, width=120)
        return self._out

    @property
    def err(self) -> Console:
        """Standard error: progress, failures and the closing summary."""
        if self._err is None:
            from rich.console import Console

            self._err = Console(stderr=True, highlight=False)
        return self._err

    def say(self, text: str) -> None:
        """One line on standard error, as written (no markup, no wrapping)."""
        self.err.print(text, markup=False, highlight=False, soft_wrap=True)
