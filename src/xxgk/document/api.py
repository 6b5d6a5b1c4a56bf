"""The document stage's entry point, :func:`segment`: normalised text to a
:class:`~xxgk.records.Document` — title and facts, the section tree, the table blocks, and what the grammar could not
place."""

from __future__ import annotations

from lark.exceptions import UnexpectedInput

from xxgk.document.facts import unparsed
from xxgk.document.lines import Lines
from xxgk.document.parser import fast_parse, lark_parse
from xxgk.document.tree import BUILDER, reading
from xxgk.normalise.offsets import NormText
from xxgk.records import Document


def segment(norm: NormText, *, reference: bool = False) -> Document:
    """Parse the document structure of ``norm``: title, sections, table blocks, signature.  Never raises on content.

    ``reference``: Lark's own parse only, without the fast path — for the differential test, which checks that
    both give the same document."""
    if not reference:
        lines = Lines(norm)
        with reading(lines):
            document = fast_parse(lines, BUILDER)
        if document is not None:
            return document
    # A line the grammar cannot place: Lark's own loop keeps it and goes on, or says why it gives up.
    lines = Lines(norm)
    try:
        tree = lark_parse(lines)
    except UnexpectedInput as exc:  # keep the whole text
        return unparsed(lines, str(exc))
    with reading(lines):
        return BUILDER.transform(tree)
