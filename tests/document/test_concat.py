"""Several reports in one input: a diagnostic where each further report begins, and ``xxgk parse --split``."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

import xxgk
from tests.conftest import corpus_files
from xxgk.cli.main import main
from xxgk.scale import batch


def joined(tmp_path: Path, *files: Path) -> tuple[Path, list[int]]:
    """The files one after the other in one file, and the line each begins on."""
    texts = [f.read_text(encoding="utf-8").rstrip("\n") for f in files]
    starts = list(itertools.accumulate((t.count("\n") + 2 for t in texts[:-1]), initial=1))
    path = tmp_path / "joined.txt"
    path.write_text("\n\n".join(texts) + "\n", encoding="utf-8")
    return path, starts


def concatenated(report: xxgk.Report) -> list[int]:
    return [d.line for d in report.diagnostics if d.kind == "document.concatenated" and d.line is not None]


@pytest.mark.parametrize("path", corpus_files(), ids=[p.stem for p in corpus_files()])
def test_one_report_is_one(path: Path) -> None:
    assert concatenated(xxgk.parse_file(path)) == []


@pytest.mark.parametrize(
    ("first", "second"), [(0, 3), (3, 0), (1, 2), (2, 4), (4, 1)], ids=lambda i: corpus_files()[i].stem[:3]
)
def test_two_reports_are_found_where_the_second_begins(first: int, second: int, tmp_path: Path) -> None:
    files = [corpus_files()[first], corpus_files()[second]]
    path, starts = joined(tmp_path, *files)
    found = concatenated(xxgk.parse_file(path))
    assert len(found) == 1
    # At the second report's title, or at its first heading when it has no title (seed 004 has none).
    title = xxgk.parse_file(files[1]).title
    heading = xxgk.parse_file(files[1]).sections[0].line
    assert found[0] - starts[1] + 1 in ((1, 2) if title else (heading,))


def test_split_reads_each_part_as_the_file_alone(tmp_path: Path) -> None:
    files = [corpus_files()[0], corpus_files()[3], corpus_files()[2]]
    path, starts = joined(tmp_path, *files)
    outcomes = batch.parse_parts(path)
    assert [o.source for o in outcomes] == [f"{path}#{k}" for k in (1, 2, 3)]
    for outcome, file, start in zip(outcomes, files, starts, strict=True):
        assert outcome.report is not None and outcome.report.source == outcome.source
        alone = xxgk.parse_file(file)
        assert xxgk.to_dict(outcome.report)["tables"] == xxgk.to_dict(alone)["tables"]
        assert (outcome.report.title, outcome.report.agency, outcome.report.year) == (
            alone.title,
            alone.agency,
            alone.year,
        )
        # Positions are the joined file's: the part's first value is as far down as the part begins.
        v, w = (
            next(iter(outcome.report.tables.reviews["review"].values())),
            next(iter(alone.tables.reviews["review"].values())),
        )
        assert v.line == w.line + start - 1 and v.column == w.column


def test_split_on_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path, _ = joined(tmp_path, corpus_files()[1], corpus_files()[3])
    out = tmp_path / "reports.csv"
    assert main(["parse", str(path), "--split", "--out", str(out), "--table", "reports", "-j", "1"]) == 0
    rows = out.read_text(encoding="utf-8").splitlines()[1:]
    assert [r.split(",")[:2] for r in rows] == [[f"{path}#1", "complete"], [f"{path}#2", "complete"]]
    one = corpus_files()[0]  # a file of one report keeps its name
    assert [o.source for o in batch.parse_parts(one)] == [str(one)]
    capsys.readouterr()


def test_check_warns_of_a_concatenation(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path, _ = joined(tmp_path, corpus_files()[1], corpus_files()[3])
    status = main(["check", str(path)])
    out = capsys.readouterr().out
    assert status == 1 and "warning document.concatenated" in out
