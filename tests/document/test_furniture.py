"""Page furniture as the line lexer finds it: by a search of the whole text for a furniture mark
(:data:`~xxgk.document.lexer.FURNITURE_MARKS`) and the %ignore'd terminals tried on those lines only, which must be
the lines those terminals match (not all spaces and tabs) — what trying them on every line finds; and the table run's
cut before the blank lines at a stop (:func:`~xxgk.document.table_run.content_end`)."""

from __future__ import annotations

import functools
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import corpus_files
from xxgk.document import segment
from xxgk.document.lexer import FURNITURE_MARKS
from xxgk.document.lines import Lines
from xxgk.document.parser import parser
from xxgk.document.table_run import content_end
from xxgk.engine import lalr
from xxgk.normalise import normalise


@functools.cache
def lexer() -> Any:
    return lalr.lark_parts(parser())[0]


def ignored_terminals() -> list[str]:
    """The regexes of document.lark's %ignore'd terminals."""
    lark = parser()
    return [t.pattern.to_regexp() for t in lark.terminals if t.name in lark.lexer_conf.ignore]


def not_blank(line: str) -> bool:
    return line.strip(" \t") != ""


@given(st.data())
@settings(max_examples=400, deadline=None)
def test_every_line_an_ignored_terminal_matches_holds_a_mark_or_is_blank(data: st.DataObject) -> None:
    # Fails when a mark is left out of FURNITURE_MARKS, or a FOOTER phrase or DOTS dot is added without one.
    pattern = data.draw(st.sampled_from(ignored_terminals()))
    line = data.draw(st.from_regex(pattern, fullmatch=True).filter(lambda s: "\n" not in s))
    assert not not_blank(line) or any(mark in line for mark in FURNITURE_MARKS), (pattern, line)


def furniture_line_by_line(text: str) -> frozenset[int]:
    """The reference: every line tried against the %ignore'd terminals."""
    ignored, found, start = lexer().ignore, [], 0
    for line in text.split("\n"):
        if not_blank(line) and ignored.match(text, start):
            found.append(start)
        start += len(line) + 1
    return frozenset(found)


_LINES = [
    "扫一扫在手机打开当前页",
    "  打印本页 ",
    "【关闭窗口】",
    "【字体:大 中 小】",
    "分享到:微信 微博",
    "·",
    " • ● ",
    "・・・",
    "• 某某工作",
    "印发文件3件。",
    "扫码办理",
    "服务窗口\t2",
    "共享平台|",
    "阿依古丽·买买提",
    "【说明】",
    "",
    "  ",
    "\t",
    "一、总体情况",
    "正文。",
    "0",
]
_TEXTS = st.lists(
    st.one_of(st.sampled_from(_LINES), st.text(alphabet=FURNITURE_MARKS + "打本页关闭字体分 \t:一", max_size=12)),
    max_size=30,
).map("\n".join)


@given(_TEXTS)
@settings(max_examples=500, deadline=None)
def test_the_lexer_finds_the_furniture_that_trying_every_line_finds(text: str) -> None:
    assert lexer().furniture(text) == furniture_line_by_line(text)


def test_the_lexer_finds_the_corpus_furniture_that_trying_every_line_finds() -> None:
    for path in corpus_files():
        text = normalise(path.read_text(encoding="utf-8")).text
        assert lexer().furniture(text) == furniture_line_by_line(text), path.name


def cuts_line_by_line(text: str, stops: list[int]) -> list[int]:
    """The reference: for each stop, the end of the last line before it with a character other than a space or a
    tab, looked for line by line; before the stop before it when there is none."""
    ends, start = [], 0
    for line in text.split("\n"):
        ends.append((start, start + len(line), not_blank(line)))
        start += len(line) + 1
    cuts, before = [], 0
    for stop in stops:
        content = [end for start, end, kept in ends if before <= start < stop and kept]
        cuts.append(content[-1] if content else max(before - 1, 0) - 1)
        before = stop
    return cuts


@given(st.lists(st.sampled_from(["", " ", "\t \t", "表", "  表 ", "表\t"]), min_size=1, max_size=12), st.data())
@settings(max_examples=500, deadline=None)
def test_a_run_is_cut_at_the_end_of_the_last_line_before_a_stop_that_is_not_blank(
    lines: list[str], data: st.DataObject
) -> None:
    text = "\n".join(lines)
    starts = [sum(len(line) + 1 for line in lines[:i]) for i in range(len(lines))]
    # Stops are lines that are not blank (headings, furniture, the last content lines), and the end.
    kept = [start for start, line in zip(starts, lines, strict=True) if not_blank(line)]
    stops = [*sorted(data.draw(st.sets(st.sampled_from(kept))) if kept else set()), len(text) + 1]
    afters = [0, *(max(stop - 1, 0) for stop in stops[:-1])]
    cuts = [content_end(text, stop, after) for stop, after in zip(stops, afters, strict=True)]
    assert cuts == cuts_line_by_line(text, stops)


def test_a_table_before_blank_lines_and_furniture_ends_at_its_last_line() -> None:
    heading = "三、收到和处理政府信息公开申请情况"
    rest = ["四、政府信息公开行政复议、行政诉讼情况", "正文。", "五、存在的主要问题及改进情况", "正文。"]
    lines = ["一、总体情况", "正文。", "二、主动公开政府信息情况", "正文。", heading, "项目\t数量", "申请\t3 "]
    for tail in (["  ", "\t"], ["", " \t", "打印本页", " ", "结转\t1"], ["【关闭窗口】"]):
        text = "\n".join([*lines, *tail, *rest, "六、其他需要报告的事项", "正文。", "", "  "])
        norm = normalise(text)
        d = segment(norm)
        last = [norm.text[b.start : b.end].split("\n")[-1] for b in d.blocks]
        assert last == ["结转\t1" if "结转\t1" in tail else "申请\t3 "], tail
        furniture = sum(not_blank(t) and "\t" not in t for t in tail)
        assert [x.kind for x in d.diagnostics] == ["document.debris"] * furniture
        assert d == segment(norm, reference=True)


@given(_TEXTS)
@settings(max_examples=500, deadline=None)
def test_the_last_two_content_lines_are_those_of_a_line_by_line_reading(text: str) -> None:
    # Fails when furniture or a blank line is counted, or the first line (no line break before it) is left out.
    src = Lines(normalise(text))
    src.text = text
    src.furniture = lexer().furniture(text)
    starts = [sum(len(line) + 1 for line in text.split("\n")[:i]) for i in range(text.count("\n") + 1)]
    kept = [start for start, line in zip(starts, text.split("\n"), strict=True) if not_blank(line)]
    content = [start for start in kept if start not in src.furniture]
    assert lexer()._last_two(src) == tuple([-1, -1, *content][-2:])
