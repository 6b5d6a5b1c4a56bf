"""The arithmetic identities (勾稽关系) of the national format as equations over table keys: one place for them.

The checks (:mod:`xxgk.checks.validate`) report the equations that do not hold; the table stage
(:mod:`xxgk.tables.statutory`) uses them to read a cell whose text alone is not certain (``l2``) when an identity
fixes its value.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import NamedTuple, TypeVar

from xxgk import schema
from xxgk.records import Severity

# The four rows of the applications table that are not handling results (the rest, between carried_over and
# total, are the results that the （七）总计 row adds up).
_NOT_RESULTS = frozenset({"new_received", "carried_over", "total", "carried_forward"})
_TOTAL = "total"

APPLICATION_LABELS = {key: label for rows in schema.APPLICATION_ROWS.values() for key, label in rows}
APPLICANT_LABELS = dict(schema.APPLICANT_COLUMNS)

# A cell an identity reads: its key path (for the finding) and its row and column in the keyed table.
Cell = tuple[str, str, str]
V = TypeVar("V")


class Equation(NamedTuple):
    """``sum(stated) == sum(operands)``, with the messages' names for the row/column/group it checks.

    The schema fixes which cells every identity adds up, so the equations of a table are built once per template
    (paths, labels, messages) and a report only looks its values up.  (A plan, not a record: a NamedTuple costs a
    third of a frozen attrs class to define, at every start of the command.)
    """

    rule: str
    stated: tuple[Cell, ...]
    operands: tuple[Cell, ...]
    where: tuple[str, str]  # Chinese, English
    row: str | None = None  # checked only when the table has this row (a missing row is a template finding)
    severity: Severity = "error"


def short(label: str, width: int = 14) -> str:
    return label if len(label) <= width else label[:width] + "…"


def cells(table: str, pairs: Iterable[tuple[str, str]]) -> tuple[Cell, ...]:
    return tuple((f"{table}/{row}/{col}", row, col) for row, col in pairs)


def _application_plan(template: str) -> tuple[Equation, ...]:
    """The identities of the applications table of ``template``, in the order their findings are reported."""
    rows = schema.application_row_keys(template)
    results = [r for r in rows if r not in _NOT_RESULTS]
    columns = schema.applicant_column_keys()
    applicants = [c for c in columns if c != _TOTAL]
    row_totals = [
        Equation(
            "applications.row_total",
            cells("applications", [(row, _TOTAL)]),
            cells("applications", [(row, c) for c in applicants]),
            (
                f"申请情况表「{short(APPLICATION_LABELS[row])}」行,总计应等于各类申请人之和",
                f"applications row {row}: the total column should be the sum of the applicant columns",
            ),
            row=row,
        )
        for row in rows
    ]
    column_totals = [
        Equation(
            "applications.column_total",
            cells("applications", [(_TOTAL, col)]),
            cells("applications", [(r, col) for r in results]),
            (
                f"申请情况表「{APPLICANT_LABELS[col]}」列,(七)总计应等于各办理结果之和",
                f"applications column {col}: the total row should be the sum of the results",
            ),
        )
        for col in columns
    ]
    balances = [
        Equation(
            "applications.balance",
            cells("applications", [(_TOTAL, col), ("carried_forward", col)]),
            cells("applications", [("new_received", col), ("carried_over", col)]),
            (
                f"申请情况表「{APPLICANT_LABELS[col]}」列,第一项加第二项之和应等于第三项加第四项之和",
                f"applications column {col}: new_received + carried_over = total + carried_forward",
            ),
        )
        for col in columns
    ]
    return (*row_totals, *column_totals, *balances)


def _review_plan() -> tuple[Equation, ...]:
    """The identities of the reviews table (the same in every template), one per group."""
    parts = [c for c, _ in schema.REVIEW_COLUMNS if c != _TOTAL]
    return tuple(
        Equation(
            "reviews.group_total",
            cells("reviews", [(group, _TOTAL)]),
            cells("reviews", [(group, c) for c in parts]),
            (
                f"行政复议、行政诉讼表「{label}」,总计应等于各结果之和",
                f"reviews group {group}: total should be upheld + corrected + other + pending",
            ),
            row=group,
        )
        for group, label in schema.REVIEW_GROUPS
    )


class CellPlan(NamedTuple):
    """The identities of one table with the cells they read, each cell once: a report's values are looked up once
    per cell (in the order of :attr:`rows`), and each identity adds up its sides by their places in that order."""

    equations: tuple[Equation, ...]
    rows: tuple[tuple[str, tuple[str, ...]], ...]  # each row the identities read, with its columns they read
    # Each equation with the row it is checked only with (Equation.row) and its stated cells and operands: places.
    sides: tuple[tuple[str | None, tuple[int, ...], tuple[int, ...], Equation], ...]

    @classmethod
    def of(cls, equations: tuple[Equation, ...]) -> CellPlan:
        """The plan of ``equations``."""
        read: dict[str, dict[str, None]] = {}  # row -> its columns, in the order first read
        for eq in equations:
            for _, row, col in (*eq.stated, *eq.operands):
                read.setdefault(row, {})[col] = None
        rows = tuple((row, tuple(columns)) for row, columns in read.items())
        place = {cell: i for i, cell in enumerate((row, col) for row, columns in rows for col in columns)}
        sides = tuple(
            (eq.row, tuple(place[r, c] for _, r, c in eq.stated), tuple(place[r, c] for _, r, c in eq.operands), eq)
            for eq in equations
        )
        return cls(equations, rows, sides)


class ByTemplate(Mapping[str, V]):
    """A value for each template of the applications table (``schema.APPLICATION_ROWS``), made when first asked
    for: a report reads its own template's, and making every template's cost a one-file run's start-up."""

    def __init__(self, make: Callable[[str], V]) -> None:
        self._make = functools.cache(make)

    def __getitem__(self, template: str) -> V:
        if template not in schema.APPLICATION_ROWS:
            raise KeyError(template)
        return self._make(template)

    def __iter__(self) -> Iterator[str]:
        return iter(schema.APPLICATION_ROWS)

    def __len__(self) -> int:
        return len(schema.APPLICATION_ROWS)


APPLICATION_PLANS = ByTemplate(_application_plan)
REVIEW_PLAN = _review_plan()
# The same as the checks run them on every report.
APPLICATION_CELL_PLANS = ByTemplate(lambda template: CellPlan.of(APPLICATION_PLANS[template]))
REVIEW_CELL_PLAN = CellPlan.of(REVIEW_PLAN)
