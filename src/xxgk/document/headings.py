"""Heading lines: which enumerator forms there are and how they nest, a heading line taken apart (enumerator, title
phrase, same-line text), and the six-section skeleton's titles as the lexer matches them (tolerantly: spaces, a
trailing mark, a numeral that lost its 、)."""

from __future__ import annotations

import functools
import os
import re
from typing import NamedTuple

from xxgk import schema
from xxgk.engine import grammars

# Heading terminal -> (enumerator kind, rank, enumerator terminal in common.lark).  Rank 0 is the top level; a bullet
# (rank None) takes the rank of the heading before it, for it stands in for that heading's numbering.
HEADINGS: dict[str, tuple[str, int | None, str]] = {
    "H_CN": ("cn", 0, "ENUM_CN"),
    "H_PAREN_CN": ("paren_cn", 1, "ENUM_PAREN_CN"),
    "H_ARABIC": ("arabic", 2, "ENUM_ARABIC"),
    "H_PAREN_ARABIC": ("paren_arabic", 3, "ENUM_PAREN_ARABIC"),
    "H_CIRCLED": ("circled", 4, "ENUM_CIRCLED"),
    "H_ORDINAL": ("ordinal", 5, "ENUM_ORDINAL"),
    "H_BULLET": ("bullet", None, "ENUM_BULLET"),
}
# Tokens that end every open nested heading: the top-level headings and the signature.
TOP_LEVEL = frozenset({"SECTION", "TABLE_SECTION", "H_CN", "SIGNATURE", "DATE_LINE"})
# Enumerator forms a section heading may carry: 一、, and the damaged 2、, "- " and none at all (a bare title line).
SECTION_KINDS = frozenset({"cn", "bare_cn", "arabic", "bullet", "none"})
_CN_NUMERALS = "一二三四五六七八九十"
# A heading phrase ends at the first stop; longer than PHRASE_MAX characters, it is not a phrase, and ends at the
# first comma instead.
_STOPS, _COMMAS = "。:;", ","
# Compiled where first used, through grammars.regex (kept compiled on disk), as every pattern of the stages.
_STOP = f"[{_STOPS}]"
_MARK = f"[{_STOPS}{_COMMAS}]"  # a mark of either
PHRASE_MAX = 40


class Heading(NamedTuple):
    """A heading line taken apart: enumerator ``kind``, ``number`` as written, ``title`` phrase and same-line text.
    (The lexer's own, made for every heading line: a NamedTuple costs a third of a frozen attrs class to make.)"""

    kind: str
    number: str | None
    title: str
    text: str
    column: int  # 0-based offset of the enumerator (or title) in the line


def split_heading(line: str, kind: str, enumerator: re.Pattern[str] | None) -> Heading:
    """Split a heading line into enumerator, title phrase and the text that follows on the same line.

    The title is the text before the first 。 : ; — or, when that is longer than a heading phrase can be, before the
    first comma; a line with neither is all title.
    """
    body = line.lstrip()
    column = len(line) - len(body)
    number = None
    if enumerator is not None and (m := enumerator.match(body)):
        found = m.group().strip()
        number = found.rstrip("、,.是").strip() or found
        body = body[m.end() :]
    body = body.strip()
    # The first mark of either kind, looked for once (most headings have none: a title alone): a stop cuts there;
    # a comma only when no stop follows within a phrase's length.
    mark = grammars.regex(_MARK).search(body, 0, PHRASE_MAX + 1)  # a mark further on is none: the rest is no phrase
    if mark is None:
        return Heading(kind, number, body, "", column)
    stop = grammars.regex(_STOP)
    if not stop.match(body, mark.start()):
        mark = stop.search(body, mark.end(), PHRASE_MAX + 1) or mark
    return Heading(kind, number, body[: mark.start()].strip(), body[mark.end() :].strip(), column)


def bare_numeral(heading: Heading) -> tuple[Heading, int | None]:
    """A section heading whose numeral lost its 、 ("一总体情况", "二 主动公开政府信息情况"): the numeral must be the
    section's own number, so a title that merely starts with a numeral is never taken for a section."""
    key = title_key(heading.title)
    index = skeleton().get(key[1:])
    if index is None or key[:1] != _CN_NUMERALS[index]:
        return heading, None
    title = heading.title.lstrip()[1:].lstrip()
    return heading._replace(kind="bare_cn", number=key[0], title=title), index


def title_key(title: str) -> str:
    """A heading title as the skeleton is looked up by: without spaces and a trailing mark.  (str.split's
    whitespace is the regex \\s's, a third of the cost of removing it with one.)"""
    return "".join(title.split()).rstrip("。:;,")


@functools.cache
def skeleton() -> dict[str, int]:
    """Accepted section titles (spaces removed) -> index of the section in ``schema.SECTIONS``."""
    return {title_key(v): i for i, (_, _, variants) in enumerate(schema.SECTIONS) for v in variants}


@grammars.derived
def enumerators() -> dict[str, re.Pattern[str]]:
    """The enumerator terminals of common.lark, compiled, for taking heading lines apart."""
    common = grammars.load("common", parser=None, lexer="basic")
    return {t.name: grammars.regex(t.pattern.to_regexp()) for t in common.terminals if t.name.startswith("ENUM_")}


# The template markers (schema.TEMPLATE_MARKERS), which document_words finds with the titles.
TEMPLATE_WORDS = frozenset(marker for markers in schema.TEMPLATE_MARKERS.values() for marker in markers)
# The section titles (and pre-2019 markers), which document_words finds with the template markers.
TITLE_WORDS = frozenset(v for _, _, variants in schema.SECTIONS for v in variants) | frozenset(schema.PRE2019_MARKERS)
# The words of document_words that hold a pre-2019 marker: a line holds a marker where the scan finds one of them, for
# no word ends with what a marker begins with (tests/document), so no match hides a marker.
PRE2019_WORDS = frozenset(word for word in TITLE_WORDS if any(marker in word for marker in schema.PRE2019_MARKERS))


@functools.cache
def document_words() -> re.Pattern[str]:
    """The words the lexer looks for in the whole text at once: the section titles (and pre-2019 markers), whose lines
    may head a section, and the template markers (TEMPLATE_WORDS), which tell the template.  One scan for both: the
    text is read once, and the markers cost it little more than the titles alone (they are in the same prefix tree).
    It finds every marker the text holds, and a title in every line that holds one: no marker ends with what another
    word begins with, begins with what one ends with, or holds one, so no match hides a marker; a title that
    overlaps another hides it in the same line only (tests/document hold it to a substring search of each)."""
    return grammars.regex(_prefix_tree(sorted(TITLE_WORDS | TEMPLATE_WORDS)))


def _prefix_tree(words: list[str]) -> str:
    """A regex that matches each of ``words`` (in order, none empty), written as their prefix tree: the titles share
    beginnings (政府信息公开…, 存在的…), and an alternation of whole titles tries each at every character that
    starts one, where the tree reads a shared beginning once — the text's scan takes two thirds of the time.  It
    finds the same lines: a match is a title wherever the regex's alternation puts it.  The same text in every
    process, for grammars.regex to find it kept."""
    # A beginning all the words share is read at once (a title's tail, which no other word shares, is one), not a
    # character a call: the tree is made in every process that reads a report.  The words are in order, so the first
    # and the last share what they all share.
    common = os.path.commonprefix((words[0], words[-1])) if words else ""  # noqa: RUF071 -- words, not paths
    if common:
        return re.escape(common) + _prefix_tree([word[len(common) :] for word in words])
    branches: dict[str, list[str]] = {}
    whole = False
    for word in words:
        if word:
            branches.setdefault(word[0], []).append(word[1:])
        else:
            whole = True
    if not branches:
        return ""
    tree = "|".join(re.escape(first) + _prefix_tree(rest) for first, rest in branches.items())
    if whole:
        return f"(?:{tree})?"
    return tree if len(branches) == 1 else f"(?:{tree})"
