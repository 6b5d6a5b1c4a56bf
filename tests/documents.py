"""Test documents: a report's prose and statutory tables written as a web page, a Word file and a PDF, the tables
with their merged cells as agencies publish them (the printed form of the national template).

The tables come from :mod:`tests.render`'s grids (keys and labels from ``schema.py``), given their spans here: the
item heading of table 1 across the table, the 勾稽关系 note over three header rows and three label columns, a
group heading (三、本年度办理结果, (三)不予公开 …) down its rows, 行政复议/行政诉讼 across their columns.

``python -m tests.documents`` regenerates the corpus documents made from seed 004 (:data:`CORPUS_DOCUMENTS`).
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Final

from tests.render import APPLICANT_HEAD, BALANCE_NOTE, LITIGATION_HEAD, NUMERALS, ORGS_HEAD, TABLE_SECTIONS, grids
from xxgk.schema import (
    APPLICANT_COLUMNS,
    APPLICATION_GROUPS,
    APPLICATION_ROWS,
    REVIEW_COLUMNS,
    REVIEW_GROUPS,
    SECTIONS,
)

ROOT: Final = Path(__file__).resolve().parent.parent


class Cell:
    """A table cell: its text and how many rows and columns it covers."""

    def __init__(self, text: str, rowspan: int = 1, colspan: int = 1) -> None:
        self.text, self.rowspan, self.colspan = text, rowspan, colspan

    def __repr__(self) -> str:
        return f"Cell({self.text!r}, {self.rowspan}, {self.colspan})"


Table = list[list[Cell]]
# A document is a list of paragraphs (str) and tables.
Document = list["str | Table"]


def width(table: Table) -> int:
    """The number of grid columns of ``table`` (its first row's spans)."""
    return sum(c.colspan for c in table[0])


# --- the statutory tables with their spans ---------------------------------------------------------------------


def active_disclosure_table(grid: list[list[str]]) -> Table:
    """Table 1: four columns; an item heading spans them all, a row with fewer cells spans its last cell."""
    cols = max(len(row) for row in grid)
    return [
        [Cell(t) for t in row[:-1]] + [Cell(row[-1], colspan=cols - len(row) + 1)]
        if len(row) > 1
        else [Cell(row[0], colspan=cols)]
        for row in grid
    ]


def applications_table(tables: dict[str, Any], template: str, grid: list[list[str]]) -> Table:
    """Table 2: three label columns (the results heading, a group heading or a row label, a row label) and seven
    value columns under a three-row header."""
    person, *orgs, total = (label for _, label in APPLICANT_COLUMNS)
    rows: Table = [
        [Cell(BALANCE_NOTE, 3, 3), Cell(APPLICANT_HEAD, colspan=7)],
        [Cell(person, rowspan=2), Cell(ORGS_HEAD, colspan=5), Cell(total, rowspan=2)],
        [Cell(o) for o in orgs],
    ]
    keys = [key for key, _ in APPLICATION_ROWS[template]]
    results = keys[2:-1]  # between 二、上年结转 and 四、结转下年度
    values = {key: row[-len(APPLICANT_COLUMNS) :] for key, row in zip(keys, grid[3:], strict=True)}
    groups: dict[str, list[str]] = {}
    for key in results:
        if "." in key:
            groups.setdefault(key.partition(".")[0], []).append(key)
    for key, label in APPLICATION_ROWS[template]:
        cells: list[Cell] = []
        if key == results[0]:
            cells.append(Cell(APPLICATION_GROUPS["results"], rowspan=len(results)))
        if key not in results:
            cells.append(Cell(label, colspan=3))
        elif "." in key:
            group = groups[key.partition(".")[0]]
            if key == group[0]:
                cells.append(Cell(APPLICATION_GROUPS[key.partition(".")[0]], rowspan=len(group)))
            cells.append(Cell(label))
        else:
            cells.append(Cell(label, colspan=2))
        rows.append(cells + [Cell(v) for v in values[key]])
    return rows


def reviews_table(grid: list[list[str]]) -> Table:
    """Table 3: 行政复议 over five columns, 行政诉讼 over ten in two groups of five, one row of values."""
    n = len(REVIEW_COLUMNS)
    (_, review), *litigation = REVIEW_GROUPS
    return [
        [Cell(review, colspan=n), Cell(LITIGATION_HEAD, colspan=n * len(litigation))],
        [Cell(label, rowspan=2) for _, label in REVIEW_COLUMNS] + [Cell(label, colspan=n) for _, label in litigation],
        [Cell(label) for _ in litigation for _, label in REVIEW_COLUMNS],
        [Cell(v) for v in grid[-1]],
    ]


def statutory_tables(tables: dict[str, Any], template: str) -> dict[str, Table]:
    """The three tables with their merged cells, keyed by the section they are printed in."""
    g = grids(tables, template)
    return {
        "active_disclosure": active_disclosure_table(g["active_disclosure"]),
        "applications": applications_table(tables, template, g["applications"]),
        "reviews": reviews_table(g["reviews"]),
    }


def seed_document(text: str, tables: dict[str, Any], template: str) -> Document:
    """A seed's text with each run of table lines (pipe rows) replaced by the next statutory table, with spans."""
    doc: Document = []
    pending = iter(statutory_tables(tables, template)[key] for key in TABLE_SECTIONS)
    in_table = False
    for line in text.splitlines():
        if "|" in line:
            if not in_table:
                doc.append(next(pending))
            in_table = True
            continue
        in_table = False
        if line.strip():
            doc.append(line.strip())
    return doc


def minimal_document(tables: dict[str, Any], template: str, *, filler: int = 1) -> Document:
    """A title, the six section headings each with ``filler`` paragraphs, the tables under 二/三/四 with spans."""
    year = 2023 if template == "2021" else 2020
    doc: Document = [f"示例市人力资源和社会保障局{year}年政府信息公开工作年度报告"]
    spanned = statutory_tables(tables, template)
    for numeral, (key, title, _) in zip(NUMERALS, SECTIONS, strict=True):
        doc.append(f"{numeral}、{title}")
        doc.extend(f"本机关认真贯彻落实政府信息公开条例,第{n + 1}项工作按计划推进。" for n in range(filler))
        if key in spanned:
            doc.append(spanned[key])
    return doc


def places(table: Table) -> Iterator[tuple[int, int, Cell]]:
    """Each cell with the grid row and column of the first place it covers."""
    taken: set[tuple[int, int]] = set()
    for r, row in enumerate(table):
        c = 0
        for cell in row:
            while (r, c) in taken:
                c += 1
            yield r, c, cell
            taken.update((r + i, c + j) for i in range(cell.rowspan) for j in range(cell.colspan))
            c += cell.colspan


# --- HTML ---------------------------------------------------------------------------------------------------------

_PAGE_HEAD = """<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}" />
<title>{title}_政府信息公开</title>
<style type="text/css">td {{ border: 1px solid #000; }}</style>
<script type="text/javascript">var nav = "首页 > 政务公开";</script>
</head>
<body>
<div class="nav"><a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; <a href="#">年度报告</a></div>
<div class="article">
<h1 class="title">{title}</h1>
<div class="info">来源：本网 发布时间：2020-01-20 字号：[大 中 小]</div>
<div class="TRS_Editor">
"""
_PAGE_FOOT = """</div>
</div>
<div class="footer"><p>扫一扫在手机打开当前页</p><p>主办单位：示例市人民政府办公室</p></div>
</body>
</html>
"""


def _html_cell(cell: Cell) -> str:
    # As Word's "save as web page" writes a cell: a paragraph, a span with styles, a label wrapped with <br/>.
    spans = "".join(f' {name}="{n}"' for name, n in (("rowspan", cell.rowspan), ("colspan", cell.colspan)) if n > 1)
    text = html.escape(cell.text)
    if len(cell.text) >= 6 and not any(ch.isdigit() for ch in cell.text):
        half = len(text) // 2
        text = text[:half] + "<br/>\n" + text[half:]
    span = f'<span style="font-size:10.5pt;font-family:宋体">{text or "&nbsp;"}</span>'
    inner = f'<p class="MsoNormal" align="center">{span}</p>'
    return f'<td width="60" valign="center"{spans}>{inner}</td>'


def to_html(doc: Document, *, charset: str = "utf-8") -> bytes:
    """``doc`` as a web page in ``charset`` (declared in its <meta>): navigation, an article, a footer."""
    title = next(p for p in doc if isinstance(p, str))
    parts = [_PAGE_HEAD.format(charset=charset, title=html.escape(title))]
    for item in doc[1:]:
        if isinstance(item, str):
            parts.append(f'<p style="text-indent:2em"><span>{html.escape(item)}</span></p>\n')
            continue
        parts.append('<table border="1" cellspacing="0" cellpadding="0" style="border-collapse:collapse">\n<tbody>\n')
        for row in item:
            parts.append("<tr>" + "\n".join(_html_cell(c) for c in row) + "</tr>\n")
        parts.append("</tbody>\n</table>\n")
    parts.append(_PAGE_FOOT)
    return "".join(parts).encode(charset)


# --- DOCX ---------------------------------------------------------------------------------------------------------


def to_docx(doc: Document) -> bytes:
    """``doc`` as a Word file written with python-docx, merged cells merged (``gridSpan``, ``vMerge``)."""
    import docx

    out = docx.Document()
    for item in doc:
        if isinstance(item, str):
            out.add_paragraph(item)
            continue
        table = out.add_table(rows=len(item), cols=width(item))
        table.style = "Table Grid"
        for r, c, cell in places(item):
            target = table.cell(r, c)
            if cell.rowspan > 1 or cell.colspan > 1:
                target = target.merge(table.cell(r + cell.rowspan - 1, c + cell.colspan - 1))
            target.text = cell.text
    buffer = io.BytesIO()
    out.save(buffer)
    return _fixed_times(buffer.getvalue())


def _fixed_times(data: bytes) -> bytes:
    """The ZIP archive with every member dated 1980-01-01, so that the same document gives the same bytes."""
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(zipfile.ZipInfo(info.filename, (1980, 1, 1, 0, 0, 0)), src.read(info), zipfile.ZIP_DEFLATED)
    return out.getvalue()


# --- PDF ------------------------------------------------------------------------------------------------------------

FONT: Final = "STSong-Light"


def to_pdf(doc: Document, *, ruled: bool = True, font_size: float = 9) -> bytes:
    """``doc`` as an A4 PDF (landscape without rules) written with reportlab in its built-in CJK font, with a
    running head and page numbers.

    ``ruled``: the tables have their grid lines (and wrap long cells); otherwise no line is drawn and each cell is
    one line of text at the top of its cell (Word's default), so a reader must find the columns from the words'
    positions.
    """
    from reportlab import rl_config
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    rl_config.invariant = 1  # no date or random id: the same document gives the same bytes
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    body = ParagraphStyle(
        "body",
        fontName=FONT,
        fontSize=font_size,
        leading=font_size * 1.6,
        firstLineIndent=2 * font_size,
        wordWrap="CJK",
    )
    # Without rules every cell is one line, so every label must fit its column: a wider page, a smaller font.
    size = A4 if ruled else landscape(A4)
    table_font_size = 6.5 if ruled else 5.5
    cell_style = ParagraphStyle(
        "cell", fontName=FONT, fontSize=table_font_size, leading=table_font_size * 1.3, wordWrap="CJK", alignment=1
    )
    title = next(p for p in doc if isinstance(p, str))

    def page(canvas: Any, template: Any) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.drawString(40, size[1] - 28, f"{title}")
        canvas.drawCentredString(size[0] / 2, 20, f"- {template.page} -")
        canvas.restoreState()

    flow: list[Any] = []
    usable = size[0] - 80
    for item in doc:
        if isinstance(item, str):
            flow.append(Paragraph(html.escape(item), body))
            continue
        n = width(item)
        grid: list[list[Any]] = [[""] * n for _ in item]
        style: list[Any] = [
            ("FONT", (0, 0), (-1, -1), FONT, table_font_size),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE" if ruled else "TOP"),
            ("ALIGN", (0, 0), (-1, -1), "CENTER"),
        ]
        for r, c, cell in places(item):
            grid[r][c] = Paragraph(html.escape(cell.text), cell_style) if ruled else cell.text
            if cell.rowspan > 1 or cell.colspan > 1:
                style.append(("SPAN", (c, r), (c + cell.colspan - 1, r + cell.rowspan - 1)))
        if ruled:
            style.append(("GRID", (0, 0), (-1, -1), 0.5, "black"))
        flow.append(Table(grid, colWidths=_column_widths(item, usable), style=TableStyle(style)))
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=size, leftMargin=40, rightMargin=40, topMargin=45, bottomMargin=40).build(
        flow, onFirstPage=page, onLaterPages=page
    )
    return buffer.getvalue()


def _column_widths(table: Table, usable: float) -> list[float]:
    n = width(table)
    if n == 10:  # table 2: three label columns, seven value columns
        labels = [44, 62, 150] if usable < 600 else [60, 80, 210]
        return labels + [(usable - sum(labels)) / 7] * 7
    if n == 4:  # table 1: a wide label column
        return [usable * 0.34] + [usable * 0.22] * 3
    return [usable / n] * n


# --- the corpus documents ---------------------------------------------------------------------------------------

SEED: Final = "004_b7caf00a3cd44191"
CORPUS_DOCUMENTS: Final = {
    f"005_html_{SEED[4:]}.html": lambda d: to_html(d, charset="gb2312"),
    f"006_docx_{SEED[4:]}.docx": to_docx,
    f"007_pdf_{SEED[4:]}.pdf": to_pdf,
}


def seed(name: str = SEED) -> tuple[Document, dict[str, Any]]:
    """The document made of seed ``name`` (its text and gold tables) and its gold."""
    import json

    gold = json.loads((ROOT / "tests" / "gold" / f"{name}.json").read_text(encoding="utf-8"))
    text = (ROOT / "corpus" / f"{name}.txt").read_text(encoding="utf-8")
    return seed_document(_titled(text, gold), gold["tables"], gold["template"]), gold


def _titled(text: str, gold: dict[str, Any]) -> str:
    # Seed 004 is the body of a page whose title was not extracted; a document has one.
    if re.match(r"\s*一、", text):
        return f"江苏省人力资源和社会保障厅{gold['year']}年政府信息公开工作年度报告\n{text}"
    return text


def main() -> None:
    doc, _ = seed()
    for name, make in CORPUS_DOCUMENTS.items():
        (ROOT / "corpus" / name).write_bytes(make(doc))
        print(f"wrote corpus/{name}")


if __name__ == "__main__":
    main()
