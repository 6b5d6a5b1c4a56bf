"""Snapshot regression over the whole corpus: the JSON of every document is pinned (syrupy).

A snapshot only says "unchanged"; correctness is test_gold.py's job.  Update after a deliberate change with
``pytest tests/test_snapshots.py --snapshot-update`` and review the diff.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from syrupy.assertion import SnapshotAssertion

import xxgk
from tests.conftest import corpus_files, pending


@pytest.mark.parametrize("path", pending(corpus_files(documents=True)))
def test_corpus_snapshot(path: Path, snapshot_json: SnapshotAssertion, monkeypatch: pytest.MonkeyPatch) -> None:
    # ``source`` is the path as given: given relative to the corpus, it is the same on every machine.
    monkeypatch.chdir(path.parent)
    assert xxgk.to_dict(xxgk.parse_file(path.name)) == snapshot_json
