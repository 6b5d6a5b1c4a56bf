"""What the panel, compare and view share about a report (``xxgk.panel.reports``): the agency key — names folded
for spaces, full/half width, Traditional characters and 关于, self-references (我局, 本机关 …) resolved from the
title."""

from __future__ import annotations

import pytest

from xxgk.panel.reports import agency_key, is_self_reference, normalise_name
from xxgk.records import Report


@pytest.mark.parametrize(
    ("printed", "folded"),
    [
        ("示例市 财政局", "示例市财政局"),
        ("示例市\u3000财政局", "示例市财政局"),
        ("示例市財政局", "示例市财政局"),
        ("南江市ＡＢ局", "南江市AB局"),
        ("关于示例市财政局", "示例市财政局"),
        ("示例市财政局\u200b", "示例市财政局"),
    ],
)
def test_names_fold_to_one_key(printed: str, folded: str) -> None:
    assert normalise_name(printed) == folded


@pytest.mark.parametrize("word", ["我局", "本机关", "本厅", "我委", "本 单位", "我中心"])
def test_self_references(word: str) -> None:
    assert is_self_reference(word)


@pytest.mark.parametrize("name", ["我国", "本溪市财政局", "局", "示例市财政局"])
def test_names_are_not_self_references(name: str) -> None:
    assert not is_self_reference(name)


def bare(agency: str | None, title: str | None) -> Report:
    return Report(source=None, template=None, year=2022, agency=agency, title=title)


def test_self_reference_resolved_from_the_title() -> None:
    assert agency_key(bare("我局", "示例县教育局2022年政府信息公开工作年度报告")) == "示例县教育局"
    assert agency_key(bare(None, "2022年示例县教育局政府信息公开工作年度报告")) == "示例县教育局"
    assert agency_key(bare("本机关", None)) is None
    assert agency_key(bare("我局", "我局2022年政府信息公开工作年度报告")) is None
