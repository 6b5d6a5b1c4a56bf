"""Input in any state: each bad input has a clear message, a distinct exit status, no traceback, no partial output."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import xxgk
from tests.conftest import corpus_files
from xxgk.cli.main import main
from xxgk.errors import (
    BinaryInputError,
    DocumentError,
    EmptyInputError,
    InputError,
    NoReportsError,
    UndecodableError,
    XxgkError,
)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(["parse", *argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def without_source(d: dict[str, object]) -> dict[str, object]:
    return {k: v for k, v in d.items() if k != "source"}


# --- each bad input: message and exit status ----------------------------------------------------------------------

LATIN1 = ("Jahresbericht über die Offenlegung\n" + "Gebühren: 12 €, Änderung: ±3 µm\n" * 200).encode(
    "latin-1", "replace"
)


def _xlsx() -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
    return buffer.getvalue()


XLSX = _xlsx()  # a ZIP archive that is no Word file: still refused as binary


@pytest.mark.parametrize(
    ("name", "data", "status", "message"),
    [
        ("empty.txt", b"", 7, "the file is empty"),
        ("blank.txt", b" \r\n\t\n", 7, "the file is empty"),
        ("bom-only.txt", b"\xef\xbb\xbf\n", 7, "the file is empty"),
        ("nul.txt", "一、总体情况\n公开\x00申请".encode(), 8, ":2:3: the file is binary (it contains NUL bytes)"),
        # Told by content, whatever the name: a PDF, a Word file, an old .doc (tests/readers/test_readers.py for more).
        ("report.pdf.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", 11, "a damaged PDF"),
        ("report.docx.txt", b"PK\x03\x04\x14\x00\x06\x00", 11, "a damaged ZIP archive"),
        ("report.doc.txt", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00", 11, "an old binary Word or Excel file"),
        ("sheet.xlsx.txt", XLSX, 8, "a ZIP archive (a .docx"),
        ("controls.txt", bytes(range(1, 9)) * 100, 8, "too many control characters"),
        ("latin1.txt", LATIN1, 9, ":1:15: cannot decode the file as UTF-8 or GB18030"),
        ("prose.txt", "今天天气很好。\n我们去公园散步,看见很多人。\n".encode(), 10, "not a disclosure report"),
    ],
    ids=lambda v: v.removesuffix(".txt") if isinstance(v, str) and v.endswith(".txt") else "",
)
def test_bad_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, data: bytes, status: int, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    got, stdout, stderr = run(capsys, str(path), "--format", "json")
    assert got == status
    assert message in stderr and stderr.startswith(f"xxgk: {path}")
    assert "Traceback" not in stderr
    if status == 10:  # not a report is still a report object, with the diagnostic that says so
        kinds = [d["kind"] for d in json.loads(stdout)["diagnostics"]]
        assert "document.not_a_report" in kinds
    else:
        assert stdout == ""


def test_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, stdout, stderr = run(capsys, str(tmp_path / "nope.txt"))
    assert status == 3 and stdout == "" and stderr == f"xxgk: {tmp_path / 'nope.txt'}: no such file\n"


def test_directory_without_reports(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "scan.jpg").write_bytes(b"\xff\xd8\xff")
    status, stdout, stderr = run(capsys, str(tmp_path), "--out", str(tmp_path / "out.jsonl"))
    assert status == 6 and stdout == "" and "no report file (.txt, " in stderr
    assert "1 other file(s) in the directories not read (.jpg 1)" in stderr  # said, not skipped in silence
    assert not (tmp_path / "out.jsonl").exists() and sorted(p.name for p in tmp_path.iterdir()) == ["scan.jpg"]


def test_a_directory_is_read_in_every_format_and_the_rest_is_counted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = corpus_files()[0].read_bytes()
    (tmp_path / "a.txt").write_bytes(report)
    (tmp_path / "B.TXT").write_bytes(report)  # a download folder's upper case
    (tmp_path / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    (tmp_path / ".hidden").write_bytes(b"")
    status, stdout, stderr = run(capsys, str(tmp_path), "--format", "jsonl")
    sources = [json.loads(line)["source"] for line in stdout.splitlines()]
    assert sources == [str(tmp_path / "B.TXT"), str(tmp_path / "a.txt")]
    assert "1 other file(s) in the directories not read (.doc 1); --glob chooses" in stderr
    chosen, stdout, stderr = run(capsys, str(tmp_path), "--format", "jsonl", "--glob", "*.txt")
    assert chosen == status  # the same report's findings
    assert [json.loads(line)["source"] for line in stdout.splitlines()] == [str(tmp_path / "a.txt")]
    assert "other file" not in stderr  # a glob chooses: nothing to say about the rest


def test_console_script_never_shows_a_traceback(tmp_path: Path) -> None:
    """The real process: exit status and one line on stderr for a binary file, a missing file and an empty one."""
    (tmp_path / "bin.txt").write_bytes(b"\x00" * 64)
    (tmp_path / "empty.txt").write_bytes(b"")
    for name, status in (("bin.txt", 8), ("missing.txt", 3), ("empty.txt", 7)):
        proc = subprocess.run(
            [sys.executable, "-m", "xxgk", "parse", str(tmp_path / name)], capture_output=True, text=True, timeout=120
        )
        assert proc.returncode == status, proc.stderr
        assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr


# --- encodings: a GB18030 file parses exactly like its UTF-8 twin -------------------------------------------------


@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.stem)
def test_gb18030_twin_parses_identically(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    utf8 = xxgk.to_dict(xxgk.parse(text.encode("utf-8"), source="x"))
    for encoding in ("gb18030", "utf-8-sig", "utf-16"):
        assert xxgk.to_dict(xxgk.parse(text.encode(encoding), source="x")) == utf8, encoding


def test_gb18030_twin_on_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = corpus_files()[-1]
    twin = tmp_path / "twin.txt"
    twin.write_bytes(src.read_text(encoding="utf-8").encode("gb18030"))
    _, utf8, _ = run(capsys, str(src), "--format", "json")
    status, gb, stderr = run(capsys, str(twin), "--format", "json")
    assert status == 0 and stderr == ""
    assert without_source(json.loads(gb)) == without_source(json.loads(utf8))


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_cut_inside_a_character_keeps_the_text_and_says_where(encoding: str) -> None:
    text = corpus_files()[0].read_text(encoding="utf-8").rstrip() + "\n结束语"
    data = text.encode(encoding)[:-1]  # the last character loses its last byte
    report = xxgk.parse(data)
    cut = [d for d in report.diagnostics if d.kind == "normalise.mojibake"]
    assert cut and cut[-1].line == text.count("\n") + 1 and cut[-1].column == len("结束") + 1
    whole = xxgk.parse(text.rsplit("\n", 1)[0].encode(encoding))
    assert report.tables == whole.tables and report.template == whole.template


def test_a_gb18030_file_is_not_read_as_utf8_with_errors() -> None:
    text = "一、总体情况\n本年度共收到政府信息公开申请85件。\n" * 3
    assert xxgk.parse(text.encode("gb18030")).diagnostics == xxgk.parse(text).diagnostics


# --- the library raises one documented family, with line:column ---------------------------------------------------


@pytest.mark.parametrize(
    ("data", "cls", "line", "column"),
    [
        (b"", EmptyInputError, None, None),
        ("第一行\n第二行\x00".encode(), BinaryInputError, 2, 4),
        (b"%PDF-1.5", DocumentError, None, None),
        (LATIN1, UndecodableError, 1, 15),
    ],
)
def test_library_exceptions(data: bytes, cls: type[XxgkError], line: int | None, column: int | None) -> None:
    with pytest.raises(cls) as info:
        xxgk.parse(data, source="in.txt")
    exc = info.value
    assert isinstance(exc, InputError) and isinstance(exc, xxgk.XxgkError)
    assert (exc.source, exc.line, exc.column) == ("in.txt", line, column)
    assert str(exc).startswith("in.txt" + "".join(f":{n}" for n in (line, column) if n is not None) + ": ")


def test_exceptions_survive_pickling() -> None:
    """Worker processes send failures back to the batch; the position must survive the trip."""
    import pickle

    exc = NoReportsError("none here", source="dir", line=3, column=4, excerpt="x")
    back = pickle.loads(pickle.dumps(exc))
    assert type(back) is NoReportsError and str(back) == str(exc) and back.exit_status == 6


# --- damaged and oversized reports: parsed, never raised ----------------------------------------------------------


def test_report_cut_off_mid_table_keeps_what_was_read() -> None:
    """Cut a report in the middle of its applications table: every row read whole before the cut keeps its values,
    the row that was cut is not guessed, and diagnostics say where the table ends."""
    path = corpus_files()[0]
    cells = list(xxgk.export.report.iter_cells(xxgk.parse_file(path)))
    apps = sorted({c["line"] for c in cells if c["table"] == "applications"})
    assert apps, "the table stage reads this report's applications table"
    cut_line = apps[len(apps) // 2]
    lines = path.read_text(encoding="utf-8").split("\n")
    cut = xxgk.parse("\n".join(lines[: cut_line - 1]), source=path.name)

    def row(c: dict[str, object]) -> tuple[object, ...]:
        return c["table"], c["item"], c["row"]

    last_line: dict[tuple[object, ...], int] = {}
    for c in cells:
        last_line[row(c)] = max(last_line.get(row(c), 0), c["line"])
    whole_rows = {(*row(c), c["column"]): c["value"] for c in cells if last_line[row(c)] < cut_line}
    kept = {(*row(c), c["column"]): c["value"] for c in xxgk.export.report.iter_cells(cut)}
    assert whole_rows and kept == whole_rows
    table_diagnostics = [d for d in cut.diagnostics if d.kind.startswith("table.")]
    assert table_diagnostics and all(d.line is not None and d.line < cut_line for d in table_diagnostics)


def test_a_one_megabyte_line_without_newline() -> None:
    line = corpus_files()[0].read_text(encoding="utf-8").replace("\n", " ")
    text = (line * (1_000_000 // len(line) + 1))[:1_000_000]
    report = xxgk.parse(text.encode("utf-8"), source="long.txt")
    assert report.source == "long.txt"
    for d in report.diagnostics:
        assert d.line in (None, 1)


@pytest.mark.slow
def test_a_fifty_megabyte_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # One report whose longest paragraph of prose stands a few hundred thousand times in its place: every stage
    # and the JSON Lines output at 50 MB, in seconds.  (The corpus concatenated to 50 MB sends each copy's tables
    # through the recovery and takes most of a minute; benchmarks/bench.py measures its growth.)
    source = corpus_files()[0]
    lines = source.read_text(encoding="utf-8").split("\n")
    prose = [i for i, line in enumerate(lines) if line[:1] not in "一二三四五六七八九十(" and not line[:1].isdigit()]
    at = max(prose, key=lambda i: len(lines[i]))
    copies = 50_000_000 // len(lines[at].encode("utf-8")) + 1
    big = tmp_path / "big.txt"
    big.write_text("\n".join([*lines[:at], *[lines[at]] * copies, *lines[at + 1 :]]), encoding="utf-8")
    assert big.stat().st_size >= 50_000_000
    status, _, stderr = run(capsys, str(big), "--out", str(tmp_path / "big.jsonl"))
    assert status == 0, stderr
    (record,) = [json.loads(line) for line in (tmp_path / "big.jsonl").read_text(encoding="utf-8").splitlines()]
    assert record["source"] == str(big) and "error" not in record
    assert record["tables"] == xxgk.to_dict(xxgk.parse_file(source))["tables"]
    assert sum(s["text"].count(lines[at]) for s in _sections(record["sections"])) == copies


def test_a_report_whose_tables_were_not_read_says_so() -> None:
    """A report with the six-section skeleton but no table read (tables as images) is not a report with empty
    tables: each missing table is a ``table.none`` diagnostic at its section's heading."""
    text = "某局2023年政府信息公开工作年度报告\n一、总体情况\n本年度我局依法公开。\n"
    text += "二、主动公开政府信息情况\n（见图）\n"
    report = xxgk.parse(text)
    none = [d for d in report.diagnostics if d.kind == "table.none"]
    assert [d.message.split()[6] for d in none] == ["active_disclosure", "applications", "reviews"]
    assert none[0].line == 4 and none[1].line == none[2].line == 5
    seed = xxgk.parse_file(corpus_files()[0])
    assert not any(d.kind == "table.none" for d in seed.diagnostics)


def test_a_text_cut_inside_its_last_number_does_not_place_its_row() -> None:
    """A file that stops inside a table with no line break may have stopped inside a number (85 cut to 8), or just
    after the enumerator of the next row's label ("5.要求…" cut to "5", one value more than the row showed): that
    row is left out and named; the same text with its line break keeps it."""
    text = corpus_files()[0].read_text(encoding="utf-8")
    end = text.index("(七)总计")
    end = text.index("85", end) + 1  # "8" of 85
    cut = xxgk.parse(text[:end])
    assert "total" not in cut.tables.applications
    assert [d.kind for d in cut.diagnostics if d.kind == "table.cut_value"] == ["table.cut_value"]
    whole = xxgk.parse(text[:end] + "\n")
    assert whole.tables.applications["total"]["total"].value == 8


def test_a_label_cut_to_its_number_does_not_shift_the_row_before() -> None:
    """One cell a line, an empty cell dropped: the row shows six values of its seven, and the text stops after the
    "5" of the next label — read as the row's seventh value it would put every value one column early."""
    text = corpus_files()[0].read_text(encoding="utf-8")
    start = text.index("4.无正当理由大量反复申请")
    cells = text[start : text.index("5.要求行政机关确认", start)].split()
    assert len(cells) == 8  # the label and its seven values, a paragraph each
    dropped = "\n\n".join([cells[0], *cells[2:]])  # its first value gone: six values
    report = xxgk.parse(text[:start] + dropped + "\n\n5")
    assert "not_processed.excessive" not in report.tables.applications


def _sections(sections: list[dict[str, object]]) -> list[dict[str, object]]:
    """The sections and all their children, flat."""
    return [x for s in sections for x in (s, *_sections(s["children"]))]  # type: ignore[arg-type]
