"""xxgk — grammar-based parser for 政府信息公开工作年度报告 (government information-disclosure annual reports).

>>> import xxgk
>>> report = xxgk.parse_file("corpus/000_875ca7f37e0dab6a.txt")   # doctest: +SKIP
>>> report.tables.applications["total"]["total"].value                 # doctest: +SKIP
85
"""

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
