"""Extraction debris removed: Word bookmarks, HTML tags and entities, mojibake runs, invisible characters, markdown
marks, page-number lines and (in a document that shows the habit) pinyin ruby — each removal an :class:`Edit`, no
line break ever removed."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable

from xxgk.engine import grammars
from xxgk.normalise.chars import WIDTH
from xxgk.normalise.offsets import IDENTITY, OffsetMap, Removal

_CJK = "\u3400-\u9fff"
_PINYIN_LETTER = "a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüêńňǹḿ"
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
_DEBRIS_KINDS = (
    r"(?P<bookmark>\[bookmark:[^\]\n]*\])",
    # [^\S\n]: a tag is removed within its line, never with a line end (the line-count invariant).
    r"(?P<html_tag></?[A-Za-z][A-Za-z0-9]*(?:[^\S\n][^<>\n]*)?/?>|\??/(?:span|p|div|font|strong|b|br)[^\S\n]*>)",
    r"(?P<html_entity>&(?:[A-Za-z]{2,8}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});)",
    r"(?P<mojibake>\?(?:[。、,.，]?\?)+|\ufffd+)",
    r"(?P<invisible>[\u200b\u200c\u200d\u2060\ufeff])",
    # What PDF-to-markdown converters add: a heading marker at a line's start ("## 一、总体情况"), bold marks.
    r"(?P<markdown>(?<![^\n])#{1,6}[^\S\n]+|\*\*)",
    # A page number on a line of its own, as PDF text keeps it: "- 4 -", "—4—", "第 4 页", "第4页 共12页".  Inside a
    # table it would read as cells ("-", "4", "-"), so the line is emptied (kept: the line-count invariant).
    r"(?P<page_number>(?<![^\n])(?:[-—–][^\S\n]*[0-9]{1,3}[^\S\n]*[-—–]|第[^\S\n]*[0-9]{1,3}[^\S\n]*页"
    r"(?:[^\S\n]*[/,]?[^\S\n]*共[^\S\n]*[0-9]{1,3}[^\S\n]*页)?)[^\S\n]*(?![^\n]))",
)
# Ruby sits right after a Han character and holds one lowercase syllable.  A lone "(a)" can be an honest list
# marker, so ruby is only stripped from a document that shows the habit: at least _RUBY_MIN tone-marked ones.
_RUBY = rf"(?<=[{_CJK}])(?P<pinyin>[(（][{_PINYIN_LETTER}]*[aeiouü{_TONED}êü][{_PINYIN_LETTER}]*[)）])"
# Without _RUBY's look behind at the Han character, which remove_debris makes by hand: a regex class of 27,000
# characters costs a millisecond to compile, a one-file run's.  The patterns of every text are compiled where
# first used, through grammars.regex (kept compiled on disk): compiling them at import cost a one-file run 1 ms.
_TONED_RUBY = rf"[(（][{_PINYIN_LETTER}]*[{_TONED}][{_PINYIN_LETTER}]*[)）]"
_RUBY_MIN = 3
# Every kind above starts with one of these characters: anywhere, or at a line's start (markdown's heading marker,
# page numbers: a dash or 第, common within lines of Chinese text and of markdown tables).  The kinds are only tried
# where one of them is, found the fastest ways the regex engine and str have: a character of _STARTS is searched for
# as a literal, where the text holds one (a search for a class of characters looks at each character; "in" and a
# literal skip through the text several times faster), and _LINE_STARTS by a scan of a line end and a class.  A new
# kind must add its first characters here.
_STARTS = {char: re.escape(char) for char in "[<?/&\ufffd\u200b\u200c\u200d\u2060\ufeff*"}
_BRACKETS = {char: re.escape(char) for char in "(（"}  # ruby's, apart: see remove_debris
_LINE_STARTS = "\n[#—–第-]"  # scanned in the text with a line end put before it, which makes its offsets the text's
_DEBRIS = "|".join(_DEBRIS_KINDS)


def _unescape(entity: str) -> str:
    import html  # here: most texts have no entity, and html (with its table of them) is 1 ms of a one-file run

    return html.unescape(entity)


def _han(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff"  # _CJK


def remove_debris(text: str, edits: list[Removal], to_original: Callable[[int], int]) -> tuple[str, OffsetMap]:
    """``text`` without its debris and the map from it to ``text``; each removal added to ``edits`` with its
    original span (``to_original`` of its span in ``text``)."""
    candidates = [c.start() for c in grammars.regex(_LINE_STARTS).finditer("\n" + text)]
    for char, literal in _STARTS.items():
        if char in text:
            candidates += [c.start() for c in grammars.regex(literal).finditer(text)]
    # Ruby is the only kind that starts with a bracket: where the document shows no habit of it, no other kind is
    # tried there, and the habit is only looked for there.
    brackets = [
        c.start() for char, literal in _BRACKETS.items() if char in text for c in grammars.regex(literal).finditer(text)
    ]
    # The patterns are matched at the candidates by map and filter, so that only a match costs a Python step.
    toned = filter(None, map(grammars.regex(_TONED_RUBY).match, itertools.repeat(text), brackets))
    rubies = (m for m in toned if m.start() and _han(text[m.start() - 1]))
    habit = sum(1 for _ in itertools.islice(rubies, _RUBY_MIN)) >= _RUBY_MIN
    candidates.sort()
    matches = list(filter(None, map(grammars.regex(_DEBRIS).match, itertools.repeat(text), candidates)))
    if habit:
        # At a bracket ruby alone is tried (the other kinds' alternatives would each fail at its first character):
        # its regex, whose class of Han characters takes a millisecond to compile, is made when a document first
        # shows the habit (few do) and kept compiled on disk.
        matches += filter(None, map(grammars.regex(_RUBY).match, itertools.repeat(text), brackets))
        matches.sort(key=re.Match.start)
    out_starts, in_starts = [0], [0]
    parts: list[str] = []
    pos = out = scanned = 0
    for m in matches:
        start, end = m.span()
        if start < scanned:  # inside a match already made
            continue
        scanned = end
        kind = m.lastgroup or "debris"
        found = m[0]
        if kind == "html_entity":
            repl = _unescape(found).translate(WIDTH)
            if repl == found:
                continue  # not an entity html knows; leave the text as it was
            parts += (text[pos:start], repl)
        else:
            repl = ""
            parts.append(text[pos:start])
        out += start - pos + len(repl)
        # A plain tuple, not an Edit: a NamedTuple's constructor is a Python call (Removal).
        edits.append((kind, to_original(start), to_original(end), found, repl))
        pos = end
        out_starts.append(out)
        in_starts.append(pos)
    if pos == 0:
        return text, IDENTITY
    parts.append(text[pos:])
    return "".join(parts), OffsetMap(tuple(out_starts), tuple(in_starts))
