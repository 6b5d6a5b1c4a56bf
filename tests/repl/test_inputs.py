"""The input: a typed line or pasted block, :load (whole file, LINES, bad names), :block, :input, :save, and an input
that replaces a loaded one."""

from __future__ import annotations

import types
from pathlib import Path

import pytest
from rich.cells import cell_len

from tests.repl.driver import BROKEN, batch, caret_column
from xxgk.records import Block
from xxgk.repl import inputs as repl_inputs


def test_a_line_and_a_pasted_block_are_parsed(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out = batch(monkeypatch, capsys, "新收 | 1 | 2 |\n:input\n新收 | 1 | 2 |\n办结 | / |\n:input\n")
    first, second = out.split("xxgk> :input")[0], out.split("xxgk> :input")[1]
    assert first.count("── row") == 1 and "NUM '2'" in first
    assert "1 │ 新收 | 1 | 2 |" in second and "2 │ 办结 | / |" in out.split("xxgk> :input")[2]
    assert out.split("xxgk> :input")[1].count("── row") == 2 and "── na" in out


def test_error_on_a_line_of_a_loaded_file_points_into_the_file(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    report = tmp_path / "r.txt"
    report.write_text("标题\n\n新收 | 1 |\n办结 | 2 3 |\n其他 | / |\n", encoding="utf-8")
    status, out = batch(monkeypatch, capsys, f":load {report} 3-5\n:tokens\n")
    assert status == 0
    assert f"loaded {report}: lines 3-5 of 5" in out
    assert f"parse error at {report}:4:8 (toy.start, lalr): unexpected NUM '3'" in out
    assert caret_column(out, "办结 | 2 3 |") == cell_len("办结 | 2 ")
    assert "LABEL    │ '新收'" in out and "│ 3:1 " in out


def test_load_rejects_missing_files_and_bad_lines(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    report = tmp_path / "r.txt"
    report.write_text("新收 | 1 |\n", encoding="utf-8")
    status, out = batch(monkeypatch, capsys, f":load {tmp_path}/none.txt\n:load {report} 2-9\n:load {report} x\n")
    assert status == 1
    assert "cannot load" in out and "outside the file (lines 1-1)" in out and "bad LINES 'x'" in out


def test_block_record_and_diag_use_the_table_stages(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    text = "一、总体情况\n\n新收 | 1 | 2 |\n办结 | / |\n\n二、其他\n"
    report = tmp_path / "r.txt"
    report.write_text(text, encoding="utf-8")
    start = text.index("新收")
    block = Block("applications", start, text.index("\n\n二"), 3)
    # The segmenter is another stage's business: here it finds exactly this block.
    monkeypatch.setattr(repl_inputs, "segment", lambda norm: types.SimpleNamespace(blocks=(block,)))
    status, out = batch(monkeypatch, capsys, f":block\n:load {report}\n:block\n:block 2\n:block 1\n:record\n:diag\n")
    assert "no file loaded" in out and status == 1
    listing = out.split("xxgk> :block\n")[2]
    assert "│ 1 " in listing and "3-4" in listing and "applications" in listing
    assert "usage: :block N with N from 1 to 1" in out
    assert f"block 1: {report} lines 3-4" in out
    record = out.split("xxgk> :record")[1].split("xxgk> :diag")[0]
    assert "cells (serialisation grammar)" in record
    assert "新收" in record and "3:1" in record and "4:6" in record  # the '/' of 办结, in the file's numbering


def test_save_writes_a_new_corpus_file_and_never_overwrites(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    status, out = batch(
        monkeypatch,
        capsys,
        ":save early\n" + BROKEN + ":save fixed_case\n:save fixed_case\n:save ../outside\n",
        "--corpus-dir",
        str(tmp_path),
    )
    assert (tmp_path / "fixed_case.txt").read_text(encoding="utf-8") == BROKEN
    assert "no input yet" in out and "exists: choose another name" in out and "usage: :save NAME" in out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fixed_case.txt"] and status == 1


def test_replacing_a_loaded_input_says_so(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    report = tmp_path / "my report.txt"  # a space in the name: :load takes it whole
    report.write_text("新收 | 1 |\n新收 | 2 |\n", encoding="utf-8")
    status, out = batch(monkeypatch, capsys, f":load {report}\n:load {report} 2\n新收 | 3 |\n")
    assert f"loaded {report}: lines 2-2 of 2" in out and status == 0
    assert f"the input from {report} was replaced" in out
