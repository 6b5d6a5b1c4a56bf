#!/usr/bin/env python3
"""Identities that verify, measured: what leaving out a damaged row whose own identity fails would prevent and cost.

    .venv/bin/python benchmarks/verify_rows.py                        # every source, the sizes of the report
    .venv/bin/python benchmarks/verify_rows.py --only pairs --count 2000

The rule measured: where the table recovery ran and skipped a cell next to a row of table 2 or 3, a row whose own
identity fails (``applications.row_total``; ``reviews.group_total`` of any of the reviews' three groups; with
``+cross``, also a column total or balance over one of its cells) would be left out.  Nothing is changed in the
parse: the recovery's units are recorded by a wrapper of ``Checks.run`` (the checks run only where the recovery
skipped cells), and every value the parse placed is compared with the document's truth.  For each variant of the rule
and each source, the rows it would leave out — those holding a wrong value, and those entirely right — the wrong
values it would prevent and the correct values it would withhold.

Evidence of damage "next to" a row, the variants:

- ``next``: a skipped cell right before the row's label or right after its last value (empty cells the lexer dropped
  between), or among the row's cells;
- ``value``: a skipped value among the skipped cells right before or after the row;
- ``value+alt``: as ``value``, and another choice of the row's values among them and the skipped values (in order,
  as many as its columns) satisfies its identity — the values may be a place off;
- ``amid``: a skipped cell that holds a number among the row's cells (``0 |``, a value the lexer could not read) —
  the rule built (``table.unverified_row``), which the figures are taken without;
- ``ran``: the recovery ran at all (no evidence next to the row).

Sources (truth in brackets):

- ``identity``: benchmarks/identity.py's 1,500 damaged copies of the corpus [the source document's values]; copies
  whose damage changed a number's text or the order of two lines (``digit``, ``cut``, ``swap``) are a group of their
  own ("text changed"): a value that differs from the source there may be the text's, not misplaced;
- ``pairs``, ``triples``: corpus documents (with and without blank lines) with two or three line damages each — a
  line lost, doubled, a tab or a pipe toggled, a line of debris without digits put before it [the source's values; a
  value placed where the source places none is counted apart, not as wrong];
- ``row`` and ``damage``: tests/forms.py's generated reports, every form and template, with one of ``ROW_DAMAGE``
  or ``DAMAGE`` (the property tests' documents) [the generated values]; ``multi``: two or three table damages, page
  furniture and a cut [the same]. Consistent tables satisfy every identity; the others are random (any cell may be
  anything, as a report that breaks its sums, and nearly every row breaks its own).
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import random
import sys
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import identity  # noqa: E402

import xxgk  # noqa: E402
from tests import forms  # noqa: E402
from xxgk.identities import APPLICATION_PLANS, REVIEW_PLAN  # noqa: E402
from xxgk.tables import checks  # noqa: E402
from xxgk.tables.cells import cells_of, index  # noqa: E402

VARIANTS = {
    "ran x own": ({"ran"}, "own"),
    "next x own": ({"next"}, "own"),
    "next x own+cross": ({"next"}, "cross"),
    "value x own": ({"value"}, "own"),
    "value+alt x own": ({"alt"}, "own"),
    "amid x own": ({"amid"}, "own"),
}

# --- what the recovery placed next to skipped cells ---------------------------------------------------------------

_RECORDS: list[tuple[str, str, tuple[str, ...], frozenset[str]]] = []
_run = checks.Checks.run


def _recording_run(self: checks.Checks, units: list[Any], scopes: Any) -> Any:
    """``Checks.run`` without the rule built from these figures (``table.unverified_row``: measured as ``amid x
    own``), and each unit of table 2 or 3 it leaves placed recorded with its evidence of damage."""
    self._check_unverified_rows = lambda units: None  # type: ignore[method-assign]
    out = _run(self, units, scopes)
    skipped = {i for t in self.stream.skipped for i in cells_of(t)}
    for unit in units:
        if unit.dropped or unit.scope not in ("applications", "reviews") or any(index(v) < 0 for v in unit.values):
            continue
        cells = [i for t in ([unit.label] if unit.label is not None else []) + unit.values for i in cells_of(t)]
        if cells:
            flags = _evidence(self, unit, min(cells), max(cells), skipped)
            _RECORDS.append((self.template, unit.scope, tuple(c.path for c in unit.columns), frozenset(flags)))
    return out


def _evidence(self: checks.Checks, unit: Any, first: int, last: int, skipped: set[int]) -> set[str]:
    dropped, kinds, texts = self.stream.dropped, self._kinds, self.stream.cells.texts
    flags = {"ran"}
    runs: list[list[int]] = []
    for start, step in ((first - 1, -1), (last + 1, 1)):
        j, values = start, []
        while j in dropped or j in skipped:
            if j in skipped:
                flags.add("next")
                if kinds and kinds[j] is not None:
                    values.append(j)
            j += step
        runs.append(values[::-1] if step < 0 else values)
    for s in skipped:
        if first < s < last:
            flags.add("next")
            if any(c.isdigit() for c in texts[s]):
                flags.add("amid")
    if runs[0] or runs[1]:
        flags.add("value")
        if _another_choice_holds(self, unit, [texts[i] for i in runs[0]][-4:], [texts[i] for i in runs[1]][:4]):
            flags.add("alt")
    return flags


def _holds(scope: str, values: list[Any]) -> bool:
    if scope == "applications":
        return bool(values[6] == sum(values[:6]))
    return all(values[g * 5 + 4] == sum(values[g * 5 : g * 5 + 4]) for g in range(3))


def _another_choice_holds(self: checks.Checks, unit: Any, before: list[str], after: list[str]) -> bool:
    """The row's own identity fails as read, and another choice among its values and the skipped ones holds."""
    read = self.lexer.read
    row = [read(str(t.value), c.amount, c.signed) for c, t in zip(unit.columns, unit.values, strict=True)]
    near = [read(text, False, False) for text in (*before, *after)]
    if any(r.value is None or not r.certain for r in (*row, *near)):
        return False
    values = [r.value for r in row]
    if _holds(unit.scope, values):
        return False
    combined = [r.value for r in near[: len(before)]] + values + [r.value for r in near[len(before) :]]
    as_read = tuple(range(len(before), len(before) + len(values)))
    return any(
        pick != as_read and _holds(unit.scope, [combined[i] for i in pick])
        for pick in itertools.combinations(range(len(combined)), len(values))
    )


def _verdicts(tables: xxgk.Tables, template: str, paths: tuple[str, ...]) -> tuple[bool, bool]:
    """Whether the row's own identities fail (decided and not holding), and whether any other over its cells does."""
    table = paths[0].split("/")[0]
    mine = {tuple(p.split("/")[1:]) for p in paths}
    rows = getattr(tables, table)
    own = cross = False
    for eq in APPLICATION_PLANS[template] if table == "applications" else REVIEW_PLAN:
        cells = [(r, c) for _, r, c in (*eq.stated, *eq.operands)]
        if mine.isdisjoint(cells):
            continue
        got = [rows.get(r, {}).get(c) for r, c in cells]
        if any(v is None or v.value is None for v in got):
            continue
        stated = sum(rows[r][c].value for _, r, c in eq.stated)
        fails = stated != sum(rows[r][c].value for _, r, c in eq.operands)
        if mine.issuperset(cells):
            own |= fails
        else:
            cross |= fails
    return own, cross


def measure(text: str, truth: dict[str, Any]) -> tuple[list[dict[str, Any]], Counter[str]]:
    """The recorded rows of ``text``'s parse with their verdicts and values, and the whole parse's placed values."""
    _RECORDS.clear()
    report = xxgk.parse(text)
    placed = forms.placed(report.tables)
    rows = []
    for template, _, paths, flags in _RECORDS:
        own, cross = _verdicts(report.tables, template, paths)
        values = [(p, placed[p].value) for p in paths if p in placed and placed[p].value is not None]
        wrong = sum(1 for p, v in values if p in truth and truth[p] != v)
        absent = sum(1 for p, _ in values if p not in truth)
        rows.append(
            {"flags": flags, "own": own, "cross": own or cross, "wrong": wrong, "right": len(values) - wrong - absent}
        )
    total: Counter[str] = Counter()
    for path, value in placed.items():
        if value.value is not None:
            total["absent" if path not in truth else "wrong" if truth[path] != value.value else "right"] += 1
    return rows, total


# --- the sources ---------------------------------------------------------------------------------------------------


class _Recording(random.Random):
    """A Random that keeps what ``choice`` drew: the damages of identity.damaged_copy."""

    drawn: list[Any]

    def choice(self, seq: Any) -> Any:
        picked = super().choice(seq)
        self.drawn.append(picked)
        return picked


def _truth(text: str) -> dict[str, Any]:
    return {p: v.value for p, v in forms.placed(xxgk.parse(text).tables).items()}


def from_identity(count: int) -> Iterator[tuple[str, str, dict[str, Any]]]:
    texts = {p.name: p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus").glob("*.txt"))}
    pool = list(texts.values())
    truths = {t: _truth(t) for t in pool}
    rng = _Recording(20261125)  # identity.documents()'s, drawing the same copies
    for _ in range(min(count, 1500)):
        rng.drawn = []
        text = identity.damaged_copy(rng, pool)
        lines = set(text.split("\n"))
        source = max(pool, key=lambda s: len(lines & set(s.split("\n"))))
        group = "text changed" if {"digit", "cut", "swap"} & set(map(str, rng.drawn)) else "damaged"
        yield group, text, truths[source]


_DEBRIS = [d for d in identity.DEBRIS if not any(c.isdigit() for c in d)]


def _line_damage(lines: list[str], i: int, rng: random.Random) -> list[str]:
    how = rng.choice(["lose", "double", "tab", "pipe", "stray"])
    line = lines[i]
    if how == "lose":
        return lines[:i] + lines[i + 1 :]
    if how == "double":
        return [*lines[:i], line, *lines[i:]]
    if how == "tab":
        return [*lines[:i], line[1:] if line.startswith("\t") else "\t" + line, *lines[i + 1 :]]
    if how == "pipe":
        return [*lines[:i], line.rstrip("|") if line.endswith("|") else line + " |", *lines[i + 1 :]]
    return [*lines[:i], rng.choice(_DEBRIS), *lines[i:]]


def from_corpus(count: int, damages: int) -> Iterator[tuple[str, str, dict[str, Any]]]:
    pool = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus").glob("*.txt"))]
    truths = [_truth(t) for t in pool]
    for seed in range(count):
        rng = random.Random(seed if damages == 2 else seed * 7 + damages)
        k = rng.randrange(2 * len(pool))
        lines = (pool[k // 2] if k % 2 == 0 else identity._without_blank_lines(pool[k // 2])).split("\n")
        for _ in range(damages):
            lines = _line_damage(lines, rng.randrange(len(lines)), rng)
        yield "damaged", "\n".join(lines), truths[k // 2]


def from_forms(damages: tuple[str, ...], count: int) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for damage in damages:
        for template in ("2019", "2021"):
            for form in forms.ALL_FORMS:
                for seed in range(count):
                    rng = random.Random(f"{seed}-{form}-{template}-{damage}")
                    consistent = seed % 4 != 0
                    values = forms.random_tables(rng, template, consistent=consistent)
                    text = forms.render_report(values, template, form, damage=damage, rng=rng).text
                    yield ("consistent" if consistent else "random"), text, forms.truth(values, template)


def from_multi(count: int) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for template in ("2019", "2021"):
        for form in forms.ALL_FORMS:
            for seed in range(count):
                rng = random.Random(seed * 31 + len(form) * 1000 + int(template))
                consistent = seed % 3 != 0
                values = forms.random_tables(rng, template, consistent=consistent)
                yield (
                    ("consistent" if consistent else "random"),
                    _multi(values, template, form, rng),
                    forms.truth(values, template),
                )


def _multi(values: Any, template: str, form: str, rng: random.Random) -> str:
    """A report with two or three table damages, page furniture in some tables, and now and then cut short."""
    tables = forms.tables_of(values, template)
    for _ in range(rng.choice([2, 3])):
        t = rng.randrange(len(tables))
        with contextlib.suppress(IndexError):
            forms.damage_table(tables[t], rng.choice(forms.TABLE_DAMAGE), rng, values)
    blocks = {t.section: forms.render_table(replace(t, rows=[replace(r) for r in t.rows]), form) for t in tables}
    for key in list(blocks):
        if rng.random() < 0.4:
            blocks[key], _ = forms.insert_furniture(blocks[key], rng)
    cut = None
    if rng.random() < 0.3:
        cut = rng.choice(list(blocks))
        blocks[cut], _ = forms.cut_block(blocks[cut], rng)
    mark = "## " if form == "converter_markdown" else ""
    parts = [f"示例市人力资源和社会保障局{2023 if template == '2021' else 2020}年政府信息公开工作年度报告\n"]
    for numeral, (key, title, _) in zip(forms.NUMERALS, forms.SECTIONS, strict=True):
        parts.append(f"{mark}{numeral}、{title}\n")
        parts.append(blocks.get(key, "本年度无需要说明的情况。\n"))
        if key == cut:
            break
    return "".join(parts)


SOURCES = {
    "identity": lambda n: from_identity(n),
    "pairs": lambda n: from_corpus(n, 2),
    "triples": lambda n: from_corpus(n, 3),
    "row": lambda n: from_forms(forms.ROW_DAMAGE, max(1, n // 544)),
    "damage": lambda n: from_forms(forms.DAMAGE, max(1, n // 340)),
    "multi": lambda n: from_multi(max(1, n // 34)),
}
COUNTS = {"identity": 1500, "pairs": 10000, "triples": 20000, "row": 21760, "damage": 6800, "multi": 5100}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", default=",".join(SOURCES), help="sources, comma-separated: " + ", ".join(SOURCES))
    parser.add_argument("--count", type=int, help="documents a source (default: the report's sizes)")
    args = parser.parse_args()
    checks.Checks.run = _recording_run  # type: ignore[method-assign]
    for name in args.only.split(","):
        base: dict[str, Counter[str]] = defaultdict(Counter)
        tally: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
        for group, text, truth in SOURCES[name](args.count or COUNTS[name]):
            rows, total = measure(text, truth)
            base[group].update(total, documents=1)
            for variant, (evidence, verdict) in VARIANTS.items():
                for row in rows:
                    if row["flags"] & evidence and row[verdict]:
                        t = tally[variant, group]
                        t["rows with a wrong value" if row["wrong"] else "rows all right"] += 1
                        t["wrong prevented"] += row["wrong"]
                        t["right withheld" + ("" if row["wrong"] else " (rows all right)")] += row["right"]
        print(f"== {name}")
        for group, total in sorted(base.items()):
            extra = f", {total['absent']} where the source has none" if total["absent"] else ""
            counts = f"placed {total['wrong']} wrong, {total['right']} right{extra}"
            print(f"   {group}: {total['documents']} documents; {counts}")
        for (variant, group), t in sorted(tally.items()):
            print(f"   {variant:18} {group:15} " + ", ".join(f"{k} {v}" for k, v in sorted(t.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
