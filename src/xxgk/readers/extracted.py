"""What a reader hands the pipeline: the text the grammars read, and where each of its lines came from.

A reader writes prose as lines and each table as pipe rows (``cell | cell | ||``: the form of
:mod:`xxgk.tables.serial`'s ``pipe_rows``, one grid row per
line, each cell written once at the first place it covers and the
places merged cells cover written as empty cells at the row's end, as Word extractors do).  Every line keeps its
:class:`Origin`, and every cell of a table row its own, so that a value read at line:column of the extracted text
points back into the file: an HTML line:column, a Word paragraph or table cell, a PDF page and position.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from attrs import frozen

from xxgk.records import Diagnostic, pickled_by_init

Format = Literal["html", "docx", "pdf"]


@pickled_by_init
@frozen
class Origin:
    """Where a line, or one cell of a table row, of the extracted text comes from in the file.

    ``line``/``column`` (HTML): the start tag of the element, 1-based, in the file as decoded.  ``paragraph``
    (DOCX): the body paragraph, 1-based in document order.  ``table``/``row``/``cell``: the table (1-based in
    document order, per file) and the place in its grid (1-based; a merged cell is at the first place it covers).
    ``page`` (PDF, 1-based) with ``x``/``y``: the top-left corner in points from the page's top-left.
    """

    line: int | None = None
    column: int | None = None
    paragraph: int | None = None
    table: int | None = None
    row: int | None = None
    cell: int | None = None
    page: int | None = None
    x: float | None = None
    y: float | None = None

    def __str__(self) -> str:
        parts = []
        if self.page is not None:
            parts.append(f"page {self.page}")
        if self.line is not None:
            parts.append(f"line {self.line}" + (f":{self.column}" if self.column is not None else ""))
        if self.paragraph is not None:
            parts.append(f"paragraph {self.paragraph}")
        for name in ("table", "row", "cell"):
            value = getattr(self, name)
            if value is not None:
                parts.append(f"{name} {value}")
        if self.x is not None and self.y is not None:
            parts.append(f"at ({self.x:.1f}, {self.y:.1f})")
        return " ".join(parts)


@pickled_by_init
@frozen
class LineOrigin:
    """The origin of one line of extracted text; for a table row, also each cell's: ``cells`` holds the 1-based
    column in the line where the cell's text starts and the cell's origin, in line order."""

    origin: Origin
    cells: tuple[tuple[int, Origin], ...] = ()

    def at(self, column: int | None) -> Origin:
        """The origin of the character at ``column`` (1-based): its cell's in a table row, else the line's."""
        found = self.origin
        if column is not None:
            for start, origin in self.cells:
                if start > column:
                    break
                found = origin
        return found


@pickled_by_init
@frozen
class Extracted:
    """The text a reader made of a file (``format``), one :class:`LineOrigin` per line of it, and what the reader
    could not read (``reader.*`` diagnostics, at the line of the text where it would have been)."""

    format: Format
    text: str
    lines: tuple[LineOrigin, ...]
    diagnostics: tuple[Diagnostic, ...] = ()

    def origin(self, line: int | None, column: int | None = None) -> Origin | None:
        """Where line:column (1-based) of :attr:`text` came from in the file; None outside the text."""
        if line is None or not 1 <= line <= len(self.lines):
            return None
        return self.lines[line - 1].at(column)


class TextBuilder:
    """Collects lines and table rows with their origins; :meth:`build` makes the :class:`Extracted`."""

    def __init__(self) -> None:
        self._lines: list[str] = []
        self._origins: list[LineOrigin] = []
        self._diagnostics: list[Diagnostic] = []

    def note(self, kind: str, message: str, excerpt: str = "") -> None:
        """A ``reader.<kind>`` diagnostic at the line that comes next."""
        self._diagnostics.append(Diagnostic(f"reader.{kind}", message, len(self._lines) + 1, 1, excerpt))

    def line(self, text: str, origin: Origin) -> None:
        """Prose: one line per line of ``text`` (blank ones dropped), each stripped and made safe (:func:`clean`)."""
        for part in text.split("\n"):
            cleaned = clean(part)
            if cleaned:
                self._lines.append(cleaned)
                self._origins.append(LineOrigin(origin))

    def blank(self) -> None:
        """A blank line (between two tables, so that they stay two blocks), unless the last line is blank."""
        if self._lines and self._lines[-1]:
            self._lines.append("")
            self._origins.append(LineOrigin(Origin()))

    def row(self, cells: Sequence[tuple[str, Origin]], places: int, origin: Origin) -> None:
        """A table row as a pipe row: each cell's text (made one line) and then an empty cell for each of the
        ``places`` the row's grid has beyond its cells (places merged cells cover).  A row without text is left
        out."""
        texts = [cell_text(text) for text, _ in cells]
        if not any(texts):
            return
        parts: list[str] = []
        starts: list[tuple[int, Origin]] = []
        column = 1
        for text, (_, cell_origin) in zip(texts, cells, strict=True):
            starts.append((column, cell_origin))
            part = f"{text} |" if text else "|"
            parts.append(part)
            column += len(part) + 1
        pad = places - len(cells)
        line = " ".join(parts) + (" " + "|" * pad if pad > 0 else "")
        self._lines.append(line)
        self._origins.append(LineOrigin(origin, tuple(starts)))

    def build(self, fmt: Format) -> Extracted:
        """The text (one line per line added, ending with a line break) and its origins."""
        while self._lines and not self._lines[-1]:
            self._lines.pop()
            self._origins.pop()
        text = "".join(line + "\n" for line in self._lines)
        last = max(len(self._lines), 1)
        notes = (
            d if (d.line or 1) <= last else Diagnostic(d.kind, d.message, last, 1, d.excerpt) for d in self._diagnostics
        )
        return Extracted(fmt, text, tuple(self._origins), tuple(notes))


# A pipe would split a cell in two and a tab at a line start reads as a tab row: both are replaced in what a
# reader writes (U+00A6 BROKEN BAR, which nothing folds back into a pipe).
_UNSAFE = str.maketrans({"|": "\u00a6", "\t": " ", "\u3000": " ", "\u00a0": " ", "\r": " ", "\x0b": " ", "\x0c": " "})


def clean(text: str) -> str:
    """A line of prose as a reader writes it: no pipe, no tab, runs of spaces made one, stripped."""
    return " ".join(text.translate(_UNSAFE).split())


def _cjk(ch: str) -> bool:
    return "\u2e80" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef" or "\u3000" <= ch <= "\u303f"


def cell_text(text: str) -> str:
    """A cell's text on one line: its lines joined (without a space where either side is Chinese, as a label a
    narrow cell wraps is one word), cleaned as :func:`clean` does."""
    out = ""
    for part in text.split("\n"):
        part = clean(part)
        if not part:
            continue
        if out and not (_cjk(out[-1]) or _cjk(part[0])):
            out += " "
        out += part
    return out
