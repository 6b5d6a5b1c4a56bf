"""Checks that need two reports of the same agency: this year's 上年结转 against last year's 结转下年度."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from xxgk import schema
from xxgk.checks.arithmetic import check
from xxgk.identities import APPLICANT_LABELS, Equation
from xxgk.records import Finding, Report


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
        finding = check(eq, now, before)
        if finding:
            yield finding
