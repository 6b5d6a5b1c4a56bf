"""``xxgk compare OLD NEW``: cells side by side, changes, and the findings about the pair (JSON and terminal), on
generated reports (tests/panel_corpus.py) with planted breaks."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests import panel_corpus
from xxgk.cli import main as cli

JUMP_PATH = "active_disclosure/art20_5/licensing/decisions"


@pytest.fixture(autouse=True)
def wide_console(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "250")


@pytest.fixture
def series(tmp_path: Path) -> tuple[Path, dict[int, dict[str, Any]]]:
    written = panel_corpus.write_series(
        tmp_path,
        "示例市财政局",
        range(2020, 2023),
        seed=7,
        carry_breaks={2022: {"commercial": 3}},
        edits={2022: {JUMP_PATH: 700}},
    )
    return tmp_path, written


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any]]:
    status = cli.main(["compare", *args, "--format", "json"])
    return status, json.loads(capsys.readouterr().out)


def lookup(tables: dict[str, Any], path: str) -> Any:
    node: Any = tables
    for part in path.split("/"):
        node = node.get(part) if isinstance(node, dict) else None
    return node


def test_cells_side_by_side_with_changes(series: tuple[Path, Any], capsys: pytest.CaptureFixture[str]) -> None:
    folder, written = series
    status, data = run_json(capsys, str(folder / "示例市财政局_2021.txt"), str(folder / "示例市财政局_2022.txt"))
    assert status == 1
    assert (data["old"]["year"], data["new"]["year"]) == (2021, 2022)
    assert len(data["cells"]) == len({c["path"] for c in data["cells"]}) > 150
    for c in data["cells"]:
        old, new = lookup(written[2021], c["path"]), lookup(written[2022], c["path"])
        assert (c["old"]["value"], c["new"]["value"]) == (float(old), float(new))
        assert c["change"] == float(new - old)
        assert c["new"]["line"] > 0


def test_findings_are_the_planted_ones(series: tuple[Path, Any], capsys: pytest.CaptureFixture[str]) -> None:
    folder, _ = series
    _, data = run_json(capsys, str(folder / "示例市财政局_2021.txt"), str(folder / "示例市财政局_2022.txt"))
    found = {(f["rule"], f["cells"][0]["path"]) for f in data["findings"]}
    assert found == {
        ("applications.carry_over", "applications/carried_over/commercial"),
        ("applications.carry_over", "applications/carried_over/total"),
        ("panel.jump", JUMP_PATH),
    }


def test_consistent_pair_has_no_findings(series: tuple[Path, Any], capsys: pytest.CaptureFixture[str]) -> None:
    folder, _ = series
    # 2020 → 2021 changes template: the expected change is noted, not a failure.
    status, data = run_json(capsys, str(folder / "示例市财政局_2020.txt"), str(folder / "示例市财政局_2021.txt"))
    assert status == 0
    assert [(f["rule"], f["severity"]) for f in data["findings"]] == [("panel.template_change", "uncertain")]
    one_sided = [c for c in data["cells"] if c["old"] is None or c["new"] is None]
    assert one_sided and all(c["change"] is None for c in one_sided)
    assert {c["path"] for c in one_sided} == {c["path"] for c in data["findings"][0]["cells"]}


def test_changed_only(series: tuple[Path, Any], capsys: pytest.CaptureFixture[str]) -> None:
    folder, _ = series
    files = (str(folder / "示例市财政局_2021.txt"), str(folder / "示例市财政局_2022.txt"))
    _, every = run_json(capsys, *files)
    _, changed = run_json(capsys, *files, "--changed")
    assert [c for c in every["cells"] if c["old"]["value"] != c["new"]["value"]] == changed["cells"]


def test_years_apart_and_other_agency(series: tuple[Path, Any], capsys: pytest.CaptureFixture[str]) -> None:
    folder, _ = series
    _, data = run_json(capsys, str(folder / "示例市财政局_2020.txt"), str(folder / "示例市财政局_2022.txt"))
    rules = [f["rule"] for f in data["findings"]]
    assert "compare.years" in rules
    assert "applications.carry_over" not in rules
    panel_corpus.write_series(folder, "东湖区教育局", range(2021, 2022), seed=3)
    status, data = run_json(capsys, str(folder / "东湖区教育局_2021.txt"), str(folder / "示例市财政局_2022.txt"))
    assert status == 1
    assert data["findings"][0]["rule"] == "compare.agency"


def test_terminal_view(series: tuple[Path, Any], capsys: pytest.CaptureFixture[str]) -> None:
    folder, written = series
    status = cli.main(["compare", str(folder / "示例市财政局_2021.txt"), str(folder / "示例市财政局_2022.txt")])
    out = capsys.readouterr().out
    assert status == 1
    before = lookup(written[2021], JUMP_PATH)
    line = next(x for x in out.splitlines() if JUMP_PATH in x)
    # path │ old ·line │ new ·line │ change
    cells = [c.split() for c in line.split("│")]
    assert [c[0] for c in cells] == [JUMP_PATH, str(before), "700", f"+{700 - before}"]
    assert "warning applications.carry_over" in out
    assert "warning panel.jump" in out


def test_unreadable_file(tmp_path: Path) -> None:
    assert cli.main(["compare", str(tmp_path / "missing.txt"), str(tmp_path / "also.txt")]) >= 3
