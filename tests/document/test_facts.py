"""The facts of a whole report, decided once by the document stage (``xxgk.document.segment``) and read by the
checks: the template, the one year the title names, and the statistics periods the text states."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.document.test_document import SKELETON, doc
from xxgk import schema
from xxgk.document import facts, segment
from xxgk.document.template import detect_template
from xxgk.normalise import normalise
from xxgk.records import Period, Section


@pytest.mark.parametrize(
    ("wording", "template"),
    [
        ("本年制发件数 现行有效件数", "2021"),
        ("本年新制作数量 对外公开总数量", "2019"),
        ("本年制发件数 本年新制作数量", None),  # a tie: the text does not tell
        ("", None),
    ],
)
def test_template_from_the_tables_wording(wording: str, template: str | None) -> None:
    assert doc("某局2023年政府信息公开工作年度报告", *SKELETON, wording).template == template


def test_a_pre2019_report_without_template_wording_is_pre2019() -> None:
    d = doc("一、概述", "正文。", "三、依申请公开政府信息情况", "四、政府信息公开的收费及减免情况")
    assert (d.pre2019, d.template) == (True, "pre2019")
    assert doc("一、概述", "三、依申请公开政府信息情况", "本年制发件数 现行有效件数").template == "2021"


@pytest.mark.parametrize(
    ("title", "year"),
    [
        ("某局2023年政府信息公开工作年度报告", 2023),
        ("某局2023 年度政府信息公开工作年度报告", 2023),
        ("某局2022年至2023年政府信息公开工作报告", None),  # two years: the title does not tell which
        ("某局政府信息公开工作年度报告", None),
    ],
)
def test_the_one_year_the_title_names(title: str, year: int | None) -> None:
    assert doc(title, *SKELETON).title_year == year


def test_statistics_periods_with_their_section() -> None:
    d = doc(
        "某局2023年政府信息公开工作年度报告",
        *SKELETON[:5],
        "统计期限为2022年12月1日至2023年11月30日。",
        SKELETON[5],
        "本报告统计时限为2022年。统计期限自2022年1月1日起至2022年12月31日止。",
        "统计期间自2021年1月1日起。",
    )
    problems, other = d.sections[4], d.sections[5]
    assert d.periods == (
        Period(2022, False, problems),
        Period(2022, True, other),
        Period(2022, True, other),
        Period(2021, False, other),  # where it ends is not said
    )
    assert d.year == 2023  # the title's


def test_the_year_from_a_period_that_is_not_a_whole_year() -> None:
    assert doc(*SKELETON, "统计期间自2021年1月1日起。").year == 2021


# The regex that _without_spaces_between_han replaced (its Han lookarounds cost a one-file run 2 ms to compile).
_HAN_SPACES = re.compile(r"(?<=[\u3400-\u9fff])[^\S\n]+(?=[\u3400-\u9fff])")


@given(st.text(alphabet="中文a1 \t\n\u3000\u33ff\u3400\u9fff\ua000", max_size=30))
@settings(max_examples=500, deadline=None)
def test_spaces_between_han_go_as_the_lookaround_regex_took_them(text: str) -> None:
    assert facts._without_spaces_between_han(text) == _HAN_SPACES.sub("", text)


@given(st.lists(st.sampled_from([m for ms in schema.TEMPLATE_MARKERS.values() for m in ms] + ["正文", "本年", "。"])))
def test_the_template_is_the_count_of_every_marker(words: list[str]) -> None:
    """The template is the one with more of its markers in the text (a tie: none), as the lexer's scan finds them."""
    text = "\n".join(words)
    score = {t: sum(marker in text for marker in markers) for t, markers in schema.TEMPLATE_MARKERS.items()}
    best = max(score, key=lambda t: score[t])
    tie = list(score.values()).count(score[best]) > 1
    assert segment(normalise(text)).template == (None if score[best] == 0 or tie else best)


@given(st.sets(st.sampled_from([m for ms in schema.TEMPLATE_MARKERS.values() for m in ms] + ["正文", "本年"])))
def test_detect_template_counts_each_templates_markers(markers: set[str]) -> None:
    """detect_template looks each marker up: the same answer as counting every template's phrases in ``markers``."""
    score = {t: sum(phrase in markers for phrase in phrases) for t, phrases in schema.TEMPLATE_MARKERS.items()}
    best = max(score, key=lambda t: score[t])
    tie = list(score.values()).count(score[best]) > 1
    assert detect_template(markers) == (None if score[best] == 0 or tie else best)


def _walk(sections: tuple[Section, ...]) -> list[Section]:
    return [s for section in sections for s in (section, *_walk(section.children))]


_PERIOD_LINES = [
    *SKELETON,
    "(一)统计期限为2022年12月1日至2023年11月30日。",
    "本报告统计时限为2022年。",
    "统计期间自2021年1月1日起。",
    "统计",
    "统",
    "计期限为2022年。",
    "正文。",
]


@given(st.lists(st.sampled_from(_PERIOD_LINES), max_size=12))
@settings(max_examples=300, deadline=None)
def test_the_periods_are_every_sections_in_document_order(lines: list[str]) -> None:
    """A text without 统计 is not walked for periods: the same periods as asking every section (fails when the text
    is searched for one period word)."""
    d = segment(normalise("\n".join(lines)))
    assert d.periods == tuple(p for s in _walk(d.sections) for p in facts.periods(s))


# TITLE_TAIL as facts.lark first wrote it (its optional words, before one alternative per first word).
_PLAIN_TITLE_TAIL = re.compile(r"(?:政府)?(?:信息公开)?(?:工作)?(?:年度)?(?:工作)?报告.*$")


@given(st.lists(st.sampled_from(["政府", "信息公开", "工作", "年度", "报告", "某局", "2023年", "政", "报", " "])))
@settings(max_examples=1000, deadline=None)
def test_the_title_tail_is_its_plain_reading(words: list[str]) -> None:
    # Fails when an alternative is left out (信息公开工作报告 kept in the agency) or loses its 报告.
    title = "".join(words)
    assert facts._title_tail().sub("", title) == _PLAIN_TITLE_TAIL.sub("", title)
