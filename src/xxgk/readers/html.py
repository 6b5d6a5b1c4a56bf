"""Web pages (lxml.html): block elements as lines, data tables as pipe rows, each with its line:column in the file.

The charset is the one the page declares (a byte-order mark, ``<meta charset>``, ``<meta http-equiv=Content-Type>``
or the XML declaration; GB2312 and GBK are read as GB18030, their superset, because pages that declare GB2312
often hold GBK characters), else UTF-8, else GB18030.  Scripts, styles, forms and hidden elements are left out.
A table is a data table unless it holds another table or has a single column (a layout table, whose cells are read
as blocks); its ``rowspan``/``colspan`` are laid out on a grid, each cell written at the first place it covers.
"""

from __future__ import annotations

import bisect
import codecs
import re
from collections.abc import Iterator
from typing import Any

from xxgk.errors import EmptyInputError
from xxgk.readers.extracted import Extracted, Origin, TextBuilder, cell_text

_CHARSET = re.compile(
    rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)|<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I
)
# Declared charsets read as a superset: pages declaring these hold characters of the wider set.
_SUPERSETS = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "gb_2312-80": "gb18030",
    "iso-8859-1": "cp1252",
}
_SKIPPED = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "head",
        "title",
        "iframe",
        "object",
        "select",
        "option",
        "button",
        "input",
        "textarea",
        "svg",
        "math",
        "map",
    }
)
_BLOCKS = frozenset(
    {
        "p",
        "div",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "section",
        "article",
        "header",
        "footer",
        "nav",
        "aside",
        "main",
        "blockquote",
        "pre",
        "center",
        "form",
        "fieldset",
        "address",
        "figure",
        "figcaption",
        "caption",
        "hr",
        "tr",
        "td",
        "th",
        "table",
        "tbody",
        "thead",
        "tfoot",
        "body",
        "html",
    }
)
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
# Page chrome around the article, by element or by a word of its class or id: navigation, breadcrumbs (当前位置:
# dqwz), footers, share and print bars.
_CHROME_TAGS = frozenset({"nav", "footer", "aside"})
_CHROME_WORDS = frozenset(
    {
        "nav",
        "navbar",
        "navigation",
        "menu",
        "breadcrumb",
        "breadcrumbs",
        "crumb",
        "crumbs",
        "bread",
        "position",
        "location",
        "dqwz",
        "footer",
        "foot",
        "sidebar",
        "share",
        "fx",
        "copyright",
    }
)
_WORD = re.compile(r"[A-Za-z]+")
_LAYOUT_CELL = 300


def decode(data: bytes) -> str:
    """The page's bytes as text, in the charset it declares (see the module's docstring)."""
    for bom, codec in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(codec, errors="replace").removeprefix("\ufeff")
    declared = _CHARSET.search(data[:8192])
    if declared:
        name = (declared.group(1) or declared.group(2)).decode("ascii").lower()
        try:
            codec = codecs.lookup(_SUPERSETS.get(name, name)).name
        except LookupError:
            codec = ""
        if codec:
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                pass  # the declaration is wrong (a page saved in another charset): try the usual ones
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030", errors="replace")


def read(data: bytes | str, *, source: str | None = None) -> Extracted:
    """The text of a web page, each line with the line:column of its element's start tag in the file."""
    import lxml.html

    text = decode(data) if isinstance(data, bytes) else data
    # lxml refuses text that declares an encoding; spaces keep every later position where it was.
    text = re.sub(r"<\?xml[^>]*\?>", lambda m: " " * len(m.group()), text, count=1)
    root = lxml.html.document_fromstring(text) if text.strip() else None
    out = TextBuilder()
    if root is not None:
        _Walker(text, out).block(root)
    extracted = out.build("html")
    if not extracted.text.strip():
        raise EmptyInputError("the page holds no text", source=source)
    return extracted


class _Walker:
    """Walks the element tree in document order, writing lines and tables to ``out``."""

    def __init__(self, source: str, out: TextBuilder) -> None:
        self.source = source
        self.starts = [0, *(m.end() for m in re.finditer("\n", source))]
        self.cursor = 0
        self.out = out
        self.tables = 0
        self.buffer: list[str] = []
        self.origin: Origin | None = None

    def locate(self, el: Any) -> Origin:
        """The line:column of ``el``'s start tag: the first ``<tag`` at or after its line and the last one found."""
        line = el.sourceline or 1
        start = max(self.cursor, self.starts[min(line, len(self.starts)) - 1])
        found = re.compile(rf"<{re.escape(el.tag)}[\s>/]", re.I).search(self.source, start)
        if found is None:
            return Origin(line=line)
        self.cursor = found.end()
        n = bisect.bisect_right(self.starts, found.start())
        return Origin(line=n, column=found.start() - self.starts[n - 1] + 1)

    def flush(self) -> None:
        if self.buffer and self.origin is not None:
            # A line break in the source is a space, except between two Chinese characters (as browsers show it).
            self.out.line(cell_text("".join(self.buffer)), self.origin)
        self.buffer, self.origin = [], None

    def add(self, text: str | None, el: Any) -> None:
        if text and (text.strip() or self.buffer):
            if self.origin is None and text.strip():
                self.origin = self.locate(el)
            if self.origin is not None:
                self.buffer.append(text)

    def block(self, el: Any) -> None:
        """``el``'s text and children's, a line break around each block element and at each ``<br>``."""
        for child, text in _children(el):
            if child is None:
                self.add(text, el)
                continue
            tag = child.tag
            if tag == "br":
                self.flush()
            elif tag == "table" and _data_table(child):
                self.flush()
                self.table(child)
            elif tag in _BLOCKS:
                self.flush()
                self.block(child)
                self.flush()
            else:
                self.block(child)

    def table(self, el: Any) -> None:
        """A data table as pipe rows, its merged cells laid out on a grid."""
        self.tables += 1
        for caption in el.xpath("./caption"):
            self.block(caption)
            self.flush()
        rows = _rows(el)
        taken: set[tuple[int, int]] = set()
        laid: list[list[tuple[Any, int]]] = []
        for r, cells in enumerate(rows):
            c = 0
            placed = []
            for cell in cells:
                while (r, c) in taken:
                    c += 1
                placed.append((cell, c))
                rowspan, colspan = _span(cell, "rowspan"), _span(cell, "colspan")
                taken.update((r + i, c + j) for i in range(rowspan) for j in range(colspan))
                c += colspan
            laid.append(placed)
        width = max((col + 1 for _, col in taken), default=0)
        for r, placed in enumerate(laid, 1):
            cells = [(_cell_text(cell), self.locate(cell)) for cell, _ in placed]
            row = [
                (text, Origin(line=o.line, column=o.column, table=self.tables, row=r, cell=c + 1))
                for (text, o), (_, c) in zip(cells, placed, strict=True)
            ]
            first = row[0][1] if row else Origin()
            self.out.row(row, width, Origin(line=first.line, column=first.column, table=self.tables, row=r))


def _children(el: Any) -> Iterator[tuple[Any, str | None]]:
    """``el``'s own text, then each element child (comments, hidden elements and page chrome left out) followed by
    its tail."""
    yield None, el.text
    for child in el:
        if isinstance(child.tag, str) and not _left_out(child):
            yield child, None
        yield None, child.tail


def _left_out(el: Any) -> bool:
    if el.tag in _SKIPPED or el.tag in _CHROME_TAGS or _HIDDEN.search(el.get("style") or ""):
        return True
    names = f"{el.get('class') or ''} {el.get('id') or ''}"
    return any(word.lower() in _CHROME_WORDS for word in _WORD.findall(names))


def _rows(table: Any) -> list[list[Any]]:
    return [tr.xpath("./td|./th") for tr in table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr")]


def _data_table(table: Any) -> bool:
    """A table of data: no table inside it, at least one row of two cells or more, and no cell holding a text
    (more than :data:`_LAYOUT_CELL` characters: a statutory cell holds 40 at most) — else it lays out the page."""
    rows = _rows(table)
    return (
        not table.xpath(".//table")
        and any(len(cells) >= 2 for cells in rows)
        and not any(len(cell.text_content()) > _LAYOUT_CELL for cells in rows for cell in cells)
    )


def _span(cell: Any, name: str) -> int:
    try:
        return max(1, min(int(cell.get(name, "1").strip() or 1), 1000))
    except ValueError:
        return 1


def _cell_text(cell: Any) -> str:
    """A cell's text, a line break at each ``<br>`` and block element (:func:`cell_text` joins them)."""
    parts: list[str] = []

    def walk(el: Any) -> None:
        for child, text in _children(el):
            if child is None:
                parts.append(text or "")
            elif child.tag == "br" or child.tag in _BLOCKS:
                parts.append("\n")
                walk(child)
                parts.append("\n")
            else:
                walk(child)

    walk(cell)
    return "".join(parts)
