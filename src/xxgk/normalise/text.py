"""Stage 1 — bytes to clean text that grammars can read, with a map back to the original.

Passes, in order: decode; line ends to LF; extraction debris removed (bookmarks, HTML tags and entities, mojibake
runs, pinyin ruby); Traditional to Simplified (OpenCC ``t2s``); full-width forms folded to one (half-width) form.

Invariant that the rest of the pipeline relies on: **no pass adds or removes a line break**, so line N of the
normalised text is line N of the original.  Columns are recovered through the offset map (:meth:`NormText.locate`).
Every removal is recorded as an :class:`Edit`.  Traditional conversion and width folding, which touch thousands of
characters, are recorded as the text before and after them, and listed as one edit per changed line when asked for.
"""

from __future__ import annotations

import codecs
import functools
import html
import itertools
import operator
import re
import sys
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator
from typing import Final

from attrs import field, frozen

from xxgk.errors import BinaryInputError, EmptyInputError, UndecodableError
from xxgk.records import Diagnostic


@frozen
class Edit:
    """One change the normaliser made: ``kind`` and the original text span ``[start, end)`` it replaced."""

    kind: str
    start: int
    end: int
    original: str
    replacement: str


@frozen
class _Map:
    """Piecewise map from offsets of a pass's output to offsets of its input: from each anchor to the next the
    shift is constant.  The first anchor is at 0."""

    out_starts: tuple[int, ...]
    in_starts: tuple[int, ...]

    def __call__(self, pos: int) -> int:
        i = bisect_right(self.out_starts, pos) - 1
        return self.in_starts[i] + (pos - self.out_starts[i])

    def after(self, inner: _Map) -> _Map:
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
        return _Map(tuple(outs), tuple(self(inner(x)) for x in outs))


_IDENTITY = _Map((0,), (0,))


@frozen
class _Conversion:
    """A character conversion of the whole text: the text before and after it, and the map from the text before it
    to the text with unified line ends."""

    kind: str
    before: str
    after: str
    map: _Map


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
    _conversions: tuple[_Conversion, ...] = field(alias="conversions")
    _map: _Map = field(alias="map")
    _line_starts: tuple[int, ...] = field(alias="line_starts")
    _unified_starts: tuple[int, ...] = field(alias="unified_starts")
    _unified_end: int = field(alias="unified_end")

    def to_original(self, pos: int) -> int:
        """Offset in the original text of offset ``pos`` of the normalised text."""
        upos = min(self._map(pos), self._unified_end)
        return _unified_to_original(self._unified_starts, self._line_starts, upos)

    def locate(self, pos: int) -> tuple[int, int]:
        """1-based (line, column) in the original input of offset ``pos`` of the normalised text."""
        # The body of locate_many's loop, written out: a call into it would cost as much as the two bisects.
        outs, ins, end, starts = self._map.out_starts, self._map.in_starts, self._unified_end, self._unified_starts
        i = bisect_right(outs, pos) - 1
        upos = ins[i] + (pos - outs[i])
        if upos > end:
            upos = end
        i = bisect_right(starts, upos) - 1
        return i + 1, upos - starts[i] + 1

    def locate_many(self, positions: Iterable[int]) -> list[tuple[int, int]]:
        """:meth:`locate` of each offset of ``positions`` (a table's cells, say; any order), in one loop.

        Each offset takes a bisect in the composed map and one in the line starts of the unified text, whose line
        and column are the original's.
        """
        outs, ins, end, starts = self._map.out_starts, self._map.in_starts, self._unified_end, self._unified_starts
        found = []
        for pos in positions:
            i = bisect_right(outs, pos) - 1
            upos = ins[i] + (pos - outs[i])
            if upos > end:
                upos = end
            i = bisect_right(starts, upos) - 1
            found.append((i + 1, upos - starts[i] + 1))
        return found

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

    def _line_edits(self, c: _Conversion, before: list[str], after: list[str]) -> Iterator[Edit]:
        """One edit per line conversion ``c`` changed; ``before`` and ``after`` are its texts' lines."""
        pos = 0
        for a, b in zip(before, after, strict=True):
            if a != b:
                start = _unified_to_original(self._unified_starts, self._line_starts, c.map(pos))
                end = _unified_to_original(self._unified_starts, self._line_starts, c.map(pos + len(a)))
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

# --- decoding ---------------------------------------------------------------------------------------------------


# Signatures of the files reports are published in, so that the message can say what the file is.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF file"),
    (b"PK\x03\x04", "a ZIP archive (a .docx, .xlsx or .zip file)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Word or Excel file (.doc, .xls)"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
)
_SAMPLE = 65536


def decode(data: bytes, *, source: str | None = None) -> str:
    """Decode report bytes: UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030 (a superset of GBK/GB2312).

    A few undecodable bytes (a file cut off inside a character, a stray byte) become U+FFFD, which the debris pass
    removes with a diagnostic at their line:column.

    Raises :class:`~xxgk.errors.EmptyInputError`, :class:`~xxgk.errors.BinaryInputError` or
    :class:`~xxgk.errors.UndecodableError` (all :class:`~xxgk.errors.InputError`), with the line:column of the
    offending byte where there is one.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise UndecodableError("starts as UTF-16 but does not decode as UTF-16", source=source) from exc
        no_control = False
    else:
        data = data.removeprefix(codecs.BOM_UTF8)
        for magic, what in _MAGIC:
            if data.startswith(magic):
                raise BinaryInputError(f"{what}, not extracted text: extract its text first", source=source)
        nul = data.find(b"\x00", 0, _SAMPLE)
        if nul >= 0:
            line, col = _byte_position(data, nul)
            message = "the file is binary (it contains NUL bytes), not extracted text"
            raise BinaryInputError(message, source=source, line=line, column=col)
        text = _decode_8bit(data, source)
        # UTF-8 and GB18030 encode every character below U+0020 as that one byte, and no other character uses such
        # a byte, so a file without control bytes needs no scan of its text (translate is several times faster).
        no_control = len(data.translate(None, _CONTROL_BYTES)) == len(data)
    if not text.strip():
        raise EmptyInputError("the file is empty", source=source)
    return text if no_control else _check_text(text, source)


def _decode_8bit(data: bytes, source: str | None) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        first_error = exc.start
    # UTF-8 with a few bad bytes must not fall through to GB18030, which reads most UTF-8 Chinese as other, wrong
    # Chinese without an error; a GB18030 file read as UTF-8 has an error every few characters.
    text = data.decode("utf-8", errors="replace")
    if _few_errors(text):
        return text
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        text = data.decode("gb18030", errors="replace")
    if _few_errors(text):
        return text
    line, col = _byte_position(data, first_error)
    raise UndecodableError("cannot decode the file as UTF-8 or GB18030", source=source, line=line, column=col)


def _few_errors(text: str) -> bool:
    return text.count("\ufffd") <= max(3, len(text) // 1000)


def _byte_position(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and character column of byte ``offset``."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    return data.count(b"\n", 0, offset) + 1, len(data[line_start:offset].decode("utf-8", errors="replace")) + 1


_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")  # control characters other than tab, line and page ends
_CONTROL_BYTES = bytes(range(0x00, 0x09)) + bytes(range(0x0E, 0x20))


def _check_text(text: str, source: str | None) -> str:
    sample = text[:_SAMPLE]
    found = _CONTROL.search(sample)
    if found and len(_CONTROL.findall(sample)) > max(8, len(sample) // 100):
        first = found.start()
        line = sample.count("\n", 0, first) + 1
        col = first - (sample.rfind("\n", 0, first) + 1) + 1
        message = "the file is binary (too many control characters), not extracted text"
        raise BinaryInputError(message, source=source, line=line, column=col)
    return text


# --- the passes -------------------------------------------------------------------------------------------------

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
_TONED_RUBY = re.compile(rf"(?<=[{_CJK}])[(（][{_PINYIN_LETTER}]*[{_TONED}][{_PINYIN_LETTER}]*[)）]")
_RUBY_MIN = 3
# Every kind above starts with one of these characters.  The regex engine finds them with a bare character class
# several times faster than it tries the kinds (or a lookahead) at every position, so the kinds are only tried
# where one of them is.  A new kind must add its first characters here.
_STARTS = re.compile("[\\[<?/&\ufffd\u200b\u200c\u200d\u2060\ufeff(（#*—–第-]")
_DEBRIS = re.compile("|".join(_DEBRIS_KINDS))


@functools.cache
def _debris_and_ruby() -> re.Pattern[str]:
    # Compiled when a document first needs it (few do): its character classes take milliseconds to compile.
    return re.compile("|".join((*_DEBRIS_KINDS, _RUBY)))


# Full-width ASCII and ideographic space to half-width.  Kept as they are: 、 。 “ ” and other CJK punctuation,
# which carry meaning the grammars rely on.
_WIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_WIDTH.update({0x3000: 0x20, 0x00A0: 0x20})
_WIDE = re.compile("[\uff01-\uff5e\u3000\u00a0]")


def _fold_width(text: str) -> str:
    # A regex visiting only the wide characters is several times faster than str.translate over Chinese text.
    return _WIDE.sub(lambda m: chr(_WIDTH[ord(m[0])]), text)


@functools.cache
def _converter() -> Callable[[str], str]:
    import opencc

    convert: Callable[[str], str] = opencc.OpenCC("t2s").convert
    return convert


def normalise(data: str | bytes, *, source: str | None = None) -> NormText:
    """Run every normalisation pass over ``data`` and return the text with its offset map and edits."""
    original = decode(data, source=source) if isinstance(data, bytes) else data
    line_starts = _line_starts(original)
    removals: list[Edit] = []
    conversions: list[_Conversion] = []
    text, unified_starts = original, line_starts
    if "\r" in text:
        text = _LINE_END.sub("\n", text)
        removals.append(Edit("line_end", 0, len(original), "\\r\\n", "\\n"))
        unified_starts = _line_starts(text)
    unified_end = len(text)

    text, m = _debris(text, removals, functools.partial(_unified_to_original, unified_starts, line_starts))
    text, m = _convert(text, "traditional", _converter(), m, conversions)
    text, m = _convert(text, "width", _fold_width, m, conversions, per_char=True)
    return NormText(
        original,
        text,
        removals=tuple(removals),
        conversions=tuple(conversions),
        map=m,
        line_starts=line_starts,
        unified_starts=unified_starts,
        unified_end=unified_end,
    )


_LINE_END = re.compile(r"\r\n?")


def _line_starts(text: str) -> tuple[int, ...]:
    if "\r" not in text:  # the usual case, without a regex match object per line
        return _starts(text.split("\n"))
    return (0, *(m.end() for m in re.finditer(r"\r\n|\r|\n", text)))


def _starts(lines: list[str]) -> tuple[int, ...]:
    """Offsets of ``lines`` in ``"\\n".join(lines)``."""
    return tuple(itertools.accumulate((len(line) + 1 for line in lines[:-1]), initial=0))


def _unified_to_original(unified_starts: tuple[int, ...], line_starts: tuple[int, ...], upos: int) -> int:
    """Offset in the original of offset ``upos`` of the text with unified line ends: same line, same column."""
    if unified_starts is line_starts:
        return upos
    i = bisect_right(unified_starts, upos) - 1
    return line_starts[i] + (upos - unified_starts[i])


def _debris(text: str, edits: list[Edit], to_original: Callable[[int], int]) -> tuple[str, _Map]:
    out_starts, in_starts, parts = [0], [0], []
    pos = out = scanned = 0
    candidates = [c.start() for c in _STARTS.finditer(text)]
    rubies = (start for start in candidates if _TONED_RUBY.match(text, start))
    kinds = _debris_and_ruby() if sum(1 for _ in itertools.islice(rubies, _RUBY_MIN)) >= _RUBY_MIN else _DEBRIS
    for start in candidates:
        m = kinds.match(text, start) if start >= scanned else None  # not inside a match already made
        if m is None:
            continue
        scanned = m.end()
        kind = m.lastgroup or "debris"
        repl = html.unescape(m.group()).translate(_WIDTH) if kind == "html_entity" else ""
        if kind == "html_entity" and repl == m.group():
            continue  # not an entity html knows; leave the text as it was
        parts.append(text[pos : m.start()])
        parts.append(repl)
        out += m.start() - pos
        edits.append(Edit(kind, to_original(m.start()), to_original(m.end()), m.group(), repl))
        out += len(repl)
        pos = m.end()
        out_starts.append(out)
        in_starts.append(pos)
    if pos == 0:
        return text, _IDENTITY
    parts.append(text[pos:])
    return "".join(parts), _Map(tuple(out_starts), tuple(in_starts))


def _line_lengths(text: str) -> list[int]:
    return list(map(len, text.split("\n")))


def _convert(
    text: str,
    kind: str,
    convert: Callable[[str], str],
    m: _Map,
    conversions: list[_Conversion],
    *,
    per_char: bool = False,
) -> tuple[str, _Map]:
    """Apply a character conversion to ``text``, which ``m`` maps to the unified text; return the converted text and
    its map, and record the conversion if it changed anything.

    A conversion that changes a line's length (an OpenCC phrase conversion, rarely) is done line by line, so that
    each line start can be an anchor of the map.  ``per_char``: the conversion puts one character for each (width
    folding), so no line can change its length.
    """
    converted = convert(text)
    if converted == text:
        return text, m
    # Equal totals are not enough: one line may grow by what another loses.
    if per_char or (len(converted) == len(text) and _line_lengths(converted) == _line_lengths(text)):
        conversions.append(_Conversion(kind, text, converted, m))
        return converted, m
    lines = text.split("\n")
    converted_lines = [convert(line) for line in lines]
    converted = "\n".join(converted_lines)
    if converted == text:  # line by line it changes nothing: no conversion to record (diagnostics() needs a change)
        return text, m
    conversions.append(_Conversion(kind, text, converted, m))
    return converted, m.after(_Map(_starts(converted_lines), _starts(lines)))
