"""``xxgk panel`` — the panel, its two-year findings, its rows and files: the rows' previous values and changes, and
the two-year findings on generated multi-year corpora (tests/panel_corpus.py) whose breaks are planted — the
findings must be exactly the planted ones."""

from __future__ import annotations

import csv
import shutil
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import xxgk
from tests import panel_corpus
from xxgk.cli import main as cli
from xxgk.panel import grouping, rows
from xxgk.panel.pairs import Jumps
from xxgk.panel.reports import normalise_name
from xxgk.records import Report

YEARS = range(2020, 2023)
# (agency, seed, the name as some years' titles print it)
AGENCIES: tuple[tuple[str, int, dict[int, str]], ...] = (
    ("示例市财政局", 1, {2021: "示例市 财政局", 2022: "示例市財政局"}),
    ("东湖区教育局", 2, {2021: "东湖区　教育局"}),  # an ideographic (full-width) space
    ("北山县人力资源和社会保障局", 3, {2020: "北山县人力资源和社会保障局 "}),
    ("南江市ＡＢ局", 4, {2022: "南江市AB局"}),  # full-width letters one year, half-width the next
)
# Planted: carried_over raised against last year's carried_forward (agency, year, column, delta).
CARRY_BREAKS = (("示例市财政局", 2022, "research", 2), ("东湖区教育局", 2021, "natural_person", -1))
# Planted: a cell whose value is set (agency, year, path, value) — 900 against at most 5 the year before.
JUMP = ("北山县人力资源和社会保障局", 2022, "active_disclosure/art20_5/licensing/decisions", 900)


def key(name: str) -> str:
    return normalise_name(name)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, dict[int, dict[str, Any]]]]:
    folder = tmp_path_factory.mktemp("panel")
    written = {}
    for agency, seed, printed in AGENCIES:
        breaks: dict[int, dict[str, int]] = {}
        for a, year, col, delta in CARRY_BREAKS:
            if a == agency:
                breaks.setdefault(year, {})[col] = delta
        edits = {JUMP[1]: {JUMP[2]: JUMP[3]}} if agency == JUMP[0] else {}
        written[agency] = panel_corpus.write_series(
            folder, agency, YEARS, seed=seed, printed=printed, carry_breaks=breaks, edits=edits
        )
    return folder, written


def parsed(folder: Path) -> list[Report]:
    return [xxgk.parse_file(p) for p in sorted(folder.glob("*.txt"))]


def by_rule(p: grouping.Panel, rule: str) -> set[tuple[str | None, int | None, str]]:
    return {
        (pf.agency_key, pf.year, pf.finding.cells[0].path if pf.finding.cells else "")
        for pf in p.findings
        if pf.finding.rule == rule
    }


# --- the panel on a generated corpus -------------------------------------------------------------------------------


def test_printed_variants_are_one_agency(corpus: tuple[Path, Any]) -> None:
    folder, _ = corpus
    p = grouping.build(parsed(folder))
    assert sorted({e.key for e in p.entries}) == sorted(key(a) for a, _, _ in AGENCIES)
    assert all(e.previous is not None for e in p.entries if e.report.year != YEARS[0])


def test_carry_over_findings_are_the_planted_ones(corpus: tuple[Path, Any]) -> None:
    folder, _ = corpus
    p = grouping.build(parsed(folder))
    planted = set()
    for agency, year, col, _ in CARRY_BREAKS:
        # The total column carries the planted difference too.
        planted |= {(key(agency), year, f"applications/carried_over/{c}") for c in (col, "total")}
    assert by_rule(p, "applications.carry_over") == planted


def test_jump_findings_are_the_planted_ones(corpus: tuple[Path, Any]) -> None:
    folder, _ = corpus
    p = grouping.build(parsed(folder))
    agency, year, path, value = JUMP
    assert by_rule(p, "panel.jump") == {(key(agency), year, path)}
    (jump,) = [pf.finding for pf in p.findings if pf.finding.rule == "panel.jump"]
    assert jump.actual == value


def test_template_change_is_expected_at_2021_only(corpus: tuple[Path, Any]) -> None:
    folder, _ = corpus
    p = grouping.build(parsed(folder))
    changes = [pf for pf in p.findings if pf.finding.rule == "panel.template_change"]
    assert {(pf.agency_key, pf.year) for pf in changes} == {(key(a), 2021) for a, _, _ in AGENCIES}
    assert {pf.finding.severity for pf in changes} == {"uncertain"}


def test_nothing_else_is_found(corpus: tuple[Path, Any]) -> None:
    folder, _ = corpus
    p = grouping.build(parsed(folder))
    rules = {pf.finding.rule for pf in p.findings}
    assert rules == {"applications.carry_over", "panel.jump", "panel.template_change"}


def test_previous_values_and_changes(corpus: tuple[Path, Any]) -> None:
    folder, written = corpus
    p = grouping.build(parsed(folder))
    names = {key(a): a for a in written}
    compared = 0
    for row in rows.rows(p, exact=True):
        values = written[names[row["agency_key"]]]
        path = [row["table"], row["item"], row["row"], row["column"]]
        here = values[row["year"]]
        for part in filter(None, path):
            here = here[part]
        assert row["value"] == here
        if row["year"] == YEARS[0]:
            assert row["previous_year"] is None
            assert row["previous_value"] is None
            continue
        assert row["previous_year"] == row["year"] - 1
        before: Any = values[row["year"] - 1]
        for part in filter(None, path):
            before = before.get(part) if isinstance(before, dict) else None
        assert row["previous_value"] == before
        if before is not None:
            assert row["change"] == row["value"] - before
            compared += 1
        else:
            assert row["change"] is None  # a cell of one template only
    assert compared > 400


def test_findings_mark_their_cells(corpus: tuple[Path, Any]) -> None:
    folder, _ = corpus
    p = grouping.build(parsed(folder))
    marked = {
        (r["agency_key"], r["year"], f"{r['table']}/{r['row']}/{r['column']}")
        for r in rows.rows(p)
        if r["findings"] and "applications.carry_over" in r["findings"]
    }
    assert marked == by_rule(p, "applications.carry_over")


def test_jump_factor_and_floor_are_settings(corpus: tuple[Path, Any]) -> None:
    folder, _ = corpus
    reports = parsed(folder)
    assert not by_rule(grouping.build(reports, jumps=Jumps(factor=Decimal(1000))), "panel.jump")
    assert not by_rule(grouping.build(reports, jumps=Jumps(floor=Decimal(1000))), "panel.jump")
    assert len(by_rule(grouping.build(reports, jumps=Jumps(factor=Decimal(1), floor=Decimal(3))), "panel.jump")) > 1


def test_missing_year_and_duplicate(corpus: tuple[Path, Any], tmp_path: Path) -> None:
    folder, _ = corpus
    shutil.copytree(folder, tmp_path, dirs_exist_ok=True)
    (tmp_path / "示例市财政局_2021.txt").unlink()
    shutil.copy(tmp_path / "东湖区教育局_2021.txt", tmp_path / "东湖区教育局_2021_copy.txt")
    p = grouping.build(parsed(tmp_path))
    gaps = [pf for pf in p.findings if pf.finding.rule == "panel.missing_year"]
    assert [(pf.agency_key, pf.year) for pf in gaps] == [("示例市财政局", 2021)]
    (dup,) = [pf for pf in p.findings if pf.finding.rule == "panel.duplicate"]
    assert (dup.agency_key, dup.year, dup.finding.actual) == ("东湖区教育局", 2021, 2)
    east = [e for e in p.entries if e.key == "东湖区教育局"]
    assert [e.report.year for e in east] == [2020, 2021, 2021, 2022]
    # Neither duplicate is compared, nor is the year after them: which one came before is not known.
    assert all(e.previous is None for e in east)
    # The planted carry-over break of 东湖区教育局 2021 is no longer checked; the one of 示例市财政局 2022 neither.
    assert by_rule(p, "applications.carry_over") == set()


def test_years_span_reports_missing_ends(corpus: tuple[Path, Any]) -> None:
    folder, _ = corpus
    p = grouping.build(parsed(folder), years=(2019, 2023))
    gaps = {(pf.agency_key, pf.year) for pf in p.findings if pf.finding.rule == "panel.missing_year"}
    assert gaps == {(key(a), y) for a, _, _ in AGENCIES for y in (2019, 2023)}


def test_reports_the_panel_cannot_use() -> None:
    untitled = Report(source="x.txt", template=None, year=None, agency=None, title=None)
    p = grouping.build([untitled], unreadable=[("bad.txt", "binary")])
    rules = sorted((pf.scope, pf.finding.rule, pf.source) for pf in p.findings)
    assert rules == [
        ("input", "input.unreadable", "bad.txt"),
        ("panel", "panel.no_tables", "x.txt"),
        ("panel", "panel.unplaced", "x.txt"),
    ]


# --- the command --------------------------------------------------------------------------------------------------


def test_parquet_ranks_changes_in_one_line(corpus: tuple[Path, Any], tmp_path: Path) -> None:
    folder, _ = corpus
    out = tmp_path / "panel.parquet"
    assert cli.main(["panel", str(folder), "--out", str(out), "--jobs", "1"]) == 1
    df = pd.read_parquet(out)
    top = df.sort_values("change", key=abs, ascending=False).iloc[0]
    agency, year, path, value = JUMP
    assert (top["agency_key"], top["year"], f"{top['table']}/{top['item']}/{top['row']}/{top['column']}") == (
        key(agency),
        year,
        path,
    )
    assert top["value"] == value
    assert top["findings"] == "panel.jump"
    findings = pd.read_parquet(tmp_path / "panel.findings.parquet")
    assert set(findings["rule"]) == {"applications.carry_over", "panel.jump", "panel.template_change"}


def test_csv_keeps_amounts_exact(corpus: tuple[Path, Any], tmp_path: Path) -> None:
    folder, written = corpus
    out = tmp_path / "panel.csv"
    cli.main(["panel", str(folder), "--out", str(out), "--jobs", "1"])
    with out.open(encoding="utf-8") as stream:
        amounts = [r for r in csv.DictReader(stream) if r["column"] == "amount" and r["item"] == "art20_8"]
    names = {key(a): a for a in written}
    assert len(amounts) == len(AGENCIES) * 2  # 2021 and 2022: the 2019 format's 第(八)项 has no amount
    for r in amounts:
        want = written[names[r["agency_key"]]][int(r["year"])]["active_disclosure"]["art20_8"]["fees"]["amount"]
        assert Decimal(r["value"]) == want
    assert (tmp_path / "panel.findings.csv").exists()


def test_exit_statuses(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    panel_corpus.write_series(tmp_path, "示例市财政局", YEARS, seed=1)
    assert cli.main(["panel", str(tmp_path), "--jobs", "1"]) == 0
    (tmp_path / "bad.txt").write_bytes(b"\x00\x01\x02" * 50)
    assert cli.main(["panel", str(tmp_path), "--jobs", "1", "--format", "json"]) == 2
    out = capsys.readouterr().out
    assert '"rule": "input.unreadable"' in out
    with pytest.raises(SystemExit):
        cli.main(["panel", str(tmp_path), "--years", "2023-2019"])


# --- property: any planted breaks are found, and only they ------------------------------------------------------

_BREAK = st.tuples(st.integers(0, 2), st.sampled_from(YEARS[1:]), st.sampled_from(panel_corpus.APPLICANTS))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(breaks=st.lists(_BREAK, max_size=4), delta=st.integers(1, 3), seed=st.integers(0, 1000))
def test_any_planted_carry_over_breaks_are_found(breaks: list[tuple[int, int, str]], delta: int, seed: int) -> None:
    names = ("甲市财政局", "乙县教育局", "丙区民政局")
    planted: dict[tuple[str, int], dict[str, int]] = {}
    for agency, year, col in breaks:
        cols = planted.setdefault((names[agency], year), {})
        cols[col] = cols.get(col, 0) + delta
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for i, name in enumerate(names):
            mine = {year: cols for (a, year), cols in planted.items() if a == name}
            panel_corpus.write_series(folder, name, YEARS, seed=seed + i, carry_breaks=mine)
        p = grouping.build(parsed(folder))
    # Deltas are positive, so a break in any column shows in the total column too.
    want = {
        (name, year, f"applications/carried_over/{c}")
        for (name, year), cols in planted.items()
        for c in [*cols, "total"]
    }
    assert by_rule(p, "applications.carry_over") == want
    assert not by_rule(p, "panel.jump")
