"""Plausibility checks (warnings): a disagreement with innocent explanations — documents in force fewer than those
issued, tables that do not fit the template's rows, a template that does not fit the report's year."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from xxgk import schema
from xxgk.checks.arithmetic import ref
from xxgk.records import CellRef, Finding, KeyedTable, Report, Tables, Value

# (template, rule id, larger column, smaller column): within each row of 第二十条第(一)项 the documents in force (or
# published in total) include this year's new ones.  Not an identity (a document issued and repealed within the
# year, or a count taken on another day, breaks it innocently), so a warning.
_AT_LEAST: tuple[tuple[str, str, str, str], ...] = (
    ("2021", "active_disclosure.in_force_ge_issued", "in_force", "issued"),
    ("2019", "active_disclosure.total_ge_new_published", "total_published", "new_published"),
)


def active_disclosure(tables: Tables, template: str | None) -> Iterator[Finding]:
    rows = tables.active_disclosure.get("art20_1", {})
    for tpl, rule, big, small in _AT_LEAST:
        if tpl != template:
            continue
        for row, cols in rows.items():
            b, s = cols.get(big), cols.get(small)
            bv, sv = None if b is None else b.value, None if s is None else s.value
            if bv is not None and sv is not None and not bv < sv:
                continue  # the common case: it holds, no cell references to build
            cells = (
                ref(f"active_disclosure/art20_1/{row}/{big}", b),
                ref(f"active_disclosure/art20_1/{row}/{small}", s),
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
    """The national format a report for ``year`` must follow (docs/spec.md §2)."""
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


def template_fit(report: Report) -> Iterator[Finding]:
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
        if have.keys() == wanted.keys():
            continue  # the common case: the rows as a set, no list of those missing and those extra to build
        missing = [r for r in wanted if r not in have]
        extra = [r for r in have if r not in wanted]
        cells = (
            *(CellRef(f"{name}/{r}", None, None) for r in missing),
            *(ref(f"{name}/{r}", _first(have[r])) for r in extra),
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
