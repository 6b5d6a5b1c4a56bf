#!/usr/bin/env python3
"""Read rate of the table layer on the corpus documents with gold: the share of gold table cells read right, read
wrong and left null, one line per document and a total.

    .venv/bin/python benchmarks/forms_readrate.py           # every document of tests/gold
    .venv/bin/python benchmarks/forms_readrate.py --wrong   # and every wrong cell: document, cell, expected, got
    .venv/bin/python benchmarks/forms_readrate.py 1         # only the documents whose name starts with 1

A gold cell is *right* when the parser's value equals it (a null gold cell is right when the parser leaves it null or
absent), *wrong* when the parser placed another value — the one outcome the project does not accept — and *null*
when gold has a value and the parser has none.  A cell the parser places that gold does not have (another template's
key) counts as wrong too, against a gold of ``<no cell>``.  ``values read`` is the share of gold cells that hold a
number which the parser read right — a document whose cells are mostly empty (105) or cut off (110) is read "right"
by leaving them null, so this is the figure to quote for reading.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import xxgk  # noqa: E402
from tests.forms import placed  # noqa: E402

NO_CELL = "<no cell>"


def gold_leaves(tables: dict[str, Any]) -> dict[str, Any]:
    """Gold tables flattened to ``{"table/…/column": value}`` (amounts as Decimal, so 196.7 equals the parser's)."""
    out: dict[str, Any] = {}

    def walk(node: dict[str, Any], prefix: str) -> None:
        for key, value in node.items():
            path = f"{prefix}/{key}"
            if isinstance(value, dict):
                walk(value, path)
            else:
                out[path] = Decimal(str(value)) if isinstance(value, float) else value

    for table, node in tables.items():
        walk(node, table)
    return out


def compare(gold: dict[str, Any], got: dict[str, Any]) -> tuple[int, int, int, list[tuple[str, Any, Any]]]:
    """(right, right among the gold cells that hold a number, null, wrong cells as (cell, expected, got))."""
    right = values = null = 0
    wrong: list[tuple[str, Any, Any]] = []
    for path, want in gold.items():
        have = got.get(path)
        if have == want:
            right += 1
            values += want is not None
        elif have is None:
            null += 1
        else:
            wrong.append((path, want, have))
    wrong += [(path, NO_CELL, have) for path, have in got.items() if path not in gold and have is not None]
    return right, values, null, wrong


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("prefix", nargs="?", default="", help="only the gold files whose name starts with this")
    ap.add_argument("--wrong", action="store_true", help="list every wrong cell: document, cell, expected, got")
    ap.add_argument("--gold", type=Path, default=ROOT / "tests" / "gold", help="directory of gold files")
    ap.add_argument("--corpus", type=Path, default=ROOT / "corpus", help="directory of the documents")
    args = ap.parse_args(argv)
    totals: Counter[str] = Counter()
    listed: list[tuple[str, str, Any, Any]] = []
    head = f"{'document':<32} {'cells':>5} {'right':>7} {'wrong':>7} {'null':>7}   {'values read':>17}"
    print(head)

    def line(name: str, cells: int, right: int, wrong: int, null: int, read: int, numbers: int) -> str:
        share = f"{read / numbers:.1%}" if numbers else "-"
        return (
            f"{name:<32} {cells:>5} {right / cells:>7.1%} {wrong / cells:>7.1%} {null / cells:>7.1%}   "
            f"{share:>7} of {numbers:>4}"
        )

    for path in sorted(args.gold.glob(f"{args.prefix}*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        report = xxgk.parse_file(args.corpus / gold["source"])
        want = gold_leaves(gold["tables"])
        right, read, null, wrong = compare(want, {p: v.value for p, v in placed(report.tables).items()})
        counts = Counter(
            cells=len(want), right=right, wrong=len(wrong), null=null, read=read,
            numbers=sum(v is not None for v in want.values()),
        )  # fmt: skip
        totals.update(counts)
        print(line(path.stem, **counts))
        listed += [(path.stem, cell, expected, got) for cell, expected, got in wrong]
    if totals["cells"]:
        print(line("total", **totals))
    if args.wrong:
        print(f"\n{len(listed)} wrong cell(s):")
        for doc, cell, expected, got in listed:
            print(f"{doc}\t{cell}\texpected {expected}\tgot {got}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
