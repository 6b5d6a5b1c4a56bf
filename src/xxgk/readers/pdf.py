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

from xxgk.errors import DocumentError, EmptyInputError, NoTextLayerError
from xxgk.readers.extracted import Extracted, TextBuilder, cell_text
from xxgk.readers.pdf_layout import Line, Ruled, Word, joined, table_run, write_ruled, write_unruled

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

    items: list[list[Line | Ruled]] = []
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


def _page_items(page: Any, number: int) -> list[Line | Ruled]:
    """The page's ruled tables and lines of words, top to bottom."""
    tables = [t for t in page.find_tables() if len(t.rows) >= 2 and max(len(r.cells) for r in t.rows) >= 2]
    boxes = [t.bbox for t in tables]
    words = [
        Word(w["text"].strip(), w["x0"], w["x1"], w["top"], w["size"])
        for w in page.extract_words(**_WORDS)
        if w["text"].strip() and not any(_inside(w, box) for box in boxes)
    ]
    found: list[Line | Ruled] = [_ruled(t, number) for t in tables]
    found.extend(_lines(words, number))
    found.sort(key=lambda item: item.top)
    return found


def _inside(word: dict[str, Any], box: tuple[float, float, float, float]) -> bool:
    x: float = (word["x0"] + word["x1"]) / 2
    y: float = (word["top"] + word["bottom"]) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def _ruled(table: Any, page: int) -> Ruled:
    rows = []
    for row, texts in zip(table.rows, table.extract(), strict=True):
        cells = tuple(
            (text or "", column, box)
            for column, (box, text) in enumerate(zip(row.cells, texts, strict=True), 1)
            if box is not None
        )
        rows.append((cells, len(row.cells)))
    return Ruled(page, table.bbox[1], tuple(rows))


def _lines(words: Sequence[Word], page: int) -> list[Line]:
    """Words grouped by baseline: a word within 0.4 of its size of a line's top joins that line."""
    lines: list[list[Word]] = []
    for w in sorted(words, key=lambda w: (w.top, w.x0)):
        if lines and abs(lines[-1][0].top - w.top) <= 0.4 * w.size:
            lines[-1].append(w)
        else:
            lines.append([w])
    return [Line(page, tuple(_spaced(sorted(ws, key=lambda w: w.x0)))) for ws in lines]


def _spaced(words: list[Word]) -> list[Word]:
    """``words`` of a line with those one space apart joined (:data:`_SPACE`)."""
    out: list[Word] = []
    for w in words:
        last = out[-1] if out else None
        if last is not None and w.x0 - last.x1 < _SPACE * max(w.size, last.size):
            out[-1] = Word(f"{last.text} {w.text}", last.x0, w.x1, min(last.top, w.top), max(last.size, w.size))
        else:
            out.append(w)
    return out


def _without_running_lines(pages: list[list[Line | Ruled]], heights: list[float]) -> list[list[Line | Ruled]]:
    """The pages without their running heads, running feet and page numbers.

    Only the lines above or below everything else on the page, within :data:`_MARGIN` of its edge, are looked at;
    one is dropped when it is only a page number, or when a line of the same text (digits aside) stands at the same
    height on another page.
    """

    def key(line: Line) -> tuple[str, int]:
        return re.sub(r"\d+", "#", line.text), round(line.top / 4)

    def edges(items: list[Line | Ruled]) -> Iterable[Line]:
        for seq in (items, items[::-1]):
            for item in seq[:2]:
                height = heights[item.page - 1]
                if isinstance(item, Line) and (item.top < _MARGIN * height or item.top > (1 - _MARGIN) * height):
                    yield item
                else:
                    break

    seen = Counter(key(line) for items in pages for line in set(edges(items)))
    dropped = {
        id(line) for items in pages for line in edges(items) if _PAGE_NUMBER.fullmatch(line.text) or seen[key(line)] > 1
    }
    return [[item for item in items if id(item) not in dropped] for items in pages]


def _write(pages: list[list[Line | Ruled]], out: TextBuilder, scanned: set[int]) -> None:
    """Everything in reading order: ruled tables' rows, runs of table lines, and prose joined into paragraphs; a
    ``reader.image_page`` diagnostic where a page of ``scanned`` (images, no text) would be."""
    flat = joined([item for items in pages for item in items])
    table_number = 0
    prose: list[Line] = []
    margins = _margins(flat)
    pending = sorted(scanned)
    i = 0
    while i < len(flat):
        item = flat[i]
        while pending and pending[0] < item.page:
            _flush(prose, margins, out)
            out.note("image_page", f"page {pending.pop(0)} is an image without a text layer (scanned?): run OCR")
        if isinstance(item, Ruled):
            _flush(prose, margins, out)
            continuing = i > 0 and isinstance(flat[i - 1], Ruled) and flat[i - 1].page != item.page
            table_number += 0 if continuing else 1
            write_ruled(item, table_number, out)
            i += 1
            continue
        run = table_run(flat, i)
        if run:
            _flush(prose, margins, out)
            table_number += 1
            write_unruled(run, table_number, out)
            i += len(run)
            continue
        prose.append(item)
        i += 1
    _flush(prose, margins, out)
    for page in pending:
        out.note("image_page", f"page {page} is an image without a text layer (scanned?): run OCR")


def _margins(items: Sequence[Line | Ruled]) -> dict[int, tuple[float, float]]:
    """Per page, the left and right edges of its prose: the most common line start and the furthest line end; a
    page where fewer than three lines reach that end has no right edge (``inf``): its lines are never joined."""
    out: dict[int, tuple[float, float]] = {}
    for page in {item.page for item in items}:
        lines = [item for item in items if isinstance(item, Line) and item.page == page]
        if lines:
            starts = Counter(round(line.x0) for line in lines)
            right = max(line.x1 for line in lines)
            full = sum(line.x1 >= right - 2 * line.size for line in lines)
            out[page] = (float(starts.most_common(1)[0][0]), right if full >= 3 else float("inf"))
    return out


def _flush(prose: list[Line], margins: dict[int, tuple[float, float]], out: TextBuilder) -> None:
    """The prose lines so far, a line that runs to the right margin joined with the next unless that is
    indented (a new paragraph) or in another font size (a heading)."""
    paragraph: list[Line] = []
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
