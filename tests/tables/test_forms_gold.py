"""Every seed with its blank lines removed — the `lines` form of PDF and web extraction, where a label broken over
two lines is two cells (``其他`` / ``结果``) — still gives every gold table cell.

A blank line before a tab is kept: in the tab-row form (seeds 002, 003) it ends a row, it does not part cells."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import xxgk
from tests.conftest import CORPUS, assert_tables_match_gold, gold_files, load_gold, pending

# The seeds (corpus/0*): the documents written for issue 11's forms (corpus/1*) carry their own layouts, in which a
# blank line may part two tables.
SEEDS = [p for p in gold_files() if p.name.startswith("0")]


@pytest.mark.parametrize("gold_path", pending(SEEDS))
def test_tables_without_blank_lines_match_gold(gold_path: Path) -> None:
    gold = load_gold(gold_path)
    text = (CORPUS / gold["source"]).read_text(encoding="utf-8")
    without_blank_lines = re.sub(r"\n\n+(?=\S)", "\n", text)
    got = xxgk.to_dict(xxgk.parse(without_blank_lines))
    assert_tables_match_gold(gold["tables"], got["tables"])
    troubles = [d for d in got["diagnostics"] if d["kind"].startswith("table.") and d["kind"] != "table.joined_cells"]
    assert not troubles
