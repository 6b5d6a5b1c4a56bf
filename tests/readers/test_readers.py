"""The readers: web pages, Word and PDF files made here from the seeds' gold (tests/documents.py) are parsed back to
every gold cell; each value's origin points at its cell in the file; bad files fail with their error and status."""

from __future__ import annotations

import functools
import io
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import xxgk
from tests.conftest import CORPUS, assert_tables_match_gold, gold_files, load_gold
from tests.documents import CORPUS_DOCUMENTS, Document, minimal_document, seed, to_docx, to_html, to_pdf
from xxgk import readers
from xxgk.cli.main import main
from xxgk.errors import DocumentError, EmptyInputError, NoTextLayerError, XxgkError

# The seeds' gold (the real reports 000-004), not the form documents' (101-113, whose forms are text layouts).
SEEDS = [p for p in gold_files() if re.fullmatch(r"\d{3}_[0-9a-f]{16}", p.stem)]

MAKERS: dict[str, Callable[[Document], bytes]] = {
    "html": to_html,
    "html-gb2312": functools.partial(to_html, charset="gb2312"),
    "docx": to_docx,
    "pdf-ruled": to_pdf,
    "pdf-unruled": functools.partial(to_pdf, ruled=False),
}


@functools.cache
def seed_documents(kind: str) -> dict[str, tuple[bytes, dict[str, Any]]]:
    """Every seed's gold tables in a minimal report, written as ``kind``, with the gold."""
    out = {}
    for path in SEEDS:
        gold = load_gold(path)
        out[path.stem] = MAKERS[kind](minimal_document(gold["tables"], gold["template"])), gold
    return out


@pytest.mark.parametrize("kind", MAKERS)
@pytest.mark.parametrize("name", [p.stem for p in SEEDS])
def test_every_gold_cell_from_each_format(kind: str, name: str) -> None:
    data, gold = seed_documents(kind)[name]
    report = xxgk.parse(data, source=f"{name}.{kind}")
    assert report.extracted is not None and report.extracted.format == kind.partition("-")[0]
    assert report.template == gold["template"]
    assert_tables_match_gold(gold["tables"], xxgk.to_dict(report)["tables"])
    assert not [d for d in report.diagnostics if d.kind.startswith(("table.", "reader."))]


@pytest.mark.parametrize("kind", MAKERS)
def test_seed_004_as_published(kind: str) -> None:
    """Seed 004's own text (prose, headings) with its tables merged as printed; the page has navigation and a
    footer, the PDF a running head and page numbers."""
    doc, gold = seed()
    report = xxgk.parse(MAKERS[kind](doc), source=f"004.{kind}")
    assert_tables_match_gold(gold["tables"], xxgk.to_dict(report)["tables"])
    # The page's article-info line (来源 … 发布时间 … 字号) is a preamble of its own: only keyed sections compared.
    assert [s.key for s in report.sections if s.key] == gold["section_keys"]
    assert report.title == doc[0] and report.year == gold["year"]
    text = report.extracted.text if report.extracted else ""
    assert "首页" not in text and "扫一扫" not in text and not re.search(r"^- \d+ -$", text, re.M)
    assert text.count(str(doc[0])) == 1  # the PDF's running head is gone, the title stays


# --- sniffing -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"%PDF-1.7\n", "pdf"),
        (b"\r\n%PDF-1.4\n", "pdf"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", "doc"),
        (b"PK\x03\x04\x14\x00", "damaged_zip"),
        (b"\xef\xbb\xbf  <!DOCTYPE html><html>", "html"),
        (b"<!-- saved --><html lang='zh'>", "html"),
        ('<div class="TRS_Editor"><p>一、总体情况</p>'.encode("utf-16"), "html"),
        (b"<p>\xd2\xbb\xa1\xa2</p>", "html"),
        ("一、总体情况\n<span>二、主动公开</span>".encode(), "text"),
        (b"<<< not markup", "text"),
        ("一、总体情况", "text"),
        ("<!DOCTYPE html><html><body><p>一、总体情况</p>", "html"),
        ("<span style='x'>一、总体情况</span>", "text"),  # a string with debris at its start stays text
    ],
)
def test_sniff(data: bytes | str, kind: str) -> None:
    assert readers.sniff(data) == kind


def test_sniff_tells_a_docx_from_another_zip() -> None:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
    assert readers.sniff(buffer.getvalue()) == "zip"
    assert readers.sniff(to_docx(["一、总体情况"])) == "docx"


def test_html_given_as_str() -> None:
    data, gold = seed_documents("html")["004_b7caf00a3cd44191"]
    report = xxgk.parse(data.decode("utf-8"), source="page.html")
    assert_tables_match_gold(gold["tables"], xxgk.to_dict(report)["tables"])


# --- charsets and HTML structure --------------------------------------------------------------------------------


def test_gb2312_page_with_gbk_characters() -> None:
    """A page declaring gb2312 that holds a character only GBK has (镕), as such pages often do."""
    doc: Document = ["示例市2020年政府信息公开工作年度报告", "一、总体情况", "朱镕基同志的讲话精神得到贯彻。"]
    page = to_html(doc, charset="gbk").replace(b"charset=gbk", b"charset=gb2312")
    with pytest.raises(UnicodeEncodeError):
        "镕".encode("gb2312")
    assert "朱镕基同志的讲话精神得到贯彻。" in readers.html.decode(page)
    assert "镕" in next(s.text for s in xxgk.parse(page).sections if s.key == "overview")


def test_html_values_point_at_their_td() -> None:
    page, _ = seed_documents("html")["003_bae14acceb6e7b7b"]
    report = xxgk.parse(page)
    assert report.extracted is not None
    lines = page.decode("utf-8").split("\n")
    cells = xxgk.to_dict(report)["cells"]
    assert len(cells) == len(set(map(str, cells))) > 100
    for v in _values(report):
        origin = report.extracted.origin(v.line, v.column)
        assert origin is not None and origin.line is not None and origin.column is not None
        source = "\n".join(lines[origin.line - 1 :])[origin.column - 1 :]
        assert source.startswith("<td"), (v, origin)
        cell_html = source[: source.index("</td>")]
        assert v.raw in re.sub(r"<[^>]*>", "", cell_html), (v, origin)


def test_html_layout_table_and_hidden_text() -> None:
    """An article inside a layout table (a table holding a table) is read as blocks; hidden text is left out."""
    data, gold = seed_documents("html")["002_acd8f5ac2491587c"]
    page = data.decode("utf-8")
    page = page.replace('<div class="TRS_Editor">', '<table><tr><td><div style="display:none">隐藏的文字</div>', 1)
    page = page.replace('</div>\n</div>\n<div class="footer">', '</td></tr></table>\n</div>\n<div class="footer">')
    report = xxgk.parse(page.encode("utf-8"))
    assert report.extracted is not None and "隐藏" not in report.extracted.text
    assert_tables_match_gold(gold["tables"], xxgk.to_dict(report)["tables"])


def test_html_layout_table_of_two_columns() -> None:
    """A page laid out by a table of two cells (a menu, the article) with no table inside: not a data table."""
    data, gold = seed_documents("html")["001_8813c9ce404390ad"]
    page = data.decode("utf-8")
    page = page.replace('<div class="TRS_Editor">', '<table><tr><td>栏目导航</td><td><div class="TRS_Editor">', 1)
    page = page.replace(
        '</div>\n</div>\n<div class="footer">', '</div></td></tr></table>\n</div>\n<div class="footer">'
    )
    page = page.replace("<tbody>", "<caption>表一 主动公开情况</caption><tbody>", 1)
    report = xxgk.parse(page.encode("utf-8"))
    assert report.extracted is not None and "\n表一 主动公开情况\n" in report.extracted.text
    assert_tables_match_gold(gold["tables"], xxgk.to_dict(report)["tables"])


def test_docx_cells_and_rows_in_content_controls() -> None:
    """Word's content controls (``w:sdt``) around a row and around a cell: their cells are read in place."""
    import zipfile

    from lxml import etree

    data, gold = seed_documents("docx")["004_b7caf00a3cd44191"]
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    root = etree.fromstring(parts["word/document.xml"])
    rows = root.findall(f".//{{{w}}}tbl")[1].findall(f"{{{w}}}tr")
    for el in (rows[5], rows[6].findall(f"{{{w}}}tc")[2]):  # a row of table 2, a value cell of the next
        sdt = etree.Element(f"{{{w}}}sdt")
        content = etree.SubElement(sdt, f"{{{w}}}sdtContent")
        el.addprevious(sdt)
        content.append(el)
    parts["word/document.xml"] = etree.tostring(root)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, blob in parts.items():
            z.writestr(name, blob)
    report = xxgk.parse(out.getvalue())
    assert_tables_match_gold(gold["tables"], xxgk.to_dict(report)["tables"])


# --- DOCX and PDF origins -----------------------------------------------------------------------------------------


def test_docx_values_point_at_their_cell() -> None:
    import docx

    data, _ = seed_documents("docx")["001_8813c9ce404390ad"]
    tables = docx.Document(io.BytesIO(data)).tables
    report = xxgk.parse(data)
    assert report.extracted is not None
    for v in _values(report):
        o = report.extracted.origin(v.line, v.column)
        assert o is not None and o.table is not None and o.row is not None and o.cell is not None
        assert tables[o.table - 1].cell(o.row - 1, o.cell - 1).text == v.raw, (v, o)


@pytest.mark.parametrize("kind", ["pdf-ruled", "pdf-unruled"])
def test_pdf_values_point_at_their_words(kind: str) -> None:
    import pdfplumber

    data, _ = seed_documents(kind)["000_875ca7f37e0dab6a"]
    report = xxgk.parse(data)
    assert report.extracted is not None
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for v in _values(report):
            o = report.extracted.origin(v.line, v.column)
            assert o is not None and o.page is not None and o.x is not None and o.y is not None
            words = pdf.pages[o.page - 1].extract_words()
            # The word itself (unruled), or a word of the cell whose top-left corner that is (ruled): right of it,
            # left of the next cell of the row.
            xs = [c.x for _, c in report.extracted.lines[v.line - 1].cells if c.x is not None and c.x > o.x]
            right = min(xs, default=10_000)
            near = [w["text"] for w in words if o.y - 1 <= w["top"] < o.y + 30 and o.x - 1 <= w["x0"] < right]
            assert v.raw in near, (v, o, near)


def test_pdf_unruled_row_that_fits_no_columns() -> None:
    """A row of values with more values than the rows around it has columns is written as its words come, and said."""
    rows = [
        "信息内容    本年新制作数量    本年新公开数量",
        "行政许可    1    2    3",
        "行政处罚    4  5    6    7",
        "行政强制    8    9    0",
    ]
    data = _pdf_pages(["示例市2020年政府信息公开工作年度报告", "二、主动公开政府信息情况", *rows])
    report = xxgk.parse(data)
    found = [d for d in report.diagnostics if d.kind == "reader.unaligned_row"]
    assert [(d.line, d.excerpt) for d in found] == [(5, "行政处罚 4 5 6 7")]
    text = report.extracted.text if report.extracted else ""
    assert "\n行政许可 | 1 | 2 | 3 | |\n行政处罚 | 4 | 5 | 6 | 7 |\n行政强制 | 8 | 9 | 0 | |\n" in text


def test_pdf_unruled_row_with_a_blank_cell() -> None:
    """A blank value cell in a table without rules is an empty cell in its place: the values after it keep theirs."""
    columns = (72, 200, 300, 400)
    rows = [
        ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"],
        ["规章", "1", "2", "3"],
        ["规范性文件", "4", "", "6"],
    ]
    lines = [[(x, w) for x, w in zip(columns, row, strict=True) if w] for row in rows]
    data = _pdf_pages(["示例市2020年政府信息公开工作年度报告", "二、主动公开政府信息情况", "第二十条第(一)项", *lines])
    report = xxgk.parse(data)
    assert report.extracted is not None
    assert "\n规范性文件 | 4 | | 6 |\n" in report.extracted.text
    assert not [d for d in report.diagnostics if d.kind.startswith("reader.")]


def test_pdf_table_over_a_page_break() -> None:
    """Table 2 starts low on a page and ends on the next: its rows are one table, with no running head or page
    number between them."""
    gold = load_gold(SEEDS[2])
    doc = minimal_document(gold["tables"], gold["template"], filler=5)
    report = xxgk.parse(to_pdf(doc))
    assert report.extracted is not None
    pages = {report.extracted.origin(v.line, v.column).page for v in _values(report, "applications")}  # type: ignore[union-attr]
    assert len(pages) == 2  # the document is laid out so that the table is split
    assert_tables_match_gold(gold["tables"], xxgk.to_dict(report)["tables"])
    assert not [d for d in report.diagnostics if d.kind.startswith("table.")]


def test_pdf_page_of_images_among_text_pages() -> None:
    """A scanned page between two pages of text is not read, and the report says so at the place it would be."""
    data = _pdf_pages(["示例市2020年政府信息公开工作年度报告", "一、总体情况"], None, ["二、主动公开政府信息情况"])
    report = xxgk.parse(data)
    found = [d for d in report.diagnostics if d.kind == "reader.image_page"]
    assert [(d.line, "page 2" in d.message) for d in found] == [(3, True)]  # the line page 3 begins with
    assert report.extracted is not None and report.extracted.text.splitlines()[2] == "二、主动公开政府信息情况"


# --- bad files ------------------------------------------------------------------------------------------------------


def _pdf_pages(*pages: list[str] | list[Any] | None, password: str | None = None) -> bytes:
    """A PDF of ``pages``: lines in the built-in CJK font (a text, or its words as (x, word) pairs), or (None) a
    page holding only an image."""
    from PIL import Image
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    image = io.BytesIO()
    Image.new("RGB", (120, 160), "white").save(image, "PNG")
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, encrypt=password)
    for lines in pages:
        if lines is None:
            image.seek(0)
            c.drawImage(ImageReader(image), 50, 300, 400, 500)
        else:
            c.setFont("STSong-Light", 12)
            for n, line in enumerate(lines):
                for x, word in [(72, line)] if isinstance(line, str) else line:
                    c.drawString(x, 760 - 20 * n, word)
        c.showPage()
    c.save()
    return buffer.getvalue()


def _bad_files() -> list[tuple[str, bytes, type[XxgkError], int, str]]:
    """(file name, bytes, the exception, the exit status, what the message says)."""
    docx_bytes = to_docx(["一、总体情况"])
    pdf_bytes = to_pdf(["示例", "一、总体情况"])
    nav = "<html><body><div><a href='/'>首页</a> <a>关于我们</a></div><ul><li>政务公开</li></ul></body></html>"
    return [
        ("scan.pdf", _pdf_pages(None, None), NoTextLayerError, 12, "no text layer: run OCR first"),
        ("locked.pdf", _pdf_pages(["一、总体情况"], password="secret"), DocumentError, 11, "an encrypted PDF"),
        ("cut.pdf", pdf_bytes[: len(pdf_bytes) // 3], DocumentError, 11, "a damaged PDF"),
        ("head.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", DocumentError, 11, "a damaged PDF"),
        ("blank.pdf", _pdf_pages([]), EmptyInputError, 7, "the PDF holds no text"),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), DocumentError, 11, "save it as .docx or PDF"),
        ("cut.docx", docx_bytes[: len(docx_bytes) // 2], DocumentError, 11, "a damaged ZIP archive"),
        ("empty.html", b"<html><body><script>var a;</script></body></html>", EmptyInputError, 7, "no text"),
        ("nav.html", nav.encode(), XxgkError, 10, "not a disclosure report"),  # parsed: no exception
    ]


@pytest.mark.parametrize(("name", "data", "cls", "status", "message"), _bad_files(), ids=[c[0] for c in _bad_files()])
def test_bad_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, data: bytes, cls: type, status: int, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    assert main(["parse", str(path), "--format", "json"]) == status
    captured = capsys.readouterr()
    assert message in captured.err and "Traceback" not in captured.err
    if status != 10:
        assert captured.out == ""
        with pytest.raises(cls) as info:
            xxgk.parse_file(path)
        assert info.value.exit_status == status and info.value.source == str(path)


def test_pdf_too_long(monkeypatch: pytest.MonkeyPatch) -> None:
    from xxgk.readers import pdf

    monkeypatch.setattr(pdf, "MAX_PAGES", 2)
    with pytest.raises(DocumentError, match="3 pages: too long for an annual report"):
        xxgk.parse(_pdf_pages(["一、总体情况"], ["二"], ["三"]))
    assert xxgk.parse(_pdf_pages(["一、总体情况"], ["二、主动公开政府信息情况"])).extracted is not None


def test_bad_documents_in_a_batch(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A batch goes on past a scanned PDF and reports it in the output and the exit status."""
    (tmp_path / "scan.pdf").write_bytes(_pdf_pages(None))
    data, _ = seed_documents("docx")["004_b7caf00a3cd44191"]
    (tmp_path / "good.docx").write_bytes(data)
    out = tmp_path / "cells.csv"
    status = main(["parse", str(tmp_path), "--glob", "*.*", "--out", str(out), "--jobs", "1"])
    assert status == 12
    rows = out.read_text(encoding="utf-8").splitlines()
    assert any("NoTextLayerError" in r for r in rows) and sum("good.docx" in r for r in rows) > 100
    assert "no text layer" in capsys.readouterr().err


# --- the command, the exports, the import ----------------------------------------------------------------------


def test_extract_prints_what_the_grammars_see(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data, _ = seed_documents("pdf-ruled")["004_b7caf00a3cd44191"]
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    assert main(["extract", str(path)]) == 0
    text = capsys.readouterr().out
    assert "一、总体情况\n" in text and "\n行政许可 | 6 | 0 | 32 |\n" in text
    report = xxgk.parse(text)
    assert_tables_match_gold(seed()[1]["tables"], xxgk.to_dict(report)["tables"])
    assert main(["extract", str(path), "--origins"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert re.match(r"\s+1  page 1 at \(", lines[0])
    assert any(re.search(r"page \d table \d+ row \d+ +行政许可", x) for x in lines)
    assert main(["extract", str(tmp_path / "missing.pdf")]) == 3


def test_repl_loads_a_pdf(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    path = CORPUS / "007_pdf_b7caf00a3cd44191.pdf"
    monkeypatch.setattr(sys, "stdin", io.StringIO(f":load {path}\n:block\n"))
    assert main(["repl", "--batch"]) == 0
    out = capsys.readouterr().out
    assert "lines 1-64 of 64" in out and re.search(r"│ 2 │ 27-52 │ applications +│ \(本列数据的勾稽关系", out)


def test_exports_carry_the_origin() -> None:
    data, _ = seed_documents("docx")["004_b7caf00a3cd44191"]
    out = xxgk.to_dict(xxgk.parse(data))
    assert all(re.fullmatch(r"table \d+ row \d+ cell \d+", c["origin"]) for c in out["cells"])
    assert out["input"]["format"] == "docx" and out["input"]["lines"][:2] == ["paragraph 1", "paragraph 2"]
    text = xxgk.to_dict(xxgk.parse_file(CORPUS / "004_b7caf00a3cd44191.txt"))
    assert "input" not in text and all("origin" not in c for c in text["cells"])


def test_import_xxgk_does_not_load_the_readers() -> None:
    names = ("xxgk.readers", "lxml", "docx", "pdfplumber")
    code = f"import sys, xxgk; print(sorted(m for m in {names} if m in sys.modules))"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert proc.stdout.strip() == "[]"


# --- the corpus documents -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", CORPUS_DOCUMENTS)
def test_corpus_document_gives_the_tables_of_its_text(name: str) -> None:
    """The corpus's web page, Word and PDF files made from seed 004 give the tables its text gives."""
    doc = xxgk.parse_file(CORPUS / name)
    text = xxgk.parse_file(CORPUS / "004_b7caf00a3cd44191.txt")
    assert xxgk.to_dict(doc)["tables"] == xxgk.to_dict(text)["tables"]
    assert [d.kind for d in doc.diagnostics if d.kind.startswith("table.")] == []


def _values(report: xxgk.Report, table: str | None = None) -> list[xxgk.Value]:
    t = report.tables
    out: list[xxgk.Value] = []
    if table in (None, "active_disclosure"):
        out += [v for rows in t.active_disclosure.values() for cols in rows.values() for v in cols.values()]
    if table in (None, "applications"):
        out += [v for cols in t.applications.values() for v in cols.values()]
    if table in (None, "reviews"):
        out += [v for cols in t.reviews.values() for v in cols.values()]
    return [v for v in out if v.raw]


# --- a ruled table over a page break, as an office suite lays it out ----------------------------------------------


def _part(page: int, rows: list[list[tuple[str, float, float, float, float]]]) -> Any:
    """A ruled table's part on ``page``: rows of cells (text, x0, top, x1, bottom), ten grid places a row."""
    from xxgk.readers.pdf_layout import Ruled

    return Ruled(
        page,
        rows[0][0][2],
        tuple((tuple((t, c, (x0, y0, x1, y1)) for c, (t, x0, y0, x1, y1) in enumerate(row, 1)), 10) for row in rows),
    )


def _row(top: float, bottom: float, label: str, values: list[str], group: str | None = None) -> list[Any]:
    cells = [] if group is None else [(group, 0.0, top, 50.0, bottom)]
    cells.append((label, 50.0, top, 150.0, bottom))
    cells += [(v, 150.0 + 20 * i, top, 170.0 + 20 * i, bottom) for i, v in enumerate(values)]
    return cells


def test_pdf_row_cut_by_a_page_break_is_made_one() -> None:
    """LibreOffice lets a page break cut a row (Word's default): the label's end and a merged group heading's end
    open the next page, in a row without values; they are added to the cells above.  A row of its own (values) and
    a repeated header are told apart."""
    from xxgk.readers.pdf_layout import joined

    head = [("信息内容", 0.0, 10.0, 150.0, 20.0), ("总计", 150.0, 10.0, 170.0, 20.0)]
    first = _part(
        1, [head, _row(20, 40, "4.无正当理由大量反复申请", ["0"], group="(五)不予"), _row(40, 60, "5.要求行政", ["0"])]
    )
    # The group heading's merged cell covers both rows: make it reach the bottom.
    group_cell = first.rows[1][0][0]
    rows = list(first.rows)
    rows[1] = (((group_cell[0], group_cell[1], (0.0, 20.0, 50.0, 60.0)), *first.rows[1][0][1:]), 10)
    first = type(first)(1, 10.0, tuple(rows))
    cut = _part(
        2,
        [
            [
                ("处理", 0.0, 5.0, 50.0, 15.0),
                ("机关确认或重新出具已获取信息", 50.0, 5.0, 150.0, 15.0),
                ("", 150.0, 5.0, 170.0, 15.0),
            ]
        ],
    )
    next_row = _part(2, [_row(15, 30, "(六)其他处理", ["0"])])
    parts = joined([first, type(cut)(2, 5.0, (*cut.rows, *next_row.rows))])
    texts = [[t for t, _, _ in cells] for part in parts for cells, _ in part.rows]  # type: ignore[union-attr]
    assert texts == [
        ["信息内容", "总计"],
        ["(五)不予\n处理", "4.无正当理由大量反复申请", "0"],
        ["5.要求行政\n机关确认或重新出具已获取信息", "0"],
        ["", "", ""],  # the cut row, emptied: not written
        ["(六)其他处理", "0"],
    ]
    # A next page that opens with a row of values, or repeats the header, is not joined to the row above.
    own = _part(2, [head, _row(20, 40, "(六)其他处理", ["0"])])
    texts = [[t for t, _, _ in cells] for part in joined([first, own]) for cells, _ in part.rows]  # type: ignore[union-attr]
    assert texts[-1] == ["(六)其他处理", "0"] and texts.count(["信息内容", "总计"]) == 1


def test_view_shows_a_documents_text(tmp_path: Path) -> None:
    """``xxgk view`` of a web page shows the text its reader made: each value's text is on the line it links to."""
    from tests.panel.test_view import line_text, page, values

    status, doc = page(tmp_path, CORPUS / "005_html_b7caf00a3cd44191.html")
    cells = list(values(doc, "r0"))
    assert status == 0 and len(cells) == 198
    for td in cells:
        raw = td.get("title").splitlines()[1].split(": ", 1)[1].strip("'\"")
        assert raw in line_text(doc, "r0", int(td.get("data-line")))
