"""The normaliser: each debris kind, decoding, and the offset map back to the original."""

from __future__ import annotations

import codecs
import html
import re
from collections.abc import Callable
from unittest import mock

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import xxgk
from tests.conftest import corpus_files
from xxgk.errors import InputError
from xxgk.normalise import debris, decode, normalise
from xxgk.normalise import text as normalise_text
from xxgk.normalise.chars import WIDTH, converter, fold_width
from xxgk.normalise.offsets import Edit, line_offsets


def kinds(text: str) -> list[str]:
    return [e.kind for e in normalise(text).edits]


@pytest.mark.parametrize(
    ("raw", "clean", "kind"),
    [
        ("[bookmark: _Hlk62139238](一)主动公开", "(一)主动公开", "bookmark"),
        ("(七)总计 [bookmark: _GoBack]43", "(七)总计 43", "bookmark"),
        ("情况</span>如下", "情况如下", "html_tag"),
        ('<span style="x">情况</span>', "情况", "html_tag"),
        ("情况&nbsp;如下", "情况 如下", "html_entity"),
        ("?。?/span>二)依申请公开", "二)依申请公开", "mojibake"),
        ("錫山區(qū)人社局數(shù)據(jù)", "锡山区人社局数据", "pinyin"),
        ("區(qū)數(shù)據(jù)的(de)", "区数据的", "pinyin"),
        ("a\u200bb", "ab", "invisible"),
        ("## 一、总体情况", "一、总体情况", "markdown"),
        ("**(一)主动公开**", "(一)主动公开", "markdown"),
        ("规章 0 0 5\n- 4 -\n", "规章 0 0 5\n\n", "page_number"),
        ("第 4 页 共 12 页", "", "page_number"),
        ("—12—", "", "page_number"),
    ],
)
def test_debris_removed(raw: str, clean: str, kind: str) -> None:
    assert normalise(raw).text == clean
    assert kind in kinds(raw)


@pytest.mark.parametrize(
    "kept",
    ["(一)予以公开", "本年收费金额(单位:万元)", "下载(PDF)文件", "第(a)项", "第4页的表", "- 5", "共 # 项", "2 * 3"],
)
def test_pinyin_guard_keeps_real_brackets(kept: str) -> None:
    assert normalise(kept).text == kept


def test_ruby_needs_the_habit() -> None:
    assert normalise("區(qū)和(he)").text == "区(qū)和(he)"


def test_the_habit_counts_ruby_after_a_han_character_only() -> None:
    assert normalise("A(qū)B(qū)C(qū)和(he)").text == "A(qū)B(qū)C(qū)和(he)"
    assert normalise("區(qū)和(hé)A(qū)").text == "区(qū)和(hé)A(qū)"
    assert normalise("區(qū)和(hé)數(shù)A(qū)").text == "区和数A(qū)"


def test_traditional_to_simplified() -> None:
    assert normalise("政府信息公開工作年度報告 行政強製").text == "政府信息公开工作年度报告 行政强制"
    assert "traditional" in kinds("公開")


def test_width_folding() -> None:
    assert normalise("（一）予以公开：１２，３").text == "(一)予以公开:12,3"
    assert normalise("第一项、第二项。“三安全一稳定”").text == "第一项、第二项。“三安全一稳定”"


def test_line_ends() -> None:
    norm = normalise("一、总体情况\r\n正文\r二、主动公开\n")
    assert norm.text == "一、总体情况\n正文\n二、主动公开\n"
    assert norm.locate(norm.text.index("二")) == (3, 1)


def test_positions_point_into_the_original() -> None:
    raw = "[bookmark: _Hlk1]錫山區(qū)人社局數(shù)據(jù)\n?。?/span>二)依申請公開\n"
    norm = normalise(raw)
    assert norm.text == "锡山区人社局数据\n二)依申请公开\n"
    assert norm.locate(norm.text.index("人")) == (1, 25)
    assert raw.splitlines()[0][24] == "人"
    line, col = norm.locate(norm.text.index("二"))
    assert raw.splitlines()[line - 1][col - 1] == "二"


def test_diagnostics_have_original_positions() -> None:
    diags = normalise("第一行\n情况[bookmark: _GoBack]43\n").diagnostics()
    (d,) = [d for d in diags if d.kind == "normalise.bookmark"]
    assert (d.line, d.column, d.excerpt) == (2, 3, "[bookmark: _GoBack]")


# Characters that no pass changes, so each can be found again at the position the map gives for it.
_PLAIN = st.text(alphabet="一二三总体情况公开申请0123456789、。 \n", min_size=1, max_size=40)
_DEBRIS = st.sampled_from(
    ["[bookmark: _Hlk1]", "</span>", "&nbsp;", "?。?", "(qū)", "\u200b", "\r\n", "公開", "（", "："]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(_PLAIN, _DEBRIS), min_size=1, max_size=12))
def test_offset_map_round_trip(parts: list[str]) -> None:
    raw = "".join(parts)
    norm = normalise(raw)
    assert norm.text.count("\n") == len(re.findall(r"\r\n|\r|\n", raw))
    lines = raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for i, ch in enumerate(norm.text):
        if ch in "一二三总体情况申请0123456789、。":
            line, col = norm.locate(i)
            assert lines[line - 1][col - 1] == ch


# Stand-ins for an OpenCC phrase conversion that changes a line's length, so that the per-line map is composed
# with the debris map: one makes lines shorter, one longer (both at once could leave the text's length unchanged).
_RESIZE = {"乾隆": "乾", "一二": "一二三"}


def _resizing_t2s(olds: tuple[str, ...]) -> Callable[[str], str]:
    convert = converter()

    def resize(text: str) -> str:
        text = convert(text)
        for old in olds:
            text = text.replace(old, _RESIZE[old])
        return text

    return resize


# Each alone, and both at once: a line that shrinks and one that grows can leave the text's length unchanged.
@pytest.mark.parametrize("olds", [(old,) for old in _RESIZE] + [tuple(_RESIZE)])
@settings(max_examples=100, deadline=None)
@given(parts=st.lists(st.one_of(_PLAIN, _DEBRIS, st.sampled_from(list(_RESIZE))), min_size=1, max_size=12))
@example(parts=["乾隆\n总\n一二"])  # the middle line moves left by one while the text keeps its length
def test_offset_map_round_trip_through_a_length_change(olds: tuple[str, ...], parts: list[str]) -> None:
    raw = "".join(parts)
    with mock.patch.object(normalise_text, "t2s", _resizing_t2s(olds)):
        norm = normalise(raw)
    lines = raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    pos = 0
    for norm_line in norm.text.split("\n"):
        # A resized line is anchored at its start only, so only the other lines are exact to the column.
        if not any(_RESIZE[old] in norm_line for old in olds):
            for i, ch in enumerate(norm_line, pos):
                if ch in "总体情况申请0123456789、。":
                    line, col = norm.locate(i)
                    assert lines[line - 1][col - 1] == ch
        pos += len(norm_line) + 1


def _summary_of_lines(before: str, after: str) -> tuple[int, int]:
    """A conversion's summary read plainly: the start of the first line that differs, and how many differ."""
    pairs = list(zip(before.split("\n"), after.split("\n"), strict=True))
    first = next(i for i, (a, b) in enumerate(pairs) if a != b)
    return sum(len(a) + 1 for a, _ in pairs[:first]), sum(a != b for a, b in pairs)


# The summary of each conversion as recorded where it is made (width folding: the lines holding a character of its
# class; OpenCC: the lines compared, whole or, where a line's length changes, line by line) is the plain reading.
@pytest.mark.parametrize("olds", [(), (*_RESIZE,)])
@settings(max_examples=200, deadline=None)
@given(parts=st.lists(st.one_of(_PLAIN, _DEBRIS, st.sampled_from([*_RESIZE, "\n", "Ａ", "\u3000", "總"])), max_size=16))
@example(parts=["一\n二", "（"])  # the first line changed is not the first line
def test_a_conversions_summary_is_its_lines(olds: tuple[str, ...], parts: list[str]) -> None:
    with mock.patch.object(normalise_text, "t2s", _resizing_t2s(olds)):
        norm = normalise("".join(parts) or "一")
    for c in norm._conversions:
        assert (c.first_line, c.lines_changed) == _summary_of_lines(c.before, c.after)


def test_locate_many_is_locate() -> None:
    raw = "[bookmark: _Hlk1]（一）公開\r\n情况</span>如下&nbsp;\r\n\r\n數據\n"
    norm = normalise(raw)
    offsets = range(len(norm.text) + 3)
    for order in (list(offsets), list(reversed(offsets))):
        assert list(zip(*norm.locate_many(order), strict=True)) == [norm.locate(p) for p in order]
        assert list(zip(*norm.locate_many(order, 2), strict=True)) == [norm.locate(p + 2) for p in order]
    assert norm.locate_many([]) == ([], [])
    plain = normalise("一\n二三\n")  # a map of one piece
    assert list(zip(*plain.locate_many(range(8), 1), strict=True)) == [plain.locate(p) for p in range(1, 9)]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="一公开（）：，１２Ａｚ\u3000\u00a0 a\n", max_size=60))
def test_fold_width_is_translate(text: str) -> None:
    assert fold_width(text) == text.translate(WIDTH)


@given(st.lists(st.text(alphabet="一a ", max_size=4), min_size=1, max_size=8))
def test_line_offsets_are_where_the_lines_start(lines: list[str]) -> None:
    joined = "\n".join(lines)
    assert list(line_offsets(lines)) == [0, *(i + 1 for i, ch in enumerate(joined) if ch == "\n")]


def _debris_tried_everywhere(text: str) -> tuple[str, list[tuple[str, int, int, str, str]]]:
    """What remove_debris does, with the kinds tried at every position of ``text`` rather than at its candidates."""
    habit = len(re.findall("(?<=[\u3400-\u9fff])" + debris._TONED_RUBY, text)) >= debris._RUBY_MIN
    kinds = re.compile("|".join((*debris._DEBRIS_KINDS, debris._RUBY)) if habit else debris._DEBRIS)
    edits, parts, pos = [], [], 0
    for m in kinds.finditer(text):
        kind = m.lastgroup or "debris"
        repl = html.unescape(m[0]).translate(WIDTH) if kind == "html_entity" else ""
        if kind == "html_entity" and repl == m[0]:
            continue
        parts += [text[pos : m.start()], repl]
        edits.append((kind, m.start(), m.end(), m[0], repl))
        pos = m.end()
    return "".join(parts) + text[pos:], edits


_DEBRIS_PARTS = ["[bookmark: _Hlk1]", "</span>", "<b>", "?/span>", "&nbsp;", "&amp;", "&zzz;", "?。?", "\ufffd"]
_DEBRIS_PARTS += ["\u200b", "## ", "#", "**", "*", "- 4 -", "—4—", "第 4 页", "第4页 共9页", "-", "—", "第", "(qū)"]
_DEBRIS_PARTS += ["（mā）", "(a)", "一", "规章", "\n", " ", "|---|", "4", "(", "?", "/", "&", "<"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_DEBRIS_PARTS), max_size=24).map("".join))
def test_debris_candidates_are_every_place_a_kind_matches(text: str) -> None:
    edits: list[Edit] = []
    cleaned, _ = debris.remove_debris(text, edits, lambda pos: pos)
    assert (cleaned, [tuple(e) for e in edits]) == _debris_tried_everywhere(text)


def test_the_debris_comparison_can_fail() -> None:
    """Candidates that leave out a kind's first character (the dash of a page number) miss it: the ways differ."""
    text = "一\n- 4 -"
    assert _debris_tried_everywhere(text)[1] == [("page_number", 2, 7, "- 4 -", "")]
    with mock.patch.object(debris, "_LINE_STARTS", "\n[#]"):
        assert debris.remove_debris(text, [], lambda pos: pos)[0] == text


@pytest.mark.parametrize("raw", ["一<a\n>二\n三", "一/span\n>二\n三", "一<font color\n=red>二"])
def test_a_tag_is_never_removed_with_a_line_end(raw: str) -> None:
    assert normalise(raw).text.count("\n") == raw.count("\n")


def test_line_count_is_invariant_on_the_corpus() -> None:
    for path in corpus_files():
        data = path.read_bytes()
        norm = normalise(data)
        assert norm.text.count("\n") == decode(data).replace("\r\n", "\n").replace("\r", "\n").count("\n")


def test_decode_utf8_bom_and_gb18030() -> None:
    text = "一、总体情况\n公开申请85件\n"
    assert decode(codecs.BOM_UTF8 + text.encode()) == text
    assert decode(text.encode("gb18030")) == text
    assert decode(text.encode("gbk")) == text


@pytest.mark.parametrize(("data", "why"), [(b"", "empty"), (b"  \n", "empty"), (b"\x00\x01\x02abc" * 10, "binary")])
def test_decode_rejects(data: bytes, why: str) -> None:
    with pytest.raises(InputError, match=why):
        decode(data)


def test_lone_surrogates_in_a_str_are_debris_not_a_crash() -> None:
    """A ``str`` decoded with ``surrogateescape`` (or JSON's ``\\ud800``) holds lone surrogates, which neither OpenCC
    nor UTF-8 output takes: each is removed as a stray byte is, with a diagnostic at its line:column."""
    report = xxgk.parse("一、总体情况\n\ud800本年度\udcff公开\n")
    removed = [(d.kind, d.line, d.column) for d in report.diagnostics if d.kind == "normalise.mojibake"]
    assert removed == [("normalise.mojibake", 2, 1), ("normalise.mojibake", 2, 5)]
    assert "本年度公开" in xxgk.to_json(report)


@pytest.mark.parametrize("olds", [(), *((old,) for old in _RESIZE), tuple(_RESIZE)])
@settings(max_examples=150, deadline=None)
@given(
    parts=st.lists(st.one_of(_PLAIN, _DEBRIS, st.sampled_from(list(_RESIZE))), min_size=1, max_size=12),
    data=st.data(),
)
def test_locate_lines_is_locate(olds: tuple[str, ...], parts: list[str], data: st.DataObject) -> None:
    """Positions given as lines and columns of a span of whole lines (some of its characters, in order) are where
    locate puts them, whether their lines are in place or not."""
    with mock.patch.object(normalise_text, "t2s", _resizing_t2s(olds)):
        norm = normalise("".join(parts))
    starts = line_offsets(norm.text.split("\n"))
    i = data.draw(st.integers(0, len(starts) - 1))
    j = data.draw(st.integers(i + 1, len(starts)))
    start, end = starts[i], starts[j] - 1 if j < len(starts) else len(norm.text)
    positions = [p for p in range(start, end) if data.draw(st.booleans())]
    first = norm.locate(start)[0]
    lines = [first + norm.text.count("\n", start, p) for p in positions]
    columns = [p - starts[line - first + i] + 1 for p, line in zip(positions, lines, strict=True)]
    located = [norm.locate(p) for p in positions]
    assert list(zip(*norm.locate_lines(start, end, first, lines, columns), strict=True)) == located


def test_lines_in_place_are_not_located() -> None:
    """Lines and columns are kept, the very lists, where no length the normaliser changed is on the span's lines or
    before their characters; a change on one line moves only that line's positions."""
    norm = normalise("公開&nbsp;数\n一二\n四\n[bookmark: _Hlk1]三\n五\n")
    assert norm.text == "公开 数\n一二\n四\n三\n五\n"
    lines, columns = [2, 2], [1, 2]
    assert norm.locate_lines(5, 7, 2, lines, columns)[0] is lines
    assert norm.locate_lines(5, 9, 2, [*lines, 3], [*columns, 1]) == ([2, 2, 3], [1, 2, 1])
    lines, columns = [1, 1, 2, 4, 5], [1, 4, 2, 1, 1]
    assert norm.locate_lines(0, 13, 1, lines, columns) == ([1, 1, 2, 4, 5], [1, 9, 2, 18, 1])


def test_a_grown_line_is_located() -> None:
    """A line a conversion made longer is anchored at its start only: its last characters are put where locate puts
    them (on the next line of the original), as the anchor at the next line's start tells."""
    with mock.patch.object(normalise_text, "t2s", _resizing_t2s(("一二",))):
        norm = normalise("一二一二\n0")
    assert norm.text == "一二三一二三\n0"
    located = [norm.locate(p) for p in range(6)]
    assert located[-1] == (2, 1)
    assert list(zip(*norm.locate_lines(0, 6, 1, [1] * 6, list(range(1, 7))), strict=True)) == located
