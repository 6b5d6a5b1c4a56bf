"""xxgk — grammar-based parser for 政府信息公开工作年度报告 (government information-disclosure annual reports).

>>> import xxgk
>>> report = xxgk.parse_file("corpus/000_875ca7f37e0dab6a.txt")   # doctest: +SKIP
>>> report.tables.applications["total"]["total"].value                 # doctest: +SKIP
85
"""

from __future__ import annotations

import importlib
import importlib.util
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from xxgk.errors import (
        BinaryInputError,
        EmptyInputError,
        GrammarError,
        InputError,
        NoReportsError,
        ParseError,
        UndecodableError,
        XxgkError,
    )
    from xxgk.export import to_dict, to_json
    from xxgk.pipeline import parse, parse_file
    from xxgk.records import Cell, CellRef, Diagnostic, Finding, Report, Section, Span, Tables, Value

# The public names and the modules that define them, imported on first use (PEP 562): ``import xxgk`` and the
# command's start-up pay only for the modules they use.
_MODULES = {
    "xxgk.errors": (
        "BinaryInputError",
        "EmptyInputError",
        "GrammarError",
        "InputError",
        "NoReportsError",
        "ParseError",
        "UndecodableError",
        "XxgkError",
    ),
    "xxgk.export": ("to_dict", "to_json"),
    "xxgk.pipeline": ("parse", "parse_file"),
    "xxgk.records": ("Cell", "CellRef", "Diagnostic", "Finding", "Report", "Section", "Span", "Tables", "Value"),
}
_HOME = {name: module for module, names in _MODULES.items() for name in names}

__all__ = [
    "BinaryInputError",
    "Cell",
    "CellRef",
    "Diagnostic",
    "EmptyInputError",
    "Finding",
    "GrammarError",
    "InputError",
    "NoReportsError",
    "ParseError",
    "Report",
    "Section",
    "Span",
    "Tables",
    "UndecodableError",
    "Value",
    "XxgkError",
    "parse",
    "parse_file",
    "to_dict",
    "to_json",
]


def __getattr__(name: str) -> Any:
    module = _HOME.get(name)
    if module is None:
        # A submodule (xxgk.export …), reachable as an attribute as when this module imported them all.
        if not name.startswith("_") and importlib.util.find_spec(f"{__name__}.{name}") is not None:
            return importlib.import_module(f"{__name__}.{name}")
        raise AttributeError(f"module 'xxgk' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_HOME})
