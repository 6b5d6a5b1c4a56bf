"""The offset map: normalised text with what is needed to point every position back into the original input.

The passes of :mod:`.text` never add or remove a line break, so line N of the normalised text is line N of the
original; columns come back through a piecewise map (:class:`OffsetMap`) composed over the passes.  Every removal is
an :class:`Edit`; a conversion of the whole text (Traditional→Simplified, width) is kept as its text before and after
(:class:`Conversion`) and listed as one edit per changed line only when asked for.
"""

from __future__ import annotations

import itertools
import operator
import re
import sys
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from typing import Final, NamedTuple

from attrs import field, frozen

from xxgk.records import Diagnostic

# The records of one normalisation, kept inside its NormText, are NamedTuples: an attrs class costs a one-file run a
# third of a millisecond to define.


class Edit(NamedTuple):
    """One change the normaliser made: ``kind`` and the original text span ``[start, end)`` it replaced."""

    kind: str
    start: int
    end: int
    original: str
    replacement: str


class OffsetMap(NamedTuple):
    """Piecewise map from offsets of a pass's output to offsets of its input: from each anchor to the next the
    shift is constant.  The first anchor is at 0."""

    out_starts: tuple[int, ...]
    in_starts: tuple[int, ...]

    def __call__(self, pos: int) -> int:
        i = bisect_right(self.out_starts, pos) - 1
        return self.in_starts[i] + (pos - self.out_starts[i])

    def after(self, inner: OffsetMap) -> OffsetMap:
        """The map of ``inner``'s pass followed by this one's: offsets of ``inner``'s output to this map's input.

        The shift of the composition changes only at an anchor of ``inner`` or where one of ``inner``'s segments
        crosses an anchor of this map, so it is evaluated there.  (A segment of a line that grew overlaps the next
        line's, so segments are taken one by one rather than by inverting ``inner``.)
        """
        outs: list[int] = []
        ends = (*inner.out_starts[1:], sys.maxsize)
        for out, start, end in zip(inner.out_starts, inner.in_starts, ends, strict=True):
            outs.append(out)
            crossed = self.out_starts[
                bisect_right(self.out_starts, start) : bisect_left(self.out_starts, start + end - out)
            ]
            outs.extend(out + anchor - start for anchor in crossed)
        return OffsetMap(tuple(outs), tuple(self(inner(x)) for x in outs))


IDENTITY = OffsetMap((0,), (0,))


class Conversion(NamedTuple):
    """A character conversion of the whole text: the text before and after it, and the map from the text before it
    to the text with unified line ends."""

    kind: str
    before: str
    after: str
    map: OffsetMap


@frozen
class NormText:
    """Normalised text plus what is needed to point back into the original input.

    Line ends are unified first; that changes no line's content, so line N of the unified text is line N of the
    original with the same columns.  The passes after it are composed into one map from the normalised text to the
    unified text, so that an offset is located with two bisects: one in the map, one in the unified line starts.
    """

    original: str
    text: str
    _removals: tuple[Edit, ...] = field(alias="removals")
    _conversions: tuple[Conversion, ...] = field(alias="conversions")
    _map: OffsetMap = field(alias="map")
    _line_starts: tuple[int, ...] = field(alias="line_starts")
    _unified_starts: tuple[int, ...] = field(alias="unified_starts")
    _unified_end: int = field(alias="unified_end")

    def to_original(self, pos: int) -> int:
        """Offset in the original text of offset ``pos`` of the normalised text."""
        upos = min(self._map(pos), self._unified_end)
        return unified_to_original(self._unified_starts, self._line_starts, upos)

    def locate(self, pos: int) -> tuple[int, int]:
        """1-based (line, column) in the original input of offset ``pos`` of the normalised text."""
        # Two bisects, written out rather than a call into locate_many, which would cost as much as they do (its
        # caches pay off over a run of offsets, not for one).
        outs, ins, end, starts = self._map.out_starts, self._map.in_starts, self._unified_end, self._unified_starts
        i = bisect_right(outs, pos) - 1
        upos = ins[i] + (pos - outs[i])
        if upos > end:
            upos = end
        i = bisect_right(starts, upos) - 1
        return i + 1, upos - starts[i] + 1

    def locate_many(self, offsets: Iterable[int], base: int = 0) -> tuple[list[int], list[int]]:
        """:meth:`locate` of ``base + offset`` for each of ``offsets`` (a table's cells, say; any order): their lines
        and their columns.

        The piece of the composed map and the unified line an offset falls in are kept for the next offset: a table's
        cells come in order, several to a line, so most offsets need no bisect (a bisect costs a comparison of
        Python ints per halving: more than the rest of an offset's work).
        """
        outs, ins, end, starts = self._map.out_starts, self._map.in_starts, self._unified_end, self._unified_starts
        pieces, n_lines = len(outs), len(starts)
        lines: list[int] = []
        columns: list[int] = []
        piece_lo = piece_hi = line_lo = line_hi = 0  # the cached piece [piece_lo, piece_hi), line [line_lo, line_hi)
        shift = line = 0
        for offset in offsets:
            pos = offset + base
            if not piece_lo <= pos < piece_hi:
                i = bisect_right(outs, pos)
                piece_lo = outs[i - 1] if i else -sys.maxsize  # before the first anchor: the last piece's shift
                piece_hi = outs[i] if i < pieces else sys.maxsize
                shift = ins[i - 1] - outs[i - 1]
            upos = pos + shift
            if upos > end:
                upos = end
            if not line_lo <= upos < line_hi:
                if line_hi <= upos and line + 3 < n_lines and upos < starts[line + 3]:
                    # One of the next three lines (a cell a line, or a blank line between cells): walked to.
                    line += 1
                    while starts[line] <= upos:
                        line += 1
                else:
                    line = bisect_right(starts, upos)
                line_lo = starts[line - 1]
                line_hi = starts[line] if line < n_lines else sys.maxsize
            lines.append(line)
            columns.append(upos - line_lo + 1)
        return lines, columns

    def locate_lines(
        self, start: int, end: int, first: int, lines: list[int], columns: list[int]
    ) -> tuple[list[int], list[int]]:
        """:meth:`locate_many` of positions in ``[start, end)`` (whole lines, ``start`` a line's start) given as
        ``lines``, numbered from ``first`` for the line at ``start``, and 1-based ``columns``: their lines and columns
        in the original — ``lines`` and ``columns`` themselves where all of them are in place.

        A position is in place (line n, column c of this text is line n, column c of the original, as
        :meth:`locate` gives) when its line's start is at column 1 and no anchor of the map falls between the two:
        they are shifted alike.  A line with no anchor after its start up to the next line's start is in place
        whole, and the next line's start then at column 1 unless an anchor falls on it (a line whose length a
        conversion changed has an anchor there, which puts none of it in place).  Most blocks have no anchor at
        all, and only the positions that are not in place are located.
        """
        # locate(start) written out, and the map at ``end`` from the same piece when no anchor falls between.
        outs, ins = self._map
        lo, hi = bisect_right(outs, start), bisect_right(outs, end + 1)
        shift = ins[lo - 1] - outs[lo - 1]
        ustart = min(start + shift, self._unified_end)
        column = ustart - self._unified_starts[bisect_right(self._unified_starts, ustart) - 1] + 1
        # Past the text's end locate clamps: nothing is in place there.
        clamped = (end + shift if lo == hi else self._map(end)) > self._unified_end
        if lo == hi and column == 1 and not clamped:
            return lines, columns
        starts = line_offsets(self.text[start:end].split("\n"))  # each line's start, from ``start``
        # The first column of each line from which its positions are not in place.
        cut = dict.fromkeys(lines, 1) if clamped else {} if column == 1 else {first: 1}
        for anchor in outs[lo:hi]:
            at = anchor - start
            k = bisect_right(starts, at - 1) - 1  # the line of the character before it
            after = starts[k + 1] if k + 1 < len(starts) else end + 1 - start
            n = first + k
            cut[n] = min(cut.get(n, sys.maxsize), 1 if at == after else at - starts[k] + 1)
        # The line after one with a cut is in place up to its own cut only if its start is at column 1.
        todo = [n + 1 for n in cut]
        while todo:
            n = todo.pop()
            if (
                cut.get(n, sys.maxsize) > 1
                and n - first < len(starts)
                and self.locate(start + starts[n - first])[1] != 1
            ):
                if n not in cut:
                    todo.append(n + 1)
                cut[n] = 1
        moved = [i for i, n in enumerate(lines) if n in cut and columns[i] >= cut[n]]
        if not moved:
            return lines, columns
        located = self.locate_many([starts[lines[i] - first] + columns[i] for i in moved], start - 1)  # from 1
        lines, columns = list(lines), list(columns)
        for i, n, c in zip(moved, *located, strict=True):
            lines[i], columns[i] = n, c
        return lines, columns

    def locate_original(self, opos: int) -> tuple[int, int]:
        """1-based (line, column) of offset ``opos`` of the original text."""
        i = bisect_right(self._line_starts, opos) - 1
        return i + 1, opos - self._line_starts[i] + 1

    def original_line(self, line: int) -> str:
        """The original text of 1-based ``line`` without its line end."""
        start = self._line_starts[line - 1]
        end = self._line_starts[line] if line < len(self._line_starts) else len(self.original)
        return self.original[start:end].rstrip("\r\n")

    @property
    def edits(self) -> tuple[Edit, ...]:
        """Every change in pass order: the line ends and each removal, then one edit per line a conversion changed."""
        lines = (self._line_edits(c, c.before.split("\n"), c.after.split("\n")) for c in self._conversions)
        return (*self._removals, *itertools.chain.from_iterable(lines))

    def diagnostics(self) -> list[Diagnostic]:
        """The edits as report diagnostics with original line:column: one per removal, one summary per bulk kind."""
        out = []
        summaries: list[tuple[Edit, int]] = []  # the first edit of a bulk kind, and the number of lines it covers
        for e in self._removals:
            if e.kind == "line_end":  # one edit for the whole text
                summaries.append((e, 1))
                continue
            line, col = self.locate_original(e.start)
            out.append(Diagnostic(f"normalise.{e.kind}", _EDIT_MESSAGES[e.kind], line, col, e.original))
        for c in self._conversions:
            before, after = c.before.split("\n"), c.after.split("\n")
            summaries.append((next(self._line_edits(c, before, after)), sum(map(operator.ne, before, after))))
        for first, count in summaries:
            line, col = self.locate_original(first.start)
            message = f"{_EDIT_MESSAGES[first.kind]} on {count} line(s), the first here"
            out.append(Diagnostic(f"normalise.{first.kind}", message, line, col, first.original[:40]))
        return out

    def _line_edits(self, c: Conversion, before: list[str], after: list[str]) -> Iterator[Edit]:
        """One edit per line conversion ``c`` changed; ``before`` and ``after`` are its texts' lines."""
        pos = 0
        for a, b in zip(before, after, strict=True):
            if a != b:
                start = unified_to_original(self._unified_starts, self._line_starts, c.map(pos))
                end = unified_to_original(self._unified_starts, self._line_starts, c.map(pos + len(a)))
                yield Edit(c.kind, start, end, a, b)
            pos += len(a) + 1


# Diagnostics that summarise an edit made over the whole text: one each, positioned at the first line it changed.
BULK_KINDS: Final = frozenset({"normalise.line_end", "normalise.traditional", "normalise.width"})

_EDIT_MESSAGES = {
    "line_end": "line ends converted to LF",
    "bookmark": "Word bookmark marker removed",
    "html_tag": "HTML tag removed",
    "html_entity": "HTML entity replaced",
    "mojibake": "mojibake run removed",
    "pinyin": "pinyin ruby annotation removed",
    "invisible": "invisible character removed",
    "markdown": "markdown heading marker or bold mark removed",
    "page_number": "page number line emptied",
    "traditional": "Traditional characters converted to Simplified",
    "width": "full-width forms folded to half-width",
}


def line_starts_of(text: str) -> tuple[int, ...]:
    if "\r" not in text:  # the usual case, without a regex match object per line
        return line_offsets(text.split("\n"))
    return (0, *(m.end() for m in re.finditer(r"\r\n|\r|\n", text)))


def line_offsets(lines: list[str]) -> tuple[int, ...]:
    """Offsets of ``lines`` in ``"\\n".join(lines)``."""
    # Mapped, not a generator: no Python frame per line.  The last line's length is left out (repeat stops first).
    with_ends = map(operator.add, map(len, lines), itertools.repeat(1, len(lines) - 1))
    return tuple(itertools.accumulate(with_ends, initial=0))


def unified_to_original(unified_starts: tuple[int, ...], line_starts: tuple[int, ...], upos: int) -> int:
    """Offset in the original of offset ``upos`` of the text with unified line ends: same line, same column."""
    if unified_starts is line_starts:
        return upos
    i = bisect_right(unified_starts, upos) - 1
    return line_starts[i] + (upos - unified_starts[i])
