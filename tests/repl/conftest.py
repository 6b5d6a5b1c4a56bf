"""Fixtures of the REPL tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.repl.driver import GRAMMARS


@pytest.fixture
def toy_copy(tmp_path: Path) -> Path:
    """A copy of the toy grammars (tests/repl/grammars) that a test may edit."""
    folder = tmp_path / "g"
    shutil.copytree(GRAMMARS, folder)
    return folder
