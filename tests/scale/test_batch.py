"""`xxgk parse` over many files: discovery, the output formats, processes, atomic writes, summary and exit status."""

from __future__ import annotations

import csv
import io
import json
import shutil
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

import xxgk
from tests.conftest import corpus_files
from xxgk.cli import parse
from xxgk.cli.consoles import Consoles
from xxgk.cli.main import build_parser, main
from xxgk.errors import EXIT_STATUSES, MIXED_FAILURES_STATUS, NOT_A_REPORT_STATUS
from xxgk.scale import batch, render, sinks


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """The corpus in nested directories, plus a file the default glob must skip."""
    files = corpus_files()
    (tmp_path / "a" / "b").mkdir(parents=True)
    for i, f in enumerate(files):
        shutil.copy(f, tmp_path / ("a" if i % 2 else "a/b") / f.name)
    (tmp_path / "a" / "notes.md").write_text("not a report file", encoding="utf-8")
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(["parse", *argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_find_reports_recurses_globs_and_dedupes(tree: Path) -> None:
    one = tree / "a" / "b" / corpus_files()[0].name
    files, failed = batch.find_reports([one, tree / "a", tree / "missing.txt"])
    assert files[0] == one and files.count(one) == 1
    assert len(files) == len(corpus_files()) + 1
    assert files[-1] == tree / "missing.txt"  # kept, so that its error is reported like any file's
    assert not failed
    md, _ = batch.find_reports([tree], glob="*.md")
    assert md == [tree / "a" / "notes.md"]


def test_find_reports_records_a_directory_without_reports(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    files, failed = batch.find_reports([tmp_path / "empty"])
    assert files == []
    assert failed[0].failure is not None and failed[0].failure.kind == "NoReportsError"


def test_jsonl_one_report_per_line(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tree / "reports.jsonl"
    status, stdout, stderr = run(capsys, str(tree / "a"), "--out", str(out), "-j", "1")
    assert status == 0 and stdout == ""
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) == len(corpus_files())
    by_name = {Path(r["source"]).name: r for r in records}
    for f in corpus_files():
        want = xxgk.to_dict(xxgk.parse_file(f))
        got = by_name[f.name]
        assert got["source"].endswith(f.name) and Path(got["source"]).is_file()
        assert {k: v for k, v in got.items() if k != "source"} == {k: v for k, v in want.items() if k != "source"}
    assert f"{len(corpus_files())} file(s)" in stderr and "0 failed" in stderr


def test_a_bad_file_is_a_line_with_its_reason(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tree / "a" / "empty.txt").write_bytes(b"")
    status, stdout, stderr = run(capsys, str(tree / "a"), "--format", "jsonl", "-j", "1")
    records = [json.loads(line) for line in stdout.splitlines()]
    failed = [r for r in records if "error" in r]
    assert len(records) == len(corpus_files()) + 1 and len(failed) == 1
    assert failed[0]["source"].endswith("empty.txt")
    assert failed[0]["error"]["kind"] == "EmptyInputError" and failed[0]["error"]["exit_status"] == 7
    assert status == 7 and "1 failed" in stderr and "empty.txt: the file is empty" in stderr


def _csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_csv_long_format(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tree / "a" / "bin.txt").write_bytes(b"\x00\x01binary")
    out = tree / "cells.csv"
    status, _, _ = run(capsys, str(tree / "a"), "--out", str(out), "-j", "1")
    assert status == 8
    rows = _csv_rows(out)
    assert tuple(rows[0]) == render.CELL_COLUMNS
    errors = [r for r in rows if r["error"]]
    assert len(errors) == 1 and errors[0]["source"].endswith("bin.txt") and "BinaryInputError" in errors[0]["error"]
    cells = [r for r in rows if not r["error"]]
    want = sum(len(xxgk.to_dict(xxgk.parse_file(f))["cells"]) for f in corpus_files())
    assert len(cells) == want
    for r in cells:
        assert r["table"] in ("active_disclosure", "applications", "reviews") and r["line"].isdigit()


def test_parquet_matches_csv(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    (tree / "a" / "empty.txt").write_bytes(b" \n")
    run(capsys, str(tree / "a"), "--out", str(tree / "cells.csv"), "-j", "1")
    status, _, _ = run(capsys, str(tree / "a"), "--out", str(tree / "cells.parquet"), "-j", "1")
    assert status == 7
    table = pq.read_table(tree / "cells.parquet")
    assert tuple(table.column_names) == render.CELL_COLUMNS
    from_csv = _csv_rows(tree / "cells.csv")
    from_parquet = table.to_pylist()
    assert len(from_parquet) == len(from_csv)
    for a, b in zip(from_parquet, from_csv, strict=True):
        assert {k: "" if v is None else str(v) for k, v in a.items() if k != "amount"} == {
            k: b[k] for k in a if k != "amount"
        }
        assert (a["amount"] is None) == (b["amount"] == "")
        if a["amount"] is not None:
            assert a["amount"] == Decimal(b["amount"])  # exact: a decimal, not a float


def test_parquet_without_pyarrow_is_a_clear_usage_error(
    tree: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    status, _, stderr = run(capsys, str(tree / "a"), "--out", str(tree / "x.parquet"))
    assert status == 2 and "pip install 'xxgk[parquet]'" in stderr
    assert not (tree / "x.parquet").exists()


def test_processes_give_the_same_output_as_one(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tree / "a" / "empty.txt").write_bytes(b"")
    run(capsys, str(tree), "--out", str(tree / "one.jsonl"), "--jobs", "1")
    status, _, _ = run(capsys, str(tree), "--out", str(tree / "two.jsonl"), "--jobs", "2")
    assert status == 7
    assert (tree / "one.jsonl").read_bytes() == (tree / "two.jsonl").read_bytes()


def test_single_file_json_is_one_object(capsys: pytest.CaptureFixture[str]) -> None:
    f = corpus_files()[0]
    status, stdout, stderr = run(capsys, str(f), "--format", "json")
    assert status == 0 and stderr == ""
    assert json.loads(stdout)["source"] == str(f)


def test_single_file_summary(capsys: pytest.CaptureFixture[str]) -> None:
    f = corpus_files()[0]
    status, stdout, stderr = run(capsys, str(f))
    assert status == 0 and stderr == "" and f"source {f}" in stdout


def test_json_refuses_many_files(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, stdout, stderr = run(capsys, str(tree), "--format", "json")
    assert status == 2 and stdout == "" and "use --format jsonl" in stderr


@pytest.mark.parametrize(("name", "fmt"), [("x.jsonl", "jsonl"), ("x.NDJSON", "jsonl"), ("x.csv", "csv")])
def test_format_from_extension(name: str, fmt: str) -> None:
    assert sinks.output_format(None, Path(name)) == fmt
    assert sinks.output_format("json", Path(name)) == "json"
    assert sinks.output_format(None, None) == "summary"


def test_unknown_extension_is_a_usage_error(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, stderr = run(capsys, str(tree), "--out", str(tree / "x.xlsx"))
    assert status == 2 and "add --format" in stderr and not (tree / "x.xlsx").exists()


def test_interrupted_run_leaves_no_partial_file(
    tree: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tree / "out.jsonl"
    out.write_text("previous run\n", encoding="utf-8")
    calls: list[Any] = []

    def parse_then_stop(path: Any) -> batch.Outcome:
        calls.append(path)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return batch.parse_one(path)

    monkeypatch.setattr(render, "parse_one", parse_then_stop)
    status, _, _ = run(capsys, str(tree), "--out", str(out), "-j", "1")
    assert status == 130
    assert out.read_text(encoding="utf-8") == "previous run\n"
    assert sorted(p.name for p in tree.iterdir()) == ["a", "out.jsonl"]


def test_unwritable_output_directory(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, stderr = run(capsys, str(tree), "--out", str(tree / "no" / "such" / "dir.jsonl"))
    assert status == 2 and "cannot write the output" in stderr


def test_mixed_failures_exit_11_and_not_a_report_10(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tree / "a" / "prose.txt").write_text("今天天气很好。\n我们去公园散步。\n", encoding="utf-8")
    status, _, stderr = run(capsys, str(tree), "--format", "jsonl", "-j", "1")
    assert status == NOT_A_REPORT_STATUS and "1 not a report" in stderr
    (tree / "a" / "empty.txt").write_bytes(b"")
    status, _, _ = run(capsys, str(tree), "--format", "jsonl", "-j", "1")
    assert status == MIXED_FAILURES_STATUS


def test_help_lists_every_exit_status(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["parse", "--help"])
    text = capsys.readouterr().out
    for code, meaning in EXIT_STATUSES:
        assert f"{code:>3}  {meaning}" in text


def test_internal_error_is_recorded_not_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(data: Any, *, source: Any = None) -> Any:
        raise ZeroDivisionError("boom")

    monkeypatch.setattr("xxgk.pipeline.parse", broken)
    outcome = batch.parse_one(corpus_files()[0])
    assert outcome.failure is not None and outcome.failure.exit_status == 70
    assert "ZeroDivisionError: boom" in outcome.failure.message and "test_batch.py" in outcome.failure.message


@pytest.mark.parametrize("terminal", [True, False])
def test_progress_bar_only_on_a_terminal(tree: Path, capsys: pytest.CaptureFixture[str], terminal: bool) -> None:
    args = build_parser().parse_args(["parse", str(tree), "--format", "jsonl", "-j", "1"])
    shown = io.StringIO()
    consoles = Consoles(Console(file=io.StringIO()), Console(file=shown, force_terminal=terminal, width=100))
    status = parse.run(args, consoles)
    assert status == 0 and len(capsys.readouterr().out.splitlines()) == len(corpus_files())
    assert ("parsing" in shown.getvalue()) == terminal
    assert f"{len(corpus_files())} file(s)" in shown.getvalue()


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit:
        main(["--version"])
    assert exit.value.code == 0 and capsys.readouterr().out.startswith("xxgk ")


def test_dash_reads_standard_input(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    f = corpus_files()[0]
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(f.read_bytes())))
    status, stdout, _ = run(capsys, "-", "--format", "json")
    record = json.loads(stdout)
    assert status == 0 and record["source"] == batch.STDIN_SOURCE
    assert {k: v for k, v in record.items() if k != "source"} == {
        k: v for k, v in xxgk.to_dict(xxgk.parse_file(f)).items() if k != "source"
    }


def test_dash_among_files_in_a_batch(
    tree: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"")))
    status, stdout, stderr = run(capsys, "-", str(tree / "a"), "--format", "jsonl", "-j", "1")
    records = [json.loads(line) for line in stdout.splitlines()]
    assert records[0] == {"source": "<stdin>", "error": records[0]["error"]} and status == 7
    assert len(records) == len(corpus_files()) + 1 and "<stdin>: " in stderr


def test_quiet_says_only_failures(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tree / "a" / "empty.txt").write_bytes(b"")
    status, _, stderr = run(capsys, str(tree), "--out", str(tree / "x.jsonl"), "--quiet", "-j", "1")
    lines = stderr.splitlines()
    assert status == 7 and len(lines) == 1 and "empty.txt" in lines[0]  # no closing summary
