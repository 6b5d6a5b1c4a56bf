"""Stage 3a — the serialisation grammars: each form on small snippets shaped like the seeds, form detection, positions
in the original input, and a render-and-read round trip of whole statutory tables."""

from __future__ import annotations

import logging
import re
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lark import Lark

from tests import render
from xxgk.normalise.text import NormText, normalise
from xxgk.records import Block, Cell, Diagnostic
from xxgk.tables import detection
from xxgk.tables.serial import GRAMMARS, Form, detect_form, read_cells, split_cells


def read(text: str | bytes) -> tuple[list[Cell], list[Diagnostic], NormText]:
    """Read a whole snippet as one table block."""
    norm = normalise(text)
    cells, diagnostics = read_cells(Block("active_disclosure", 0, len(norm.text), 1), norm)
    return cells, diagnostics, norm


def stream(text: str) -> list[tuple[str, bool]]:
    """(text, row_start) of each cell of a snippet."""
    return [(c.text, c.row_start) for c in read(text)[0]]


# --- the grammars ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(GRAMMARS.values()))
def test_grammar_has_no_conflicts(name: str, caplog: pytest.LogCaptureFixture) -> None:
    """LALR builds each grammar without a shift/reduce conflict (Lark would silently resolve it as a shift)."""
    with caplog.at_level(logging.DEBUG, logger="lark"):
        Lark.open_from_package("xxgk", f"{name}.lark", ("grammars",), parser="lalr", debug=True)
    assert not [r for r in caplog.records if "conflict" in r.getMessage().lower()]


def test_conflict_check_can_fail(caplog: pytest.LogCaptureFixture) -> None:
    """The check above does see a conflict when there is one."""
    with caplog.at_level(logging.DEBUG, logger="lark"):
        Lark('start: (cell | "-")*\ncell: "a"+', parser="lalr", debug=True)
    assert [r for r in caplog.records if "conflict" in r.getMessage().lower()]


# --- form 1: paragraphs ---------------------------------------------------------------------------------------------


def test_paragraphs_one_cell_each_no_rows() -> None:
    text = "第二十条第(一)项\n\n信息内容\n\n规章\n\n0\n\n\n5\n"
    assert detect_form(text) == "paragraphs"
    assert stream(text) == [(t, False) for t in ["第二十条第(一)项", "信息内容", "规章", "0", "5"]]


def test_paragraph_over_two_lines_is_one_cell() -> None:
    assert stream("行政复议\n\n结果\n纠正\n\n其他\n结果 \n\n8\n") == [
        ("行政复议", False),
        ("结果\n纠正", False),
        ("其他\n结果", False),
        ("8", False),
    ]


# --- form 1b: lines -------------------------------------------------------------------------------------------------


def test_lines_one_cell_per_line_no_rows() -> None:
    text = "第二十条第(一)项\n信息内容\n本年制发件数\n规章\n0\n 5 \n-6\n/\n196.7万元\n"
    assert detect_form(text) == "lines"
    assert stream(text) == [
        (t, False) for t in ["第二十条第(一)项", "信息内容", "本年制发件数", "规章", "0", "5", "-6", "/", "196.7万元"]
    ]


def test_lines_row_labels_and_long_labels_are_cells() -> None:
    labels = [
        "一、本年新收政府信息公开申请数量",
        render.BALANCE_NOTE,
        "(二)部分公开(区分处理的,只计这一情形,不计其他情形)",
    ]
    assert stream("\n".join([*labels, "12"]) + "\n\n") == [(t, False) for t in [*labels, "12"]]


def test_lines_positions_through_crlf() -> None:
    cells, diagnostics, _ = read("\r\n规章\r\n  25\r\n".encode())
    assert diagnostics == []
    assert [(c.text, c.line, c.column) for c in cells] == [("规章", 2, 1), ("25", 3, 3)]


@pytest.mark.parametrize(
    "text",
    [
        "行政复议\n\n结果\n纠正\n\n8\n",  # seed 000: a cell over two lines
        "规章 0 0 5\n行政规范性文件 25 1 834\n",  # flattened rows (spaced_rows)
        "本年度未发生政府信息公开行政复议。\n规章\n",  # a sentence
        "规章\n" + "很长" * 21 + "\n",  # a line too long for a cell
        "规章\n",  # one line
    ],
)
def test_lines_needs_every_line_a_cell_and_no_blank(text: str) -> None:
    assert detect_form(text) != "lines"


def test_one_blank_line_in_lines_leaves_them_lines() -> None:
    """A page number the normaliser emptied inside one-cell-a-line text is no paragraph break: read as paragraphs,
    the lines before it would be one cell (a whole table as one unmatched cell, the rest taken apart).  The
    paragraphs form needs several paragraphs."""
    assert detect_form("规章\n0\n0\n5\n\n5\n") == "lines"
    assert detect_form("规章\n0\n\n5\n") == "lines"
    assert detect_form("规章\n\n0\n\n5\n") == "paragraphs"


# --- form 2: pipe rows and markdown ---------------------------------------------------------------------------------


def test_pipe_rows_one_row_per_line_with_span_runs() -> None:
    text = "第二十条第(八)项 | ||||\n信息内容 | 上一年项目数量 | 本年增/减 | ||\n行政事业性收费 | 26 | 0 | ||\n"
    assert detect_form(text) == "pipe_rows"
    assert stream(text) == [
        ("第二十条第(八)项", True),
        *[("", False)] * 4,
        ("信息内容", True),
        ("上一年项目数量", False),
        ("本年增/减", False),
        ("", False),
        ("", False),
        ("行政事业性收费", True),
        ("26", False),
        ("0", False),
        ("", False),
        ("", False),
    ]


def test_pipe_rows_inner_empty_cell_and_unclosed_row() -> None:
    assert stream("(三)不予公开 | 1.属于国家秘密 | 0 |\n | 2.其他 | 1\n") == [
        ("(三)不予公开", True),
        ("1.属于国家秘密", False),
        ("0", False),
        ("", True),
        ("2.其他", False),
        ("1", False),
    ]


def test_markdown_rows_rule_skipped_opening_pipe_is_no_cell() -> None:
    text = "| 信息内容 | 本年处理决定数量 |\n|---|:---:|\n| 行政许可 | 51 |\n|  | 3 |\n"
    assert detect_form(text) == "markdown"
    assert stream(text) == [
        ("信息内容", True),
        ("本年处理决定数量", False),
        ("行政许可", True),
        ("51", False),
        ("", True),
        ("3", False),
    ]


def test_markdown_without_opening_pipes() -> None:
    assert stream("信息内容 | 本年处理决定数量\n--- | ---\n行政许可 | 51\n") == [
        ("信息内容", True),
        ("本年处理决定数量", False),
        ("行政许可", True),
        ("51", False),
    ]


def test_a_dash_line_in_paragraphs_is_no_markdown() -> None:
    assert detect_form("规章\n\n0\n\n-----\n\n5\n") == "paragraphs"


def test_without_a_rule_line_leading_pipe_rows_are_pipe_rows() -> None:
    """Without a rule line a leading pipe ends an empty first cell (seed 004's convention), not a markdown row."""
    text = "| 信息内容 | 本年处理决定数量 |\n| 行政许可 | 51 |\n"
    assert detect_form(text) == "pipe_rows"
    assert stream(text)[:2] == [("", True), ("信息内容", False)]


# --- form 3: one pipe-ended cell per line ---------------------------------------------------------------------------


def test_cell_lines_pipe_lines_are_empty_cells_and_end_rows() -> None:
    text = "第二十条第(五)项 |\n|||\n信息内容 |\n本年处理决定数量 |\n||\n行政许可 |\n51 |\n规章 |\n"
    assert detect_form(text) == "cell_lines"
    assert stream(text) == [
        ("第二十条第(五)项", True),
        *[("", False)] * 3,
        ("信息内容", True),
        ("本年处理决定数量", False),
        ("", False),
        ("", False),
        ("行政许可", True),
        ("51", False),
        ("规章", False),  # no pipes line before it: the row break is not shown
    ]


def test_cell_lines_cell_over_two_lines_and_loose_text() -> None:
    assert stream("结果\n纠正 |\n商业 企业 |\n|\n注:单位为件\n") == [
        ("结果\n纠正", True),
        ("商业 企业", False),
        ("", False),
        ("注:单位为件", True),
    ]


# --- form 4: tab rows -----------------------------------------------------------------------------------------------


def test_tab_rows_continuation_lines_and_empty_cells() -> None:
    text = "\t信息内容\n\t本年新\n制作数量\n\t对外公开总数量\n\n\n\t\n\t自然人\n\t\n\n\t规章\n\t 0\n\t1 \n"
    assert detect_form(text) == "tab_rows"
    assert stream(text) == [
        ("信息内容", True),
        ("本年新\n制作数量", False),
        ("对外公开总数量", False),
        ("", True),
        ("自然人", False),
        ("", False),
        ("规章", True),
        ("0", False),
        ("1", False),
    ]


def test_tab_rows_long_note_continues() -> None:
    text = "\t(本列数据的勾稽关系为:第一项加第二项之和,\n等于第三项加第四项之和)\n\t申请人情况\n"
    assert [c for c, _ in stream(text)] == [
        "(本列数据的勾稽关系为:第一项加第二项之和,\n等于第三项加第四项之和)",
        "申请人情况",
    ]


def test_tab_rows_text_opening_a_row_is_a_cell() -> None:
    assert stream("\t规章\n\t0\n\n注:无\n\t5\n") == [("规章", True), ("0", False), ("注:无", True), ("5", False)]


# --- unknown form, positions ----------------------------------------------------------------------------------------


def test_unknown_form_reads_paragraphs_and_says_so() -> None:
    prose = "本年度我局共制发规章和行政规范性文件若干件，具体数量详见附件所列统计表。\n"
    prose += "本表由办公室负责填报，数据截至年底。\n"
    cells, diagnostics, _ = read("\n" + prose)
    assert [c.text for c in cells] == [prose.strip().replace("，", ",")]
    assert [(d.kind, d.line, d.column) for d in diagnostics] == [("table.unknown_form", 2, 1)]


# --- form 7: spaced rows (PDF text) ---------------------------------------------------------------------------------


def test_spaced_rows_split_at_spaces_but_keep_an_enumerator_with_its_title() -> None:
    text = "信息内容 本年制发件数\n规章 0 0 5\n三、本年度办理结果 (三) 不予公开 12 / 1.5万元\n0 0 1\n"
    assert detect_form(text) == "spaced_rows"
    words = ["信息内容", "本年制发件数", "规章", "0", "0", "5", "三、本年度办理结果", "(三) 不予公开", "12", "/"]
    assert stream(text) == [(cell, False) for cell in [*words, "1.5万元", "0", "0", "1"]]
    cells = read("  规章  0 12\n")[0]
    assert [(c.text, c.line, c.column) for c in cells] == [("规章", 1, 3), ("0", 1, 7), ("12", 1, 9)]


def test_tsv_rows_keep_empty_fields_and_mark_rows() -> None:
    text = "信息内容\t本年新\n制作数量\t对外公开总数量\n规章\t0\t\t5\t\n\t行政许可\t3\n"
    assert detect_form(text) == "tsv_rows"
    assert stream(text) == [
        ("信息内容", True),
        ("本年新", False),
        ("制作数量", True),
        ("对外公开总数量", False),
        ("规章", True),
        ("0", False),
        ("", False),
        ("5", False),
        ("", True),
        ("行政许可", False),
        ("3", False),
    ]
    cells = read("规章\t0\t\t5\n")[0]
    assert [(c.text, c.column) for c in cells] == [("规章", 1), ("0", 4), ("", 6), ("5", 7)]


def test_spaced_rows_keep_spaced_out_and_vertical_header_cells_whole() -> None:
    text = "行 政 复\n议 结果维持\n申\n请\n人\n规章 0 1 6\n"
    assert detect_form(text) == "spaced_rows"
    assert [c for c, _ in stream(text)] == ["行 政 复", "议", "结果维持", "申\n请\n人", "规章", "0", "1", "6"]


def test_spaced_rows_are_lines_of_cells_and_flattened_rows() -> None:
    """PDF text with labels on lines of their own and their values on the next: one flattened row suffices."""
    text = "第二十条第(一)项\n信息内容 本年制发件数\n规章\n0 1 6\n行政规范性文件\n3\n行政许可\n2210\n第二十条第(五)项\n"
    assert detect_form(text) == "spaced_rows"


def test_separated_cells_ignore_the_border_lines() -> None:
    text = "规章 |\n|\n0 |\n|\n0 |\n|\n2 ||\n||||\n行政规范性文件 |\n|\n5 |\n"
    assert detect_form(text) == "separated_cells"
    assert stream(text) == [
        ("规章", True),
        ("0", False),
        ("0", False),
        ("2", False),
        ("", False),
        ("", False),
        ("", False),
        ("", False),
        ("行政规范性文件", True),
        ("5", False),
    ]
    assert detect_form("规章 |\n0 |\n|\n行政规范性文件 |\n5 |\n") == "cell_lines"


def test_spaced_rows_need_flattened_rows() -> None:
    assert detect_form("规章\n0\n5\n") == "lines"
    assert detect_form("第二十条第(一)项\n信息内容 本年制发件数\n规章 0 0 5\n") == "spaced_rows"


def test_empty_block_has_no_cells() -> None:
    assert read("\n  \n")[0:2] == ([], [])


def detect_by_lines(text: str) -> Form | None:
    """detect_form as its docstring reads, line by line: what detect_form counts with scans of the whole text."""
    lines = [line for line in text.split("\n") if line.strip()]
    if not lines:
        return None
    tsv = sum(re.match(r"\s*\S[^\t]*\t", line) is not None for line in lines)
    if tsv and tsv >= len(lines) / 2:
        return "tsv_rows"
    if sum(line.lstrip(" ").startswith("\t") for line in lines) >= len(lines) / 2:
        return "tab_rows"
    piped = [line for line in lines if "|" in line]
    if len(piped) >= len(lines) / 2:
        if any(detection.rule_line().match(line + "\n") for line in lines):
            return "markdown"
        several = sum(re.search(r"[^\s|].*\|.*[^\s|]", line) is not None for line in piped)
        if several > len(piped) - several:
            return "pipe_rows"
        alone = sum(line.strip() == "|" for line in lines)
        return "separated_cells" if alone >= 3 and alone >= len(piped) / 4 else "cell_lines"
    words = [line.split() for line in lines]
    flat = sum(len(w) > 1 and re.fullmatch(r"[-+]?[0-9][0-9.]*(万元|元|件)?|[/—-]+", w[-1]) is not None for w in words)
    cell_or_row = all(
        detection.cell_line().fullmatch(line + "\n")
        or (len(w) > 1 and re.fullmatch(r"[-+]?[0-9][0-9.]*(万元|元|件)?|[/—-]+", w[-1]) is not None)
        for line, w in zip(lines, words, strict=True)
    )
    if flat and (flat >= len(lines) / 8 or cell_or_row):
        return "spaced_rows"
    paragraphs = split_cells(text, "paragraphs")
    if len(paragraphs) > 2 and sum("\n" not in cell for cell, _, _ in paragraphs) >= len(paragraphs) / 2:
        return "paragraphs"
    if len(lines) > 1 and all(detection.cell_line().fullmatch(line + "\n") for line in lines):
        return "lines"
    return None


# Lines of each form and of none, and odd ones, for blocks of mixed lines.
LINE_SHAPES = [
    "",
    " ",
    "\t",
    " \t",
    "\u3000\t规章",
    "\t规章",
    "规章",
    "0",
    "规章。",
    "|||",
    "|",
    " | ",
    "规章 |",
    "a | b |",
    "| a |",
    "--- | ---",
]


@settings(max_examples=1000, deadline=None)
@given(
    text=st.text(alphabet="|\t \n\r\u3000-:规章0。", max_size=80)
    | st.lists(st.sampled_from(LINE_SHAPES) | st.text(alphabet="|\t \r\u3000-规0", max_size=6), max_size=12).map(
        "\n".join
    )
)
def test_detection_by_scans_is_detection_by_lines(text: str) -> None:
    assert detect_form(text) == detect_by_lines(text)


def test_detection_after_many_blank_lines_is_by_lines() -> None:
    """Blank lines before a line that can be no cell: the lines check gives that up at once (a pattern that tried
    every way of cutting the blank run into tokens, 2**40 of them here, would not return)."""
    text = "规章\n规章\n" + "\n" * 40 + "这是一个很长的句子，有句号。\n这是。\n"
    assert detect_form(text) == detect_by_lines(text) is None


def test_detection_comparison_can_fail() -> None:
    """The reference above tells the forms apart (a rule line needs three dashes)."""
    assert detect_by_lines("a | b\n--- | ---\n") == "markdown"
    assert detect_by_lines("a | b\n-- | --\n") == "pipe_rows"


@pytest.mark.parametrize("form", render.FORMS)
@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet="|\t \n-:规章0", max_size=60))
def test_every_grammar_reads_any_text(form: Form, text: str) -> None:
    """Reading cells never fails: each grammar accepts any sequence of lines, and keeps every written character."""
    pieces = split_cells(text, form)
    delimiters = "|" if form in ("pipe_rows", "markdown", "cell_lines") else ""

    def written(s: str) -> str:
        return "".join(ch for ch in s if not ch.isspace() and ch not in delimiters)

    if form != "markdown":  # markdown drops its rule lines
        assert "".join(written(t) for t, _, _ in pieces) == written(text)


def test_positions_are_in_the_original_input() -> None:
    """CRLF, Traditional characters and a bookmark before the text: line and column still point at the original."""
    original = "\t行政復議\r\n\t[bookmark: _Hlk1]複議後起訴\r\n\r\n\t\r\n\t 12\r\n"
    cells, _, norm = read(original.encode("utf-8"))
    assert [(c.text, c.line, c.column, c.row_start) for c in cells] == [
        ("行政复议", 1, 2, True),
        ("复议后起诉", 2, 19, False),
        ("", 4, 1, True),
        ("12", 5, 3, False),
    ]
    assert norm.original_line(2)[18:].startswith("複議後起訴")


# --- round trip: whole statutory tables rendered in each form and read back -----------------------------------------


def expected_stream(grid: render.Grid, form: str, wrapped: bool) -> list[tuple[str, bool]]:
    """What the cell stream of a rendered grid must be, from the contract in serial.py's docstring."""
    out: list[tuple[str, bool]] = []
    ended = True  # cell_lines: whether the previous row's end was shown by a pipes line
    for row, pad in render.padded(grid):
        texts = [render.wrap(t) if wrapped and form in render.WRAPPING_FORMS else t for t in row]
        if wrapped and form == "spaced_rows":  # a broken cell is two cells: the form splits at spaces and lines
            texts = [part for t in texts for part in render.wrap(t).split("\n")]
        texts += [""] * pad if form in ("pipe_rows", "markdown", "cell_lines") else []
        texts += [""] * (pad - 1) if form == "tsv_rows" and pad else []  # the field after the last tab: none
        first = {"paragraphs": False, "lines": False, "spaced_rows": False, "cell_lines": ended}.get(form, True)
        out += [(t, first and i == 0) for i, t in enumerate(texts)]
        ended = pad > 0
    return out


@pytest.mark.parametrize("form", render.FORMS)
@pytest.mark.parametrize("template", ["2019", "2021"])
@settings(max_examples=15, deadline=None)
@given(data=st.data(), wrapped=st.booleans(), crlf=st.booleans())
def test_round_trip_cells(form: str, template: str, data: st.DataObject, wrapped: bool, crlf: bool) -> None:
    tables = data.draw(render.plain_tables(template))
    for key, grid in render.grids(tables, template, units=True).items():
        text = render.render_block(grid, form, wrapped=wrapped)
        cells, diagnostics, _ = read(text.replace("\n", "\r\n") if crlf else text)
        assert detect_form(text) == form, key
        assert diagnostics == []
        assert [(c.text, c.row_start) for c in cells] == expected_stream(grid, form, wrapped), key
        lines = text.split("\n")
        for c in cells:  # every cell points at its own text (or delimiter) in the original
            at = lines[c.line - 1][c.column - 1 :]
            assert at.startswith(c.text.split("\n")[0]) if c.text else at[:1] in ("|", "\t"), (c, at)


def test_show_prints_amounts_without_exponent() -> None:
    assert [render.show(v) for v in (None, -6, Decimal("3909.30"), 196.7, Decimal("1E+2"))] == [
        "/",
        "-6",
        "3909.30",
        "196.7",
        "100",
    ]
