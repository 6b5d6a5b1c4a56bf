"""The three statutory tables of a report laid out like the printed form, as rows of :class:`Slot` (headings and
values) for ``xxgk view``'s templates; every value slot carries its marks, its notes and its source line in context."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from attrs import frozen

from xxgk import schema
from xxgk.panel.marks import marks, number_text
from xxgk.panel.reports import cells
from xxgk.records import Report, Value

_CONTEXT = 1  # lines either side of a value's line in its tooltip


@frozen
class Slot:
    """One cell of a laid-out table: a heading (``label``) or a value (``path`` set, ``value`` None when the report
    has no such cell).  ``marks`` are CSS classes (``break``, ``stated``, ``warning``, ``uncertain``, ``odd``,
    ``repaired``, ``missing``); ``notes`` are the tooltip's lines besides the source context."""

    label: str = ""
    path: str | None = None
    value: Value | None = None
    colspan: int = 1
    rowspan: int = 1
    marks: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    context: str = ""

    @property
    def text(self) -> str:
        """What the cell shows: the label, or the value as read (``/`` for not applicable, blank when missing)."""
        if self.path is None:
            return self.label
        if self.value is None:
            return ""
        return "/" if self.value.value is None else number_text(self.value.value)

    @property
    def tooltip(self) -> str:
        """The hover text: the cell's path and reading, the notes, the source line in context."""
        parts = [self.path or self.label]
        if self.value is not None:
            parts.append(f"line {self.value.line}, column {self.value.column}: {self.value.raw!r}")
        parts.extend(self.notes)
        if self.context:
            parts.append(self.context)
        return "\n".join(parts)


@frozen
class Form:
    """One statutory table as rows of slots: ``head`` rows of headings, then ``body`` rows."""

    key: str
    title: str
    head: tuple[tuple[Slot, ...], ...]
    body: tuple[tuple[Slot, ...], ...]


def context(lines: Sequence[str], line: int) -> str:
    first, last = max(1, line - _CONTEXT), min(len(lines), line + _CONTEXT)
    shown = []
    for n in range(first, last + 1):
        text = lines[n - 1].strip()
        shown.append(f"{'▶' if n == line else ' '}{n:>5} │ {text[:60]}{'…' if len(text) > 60 else ''}")
    return "\n".join(shown)


class Layout:
    """Slots for one report: a value slot knows its marks, notes and source context."""

    def __init__(self, report: Report, lines: Sequence[str]) -> None:
        self.every = cells(report)
        self.marks = marks(report)
        self.lines = lines
        self.used: set[str] = set()

    def value(self, path: str, colspan: int = 1) -> Slot:
        self.used.add(path)
        cell = self.every.get(path)
        classes, notes = self.marks.get(path, ([], []))
        if cell is None:
            return Slot(path=path, colspan=colspan, marks=("missing",), notes=("not in the report",))
        v = cell.value
        return Slot(
            path=path,
            value=v,
            colspan=colspan,
            marks=tuple(dict.fromkeys(classes)),
            notes=tuple(notes),
            context=context(self.lines, v.line) if 0 < v.line <= len(self.lines) else "",
        )

    def loose(self) -> tuple[Slot, ...]:
        return tuple(self.value(p) for p in list(self.every) if p not in self.used)


def _head(label: str, colspan: int = 1, rowspan: int = 1) -> Slot:
    return Slot(label=label, colspan=colspan, rowspan=rowspan)


def _active_disclosure(layout: Layout, template: str) -> Form:
    width = 1 + max(len(columns) for _, columns in schema.ACTIVE_DISCLOSURE[template].values())
    body: list[tuple[Slot, ...]] = []
    for item, (rows, columns) in schema.ACTIVE_DISCLOSURE[template].items():
        body.append((_head(schema.ART20_ITEMS[item], width),))
        spans = [1] * (len(columns) - 1) + [width - len(columns)]  # the last column takes the rest of the width
        body.append(
            (
                _head(schema.TABLE_HEADINGS["info_content"]),
                *(_head(label, span) for (_, label), span in zip(columns, spans, strict=True)),
            )
        )
        for row, label in rows:
            values = [
                layout.value(f"active_disclosure/{item}/{row}/{col}", span)
                for (col, _), span in zip(columns, spans, strict=True)
            ]
            body.append((_head(label), *values))
    return Form("active_disclosure", "主动公开政府信息情况", (), tuple(body))


def _applications(layout: Layout, template: str) -> Form:
    person, *orgs, total = (label for _, label in schema.APPLICANT_COLUMNS)
    h = schema.TABLE_HEADINGS
    head = (
        (_head(h["balance_note"], 3, 3), _head(h["applicant"], len(schema.APPLICANT_COLUMNS))),
        (_head(person, 1, 2), _head(h["legal_person"], len(orgs)), _head(total, 1, 2)),
        tuple(_head(label) for label in orgs),
    )
    rows = schema.APPLICATION_ROWS[template]
    keys = [k for k, _ in rows]
    results = keys[keys.index("granted") : keys.index("total") + 1]
    group_sizes: dict[str, int] = defaultdict(int)
    for k in results:
        if "." in k:
            group_sizes[k.partition(".")[0]] += 1
    body: list[tuple[Slot, ...]] = []
    opened: set[str] = set()
    for key, label in rows:
        labels: list[Slot] = []
        if key not in results:
            labels.append(_head(label, 3))
        else:
            if key == results[0]:
                labels.append(_head(schema.APPLICATION_GROUPS["results"], 1, len(results)))
            group = key.partition(".")[0] if "." in key else None
            if group is None:
                labels.append(_head(label, 2))
            else:
                if group not in opened:
                    opened.add(group)
                    labels.append(_head(schema.APPLICATION_GROUPS[group], 1, group_sizes[group]))
                labels.append(_head(label))
        values = [layout.value(f"applications/{key}/{col}") for col, _ in schema.APPLICANT_COLUMNS]
        body.append((*labels, *values))
    return Form("applications", "收到和处理政府信息公开申请情况", head, tuple(body))


def _reviews(layout: Layout) -> Form:
    (_, review_label), *litigation = schema.REVIEW_GROUPS
    columns = schema.REVIEW_COLUMNS
    n = len(columns)
    head = (
        (_head(review_label, n), _head(schema.TABLE_HEADINGS["litigation"], n * len(litigation))),
        (*(_head(label, 1, 2) for _, label in columns), *(_head(label, n) for _, label in litigation)),
        tuple(_head(label) for _ in litigation for _, label in columns),
    )
    body = ((*(layout.value(f"reviews/{group}/{col}") for group, _ in schema.REVIEW_GROUPS for col, _ in columns),),)
    return Form("reviews", "政府信息公开行政复议、行政诉讼情况", head, body)


def forms(layout: Layout, template: str) -> tuple[Form, ...]:
    """The three tables of ``template`` (``2019`` or ``2021``) with the values of ``layout``'s report."""
    return (_active_disclosure(layout, template), _applications(layout, template), _reviews(layout))
