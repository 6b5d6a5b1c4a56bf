"""PDF files (pdfplumber, on pdfminer.six): prose as lines, tables as pipe rows, with the page and position of each.

Each page is read as words with positions.  A ruled table (drawn lines) is found by pdfplumber's line strategy,
which gives the grid with its merged cells; without rules, a table is a run of lines whose words stand apart in
several cells, rows by baseline, and a row of values is aligned to the columns of the run's fullest row by the
words' x.  A running head, running foot or page number (a line at the top or bottom of the page that repeats at
the same height on other pages, or that is only a page number) is dropped.  What is left is written in reading
order, page after page, so a table that goes on over a page break stays one run of rows (a row the break cut in
two made one again); a paragraph that goes on over a line or page break is one line.  docs/readers.md says how.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from attrs import frozen

from xxgk.errors import DocumentError, EmptyInputError, NoTextLayerError
from xxgk.readers.extracted import Extracted, Origin, TextBuilder, cell_text

# Words: characters closer than half their size make one word, a space ends it; two words one space apart (less
# than _SPACE of their size) are joined again, with the space, so that only two spaces or more (text laid out in
# columns) or a gap part cells.
_WORDS: dict[str, Any] = {"x_tolerance_ratio": 0.5, "extra_attrs": ["size"]}
_SPACE = 0.3
# Reading takes about 0.15 s a page (pdfminer.six): a file longer than this is no annual report, and is refused
# before its pages are read rather than taking minutes.
MAX_PAGES = 500
# The share of the page's height at the top and bottom where a running head or foot can be.
_MARGIN = 0.12
_PAGE_NUMBER = re.compile(r"[-—–\s]*(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*(?:/|共)\s*\d{1,4}\s*页?)?[-—–\s]*")
_NUMERIC = re.compile(r"[-+]?\d[\d,.]*\s*(?:万元|元|%|件|个|人次)?|/|—|——|-")


@frozen
class _Word:
    text: str
    x0: float
    x1: float
    top: float
    size: float


@frozen
class _Line:
    """Words on one baseline, left to right, outside any ruled table."""

    page: int
    words: tuple[_Word, ...]

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def x0(self) -> float:
        return self.words[0].x0

    @property
    def x1(self) -> float:
        return self.words[-1].x1

    @property
    def size(self) -> float:
        return max(w.size for w in self.words)

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    def origin(self, word: _Word | None = None) -> Origin:
        w = word or self.words[0]
        return Origin(page=self.page, x=round(w.x0, 1), y=round(w.top, 1))


@frozen
class _Ruled:
    """A ruled table: per grid row, the cells that start in it (text, column, bbox), and the row's places."""

    page: int
    top: float
    rows: tuple[tuple[tuple[tuple[str, int, tuple[float, float, float, float]], ...], int], ...]


def read(data: bytes, *, source: str | None = None) -> Extracted:
    """The text of a PDF file, tables as pipe rows, each line with its page and position.

    Raises :class:`~xxgk.errors.DocumentError` for a damaged or password-protected file,
    :class:`~xxgk.errors.NoTextLayerError` for one whose pages are images only (a scan), and
    :class:`~xxgk.errors.EmptyInputError` for one with neither text nor images.
    """
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.psparser import PSException
    from pdfplumber.utils.exceptions import PdfminerException

    items: list[list[_Line | _Ruled]] = []
    heights: list[float] = []
    images: list[int] = []  # per page
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            if len(pdf.pages) > MAX_PAGES:
                message = f"{len(pdf.pages)} pages: too long for an annual report (at most {MAX_PAGES} are read)"
                raise DocumentError(message, source=source)
            for number, page in enumerate(pdf.pages, 1):
                images.append(len(page.images))
                heights.append(float(page.height))
                items.append(_page_items(page, number))
    except PdfminerException as exc:
        cause = exc.args[0] if exc.args else exc
        if isinstance(cause, PDFPasswordIncorrect | PDFEncryptionError):
            raise DocumentError(
                "an encrypted PDF that needs a password to open: save an unprotected copy", source=source
            ) from None
        raise DocumentError(f"a damaged PDF: cannot read it ({_reason(cause)})", source=source) from None
    except (PSException, ValueError, KeyError, TypeError, AssertionError) as exc:
        raise DocumentError(f"a damaged PDF: cannot read it ({_reason(exc)})", source=source) from None
    if not any(items):
        if any(images):
            raise NoTextLayerError(
                f"no text layer: run OCR first (its {len(items)} page(s) are images, a scan)", source=source
            )
        raise EmptyInputError("the PDF holds no text", source=source)
    out = TextBuilder()
    scanned = {n for n, (page, count) in enumerate(zip(items, images, strict=True), 1) if count and not page}
    _write(_without_running_lines(items, heights), out, scanned)
    return out.build("pdf")


def _reason(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def _page_items(page: Any, number: int) -> list[_Line | _Ruled]:
    """The page's ruled tables and lines of words, top to bottom."""
    tables = [t for t in page.find_tables() if len(t.rows) >= 2 and max(len(r.cells) for r in t.rows) >= 2]
    boxes = [t.bbox for t in tables]
    words = [
        _Word(w["text"].strip(), w["x0"], w["x1"], w["top"], w["size"])
        for w in page.extract_words(**_WORDS)
        if w["text"].strip() and not any(_inside(w, box) for box in boxes)
    ]
    found: list[_Line | _Ruled] = [_ruled(t, number) for t in tables]
    found.extend(_lines(words, number))
    found.sort(key=lambda item: item.top)
    return found


def _inside(word: dict[str, Any], box: tuple[float, float, float, float]) -> bool:
    x: float = (word["x0"] + word["x1"]) / 2
    y: float = (word["top"] + word["bottom"]) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def _ruled(table: Any, page: int) -> _Ruled:
    rows = []
    for row, texts in zip(table.rows, table.extract(), strict=True):
        cells = tuple(
            (text or "", column, box)
            for column, (box, text) in enumerate(zip(row.cells, texts, strict=True), 1)
            if box is not None
        )
        rows.append((cells, len(row.cells)))
    return _Ruled(page, table.bbox[1], tuple(rows))


def _lines(words: Sequence[_Word], page: int) -> list[_Line]:
    """Words grouped by baseline: a word within 0.4 of its size of a line's top joins that line."""
    lines: list[list[_Word]] = []
    for w in sorted(words, key=lambda w: (w.top, w.x0)):
        if lines and abs(lines[-1][0].top - w.top) <= 0.4 * w.size:
            lines[-1].append(w)
        else:
            lines.append([w])
    return [_Line(page, tuple(_spaced(sorted(ws, key=lambda w: w.x0)))) for ws in lines]


def _spaced(words: list[_Word]) -> list[_Word]:
    """``words`` of a line with those one space apart joined (:data:`_SPACE`)."""
    out: list[_Word] = []
    for w in words:
        last = out[-1] if out else None
        if last is not None and w.x0 - last.x1 < _SPACE * max(w.size, last.size):
            out[-1] = _Word(f"{last.text} {w.text}", last.x0, w.x1, min(last.top, w.top), max(last.size, w.size))
        else:
            out.append(w)
    return out


def _without_running_lines(pages: list[list[_Line | _Ruled]], heights: list[float]) -> list[list[_Line | _Ruled]]:
    """The pages without their running heads, running feet and page numbers.

    Only the lines above or below everything else on the page, within :data:`_MARGIN` of its edge, are looked at;
    one is dropped when it is only a page number, or when a line of the same text (digits aside) stands at the same
    height on another page.
    """

    def key(line: _Line) -> tuple[str, int]:
        return re.sub(r"\d+", "#", line.text), round(line.top / 4)

    def edges(items: list[_Line | _Ruled]) -> Iterable[_Line]:
        for seq in (items, items[::-1]):
            for item in seq[:2]:
                height = heights[item.page - 1]
                if isinstance(item, _Line) and (item.top < _MARGIN * height or item.top > (1 - _MARGIN) * height):
                    yield item
                else:
                    break

    seen = Counter(key(line) for items in pages for line in set(edges(items)))
    dropped = {
        id(line) for items in pages for line in edges(items) if _PAGE_NUMBER.fullmatch(line.text) or seen[key(line)] > 1
    }
    return [[item for item in items if id(item) not in dropped] for items in pages]


def _write(pages: list[list[_Line | _Ruled]], out: TextBuilder, scanned: set[int]) -> None:
    """Everything in reading order: ruled tables' rows, runs of table lines, and prose joined into paragraphs; a
    ``reader.image_page`` diagnostic where a page of ``scanned`` (images, no text) would be."""
    flat = _joined([item for items in pages for item in items])
    table_number = 0
    prose: list[_Line] = []
    margins = _margins(flat)
    pending = sorted(scanned)
    i = 0
    while i < len(flat):
        item = flat[i]
        while pending and pending[0] < item.page:
            _flush(prose, margins, out)
            out.note("image_page", f"page {pending.pop(0)} is an image without a text layer (scanned?): run OCR")
        if isinstance(item, _Ruled):
            _flush(prose, margins, out)
            continuing = i > 0 and isinstance(flat[i - 1], _Ruled) and flat[i - 1].page != item.page
            table_number += 0 if continuing else 1
            _write_ruled(item, table_number, out)
            i += 1
            continue
        run = _table_run(flat, i)
        if run:
            _flush(prose, margins, out)
            table_number += 1
            _write_unruled(run, table_number, out)
            i += len(run)
            continue
        prose.append(item)
        i += 1
    _flush(prose, margins, out)
    for page in pending:
        out.note("image_page", f"page {page} is an image without a text layer (scanned?): run OCR")


def _joined(items: list[_Line | _Ruled]) -> list[_Line | _Ruled]:
    """``items`` with each ruled table that goes on over a page break put together: the header rows the next page
    repeats are dropped (:func:`_without_header`) and a row the break cut in two is made one (:func:`_rejoined`)."""
    out: list[_Line | _Ruled] = []
    first: _Ruled | None = None  # the first part of the table that is going on
    for item in items:
        last = out[-1] if out else None
        if isinstance(item, _Ruled) and isinstance(last, _Ruled) and last.page < item.page and first is not None:
            item = _without_header(first, item)
            joined = _rejoined(last, item)
            if joined is not None:
                out[-1], item = joined
            if item.rows:
                out.append(item)
            continue
        first = item if isinstance(item, _Ruled) else None
        out.append(item)
    return out


def _texts(row: tuple[tuple[tuple[str, int, tuple[float, float, float, float]], ...], int]) -> list[str]:
    return [cell_text(text) for text, _, _ in row[0]]


def _without_header(first: _Ruled, part: _Ruled) -> _Ruled:
    """``part`` without the rows it opens with that repeat the table's first rows word for word (Word's "repeat as
    header row at the top of each page")."""
    n = 0
    while n < min(len(first.rows), len(part.rows)) and _texts(part.rows[n]) == _texts(first.rows[n]):
        n += 1
    return _Ruled(part.page, part.top, part.rows[n:]) if n else part


def _rejoined(last: _Ruled, part: _Ruled) -> tuple[_Ruled, _Ruled] | None:
    """The two parts of a table with the row a page break cut in two made one (None when no row was cut).

    A row was cut when the next part opens with a row of the same columns as the cells at the bottom of ``last``,
    with no value in it and empty where those cells hold values (the values stayed above the break): its texts are
    added to those cells, the ones above (a label run over the break) or a merged cell that goes on (a group
    heading).  A row that opens the next page with values of its own is a row of its own.
    """
    if not part.rows:
        return None
    bottom = max(box[3] for cells, _ in last.rows for _, _, box in cells)
    above = sorted(
        ((box[0], box[2], r, i) for r, (cells, _) in enumerate(last.rows) for i, (_, _, box) in enumerate(cells)),
        key=lambda a: a[0],
    )
    above = [a for a in above if last.rows[a[2]][0][a[3]][2][3] >= bottom - 1]
    cut = sorted(((box[0], box[2], text) for text, _, box in part.rows[0][0]), key=lambda c: c[0])
    # The same columns: as many cells, each within 2 points of the one above (the two pages round alike).
    if len(cut) != len(above):
        return None
    if any(abs(a[0] - c[0]) > 2 or abs(a[1] - c[1]) > 2 for a, c in zip(above, cut, strict=True)):
        return None
    pairs = [((r, i), text) for (_, _, r, i), (_, _, text) in zip(above, cut, strict=True)]
    if any(_NUMERIC.fullmatch(cell_text(text)) for _, text in pairs if text.strip()):
        return None
    values = [text for (r, i), text in pairs if _NUMERIC.fullmatch(cell_text(last.rows[r][0][i][0]))]
    if not values or any(text.strip() for text in values):
        return None
    rows = [list(cells) for cells, _ in last.rows]
    for (r, i), cut_text in pairs:
        text, column, box = rows[r][i]
        rows[r][i] = (f"{text}\n{cut_text}" if cut_text.strip() else text, column, box)
    joined = tuple((tuple(cells), places) for cells, (_, places) in zip(rows, last.rows, strict=True))
    # The cut row stays, emptied (a row without text is not written), for the places its merged cells hold further
    # down, where the next page break may cut again.
    (cells, places), *rest = part.rows
    emptied = (tuple(("", column, box) for _, column, box in cells), places)
    return _Ruled(last.page, last.top, joined), _Ruled(part.page, part.top, (emptied, *rest))


def _write_ruled(table: _Ruled, number: int, out: TextBuilder) -> None:
    for r, (cells, places) in enumerate(table.rows, 1):
        row = [
            (text, Origin(table=number, row=r, cell=c, page=table.page, x=round(box[0], 1), y=round(box[1], 1)))
            for text, c, box in cells
        ]
        out.row(row, places, Origin(table=number, row=r, page=table.page))


def _cells(line: _Line) -> bool:
    """A line of a table without rules: two words or more standing apart."""
    return len(line.words) >= 2


def _table_run(items: Sequence[_Line | _Ruled], start: int) -> list[_Line]:
    """The run of table lines (lines of several cells) from ``start`` on.  A line of one cell between them (an item
    heading) is left to the prose: the grammars read it as a cell all the same."""
    run: list[_Line] = []
    for item in items[start:]:
        if not (isinstance(item, _Line) and _cells(item)):
            break
        run.append(item)
    return run


def _write_unruled(run: list[_Line], number: int, out: TextBuilder) -> None:
    """A table without rules: a row of labels as its words come; a row of values (a label, then values only) with
    its values at the columns of the value rows around it, an empty cell where it has none."""
    width = max(len(line.words) for line in run)
    groups: list[list[int]] = []  # runs of consecutive value rows
    for i, line in enumerate(run):
        if _values_row(line):
            if groups and groups[-1][-1] == i - 1:
                groups[-1].append(i)
            else:
                groups.append([i])
    columns: dict[int, list[float]] = {}
    for group in groups:
        # The columns are those of the most common number of values (of the most, on a tie): a row with more is no
        # reference, a row with fewer (a blank cell) is placed under them.
        counts = Counter(len(run[i].words) for i in group)
        usual = max(counts, key=lambda n: (counts[n], n))
        centres = [(w.x0 + w.x1) / 2 for w in next(run[i] for i in group if len(run[i].words) == usual).words[1:]]
        for i in group:
            columns[i] = centres
    for r, line in enumerate(run, 1):
        words: list[_Word | None] = list(line.words)
        if r - 1 in columns:
            aligned = _aligned(line.words[1:], columns[r - 1])
            if aligned is None:
                out.note(
                    "unaligned_row",
                    "a row of a table without rules whose values do not fit the columns of the "
                    "rows around it: written as its words come",
                    line.text,
                )
            words = [line.words[0], *(line.words[1:] if aligned is None else aligned)]
        cells = [
            ("", Origin(table=number, row=r, cell=c, page=line.page))
            if w is None
            else (w.text, Origin(table=number, row=r, cell=c, page=line.page, x=round(w.x0, 1), y=round(w.top, 1)))
            for c, w in enumerate(words, 1)
        ]
        out.row(cells, max(width, len(cells)), Origin(table=number, row=r, page=line.page))


def _values_row(line: _Line) -> bool:
    return len(line.words) >= 2 and all(_NUMERIC.fullmatch(w.text) is not None for w in line.words[1:])


def _aligned(values: Sequence[_Word], centres: Sequence[float]) -> list[_Word | None] | None:
    """``values`` placed at the nearest of ``centres``, None where a column has no value; None when two values
    would share a column (the row is not of those columns)."""
    placed: list[_Word | None] = [None] * len(centres)
    for w in values:
        centre = (w.x0 + w.x1) / 2
        nearest = min(range(len(centres)), key=lambda i: abs(centres[i] - centre))
        if placed[nearest] is not None:
            return None
        placed[nearest] = w
    return placed


def _margins(items: Sequence[_Line | _Ruled]) -> dict[int, tuple[float, float]]:
    """Per page, the left and right edges of its prose: the most common line start and the furthest line end; a
    page where fewer than three lines reach that end has no right edge (``inf``): its lines are never joined."""
    out: dict[int, tuple[float, float]] = {}
    for page in {item.page for item in items}:
        lines = [item for item in items if isinstance(item, _Line) and item.page == page]
        if lines:
            starts = Counter(round(line.x0) for line in lines)
            right = max(line.x1 for line in lines)
            full = sum(line.x1 >= right - 2 * line.size for line in lines)
            out[page] = (float(starts.most_common(1)[0][0]), right if full >= 3 else float("inf"))
    return out


def _flush(prose: list[_Line], margins: dict[int, tuple[float, float]], out: TextBuilder) -> None:
    """The prose lines so far, a line that runs to the right margin joined with the next unless that is
    indented (a new paragraph) or in another font size (a heading)."""
    paragraph: list[_Line] = []
    for line in prose:
        if paragraph:
            last = paragraph[-1]
            full = last.x1 >= margins[last.page][1] - 2 * last.size
            indented = line.x0 > margins[line.page][0] + 0.5 * line.size
            if not full or indented or abs(line.size - last.size) > 0.5:
                out.line(cell_text("\n".join(p.text for p in paragraph)), paragraph[0].origin())
                paragraph = []
        paragraph.append(line)
    if paragraph:
        out.line(cell_text("\n".join(p.text for p in paragraph)), paragraph[0].origin())
    prose.clear()
