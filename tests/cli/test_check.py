"""``xxgk check``: exit statuses, file expansion, JSON output.  Parsing is monkeypatched with hand-made reports
(the rules themselves are tested in test_validate.py), except where the real pipeline's input errors are meant."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import attrs
import pytest

from tests.checks.test_validate import applications, report
from tests.conftest import CORPUS
from xxgk.checks.validate import validate
from xxgk.cli import check
from xxgk.cli import main as cli
from xxgk.errors import (
    EXIT_STATUSES,
    MIXED_FAILURES_STATUS,
    BinaryInputError,
    EmptyInputError,
    InputError,
    NoReportsError,
)
from xxgk.records import Diagnostic, Report


def finished(r: Report) -> Report:
    return attrs.evolve(r, findings=validate(r))


def broken() -> Report:
    apps = applications("2021")
    apps["total"]["other_org"] += 1
    return finished(report(apps=apps))


@pytest.fixture(autouse=True)
def wide_console(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rich wraps tables to the terminal width; a wide one keeps each cell on one line for the assertions."""
    monkeypatch.setenv("COLUMNS", "250")


@pytest.fixture
def fake_parse(monkeypatch: pytest.MonkeyPatch) -> dict[str, Report]:
    """Reports by file name; a name not in the mapping raises InputError as an unreadable file does."""
    reports: dict[str, Report] = {}

    def parse_file(path: str | Path) -> Report:
        name = Path(path).name
        if name not in reports:
            raise InputError("not readable as text", source=name)
        return attrs.evolve(reports[name], source=name)

    monkeypatch.setattr(check, "parse_file", parse_file)
    return reports


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = cli.main(["check", *argv])
    out, err = capsys.readouterr()
    return status, out, err


def test_clean_file_exits_0(tmp_path: Path, fake_parse: dict[str, Report], capsys: pytest.CaptureFixture[str]) -> None:
    fake_parse["a.txt"] = finished(report())
    status, out, _ = run(capsys, str(tmp_path / "a.txt"))
    assert status == 0
    assert "no findings" in out


def test_findings_exit_1_and_show_cells(
    tmp_path: Path, fake_parse: dict[str, Report], capsys: pytest.CaptureFixture[str]
) -> None:
    fake_parse["a.txt"] = finished(report())
    fake_parse["b.txt"] = broken()
    status, out, _ = run(capsys, str(tmp_path / "a.txt"), str(tmp_path / "b.txt"))
    assert status == 1
    assert "applications.row_total" in out and "applications.column_total" in out and "applications.balance" in out
    assert "applications/…/other_org" in out and "total=" in out  # the column's cells, by row
    assert "applications/total/…" in out and "other_org=" in out  # the row's cells, by column


def test_uncertain_only_exits_0(
    tmp_path: Path, fake_parse: dict[str, Report], capsys: pytest.CaptureFixture[str]
) -> None:
    apps: dict[str, dict[str, Any]] = dict(applications("2021"))
    apps["granted"] = {**apps["granted"], "research": None}
    fake_parse["a.txt"] = finished(report(apps=apps))
    status, out, _ = run(capsys, str(tmp_path / "a.txt"))
    assert status == 0
    assert "uncertain" in out


def test_unreadable_file_exits_with_its_status_without_traceback(
    tmp_path: Path, fake_parse: dict[str, Report], capsys: pytest.CaptureFixture[str]
) -> None:
    fake_parse["b.txt"] = broken()
    status, out, err = run(capsys, str(tmp_path / "bad.txt"), str(tmp_path / "b.txt"))
    assert status == InputError.exit_status  # an unreadable file wins over findings, with parse's status
    assert "bad.txt: not readable as text" in err
    assert "Traceback" not in err
    assert "applications.row_total" in out  # the readable file is still checked


def test_real_input_errors_exit_as_parse_does(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    binary = tmp_path / "binary.txt"
    binary.write_bytes(bytes(range(256)) * 8)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    for path in (binary, empty, tmp_path / "missing.txt"):
        status, _, err = run(capsys, str(path))
        assert status == cli.main(["parse", str(path)]), path
        assert status in (BinaryInputError.exit_status, EmptyInputError.exit_status, InputError.exit_status)
        assert "Traceback" not in capsys.readouterr().err and "Traceback" not in err and path.name in err
    status, _, _ = run(capsys, str(binary), str(empty))
    assert status == MIXED_FAILURES_STATUS


def test_empty_directory_exits_as_parse_does(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, str(tmp_path))
    assert status == NoReportsError.exit_status
    assert "no report file (.txt, " in err


def test_directories_are_searched_recursively(
    tmp_path: Path, fake_parse: dict[str, Report], capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "sub").mkdir()
    for name in ("b.txt", "sub/a.txt", "notes.md"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    fake_parse["a.txt"] = fake_parse["b.txt"] = finished(report())
    assert [p.relative_to(tmp_path).as_posix() for p in check.expand([str(tmp_path)])] == ["b.txt", "sub/a.txt"]
    status, out, _ = run(capsys, str(tmp_path), "--format", "json")
    assert status == 0
    assert [Path(row["source"]).name for row in json.loads(out)] == ["b.txt", "a.txt"]


def test_json_output(tmp_path: Path, fake_parse: dict[str, Report], capsys: pytest.CaptureFixture[str]) -> None:
    fake_parse["a.txt"] = finished(report())
    fake_parse["b.txt"] = broken()
    paths = [str(tmp_path / n) for n in ("a.txt", "b.txt", "gone.txt")]
    status, out, _ = run(capsys, *paths, "--format", "json")
    assert status == InputError.exit_status
    rows = json.loads(out)
    assert [row["source"] for row in rows] == paths
    assert rows[0]["findings"] == [] and not rows[0]["failed"]
    assert rows[2] == {
        "source": paths[2],
        "failed": True,
        "error": "not readable as text",
        "exit_status": InputError.exit_status,
        "items": [],
        "findings": [],
    }
    assert rows[1]["failed"] and {i["level"] for i in rows[1]["items"]} == {"error"}
    first = rows[1]["findings"][0]
    assert set(first) == {"rule", "severity", "cells", "expected", "actual", "message_zh", "message_en"}
    assert {(f["rule"], f["cells"][0]["path"]) for f in rows[1]["findings"]} == {
        ("applications.row_total", "applications/total/total"),
        ("applications.column_total", "applications/total/other_org"),
        ("applications.balance", "applications/total/other_org"),
    }
    assert "总计" in out  # Chinese unescaped


def test_carry_over_across_files(
    tmp_path: Path, fake_parse: dict[str, Report], capsys: pytest.CaptureFixture[str]
) -> None:
    fake_parse["2022.txt"] = finished(report(year=2022, agency="某局"))  # carried_forward natural_person 2
    fake_parse["2023.txt"] = finished(report(year=2023, agency="某局"))  # carried_over natural_person 1
    status, out, _ = run(capsys, str(tmp_path / "2022.txt"), str(tmp_path / "2023.txt"), "--format", "json")
    assert status == 1
    rows = json.loads(out)
    assert rows[0]["findings"] == []
    assert {f["rule"] for f in rows[1]["findings"]} == {"applications.carry_over"}


def test_messages_in_chinese(tmp_path: Path, fake_parse: dict[str, Report], capsys: pytest.CaptureFixture[str]) -> None:
    fake_parse["b.txt"] = broken()
    _, out, _ = run(capsys, str(tmp_path / "b.txt"), "--lang", "zh")
    assert "应为" in out


def test_help_documents_exit_status(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli.main(["check", "--help"])
    out = capsys.readouterr().out
    assert "exit status" in out and "uncertain" in out


def test_real_seed_runs(capsys: pytest.CaptureFixture[str]) -> None:
    """The whole pipeline on a seed: whatever stage is finished, check never crashes and exits 0 or 1."""
    status, out, _ = run(capsys, str(CORPUS / "001_8813c9ce404390ad.txt"))
    assert status in (0, 1)
    assert "001_8813c9ce404390ad.txt" in out


def with_diagnostic(r: Report, kind: str, line: int | None = 3, column: int | None = 5) -> Report:
    return attrs.evolve(r, diagnostics=(*r.diagnostics, Diagnostic(kind, f"{kind} here", line, column)))


@pytest.mark.parametrize("kind", ["table.none", "table.unmatched_cell", "table.missing", "table.short_row"])
def test_lost_tables_and_cells_fail_the_gate(
    kind: str, tmp_path: Path, fake_parse: dict[str, Report], capsys: pytest.CaptureFixture[str]
) -> None:
    fake_parse["a.txt"] = with_diagnostic(finished(report()), kind)
    status, out, _ = run(capsys, str(tmp_path / "a.txt"))
    assert status == 1
    assert out.strip() == f"{tmp_path / 'a.txt'}:3:5: error {kind}: {kind} here"


def test_repairs_of_the_text_are_not_gate_items(
    tmp_path: Path, fake_parse: dict[str, Report], capsys: pytest.CaptureFixture[str]
) -> None:
    fake_parse["a.txt"] = with_diagnostic(finished(report()), "normalise.bookmark")
    status, out, _ = run(capsys, str(tmp_path / "a.txt"))
    assert status == 0 and "no findings" in out


@pytest.mark.parametrize(
    ("options", "status"),
    [((), 0), (("--strict",), 1), (("--fail-on", "uncertain"), 1), (("--fail-on", "error"), 0)],
)
def test_levels_choose_what_fails(
    options: tuple[str, ...],
    status: int,
    tmp_path: Path,
    fake_parse: dict[str, Report],
    capsys: pytest.CaptureFixture[str],
) -> None:
    fake_parse["a.txt"] = with_diagnostic(finished(report()), "value.odd")
    assert run(capsys, str(tmp_path / "a.txt"), *options)[0] == status


def test_fail_on_error_lets_warnings_pass(
    tmp_path: Path, fake_parse: dict[str, Report], capsys: pytest.CaptureFixture[str]
) -> None:
    fake_parse["a.txt"] = with_diagnostic(finished(report()), "document.concatenated")
    assert run(capsys, str(tmp_path / "a.txt"))[0] == 1
    assert run(capsys, str(tmp_path / "a.txt"), "--fail-on", "error")[0] == 0


def test_every_text_line_names_file_line_and_column(
    tmp_path: Path, fake_parse: dict[str, Report], capsys: pytest.CaptureFixture[str]
) -> None:
    fake_parse["b.txt"] = broken()
    _, out, _ = run(capsys, str(tmp_path / "b.txt"))
    lines = out.splitlines()
    assert len(lines) == 3
    for line in lines:
        where = line.split(": ", 1)[0]
        path, row, column = where.rsplit(":", 2)
        assert path == str(tmp_path / "b.txt") and row.isdigit() and column.isdigit()


def test_json_reads_in_jq(tmp_path: Path) -> None:
    jq = shutil.which("jq")
    if jq is None:
        pytest.skip("jq is not installed")
    damaged = tmp_path / "damaged.txt"
    damaged.write_bytes(CORPUS.joinpath("001_8813c9ce404390ad.txt").read_bytes())
    xxgk = subprocess.run(
        [
            sys.executable,
            "-m",
            "xxgk",
            "check",
            str(damaged),
            str(CORPUS / "000_875ca7f37e0dab6a.txt"),
            "--format",
            "json",
        ],
        capture_output=True,
        check=False,
    )
    assert xxgk.returncode == 1
    failed = subprocess.run(
        [jq, "-r", ".[] | select(.failed) | .source"], input=xxgk.stdout, capture_output=True, check=True
    )
    assert failed.stdout.decode().split() == [str(CORPUS / "000_875ca7f37e0dab6a.txt")]


def test_check_fails_on_a_report_whose_cells_were_lost(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = CORPUS.joinpath("003_bae14acceb6e7b7b.txt").read_text(encoding="utf-8").split("\n")
    values = [i for i, line in enumerate(lines) if line.strip().isdigit()]
    damaged = tmp_path / "damaged.txt"
    damaged.write_text("\n".join(line for i, line in enumerate(lines) if i != values[len(values) // 2]), "utf-8")
    status, out, _ = run(capsys, str(damaged))
    assert status == 1, out
    assert f"{damaged}:" in out and " error table.short_row: " in out


@pytest.mark.parametrize("command", ["parse", "check", "repl", None])
def test_every_help_prints_the_one_exit_status_table(command: str | None, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli.main([command, "--help"] if command else ["--help"])
    out = " ".join(capsys.readouterr().out.split())
    for code, meaning in EXIT_STATUSES:
        assert f"{code} {' '.join(meaning.split())}" in out


def test_dash_checks_standard_input(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    data = CORPUS.joinpath("000_875ca7f37e0dab6a.txt").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    status, out, _ = run(capsys, "-", "--quiet")
    assert status == 1 and all(line.startswith("<stdin>:") for line in out.splitlines())


def test_quiet_leaves_out_clean_files(
    tmp_path: Path, fake_parse: dict[str, Report], capsys: pytest.CaptureFixture[str]
) -> None:
    fake_parse["a.txt"] = finished(report())
    assert run(capsys, str(tmp_path / "a.txt"), "-q") == (0, "", "")
