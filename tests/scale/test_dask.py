"""`xxgk.scale.dask` on a real `distributed.LocalCluster` of two worker processes: a generated corpus of a few hundred
reports (the seeds' tables with new values, in every serialisation) gives, cell for cell, what one process gives."""

from __future__ import annotations

import importlib.resources
import pickle
import random
import shutil
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

pytest.importorskip("dask.dataframe")
pytest.importorskip("distributed")

import dask.bag as db
from distributed import Client, LocalCluster, wait

from tests import render
from tests.conftest import corpus_files, gold_files, load_gold
from xxgk.cli.main import main
from xxgk.engine import grammars
from xxgk.errors import MIXED_FAILURES_STATUS
from xxgk.export import columns
from xxgk.scale import batch
from xxgk.scale import dask as xd
from xxgk.scale.render import rendered, table_rows
from xxgk.scale.sinks import ParquetSink

GENERATED = 300


def vary(value: Any, rng: random.Random) -> Any:
    """The same table shape with new values: counts as ints, amounts (floats in the gold files) with two places."""
    if isinstance(value, dict):
        return {k: vary(v, rng) for k, v in value.items()}
    if value is None or rng.random() < 0.05:
        return None
    if isinstance(value, float):
        return Decimal(rng.randrange(10**7)).scaleb(-2)
    return rng.randrange(10**5)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The five seeds, 300 generated reports in nested folders, a binary file and a text that is not a report."""
    root = tmp_path_factory.mktemp("national")
    rng = random.Random(7)
    golds = [load_gold(p) for p in gold_files()]
    for i in range(GENERATED):
        gold = golds[i % len(golds)]
        text = render.render_report(
            vary(gold["tables"], rng),
            gold["template"],
            render.FORMS[i % len(render.FORMS)],
            traditional=i % 7 == 0,
            crlf=i % 3 == 0,
            wrapped=i % 4 == 0,
            units=i % 2 == 0,
        )
        folder = root / f"province{i % 4}"
        folder.mkdir(exist_ok=True)
        (folder / f"report{i:03d}.txt").write_bytes(text.encode("gb18030" if i % 5 == 0 else "utf-8"))
    for f in corpus_files():
        shutil.copy(f, root / f.name)
    (root / "broken.txt").write_bytes(bytes(range(256)) * 4)
    (root / "minutes.txt").write_text("会议纪要\n今天开会讨论了午餐安排。\n", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    """Two single-threaded worker processes, as `xxgk parse --engine dask` starts them; shut down after the module."""
    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster,
        Client(cluster) as c,
    ):
        yield c


@pytest.fixture(scope="module")
def outcomes(client: Client, corpus: Path) -> db.Bag:
    """The corpus parsed once on the cluster and kept in the workers' memory for the tests of this module."""
    bag = xd.read_reports(str(corpus), blocksize="64KiB").persist()
    wait(bag)
    return bag


@pytest.fixture(scope="module")
def expected(corpus: Path) -> list[batch.Outcome]:
    """The same corpus parsed in this process, as `xxgk parse -j 1` does."""
    files, failed = batch.find_reports([corpus])
    return failed + [batch.parse_one(f) for f in files]


def test_cells_frame_matches_one_process(outcomes: db.Bag, corpus: Path, expected: list[batch.Outcome]) -> None:
    assert outcomes.npartitions >= 8  # both workers get work, several times over
    got = xd.cells_frame(outcomes).compute().reset_index(drop=True)
    want = columns.frame("cells", (row for o in expected for row in table_rows("cells", o)))
    pd.testing.assert_frame_equal(got, want)
    assert got["source"].nunique() == GENERATED + len(corpus_files()) + 2
    errors = got[got["error"].notna()]
    assert list(errors["source"]) == [str(corpus / "broken.txt"), str(corpus / "minutes.txt")]
    assert errors["error"].iloc[0].startswith("BinaryInputError: ")
    # The generated values really vary: far more distinct values than any one report has cells.
    assert got["count"].nunique() > 5000


def test_findings_frame_matches_one_process(outcomes: db.Bag, expected: list[batch.Outcome]) -> None:
    got = xd.findings_frame(outcomes).compute().reset_index(drop=True)
    want = columns.frame("findings", (row for o in expected for row in table_rows("findings", o)))
    pd.testing.assert_frame_equal(got, want)
    assert got["rule"].notna().sum() > GENERATED  # random values break the sums of most generated reports


def test_reports_frame_has_every_input(outcomes: db.Bag, expected: list[batch.Outcome]) -> None:
    got = xd.long_frame(outcomes, "reports").compute().reset_index(drop=True)
    assert list(got["source"]) == [o.source for o in expected]
    assert (got["status"] == "failed").sum() == sum(o.report is None for o in expected)


_GRAMMAR_FILES = sum(1 for p in (importlib.resources.files("xxgk") / "grammars").iterdir() if p.name.endswith(".lark"))


def test_each_worker_builds_its_parsers_once(client: Client, outcomes: db.Bag) -> None:
    caches = client.run(lambda: grammars.load.cache_info()._asdict())
    assert len(caches) == 2
    for cache in caches.values():
        # Each (grammar, options) built once in each worker.
        assert cache["misses"] == cache["currsize"] <= 3 * _GRAMMAR_FILES
    # Every later file reuses them.  Counted over both workers: how the files split between them depends on the
    # machine's load (one worker may get few), not on the cache.  The table forms' readers load no grammar per
    # block, so hits are fewer than files times grammars.
    assert sum(c["hits"] for c in caches.values()) > 5 * sum(c["misses"] for c in caches.values())


def test_outcomes_pickle_cheaply() -> None:
    # The seeds: a document written to show damage (corpus/1*) carries many diagnostics for its size.
    for f in (p for p in corpus_files() if p.name.startswith("0")):
        outcome = batch.parse_one(f)
        data = pickle.dumps(outcome)
        assert b"lark" not in data  # no parser, tree or token inside
        assert len(data) < 3 * f.stat().st_size


def test_cli_against_a_scheduler_matches_the_batch(
    client: Client, corpus: Path, expected: list[batch.Outcome], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    address = client.scheduler.address
    out = tmp_path / "cells.parquet"
    status = main(["parse", "--engine", "dask", "--scheduler", address, str(corpus), "--out", str(out)])
    err = capsys.readouterr().err
    assert "on 2 worker(s)" in err and "1 failed" in err and "1 not a report" in err
    names = sorted(p.name for p in out.iterdir())
    assert len(names) >= 8 and names == sorted(names, key=lambda n: int(n.split(".")[1]))  # read back in order
    assert status == MIXED_FAILURES_STATUS  # a binary file and a text that is not a report, as the batch says
    one = tmp_path / "one.parquet"
    sink = ParquetSink(one)  # the batch's single-file output of the same outcomes
    for outcome in expected:
        sink.write(rendered("parquet", outcome))
    sink.close()
    pd.testing.assert_frame_equal(pd.read_parquet(out), pd.read_parquet(one))


def test_cli_starts_a_local_cluster(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "seeds.parquet"
    assert main(["parse", "--engine", "dask", "--jobs", "1", *map(str, corpus_files()), "--out", str(out)]) == 0
    assert "on 1 worker(s)" in capsys.readouterr().err
    assert pd.read_parquet(out)["source"].nunique() == len(corpus_files())


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--out", "x.csv"], "--engine dask writes Parquet"),
        (["--out", "x.parquet", "--jobs", "2", "--scheduler", "tcp://127.0.0.1:1"], "--jobs sets the workers"),
    ],
)
def test_cli_refuses_what_it_cannot_do(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    argv = [a.replace("x.", str(tmp_path / "x.")) for a in argv]
    assert main(["parse", "--engine", "dask", str(corpus_files()[0]), *argv]) == 2
    assert message in capsys.readouterr().err


def test_cli_never_overwrites_an_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "x.parquet").mkdir()
    (tmp_path / "x.parquet" / "keep").write_text("mine")
    assert main(["parse", "--engine", "dask", str(corpus_files()[0]), "--out", str(tmp_path / "x.parquet")]) == 2
    assert "the output exists" in capsys.readouterr().err
    assert (tmp_path / "x.parquet" / "keep").read_text() == "mine"


def test_scheduler_needs_the_dask_engine(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", str(corpus_files()[0]), "--scheduler", "tcp://127.0.0.1:1"]) == 2
    assert "--scheduler needs --engine dask" in capsys.readouterr().err


def test_list_reports_names_files_as_the_batch_does(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "empty").mkdir()
    for name in ("a/one.txt", "a/b/two.txt", "a/skip.md"):
        (tmp_path / name).write_text("x" * 10)
    urls = [str(tmp_path / "a"), str(tmp_path / "*" / "b" / "*.txt"), str(tmp_path / "empty"), "missing.txt"]
    files, empty = xd.list_reports(urls)
    shell = [str(tmp_path / "a"), str(tmp_path / "a" / "b" / "two.txt"), str(tmp_path / "empty"), "missing.txt"]
    found, failed = batch.find_reports(shell)  # the batch is given globs expanded by the shell
    assert [f.source for f in files] == [str(p) for p in found]
    assert [f.size for f in files] == [10, 10, 0]
    assert [o.source for o in empty] == [o.source for o in failed] == [str(tmp_path / "empty")]


def test_partitions_hold_about_blocksize_bytes() -> None:
    files = [xd.ReportFile(str(i), None, str(i), size) for i, size in enumerate([4, 4, 4, 20, 1, 1])]
    parts = [[f.size for f in group] for group in xd.partitions(files, 8)]
    assert parts == [[4, 4], [4], [20], [1, 1]]
