"""The identities' plans by template (identities.ByTemplate): made when first asked for, as made all at once."""

from __future__ import annotations

import subprocess
import sys

import pytest

from xxgk import identities, schema


def test_each_templates_plan_is_the_one_made_from_the_schema() -> None:
    assert dict(identities.APPLICATION_PLANS) == {t: identities._application_plan(t) for t in schema.APPLICATION_ROWS}
    assert dict(identities.APPLICATION_CELL_PLANS) == {
        t: identities.CellPlan.of(identities._application_plan(t)) for t in schema.APPLICATION_ROWS
    }
    assert list(identities.APPLICATION_PLANS) == list(schema.APPLICATION_ROWS)
    assert len(identities.APPLICATION_CELL_PLANS) == len(schema.APPLICATION_ROWS)


def test_a_template_without_an_applications_table_has_no_plan() -> None:
    assert identities.APPLICATION_CELL_PLANS.get("pre2019") is None
    assert "pre2019" not in identities.APPLICATION_PLANS
    with pytest.raises(KeyError):
        identities.APPLICATION_PLANS["pre2019"]


def test_a_plan_is_made_once_and_only_when_asked_for() -> None:
    code = (
        "from xxgk import identities as i\n"
        "plans = (i.APPLICATION_PLANS, i.APPLICATION_CELL_PLANS)\n"
        "made = lambda: [p._make.cache_info().currsize for p in plans]\n"
        "before = made()\n"
        "first = i.APPLICATION_CELL_PLANS['2021']\n"
        "print(before, made(), i.APPLICATION_CELL_PLANS['2021'] is first)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split("] ") == ["[0, 0", "[1, 1", "True\n"]
