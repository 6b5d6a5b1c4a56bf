"""Shared fixtures: the corpus, the gold files, and the JSON snapshot extension."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from syrupy.assertion import SnapshotAssertion
from syrupy.extensions.json import JSONSnapshotExtension

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
GOLD = Path(__file__).resolve().parent / "gold"


def corpus_files() -> list[Path]:
    """Every document of the corpus, in name order."""
    return sorted(CORPUS.glob("*.txt"))


def gold_files() -> list[Path]:
    """Every hand-checked gold file (a copy of ../shared/gold, kept equal by test_gold.py)."""
    return sorted(GOLD.glob("*.json"))


def load_gold(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


@pytest.fixture
def snapshot_json(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """Snapshots as pretty JSON files with Chinese unescaped and the contract's key order."""
    return snapshot.use_extension(JSONSnapshotExtension)
