"""Gold tests: the hand-checked values of ../shared/gold are the truth; every field is compared."""

from __future__ import annotations

from typing import Any

import pytest

import xxgk
from tests.conftest import CORPUS, GOLD, ROOT, assert_tables_match_gold, gold_files, load_gold, pending


@pytest.fixture(scope="module", params=pending(gold_files()))
def case(request: pytest.FixtureRequest) -> tuple[dict[str, Any], dict[str, Any]]:
    gold = load_gold(request.param)
    report = xxgk.parse_file(CORPUS / gold["source"])
    return gold, xxgk.to_dict(report)


def test_gold_copy_matches_shared() -> None:
    shared = ROOT.parent / "shared" / "gold"
    if not shared.is_dir():
        pytest.skip("../shared/gold is not beside this checkout")
    for path in shared.glob("*.json"):
        assert (GOLD / path.name).read_text(encoding="utf-8") == path.read_text(encoding="utf-8"), path.name


def test_template(case: tuple[dict[str, Any], dict[str, Any]]) -> None:
    gold, got = case
    assert got["template"] == gold["template"]


def test_year(case: tuple[dict[str, Any], dict[str, Any]]) -> None:
    gold, got = case
    assert got["year"] == gold["year"]


def test_agency(case: tuple[dict[str, Any], dict[str, Any]]) -> None:
    gold, got = case
    want = gold.get("agency_contains")
    if want:
        assert want in (got["agency"] or "")


def test_section_keys(case: tuple[dict[str, Any], dict[str, Any]]) -> None:
    gold, got = case
    assert [s["key"] for s in got["sections"] if s["key"]] == gold["section_keys"]


def test_children_counts(case: tuple[dict[str, Any], dict[str, Any]]) -> None:
    gold, got = case
    by_key = {s["key"]: s for s in got["sections"] if s["key"]}
    for key, n in gold["children_counts"].items():
        assert len(by_key[key]["children"]) == n, key


def test_table_cells(case: tuple[dict[str, Any], dict[str, Any]]) -> None:
    gold, got = case
    assert_tables_match_gold(gold["tables"], got["tables"])
