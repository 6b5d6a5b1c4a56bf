"""The pipeline, one call per stage, data flowing one way:

normalise → segment (document grammar) → serialisation grammars → statutory grammars → validate.
Export is separate (:mod:`xxgk.export.report`) because it is a view of the finished Report.
"""

from __future__ import annotations

import gc
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from xxgk.checks.validate import validate
from xxgk.document import concat, segment
from xxgk.errors import InputError
from xxgk.normalise import normalise
from xxgk.records import Block, Diagnostic, Report, Section, Tables
from xxgk.schema import TABLE_SECTIONS
from xxgk.tables.serial import read_block
from xxgk.tables.statutory import read_tables, without_row_at

if TYPE_CHECKING:  # a report read from a document carries one; the readers are imported when one comes
    from xxgk.readers.extracted import Extracted


def parse(data: str | bytes, *, source: str | None = None) -> Report:
    """Parse one annual report into a :class:`~xxgk.records.Report`: text or bytes (UTF-8 or GB18030), or the
    bytes of a web page (any charset), a Word ``.docx`` or a PDF file, told apart by their content
    (:mod:`xxgk.readers`; the report's ``extracted`` then holds the text read and each line's origin).

    Damaged or unexpected content never raises: it is repaired where certain, kept in ``Report.unparsed`` where
    not, and described in ``Report.diagnostics``.  Raises :class:`xxgk.InputError` only when the input cannot be
    read at all (empty, binary, undecodable; a damaged, encrypted or scanned document: ``DocumentError``).
    """
    from xxgk import readers  # here: import xxgk does not pay for the readers (the sniffing is cheap once loaded)

    extracted = readers.read(data, source=source)
    text = data if extracted is None else extracted.text
    # Python's cyclic garbage collector is off while a text is parsed (not while a reader reads a document: pdfminer
    # makes cyclic garbage by the page), as it was before afterwards.  A parse allocates container objects by the
    # hundred thousand (lines, tokens, cells, records) and keeps most of them to the end, so each collection the
    # allocations set off walks everything made so far: 30 % of a 1 MB input's time, and more the longer the input
    # (many reports in one file: 326 → 471 µs/KB from 1 to 50 MB with the collector, flat without).  A well-formed
    # report makes no cyclic garbage; the recovery of a damaged table does (Lark's errors hold the parser that raised
    # them: ~700 objects a damaged report), freed by the first collection after the parse.  (Mercurial's ``nogc``
    # does the same for its large parses.)  The collector is process-wide: a parse in another thread meanwhile runs
    # without it too.  Written out rather than a context manager, which costs a report more than these lines.
    if not gc.isenabled():
        return _parse(text, extracted, source)
    gc.disable()
    try:
        return _parse(text, extracted, source)
    finally:
        gc.enable()


def _parse(data: str | bytes, extracted: Extracted | None, source: str | None) -> Report:
    norm = normalise(data, source=source)
    doc = segment(norm)
    diagnostics: list[Diagnostic] = [
        *(extracted.diagnostics if extracted else ()),
        *norm.diagnostics(),
        *doc.diagnostics,
        *concat.diagnostics(norm, doc),
    ]
    cells = []
    for block in doc.blocks:
        block_cells, block_diags = read_block(block, norm)
        cells.append(block_cells)
        diagnostics.extend(block_diags)
    template = doc.template
    if template == "pre2019":
        diagnostics.append(Diagnostic("template.pre2019", "a 2008-2018 report: sections parsed, no statutory tables"))
    tables, table_diags = read_tables(cells, template) if template in ("2019", "2021") else (None, [])
    diagnostics.extend(table_diags)
    if tables is not None and _ends_inside_a_table(norm.text, doc.blocks) and cells[-1]:
        tables, cut = without_row_at(tables, cells[-1].lines[-1], cells[-1].columns[-1])
        diagnostics.extend(cut)
    if template != "pre2019":
        diagnostics.extend(_unread_tables(tables or Tables(), doc.sections, norm.text))
    # The fields named once, for both Reports: the findings are the validation of the Report without them (a Report
    # made anew from these, not by attrs.evolve, which reads the class's fields at each call).
    fields: dict[str, Any] = dict(
        source=source,
        template=template,
        year=doc.year,
        agency=doc.agency,
        title=doc.title,
        sections=doc.sections,
        tables=Tables() if tables is None else tables,
        diagnostics=tuple(diagnostics),
        unparsed=doc.unparsed,
        extracted=extracted,
        title_year=doc.title_year,
        periods=doc.periods,
    )
    report = Report(**fields)
    # The tables as the Report froze them (FrozenDict at every level), so that the next Report takes them as they are
    # rather than freezing the stage's dicts again.
    fields["tables"] = report.tables
    if not_a_report(report):
        fields["diagnostics"] = (*report.diagnostics, _NOT_A_REPORT)
        report = Report(**fields)
    return Report(**fields, findings=validate(report))


_NOT_A_REPORT = Diagnostic(
    "document.not_a_report",
    "no heading of the six-section skeleton, no statutory table and no template wording: "
    "this does not look like a 政府信息公开工作年度报告",
    1,
    1,
)


def _ends_inside_a_table(text: str, blocks: tuple[Block, ...]) -> bool:
    """Whether the text stops in its last table, without a line break: a file cut off, whose last cell may be a
    number cut short."""
    return bool(blocks) and not text.endswith("\n") and blocks[-1].end >= len(text.rstrip())


def _unread_tables(tables: Tables, sections: tuple[Section, ...], text: str) -> list[Diagnostic]:
    """``table.none`` for each statutory table of which no value was read, in a report that shows it should have
    them (a 2019/2021 template, or any section of the six-section skeleton): a report whose tables were images, or
    whose layout no form reads, must not look like a report with empty tables.  It stands at the table's section
    heading, or at the last line of ``text`` when the section is not there either (a report cut short)."""
    missing = [key for key in TABLE_SECTIONS if not getattr(tables, key)]
    if not missing:
        return []
    if not any(s.key for s in sections) and not (tables.active_disclosure or tables.applications or tables.reviews):
        return []  # no skeleton and no table: not_a_report says what there is to say
    where = {s.key: s.line for s in sections if s.key}
    last_line = text.rstrip("\n").count("\n") + 1
    return [
        Diagnostic(
            "table.none",
            f"no value of the statutory table {key} was read: the table is missing, an image, or in a layout "
            "that no table form reads",
            where.get(key, last_line),
            1,
        )
        for key in missing
    ]


def not_a_report(report: Report) -> bool:
    """True when nothing in ``report`` shows a disclosure report: no keyed section, no template, no table."""
    t = report.tables
    has_tables = bool(t.active_disclosure or t.applications or t.reviews)
    return report.template is None and not has_tables and not any(s.key for s in report.sections)


def parse_file(path: str | os.PathLike[str]) -> Report:
    """Read and parse one report file (text, web page, Word ``.docx`` or PDF); ``Report.source`` is ``path`` as given
    (not its base name, so that two files of the same name in different folders stay apart, and the CLI and the API
    name a report alike)."""
    return parse(read_bytes(path), source=os.fspath(path))


def read_bytes(path: str | os.PathLike[str]) -> bytes:
    """The bytes of the file at ``path``; :class:`xxgk.InputError` when it is missing, a directory or unreadable."""
    try:
        # Unbuffered: one read of the whole file needs no buffer object; and no Path is made for a file that opens.
        with open(path, "rb", buffering=0) as f:
            return f.readall()
    except FileNotFoundError:
        raise InputError("no such file", source=str(Path(path))) from None
    except IsADirectoryError:
        raise InputError("is a directory, not a report file", source=str(Path(path))) from None
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror}", source=str(Path(path))) from None
