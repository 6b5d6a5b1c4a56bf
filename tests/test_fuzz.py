"""Property tests: random text, random bytes and damaged corpus documents never raise outside the documented family.

Example counts are bounded (``max_examples=50``) so CI stays fast; there are no timing assertions.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import xxgk
from tests.conftest import corpus_files
from xxgk.export.report import iter_cells
from xxgk.normalise.text import decode
from xxgk.records import Report, Section

# XXGK_FUZZ_EXAMPLES=2000 pytest tests/test_fuzz.py fuzzes deeper on demand.
FUZZ = settings(
    max_examples=int(os.environ.get("XXGK_FUZZ_EXAMPLES", "50")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

CORPUS = [p.read_text(encoding="utf-8") for p in corpus_files()]
CORPUS_CHARS = sorted(set("".join(CORPUS)))
DEBRIS = [
    "[bookmark: _Toc123]",
    "<span style='x'>",
    "</p>",
    "&nbsp;",
    "&#12288;",
    "??",
    "?。?",
    "\ufffd",
    "|",
    " | ",
    "|||",
    "\t",
    "\t\t",
    "\r",
    "\x0c",
    "\u3000",
    "\u200b",
    "(一)",
    "（二）",
    "一、",
    "三、",
    "1.",
    "①",
    "一是",
    "/",
    "-",
    "——",
    "…",
    "合计",
    "总计",
    "第二十条第(一)项",
    "本年新收政府信息公开申请数量",
    "0",
    "85",
    "1,234",
    "12.5",
    "-3",
    "(zhèng)",
    "\n",
    "\n\n",
]
_CELL_SEPARATOR = re.compile(r"(\s*\|\s*|\t+| {2,})")


def line_count(data: str | bytes) -> int:
    """Lines as the normaliser counts them: only CR, LF and CRLF end a line (not form feeds, not U+2028)."""
    text = data if isinstance(data, str) else decode(data)
    return len(re.split(r"\r\n|\r|\n", text))


def sections(secs: tuple[Section, ...]) -> Iterator[Section]:
    for s in secs:
        yield s
        yield from sections(s.children)


def check(data: str | bytes) -> None:
    """Parse ``data``: a Report or a documented exception; every position inside the input; JSON-serialisable."""
    try:
        report = xxgk.parse(data, source="fuzz.txt")
    except xxgk.XxgkError as exc:
        assert isinstance(data, bytes), f"text input raised {exc!r}"
        assert isinstance(exc, xxgk.InputError)
        return
    assert isinstance(report, Report)
    last = line_count(data)
    lines = [d.line for d in report.diagnostics if d.line is not None]
    lines += [s.line for s in sections(report.sections)]
    lines += [s.line for s in report.unparsed]
    lines += [c["line"] for c in iter_cells(report)]
    assert all(1 <= n <= last for n in lines), (sorted(set(lines))[-5:], last)
    json.dumps(xxgk.to_dict(report), ensure_ascii=False)


@FUZZ
@given(st.text(max_size=3000))
def test_random_unicode(text: str) -> None:
    check(text)


@FUZZ
@given(st.lists(st.sampled_from(CORPUS_CHARS) | st.sampled_from(DEBRIS), max_size=1500).map("".join))
def test_random_report_like_text(text: str) -> None:
    check(text)


@FUZZ
@given(st.binary(max_size=3000))
def test_random_bytes(data: bytes) -> None:
    check(data)


@st.composite
def mutated_documents(draw: st.DrawFn) -> str:
    """A corpus document with a few random edits: lines deleted, duplicated or swapped, cells swapped inside a row,
    numbers changed, debris inserted, the end cut off."""
    lines = draw(st.sampled_from(CORPUS)).split("\n")
    for _ in range(draw(st.integers(1, 8))):
        op = draw(st.sampled_from(["delete", "duplicate", "swap_lines", "swap_cells", "number", "debris", "cut"]))
        i = draw(st.integers(0, len(lines) - 1))
        if op == "delete" and len(lines) > 1:
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "swap_lines":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "swap_cells":
            parts = _CELL_SEPARATOR.split(lines[i])
            cells = list(range(0, len(parts), 2))
            if len(cells) > 1:
                a, b = draw(st.permutations(cells))[:2]
                parts[a], parts[b] = parts[b], parts[a]
                lines[i] = "".join(parts)
        elif op == "number":
            new = draw(st.sampled_from(["0", "/", "-", "九", "1,000", "99999999999999999999", "3.5", ""]))
            lines[i] = re.sub(r"\d+", new, lines[i], count=draw(st.integers(0, 3)))
        elif op == "debris":
            at = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:at] + draw(st.sampled_from(DEBRIS)) + lines[i][at:]
        elif op == "cut":
            at = draw(st.integers(0, len(lines[i])))
            lines = [*lines[:i], lines[i][:at]]
    return "\n".join(lines)


@FUZZ
@given(mutated_documents())
def test_mutated_corpus_documents(text: str) -> None:
    check(text)


@FUZZ
@given(mutated_documents(), st.sampled_from(["utf-8", "gb18030", "utf-8-sig"]), st.integers(0, 3))
def test_mutated_documents_as_bytes_cut_anywhere(text: str, encoding: str, chop: int) -> None:
    data = text.encode(encoding)
    check(data[: len(data) - chop])
