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


# An Edit's fields as a plain tuple: how a removal is kept (an Edit is made of each when NormText.edits is asked for).
Removal = tuple[str, int, int, str, str]


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
    """A character conversion of the whole text: the text before and after it, the map from the text before it to
    the text with unified line ends, and for its diagnostic the start of the first line it changed (in the text
    before it) and the number of lines it changed, worked out where the conversion is made (from the lines it
    compared, or by what it changes) rather than by splitting both texts again."""

    kind: str
    before: str
    after: str
    map: OffsetMap
    first_line: int
    lines_changed: int


class LineIndex:
    """The lines of a text, for the positions asked of it: which line holds an offset, and where that line starts.

    A text is asked few positions (a report's diagnostics, one per table block), mostly in order, so they are
    counted from the last one asked (``str.count`` of the line ends between, in C) and the table of every line's
    start — a Python step per line, more than a report's lookups cost — is only worked out when asked for
    (:attr:`starts`), or once the counts have read the text four times over (positions asked far apart, back and
    forth): a text's lookups never cost more than a few times its length.
    """

    __slots__ = ("_budget", "_mark", "_starts", "text")

    def __init__(self, text: str, starts: tuple[int, ...] | None = None) -> None:
        self.text = text
        self._starts = starts
        # The last offset counted to and its 0-based line, one attribute read and written at once: a NormText shared
        # by threads counts from one or the other's mark, never from one's offset with the other's line.
        self._mark = (0, 0)
        self._budget = 4 * len(text)

    @property
    def starts(self) -> tuple[int, ...]:
        """The offset of each line's start (``"\\n"`` ends a line, unless the starts were given)."""
        if self._starts is None:
            self._starts = line_offsets(self.text.split("\n"))
        return self._starts

    def line(self, pos: int) -> tuple[int, int]:
        """The 0-based line holding offset ``pos`` and the offset of its start."""
        at, line = self._mark
        if self._starts is None and pos >= 0 and abs(pos - at) <= self._budget:
            self._budget -= abs(pos - at)
            text = self.text
            line = line + text.count("\n", at, pos) if pos >= at else line - text.count("\n", pos, at)
            self._mark = pos, line
            return line, text.rfind("\n", 0, pos) + 1
        starts = self.starts
        i = bisect_right(starts, pos) - 1
        return i, starts[i]

    def lines(self, positions: Iterable[int]) -> list[tuple[int, int]]:
        """:meth:`line` of each of ``positions``; where they come in order (a text's edits), each is counted on from
        the one before in this loop, without a call."""
        out = []
        text = self.text
        for pos in positions:
            at, line = self._mark
            if self._starts is None and at <= pos <= at + self._budget:
                self._budget -= pos - at
                line += text.count("\n", at, pos)
                self._mark = pos, line
                out.append((line, text.rfind("\n", 0, pos) + 1))
            else:
                out.append(self.line(pos))
        return out

    def span(self, pos: int) -> tuple[int, int, int]:
        """:meth:`line` of offset ``pos``, and the start of the next line (``sys.maxsize`` after the last)."""
        line, start = self.line(pos)
        if self._starts is None:
            end = self.text.find("\n", pos)
            return line, start, end + 1 if end >= 0 else sys.maxsize
        starts = self._starts
        return line, start, starts[line + 1] if line + 1 < len(starts) else sys.maxsize

    def line_start(self, pos: int) -> int:
        """The offset of the start of the line holding offset ``pos``."""
        if self._starts is None and pos >= 0:
            return self.text.rfind("\n", 0, pos) + 1  # a scan back to the line end before: no count needed
        return self.line(pos)[1]


@frozen
class NormText:
    """Normalised text plus what is needed to point back into the original input.

    Line ends are unified first; that changes no line's content, so line N of the unified text is line N of the
    original with the same columns.  The passes after it are composed into one map from the normalised text to the
    unified text, so that an offset is located in two steps: a bisect in the map, and the line of the unified text
    (:class:`LineIndex`; the original's own where it had no CR, the usual case).
    """

    original: str
    text: str
    _removals: tuple[Removal, ...] = field(alias="removals")
    _conversions: tuple[Conversion, ...] = field(alias="conversions")
    _map: OffsetMap = field(alias="map")
    # The lines of the original and of the text with unified line ends: one object where the original had no CR.
    # Left out of ==: the texts above decide them.
    _lines: LineIndex = field(alias="lines", eq=False)
    _unified: LineIndex = field(alias="unified", eq=False)
    _unified_end: int = field(alias="unified_end")

    def to_original(self, pos: int) -> int:
        """Offset in the original text of offset ``pos`` of the normalised text."""
        return unified_to_original(self._unified, self._lines, min(self._map(pos), self._unified_end))

    def locate(self, pos: int) -> tuple[int, int]:
        """1-based (line, column) in the original input of offset ``pos`` of the normalised text."""
        # The map's bisect written out, rather than a call into locate_many, which would cost as much as it does (its
        # caches pay off over a run of offsets, not for one).
        outs, ins, end = self._map.out_starts, self._map.in_starts, self._unified_end
        i = bisect_right(outs, pos) - 1
        upos = ins[i] + (pos - outs[i])
        if upos > end:
            upos = end
        line, start = self._unified.line(upos)
        return line + 1, upos - start + 1

    def locate_many(self, offsets: Iterable[int], base: int = 0) -> tuple[list[int], list[int]]:
        """:meth:`locate` of ``base + offset`` for each of ``offsets`` (a table's cells, say; any order): their lines
        and their columns.

        The piece of the composed map and the unified line an offset falls in are kept for the next offset: a table's
        cells come in order, several to a line, so most offsets need no bisect (a bisect costs a comparison of
        Python ints per halving: more than the rest of an offset's work), and the next line is counted to from the
        last (:meth:`LineIndex.span`).
        """
        outs, ins, end, unified = self._map.out_starts, self._map.in_starts, self._unified_end, self._unified
        pieces = len(outs)
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
                line, line_lo, line_hi = unified.span(upos)
            lines.append(line + 1)
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
        column = ustart - self._unified.line_start(ustart) + 1
        # Past the text's end locate clamps: nothing is in place there.
        clamped = (end + shift if lo == hi else self._map(end)) > self._unified_end
        if lo == hi and column == 1 and not clamped:
            return lines, columns
        # Each line's start (from ``start``) by its number, found by searches of the text for the lines with a cut and
        # the lines after them alone: most of a block's lines hold no anchor, and a split of the whole block would cost
        # more than the rest of this.
        text = self.text
        if clamped:
            starts = dict(enumerate(line_offsets(text[start:end].split("\n")), first))
            cut = dict.fromkeys(lines, 1)  # the first column of each line from which its positions are not in place
        else:
            starts = {first: 0}
            cut = {} if column == 1 else {first: 1}
        n, counted = first, start  # the line at ``counted``: the anchors come in order, each counted on from the last
        for anchor in outs[lo:hi]:
            before = anchor - 1  # the character before it, whose line the anchor cuts
            n += text.count("\n", counted, before)
            counted = before
            starts[n] = (text.rfind("\n", start, before) + 1 or start) - start
            line_end = text.find("\n", before, end)
            after = (line_end if line_end >= 0 else end) + 1 - start
            at = anchor - start
            cut[n] = min(cut.get(n, sys.maxsize), 1 if at == after else at - starts[n] + 1)
        # The line after one with a cut is in place up to its own cut only if its start is at column 1.
        todo = [n + 1 for n in cut]
        while todo:
            n = todo.pop()
            if cut.get(n, sys.maxsize) <= 1:
                continue
            if n not in starts:  # the line before it has a cut, so its start is known
                line_end = text.find("\n", start + starts[n - 1], end)
                if line_end < 0:
                    continue  # past the block's last line
                starts[n] = line_end + 1 - start
            if self._column(start + starts[n]) != 1:
                if n not in cut:
                    todo.append(n + 1)
                cut[n] = 1
        # The positions on a line with a cut picked out in C (most lines have none), then tested against it.
        candidates = itertools.compress(range(len(lines)), map(cut.__contains__, lines))
        moved = [i for i in candidates if columns[i] >= cut[lines[i]]]
        if not moved:
            return lines, columns
        located = self.locate_many([starts[lines[i]] + columns[i] for i in moved], start - 1)  # from 1
        lines, columns = list(lines), list(columns)
        for i, n, c in zip(moved, *located, strict=True):
            lines[i], columns[i] = n, c
        return lines, columns

    def _column(self, pos: int) -> int:
        """The column of :meth:`locate`, which needs no count of the lines before: its line starts after the line end
        before it (the unified text's are "\\n"), found by a scan back along the line rather than a bisect of every
        line's start."""
        upos = min(self._map(pos), self._unified_end)
        return upos - self._unified.text.rfind("\n", 0, upos)

    def locate_original(self, opos: int) -> tuple[int, int]:
        """1-based (line, column) of offset ``opos`` of the original text."""
        line, start = self._lines.line(opos)
        return line + 1, opos - start + 1

    def original_line(self, line: int) -> str:
        """The original text of 1-based ``line`` without its line end."""
        starts = self._lines.starts
        start = starts[line - 1]
        end = starts[line] if line < len(starts) else len(self.original)
        return self.original[start:end].rstrip("\r\n")

    @property
    def edits(self) -> tuple[Edit, ...]:
        """Every change in pass order: the line ends and each removal, then one edit per line a conversion changed."""
        lines = (self._line_edits(c, c.before.split("\n"), c.after.split("\n")) for c in self._conversions)
        return (*map(Edit._make, self._removals), *itertools.chain.from_iterable(lines))

    def diagnostics(self) -> list[Diagnostic]:
        """The edits as report diagnostics with original line:column: one per removal, one summary per bulk kind."""
        removals = [e for e in self._removals if e[0] != "line_end"]
        located = self._lines.lines([e[1] for e in removals])
        out = [
            Diagnostic(*_DIAGNOSED[kind], line + 1, pos - start + 1, original)
            for (kind, pos, _, original, _), (line, start) in zip(removals, located, strict=True)
        ]
        # The first edit of a bulk kind, and the number of lines it covers (the line ends: one edit for the whole text).
        summaries = [(kind, start, original, 1) for kind, start, _, original, _ in self._removals if kind == "line_end"]
        for c in self._conversions:
            start = unified_to_original(self._unified, self._lines, c.map(c.first_line))
            excerpt = c.before[c.first_line : c.first_line + 40].partition("\n")[0]
            summaries.append((c.kind, start, excerpt, c.lines_changed))
        for kind, start, original, count in summaries:
            line, col = self.locate_original(start)
            message = f"{_EDIT_MESSAGES[kind]} on {count} line(s), the first here"
            out.append(Diagnostic(f"normalise.{kind}", message, line, col, original[:40]))
        return out

    def _line_edits(self, c: Conversion, before: list[str], after: list[str]) -> Iterator[Edit]:
        """One edit per line conversion ``c`` changed; ``before`` and ``after`` are its texts' lines."""
        pos = 0
        for a, b in zip(before, after, strict=True):
            if a != b:
                start = unified_to_original(self._unified, self._lines, c.map(pos))
                end = unified_to_original(self._unified, self._lines, c.map(pos + len(a)))
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

# The kind and message of the diagnostic of each kind of removal.
_DIAGNOSED = {kind: (f"normalise.{kind}", message) for kind, message in _EDIT_MESSAGES.items()}


def line_starts_of(text: str) -> tuple[int, ...]:
    """Offsets of the lines of ``text``, which CR LF, a lone CR or LF end."""
    return (0, *(m.end() for m in re.finditer(r"\r\n|\r|\n", text)))


def first_change(before: list[str], after: list[str]) -> tuple[int, int]:
    """The offset in ``"\\n".join(before)`` of the first of ``before``'s lines that differs from ``after``'s, and the
    number of lines that differ (at least one)."""
    changed = list(itertools.compress(itertools.count(), map(operator.ne, before, after)))
    first = changed[0]
    return sum(map(len, before[:first])) + first, len(changed)


def line_offsets(lines: list[str]) -> tuple[int, ...]:
    """Offsets of ``lines`` in ``"\\n".join(lines)``."""
    # Mapped, not a generator: no Python frame per line.  The last line's length is left out (repeat stops first).
    with_ends = map(operator.add, map(len, lines), itertools.repeat(1, len(lines) - 1))
    return tuple(itertools.accumulate(with_ends, initial=0))


def unified_to_original(unified: LineIndex, lines: LineIndex, upos: int) -> int:
    """Offset in the original of offset ``upos`` of the text with unified line ends: same line, same column."""
    if unified is lines:
        return upos
    line, start = unified.line(upos)
    return lines.starts[line] + (upos - start)
