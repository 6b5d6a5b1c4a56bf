"""Stage 4 — consistency rules (勾稽关系) over a parsed Report: :func:`validate`, :func:`validate_series`.

Every rule of docs/spec.md (§6, the identities) becomes zero or more :class:`~xxgk.records.Finding` records; the rule
ids, formulas and examples are documented in ``docs/checks.md``.  A break of an arithmetic identity of the national
format is an ``error``; a plausibility check (a disagreement that has innocent explanations, a template or year that
does not fit) is a ``warning``; a rule that cannot be decided because an operand is empty (``/``) or missing is
``uncertain``.  Rules only run on tables that were found: a report without tables has nothing to add up.

In every finding the cells of the *stated* side (the total the report prints) come first, then the operands, so
that ``cells[0]`` is the cell a reader should look at.
"""

from __future__ import annotations

from xxgk.checks.arithmetic import equations
from xxgk.checks.plausibility import active_disclosure, template_fit
from xxgk.checks.prose import prose_numbers, section_texts, year_fit
from xxgk.checks.series import validate_series
from xxgk.identities import APPLICATION_CELL_PLANS, REVIEW_CELL_PLAN
from xxgk.records import Finding, Report

__all__ = ["validate", "validate_series"]


def validate(report: Report) -> tuple[Finding, ...]:
    """Every finding of every rule in docs/spec.md for ``report``: breaks, warnings and uncertain checks."""
    applications = APPLICATION_CELL_PLANS.get(report.template or "")
    texts = section_texts(report.sections)
    return (
        *(equations(applications, report.tables.applications) if applications else ()),
        *equations(REVIEW_CELL_PLAN, report.tables.reviews),
        *active_disclosure(report.tables, report.template),
        *template_fit(report),
        *year_fit(report, texts),
        *prose_numbers(report, texts),
    )
