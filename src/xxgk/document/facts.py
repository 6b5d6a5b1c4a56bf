"""The facts of a whole report, decided here once and read by every later stage from the
:class:`~xxgk.records.Document` (and the :class:`~xxgk.records.Report`): its title, the agency, the year, and which
national format its tables follow (the template)."""

from __future__ import annotations

import re

from xxgk import schema
from xxgk.document.lines import Lines
from xxgk.document.template import detect_template
from xxgk.records import Block, Diagnostic, Document, Section, Span

_YEAR = re.compile(r"((?:19|20)[0-9]{2})[^\S\n]*年度?")
# Spaces between two Chinese characters: PDF text spaces out names ("示例市 人力资源和社会保障局").
_CJK_SPACES = re.compile(r"(?<=[\u3400-\u9fff])[^\S\n]+(?=[\u3400-\u9fff])")
# Where the text states the period the report covers: 统计期限自2023年1月1日 / 统计期限从2023年…
_PERIOD = re.compile(f"(?:{'|'.join(schema.PERIOD_WORDS)})" + r"[^0-9\n]{0,6}((?:19|20)[0-9]{2})年")
# The generic tail of a title: 政府信息公开工作年度报告 and its variants.
_TITLE_TAIL = re.compile(r"(?:政府)?(?:信息公开)?(?:工作)?(?:年度)?(?:工作)?报告.*$")


def document(
    src: Lines, title: str | None, signature: str | None, sections: tuple[Section, ...], blocks: tuple[Block, ...]
) -> Document:
    """The document read from ``src``'s parse: its ``title`` lines and ``signature``, ``sections`` and table
    ``blocks``, with the facts they tell."""
    return Document(
        title=title,
        agency=agency(title, signature),
        year=year(src.norm.text, title, sections),
        pre2019=src.pre2019,
        sections=sections,
        blocks=blocks,
        diagnostics=tuple(src.diagnostics),
        unparsed=tuple(src.unparsed),
        template=template(src.norm.text, src.pre2019),
    )


def unparsed(src: Lines, why: str) -> Document:
    """The document of a text the grammar gave up on (``why``): all of it kept unparsed."""
    src.diagnostics.append(Diagnostic("document.unparsed", f"document grammar gave up: {why}"))
    whole = Span(src.norm.original, 1, 1)
    return Document(
        None,
        None,
        None,
        src.pre2019,
        (),
        (),
        tuple(src.diagnostics),
        (whole,),
        template=template(src.norm.text, src.pre2019),
    )


def template(text: str, pre2019: bool) -> str | None:
    """``"2019"`` or ``"2021"`` from the tables' wording; ``"pre2019"`` for a report with a heading only a 2008-2018
    report has (``pre2019``) and no such wording; None when nothing tells."""
    found = detect_template(text)
    return "pre2019" if found is None and pre2019 else found


def agency(title: str | None, signature: str | None) -> str | None:
    """From the title (what is left once year and 政府信息公开…报告 are taken off), else the signature."""
    if title:
        name = _CJK_SPACES.sub("", _TITLE_TAIL.sub("", _YEAR.sub("", title)).strip())
        if len(name) >= 2:
            return name
    return signature


def year(text: str, title: str | None, sections: tuple[Section, ...]) -> int | None:
    """From the title; else the stated statistics period; else the first year the overview (or the text) names."""
    overview = next((s for s in sections if s.key == "overview"), None)
    found = (  # each source looked at (the overview flattened) only when the one before names no year
        _YEAR.search(title or "")
        or _PERIOD.search(text)
        or (_YEAR.search(_flat(overview)) if overview else None)
        or _YEAR.search(text)
    )
    return int(found.group(1)) if found else None


def _flat(section: Section) -> str:
    return "\n".join([section.title, section.text, *(_flat(c) for c in section.children)])
