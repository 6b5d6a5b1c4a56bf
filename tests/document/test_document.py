"""The document grammar (stage 2) on snippets: enumerators, damaged headings, titles, tables, and the five seeds."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import CORPUS, corpus_files, gold_files, load_gold, pending
from xxgk import schema
from xxgk.document import segment
from xxgk.document.headings import (
    PHRASE_MAX,
    PRE2019_WORDS,
    TEMPLATE_WORDS,
    document_words,
    skeleton,
    split_heading,
    title_key,
)
from xxgk.document.lines import Lines
from xxgk.document.parser import parser
from xxgk.document.table_run import run_pattern
from xxgk.engine import lalr
from xxgk.normalise import normalise
from xxgk.records import Document, Section

SKELETON = [
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
]
KEYS = ["overview", "active_disclosure", "applications", "reviews", "problems", "other"]


def doc(*lines: str) -> Document:
    return segment(normalise("\n".join(lines)))


def report(overview: list[str] | None = None, **bodies: list[str]) -> Document:
    """A minimal report: the six headings, the overview body given, other bodies by key (default: one line)."""
    lines = ["某某局2023年政府信息公开工作年度报告"]
    for heading, key in zip(SKELETON, KEYS, strict=True):
        lines.append(heading)
        lines.extend(overview if key == "overview" and overview is not None else bodies.get(key, ["正文。"]))
    return doc(*lines)


def section(d: Document, key: str) -> Section:
    return next(s for s in d.sections if s.key == key)


def kinds(sections: tuple[Section, ...]) -> list[tuple[str, str | None, str]]:
    return [(s.kind, s.number, s.title) for s in sections]


def diag_kinds(d: Document) -> list[str]:
    return [x.kind for x in d.diagnostics]


# --- enumerator forms ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "kind", "number", "title"),
    [
        ("(一)主动公开情况", "paren_cn", "(一)", "主动公开情况"),
        ("（二）依申请公开方面", "paren_cn", "(二)", "依申请公开方面"),
        ("(三) 不予公开", "paren_cn", "(三)", "不予公开"),
        ("1、夯实基础,完善机制。2020年我局…", "arabic", "1", "夯实基础,完善机制"),
        ("2.其他法律行政法规禁止公开", "arabic", "2", "其他法律行政法规禁止公开"),
        ("(1)网站建设", "paren_arabic", "(1)", "网站建设"),
        ("①政务微博", "circled", "①", "政务微博"),
        ("一是加大重点信息公开。推出专栏。", "ordinal", "一", "加大重点信息公开"),
        ("- 政府信息管理情况", "bullet", "-", "政府信息管理情况"),
    ],
)
def test_every_enumerator_form_is_a_child(line: str, kind: str, number: str, title: str) -> None:
    d = report(overview=[line, "正文。"])
    (child,) = section(d, "overview").children
    assert (child.kind, child.number, child.title) == (kind, number, title)


def test_enumerators_nest_by_rank() -> None:
    d = report(
        overview=[
            "(一)主动公开",
            "1、网站",
            "(1)栏目",
            "①专栏",
            "一是加强。",
            "二是完善。",
            "2、微博",
            "(二)依申请公开",
        ]
    )
    first, second = section(d, "overview").children
    assert kinds((first, second)) == [("paren_cn", "(一)", "主动公开"), ("paren_cn", "(二)", "依申请公开")]
    one, two = first.children
    assert one.title == "网站" and two.title == "微博"
    (paren,) = one.children
    (circled,) = paren.children
    assert [c.number for c in circled.children] == ["一", "二"]


def test_heading_with_text_on_the_same_line() -> None:
    d = report(overview=["(五)监督保障情况。我局政府信息公开工作由办公室承担。"])
    (child,) = section(d, "overview").children
    assert child.title == "监督保障情况"
    assert child.text == "我局政府信息公开工作由办公室承担。"


def test_in_paragraph_ordinals_stay_text() -> None:
    d = report(problems=["主要表现在一是能力有待提高。二是参与度有待提升。"])
    problems = section(d, "problems")
    assert problems.children == ()
    assert "一是能力" in problems.text


def test_line_initial_ordinals_are_children_of_their_heading() -> None:
    d = report(overview=["(一)主动公开情况", "一是加大公开。内容。", "二是创新宣传。内容。", "(二)依申请公开"])
    first = section(d, "overview").children[0]
    assert kinds(first.children) == [("ordinal", "一", "加大公开"), ("ordinal", "二", "创新宣传")]
    assert len(section(d, "overview").children) == 2


def test_split_heading_long_first_sentence_cuts_at_the_comma() -> None:
    line = "(二)加强我局政府信息公开内容的日常维护工作,强化网络安全责任意识,严格做好日常自查自纠,认真排查风险隐患。"
    h = split_heading(line, "paren_cn", None)
    assert h.title.endswith("日常维护工作")
    assert h.text.startswith("强化网络安全")


def _title_and_text(body: str) -> tuple[str, str]:
    """The rule split_heading follows, written plainly: the title ends at the first stop within a phrase's length,
    else at the first comma within it, else it is all of the body."""
    for marks in ("。:;", ","):
        cut = next((i for i, c in enumerate(body[: PHRASE_MAX + 1]) if c in marks), None)
        if cut is not None:
            return body[:cut].strip(), body[cut + 1 :].strip()
    return body, ""


@given(st.text(alphabet="一二(三)1、.,。:;是 \t情况a", max_size=70))
@settings(max_examples=500, deadline=None)
def test_a_heading_title_ends_at_the_first_stop_else_the_first_comma(line: str) -> None:
    heading = split_heading(line, "none", None)
    assert (heading.title, heading.text) == _title_and_text(line.strip())


# --- damaged section headings ---------------------------------------------------------------------------------------


def test_bullets_standing_for_section_numbers() -> None:
    lines = ["XX局2023年政府信息公开年度报告", "一、总体情况", "正文。", "- 主动公开政府信息情况", "第二十条第(一)项 |"]
    d = doc(*lines, "- 收到和处理政府信息公开申请情况", "申请人情况 |", *SKELETON[3:])
    assert [s.key for s in d.sections] == KEYS
    repaired = [x for x in d.diagnostics if x.kind == "heading.repaired"]
    assert [(x.line, x.column) for x in repaired] == [(4, 1), (6, 1)]


def test_lost_bracket_after_noise() -> None:
    d = normalise("一、总体情况\n(一)主动公开情况\n?。?/span>二)依申请公开办理情况\n正文。")
    doc_ = segment(d)
    children = section(doc_, "overview").children
    assert kinds(children) == [("paren_cn", "(一)", "主动公开情况"), ("paren_cn", "二)", "依申请公开办理情况")]
    (repair,) = [x for x in doc_.diagnostics if x.kind == "heading.repaired"]
    assert (repair.line, repair.column) == (3, 10)  # column in the ORIGINAL line, after the noise


def test_arabic_numbers_at_the_top_level_and_leading_spaces() -> None:
    d = doc(
        "一、总体情况",
        "正文。",
        "2、 主动公开政府信息情况",
        "\t第二十条第(一)项",
        "3、 收到和处理政府信息公开申请情况",
        "\t申请人情况",
        "4、 因政府信息公开工作被申请行政复议、提起行政诉讼情况",
        "\t行政复议",
        "    五、存在的主要问题及改进情况",
        "正文。",
        "六、其他需要报告的事项",
    )
    assert [s.key for s in d.sections] == KEYS
    assert [s.number for s in d.sections] == ["一", "2", "3", "4", "五", "六"]
    assert diag_kinds(d).count("heading.repaired") == 4


def test_arabic_item_with_a_section_title_is_not_a_section() -> None:
    d = report(overview=["1、主动公开政府信息情况", "正文。"])
    assert kinds(section(d, "overview").children) == [("arabic", "1", "主动公开政府信息情况")]
    assert [s.key for s in d.sections] == KEYS


def test_headings_without_numbers_and_with_trailing_space() -> None:
    d = doc("总体情况", "正文。", "二、 主动公开政府信息情况", "\t规章", *SKELETON[2:])
    assert [s.key for s in d.sections] == KEYS
    assert d.sections[0].kind == "none" and d.sections[0].number is None
    assert "heading.repaired" in diag_kinds(d)


def test_title_variants_of_the_skeleton() -> None:
    d = doc(
        "一、概述",
        "正文。",
        "二、行政机关主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况",
        "五、存在的主要问题及改进措施",
        "六、其他需报告的事项",
    )
    assert [s.key for s in d.sections] == KEYS


def test_section_numerals_without_their_comma_and_more_wordings_of_section_five() -> None:
    d = doc("一总体情况", "正文。", "二 主动公开政府信息情况", *SKELETON[2:4], "五、存在不足及改进措施", SKELETON[5])
    assert [s.key for s in d.sections] == KEYS
    assert [(s.kind, s.number, s.title) for s in d.sections[:2]] == [
        ("cn", "一", "总体情况"),
        ("cn", "二", "主动公开政府信息情况"),
    ]
    assert diag_kinds(d).count("heading.repaired") == 2
    d = doc(*SKELETON[:4], "五、工作中存在的问题和改进情况", SKELETON[5])
    assert [s.key for s in d.sections] == KEYS


def test_a_numeral_that_is_not_the_sections_own_is_no_section() -> None:
    d = doc(SKELETON[0], "三总体情况", "正文。", *SKELETON[1:])
    assert [s.key for s in d.sections] == KEYS
    assert not any("三总体情况" in s.title for s in d.sections)


def test_preamble_listing_the_sections_is_not_a_heading() -> None:
    d = doc(
        "根据《中华人民共和国政府信息公开条例》要求,内容包括总体情况、主动公开政府信息情况、其他需要报告的事项等六个部分。",
        *SKELETON,
    )
    assert d.sections[0].key is None and "六个部分" in d.sections[0].text
    assert [s.key for s in d.sections[1:]] == KEYS


def test_sub_heading_with_a_section_title_stays_a_sub_heading() -> None:
    d = report(overview=["(一)主动公开政府信息情况", "正文。", "(二)依申请公开政府信息情况", "正文。"])
    assert len(section(d, "overview").children) == 2
    assert not d.pre2019


def test_pre2019_reports_are_detected() -> None:
    d = doc(
        "一、概述",
        "正文。",
        "二、主动公开政府信息情况",
        "(一)公开内容",
        "三、依申请公开政府信息情况",
        "四、政府信息公开的收费及减免情况",
        "五、因政府信息公开申请行政复议、提起行政诉讼的情况",
    )
    assert d.pre2019
    assert [s.key for s in d.sections] == ["overview", "active_disclosure", None, None, None]
    assert len(d.sections[1].children) == 1  # no table section in a pre-2019 report


_HEADING_FORMS = [
    "{cn}、{title}",
    "{cn}{title}",
    "{cn} {title}",
    "{n}、{title}",
    "- {title}",
    "{title}",
    "  {cn}、{title}",
]
_CN = "一二三四五六"


@given(
    st.lists(
        st.tuples(
            st.integers(0, 5),
            st.sampled_from(_HEADING_FORMS),
            st.sampled_from(["正文。", "", "依申请公开政府信息情况"]),
        ),
        max_size=8,
    )
)
@settings(max_examples=300, deadline=None)
def test_a_sections_key_is_the_one_its_title_names(headings: list[tuple[int, str, str]]) -> None:
    """The key the lexer records for a skeleton heading (the section index Skeleton.section found, handed on) is
    the key its title names, however the heading is numbered (fails when the index is not handed on with a bare
    numeral's section is given another index)."""
    lines = []
    for index, form, body in headings:
        title = schema.SECTIONS[index][2][-1]
        lines += [form.format(cn=_CN[index], n=index + 1, title=title), body]
    d = doc(*lines)
    for section in d.sections:
        if section.key is not None:
            assert section.key == schema.SECTION_KEYS[skeleton()[title_key(section.title)]], section
    assert any(s.key for s in d.sections) or not any(lines)


# --- title, agency, year, signature ---------------------------------------------------------------------------------


def test_a_title_key_drops_every_space_the_regex_engine_knows() -> None:
    """title_key removes whitespace by str.split: each character the regex \\s matches (up to the ideographic
    space) goes, and nothing else."""
    spaces = [chr(c) for c in range(0x3001) if re.fullmatch(r"\s", chr(c))]
    assert "\u3000" in spaces
    assert all(title_key(f"总{c}体{c}{c}情况{c}。") == "总体情况" for c in spaces)
    assert title_key("总·体_情-况") == "总·体_情-况"


_TITLES = {v for _, _, variants in schema.SECTIONS for v in variants} | set(schema.PRE2019_MARKERS)


def found_words(text: str) -> tuple[bool, set[str]]:
    """What the lexer's scan of ``text`` (document_words) finds: whether a title, and which template markers."""
    words = [m.group() for m in document_words().finditer(text)]
    return any(w not in TEMPLATE_WORDS for w in words), {w for w in words if w in TEMPLATE_WORDS}


def searched_words(text: str) -> tuple[bool, set[str]]:
    """The same by a substring search of each word."""
    return any(title in text for title in _TITLES), {m for m in TEMPLATE_WORDS if m in text}


def test_the_document_words_are_found_in_every_line_that_holds_one() -> None:
    """The scan (a prefix tree of the titles and the template markers) finds in a line the title and the markers
    it holds, wherever: in the corpus's lines, and where one title overlaps or extends another."""
    lines = [line for path in corpus_files() for line in path.read_text(encoding="utf-8").split("\n")]
    lines += [
        "主动公开政府信息",
        "主动公开政府信息情况",
        "存在的问题及改进措施",
        "存在的主要问",
        "政府信息公开行政复议",
    ]
    lines += ["总体概述总体", "概 述", "(二)收到和处理政府信息公开申请", "因政府信息公开申请行政复议、提起诉讼"]
    lines += ["政府集中采购主动公开政府信息情况本年制发件数", "本年收费及减免情况", "第二十条第(九)项基本情况"]
    assert [found_words(line) for line in lines] == [searched_words(line) for line in lines]
    assert any(found_words(line)[0] for line in lines) and not all(found_words(line)[0] for line in lines)


@given(st.lists(st.sampled_from([*_TITLES, *TEMPLATE_WORDS, "本年", "政府", "情况", "改进", "。", "\n"]), max_size=12))
@settings(max_examples=1000, deadline=None)
def test_no_document_word_hides_another(words: list[str]) -> None:
    # Fails when a word is added that ends with what another begins with (a title or marker overlapped unseen).
    text = "".join(words)
    assert found_words(text) == searched_words(text)


def test_no_document_word_ends_with_what_a_pre2019_marker_begins_with() -> None:
    """The scan finds every pre-2019 marker a line holds (in a word of PRE2019_WORDS), so the lexer asks only those
    lines whether they are a pre-2019 heading: a word that ended with a marker's beginning would hide the marker."""
    words = _TITLES | TEMPLATE_WORDS
    for marker in schema.PRE2019_MARKERS:
        assert all(not word.endswith(marker[:k]) for word in words for k in range(1, len(marker)) if word != marker)
    assert {w for w in words if any(m in w for m in schema.PRE2019_MARKERS)} == PRE2019_WORDS


_PRE2019_PIECES = [*schema.PRE2019_MARKERS, *_TITLES, "一、", "(一)", "二、", "依申请", "信息情况", "收费", "。", " "]


@given(st.lists(st.lists(st.sampled_from(_PRE2019_PIECES), max_size=4).map("".join), min_size=1, max_size=8))
@settings(max_examples=300, deadline=None)
def test_a_report_is_pre2019_when_a_line_is_a_pre2019_heading(lines: list[str]) -> None:
    """pre2019 is whether any line of the text is a pre-2019 heading (a 一、 heading naming a marker), whichever
    words the scan found in it (fails when the lines asked are those of the titles only, or of hinted lines without
    a marker word)."""
    norm = normalise("\n".join(lines))
    lexer = lalr.lexer_of(parser())
    src = Lines(norm)
    lexer._scan(src)
    assert src.pre2019 == any(lexer.skeleton.pre2019_heading(line) for line in norm.text.split("\n"))


def test_title_on_one_line() -> None:
    d = doc("浙江省人力资源和社会保障厅2023年政府信息公开工作年度报告", "", *SKELETON)
    assert d.title == "浙江省人力资源和社会保障厅2023年政府信息公开工作年度报告"
    assert (d.agency, d.year) == ("浙江省人力资源和社会保障厅", 2023)


@pytest.mark.parametrize(
    ("first", "second", "agency", "year"),
    [
        ("青岛市人力资源和社会保障局", "2023年政府信息公开工作年度报告", "青岛市人力资源和社会保障局", 2023),
        ("2020年拱墅区人力资源和社会保障局", "政府信息公开工作年度报告", "拱墅区人力资源和社会保障局", 2020),
        ("某某区人民政府2020年度政府信息", "公开工作年度报告", "某某区人民政府", 2020),
        ("示例市 人力资源和社会保障局", "2023 年政府信息公开工作年度报告", "示例市人力资源和社会保障局", 2023),
    ],
)
def test_title_over_two_lines(first: str, second: str, agency: str, year: int) -> None:
    d = doc("", first, second, "", *SKELETON)
    assert d.title == first + second
    assert (d.agency, d.year) == (agency, year)
    assert d.sections[0].key == "overview"


def test_no_title_year_from_the_text_agency_unknown() -> None:
    d = doc("一、总体情况", "本厅认真贯彻《江苏省2019年政务公开工作要点》。", *SKELETON[1:])
    assert (d.title, d.agency, d.year) == (None, None, 2019)


def test_year_from_the_statistics_period_and_agency_from_the_signature() -> None:
    d = doc(
        "政府信息公开工作年度报告",
        *SKELETON,
        "本年度报告中所列数据的统计期限自2022年1月1日起至2022年12月31日止。",
        "无锡市锡山区人力资源和社会保障局",
        "2023年1月10日",
    )
    assert (d.year, d.agency) == (2022, "无锡市锡山区人力资源和社会保障局")
    other = section(d, "other")
    assert "锡山区" not in other.text and "统计期限" in other.text


def test_signature_closes_open_sub_headings_and_footer_is_debris() -> None:
    d = doc(*SKELETON, "(一)收费情况。无。", "某某局", "二〇二四年一月十日", "扫一扫在手机打开当前页")
    assert d.agency == "某某局"
    assert len(section(d, "other").children) == 1
    assert "document.debris" in diag_kinds(d)
    assert not d.unparsed


@pytest.mark.parametrize(
    "furniture", ["扫一扫在手机打开当前页", "打印本页", "【关闭窗口】", "【字体:大 中 小】", "分享到:微信"]
)
def test_each_footer_phrase_is_furniture_in_prose_and_in_a_table(furniture: str) -> None:
    d = report(overview=["正文。", furniture, "正文。"], applications=["项目\t数量", furniture, "申请\t3"])
    assert [x.kind for x in d.diagnostics] == ["document.debris", "document.debris"]
    assert furniture not in section(d, "overview").text
    assert len(d.blocks) == 1 and not d.unparsed


def test_a_line_with_a_footer_phrase_s_character_only_is_no_furniture() -> None:
    # The lexer looks for furniture where a character of a phrase is (扫 印 窗 【 享): a line with one is not furniture.
    d = report(overview=["印发文件3件。", "扫码办理。", "服务窗口2个。", "【说明】", "共享平台。"])
    assert section(d, "overview").text.count("\n") == 4
    assert "document.debris" not in diag_kinds(d)


# --- tables ---------------------------------------------------------------------------------------------------------


def test_a_table_runs_on_over_lines_of_spaces_and_tabs() -> None:
    norm = normalise("\n".join([*SKELETON[:2], "项目\t数量", " \t ", "", "\t", "申请\t3", "  ", "正文。"]))
    d = segment(norm)
    assert [text.split("\n")[-1] for _, text in blocks_text(d, norm.text)] == ["申请\t3"]


def test_the_table_run_needs_lines_of_spaces_and_tabs_ignored() -> None:
    # The run skips such lines in one pass (run_pattern): a grammar that kept them would be read wrong, so it says so.
    with pytest.raises(ValueError, match="ignores no such line"):
        run_pattern({"CELL": "[^\\n]+"}, "(?:FOOTER)", ("CELL",))


def blocks_text(d: Document, text: str) -> list[tuple[str | None, str]]:
    return [(b.section_key, text[b.start : b.end]) for b in d.blocks]


def test_seed000_trap_row_labels_are_cells() -> None:
    lines = [
        "三、收到和处理政府信息公开申请情况",
        "",
        "(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)",
        "",
        "申请人情况",
        "",
        "一、本年新收政府信息公开申请数量",
        "",
        "83",
        "",
        "三、本年度办理结果",
        "",
        "(一)予以公开",
        "",
        "1.属于国家秘密",
        "",
        "四、结转下年度继续办理",
        "",
        "0",
        "",
        "四、政府信息公开行政复议、行政诉讼情况",
        "",
        "行政复议",
        "",
        "5",
    ]
    text = "\n".join([SKELETON[0], "正文。", SKELETON[1], "规章", "0", *lines, *SKELETON[4:]])
    d = segment(normalise(text))
    assert [s.key for s in d.sections] == KEYS
    assert [s.children for s in d.sections[1:4]] == [(), (), ()]
    (_, a), (key_b, b), (key_c, c) = blocks_text(d, text)
    assert a == "规章\n0"
    assert key_b == "applications" and b.startswith("(本列数据") and b.endswith("四、结转下年度继续办理\n\n0")
    assert key_c == "reviews" and c == "行政复议\n\n5"
    assert not d.unparsed


@pytest.mark.parametrize(
    "table",
    [
        ["第二十条第(一)项 |", "|||", "信息内容 |", "15.2255 |", "||"],  # cell | lines (seed 001)
        ["\t第二十条第(一)项", "", "\t本年新", "制作数量", "\t0", "\t/"],  # tab rows, continuation (seeds 002, 003)
        ["第二十条第(一)项 | ||||", "规章 | 0 | 0 | 0 | |"],  # pipe rows (seed 004)
        ["| 信息内容 | 本年制发件数 |", "|---|---|", "| 规章 | 0 |"],  # markdown
        ["第二十条第(一)项", "", "信息内容", "", "0", "", "-6"],  # one cell per line (seed 000)
        # PDF text: a row of values past the 80 characters of a cell (the reviews' fifteen on one line)
        ["行政复议 行政诉讼", "结果维持 结果纠正 其他结果 尚未审结 总计", " ".join(["100000"] * 14 + ["/"])],
    ],
)
def test_each_serialisation_is_one_block(table: list[str]) -> None:
    text = "\n".join([SKELETON[0], "正文。", SKELETON[1], *table, *SKELETON[2:]])
    d = segment(normalise(text))
    (block,) = [b for b in d.blocks if b.section_key == "active_disclosure"]
    assert text[block.start : block.end] == "\n".join(table).strip("\n")
    assert block.line == 4
    assert section(d, "active_disclosure").text == ""


def test_prose_around_a_table_stays_text_and_tables_in_prose_sections_are_found() -> None:
    text = "\n".join(
        [
            SKELETON[0],
            "(一)主动公开",
            "\t信息内容\t数量",
            "\t规章\t1",
            "全年公开信息356条。",
            SKELETON[1],
            "本机关主动公开情况见下表。",
            "\t第二十条第(一)项",
            *SKELETON[2:],
        ]
    )
    d = segment(normalise(text))
    assert [(b.section_key, b.line) for b in d.blocks] == [("overview", 3), ("active_disclosure", 8)]
    assert section(d, "overview").children[0].text == "全年公开信息356条。"
    assert section(d, "active_disclosure").text == "本机关主动公开情况见下表。"


def test_furniture_and_blank_lines_inside_a_table() -> None:
    lines = [
        SKELETON[0],
        "正文。",
        SKELETON[1],
        "\t信息内容\t数量",
        "",
        "  ",
        "\t规章\t1",
        "打印本页",
        "\t规范性文件\t2",
        "",
    ]
    text = "\n".join([*lines, "全年公开信息356条。", "  ", *SKELETON[2:]])
    d = segment(normalise(text))
    assert blocks_text(d, normalise(text).text) == [("active_disclosure", "\n".join(lines[3:9]))]
    assert [(x.kind, x.line) for x in d.diagnostics] == [("document.debris", 8)]
    assert section(d, "active_disclosure").text == "全年公开信息356条。"


def test_a_table_line_with_a_section_title_ends_the_table_only_as_the_next_section() -> None:
    # Line 6 is the title of the section it is in: a cell.  Line 8 heads the next section: it ends the table.
    table, cells = ["\t信息内容\t数量", "主动公开政府信息情况", "3"], ["\t申请\t1", "83"]
    lines = ["某某局2023年政府信息公开工作年度报告", SKELETON[0], "正文。", SKELETON[1], *table, SKELETON[2], *cells]
    text = normalise("\n".join([*lines, *SKELETON[3:]]))
    d = segment(text)
    assert blocks_text(d, text.text) == [("active_disclosure", "\n".join(table)), ("applications", "\n".join(cells))]
    assert [s.key for s in d.sections] == KEYS


def test_no_two_line_terminal_but_the_signature_follows_a_table() -> None:
    """The table run matches its lines against a text cut at the next line that needs a closer look, which is
    right because no terminal it tries looks past its own line: SIGNATURE is left out, and TITLE_HEAD (the title's
    first line) is taken only at the start of a report."""
    from xxgk.document import parser

    assert parser.taken_only_at_start("TITLE_HEAD")


# --- what the grammar cannot place ----------------------------------------------------------------------------------


def test_a_date_in_the_middle_of_a_report_is_an_ordinary_line() -> None:
    d = doc("某某局2023年政府信息公开工作年度报告", SKELETON[0], "2024年1月10日", "全年公开信息356条。", *SKELETON[1:])
    assert section(d, "overview").text == "2024年1月10日\n全年公开信息356条。"
    assert [s.key for s in d.sections] == KEYS
    assert not d.unparsed


def test_signature_and_date_followed_by_text_are_ordinary_lines() -> None:
    d = doc(*SKELETON, "某某局", "2024年1月10日", "附件:统计表。")
    assert section(d, "other").text == "某某局\n2024年1月10日\n附件:统计表。"
    assert not d.unparsed and d.agency is None


def test_the_closing_may_be_followed_by_blank_lines_and_page_furniture() -> None:
    d = doc("某某局2023年政府信息公开工作年度报告", *SKELETON, "某某局", "2024年1月10日", "", "打印本页", "")
    assert section(d, "other").text == ""
    assert d.agency == "某某局"
    assert not d.unparsed


def test_the_date_under_the_title_is_not_a_closing() -> None:
    d = doc("某某局2023年政府信息公开工作年度报告", "2024年1月10日", *SKELETON, "某某局", "2024年1月10日")
    assert d.title == "某某局2023年政府信息公开工作年度报告"
    assert section(d, "other").text == ""
    assert not d.unparsed


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\n\n",
        "某某局",
        "一、",
        "(一)",
        "|||",
        "2024年1月10日",
        "某某局\n2024年1月10日\n2024年1月10日",
        "报告\n报告",
    ],
)
def test_odd_input_never_raises(text: str) -> None:
    d = segment(normalise(text or " "))
    assert isinstance(d, Document)


# --- the seeds ------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module", params=pending(gold_files()))
def seed(request: pytest.FixtureRequest) -> tuple[dict[str, Any], Document]:
    gold = load_gold(request.param)
    return gold, segment(normalise((CORPUS / gold["source"]).read_bytes()))


def test_seed_sections_children_year_agency(seed: tuple[dict[str, Any], Document]) -> None:
    gold, d = seed
    assert [s.key for s in d.sections if s.key] == gold["section_keys"]
    for key, n in gold["children_counts"].items():
        assert len(section(d, key).children) == n, key
    assert d.year == gold["year"]
    if gold.get("agency_contains"):
        assert gold["agency_contains"] in (d.agency or "")
    assert not d.unparsed
    tables = ["active_disclosure", "applications", "reviews"]
    assert [b.section_key for b in d.blocks] == [k for k in tables if k in gold["section_keys"]]


def test_document_grammar_has_no_lalr_conflicts() -> None:
    from xxgk.document.lexer import LineLexer
    from xxgk.engine import grammars

    grammars.load("document", lexer=LineLexer, strict=True)  # strict: a shift/reduce conflict raises
