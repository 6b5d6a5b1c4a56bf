"""From the document grammar's parse tree to records: one :class:`~lark.Transformer` method per rule of
``document.lark``, bottom-up, to the sections, the table blocks and the title and signature lines; the facts read
from them (agency, year, template) are :mod:`.facts`'s."""

from __future__ import annotations

from contextlib import AbstractContextManager
from contextvars import ContextVar
from typing import Any, NamedTuple

from lark import Token, Transformer

from xxgk.document.facts import document
from xxgk.document.lines import Lines
from xxgk.records import Block, Document, Section

# The tree's own records are NamedTuples, not attrs classes: they never leave this module, and an attrs class costs
# a one-file run a third of a millisecond to make.


class _Table(NamedTuple):
    """A table of the tree: offsets of its first and last line in the normalised text, and its first line."""

    start: int
    end: int
    line: int


class _Part(NamedTuple):
    """A section read, with the tables under it (its sub-sections' too), in document order; ``line`` is where it
    starts."""

    section: Section
    tables: tuple[_Table, ...]


class _Title(NamedTuple):
    """The title, its lines joined."""

    text: str | None


class _Closing(NamedTuple):
    """The closing: the signature (the agency's name over the date), if any."""

    signature: str | None


_Item = Token | _Table | _Part  # what a section body holds once read: paragraphs (PARA tokens), tables, sub-sections


class DocumentBuilder(Transformer[Token, Document]):
    """The parse tree of one report as a :class:`~xxgk.records.Document` — by :meth:`transform`, or embedded in the
    fast parse, whose reductions call these methods as the rules are reduced (no tree is built).

    The report's lexer state (headings, section keys, diagnostics) is :attr:`src`, the :class:`Lines` that
    :func:`reading` sets for the current thread (a context variable), so that one instance, :data:`BUILDER`, serves
    every parse: the fast parse's callbacks are made from it once, for making them costs some 0.3 ms."""

    def __init__(self) -> None:
        super().__init__(visit_tokens=False)

    @property
    def src(self) -> Lines:
        """The report being read (:func:`reading`)."""
        return _READING.get()

    def table(self, lines: list[Token]) -> _Table:
        first, last = lines[0], lines[-1]
        return _Table(first.start_pos or 0, last.end_pos or 0, first.line or 0)

    cell_table = table

    def sub(self, children: list[Any]) -> _Part:
        return _part(_READING.get(), children, None)

    def prose_section(self, children: list[Any]) -> _Part:
        src = _READING.get()
        return _part(src, children, src.keys.get(children[0].line or 0))

    table_section = other_section = prose_section

    def preamble(self, items: list[_Item]) -> _Part | None:
        if not items:
            return None
        first = items[0]
        line = first.section.line if isinstance(first, _Part) else first.line  # no union made at each call
        text, children, tables = _body(items)
        return _Part(Section(None, None, "none", "", line or 1, text, children), tables)

    def title(self, lines: list[Token]) -> _Title:
        return _Title("".join(t.strip() for t in lines if t.type != "DATE_LINE") or None)

    def closing(self, lines: list[Token]) -> _Closing:
        return _Closing(next((t.strip() for t in lines if t.type == "SIGNATURE"), None))

    def start(self, children: list[_Title | _Part | _Closing | None]) -> Document:
        title = signature = None
        titled = closed = False  # the first title and closing count (the grammar has one of each at most)
        sections: list[Section] = []
        blocks: list[Block] = []
        for child in children:  # one pass, not a search per kind of child
            if isinstance(child, _Part):
                section = child.section
                sections.append(section)
                for t in child.tables:  # most parts have none: no generator made for them
                    blocks.append(Block(section.key, t.start, t.end, t.line))
            elif isinstance(child, _Title) and not titled:
                title, titled = child.text, True
            elif isinstance(child, _Closing) and not closed:
                signature, closed = child.signature, True
        return document(self.src, title, signature, tuple(sections), tuple(blocks))


BUILDER = DocumentBuilder()
_READING: ContextVar[Lines] = ContextVar("document_reading")


def reading(src: Lines) -> AbstractContextManager[None]:
    """Within the block, :data:`BUILDER` builds the document of ``src`` (after its lexer has read it, or as it
    does)."""
    return _Reading(src)


class _Reading:
    """:func:`reading`'s block: a plain context manager, for a generator's (contextlib) costs a report a microsecond."""

    __slots__ = ("src", "token")

    def __init__(self, src: Lines) -> None:
        self.src = src

    def __enter__(self) -> None:
        self.token = _READING.set(self.src)

    def __exit__(self, *exc: object) -> None:
        _READING.reset(self.token)


def _part(src: Lines, children: list[Any], key: str | None) -> _Part:
    """A section read from its heading token (``children[0]``, whose heading the lexer took apart) and its body
    (the rest), with ``key``."""
    head: Token = children[0]
    heading = src.headings[head.line or 0]
    if len(children) == 1:  # nothing under the heading (most sub-headings carry their text on their line)
        section = Section(key, heading.number, heading.kind, heading.title, head.line or 1, heading.text)
        return _Part(section, ())
    text, sections, tables = _body(children[1:])
    text = f"{heading.text}\n{text}" if heading.text and text else heading.text or text
    return _Part(Section(key, heading.number, heading.kind, heading.title, head.line or 1, text, sections), tables)


def _body(items: list[_Item]) -> tuple[str, tuple[Section, ...], tuple[_Table, ...]]:
    """A section's own text (its paragraphs), its sub-sections and its tables (theirs included), in order."""
    texts: list[str] = []
    children: list[Section] = []
    tables: list[_Table] = []
    for item in items:
        if isinstance(item, Token):
            texts.append(item.strip())
        elif isinstance(item, _Part):
            children.append(item.section)
            tables.extend(item.tables)
        else:
            tables.append(item)
    return "\n".join(texts), tuple(children), tuple(tables)
