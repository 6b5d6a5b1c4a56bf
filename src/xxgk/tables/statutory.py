"""Stage 3b — the statutory layer: cell streams to the three keyed tables of the national format.

The national format fixes every table, so each template's tables are written down as an LALR grammar over cell
tokens (``grammars/table_2019.lark``, ``grammars/table_2021.lark``, sharing ``grammars/table_common.lark``).  The
parser checks the labels and places the values; nothing is placed by counting numbers.  The stage's modules, in the
order a stream goes through them:

- :mod:`~xxgk.tables.form` — the label terminals and the columns of each row, from :mod:`xxgk.schema`;
  :mod:`~xxgk.tables.labels` — tolerant matching of a cell's text to them; :mod:`~xxgk.tables.values` — reading a
  value cell for its column;
- :mod:`~xxgk.tables.cells` — the cell lexer: every cell one terminal, chosen by what the parser can take next;
  :mod:`~xxgk.tables.grammar` — each template's parser with that lexer;
- :mod:`~xxgk.tables.wellformed` — a stream whose every cell fits, read on the parse table alone (most are);
- otherwise Lark's parser with :mod:`~xxgk.tables.recovery` as ``on_error`` (run on the parse table by
  ``lalr.Driver``), the units of values read off the stacks it reached (:mod:`~xxgk.tables.tree`), and checked
  by :mod:`~xxgk.tables.checks`;
- :mod:`~xxgk.tables.placing` — units to :class:`~xxgk.records.Tables`, and what the identities settle
  (:mod:`~xxgk.tables.repair`).

Recovery never guesses: a row that lost a value (a ``GAP`` where the form wants one), a row with a value too many,
and an item or table whose header disagrees with the form (a column label out of place, or unknown Chinese text
where a column label is due) are reported and left out.
"""

from __future__ import annotations

from collections.abc import Sequence

from lark.exceptions import UnexpectedInput

from xxgk.records import Cell, Cells, Diagnostic, Tables, Value
from xxgk.tables import grammar
from xxgk.tables.cells import Stream, lexer_class, lexer_input
from xxgk.tables.form import GRAMMARS
from xxgk.tables.grammar import parser
from xxgk.tables.placing import Placer
from xxgk.tables.wellformed import read_well_formed

__all__ = ["GRAMMARS", "lexer_class", "lexer_input", "parser", "read_cell_stream", "read_tables", "without_row_at"]


def read_tables(
    blocks: Sequence[Cells], template: str | None, *, reference: bool = False
) -> tuple[Tables, list[Diagnostic]]:
    """Map the cells of table blocks onto the statutory tables of ``template`` (``"2019"`` or ``"2021"``).

    The blocks are read as one stream, in document order (each block starts a row), and the grammar decides which
    cells belong to which table, so a table split over blocks or a block holding two tables reads the same.
    Which section a block stands in is not needed for that.  What cannot be placed for certain is left out and
    reported.  ``reference``: Lark's own parse even of a well-formed stream, for the differential test.
    """
    if template not in GRAMMARS:
        return Tables(), []
    return read_cell_stream(Cells.joined(blocks), template, reference=reference)


def without_row_at(tables: Tables, line: int, column: int) -> tuple[Tables, list[Diagnostic]]:
    """``tables`` less the row that holds the value read from the cell at ``line``:``column`` — the last cell of a
    text that ends inside a table with no line break after it.  That cell may be a number cut short (13 cut to 1),
    or the first characters of the next row's label (``5.要求…`` cut to ``5``), which would make the row's values
    one more than it showed: which columns they belong to is then not certain either (the reviews' fifteen values
    are one row)."""
    keyed: list[tuple[dict[str, dict[str, Value]], str]] = [
        (rows, "active_disclosure/" + item + "/") for item, rows in tables.active_disclosure.items()
    ]
    keyed += [(tables.applications, "applications/"), (tables.reviews, "reviews/")]
    for rows, prefix in keyed:
        for key, row in rows.items():
            value = next((v for v in row.values() if (v.line, v.column) == (line, column)), None)
            if value is None:
                continue
            cut = list(rows) if prefix == "reviews/" else [key]
            for gone in cut:
                del rows[gone]
            for item in [item for item, item_rows in tables.active_disclosure.items() if not item_rows]:
                del tables.active_disclosure[item]
            message = (
                f"{', '.join(prefix + k for k in cut)}: the text ends inside the row's last cell, which may be a "
                "number cut short or the start of the next row's label: none of the row's values is placed"
            )
            return tables, [Diagnostic("table.cut_value", message, line, column, value.raw)]
    return tables, []


def read_cell_stream(
    cells: Cells | Sequence[Cell], template: str, *, reference: bool = False
) -> tuple[Tables, list[Diagnostic]]:
    """Parse one stream of cells with the grammar of ``template`` into the keyed tables, with diagnostics.

    A stream whose every cell fits is read on the parse table alone (:mod:`xxgk.tables.wellformed`); Lark's parser,
    the tree and the recovery run only where a cell does not fit — or, with ``reference``, always (Lark's own parse,
    for the differential test: both ways give the same tables and diagnostics)."""
    if not isinstance(cells, Cells):
        cells = Cells.of(cells)
    lark = parser(template)
    lexer = grammar.lexer(template)
    stream = Stream(cells)
    rows = None if reference else read_well_formed(template, stream)
    if rows is not None:
        placer = Placer(template, lexer, stream, [])
        return placer.repaired(placer.place_rows(rows))
    # Imported here: a well-formed stream, most reports' (and a one-file run's), needs neither the recovery nor the
    # units transformer and its checks.
    from xxgk.tables.checks import Checks
    from xxgk.tables.recovery import Recovery

    stream = Stream(cells, classes=stream.classes, fill=stream.fill, kinds=stream.kinds)
    try:
        parsed = Recovery(stream, template).parse(lark, reference=reference)
    except UnexpectedInput as exc:
        last = len(cells) - 1
        return Tables(), [
            Diagnostic(
                "table.unparsed",
                f"the tables could not be read: {exc.__class__.__name__}",
                cells.lines[last] if cells else None,
                cells.columns[last] if cells else None,
            )
        ]
    scopes = parsed.scopes() if stream.disagreeing else None  # wanted by the header check alone
    placer = Placer(template, lexer, stream, Checks(template, lexer, stream).run(parsed.units, scopes))
    return placer.repaired(placer.place(parsed.units))
