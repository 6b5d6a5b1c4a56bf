"""The package's shape, as issue 13 set it: modules of one concern and modest size, imports flowing one way, and
Lark's private names in one module only.  Read from the source (``ast``), so nothing is imported."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "xxgk"
MODULES = sorted(SRC.rglob("*.py"))
# Longer than this needs a reason, written in the module docstring as "Longer than 400 lines because …".
MAX_LINES = 400
# The one module that reads Lark's internals (parse tables, parser stacks, the contextual lexer's scanners).
LARK_INTERNALS_MODULE = SRC / "engine" / "lalr.py"
# Lark's modules and classes that are not its API, and attributes of its parser objects (``lalr.value_stack`` and
# ``parsing.value_stack`` are the questions this project asks, not the attribute).
LARK_PRIVATE = re.compile(
    r"lark\.(?:parsers|common|load_grammar|parse_tree_builder|parser_frontends)|\bParseConf\b|\bShift\b(?!/)"
    r"|(?<!lalr)(?<!parsing)\.(?:parse_table|state_stack|value_stack|lexer_conf|parser_conf|parse_conf|callbacks)\b"
    r"|\.parser\.parser\b"
)


def _name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """The xxgk modules ``path`` imports at module level or in functions — but not under ``if TYPE_CHECKING``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    checking = {
        id(n)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
        for n in ast.walk(node)
    }
    found: set[str] = set()
    known = {_name(p) for p in MODULES}
    for node in ast.walk(tree):
        if id(node) in checking:
            continue
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("xxgk")}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("xxgk"):
            for a in node.names:  # from xxgk.tables import serial: the submodule, when it is one
                sub = f"{node.module}.{a.name}"
                found.add(sub if sub in known else node.module)
    return {m for m in found if m in known and m != "xxgk"}


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(SRC)))
def test_module_is_short_or_says_why(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").count("\n")
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    assert lines <= MAX_LINES or "Longer than 400 lines because" in doc, f"{lines} lines and no reason given"


def test_no_import_circle() -> None:
    graph = {_name(p): _imports(p) - {_name(p)} for p in MODULES}
    done: set[str] = set()

    def visit(node: str, path: list[str]) -> None:
        if node in path:
            raise AssertionError("import circle: " + " -> ".join([*path[path.index(node) :], node]))
        if node in done:
            return
        for nxt in sorted(graph.get(node, ())):
            if not nxt.startswith(node + "."):  # a package importing its own submodules is not a circle
                visit(nxt, [*path, node])
        done.add(node)

    for module in sorted(graph):
        visit(module, [])


def test_lark_internals_in_one_module() -> None:
    users = [
        f"{p.relative_to(SRC)}:{n}: {line.strip()}"
        for p in MODULES
        if p != LARK_INTERNALS_MODULE
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if LARK_PRIVATE.search(line)
    ]
    assert not users, "\n".join(users)
