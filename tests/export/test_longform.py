"""The long tables (cells, reports, findings, diagnostics): their schema is pinned, every cell says how far to trust
it, and every input — clean, damaged, pre-2019, not text at all — has its row."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import xxgk
from tests.conftest import CORPUS, corpus_files
from xxgk.cli.main import main
from xxgk.export import columns, longform

# The documented schema (docs/outputs.md).  A change here is a change of the output contract: update the docs too.
PINNED = {
    "cells": (
        "source:string template:string year:int agency:string table:string item:string row:string column:string "
        "count:int amount:decimal status:string diagnostics:string findings:string line:int char:int raw:string "
        "report_status:string error:string"
    ),
    "reports": (
        "source:string status:string template:string year:int agency:string title:string cells:int "
        "cells_expected:int cells_ok:int diagnostics:int findings:int failing_findings:int error_kind:string "
        "error:string"
    ),
    "findings": (
        "source:string id:int rule:string severity:string expected:decimal actual:decimal cells:string line:int "
        "message_en:string message_zh:string"
    ),
    "diagnostics": "source:string id:int kind:string message:string line:int char:int excerpt:string",
}

PRE2019 = "\n".join(
    [
        "某县人民政府2015年政府信息公开工作年度报告",
        "一、概述",
        "正文。",
        "二、主动公开政府信息情况",
        "三、依申请公开政府信息情况",
        "四、政府信息公开的收费及减免情况",
        "五、因政府信息公开申请行政复议、提起行政诉讼的情况",
    ]
)


@pytest.mark.parametrize("table", sorted(PINNED))
def test_schema_is_pinned(table: str) -> None:
    assert " ".join(f"{c.name}:{c.dtype}" for c in columns.SCHEMAS[table]) == PINNED[table]


def test_docs_list_every_column() -> None:
    docs = (Path(__file__).resolve().parents[2] / "docs" / "outputs.md").read_text(encoding="utf-8")
    for table, table_columns in columns.SCHEMAS.items():
        assert f"### `{table}`" in docs
        for c in table_columns:
            assert f"| `{c.name}` | {c.dtype} |" in docs, (table, c.name)


def test_expected_cells_match_a_complete_report() -> None:
    statuses = []
    for path in corpus_files():
        report = xxgk.parse_file(path)
        row = longform.report_row(str(path), report)
        unplaced = any(d.kind.startswith("table.") for d in report.diagnostics)
        assert row["cells"] <= row["cells_expected"]
        assert (row["status"] == "complete") == (row["cells"] == row["cells_expected"] and not unplaced)
        statuses.append(row["status"])
    assert statuses.count("complete") >= 5  # the seeds at least are read in full


def cells(path: Path) -> list[dict[str, object]]:
    return list(longform.cell_rows(str(path), xxgk.parse_file(path)))


def test_counts_are_ints_amounts_decimals() -> None:
    rows = cells(corpus_files()[0])
    assert all(type(r["count"]) is int for r in rows if r["count"] is not None)
    amounts = [r for r in rows if r["column"] == "amount"]
    assert amounts and all(r["count"] is None for r in amounts)
    assert all(isinstance(r["amount"], Decimal) for r in amounts if r["status"] != "null")


def test_a_broken_identity_makes_its_cells_uncertain() -> None:
    rows = cells(corpus_files()[0])  # seed 000: the 总计 row breaks (docs/spec.md §6)
    broken = [r for r in rows if r["row"] == "total" and r["column"] == "total" and r["table"] == "applications"]
    assert broken[0]["status"] == "uncertain" and broken[0]["findings"]
    assert any(r["status"] == "ok" for r in rows)


def test_odd_and_null_cells() -> None:
    rows = cells(CORPUS / "002_acd8f5ac2491587c.txt")
    odd = [r for r in rows if r["status"] == "odd"]
    assert [r["raw"] for r in odd] == ["00", "00"] and all(r["diagnostics"] for r in odd)
    assert all(r["count"] is None and r["amount"] is None for r in rows if r["status"] == "null")


def test_a_removal_inside_a_cell_makes_it_repaired() -> None:
    path = corpus_files()[0]
    lines = path.read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if line == "85")
    lines[at] = "[bookmark: _GoBack]85"
    report = xxgk.parse("\n".join(lines).encode(), source="x")
    row = next(r for r in longform.cell_rows("x", report) if r["line"] == at + 1)
    assert row["status"] in ("repaired", "uncertain") and row["raw"] == "85" and row["char"] == 20
    d_id = int(str(row["diagnostics"]).split()[0])
    assert report.diagnostics[d_id].kind == "normalise.bookmark"


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    """A mixed corpus: the seeds, a pre-2019 report, a 2021 report whose tables were images, a binary file."""
    corpus = tmp_path / "mixed"
    corpus.mkdir()
    for f in corpus_files():
        (corpus / f.name).write_bytes(f.read_bytes())
    (corpus / "old.txt").write_text(PRE2019, encoding="utf-8")
    seed = corpus_files()[0].read_text(encoding="utf-8").split("\n")
    (corpus / "images.txt").write_text("\n".join(line for line in seed if not line.strip().isdigit()), "utf-8")
    (corpus / "scan.txt").write_bytes(b"%PDF-1.4\x00\x01")
    return corpus


def test_every_input_has_a_report_row_and_cells_filter_in_one_expression(
    mixed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pd = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    out = tmp_path / "dataset"
    main(["parse", str(mixed), "--out", str(out), "--table", "all", "--format", "parquet", "-j", "1"])
    capsys.readouterr()
    reports = pd.read_parquet(out / "reports.parquet")
    assert len(reports) == len(list(mixed.iterdir()))
    status = dict(zip(reports["source"].map(lambda s: Path(s).name), reports["status"], strict=True))
    assert status["old.txt"] == "pre2019" and status["scan.txt"] == "failed"
    assert status["images.txt"] in ("no_tables", "partial")
    cells = pd.read_parquet(out / "cells.parquet")
    assert dict(cells.dtypes.map(str)) == {c.name: columns.PANDAS_DTYPES[c.dtype] for c in columns.CELLS}
    trusted = cells[cells.status == "ok"]
    assert len(trusted) > 900 and trusted["count"].notna().sum() + trusted["amount"].notna().sum() == len(trusted)
    assert set(cells["source"]) == set(reports["source"])  # an input without cells still has its row


def test_to_frame_has_the_documented_dtypes() -> None:
    pytest.importorskip("pandas")
    reports = [xxgk.parse_file(p) for p in corpus_files()]
    for table in columns.TABLE_NAMES:
        df = xxgk.to_frame(reports, table)
        assert list(df.columns) == list(columns.names(table))
        for c in columns.SCHEMAS[table]:
            assert str(df[c.name].dtype) == columns.PANDAS_DTYPES[c.dtype], (table, c.name)
    cells = xxgk.to_frame(reports[0])
    assert str(cells["count"].dtype) == "Int64" and len(cells) == 200


def test_to_frame_without_pandas_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match=r"xxgk\[pandas\]"):
        xxgk.to_frame(xxgk.parse_file(corpus_files()[0]))
