"""The statutory grammars as built (xxgk.tables.grammar): the checks against schema.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from xxgk.engine import grammars
from xxgk.errors import GrammarError
from xxgk.tables import grammar

GRAMMAR_DIR = Path(__file__).resolve().parents[2] / "grammars"


def test_the_grammar_names_the_column_kinds_of_the_schema(tmp_path: Path) -> None:
    """A row whose values the grammar gives another kind than schema.py's columns (the 2021 fees as a count, where
    the schema has an amount in 万元) is refused when the parser is built."""
    for name in ("common", "table_common", "table_2021"):
        (tmp_path / f"{name}.lark").write_text((GRAMMAR_DIR / f"{name}.lark").read_text(encoding="utf-8"))
    edited = (
        (tmp_path / "table_2021.lark")
        .read_text(encoding="utf-8")
        .replace("row{ROW_FEES, _amount}", "row{ROW_FEES, _v1}")
    )
    (tmp_path / "table_2021.lark").write_text(edited, encoding="utf-8")
    with grammars.folder(tmp_path), pytest.raises(GrammarError, match=r"ROW_FEES.*NUMBER.*AMOUNT"):
        grammar.parser("2021")
    assert grammar.parser("2021") is not None  # the package's grammar again
