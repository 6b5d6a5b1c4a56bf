"""Render and re-parse: statutory tables written in every serialisation (plain or Traditional characters, LF or CRLF)
parse back to the same values through the whole pipeline (``xxgk.parse``).

These need every stage (document grammar, serialisation grammars, statutory layer); they fail until all have landed.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import xxgk
from tests import render
from tests.conftest import gold_files, load_gold
from xxgk.records import Tables, Value


def plain(tables: Tables) -> dict[str, Any]:
    """The parsed tables as plain values (Decimal kept), in the shape the renderers take."""

    def values(table: dict[str, dict[str, Value]]) -> dict[str, dict[str, Any]]:
        return {row: {column: v.value for column, v in cells.items()} for row, cells in table.items()}

    return {
        "active_disclosure": {item: values(rows) for item, rows in tables.active_disclosure.items()},
        "applications": values(tables.applications),
        "reviews": values(tables.reviews),
    }


@pytest.mark.parametrize("form", render.FORMS)
@pytest.mark.parametrize("template", ["2019", "2021"])
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.data(),
    traditional=st.booleans(),
    crlf=st.booleans(),
    wrapped=st.booleans(),
    units=st.booleans(),
)
def test_generated_tables_round_trip(
    form: str, template: str, data: st.DataObject, traditional: bool, crlf: bool, wrapped: bool, units: bool
) -> None:
    tables = data.draw(render.plain_tables(template))
    text = render.render_report(
        tables, template, form, traditional=traditional, crlf=crlf, wrapped=wrapped, units=units
    )
    report = xxgk.parse(text.encode("utf-8"))
    assert report.template == template
    assert plain(report.tables) == tables


GOLD = [load_gold(p) for p in gold_files()]


@pytest.mark.parametrize("variant", ["plain", "traditional_crlf_wrapped"])
@pytest.mark.parametrize("form", render.FORMS)
@pytest.mark.parametrize("gold", GOLD, ids=[g["source"][:3] for g in GOLD])
def test_seed_tables_in_every_form(gold: dict[str, Any], form: str, variant: str) -> None:
    """Each seed's gold tables, re-rendered in every serialisation, parse back to the gold values."""
    fancy = variant != "plain"
    text = render.render_report(
        gold["tables"], gold["template"], form, traditional=fancy, crlf=fancy, wrapped=fancy, units=fancy
    )
    report = xxgk.parse(text)
    assert report.template == gold["template"]
    assert xxgk.to_dict(report)["tables"] == gold["tables"]
