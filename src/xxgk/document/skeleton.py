"""The six-section skeleton as the line lexer meets it: which line heads the next section of ``schema.SECTIONS``
(tolerant of damaged numbering: ``2、``, ``- ``, a numeral without 、, none at all), whether a report is a 2008-2018
one, and what each heading it opens records and repairs (``heading.repaired`` diagnostics)."""

from __future__ import annotations

import re

from xxgk import schema
from xxgk.document.headings import (
    HEADINGS,
    PHRASE_MAX,
    SECTION_KINDS,
    Heading,
    bare_numeral,
    enumerators,
    skeleton,
    split_heading,
    title_key,
)
from xxgk.document.lines import Lines, Opening
from xxgk.engine import grammars


class Skeleton:
    """Section recognition with the line lexer's own heading patterns: ``headings`` matches a line's first heading
    terminal (its match names the terminal), ``cn_heading`` a 一、 heading line."""

    def __init__(self, headings: re.Pattern[str], cn_heading: re.Pattern[str]) -> None:
        self.headings = headings
        self.cn_heading = cn_heading
        # Any of schema.PRE2019_MARKERS: one scan of a line rather than a substring search per marker.
        self.pre2019_marker = grammars.regex("|".join(map(re.escape, schema.PRE2019_MARKERS)))

    def heading(self, text: str, match: re.Match[str] | None) -> Heading | None:
        """``text`` taken apart as a heading: numbered by the heading terminal ``match`` (``headings``' on ``text``)
        names, or without one a bare phrase."""
        if match:
            kind, _, enumerator = HEADINGS[str(match.lastgroup)]
            return split_heading(text, kind, enumerators()[enumerator])
        return split_heading(text, "none", None) if len(text.strip()) <= PHRASE_MAX else None

    def section(self, src: Lines, start: int, text: str) -> Opening | None:
        """(SECTION or TABLE_SECTION, heading, index of the section) when the line at ``start``, ``text``, heads the
        next section of the known skeleton."""
        if start not in src.hinted:
            return None
        match = self.headings.match(text)
        if match and HEADINGS[str(match.lastgroup)][0] not in SECTION_KINDS and not src.pre2019:
            return None  # a (一) or ① line that names a section is a sub-heading: no need to take it apart
        heading = self.heading(text, match)
        if heading is None:
            return None
        if src.pre2019 and self.pre2019_heading(text):
            return "SECTION", heading, skeleton().get(title_key(heading.title))
        index = skeleton().get(title_key(heading.title))
        if index is None and heading.kind == "none":
            heading, index = bare_numeral(heading)
        if index is None or index <= src.last_section or heading.kind not in SECTION_KINDS:
            return None
        if heading.kind == "arabic" and heading.number != str(index + 1):
            return None  # a "1、" item whose title happens to be a section's: not a misnumbered section
        table = schema.SECTION_KEYS[index] in schema.TABLE_SECTIONS and not src.pre2019
        return ("TABLE_SECTION" if table else "SECTION"), heading, index

    def pre2019_heading(self, text: str) -> bool:
        """Whether ``text`` is a heading only a 2008-2018 report has."""
        # Only a 一、 heading counts: "(二)依申请公开政府信息情况" is an ordinary sub-heading of a current report.
        return self.pre2019_marker.search(text) is not None and self.cn_heading.match(text) is not None


def open_section(src: Lines, start: int, number: int, text: str, heading: Heading, index: int | None) -> None:
    """Record the section heading on line ``number``, at ``start``, of the section ``index`` (Skeleton.section), and
    say how a damaged one was read."""
    if heading.kind == "bare_cn":
        pos = start + heading.column
        message = f"'{heading.number}' without 、 read as section {heading.number}、"
        src.diagnose("heading.repaired", message, pos, text.strip())
        heading = heading._replace(kind="cn")
    src.headings[number] = heading
    src.keys[number] = None if index is None else schema.SECTION_KEYS[index]
    if index is None:
        return
    src.last_section = index
    pos = start + heading.column
    if heading.kind != "cn":
        form = {"arabic": f"'{heading.number}、'", "bullet": "a bullet", "none": "no number"}[heading.kind]
        src.diagnose("heading.repaired", f"heading with {form} read as section {index + 1}", pos, text.strip())
    if heading.column:
        message = f"leading spaces before the heading of section {index + 1} ignored"
        src.diagnose("heading.repaired", message, start, text)


def open_heading(src: Lines, start: int, number: int, text: str, name: str) -> None:
    """Record the nested heading (terminal ``name``) on line ``number``, at ``start``; a lost bracket of (一) is
    repaired."""
    kind, _, enumerator = HEADINGS[name]
    heading = split_heading(text, kind, enumerators()[enumerator])
    src.headings[number] = heading
    src.keys[number] = None
    if kind == "paren_cn" and heading.number and not heading.number.startswith("("):
        pos = start + heading.column
        src.diagnose("heading.repaired", f"'{heading.number}' read as ({heading.number}", pos, text.strip())
