"""Consistency rules (validate.py) on hand-made tables: each rule passes on a consistent table and fires on a
broken one; empty operands make a check uncertain, never a break."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import CORPUS, gold_files, load_gold
from xxgk import schema
from xxgk.checks import prose
from xxgk.checks.arithmetic import check, equations
from xxgk.checks.validate import validate, validate_series
from xxgk.document import facts
from xxgk.identities import APPLICATION_PLANS, REVIEW_PLAN, CellPlan, Equation
from xxgk.records import Finding, KeyedTable, Report, Section, Tables, Value


def val(x: int | Decimal | None, line: int = 1) -> Value:
    return Value(x, line, 1, "/" if x is None else str(x))


def applications(template: str) -> dict[str, dict[str, int]]:
    """A consistent applications table (plain numbers) for ``template``: every rule holds."""
    rows = schema.application_row_keys(template)
    cols = [c for c in schema.applicant_column_keys() if c != "total"]
    results = [r for r in rows if r not in ("new_received", "carried_over", "total", "carried_forward")]
    table: dict[str, dict[str, int]] = {}
    for i, row in enumerate(results):
        table[row] = {c: (i + j) % 3 for j, c in enumerate(cols)}
    table["total"] = {c: sum(table[r][c] for r in results) for c in cols}
    table["carried_over"] = {c: 1 if c == "natural_person" else 0 for c in cols}
    table["carried_forward"] = {c: 2 if c == "natural_person" else 0 for c in cols}
    table["new_received"] = {
        c: table["total"][c] + table["carried_forward"][c] - table["carried_over"][c] for c in cols
    }
    for cells in table.values():
        cells["total"] = sum(cells.values())
    return {row: table[row] for row in rows}


def reviews() -> dict[str, dict[str, int]]:
    return {
        "review": {"upheld": 5, "corrected": 0, "other": 2, "pending": 1, "total": 8},
        "litigation_direct": {"upheld": 0, "corrected": 1, "other": 0, "pending": 0, "total": 1},
        "litigation_after_review": {"upheld": 0, "corrected": 0, "other": 0, "pending": 0, "total": 0},
    }


def active(template: str) -> dict[str, dict[str, dict[str, int]]]:
    return {
        item: {row: {col: 3 if col in ("in_force", "total_published") else 1 for col, _ in cols} for row, _ in rows}
        for item, (rows, cols) in schema.ACTIVE_DISCLOSURE[template].items()
    }


def keyed(plain: dict[str, dict[str, Any]]) -> KeyedTable:
    return {row: {col: val(x) for col, x in cols.items()} for row, cols in plain.items()}


def report(
    template: str = "2021",
    year: int | None = 2023,
    apps: dict[str, dict[str, Any]] | None = None,
    revs: dict[str, dict[str, Any]] | None = None,
    act: dict[str, dict[str, dict[str, Any]]] | None = None,
    title: str | None = None,
    sections: tuple[Section, ...] = (),
    agency: str | None = None,
) -> Report:
    tables = Tables(
        active_disclosure={item: keyed(rows) for item, rows in (active(template) if act is None else act).items()},
        applications=keyed(applications(template) if apps is None else apps),
        reviews=keyed(reviews() if revs is None else revs),
    )
    return Report(
        source=None,
        template=template,
        year=year,
        agency=agency,
        title=title,
        sections=sections,
        tables=tables,
        # what the document stage decides from the title and the sections' text
        title_year=facts.title_year(title),
        periods=tuple(p for s in sections for p in facts.periods(s)),
    )


def rules(findings: tuple[Finding, ...]) -> list[tuple[str, str]]:
    return sorted((f.rule, f.severity) for f in findings)


def only(findings: tuple[Finding, ...], rule: str) -> list[Finding]:
    return [f for f in findings if f.rule == rule]


# --- consistent tables ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("template", ["2019", "2021"])
def test_consistent_tables_have_no_findings(template: str) -> None:
    year = 2020 if template == "2019" else 2023
    assert validate(report(template, year)) == ()


def test_no_tables_no_findings() -> None:
    assert validate(Report(source=None, template="2021", year=2023, agency=None, title=None)) == ()


# --- applications ---------------------------------------------------------------------------------------------------


def test_row_total_break() -> None:
    apps = applications("2021")
    apps["granted"]["total"] += 1
    found = validate(report(apps=apps))
    (row,) = only(found, "applications.row_total")
    assert row.severity == "error"
    assert row.cells[0].path == "applications/granted/total"
    assert row.actual == apps["granted"]["total"] and row.expected == apps["granted"]["total"] - 1
    assert [c.path for c in row.cells[1:]] == [
        f"applications/granted/{c}" for c in schema.applicant_column_keys() if c != "total"
    ]
    # the same cell also breaks the total column's sum of results
    assert [f.cells[0].path for f in only(found, "applications.column_total")] == ["applications/total/total"]


def test_column_total_break() -> None:
    apps = applications("2021")
    apps["granted"]["natural_person"] += 1
    apps["granted"]["total"] += 1
    found = validate(report(apps=apps))
    assert rules(found) == [("applications.column_total", "error")] * 2
    by_col = {f.cells[0].path: f for f in found}
    f = by_col["applications/total/natural_person"]
    assert (f.expected, f.actual) == (apps["total"]["natural_person"] + 1, apps["total"]["natural_person"])
    assert "applications/granted/natural_person" in {c.path for c in f.cells}
    assert "applications/new_received/natural_person" not in {c.path for c in f.cells}


def test_column_total_2019_uses_the_single_other_row() -> None:
    apps = applications("2019")
    apps["other"]["research"] += 2
    apps["other"]["total"] += 2
    found = validate(report("2019", 2020, apps=apps))
    assert {f.cells[0].path for f in found} == {"applications/total/research", "applications/total/total"}


def test_balance_break() -> None:
    apps = applications("2021")
    apps["carried_over"]["legal_service"] = 3
    apps["carried_over"]["total"] += 3
    found = validate(report(apps=apps))
    assert rules(found) == [("applications.balance", "error")] * 2
    f = next(f for f in found if f.cells[0].path.endswith("/legal_service"))
    assert [c.path for c in f.cells] == [
        "applications/total/legal_service",
        "applications/carried_forward/legal_service",
        "applications/new_received/legal_service",
        "applications/carried_over/legal_service",
    ]
    assert (f.expected, f.actual) == (apps["new_received"]["legal_service"] + 3, apps["total"]["legal_service"])


def test_seed_000_total_row_break_by_hand() -> None:
    """The （七）总计 row of seed 000 reads 83 2 0 0 0 1 85 while every result row has other_org 0."""
    apps = applications("2021")
    for row in apps.values():
        row["other_org"] = 0
        row["total"] = sum(v for c, v in row.items() if c != "total")
    apps["total"]["other_org"] = 1
    found = validate(report(apps=apps))
    assert rules(found) == [
        ("applications.balance", "error"),
        ("applications.column_total", "error"),
        ("applications.row_total", "error"),
    ]
    assert all(f.cells[0].path in ("applications/total/total", "applications/total/other_org") for f in found)


def test_empty_operand_is_uncertain_not_a_break() -> None:
    apps: dict[str, dict[str, Any]] = dict(applications("2021"))
    apps["granted"] = {**apps["granted"], "commercial": None}
    found = validate(report(apps=apps))
    assert {f.severity for f in found} == {"uncertain"}
    assert rules(found) == [
        ("applications.column_total", "uncertain"),
        ("applications.row_total", "uncertain"),
    ]
    row = only(found, "applications.row_total")[0]
    assert row.expected is None and row.actual == apps["granted"]["total"]
    assert "applications/granted/commercial" in row.message_en


def test_missing_cell_is_uncertain_with_no_line() -> None:
    apps: dict[str, dict[str, Any]] = dict(applications("2021"))
    apps["partial"] = {c: v for c, v in apps["partial"].items() if c != "research"}
    found = validate(report(apps=apps))
    assert {f.severity for f in found} == {"uncertain"}
    ref = next(c for c in only(found, "applications.row_total")[0].cells if c.path.endswith("/research"))
    assert ref.value is None and ref.line is None


def test_values_keep_their_lines() -> None:
    r = report()
    apps = dict(r.tables.applications)
    apps["total"] = {**apps["total"], "total": Value(999, 507, 3, "999")}
    found = validate(attrs.evolve(r, tables=attrs.evolve(r.tables, applications=apps)))
    assert {f.cells[0].line for f in found} == {507}


# --- reviews --------------------------------------------------------------------------------------------------------


def test_reviews_group_total() -> None:
    revs = reviews()
    revs["litigation_direct"]["total"] = 2
    (f,) = validate(report(revs=revs))
    assert (f.rule, f.severity, f.expected, f.actual) == ("reviews.group_total", "error", 1, 2)
    assert f.cells[0].path == "reviews/litigation_direct/total"
    assert len(f.cells) == 5


def test_reviews_empty_operand_is_uncertain() -> None:
    revs: dict[str, dict[str, Any]] = dict(reviews())
    revs["review"] = {**revs["review"], "pending": None}
    assert rules(validate(report(revs=revs))) == [("reviews.group_total", "uncertain")]


# --- active disclosure warnings -----------------------------------------------------------------------------------


def test_in_force_at_least_issued_2021() -> None:
    act = active("2021")
    act["art20_1"]["normative_documents"]["issued"] = 9
    (f,) = validate(report(act=act))
    assert (f.rule, f.severity, f.expected, f.actual) == ("active_disclosure.in_force_ge_issued", "warning", 9, 3)
    assert f.cells[0].path == "active_disclosure/art20_1/normative_documents/in_force"


def test_total_published_at_least_new_published_2019() -> None:
    act = active("2019")
    act["art20_1"]["rules"]["new_published"] = 4
    (f,) = validate(report("2019", 2020, act=act))
    assert (f.rule, f.severity, f.expected, f.actual) == (
        "active_disclosure.total_ge_new_published",
        "warning",
        4,
        3,
    )


def test_at_least_rule_uncertain_on_empty_cell() -> None:
    act: dict[str, dict[str, dict[str, Any]]] = active("2021")
    act["art20_1"]["rules"]["in_force"] = None
    assert rules(validate(report(act=act))) == [("active_disclosure.in_force_ge_issued", "uncertain")]


# --- template fit ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("template", "year", "fits"),
    [
        ("2021", 2023, True),
        ("2021", 2021, True),
        ("2021", 2020, False),
        ("2019", 2019, True),
        ("2019", 2020, True),
        ("2019", 2022, False),
        ("pre2019", 2017, True),
        ("pre2019", 2019, False),
    ],
)
def test_template_year(template: str, year: int, fits: bool) -> None:
    r = Report(source=None, template=template, year=year, agency=None, title=None)
    found = validate(r)
    assert rules(found) == ([] if fits else [("template.year", "warning")])
    if not fits:
        assert str(year) in found[0].message_en


def test_template_rows_missing_and_extra() -> None:
    apps: dict[str, dict[str, Any]] = {r: c for r, c in applications("2021").items() if not r.startswith("other.")}
    apps["other"] = {c: 0 for c in schema.applicant_column_keys()}
    found = validate(report(apps=apps))
    (f,) = only(found, "template.rows")
    assert f.severity == "warning"
    paths = [c.path for c in f.cells]
    assert paths == [
        "applications/other.no_correction",
        "applications/other.no_fee",
        "applications/other.other",
        "applications/other",
    ]
    assert f.cells[-1].line == 1 and f.cells[0].line is None
    # the missing rows also leave the column totals undecidable
    assert [x.severity for x in only(found, "applications.column_total")] == ["uncertain"] * 7


def test_template_rows_missing_item() -> None:
    act = active("2019")
    del act["art20_9"]
    (f,) = validate(report("2019", 2020, act=act))
    assert f.rule == "template.rows"
    assert [c.path for c in f.cells] == ["active_disclosure/art20_9/central_procurement"]


# --- year and prose -------------------------------------------------------------------------------------------------


def sec(text: str, key: str | None = "other", line: int = 10) -> tuple[Section, ...]:
    return (Section(key=key, number="六、", kind="cn", title="其他需要报告的事项", line=line, text=text),)


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("本年度报告中所列数据的统计期限自2023年1月1日起至2023年12月31日止。", False),
        ("本年度报告中所列数据统计期限从2023年1月1日到2023年12月31日。", False),
        ("本年度报告中所列数据的统计期限自2022年1月1日起至2022年12月31日止。", True),
        ("本报告统计时限为2022年1月1日至2022年12月31日。", True),  # the words the document stage reads the year by
        ("本报告统计时限为2022年。", True),  # a year alone is the whole year
        ("统计期限为2022年12月1日至2023年11月30日。", False),  # not a calendar year: no certain year
        ("统计期限自2022年1月1日起。", False),  # where it ends is not said
        ("2022年1月1日至2022年12月31日,我局…", False),  # no 统计期限: not a statement of the period
    ],
)
def test_year_period(text: str, finding: bool) -> None:
    found = validate(report(title="某某局2023年政府信息公开工作年度报告", sections=sec("前文。\n" + text)))
    assert rules(found) == ([("year.period", "warning")] if finding else [])
    if finding:
        assert (found[0].expected, found[0].actual) == (2023, 2022)
        assert "under line 10" in found[0].message_en


def test_year_period_needs_a_title_year() -> None:
    text = "统计期限自2022年1月1日起至2022年12月31日止。"
    assert validate(report(title=None, sections=sec(text))) == ()


@pytest.mark.parametrize(
    "text",
    [
        "2023年,我厅收到政府信息公开申请{n}件,其中经沟通后申请人主动撤回39件;",
        "2023年,收到并按时办理依申请公开{n}件,无依申请公开复议。",
        "2023年我局接到{n}起政府信息公开申请,已依法予以回复。",
        "本年度共收到政府信息公开申请共计{n}件。",
        "2023年收到政府信息公开申请{n}件,比2022年增加5件。",  # the other year is in another clause
    ],
)
def test_prose_received_is_compared(text: str) -> None:
    apps = applications("2021")
    total = apps["new_received"]["total"]
    assert validate(report(apps=apps, sections=sec(text.format(n=total)))) == ()
    (f,) = validate(report(apps=apps, sections=sec("第一行\n" + text.format(n=total + 5))))
    assert (f.rule, f.severity, f.expected, f.actual) == ("prose.new_received", "warning", total + 5, total)
    assert f.cells[0].path == "applications/new_received/total"
    assert (f.cells[1].path, f.cells[1].value, f.cells[1].line) == ("text/other", total + 5, None)
    assert "under line 10" in f.message_en and "第10行" in f.message_zh


def test_prose_none_received() -> None:
    text = "本年度未收到政府信息公开申请。"
    zero = {row: dict.fromkeys(cols, 0) for row, cols in applications("2021").items()}
    assert validate(report(apps=zero, sections=sec(text))) == ()
    (f,) = validate(report(sections=sec(text)))
    assert (f.rule, f.expected) == ("prose.new_received", 0)


@pytest.mark.parametrize(
    "text",
    [
        "2023年,受理依申请公开事项46件,无一例被行政复议或诉讼。",  # 受理 counts handled, not received
        "2019年,我厅共办理依申请公开129件,其中网络申请90件。",  # 办理 likewise
        "2022年收到政府信息公开申请70件。",  # another year
        "与上年收到政府信息公开申请70件相比有所增加。",  # last year
        "全市共收到政府信息公开申请1234件。",  # a wider area
        "收到行政复议申请3件。",  # not an information request
        "收到政府信息公开申请近百件。",  # no certain number
        "收到政府信息公开申请100余件。",  # likewise
        "收到政府信息公开申请48件(含上年结转2件)。",  # the carry-over is mixed in
    ],
)
def test_prose_uncertain_statements_are_not_compared(text: str) -> None:
    assert validate(report(sections=sec(text))) == ()


def test_prose_in_nested_sections() -> None:
    child = Section(
        key=None, number="(二)", kind="paren_cn", title="依申请公开", line=20, text="收到政府信息公开申请3件。"
    )
    parent = Section(key="overview", number="一、", kind="cn", title="总体情况", line=5, children=(child,))
    (f,) = validate(report(sections=(parent,)))
    assert f.cells[1].path == "text/overview/(二)"
    assert "under line 20" in f.message_en


@given(st.text(alphabet="收到接新申请件。,1 ", max_size=12))
def test_a_text_passed_over_holds_no_receiving_verb(text: str) -> None:
    """The character look-up before the verbs' search passes over only texts the search finds nothing in."""
    assert prose._may_hold_a_verb(text) or prose._VERB.search(text) is None


# --- two reports ----------------------------------------------------------------------------------------------------


def test_carry_over_between_years() -> None:
    apps = applications("2021")
    previous = applications("2021")
    previous["carried_forward"] = dict(apps["carried_over"])  # last year's 结转 is this year's 上年结转
    last = report(year=2022, agency="某局", apps=previous)
    this = report(year=2023, agency="某局", apps=apps)
    assert validate_series([last, this]) == ((), ())
    apps["carried_over"]["natural_person"] += 1
    apps["carried_over"]["total"] += 1
    apps["new_received"]["natural_person"] -= 1
    apps["new_received"]["total"] -= 1
    changed = report(year=2023, agency="某局", apps=apps)
    assert validate(changed) == ()
    first, second = validate_series([changed, last])
    assert first and not second
    assert rules(first) == [("applications.carry_over", "warning")] * 2
    other_agency = report(year=2023, agency="另一局", apps=apps)
    assert validate_series([last, other_agency]) == ((), ())


# --- the seeds ------------------------------------------------------------------------------------------------------


def gold_report(data: dict[str, Any]) -> Report:
    def num(x: Any) -> int | Decimal | None:
        return Decimal(str(x)) if isinstance(x, float) else x

    t = data["tables"]
    return report(
        data["template"],
        data["year"],
        apps={r: {c: num(x) for c, x in cols.items()} for r, cols in t["applications"].items()},
        revs={r: {c: num(x) for c, x in cols.items()} for r, cols in t["reviews"].items()},
        act={
            i: {r: {c: num(x) for c, x in cols.items()} for r, cols in rows.items()}
            for i, rows in t["active_disclosure"].items()
        },
    )


@pytest.mark.parametrize("path", gold_files(), ids=lambda p: p.stem[:3])
def test_gold_tables(path: Any) -> None:
    """The hand-checked tables: only seed 000's （七）总计 row breaks (docs/spec.md §6).  A gold cell that is
    null (a cell the document leaves empty or cuts off) makes its rules uncertain, not broken."""
    found = validate(gold_report(load_gold(path)))
    if not path.name.startswith("000"):
        assert [f for f in found if f.severity != "uncertain"] == []
        return
    assert [(f.rule, f.severity, f.cells[0].path, f.expected, f.actual) for f in found] == [
        ("applications.row_total", "error", "applications/total/total", 86, 85),
        ("applications.column_total", "error", "applications/total/other_org", 0, 1),
        ("applications.balance", "error", "applications/total/other_org", 0, 1),
    ]


def test_seed_000_parsed() -> None:
    """Through the whole pipeline (needs the table stage): the （七）总计 break with both cells, nothing else."""
    import xxgk

    r = xxgk.parse_file(CORPUS / "000_875ca7f37e0dab6a.txt")
    found = [f for f in r.findings if f.severity != "uncertain"]
    summary = [(f.rule, f.cells[0].path, f.cells[0].value, f.expected, f.actual) for f in found]
    assert summary == [
        ("applications.row_total", "applications/total/total", 85, 86, 85),
        ("applications.column_total", "applications/total/other_org", 1, 0, 1),
        ("applications.balance", "applications/total/other_org", 1, 0, 1),
    ], json.dumps(summary, ensure_ascii=False)
    row = found[0]
    other_org = next(c for c in row.cells if c.path == "applications/total/other_org")
    assert other_org.value == 1 and other_org.line is not None and row.cells[0].line is not None


def test_seed_edits_through_the_pipeline() -> None:
    """Prose, title and period checks on real text: a changed number or year in a seed is found, nothing else."""
    import xxgk

    text = (CORPUS / "000_875ca7f37e0dab6a.txt").read_text(encoding="utf-8")
    r = xxgk.parse(text.replace("收到政府信息公开申请85件", "收到政府信息公开申请86件"))
    (f,) = only(r.findings, "prose.new_received")
    assert (f.severity, f.expected, f.actual) == ("warning", 86, 85)
    assert f.cells[0].path == "applications/new_received/total" and f.cells[1].path == "text/overview/(二)"

    text = (CORPUS / "001_8813c9ce404390ad.txt").read_text(encoding="utf-8")
    assert text.startswith("2023年")
    r = xxgk.parse("2020" + text[4:])
    assert rules(r.findings) == [("template.year", "warning"), ("year.period", "warning")]
    assert [(f.expected, f.actual) for f in only(r.findings, "year.period")] == [(2020, 2023)]


_Case = tuple[tuple[Equation, ...], KeyedTable]


@st.composite
def _tables(draw: st.DrawFn) -> _Case:
    """A plan (a template's applications identities, or the reviews') and a table of its cells, some missing, some
    empty ("/"), some rows missing, values small so that identities hold now and then."""
    kind = draw(st.sampled_from(["2019", "2021", "reviews"]))
    plan = REVIEW_PLAN if kind == "reviews" else APPLICATION_PLANS[kind]
    table: KeyedTable = {}
    for eq in plan:
        for _, row, col in (*eq.stated, *eq.operands):
            if draw(st.integers(0, 9)) > 0:
                cell = draw(st.one_of(st.integers(0, 2), st.just(None), st.just(Decimal("0.5"))))
                table.setdefault(row, {})[col] = val(cell)
    for row in draw(st.lists(st.sampled_from(sorted(table)), max_size=3)) if table else ():
        table.pop(row, None)
    return plan, table


@settings(max_examples=200, deadline=None)
@given(_tables())
def test_the_cell_plan_finds_what_each_equation_checked_alone_finds(case: _Case) -> None:
    """``equations`` adds up each identity from the plan's values, read once a cell; ``check`` reads each identity's
    cells itself (as the series checks do): the same findings, in the same order."""
    plan, table = case
    alone = [f for eq in plan if (eq.row is None or eq.row in table) and (f := check(eq, table, table)) is not None]
    assert list(equations(CellPlan.of(plan), table)) == (alone if table else [])
