"""The facts of a whole report, decided here once and read by every later stage from the
:class:`~xxgk.records.Document` (and the :class:`~xxgk.records.Report`): its title, the agency, the year, and which
national format its tables follow (the template)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from xxgk import schema
from xxgk.document.lines import Lines
from xxgk.document.template import detect_template
from xxgk.engine import grammars
from xxgk.records import Block, Diagnostic, Document, Period, Section, Span

# Spaces between two Chinese characters: PDF text spaces out names ("示例市 人力资源和社会保障局").  Compiled where
# first used, through grammars.regex (kept compiled on disk), as every pattern of the stages.
_SPACES = r"[^\S\n]+"
_NUMBER = r"[0-9]+"


@grammars.derived
def _terminals() -> dict[str, str]:
    """The fact terminals of facts.lark (REPORT_YEAR, PERIOD_SPAN, …) as regular expressions, by name."""
    facts = grammars.load("facts", parser=None, lexer="basic")
    return {t.name: t.pattern.to_regexp() for t in facts.terminals}


def _title_tail() -> re.Pattern[str]:
    return grammars.regex(_terminals()["TITLE_TAIL"])


def _year() -> re.Pattern[str]:
    return grammars.regex(_terminals()["REPORT_YEAR"])


@grammars.derived
def _period() -> re.Pattern[str]:
    """A statistics period: one of ``schema.PERIOD_WORDS``, a few words, then a span of days, or a year (``month``:
    and the start of a day in it, 2023年1月1日起)."""
    t = _terminals()
    words = "|".join(schema.PERIOD_WORDS)
    span, year = t["PERIOD_SPAN"], t["FACT_YEAR"]
    return grammars.regex(f"(?:{words})[^0-9。\\n]{{0,6}}(?:(?P<span>{span})|(?P<year>{year})年(?P<month>[0-9])?)")


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
        template=template(src.markers, src.pre2019),
        title_year=title_year(title),
        # A section's text is lines of the text, so where the text holds no 统计 (most reports) no section does, and
        # periods() would find nothing in any of them: the tree is not walked.
        periods=_all_periods(sections) if "统计" in src.text else (),
    )


def _all_periods(sections: tuple[Section, ...]) -> tuple[Period, ...]:
    """The periods of every section, in document order (a section before its children)."""
    found: list[Period] = []
    pending = list(reversed(sections))
    while pending:
        section = pending.pop()
        if "统计" in section.text:  # as periods() asks first, without the call for the many sections that fail it
            found.extend(periods(section))
        if section.children:
            pending.extend(reversed(section.children))
    return tuple(found)


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
        template=template(src.markers, src.pre2019),
    )


def template(markers: frozenset[str], pre2019: bool) -> str | None:
    """``"2019"`` or ``"2021"`` from the tables' wording (the template ``markers`` the text holds); ``"pre2019"`` for a
    report with a heading only a 2008-2018 report has (``pre2019``) and no such wording; None when nothing tells."""
    found = detect_template(markers)
    return "pre2019" if found is None and pre2019 else found


def agency(title: str | None, signature: str | None) -> str | None:
    """From the title (what is left once year and 政府信息公开…报告 are taken off), else the signature."""
    if title:
        name = _without_spaces_between_han(_title_tail().sub("", _year().sub("", title)).strip())
        if len(name) >= 2:
            return name
    return signature


def _without_spaces_between_han(text: str) -> str:
    """``text`` less every run of spaces between two Han characters (U+3400 to U+9FFF).  The neighbours are looked at
    here rather than in the regex: lookarounds of that class cost 2 ms to compile, a one-file run's."""

    def kept(m: re.Match[str]) -> str:
        before, after = m.start() - 1, m.end()
        han = before >= 0 and after < len(text) and _han(text[before]) and _han(text[after])
        return "" if han else m.group()

    return grammars.regex(_SPACES).sub(kept, text)


def _han(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff"


def year(text: str, title: str | None, sections: tuple[Section, ...]) -> int | None:
    """From the title; else the first statistics period the text states; else the first year the overview (or the
    text) names."""
    if found := _year().search(title or ""):
        return int(found[0][:4])
    if period := next(_periods(text), None):
        return period[0]
    overview = next((s for s in sections if s.key == "overview"), None)
    found = (_year().search(_flat(overview)) if overview else None) or _year().search(text)
    return int(found[0][:4]) if found else None


def title_year(title: str | None) -> int | None:
    """The one year ``title`` names; None when it names none, or several."""
    years = {int(m[0][:4]) for m in _year().finditer(title or "")}
    return years.pop() if len(years) == 1 else None


def periods(section: Section) -> tuple[Period, ...]:
    """The statistics periods the text of ``section`` states (its own text, not its children's)."""
    if "统计" not in section.text:  # most sections: a substring search is much cheaper than the pattern's scan
        return ()
    return tuple(Period(start, calendar, section) for start, calendar in _periods(section.text))


def _periods(text: str) -> Iterator[tuple[int, bool]]:
    """(the year it starts in, whether it is that whole year) of each statistics period ``text`` states."""
    for m in _period().finditer(text):
        if m["year"]:
            yield int(m["year"]), m["month"] is None
        else:
            y1, m1, d1, y2, m2, d2 = map(int, grammars.regex(_NUMBER).findall(m["span"]))
            yield y1, y1 == y2 and (m1, d1, m2, d2) == (1, 1, 12, 31)


def _flat(section: Section) -> str:
    return "\n".join([section.title, section.text, *(_flat(c) for c in section.children)])
