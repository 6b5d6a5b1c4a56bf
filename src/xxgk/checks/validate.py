"""Stage 4 — consistency rules (勾稽关系) over a parsed Report.

Every rule of SCHEMA.md ("Consistency rules") becomes zero or more :class:`~xxgk.records.Finding` records; the rule
ids, formulas and examples are documented in ``docs/checks.md``.  A break of an arithmetic identity of the national
format is an ``error``; a plausibility check (a disagreement that has innocent explanations, a template or year that
does not fit) is a ``warning``; a rule that cannot be decided because an operand is empty (``/``) or missing is
``uncertain``.  Rules only run on tables that were found: a report without tables has nothing to add up.

In every finding the cells of the *stated* side (the total the report prints) come first, then the operands, so
that ``cells[0]`` is the cell a reader should look at.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Mapping, Sequence

from xxgk import schema
from xxgk.identities import APPLICANT_LABELS, APPLICATION_PLANS, REVIEW_PLAN, Cell, Equation
from xxgk.records import CellRef, Finding, KeyedTable, Number, Report, Section, Tables, Value

_NO_ROW: Mapping[str, Value] = {}
_TOTAL = "total"


def validate(report: Report) -> tuple[Finding, ...]:
    """Every finding of every rule in SCHEMA.md for ``report``: breaks, warnings and uncertain checks."""
    applications = APPLICATION_PLANS.get(report.template or "", ())
    texts = tuple(_texts(report.sections))
    return (
        *_equations(applications, report.tables.applications),
        *_equations(REVIEW_PLAN, report.tables.reviews),
        *_active_disclosure(report.tables, report.template),
        *_template_fit(report),
        *_year_fit(report, texts),
        *_prose_numbers(report, texts),
    )


def validate_series(reports: Sequence[Report]) -> tuple[tuple[Finding, ...], ...]:
    """Findings that need two reports: this year's 上年结转 against last year's 结转下年度 of the same agency.

    Returns one tuple per input report (in the same order) with the findings that belong to it, the later report
    of each consecutive pair.  Reports are paired only when both name the same agency and their years are
    consecutive; a report without agency, year or applications table is never paired.
    """
    found: list[tuple[Finding, ...]] = [() for _ in reports]
    by_key: dict[tuple[str, int], int] = {}
    for i, r in enumerate(reports):
        if r.agency and r.year is not None:
            by_key[r.agency, r.year] = i
    for (agency, year), i in by_key.items():
        j = by_key.get((agency, year - 1))
        if j is not None:
            found[i] = tuple(_carry_over(reports[j], reports[i]))
    return tuple(found)


# --- arithmetic identities (errors) -------------------------------------------------------------------------------


def _value(table: KeyedTable, row: str, col: str) -> Value | None:
    return table.get(row, _NO_ROW).get(col)


def _ref(path: str, v: Value | None) -> CellRef:
    # A missing cell has neither value nor line; an empty cell (``/``) has a line but no value.
    return CellRef(path, None if v is None else v.value, None if v is None else v.line)


def _sum(table: KeyedTable, cells: Sequence[Cell]) -> Number | None:
    total: Number = 0
    for _, row, col in cells:
        v = table.get(row, _NO_ROW).get(col)
        if v is None or v.value is None:
            return None
        total += v.value
    return total


def _check(eq: Equation, stated_in: KeyedTable, operands_in: KeyedTable) -> Finding | None:
    """None when ``eq`` holds, else a finding (``uncertain`` for an empty or missing operand)."""
    expected, actual = _sum(operands_in, eq.operands), _sum(stated_in, eq.stated)
    if expected is not None and expected == actual:
        return None  # the common case: no cell references to build
    cells = (
        *(_ref(path, _value(stated_in, row, col)) for path, row, col in eq.stated),
        *(_ref(path, _value(operands_in, row, col)) for path, row, col in eq.operands),
    )
    zh, en = eq.where
    if expected is None or actual is None:
        blanks = ", ".join(c.path for c in cells if c.value is None)
        return Finding(
            eq.rule,
            "uncertain",
            cells,
            expected,
            actual,
            f"{zh}:有空白或缺失的单元格({blanks}),无法核对",
            f"{en}: cannot be checked, empty or missing cell(s): {blanks}",
        )
    return Finding(
        eq.rule,
        eq.severity,
        cells,
        expected,
        actual,
        f"{zh}:应为{expected},表中为{actual}",
        f"{en}: expected {expected}, the table says {actual}",
    )


def _equations(plan: Sequence[Equation], table: KeyedTable) -> Iterator[Finding]:
    """A finding for each equation of ``plan`` that does not hold in ``table``; none when the table was not found."""
    if not table:
        return
    for eq in plan:
        if eq.row is None or eq.row in table:
            finding = _check(eq, table, table)
            if finding:
                yield finding


# --- plausibility (warnings) --------------------------------------------------------------------------------------

# (template, rule id, larger column, smaller column): within each row of 第二十条第(一)项 the documents in force (or
# published in total) include this year's new ones.  Not an identity (a document issued and repealed within the
# year, or a count taken on another day, breaks it innocently), so a warning.
_AT_LEAST: tuple[tuple[str, str, str, str], ...] = (
    ("2021", "active_disclosure.in_force_ge_issued", "in_force", "issued"),
    ("2019", "active_disclosure.total_ge_new_published", "total_published", "new_published"),
)


def _active_disclosure(tables: Tables, template: str | None) -> Iterator[Finding]:
    rows = tables.active_disclosure.get("art20_1", {})
    for tpl, rule, big, small in _AT_LEAST:
        if tpl != template:
            continue
        for row, cols in rows.items():
            b, s = cols.get(big), cols.get(small)
            cells = (
                _ref(f"active_disclosure/art20_1/{row}/{big}", b),
                _ref(f"active_disclosure/art20_1/{row}/{small}", s),
            )
            if b is None or s is None or b.value is None or s.value is None:
                blanks = ", ".join(c.path for c in cells if c.value is None)
                yield Finding(
                    rule,
                    "uncertain",
                    cells,
                    None,
                    None,
                    f"第二十条第(一)项「{row}」:有空白或缺失的单元格({blanks}),无法核对",
                    f"art20_1 {row}: cannot check {big} >= {small}, empty or missing cell(s): {blanks}",
                )
            elif b.value < s.value:
                yield Finding(
                    rule,
                    "warning",
                    cells,
                    s.value,
                    b.value,
                    f"第二十条第(一)项「{row}」:{big}({b.value})小于{small}({s.value})",
                    f"art20_1 {row}: {big} ({b.value}) is less than {small} ({s.value})",
                )


def _template_for_year(year: int) -> str:
    """The national format a report for ``year`` must follow (SCHEMA.md, the template table)."""
    if year <= 2018:
        return "pre2019"
    return "2019" if year <= 2020 else "2021"


# The rows (``item/row`` for 第二十条第(一)项) each table of a template has, in printed order.  A dict, not a list,
# so that looking a report's row up is one step; its order is the order of the "missing" list in a finding.
_EXPECTED_ROWS = {
    template: {
        "active_disclosure": dict.fromkeys(
            f"{item}/{row}" for item, (rows, _) in schema.ACTIVE_DISCLOSURE[template].items() for row, _ in rows
        ),
        "applications": dict.fromkeys(schema.application_row_keys(template)),
        "reviews": dict.fromkeys(group for group, _ in schema.REVIEW_GROUPS),
    }
    for template in schema.TEMPLATES
}


def _template_fit(report: Report) -> Iterator[Finding]:
    template = report.template
    if template is None:
        return
    if report.year is not None and _template_for_year(report.year) != template:
        should = _template_for_year(report.year)
        yield Finding(
            "template.year",
            "warning",
            (),
            None,
            None,
            f"{report.year}年度报告应使用{should}版格式,表格却是{template}版",
            f"a report for {report.year} should follow the {should} format, its tables follow {template}",
        )
    if template not in schema.TEMPLATES:
        return
    t = report.tables
    present: dict[str, KeyedTable] = {
        "active_disclosure": {f"{i}/{r}": c for i, rows in t.active_disclosure.items() for r, c in rows.items()},
        "applications": t.applications,
        "reviews": t.reviews,
    }
    for name, wanted in _EXPECTED_ROWS[template].items():
        have = present[name]
        if not have:
            continue  # the table was not found at all (an image, say): the parser reports that, not a mismatch
        missing = [r for r in wanted if r not in have]
        extra = [r for r in have if r not in wanted]
        if not missing and not extra:
            continue
        cells = (
            *(CellRef(f"{name}/{r}", None, None) for r in missing),
            *(_ref(f"{name}/{r}", _first(have[r])) for r in extra),
        )
        yield Finding(
            "template.rows",
            "warning",
            cells,
            len(wanted),
            len(have),
            f"{name}表与{template}版格式不符:缺少{_list(missing)},多出{_list(extra)}",
            f"{name} table does not fit the {template} format: missing {_list(missing)}; extra {_list(extra)}",
        )


def _first(cols: dict[str, Value]) -> Value | None:
    return next(iter(cols.values()), None)


def _list(keys: Sequence[str]) -> str:
    return ", ".join(keys) if keys else "-"


# --- the prose against the tables (warnings) ----------------------------------------------------------------------
#
# Only statements whose meaning is certain are read.  A number of applications is compared only when the verb says
# they were *received* (收到/接到/新收): 受理 and 办理 count what was handled, which includes last year's carry-over
# (seed 003: 受理…46件 = 44 new + 2 carried over), so they are never compared.  A clause that names another year,
# last year, the carry-over or a wider area (全市, 系统 …) speaks of something else and is skipped.  Withdrawals
# (撤回N件) are not compared: the national format has no row of its own for them.

_CLAUSE_MARKS = ",，;；。!?！？\n"
_CLAUSE_END = f"[{_CLAUSE_MARKS}]"
_CLAUSE_MARK = re.compile(_CLAUSE_END)
_SUBJECT = r"(?:政府信息公开|依申请公开)(?:申请)?(?:事项)?"
_UNIT = r"(?:件|起|份)"
_VERB = re.compile("收到|接到|新收")  # every statement the two patterns below read has one of these
_RECEIVED = re.compile(
    f"(?:{_VERB.pattern})"
    r"(?:并[^,，。;；]{0,6}?)?(?:各类)?"
    rf"(?:(?P<before>\d+){_UNIT}{_SUBJECT}|{_SUBJECT}(?:共计|合计|总计|共)?(?P<after>\d+){_UNIT})"
)
_NONE_RECEIVED = re.compile(rf"(?:未|没有)(?:收到|接到){_SUBJECT}(?={_CLAUSE_END}|$)")
_OTHER_SCOPE = re.compile(r"上年|去年|上一年|前年|同比|结转|全省|全市|全区|全县|系统|各级|各部门|下属")
_YEAR = re.compile(r"(\d{4})年")


def _texts(sections: Iterable[Section], parents: str = "text") -> Iterator[tuple[str, Section]]:
    """Every section's own text with a path naming it (``text/applications/(二)``), in document order."""
    for s in sections:
        path = f"{parents}/{s.key or s.number or s.title[:8] or 'preamble'}"
        if s.text:
            yield path, s
        yield from _texts(s.children, path)


def _clause(text: str, marks: list[int], start: int, end: int) -> str:
    """The clause around ``text[start:end]``: from the previous clause mark to the next one (``marks``: where the
    clause marks of ``text`` are, found once — searching the text for each mark around each statement is
    quadratic in a long section)."""
    i, j = bisect_left(marks, start), bisect_left(marks, end)
    return text[marks[i - 1] + 1 if i else 0 : marks[j] if j < len(marks) else len(text)]


def _prose_numbers(report: Report, texts: Iterable[tuple[str, Section]]) -> Iterator[Finding]:
    stated_cell = _value(report.tables.applications, "new_received", _TOTAL)
    if stated_cell is None:
        return
    for path, section in texts:
        text = section.text
        for number, start, end in _received(text, report.year):
            table_ref = _ref(f"applications/new_received/{_TOTAL}", stated_cell)
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


def _received(text: str, year: int | None) -> Iterator[tuple[int, int, int]]:
    """(number, start, end) of each certain statement of how many applications were received this year."""
    if not _VERB.search(text):
        return  # most sections: a search for the verbs costs a fraction of the two patterns' scans
    found = [(int(m["before"] or m["after"]), m.start(), m.end()) for m in _RECEIVED.finditer(text)]
    found += [(0, m.start(), m.end()) for m in _NONE_RECEIVED.finditer(text)]
    marks = [m.start() for m in _CLAUSE_MARK.finditer(text)] if found else []
    for number, start, end in sorted(found, key=lambda f: f[1]):
        clause = _clause(text, marks, start, end)
        years = {int(y) for y in _YEAR.findall(clause)}
        if _OTHER_SCOPE.search(clause) or (years and years != {year}):
            continue
        yield number, start, end


def _year_fit(report: Report, texts: Iterable[tuple[str, Section]]) -> Iterator[Finding]:
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


# --- two reports ---------------------------------------------------------------------------------------------------


def _carry_over(previous: Report, current: Report) -> Iterator[Finding]:
    before, now = previous.tables.applications, current.tables.applications
    if not before or not now:
        return
    for col in schema.applicant_column_keys():
        eq = Equation(
            "applications.carry_over",
            (("applications/carried_over/" + col, "carried_over", col),),
            ((f"{previous.source or previous.year}:applications/carried_forward/{col}", "carried_forward", col),),
            (
                f"申请情况表「{APPLICANT_LABELS[col]}」列,本年上年结转应等于{previous.year}年度报告的结转下年度",
                f"applications column {col}: carried_over should equal the {previous.year} report's carried_forward",
            ),
            severity="warning",
        )
        finding = _check(eq, now, before)
        if finding:
            yield finding
