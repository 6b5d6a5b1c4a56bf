"""The records every stage hands on: frozen attrs classes, cheap to pickle, free of parser objects.

Positions (``line``, ``column``) are 1-based and always refer to the *original* input, never to the normalised text.
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal, NoReturn, TypeVar

from attrs import AttrsInstance, field, fields, frozen

if TYPE_CHECKING:  # only a report read from a document holds one, and import xxgk should not pay for the readers
    from xxgk.readers.extracted import Extracted

Number = int | Decimal
Severity = Literal["error", "warning", "uncertain"]
R = TypeVar("R", bound=AttrsInstance)


def pickled_by_init(cls: type[R]) -> type[R]:
    """``cls``, an attrs record, pickled as the call of itself with its fields in order: unpickling makes it through
    its own ``__init__``, the one way records are made.

    attrs pickles a slotted record as a dict of its fields, which unpickling sets one at a time through
    ``object.__setattr__`` by name: twice the cost, for each of the ~250 records of a Report that
    :func:`xxgk.scale.batch.parse_many` hands from a worker process to its parent.  Every field must be a positional
    argument of ``__init__`` (TypeError here otherwise), and a converter must leave its own output as it is.
    """
    attributes = fields(cls)
    if len(attributes) < 2 or any(not a.init or a.kw_only for a in attributes):
        raise TypeError(f"{cls.__name__}: pickled by init needs two or more fields, all positional in __init__")
    # A tuple of the fields, in one C call: attrgetter of two or more names.
    fields_of = operator.attrgetter(*(a.name for a in attributes))

    def __reduce__(self: R) -> tuple[type[R], tuple[Any, ...]]:
        return cls, fields_of(self)

    cls.__reduce__ = __reduce__  # type: ignore[assignment,method-assign]
    return cls


@pickled_by_init
@frozen
class Diagnostic:
    """A repair the parser made or a doubt it has: never fatal, always reported.

    ``kind`` is a dotted identifier (``normalise.bookmark``, ``heading.repaired``, ``table.unmatched_cell`` …) so
    that tools can filter; ``excerpt`` is the original text concerned.
    """

    kind: str
    message: str
    line: int | None = None
    column: int | None = None
    excerpt: str = ""


@frozen
class Cell:
    """One cell of a table as a serialisation grammar read it (the intermediate form between the two table layers).

    ``row_start`` is true when the serialisation shows that this cell begins a new row (pipe rows, tab rows);
    forms without row marks (one cell per line) leave it false and the statutory grammar counts values instead.
    """

    text: str
    line: int
    column: int
    row_start: bool = False


@frozen
class Cells:
    """A stream of cells as parallel lists, the :class:`Cell` fields — how the pipeline hands cells from the
    serialisation layer to the statutory one: a table is ~350 cells a report, and a record per cell cost more than
    reading it.  ``cell(i)`` is the record, for those who want one.

    ``shown``, a fifth list where known (empty where not: none is), is true on the cells of a block whose form shows
    every row (a line or a tab row each: pipe rows, markdown, tab and tab-separated rows), where a row's cells after
    a header label are that header's, never values."""

    texts: list[str]
    lines: list[int]
    columns: list[int]
    row_starts: list[bool]
    shown: list[bool] = field(factory=list)

    @classmethod
    def of(cls, cells: Sequence[Cell]) -> Cells:
        """The stream of the records ``cells``."""
        return cls(
            [c.text for c in cells], [c.line for c in cells], [c.column for c in cells], [c.row_start for c in cells]
        )

    @classmethod
    def joined(cls, streams: Sequence[Cells]) -> Cells:
        """The streams one after the other, each one's first cell beginning a row (a block starts a row)."""
        out = cls([], [], [], [], [])
        for s in streams:
            out.texts.extend(s.texts)
            out.lines.extend(s.lines)
            out.columns.extend(s.columns)
            out.row_starts.extend(s.row_starts)
            out.shown.extend(s.shown if len(s.shown) == len(s.texts) else [False] * len(s.texts))
            if s.texts:
                out.row_starts[len(out.texts) - len(s.texts)] = True
        return out

    def __len__(self) -> int:
        return len(self.texts)

    def cell(self, i: int) -> Cell:
        """The record of cell ``i``."""
        return Cell(self.texts[i], self.lines[i], self.columns[i], self.row_starts[i])


@pickled_by_init
@frozen(init=False)
class Value:
    """A statutory table value with where it came from.  ``value`` is None for a not-applicable cell (``/``)."""

    value: Number | None
    line: int
    column: int
    raw: str

    def __init__(self, value: Number | None, line: int, column: int, raw: str) -> None:
        # The table stage makes ~200 a report: each field is set by its slot's own setter, where attrs' frozen
        # __init__ sets them through object.__setattr__ by name (~30 % slower).
        _set_value(self, value)
        _set_line(self, line)
        _set_column(self, column)
        _set_raw(self, raw)


# The slots' setters, in field order (a field added to Value fails here, not silently in its __init__).
_set_value, _set_line, _set_column, _set_raw = (getattr(Value, f.name).__set__ for f in fields(Value))


@pickled_by_init
@frozen
class Section:
    """A heading and everything under it.

    ``key`` is one of ``schema.SECTION_KEYS`` for the six top-level sections and None otherwise; ``kind`` names the
    enumerator form (``cn`` 一、, ``paren_cn`` (一), ``arabic`` 1、/1., ``paren_arabic`` (1), ``circled`` ①,
    ``ordinal`` 一是, ``bullet`` -, ``none``); ``text`` is the body text directly under the heading (not children's).
    """

    key: str | None
    number: str | None
    kind: str
    title: str
    line: int
    text: str = ""
    children: tuple[Section, ...] = ()


K = TypeVar("K")
V = TypeVar("V")


class FrozenDict(dict[K, V]):
    """A dict that cannot be changed: what a :class:`Report`'s tables are made of.

    A subclass of dict, so that ``==``, ``json.dumps``, ``isinstance(x, dict)`` and pickling work as for a dict;
    every method that would change it raises TypeError.  ``dict(d)`` (or ``d.copy()``) is a mutable copy.
    """

    __slots__ = ()

    def _read_only(self, *args: object, **kwargs: object) -> NoReturn:
        raise TypeError("a Report's tables are read-only: dict(table) is a copy to change")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = __ior__ = _read_only

    def __reduce__(self) -> tuple[type[FrozenDict[K, V]], tuple[dict[K, V]]]:
        # The default pickling of a dict subclass refills it item by item, through __setitem__.
        return type(self), (dict(self),)


ItemTable = dict[str, dict[str, dict[str, Value]]]
KeyedTable = dict[str, dict[str, Value]]


@pickled_by_init
@frozen
class Tables:
    """The three statutory tables, keyed as in docs/spec.md; an empty mapping means the table was not found.

    The stages fill a Tables as they read; the one a :class:`Report` holds is read-only throughout
    (:class:`FrozenDict` at every level, made by :func:`freeze_tables`).
    """

    active_disclosure: ItemTable = field(factory=dict)
    applications: KeyedTable = field(factory=dict)
    reviews: KeyedTable = field(factory=dict)


def freeze_tables(tables: Tables) -> Tables:
    """``tables`` with every level a :class:`FrozenDict` (``tables`` itself when it already is)."""
    if all(isinstance(t, FrozenDict) for t in (tables.active_disclosure, tables.applications, tables.reviews)):
        return tables
    return Tables(
        FrozenDict(
            {
                item: FrozenDict({row: FrozenDict(cols) for row, cols in rows.items()})
                for item, rows in tables.active_disclosure.items()
            }
        ),
        FrozenDict({row: FrozenDict(cols) for row, cols in tables.applications.items()}),
        FrozenDict({row: FrozenDict(cols) for row, cols in tables.reviews.items()}),
    )


@pickled_by_init
@frozen
class CellRef:
    """A statutory cell named by its key path (``applications/total/other_org``), with its value and line."""

    path: str
    value: Number | None
    line: int | None


@pickled_by_init
@frozen
class Finding:
    """A consistency-rule result: a break (``error``), a warning, or an uncertain check (a null operand)."""

    rule: str
    severity: Severity
    cells: tuple[CellRef, ...]
    expected: Number | None
    actual: Number | None
    message_zh: str
    message_en: str


@pickled_by_init
@frozen
class Span:
    """A stretch of original text that no grammar could place, kept so that nothing is silently lost."""

    text: str
    line: int
    column: int


@pickled_by_init
@frozen
class Report:
    """Everything xxgk read from one annual report.

    ``template`` is ``"2019"``, ``"2021"``, ``"pre2019"`` or None when nothing tells; ``unparsed`` keeps every
    stretch of text no grammar could place (each also has a diagnostic), so nothing is silently lost.  ``source``
    is the input as it was named: the path as given to :func:`xxgk.parse_file` or on the command line.  Like every
    record it is immutable, tables included (read-only mappings).
    ``extracted`` is, for a web page, Word or PDF file, the text its reader made (which every ``line``/``column``
    refers to) with the origin of each line in the file; None for a text file.
    """

    source: str | None
    template: str | None
    year: int | None
    agency: str | None
    title: str | None
    sections: tuple[Section, ...] = ()
    tables: Tables = field(factory=Tables, converter=freeze_tables)
    findings: tuple[Finding, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    unparsed: tuple[Span, ...] = ()
    extracted: Extracted | None = field(default=None, repr=False)
    # Facts the document stage decided for the checks (docs/checks.md), which restate what the title and the
    # sections say: the one year the title names (None: none, or several), and the statistics periods the text
    # states.  Left out of the repr, which shows what the output shows.
    title_year: int | None = field(default=None, repr=False)
    periods: tuple[Period, ...] = field(default=(), repr=False)


@frozen
class Block:
    """A table region found by the document grammar, handed raw to the table stage.

    ``start``/``end`` are offsets in the normalised text (``NormText.text[start:end]`` is the block, whole lines);
    ``section_key`` is the top-level section the block sits in.
    """

    section_key: str | None
    start: int
    end: int
    line: int


@pickled_by_init
@frozen
class Period:
    """A statistics period a report states (统计期限为2023年1月1日至2023年12月31日, 统计时限为2023年): the ``year``
    it starts in, whether it is that whole calendar ``year`` (a span from 1 January to 31 December, or the year
    alone), and the ``section`` whose text states it."""

    year: int
    calendar: bool
    section: Section


@frozen
class Document:
    """What the document grammar read: title facts, the section tree, table blocks, and what it could not place."""

    title: str | None
    agency: str | None
    year: int | None
    pre2019: bool
    sections: tuple[Section, ...]
    blocks: tuple[Block, ...]
    diagnostics: tuple[Diagnostic, ...]
    unparsed: tuple[Span, ...]
    template: str | None = None  # as Report.template
    title_year: int | None = None  # as Report.title_year
    periods: tuple[Period, ...] = ()  # as Report.periods
