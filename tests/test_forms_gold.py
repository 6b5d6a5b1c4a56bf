"""Every seed with its blank lines removed — the `lines` form of PDF and web extraction, where a label broken over
two lines is two cells (``其他`` / ``结果``) — still gives every gold table cell.

A blank line before a tab is kept: in the tab-row form (seeds 002, 003) it ends a row, it does not part cells."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

import xxgk
from tests.conftest import CORPUS, gold_files, load_gold


def _leaves(tree: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in tree.items():
        path = f"{prefix}/{k}" if prefix else k
        out.update(_leaves(v, path) if isinstance(v, dict) else {path: v})
    return out


@pytest.mark.parametrize("gold_path", gold_files(), ids=[p.stem for p in gold_files()])
def test_tables_without_blank_lines_match_gold(gold_path: Path) -> None:
    gold = load_gold(gold_path)
    text = (CORPUS / gold["source"]).read_text(encoding="utf-8")
    without_blank_lines = re.sub(r"\n\n+(?=\S)", "\n", text)
    got = xxgk.to_dict(xxgk.parse(without_blank_lines))
    want, have = _leaves(gold["tables"]), _leaves(got["tables"])
    wrong = {path: (value, have.get(path, "<missing>")) for path, value in want.items() if have.get(path) != value}
    assert not wrong, f"{len(wrong)} of {len(want)} cells differ: {dict(list(wrong.items())[:10])}"
    assert set(have) == set(want), f"cells not in gold: {sorted(set(have) - set(want))[:10]}"
    troubles = [d for d in got["diagnostics"] if d["kind"].startswith("table.") and d["kind"] != "table.joined_cells"]
    assert not troubles
