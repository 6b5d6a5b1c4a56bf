#!/usr/bin/env python3
"""Output identity across a refactor: the ``repr`` of the Report of 1,600 documents, saved before and compared after.

    .venv/bin/python benchmarks/identity.py save /tmp/before.pkl    # on the commit before the change
    .venv/bin/python benchmarks/identity.py check /tmp/before.pkl   # after it: "1600/1600 identical", exit 0

The documents: the corpus reports, the same without blank lines, the gold tables re-rendered in every serialisation
form (plain, labels wrapped over two lines, Traditional with CRLF), and 1,500 damaged copies (lines lost, doubled,
swapped, cut; stray cells, tabs, pipes and blank lines; a number changed), drawn with a fixed seed.  The speed work
of issue 6 checked every commit this way (docs/performance.md); a change meant to alter output shows here as the
documents it alters, with the first difference of each.
"""

from __future__ import annotations

import json
import pickle
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # tests.render, the forms the property tests render

import xxgk  # noqa: E402
from tests.render import render_report  # noqa: E402

FORMS = ("paragraphs", "lines", "pipe_rows", "markdown", "cell_lines", "tab_rows")
DEBRIS = ["某某情况", "其他", "结果", "总计", "本年新", "0", "", "/", "商业", "审结", "\t", "|", "||||", "\t5", "3 |"]
DEBRIS += ["一、总体情况", "(三)", "2023年12月31日"]


def documents() -> list[tuple[str, str]]:
    """(name, text) of every document compared."""
    texts = {p.name: p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus").glob("*.txt"))}
    docs = []
    for name, text in texts.items():
        docs += [(f"seed:{name}", text), (f"noblank:{name}", _without_blank_lines(text))]
    for path in sorted((ROOT / "tests" / "gold").glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        for form in FORMS:
            for options in ({}, {"wrapped": True}, {"traditional": True, "crlf": True}):
                text = render_report(gold["tables"], gold["template"], form, **options)
                docs.append((f"render:{path.stem}:{form}:{sorted(options)}", text))
    rng = random.Random(20261125)
    pool = list(texts.values())
    for n in range(1500):
        docs.append((f"damaged:{n}", damaged_copy(rng, pool)))
    return docs


def _without_blank_lines(text: str) -> str:
    return re.sub(r"\n\n+(?=\S)", "\n", text)


def damaged_copy(rng: random.Random, pool: list[str]) -> str:
    """One of ``pool``'s texts (or the same without blank lines) with 1–6 lines damaged, as extraction does."""
    lines = rng.choice([*pool, _without_blank_lines(rng.choice(pool))]).split("\n")
    for _ in range(rng.randint(1, 6)):
        i = rng.randrange(len(lines))
        how = rng.choice(["lose", "double", "swap", "stray", "cut", "tab", "pipe", "blank", "digit"])
        if how == "lose":
            del lines[i]
        elif how == "double":
            lines.insert(i, lines[i])
        elif how == "swap" and i + 1 < len(lines):
            lines[i], lines[i + 1] = lines[i + 1], lines[i]
        elif how == "stray":
            lines.insert(i, rng.choice(DEBRIS))
        elif how == "cut" and len(lines[i]) > 1:
            lines[i] = lines[i][: rng.randint(1, len(lines[i]) - 1)]
        elif how == "tab":
            lines[i] = lines[i][1:] if lines[i].startswith("\t") else "\t" + lines[i]
        elif how == "pipe":
            lines[i] = lines[i].rstrip("|") if lines[i].endswith("|") else lines[i] + " |"
        elif how == "blank":
            lines.insert(i, "")
        elif how == "digit":
            lines[i] = re.sub(r"\d+", lambda m: str(int(m[0]) + rng.randint(0, 3)), lines[i], count=1)
    return "\n".join(lines)


def outputs(docs: list[tuple[str, str]]) -> list[str]:
    """The repr of each document's Report, or of the exception it raised."""
    out = []
    for _, text in docs:
        try:
            out.append(repr(xxgk.parse(text)))
        except Exception as exc:  # an exception is an output to compare like any other
            out.append(f"{type(exc).__name__}: {exc}")
    return out


def main() -> int:
    if len(sys.argv) != 3 or sys.argv[1] not in ("save", "check"):
        print(__doc__)
        return 2
    path = Path(sys.argv[2])
    if sys.argv[1] == "save":
        docs = documents()
        path.write_bytes(pickle.dumps((docs, outputs(docs))))
        print(f"saved {len(docs)} documents to {path}")
        return 0
    docs, want = pickle.loads(path.read_bytes())
    got = outputs(docs)
    differ = [i for i, (a, b) in enumerate(zip(want, got, strict=True)) if a != b]
    print(f"{len(docs) - len(differ)}/{len(docs)} identical")
    for i in differ[:10]:
        a, b = want[i], got[i]
        at = next((k for k in range(min(len(a), len(b))) if a[k] != b[k]), min(len(a), len(b)))
        around = slice(max(0, at - 120), at + 120)
        print(f"  {docs[i][0]}\n    before: …{a[around]}\n    after:  …{b[around]}")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
