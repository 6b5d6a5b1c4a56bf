"""Stage 1 — bytes to clean text that grammars can read, with a map back to the original: :func:`normalise`.

Passes, in order: decode (:mod:`.decoding`); line ends to LF; extraction debris removed (:mod:`.debris`);
Traditional to Simplified (OpenCC ``t2s``) and full-width forms folded to one (half-width) form (:mod:`.chars`).

Invariant that the rest of the pipeline relies on: **no pass adds or removes a line break**, so line N of the
normalised text is line N of the original.  Columns are recovered through the offset map (:mod:`.offsets`).
"""

from __future__ import annotations

import functools
import operator
import re

from xxgk.normalise.chars import WIDE, convert, fold_width, t2s
from xxgk.normalise.debris import remove_debris
from xxgk.normalise.decoding import decode
from xxgk.normalise.offsets import (
    BULK_KINDS,
    Conversion,
    Edit,
    LineIndex,
    NormText,
    Removal,
    line_starts_of,
    unified_to_original,
)

__all__ = ["BULK_KINDS", "NormText", "decode", "normalise"]

_LINE_END = re.compile(r"\r\n?")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _without_surrogates(text: str) -> str:
    """``text`` with each lone surrogate (a ``str`` decoded with ``surrogateescape``, JSON's ``\\ud800``) made U+FFFD,
    as decoding makes a stray byte: the debris pass removes it with a diagnostic at its line:column.  No text with
    one can be written as UTF-8 nor converted by OpenCC."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATE.sub("\ufffd", text)
    return text


def normalise(data: str | bytes, *, source: str | None = None) -> NormText:
    """Run every normalisation pass over ``data`` and return the text with its offset map and edits."""
    original = decode(data, source=source) if isinstance(data, bytes) else _without_surrogates(data)
    removals: list[Removal] = []
    conversions: list[Conversion] = []
    text = original
    lines = unified = LineIndex(original)
    if "\r" in text:
        text = _LINE_END.sub("\n", text)
        removals.append(Edit("line_end", 0, len(original), "\\r\\n", "\\n"))
        # A lone CR ends a line of the original too: its line starts are worked out here, by the regex that knows.
        lines, unified = LineIndex(original, line_starts_of(original)), LineIndex(text)
    unified_end = len(text)

    # Without a line end changed, an offset of the unified text is the original's: operator.index is that identity
    # without a Python call per edit.
    to_original = operator.index if unified is lines else functools.partial(unified_to_original, unified, lines)
    text, m = remove_debris(text, removals, to_original)
    text, m = convert(text, "traditional", t2s, m, conversions)
    text, m = convert(text, "width", fold_width, m, conversions, changes=WIDE)
    return NormText(
        original,
        text,
        removals=tuple(removals),
        conversions=tuple(conversions),
        map=m,
        lines=lines,
        unified=unified,
        unified_end=unified_end,
    )
