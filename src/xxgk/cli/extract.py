"""The ``xxgk extract`` command: the text the grammars see in a file, so that one can tell why a value was read
or was not (a web page, Word or PDF file is read by :mod:`xxgk.readers`; a text file is decoded)."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console
from rich.markup import escape

from xxgk import readers
from xxgk.normalise.text import normalise
from xxgk.pipeline import read_bytes

EPILOG = """\
examples:
  xxgk extract report.pdf                  the text the grammars read: prose as lines, tables as pipe rows
  xxgk extract report.html --origins       each line numbered, with where it is in the file
  xxgk extract report.docx > report.txt    the text, to edit or to parse again (xxgk parse report.txt)

A line number is the one that `xxgk parse` gives for a value or a diagnostic; --origins says where that line is in
the file: an HTML line:column, a Word paragraph or table/row/cell, a PDF page and position (points from the top left).
Exit status: 0, or that of the error (3 no such file, 7 empty, 8 binary, 9 undecodable, 11 a document that cannot be
read, 12 a PDF without a text layer).
"""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``xxgk extract`` to the command's subparsers."""
    p = sub.add_parser(
        "extract",
        help="print the text the grammars see in a file (web page, Word .docx, PDF or text)",
        description="Print the text xxgk reads in FILE: for a web page, Word or PDF file the reader's text, tables "
        "as pipe rows (cell | cell |), after the normaliser's passes.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("file", type=Path, metavar="FILE", help="a report: .html, .docx, .pdf or text (told by content)")
    p.add_argument("--origins", action="store_true", help="number each line and say where it is in the file")
    p.set_defaults(run=run)


def run(args: argparse.Namespace, out: Console, err: Console) -> int:
    """Run ``xxgk extract`` and return its exit status."""
    path: Path = args.file
    data = read_bytes(path)
    extracted = readers.read(data, source=str(path))
    text = normalise(data if extracted is None else extracted.text, source=str(path)).text
    lines = text.split("\n")
    if lines and not lines[-1]:
        lines.pop()
    for number, line in enumerate(lines, 1):
        if not args.origins:
            out.print(line, markup=False, highlight=False, soft_wrap=True)
            continue
        origin = extracted.origin(number) if extracted is not None else None
        where = str(origin) if origin is not None else f"line {number}"
        out.print(f"[dim]{number:>5}  {escape(where):<34}[/dim] {escape(line)}", highlight=False, soft_wrap=True)
    return 0
