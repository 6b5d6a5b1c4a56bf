"""The document stage's two ways of running its grammar agree: the fast parse on the project's LALR driver
(:func:`xxgk.document.parser.fast_parse`, what :func:`xxgk.document.segment` tries first) gives what Lark's own parse
gives (``segment(norm, reference=True)``), on generated documents — corpus reports and rendered reports of every
table form, intact and damaged as extraction damages them (lines lost, doubled, swapped, cut; stray cells, tabs,
pipes, headings and blank lines).

About 2,000 documents by default; ``XXGK_DIFFERENTIAL_EXAMPLES=N`` sets the examples of each property (default 800
and 400) to go deeper.
"""

from __future__ import annotations

import functools
import os
import random
import sys
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import corpus_files
from tests.render import FORMS, plain_tables, render_report
from xxgk.document import segment
from xxgk.document.lines import Lines
from xxgk.document.parser import fast_parse, lark_parse, parser
from xxgk.document.tree import BUILDER, reading
from xxgk.engine import lalr
from xxgk.normalise import NormText, normalise

_EXAMPLES = int(os.environ.get("XXGK_DIFFERENTIAL_EXAMPLES", "0"))
_CORPUS = [p.read_text(encoding="utf-8") for p in corpus_files()]
# Lines extraction leaves in a report's way: cells, headings, dates, table punctuation.
_DEBRIS = ["某某情况", "其他", "结果", "总计", "本年新", "0", "", "/", "商业", "审结", "\t", "|", "||||", "\t5", "3 |"]
_DEBRIS += ["一、总体情况", "(三)", "2023年12月31日", "三、收到和处理政府信息公开申请情况", "1、", "- 其他", "报告"]
_HOW = ("lose", "double", "swap", "stray", "cut", "tab", "pipe", "blank", "digit", "join")

Damage = tuple[str, float, int]
damages = st.lists(
    st.tuples(st.sampled_from(_HOW), st.floats(0, 1, exclude_max=True), st.integers(0, len(_DEBRIS) - 1)), max_size=6
)


def damaged(text: str, damage: list[Damage]) -> str:
    """``text`` with each ``(how, where, which)`` of ``damage`` done to the line at fraction ``where`` of it."""
    lines = text.split("\n")
    for how, where, which in damage:
        i = int(where * len(lines))
        line = lines[i]
        if how == "lose" and len(lines) > 1:
            del lines[i]
        elif how == "double":
            lines.insert(i, line)
        elif how == "swap" and i + 1 < len(lines):
            lines[i], lines[i + 1] = lines[i + 1], line
        elif how == "stray":
            lines.insert(i, _DEBRIS[which])
        elif how == "cut" and len(line) > 1:
            lines[i] = line[: 1 + which % (len(line) - 1)]
        elif how == "tab":
            lines[i] = line[1:] if line.startswith("\t") else "\t" + line
        elif how == "pipe":
            lines[i] = line.rstrip("|") if line.endswith("|") else line + " |"
        elif how == "blank":
            lines.insert(i, "")
        elif how == "digit":
            lines[i] = line.replace("1", "7", 1)
        elif how == "join" and i + 1 < len(lines):
            lines[i : i + 2] = [line + lines[i + 1]]
    return "\n".join(lines)


def assert_same(norm: NormText) -> bool:
    """The fast parse's tree (when it takes every line) and document equal Lark's; True when the fast parse took
    the document."""
    fast = fast_parse(Lines(norm))
    if fast is not None:
        assert fast == lark_parse(Lines(norm))
    assert segment(norm) == segment(norm, reference=True)
    return fast is not None


def _settings(default: int) -> Any:
    return settings(
        max_examples=_EXAMPLES or default, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None
    )


@_settings(800)
@given(st.sampled_from(_CORPUS), st.booleans(), damages)
def test_fast_parse_is_larks_on_damaged_corpus_reports(text: str, no_blank_lines: bool, damage: list[Damage]) -> None:
    if no_blank_lines:
        text = "\n".join(line for line in text.split("\n") if line.strip())
    assert_same(normalise(damaged(text, damage) or " "))


@_settings(400)
@given(st.data(), st.sampled_from(("2019", "2021")), st.sampled_from(FORMS), st.booleans(), damages)
def test_fast_parse_is_larks_on_rendered_reports(
    data: st.DataObject, template: str, form: str, wrapped: bool, damage: list[Damage]
) -> None:
    tables = data.draw(plain_tables(template))
    text = render_report(tables, template, form, wrapped=wrapped and form in ("paragraphs", "tab_rows"))
    assert_same(normalise(damaged(text, damage)))


def test_fast_parse_takes_the_corpus_and_agrees_on_damaged_copies() -> None:
    """Not a vacuous comparison: the fast parse takes every corpus report (so the two parses are compared, not Lark's
    with itself), and 800 damaged copies drawn with a fixed seed, several damages each, agree too."""
    assert all(assert_same(normalise(text)) for text in _CORPUS)
    rng = random.Random(13)
    for _ in range(800):
        damage = [(rng.choice(_HOW), rng.random(), rng.randrange(len(_DEBRIS))) for _ in range(rng.randint(1, 6))]
        assert_same(normalise(damaged(rng.choice(_CORPUS), damage)))


def test_one_builder_reads_the_report_of_its_own_context() -> None:
    """The fast parse's builder is one instance (its callbacks are made once); the report it reads is the one
    ``tree.reading`` sets for the current context.  A report segmented inside another's reading gives its own
    document and leaves the outer one in place; threads switching every microsecond each get their own."""
    texts = [normalise(text) for text in _CORPUS[:5]]
    alone = [segment(norm) for norm in texts]
    outer = Lines(texts[0])
    with reading(outer):
        assert [segment(norm) for norm in texts] == alone
        assert BUILDER.src is outer
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        with ThreadPoolExecutor(4) as pool:
            together = list(pool.map(segment, texts * 8))
    finally:
        sys.setswitchinterval(interval)
    assert together == alone * 8


def test_the_fast_parse_takes_inlined_rules_as_lists() -> None:
    """The fast parse's reductions do not fall back to Lark's tree callbacks (the comparisons above would still pass,
    only slower): an inlined rule of the document grammar is a list, none is a tree made by a ``partial``."""
    callbacks = lalr.inlined_as_lists(parser(), BUILDER)
    assert not any(isinstance(callback, functools.partial) for callback in callbacks.values())
    assert any(isinstance(callback, functools.partial) for callback in lalr.embedded(parser(), BUILDER).values())
