"""Stage 2 — the document grammar: lines of normalised text to a section tree and raw table blocks.

(Placeholder: the document grammar lands with issue 2.)
"""

from __future__ import annotations

from attrs import frozen

from xxgk.normalise import NormText
from xxgk.records import Diagnostic, Section, Span


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


def segment(norm: NormText) -> Document:
    """Parse the document structure of ``norm``."""
    return Document(None, None, None, False, (), (), (), ())
