"""Shared fixtures: the corpus, the gold files, and the JSON snapshot extension."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Final

import pytest
from syrupy.assertion import SnapshotAssertion
from syrupy.extensions.json import JSONSnapshotExtension

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
GOLD = Path(__file__).resolve().parent / "gold"


# The documents of issue 11's forms (corpus/101–113, written by tests/make_forms_corpus.py) whose gold the table layer
# does not read in full: each leaves some gold cells null, with a diagnostic, and places no wrong number
# (benchmarks/forms_readrate.py measures them).  The gold and snapshot tests skip them; a document leaves this set
# when it is read in full, and takes its snapshot then.
PENDING_FORMS: Final = frozenset(
    {
        "104_markdown_converter",  # a group label cut over two rows ("(六)其他" / "处理"): 96.6 %
        "105_dropped_empty_cells",  # one cell a line, empty cells dropped: short rows stay null, 91.4 %
        "108_page_furniture",  # a row cut by a page break inside a number's row, 96.5 %
        "109_moved_and_reordered",  # reviews header in another order: withheld, 78.5 %
        "113_odd_cells",  # l2, O, 无 … that no identity settles, 93.4 %
    }
)


def pending(paths: list[Path]) -> list[Any]:
    """``paths`` as pytest parameters (id: the stem), those of PENDING_FORMS marked skip."""
    skip = pytest.mark.skip(reason="PENDING_FORMS (tests/conftest.py): a form the table layer does not read yet")
    return [pytest.param(p, id=p.stem, marks=[skip] if p.stem in PENDING_FORMS else []) for p in paths]


DOCUMENT_SUFFIXES = (".html", ".docx", ".pdf")


def corpus_files(*, documents: bool = False) -> list[Path]:
    """Every text of the corpus, in name order; with ``documents`` also its web pages, Word and PDF files (made
    from a seed by ``python -m tests.documents``)."""
    suffixes = (".txt", *DOCUMENT_SUFFIXES) if documents else (".txt",)
    return sorted(p for p in CORPUS.iterdir() if p.suffix in suffixes)


def gold_files() -> list[Path]:
    """Every hand-checked gold file (a copy of ../shared/gold, kept equal by test_gold.py)."""
    return sorted(GOLD.glob("*.json"))


def load_gold(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def leaves(tree: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """A nested table mapping flattened to ``{"item/row/column": value}``."""
    out: dict[str, Any] = {}
    for k, v in tree.items():
        path = f"{prefix}/{k}" if prefix else k
        out.update(leaves(v, path) if isinstance(v, dict) else {path: v})
    return out


def assert_tables_match_gold(gold_tables: dict[str, Any], got_tables: dict[str, Any]) -> None:
    """Every gold cell has its gold value, and no cell is there that gold does not have."""
    want, have = leaves(gold_tables), leaves(got_tables)
    wrong = {path: (value, have.get(path, "<missing>")) for path, value in want.items() if have.get(path) != value}
    assert not wrong, f"{len(wrong)} of {len(want)} cells differ: {dict(list(wrong.items())[:10])}"
    # A cell left out is null, as ../shared/tools/goldcheck.py reads it; a cell that gold does not have is wrong.
    assert set(have) <= set(want), f"cells not in gold: {sorted(set(have) - set(want))[:10]}"


@pytest.fixture
def snapshot_json(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """Snapshots as pretty JSON files with Chinese unescaped and the contract's key order."""
    return snapshot.use_extension(JSONSnapshotExtension)


@pytest.fixture(autouse=True, scope="session")
def _parser_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The parsers the tests build are cached (grammars.cache_dir) in the session's folder, not the user's."""
    patch = pytest.MonkeyPatch()
    patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
    yield
    patch.undo()
