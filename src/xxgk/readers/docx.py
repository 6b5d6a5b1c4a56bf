"""Word files (python-docx): paragraphs as lines, tables as pipe rows, each with its paragraph or table cell.

The body is read in document order, content controls included.  A table's merged cells are laid out on its grid:
a cell with ``gridSpan`` covers that many columns, a cell with ``vMerge`` (continued) is a place of the cell above
and is not written again, and ``gridBefore``/``gridAfter`` are empty places.  A table inside a cell is read as
that cell's text.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import Any

from xxgk.errors import DocumentError, EmptyInputError
from xxgk.readers.extracted import Extracted, Origin, TextBuilder

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def read(data: bytes, *, source: str | None = None) -> Extracted:
    """The text of a ``.docx`` file, each line with its body paragraph or its table, row and cell.

    Raises :class:`~xxgk.errors.DocumentError` for a file that is not a readable Word document and
    :class:`~xxgk.errors.EmptyInputError` for one without text.
    """
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import XMLSyntaxError

    try:
        body = docx.Document(io.BytesIO(data)).element.body
    except (PackageNotFoundError, XMLSyntaxError, KeyError, zipfile.BadZipFile, ValueError) as exc:
        raise DocumentError(
            f"a damaged Word file: cannot read it ({type(exc).__name__}: {exc})", source=source
        ) from None
    out = TextBuilder()
    paragraphs = tables = 0
    for el in _blocks(body):
        if el.tag == f"{_W}p":
            paragraphs += 1
            out.line(_text(el), Origin(paragraph=paragraphs))
        else:
            tables += 1
            _table(el, tables, out)
    extracted = out.build("docx")
    if not extracted.text.strip():
        raise EmptyInputError("the Word file holds no text", source=source)
    return extracted


def _blocks(parent: Any) -> Iterator[Any]:
    """The paragraphs and tables under ``parent`` in order, looking inside content controls (``w:sdt``)."""
    return _children(parent, f"{_W}p", f"{_W}tbl")


def _children(parent: Any, *tags: str) -> Iterator[Any]:
    """The children of ``parent`` with one of ``tags``, in order, also those wrapped in a content control
    (``w:sdt``/``w:sdtContent``) or custom XML (``w:customXml``), which may hold paragraphs, rows or cells."""
    for el in parent.iterchildren():
        if el.tag in tags:
            yield el
        elif el.tag == f"{_W}sdt":
            for content in el.iterchildren(f"{_W}sdtContent"):
                yield from _children(content, *tags)
        elif el.tag == f"{_W}customXml":
            yield from _children(el, *tags)


def _text(el: Any) -> str:
    """The text of a paragraph (or every paragraph under ``el``): runs' text, a tab as a space, a line break as a
    line end; deleted text (tracked changes) left out."""
    parts: list[str] = []
    for node in el.iter(f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr", f"{_W}p"):
        if node.tag == f"{_W}t":
            parts.append(node.text or "")
        elif node.tag == f"{_W}tab":
            parts.append(" ")
        elif node.tag in (f"{_W}br", f"{_W}cr") or (node.tag == f"{_W}p" and parts):
            parts.append("\n")
    return "".join(parts)


def _int(el: Any, path: str) -> int:
    found = el.find(path)
    value = found.get(f"{_W}val") if found is not None else None
    try:
        return max(0, int(value)) if value is not None else 0
    except ValueError:
        return 0


def _table(tbl: Any, number: int, out: TextBuilder) -> None:
    """A table as pipe rows: each cell once, at the first grid place it covers; the row padded to the grid."""
    rows = []
    width = len(tbl.findall(f"{_W}tblGrid/{_W}gridCol"))
    for tr in _children(tbl, f"{_W}tr"):
        column = _int(tr, f"{_W}trPr/{_W}gridBefore")
        cells = []
        for tc in _children(tr, f"{_W}tc"):
            span = max(1, _int(tc, f"{_W}tcPr/{_W}gridSpan"))
            merge = tc.find(f"{_W}tcPr/{_W}vMerge")
            continued = merge is not None and merge.get(f"{_W}val", "continue") == "continue"
            if not continued:
                cells.append((_text(tc), column))
            column += span
        width = max(width, column + _int(tr, f"{_W}trPr/{_W}gridAfter"))
        rows.append(cells)
    for r, cells in enumerate(rows, 1):
        out.row(
            [(text, Origin(table=number, row=r, cell=c + 1)) for text, c in cells],
            width,
            Origin(table=number, row=r),
        )
