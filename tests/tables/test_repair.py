"""Reading an unreadable cell where an identity and its text agree (xxgk.tables.repair), through the statutory layer."""

from __future__ import annotations

from typing import Any

import pytest

import xxgk
from tests import render as renderers
from tests.tables.streams import kinds, layout, placed, render, replace_cell
from xxgk import schema
from xxgk.tables.repair import spelled
from xxgk.tables.statutory import read_cell_stream


@pytest.mark.parametrize(
    ("text", "value"),
    [("l2", 12), ("1O", 10), ("O", 0), ("I5", 15), ("〇", 0), ("一二", 12), ("七四", 74), ("12", 12)],
)
def test_spelled(text: str, value: int) -> None:
    assert spelled(text) == value


@pytest.mark.parametrize("text", ["无", "*", "不适用", "一百二十七", "l2a", "", "1.5"])
def test_spelled_nothing(text: str) -> None:
    assert spelled(text) is None


def _consistent_applications(template: str) -> tuple[list[object], dict[str, int]]:
    """Cells of both tables whose applications and reviews tables satisfy every identity (all values zero but one
    application of a natural person, granted, in new_received and total), so that identities can decide."""
    cells, numbers = render(layout(template))
    ones = {"new_received/natural_person", "new_received/total", "granted/natural_person", "granted/total"}
    ones |= {"total/natural_person", "total/total"}
    out = cells
    for key, n in numbers.items():
        if key.count("/") == 1 and not key.startswith(("review/", "litigation_")):
            out = replace_cell(out, str(n), "1" if key in ones else "0")
            numbers[key] = 1 if key in ones else 0
        elif key.startswith(("review/", "litigation_")):
            out = replace_cell(out, str(n), "0")
            numbers[key] = 0
    return out, numbers


@pytest.mark.parametrize("template", ["2019", "2021"])
def test_a_lookalike_cell_that_the_identities_confirm_is_placed(template: str) -> None:
    cells, numbers = _consistent_applications(template)
    cells = replace_cell(cells, "1", "l")  # new_received/natural_person: the first "1"
    cells = replace_cell(cells, "0", "O")  # new_received/commercial: the first "0" after it
    tables, diagnostics = read_cell_stream(cells, template)
    assert placed(tables) == numbers
    assert kinds(diagnostics) == ["value.repaired", "value.repaired"]
    assert all("applications." in d.message for d in diagnostics)


def test_a_lookalike_cell_that_the_identities_contradict_stays_null() -> None:
    cells, numbers = _consistent_applications("2021")
    cells = replace_cell(cells, "1", "l7")  # spells 17 where the identities give 1
    tables, diagnostics = read_cell_stream(cells, "2021")
    assert "natural_person" not in tables.applications["new_received"]
    assert placed(tables) == {k: v for k, v in numbers.items() if k != "new_received/natural_person"}
    assert kinds(diagnostics) == ["value.unreadable"]


def test_cells_outside_every_identity_stay_null() -> None:
    cells, numbers = render(layout("2021"))
    target = "art20_1/rules/issued"
    cells = replace_cell(cells, str(numbers[target]), "l")
    tables, diagnostics = read_cell_stream(cells, "2021")
    assert placed(tables) == {k: v for k, v in numbers.items() if k != target}
    assert kinds(diagnostics) == ["value.unreadable"]


def _balanced(template: str) -> dict[str, Any]:
    """Tables of ``template`` that satisfy every identity, with carried_over/commercial empty (None)."""
    columns = schema.applicant_column_keys()
    rows = schema.application_row_keys(template)
    zero = dict.fromkeys(columns, 0)
    apps: dict[str, dict[str, Any]] = {row: dict(zero) for row in rows}
    apps["new_received"] |= {"natural_person": 4, "commercial": 3, "research": 2, "total": 9}
    apps["carried_over"] |= {"natural_person": 1, "commercial": None, "research": 2, "total": 3}
    apps["granted"] |= {"natural_person": 5, "commercial": 1, "research": 4, "total": 10}
    apps["partial"] |= {"commercial": 2, "total": 2}
    apps["total"] |= {"natural_person": 5, "commercial": 3, "research": 4, "total": 12}
    active = {
        item: {row: {col: 1 for col, _ in cols} for row, _ in rows_}
        for item, (rows_, cols) in schema.ACTIVE_DISCLOSURE[template].items()
    }
    reviews = {group: dict.fromkeys((c for c, _ in schema.REVIEW_COLUMNS), 0) for group, _ in schema.REVIEW_GROUPS}
    return {"active_disclosure": active, "applications": apps, "reviews": reviews}


@pytest.mark.parametrize("template", ["2019", "2021"])
def test_a_row_short_of_an_empty_cell_is_placed_where_only_one_placement_fits(template: str) -> None:
    tables = _balanced(template)
    text = renderers.render_report(tables, template, "lines").replace("\n1\n/\n2\n", "\n1\n2\n", 1)
    report = xxgk.parse(text)
    got = report.tables.applications["carried_over"]
    assert {k: v.value for k, v in got.items()} == {
        k: v for k, v in tables["applications"]["carried_over"].items() if v is not None
    }
    assert "table.short_row_placed" in [d.kind for d in report.diagnostics]
    assert "table.short_row" not in [d.kind for d in report.diagnostics]


def test_a_short_row_that_several_placements_fit_stays_null() -> None:
    tables = _balanced("2021")
    tables["applications"]["carried_over"] = {
        "natural_person": 1,
        "commercial": None,
        "research": 0,
        "public_interest": 0,
        "legal_service": 0,
        "other_org": 0,
        "total": 1,
    }
    text = renderers.render_report(tables, "2021", "lines").replace("\n1\n/\n0\n", "\n1\n0\n", 1)
    report = xxgk.parse(text)
    assert "carried_over" not in report.tables.applications
    assert "table.short_row" in [d.kind for d in report.diagnostics]
