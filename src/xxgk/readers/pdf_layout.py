"""The layout a PDF reader sees — words, lines and ruled tables with their positions — and how tables are written
as pipe rows: a ruled table from its grid (merged cells, a table going on over a page break made one again), an
unruled run of lines by aligning each row's words to the columns of the run's fullest row.  :mod:`.pdf` finds
them on the pages and writes the prose around them."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from attrs import frozen

from xxgk.readers.extracted import Origin, TextBuilder, cell_text

_NUMERIC = re.compile(r"[-+]?\d[\d,.]*\s*(?:万元|元|%|件|个|人次)?|/|—|——|-")


@frozen
class Word:
    text: str
    x0: float
    x1: float
    top: float
    size: float


@frozen
class Line:
    """Words on one baseline, left to right, outside any ruled table."""

    page: int
    words: tuple[Word, ...]

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def x0(self) -> float:
        return self.words[0].x0

    @property
    def x1(self) -> float:
        return self.words[-1].x1

    @property
    def size(self) -> float:
        return max(w.size for w in self.words)

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    def origin(self, word: Word | None = None) -> Origin:
        w = word or self.words[0]
        return Origin(page=self.page, x=round(w.x0, 1), y=round(w.top, 1))


@frozen
class Ruled:
    """A ruled table: per grid row, the cells that start in it (text, column, bbox), and the row's places."""

    page: int
    top: float
    rows: tuple[tuple[tuple[tuple[str, int, tuple[float, float, float, float]], ...], int], ...]


def joined(items: list[Line | Ruled]) -> list[Line | Ruled]:
    """``items`` with each ruled table that goes on over a page break put together: the header rows the next page
    repeats are dropped (:func:`_without_header`) and a row the break cut in two is made one (:func:`_rejoined`)."""
    out: list[Line | Ruled] = []
    first: Ruled | None = None  # the first part of the table that is going on
    for item in items:
        last = out[-1] if out else None
        if isinstance(item, Ruled) and isinstance(last, Ruled) and last.page < item.page and first is not None:
            item = _without_header(first, item)
            joined = _rejoined(last, item)
            if joined is not None:
                out[-1], item = joined
            if item.rows:
                out.append(item)
            continue
        first = item if isinstance(item, Ruled) else None
        out.append(item)
    return out


def _texts(row: tuple[tuple[tuple[str, int, tuple[float, float, float, float]], ...], int]) -> list[str]:
    return [cell_text(text) for text, _, _ in row[0]]


def _without_header(first: Ruled, part: Ruled) -> Ruled:
    """``part`` without the rows it opens with that repeat the table's first rows word for word (Word's "repeat as
    header row at the top of each page")."""
    n = 0
    while n < min(len(first.rows), len(part.rows)) and _texts(part.rows[n]) == _texts(first.rows[n]):
        n += 1
    return Ruled(part.page, part.top, part.rows[n:]) if n else part


def _rejoined(last: Ruled, part: Ruled) -> tuple[Ruled, Ruled] | None:
    """The two parts of a table with the row a page break cut in two made one (None when no row was cut).

    A row was cut when the next part opens with a row of the same columns as the cells at the bottom of ``last``,
    with no value in it and empty where those cells hold values (the values stayed above the break): its texts are
    added to those cells, the ones above (a label run over the break) or a merged cell that goes on (a group
    heading).  A row that opens the next page with values of its own is a row of its own.
    """
    if not part.rows:
        return None
    bottom = max(box[3] for cells, _ in last.rows for _, _, box in cells)
    above = sorted(
        ((box[0], box[2], r, i) for r, (cells, _) in enumerate(last.rows) for i, (_, _, box) in enumerate(cells)),
        key=lambda a: a[0],
    )
    above = [a for a in above if last.rows[a[2]][0][a[3]][2][3] >= bottom - 1]
    cut = sorted(((box[0], box[2], text) for text, _, box in part.rows[0][0]), key=lambda c: c[0])
    # The same columns: as many cells, each within 2 points of the one above (the two pages round alike).
    if len(cut) != len(above):
        return None
    if any(abs(a[0] - c[0]) > 2 or abs(a[1] - c[1]) > 2 for a, c in zip(above, cut, strict=True)):
        return None
    pairs = [((r, i), text) for (_, _, r, i), (_, _, text) in zip(above, cut, strict=True)]
    if any(_NUMERIC.fullmatch(cell_text(text)) for _, text in pairs if text.strip()):
        return None
    values = [text for (r, i), text in pairs if _NUMERIC.fullmatch(cell_text(last.rows[r][0][i][0]))]
    if not values or any(text.strip() for text in values):
        return None
    rows = [list(cells) for cells, _ in last.rows]
    for (r, i), cut_text in pairs:
        text, column, box = rows[r][i]
        rows[r][i] = (f"{text}\n{cut_text}" if cut_text.strip() else text, column, box)
    joined = tuple((tuple(cells), places) for cells, (_, places) in zip(rows, last.rows, strict=True))
    # The cut row stays, emptied (a row without text is not written), for the places its merged cells hold further
    # down, where the next page break may cut again.
    (cells, places), *rest = part.rows
    emptied = (tuple(("", column, box) for _, column, box in cells), places)
    return Ruled(last.page, last.top, joined), Ruled(part.page, part.top, (emptied, *rest))


def write_ruled(table: Ruled, number: int, out: TextBuilder) -> None:
    for r, (cells, places) in enumerate(table.rows, 1):
        row = [
            (text, Origin(table=number, row=r, cell=c, page=table.page, x=round(box[0], 1), y=round(box[1], 1)))
            for text, c, box in cells
        ]
        out.row(row, places, Origin(table=number, row=r, page=table.page))


def _cells(line: Line) -> bool:
    """A line of a table without rules: two words or more standing apart."""
    return len(line.words) >= 2


def table_run(items: Sequence[Line | Ruled], start: int) -> list[Line]:
    """The run of table lines (lines of several cells) from ``start`` on.  A line of one cell between them (an item
    heading) is left to the prose: the grammars read it as a cell all the same."""
    run: list[Line] = []
    for item in items[start:]:
        if not (isinstance(item, Line) and _cells(item)):
            break
        run.append(item)
    return run


def write_unruled(run: list[Line], number: int, out: TextBuilder) -> None:
    """A table without rules: a row of labels as its words come; a row of values (a label, then values only) with
    its values at the columns of the value rows around it, an empty cell where it has none."""
    width = max(len(line.words) for line in run)
    groups: list[list[int]] = []  # runs of consecutive value rows
    for i, line in enumerate(run):
        if _values_row(line):
            if groups and groups[-1][-1] == i - 1:
                groups[-1].append(i)
            else:
                groups.append([i])
    columns: dict[int, list[float]] = {}
    for group in groups:
        # The columns are those of the most common number of values (of the most, on a tie): a row with more is no
        # reference, a row with fewer (a blank cell) is placed under them.
        counts = Counter(len(run[i].words) for i in group)
        usual = max(counts, key=lambda n: (counts[n], n))
        centres = [(w.x0 + w.x1) / 2 for w in next(run[i] for i in group if len(run[i].words) == usual).words[1:]]
        for i in group:
            columns[i] = centres
    for r, line in enumerate(run, 1):
        words: list[Word | None] = list(line.words)
        if r - 1 in columns:
            aligned = _aligned(line.words[1:], columns[r - 1])
            if aligned is None:
                out.note(
                    "unaligned_row",
                    "a row of a table without rules whose values do not fit the columns of the "
                    "rows around it: written as its words come",
                    line.text,
                )
            words = [line.words[0], *(line.words[1:] if aligned is None else aligned)]
        cells = [
            ("", Origin(table=number, row=r, cell=c, page=line.page))
            if w is None
            else (w.text, Origin(table=number, row=r, cell=c, page=line.page, x=round(w.x0, 1), y=round(w.top, 1)))
            for c, w in enumerate(words, 1)
        ]
        out.row(cells, max(width, len(cells)), Origin(table=number, row=r, page=line.page))


def _values_row(line: Line) -> bool:
    return len(line.words) >= 2 and all(_NUMERIC.fullmatch(w.text) is not None for w in line.words[1:])


def _aligned(values: Sequence[Word], centres: Sequence[float]) -> list[Word | None] | None:
    """``values`` placed at the nearest of ``centres``, None where a column has no value; None when two values
    would share a column (the row is not of those columns)."""
    placed: list[Word | None] = [None] * len(centres)
    for w in values:
        centre = (w.x0 + w.x1) / 2
        nearest = min(range(len(centres)), key=lambda i: abs(centres[i] - centre))
        if placed[nearest] is not None:
            return None
        placed[nearest] = w
    return placed
