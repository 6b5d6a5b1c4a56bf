"""Several reports in one input: found in what the document grammar made of it, reported, and split on request.

Reports are sometimes published (or scraped) one after the other in one file.  The document grammar then reads one
report whose six sections are followed by more top-level sections with the same titles — a second title and
skeleton.  :func:`part_starts` finds where each further report begins, from :func:`xxgk.document.segment`'s
:class:`~xxgk.records.Document` (the section headings) and the title terminals of ``document.lark``;
:func:`diagnostics` says so on the report; :func:`split` cuts the text for ``xxgk parse --split``, each part padded
with empty lines so that every position in it is still the line:column of the original input.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from typing import Final

from xxgk import schema
from xxgk.document.lexer import LineLexer
from xxgk.engine import grammars
from xxgk.normalise import NormText
from xxgk.records import Diagnostic, Document, Section

# A new report starts with the first sections of the skeleton (概述, or 主动公开 where the overview has no heading),
# after the current one has shown at least this many sections of its own: a heading repeated inside one report
# does not make two.
_ENOUGH: Final = 3
_FIRST_SECTIONS: Final = 2

_TITLES: Final = {variant: i for i, (_, _, variants) in enumerate(schema.SECTIONS) for variant in variants}


def _skeleton_index(section: Section) -> int | None:
    """Where ``section`` stands in the six-section skeleton: by its key, or by its title for the sections of a
    second report, which the document grammar does not key (it keys one skeleton)."""
    if section.key is not None:
        return schema.SECTION_KEYS.index(section.key)
    return _TITLES.get(section.title.strip())


@grammars.derived
def _title_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The document grammar's TITLE_LINE and TITLE_HEAD (a line heading a title on the next line), compiled."""
    lark = grammars.load("document", lexer=LineLexer)
    line, head = (lark.get_terminal(name).pattern.to_regexp() for name in ("TITLE_LINE", "TITLE_HEAD"))
    return re.compile(line), re.compile(head)


def part_starts(norm: NormText, doc: Document) -> list[int]:
    """The first lines of the second and later reports in ``norm`` (empty when it holds one report): where the
    title before a restarted skeleton begins, or the restarting heading when no title line precedes it."""
    starts: list[int] = []
    lines: list[str] | None = None  # the text's lines, split once when a restart is found
    seen: set[int] = set()
    highest = -1
    after = 0  # the line of the last heading of the current report
    for section in doc.sections:
        index = _skeleton_index(section)
        if index is None:
            continue
        if index < min(highest, _FIRST_SECTIONS) and len(seen) >= _ENOUGH:
            lines = norm.text.split("\n") if lines is None else lines
            starts.append(_title_start(lines, after, section.line))
            seen.clear()
            highest = -1
        seen.add(index)
        highest = max(highest, index)
        after = section.line
    return starts


def _title_start(lines: Sequence[str], after: int, heading: int) -> int:
    """The first line of the title between line ``after`` and the heading on line ``heading`` (of ``lines``, the
    text's), or ``heading``."""
    title_line, title_head = _title_patterns()
    found = next((n for n in range(heading - 1, after, -1) if title_line.fullmatch(lines[n - 1])), None)
    if found is None:
        return heading
    while found - 1 > after and title_head.match("\n".join(lines[found - 2 : heading])):
        found -= 1
    return found


def diagnostics(norm: NormText, doc: Document) -> list[Diagnostic]:
    """A ``document.concatenated`` diagnostic at the start of each further report in ``norm``."""
    starts = part_starts(norm, doc)
    return [
        Diagnostic(
            "document.concatenated",
            f"another report begins here ({len(starts) + 1} reports in this input): they are read as one, "
            "their tables and sections mixed; xxgk parse --split reads each as its own report",
            line,
            1,
            norm.original_line(line)[:60],
        )
        for line in starts
    ]


def split(text: str, starts: Sequence[int]) -> list[tuple[int, str]]:
    """``text`` cut before each line of ``starts``: (first line, text) per part, each part after the first led by
    empty lines standing for the lines before it, so that its positions are those of ``text``."""
    lines = text.split("\n")
    bounds = [1, *starts, len(lines) + 1]
    return [
        (first, "\n" * (first - 1) + "\n".join(lines[first - 1 : end - 1])) for first, end in itertools.pairwise(bounds)
    ]
