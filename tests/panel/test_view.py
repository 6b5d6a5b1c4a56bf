"""``xxgk view``: the page checked as a DOM (lxml) — every value linked to its source line, every marked cell
(breaks, warnings, uncertain, odd, repaired) marked for a reason the report gives, seed 000's known break on the
right cells, nothing loaded from elsewhere, the index and the corpus chart; headless Chromium when installed."""

from __future__ import annotations

import random
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from lxml import html

import xxgk
from tests import panel_corpus
from tests.conftest import CORPUS, corpus_files
from xxgk.cli import main as cli
from xxgk.panel import view
from xxgk.records import Report, Tables, Value
from xxgk.scale.batch import Outcome
from xxgk.schema import APPLICATION_ROWS

MARKS = ("break", "stated", "warning", "uncertain", "odd", "repaired", "missing")
SEED_000 = CORPUS / "000_875ca7f37e0dab6a.txt"
CHROMIUM = Path("/usr/bin/chromium")


def page(tmp_path: Path, *paths: Path | str) -> tuple[int, Any]:
    out = tmp_path / "out.html"
    status = cli.main(["view", *map(str, paths), "-o", str(out), "--jobs", "1"])
    return status, html.parse(str(out)).getroot()


def classes(td: Any) -> set[str]:
    return set((td.get("class") or "").split())


def values(doc: Any, anchor: str) -> Iterator[Any]:
    """The value cells of one report's section."""
    yield from doc.xpath(f'//section[@id="{anchor}"]//td[contains(concat(" ", @class, " "), " v ")]')


def line_text(doc: Any, anchor: str, line: int) -> str:
    (span,) = doc.xpath(f'//*[@id="{anchor}-L{line}"]')
    return str(span.text_content())


def seeds() -> list[Path]:
    """The five seeds (corpus/0*), whose layout these tests know: one value a line, seed 000's known break."""
    return [p for p in corpus_files() if p.name.startswith("0")]


@pytest.fixture(scope="module")
def corpus_page(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, Any]:
    folder = tmp_path_factory.mktemp("seeds")
    for p in seeds():
        shutil.copy(p, folder / p.name)
    return page(tmp_path_factory.mktemp("view"), folder)


def reports() -> list[Report]:
    return [xxgk.parse_file(p) for p in seeds()]


def test_every_value_links_to_its_line(corpus_page: tuple[int, Any]) -> None:
    status, doc = corpus_page
    assert status == 0
    for i, report in enumerate(reports()):
        cells = [td for td in values(doc, f"r{i}") if "missing" not in classes(td)]
        assert len(cells) == sum(1 for _ in xxgk.export.report.iter_cells(report))
        for td in cells:
            (a,) = td.xpath("a")
            line = int(td.get("data-line"))
            assert a.get("href") == f"#r{i}-L{line}"
            # The cell's raw text is on that line of the source shown beside the tables.
            raw = td.get("title").splitlines()[1].split(": ", 1)[1].strip("'\"")
            assert raw in line_text(doc, f"r{i}", line)
            assert f"▶{line:>5} │" in td.get("title")


def test_seed_000_break_on_the_right_cells(corpus_page: tuple[int, Any]) -> None:
    _, doc = corpus_page
    stated = {td.get("data-path") for td in values(doc, "r0") if "stated" in classes(td)}
    # docs/spec.md: the row sum (total), the other_org column sum and the other_org balance fail.
    assert stated == {
        "applications/total/total",
        "applications/total/other_org",
        "applications/carried_forward/other_org",
    }
    total = doc.get_element_by_id("r0/applications/total/total")
    assert total.text_content() == "85"
    assert "85 ≠ 86" in total.get("title")
    assert "error applications.row_total" in total.get("title")
    other = doc.get_element_by_id("r0/applications/total/other_org")
    assert {"applications.column_total", "applications.balance"} <= set(
        re.findall(r"applications\.\w+", other.get("title"))
    )
    formulas = doc.xpath('//section[@id="r0"]//div[@class="formula"]/text()')
    assert len(formulas) == 3
    assert any("1 ≠ 0" in f for f in formulas)


def test_every_marked_cell_has_its_reason(corpus_page: tuple[int, Any]) -> None:
    _, doc = corpus_page
    marked = 0
    for i, report in enumerate(reports()):
        errors = {c.path: f for f in report.findings if f.severity == "error" for c in f.cells}
        for td in values(doc, f"r{i}"):
            found = classes(td) & set(MARKS)
            path, title = td.get("data-path"), td.get("title")
            if not found:
                assert path not in errors
                continue
            marked += 1
            if "break" in found:
                assert errors[path].rule in title
            if "stated" in found:
                # On the stated side: the cells up to it add up to what the report states.
                assert any(
                    sum(c.value or 0 for c in f.cells[: [c.path for c in f.cells].index(path) + 1]) == f.actual
                    for f in report.findings
                    if f.severity == "error" and path in [c.path for c in f.cells]
                )
            if "odd" in found or "repaired" in found:
                line = int(td.get("data-line"))
                near = [d for d in report.diagnostics if d.line == line and d.message in title]
                assert near, path
                if "odd" in found:
                    assert any(d.kind.startswith("value.") for d in near)
            if "missing" in found:
                assert not td.xpath("a")
        # Every value.* diagnostic marks the cell at its position.
        for d in report.diagnostics:
            if d.kind.startswith("value.") and d.kind != "value.unreadable":
                (td,) = [t for t in values(doc, f"r{i}") if t.get("data-line") == str(d.line)]
                assert "odd" in classes(td)
                assert d.message in td.get("title")
    assert marked >= 33  # seed 000's 31 cells of its three breaks, seed 002's two odd cells


def test_repaired_cell_of_seed_003(corpus_page: tuple[int, Any]) -> None:
    _, doc = corpus_page
    td = doc.get_element_by_id("r3/applications/total/natural_person")
    assert "repaired" in classes(td)
    assert "normalise.bookmark" in td.get("title")


def test_diagnostics_link_to_their_lines(corpus_page: tuple[int, Any]) -> None:
    _, doc = corpus_page
    for i, report in enumerate(reports()):
        links = doc.xpath(f'//section[@id="r{i}"]//table[@class="diagnostics"]//a/@href')
        assert links == [f"#r{i}-L{d.line}" for d in report.diagnostics if d.line]


def test_every_internal_link_has_its_target_and_nothing_comes_from_elsewhere(corpus_page: tuple[int, Any]) -> None:
    _, doc = corpus_page
    ids = set(doc.xpath("//@id"))
    for href in doc.xpath("//@href"):
        assert href.startswith("#") and href[1:] in ids, href
    assert not doc.xpath("//script | //link | //img | //iframe | //@src")
    assert "http" not in "".join(doc.xpath("//style/text()"))


def test_index_lists_every_report(corpus_page: tuple[int, Any]) -> None:
    _, doc = corpus_page
    rows = doc.xpath('//section[@id="index"]//tbody/tr')
    assert [r.xpath("td[1]/a/@href")[0] for r in rows] == [f"#r{i}" for i in range(5)]
    assert [r.xpath('string(td[@class="status"])') for r in rows] == ["breaks", "ok", "ok", "ok", "ok"]
    assert "3 error" in rows[0].text_content()


def test_the_forms_are_laid_out(corpus_page: tuple[int, Any]) -> None:
    _, doc = corpus_page
    # Seed 000 (template 2021): every row of table 2 has its 7 values; table 3 has its 15 in one row.
    apps = doc.xpath('//section[@id="r0"]//table[@data-table="applications"]/tbody/tr')
    assert len(apps) == len(APPLICATION_ROWS["2021"]) == 25
    assert all(len(r.xpath("td")) == 7 for r in apps)
    (reviews,) = doc.xpath('//section[@id="r0"]//table[@data-table="reviews"]/tbody/tr')
    assert len(reviews.xpath("td")) == 15
    headings = doc.xpath('//section[@id="r0"]//table[@data-table="applications"]//th/text()')
    assert "三、本年度办理结果" in headings and "(三)不予公开" in headings


def test_uncertain_and_warning_cells(tmp_path: Path) -> None:
    values_ = panel_corpus.tables(random.Random(5), 2022, dict.fromkeys(panel_corpus.APPLICANTS, 0))
    values_["applications"]["granted"]["research"] = None  # "/": the rules over it cannot be decided
    rules = values_["active_disclosure"]["art20_1"]["rules"]
    rules["issued"], rules["in_force"] = 9, 3  # in_force < issued: a warning
    text = panel_corpus.text("示例市财政局2022年政府信息公开工作年度报告", 2022, values_)
    (tmp_path / "r.txt").write_text(text, encoding="utf-8")
    _, doc = page(tmp_path, tmp_path / "r.txt")
    blank = doc.get_element_by_id("r0/applications/granted/research")
    assert blank.text_content() == "/"
    assert "uncertain" in classes(blank)
    assert "uncertain applications.row_total" in blank.get("title")
    warned = doc.get_element_by_id("r0/active_disclosure/art20_1/rules/in_force")
    assert "warning" in classes(warned)
    assert not doc.xpath('//section[@id="index"]')  # one file: no index


def test_text_is_escaped(tmp_path: Path) -> None:
    values_ = panel_corpus.tables(random.Random(6), 2022, dict.fromkeys(panel_corpus.APPLICANTS, 0))
    text = panel_corpus.text("<script>alert(1)</script>示例局2022年政府信息公开工作年度报告", 2022, values_)
    (tmp_path / "r.txt").write_text(text, encoding="utf-8")
    _, doc = page(tmp_path, tmp_path / "r.txt")
    assert not doc.xpath("//script")
    assert "<script>alert(1)</script>" in line_text(doc, "r0", 1)


def test_chart_sums_the_corpus(tmp_path: Path) -> None:
    written = panel_corpus.write_series(tmp_path, "示例市财政局", range(2020, 2023), seed=1)
    written2 = panel_corpus.write_series(tmp_path, "东湖区教育局", range(2021, 2023), seed=2)
    (tmp_path / "bad.txt").write_bytes(b"\x00" * 10)
    status, doc = page(tmp_path, tmp_path)
    assert status == 1  # the page is written, the unreadable file listed in it
    assert doc.xpath('//section[@id="index"]//td[@class="status"]/text()').count("failed") == 1
    bars = doc.xpath("//svg//g[@class='bar']")
    assert [b.get("data-year") for b in bars] == ["2020", "2021", "2022"]
    for bar in bars:
        year = int(bar.get("data-year"))
        tables = [w[year] for w in (written, written2) if year in w]
        granted = sum(t["applications"]["granted"]["total"] for t in tables)
        received = sum(t["applications"]["new_received"]["total"] for t in tables)
        titles = bar.xpath(".//title/text()")
        assert f"{year} (一)予以公开: {granted}" in titles
        assert f"{year} received (本年新收): {received}" in titles


def test_values_outside_the_form_are_listed() -> None:
    extra = {"new_received": {"total": Value(4, 3, 1, "4")}, "stray_row": {"total": Value(7, 5, 2, "7")}}
    report = Report("x.txt", "2021", 2022, "示例局", None, tables=Tables(applications=extra))
    doc = html.fromstring(view.render([Outcome("x.txt", report=report)]))
    (loose,) = doc.xpath('//table[contains(@class, "loose")]//td')
    assert (loose.get("data-path"), loose.text_content()) == ("applications/stray_row/total", "7")
    placed = doc.get_element_by_id("r0/applications/new_received/total")
    assert placed.text_content() == "4"
    # The form's other cells are there, empty and marked missing.
    assert "missing" in classes(doc.get_element_by_id("r0/applications/granted/total"))


def test_templates_are_package_data() -> None:
    from importlib.resources import files

    names = {p.name for p in (files("xxgk.panel") / "templates").iterdir()}
    assert {"view.html.j2", "view_macros.html.j2", "chart.svg.j2", "view.css"} <= names


@pytest.mark.skipif(not CHROMIUM.exists(), reason="headless check needs Debian's chromium at /usr/bin/chromium")
def test_chromium_loads_the_page(corpus_page: tuple[int, Any], tmp_path: Path) -> None:
    out = tmp_path / "corpus.html"
    cli.main(["view", str(CORPUS), "-o", str(out), "--jobs", "1"])
    run = subprocess.run(
        [
            str(CHROMIUM),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--enable-logging=stderr",
            "--dump-dom",
            out.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert 'id="r0/applications/total/total"' in run.stdout
    # The page's own errors (a script error, a resource that would not load) are logged as console messages.
    assert "CONSOLE" not in run.stderr, run.stderr
