"""Tolerant matching of a cell's text to the label terminals of a template: what the grammar cannot say.

A printed label reaches the cell lexer with an enumerator in front (``(三)``), spaces and punctuation inside, glued
to extraction debris, or cut off (``本年新`` for ``本年新制作数量``).  :func:`fold` reduces a text to what identifies
it, and :class:`Matcher` finds the labels a folded text can be, best first; the parser state then chooses among
them (:mod:`xxgk.tables.cells`).
"""

from __future__ import annotations

import functools
import re

from xxgk import schema
from xxgk.engine import grammars
from xxgk.tables.form import COLUMN_LABELS, HEADER_LABELS, keys


@functools.cache
def _enumerator() -> re.Pattern[str]:
    """An enumerator in front of a label: 一、 (一) 三) 1. 1、 (1) ①.  The label is known without it."""
    return grammars.regex(r"^\s*(?:\(?[一二三四五六七八九十]+[)、.]|\(?\d{1,2}[)、.](?!\d)|[①-⑳])")


@functools.cache
def cjk() -> re.Pattern[str]:
    """A Chinese character (CJK Unified Ideographs and Extension A), compiled on first use through the regex cache:
    a class of 27,000 code points costs ~3 ms to compile, at every start of the command."""
    return grammars.regex(r"[\u3400-\u9fff]")


# A cut-off label must keep this many characters to be recognised (本年新 for 本年新制作数量).
_MIN_PARTIAL = 3
_NUMERALS = frozenset("一二三四五六七八九十")


def numbered(text: str) -> bool:
    """Whether ``text`` starts with an enumerator: the form numbers its rows, never a header's labels.  "(七)总计"
    folds as the header's 总计 does, but read as that column a second copy of the total row would be taken for the
    next table's header and not be seen as a row written twice."""
    return _enumerator().match(text) is not None


def rows_only(names: list[str]) -> list[str]:
    """``names`` without the labels of a header (an item's or a table's columns), for a numbered cell."""
    return [name for name in names if not name.startswith(HEADER_LABELS)]


# What fold drops: any character that is not alphanumeric (str.isalnum, which \w adds the underscore to), and the
# underscore.  One substitution, not a test of each character in Python (a cell lexer folds every label of its
# template as it is made, and every new cell text).
_NOT_ALNUM = r"[\W_]+"


def fold(text: str) -> str:
    """A label's text reduced to what identifies it: no enumerator, spaces, punctuation, brackets or line breaks."""
    return grammars.regex(_NOT_ALNUM).sub("", _enumerator().sub("", text, count=1))


class Matcher:
    """Label terminals of one template, found from a cell's folded text, best match first."""

    def __init__(self, labels: dict[str, tuple[str, ...]]) -> None:
        self._labels = [(name, fold(label)) for name, texts in labels.items() for label in texts]
        self._exact: dict[str, list[str]] = {}
        for name, folded in self._labels:
            self._exact.setdefault(folded, []).append(name)
        # Labels by their first two characters, and by every two characters they hold: a label inside a cell's
        # text starts at one of the text's pairs; a cut-off label holds the text's first pair.
        self._starting: dict[str, list[int]] = {}
        self._holding: dict[str, set[int]] = {}
        for i, (_, label) in enumerate(self._labels):
            if len(label) >= 2:
                self._starting.setdefault(label[:2], []).append(i)
            for j in range(len(label) - 1):
                self._holding.setdefault(label[j : j + 2], set()).add(i)

    def exact(self, folded: str) -> list[str]:
        """The labels whose folded text is ``folded``."""
        return self._exact.get(folded, [])

    def match(self, folded: str) -> list[str]:
        """Exact matches, then labels glued to debris (no other Chinese in the cell), then cut-off labels."""
        found = list(self.exact(folded))
        starts = {i for j in range(len(folded) - 1) for i in self._starting.get(folded[j : j + 2], ())}
        glued = [
            (len(label), name)
            for name, label in (self._labels[i] for i in starts)
            if label != folded and label in folded and _debris(folded.replace(label, "", 1))
        ]
        found += [name for _, name in sorted(glued, reverse=True)]
        if len(folded) >= _MIN_PARTIAL:
            holders = sorted(self._holding.get(folded[:2], ()))
            found += [name for name, label in (self._labels[i] for i in holders) if folded != label and folded in label]
        return list(dict.fromkeys(found))


def _debris(rest: str) -> bool:
    is_cjk = cjk().match
    return not any(ch not in _NUMERALS and is_cjk(ch) for ch in rest)


@functools.cache
def matcher(template: str) -> Matcher:
    """The label terminals of ``template``, matched tolerantly."""
    return Matcher(keys(template).labels)


@functools.cache
def other_columns(template: str) -> Matcher:
    """The column labels of the templates other than ``template``, matched as the lexer matches its own."""
    labels = {
        name: texts
        for other in schema.TEMPLATES
        if other != template
        for name, texts in keys(other).labels.items()
        if name.startswith(COLUMN_LABELS) and name not in keys(template).labels
    }
    return Matcher(labels)
