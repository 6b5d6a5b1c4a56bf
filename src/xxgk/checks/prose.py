"""The report's text against its tables and its title (warnings): the number of applications the prose says were
received against the table, and a statistics period of another year than the title's."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator

from xxgk.checks.arithmetic import ref, value
from xxgk.engine import grammars
from xxgk.records import CellRef, Finding, Report, Section

_TOTAL = "total"

# Only statements whose meaning is certain are read.  A number of applications is compared only when the verb says
# they were *received* (收到/接到/新收): 受理 and 办理 count what was handled, which includes last year's carry-over
# (seed 003: 受理…46件 = 44 new + 2 carried over), so they are never compared.  A clause that names another year,
# last year, the carry-over or a wider area (全市, 系统 …) speaks of something else and is skipped.  Withdrawals
# (撤回N件) are not compared: the national format has no row of its own for them.

_CLAUSE_MARKS = ",，;；。!?！？\n"
_CLAUSE_END = f"[{_CLAUSE_MARKS}]"
# The patterns are compiled where first used, through grammars.regex (kept compiled on disk): compiling them at
# import cost a one-file run 1 ms.  _VERB, which every section is searched for first, is cheap.
_CLAUSE_MARK = _CLAUSE_END
_SUBJECT = r"(?:政府信息公开|依申请公开)(?:申请)?(?:事项)?"
_UNIT = r"(?:件|起|份)"
_VERBS = ("收到", "接到", "新收")  # every statement the two patterns below read has one of these
_VERB = re.compile("|".join(_VERBS))
# Each verb's last character: a text without one (most sections) holds no verb.  Looking for a character in a text
# costs a tenth of the verbs' regex scan, which tests every character against a set of their first characters.
_VERB_ENDS = tuple(dict.fromkeys(verb[-1] for verb in _VERBS))
_RECEIVED = (
    f"(?:{_VERB.pattern})"
    r"(?:并[^,，。;；]{0,6}?)?(?:各类)?"
    rf"(?:(?P<before>\d+){_UNIT}{_SUBJECT}|{_SUBJECT}(?:共计|合计|总计|共)?(?P<after>\d+){_UNIT})"
)
_NONE_RECEIVED = rf"(?:未|没有)(?:收到|接到){_SUBJECT}(?={_CLAUSE_END}|$)"
_OTHER_SCOPE = r"上年|去年|上一年|前年|同比|结转|全省|全市|全区|全县|系统|各级|各部门|下属"
_YEAR = r"(\d{4})年"


def section_texts(sections: Iterable[Section], parents: str = "text") -> list[tuple[str, Section]]:
    """Every section's own text with a path naming it (``text/applications/(二)``), in document order."""
    found: list[tuple[str, Section]] = []
    _add_texts(sections, parents, found)
    return found


def _add_texts(sections: Iterable[Section], parents: str, found: list[tuple[str, Section]]) -> None:
    # One list filled down the tree: a generator per section (most have no children) cost twice the walk.
    for s in sections:
        path = f"{parents}/{s.key or s.number or s.title[:8] or 'preamble'}"
        if s.text:
            found.append((path, s))
        if s.children:
            _add_texts(s.children, path, found)


def _clause(text: str, marks: list[int], start: int, end: int) -> str:
    """The clause around ``text[start:end]``: from the previous clause mark to the next one (``marks``: where the
    clause marks of ``text`` are, found once — searching the text for each mark around each statement is
    quadratic in a long section)."""
    i, j = bisect_left(marks, start), bisect_left(marks, end)
    return text[marks[i - 1] + 1 if i else 0 : marks[j] if j < len(marks) else len(text)]


def prose_numbers(report: Report, texts: Iterable[tuple[str, Section]]) -> Iterator[Finding]:
    stated_cell = value(report.tables.applications, "new_received", _TOTAL)
    if stated_cell is None:
        return
    search = _VERB.search
    for path, section in texts:
        text = section.text
        if not (_may_hold_a_verb(text) and search(text)):
            continue  # most sections: a search for the verbs costs a fraction of the two patterns' scans
        for number, start, end in _received(text, report.year):
            table_ref = ref(f"applications/new_received/{_TOTAL}", stated_cell)
            # Section.text joins the paragraphs without their blank lines, so only the heading's line is certain.
            prose_ref = CellRef(path, number, None)
            excerpt = text[start:end]
            if stated_cell.value is None:
                yield Finding(
                    "prose.new_received",
                    "uncertain",
                    (table_ref, prose_ref),
                    number,
                    None,
                    f"第{section.line}行一节的正文称「{excerpt}」,表中本年新收申请总计为空,无法核对",
                    f"the text under line {section.line} says “{excerpt}” but the table's new_received total is empty",
                )
            elif stated_cell.value != number:
                yield Finding(
                    "prose.new_received",
                    "warning",
                    (table_ref, prose_ref),
                    number,
                    stated_cell.value,
                    f"第{section.line}行一节的正文称「{excerpt}」,表中本年新收申请总计为{stated_cell.value}",
                    f"the text under line {section.line} says “{excerpt}” ({number}) but the table's new_received "
                    f"total is {stated_cell.value}",
                )


def _may_hold_a_verb(text: str) -> bool:
    """Whether ``text`` holds the last character of a receiving verb (:data:`_VERB_ENDS`)."""
    for end in _VERB_ENDS:  # noqa: SIM110 - any() over a generator costs more than the searches themselves
        if end in text:
            return True
    return False


def _received(text: str, year: int | None) -> Iterator[tuple[int, int, int]]:
    """(number, start, end) of each certain statement of how many applications were received this year in
    ``text``, a text with a receiving verb (_VERB) in it."""
    regex = grammars.regex
    found = [(int(m["before"] or m["after"]), m.start(), m.end()) for m in regex(_RECEIVED).finditer(text)]
    found += [(0, m.start(), m.end()) for m in regex(_NONE_RECEIVED).finditer(text)]
    marks = [m.start() for m in regex(_CLAUSE_MARK).finditer(text)] if found else []
    for number, start, end in sorted(found, key=lambda f: f[1]):
        clause = _clause(text, marks, start, end)
        years = {int(y) for y in regex(_YEAR).findall(clause)}
        if regex(_OTHER_SCOPE).search(clause) or (years and years != {year}):
            continue
        yield number, start, end


def year_fit(report: Report, texts: Iterable[tuple[str, Section]]) -> Iterator[Finding]:
    """``year.period``: a statistics period of a whole calendar year (decided by the document stage) that is not
    the year the title names."""
    title_year = report.title_year
    stated: dict[int, list[int]] = {}  # the calendar years stated, by the section that states them
    for period in report.periods:
        if period.calendar and period.year != title_year:
            stated.setdefault(id(period.section), []).append(period.year)
    if title_year is None or not stated:
        return
    seen: set[int] = set()
    for path, section in texts:
        for year in stated.get(id(section), ()):
            if year in seen:
                continue
            seen.add(year)
            yield Finding(
                "year.period",
                "warning",
                (CellRef("title", title_year, None), CellRef(path, year, None)),
                title_year,
                year,
                f"标题年份为{title_year}年,第{section.line}行一节的正文所述统计期限为{year}年",
                f"the title says {title_year} but the text under line {section.line} states the statistics "
                f"period as {year}",
            )
