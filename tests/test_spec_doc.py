"""docs/spec.md's key tables are generated from :mod:`xxgk.schema`, the one place the keys are written.

Each generated table stands between ``<!-- generated:NAME -->`` and ``<!-- /generated -->``.  The tests fail when a
table no longer matches its rendering from the schema, and, independently of the renderer, when a canonical key of
the schema is missing from the tables or the tables name (in backticks) a key the schema does not have.

``python -m tests.test_spec_doc`` rewrites the generated tables in place after a change to the schema.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Final

from xxgk import schema

SPEC: Final = Path(__file__).resolve().parent.parent / "docs" / "spec.md"
BLOCK: Final = re.compile(r"(<!-- generated:(?P<name>[a-z_]+) -->\n)(?P<body>.*?)(<!-- /generated -->)", re.S)
# A key in backticks: lower-case words joined by _ and (for the applications' grouped rows) one dot.  Template names
# ("2019"), printed labels and markers are never written in backticks inside a generated table.
KEY: Final = re.compile(r"`([a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)?)`")


def _pairs(pairs: Iterable[schema.Pair], marks: Callable[[str], str] = lambda key: "") -> str:
    return " · ".join(f"`{key}` {label}{marks(key)}" for key, label in pairs)


def _across(pairs: Iterable[schema.Pair]) -> list[str]:
    """A table of one column per key: the keys as its header, the printed labels as its one row."""
    keys, labels = zip(*pairs, strict=True)
    return [
        "| " + " | ".join(f"`{key}`" for key in keys) + " |",
        "|" + "---|" * len(keys),
        "| " + " | ".join(labels) + " |",
    ]


def _sections() -> str:
    lines = ["| key | canonical title | titles accepted (after the enumerator) | holds a table |", "|---|---|---|---|"]
    for key, title, variants in schema.SECTIONS:
        table = "yes" if key in schema.TABLE_SECTIONS else ""
        lines.append(f"| `{key}` | {title} | {' · '.join(variants)} | {table} |")
    return "\n".join(lines)


def _markers() -> str:
    lines = ["| template | wording only this generation prints |", "|---|---|"]
    lines += [f"| {template} | {' · '.join(markers)} |" for template, markers in schema.TEMPLATE_MARKERS.items()]
    lines.append(f"| pre2019 (headings of 2008–2018) | {' · '.join(schema.PRE2019_MARKERS)} |")
    return "\n".join(lines)


def _active_disclosure() -> str:
    lines = ["| template | item | printed | rows | columns |", "|---|---|---|---|---|"]
    for template in sorted(schema.ACTIVE_DISCLOSURE, reverse=True):
        for item, (rows, columns) in schema.ACTIVE_DISCLOSURE[template].items():

            def marks(column: str, item: str = item) -> str:
                amount = " [万元]" if (item, column) in schema.AMOUNT_COLUMNS else ""
                return amount + (" [±]" if column in schema.SIGNED_COLUMNS else "")

            printed = schema.ART20_ITEMS[item]
            lines.append(f"| {template} | `{item}` | {printed} | {_pairs(rows)} | {_pairs(columns, marks)} |")
    lines.append("")
    lines.append(
        "Printed variants matched like the label: "
        + "; ".join(f"{label} — {' · '.join(variants)}" for label, variants in schema.LABEL_VARIANTS.items())
        + "."
    )
    return "\n".join(lines)


def _applications() -> str:
    lines = [*_across(schema.APPLICANT_COLUMNS), "", "| row | printed label | 2019 | 2021 |", "|---|---|---|---|"]
    keys = {template: schema.application_row_keys(template) for template in ("2019", "2021")}
    order = dict.fromkeys(key for template in ("2021", "2019") for key in keys[template])
    labels = {key: label for rows in schema.APPLICATION_ROWS.values() for key, label in rows}
    for key in sorted(order, key=lambda k: _printed_position(k, keys)):
        marks = " | ".join("✓" if key in keys[template] else "" for template in ("2019", "2021"))
        lines.append(f"| `{key}` | {labels[key]} | {marks} |")
    return "\n".join([*lines, "", "Group headings:", "", *_across(schema.APPLICATION_GROUPS.items())])


def _printed_position(key: str, keys: dict[str, tuple[str, ...]]) -> tuple[int, int]:
    """Where a row is printed: 2019's single （六） row stands where 2021's three （六） rows begin."""
    if key in keys["2021"]:
        return keys["2021"].index(key), 1
    return keys["2021"].index("other.no_correction"), 0


def _reviews() -> str:
    return "\n".join([*_across(schema.REVIEW_GROUPS), "", *_across(schema.REVIEW_COLUMNS)])


def _headings() -> str:
    return "\n".join(_across(schema.TABLE_HEADINGS.items()))


RENDERERS: Final[dict[str, Callable[[], str]]] = {
    "sections": _sections,
    "markers": _markers,
    "active_disclosure": _active_disclosure,
    "applications": _applications,
    "reviews": _reviews,
    "headings": _headings,
}


def schema_keys() -> set[str]:
    """Every canonical key the schema writes: sections, items, rows, columns, groups and the unkeyed headings."""
    keys = set(schema.SECTION_KEYS) | set(schema.ART20_ITEMS) | set(schema.APPLICATION_GROUPS)
    for items in schema.ACTIVE_DISCLOSURE.values():
        for rows, columns in items.values():
            keys |= {key for key, _ in (*rows, *columns)}
    for template in schema.APPLICATION_ROWS:
        keys |= set(schema.application_row_keys(template))
    keys |= set(schema.applicant_column_keys())
    keys |= {key for key, _ in (*schema.REVIEW_GROUPS, *schema.REVIEW_COLUMNS)}
    return keys | set(schema.TABLE_HEADINGS)


def generated(text: str) -> dict[str, str]:
    """The generated tables of ``text`` by name (their bodies without the trailing newline)."""
    return {m["name"]: m["body"].rstrip("\n") for m in BLOCK.finditer(text)}


def test_every_table_is_generated_once() -> None:
    names = [m["name"] for m in BLOCK.finditer(SPEC.read_text(encoding="utf-8"))]
    assert sorted(names) == sorted(RENDERERS)


def test_tables_match_the_schema() -> None:
    tables = generated(SPEC.read_text(encoding="utf-8"))
    for name, render in RENDERERS.items():
        assert tables.get(name) == render(), f"docs/spec.md table {name} drifted: run python -m tests.test_spec_doc"


def key_drift(text: str) -> tuple[set[str], set[str]]:
    """The schema keys missing from the generated tables of ``text``, and the keys they name that the schema lacks."""
    written = {key for body in generated(text).values() for key in KEY.findall(body)}
    keys = schema_keys()
    return keys - written, written - keys


def test_every_schema_key_is_in_the_tables_and_no_other() -> None:
    missing, unknown = key_drift(SPEC.read_text(encoding="utf-8"))
    assert not missing, f"schema keys missing from docs/spec.md: {sorted(missing)}"
    assert not unknown, f"docs/spec.md names keys schema.py does not have: {sorted(unknown)}"


def test_a_renamed_key_is_caught() -> None:
    """A key renamed in the document is both missing and unknown, whether or not the renderer agrees."""
    text = SPEC.read_text(encoding="utf-8").replace("`pending`", "`unfinished`")
    assert key_drift(text) == ({"pending"}, {"unfinished"})


def write() -> None:
    """Rewrite the generated tables of docs/spec.md from the schema."""
    text = SPEC.read_text(encoding="utf-8")

    def render(m: re.Match[str]) -> str:
        return f"{m[1]}{RENDERERS[m['name']]()}\n{m[4]}"

    SPEC.write_text(BLOCK.sub(render, text), encoding="utf-8")


if __name__ == "__main__":
    write()
