"""Stage 1 — bytes to clean text that grammars can read, with a map back to the original.

Passes, in order: decode; line ends to LF; extraction debris removed (bookmarks, HTML tags and entities, mojibake
runs, pinyin ruby); Traditional to Simplified (OpenCC ``t2s``); full-width forms folded to one (half-width) form.

Invariant that the rest of the pipeline relies on: **no pass adds or removes a line break**, so line N of the
normalised text is line N of the original.  Columns are recovered through the offset map (:meth:`NormText.locate`).
Every removal is recorded as an :class:`Edit`; Traditional conversion and width folding, which touch thousands of
characters, are recorded once per line.
"""

from __future__ import annotations

import bisect
import codecs
import functools
import html
import itertools
import re
from collections.abc import Callable

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
    """Piecewise map from positions of one pass's output to its input: between two anchors the shift is constant."""

    out_starts: tuple[int, ...]
    in_starts: tuple[int, ...]

    def __call__(self, pos: int) -> int:
        i = bisect.bisect_right(self.out_starts, pos) - 1
        if i < 0:
            return pos
        return self.in_starts[i] + (pos - self.out_starts[i])


@frozen
class NormText:
    """Normalised text plus what is needed to point back into the original input."""

    original: str
    text: str
    edits: tuple[Edit, ...]
    _maps: tuple[_Map, ...] = field(alias="maps")
    _line_starts: tuple[int, ...] = field(alias="line_starts")

    def to_original(self, pos: int) -> int:
        """Offset in the original text of offset ``pos`` of the normalised text."""
        for m in reversed(self._maps):
            pos = m(pos)
        return min(pos, len(self.original))

    def locate(self, pos: int) -> tuple[int, int]:
        """1-based (line, column) in the original input of offset ``pos`` of the normalised text."""
        return self.locate_original(self.to_original(pos))

    def locate_original(self, opos: int) -> tuple[int, int]:
        """1-based (line, column) of offset ``opos`` of the original text."""
        i = bisect.bisect_right(self._line_starts, opos) - 1
        return i + 1, opos - self._line_starts[i] + 1

    def original_line(self, line: int) -> str:
        """The original text of 1-based ``line`` without its line end."""
        start = self._line_starts[line - 1]
        end = self._line_starts[line] if line < len(self._line_starts) else len(self.original)
        return self.original[start:end].rstrip("\r\n")

    def diagnostics(self) -> list[Diagnostic]:
        """The edits as report diagnostics with original line:column: one per removal, one summary per bulk kind."""
        out = []
        bulk: dict[str, list[Edit]] = {}
        for e in self.edits:
            if e.kind in _BULK_KINDS:
                bulk.setdefault(e.kind, []).append(e)
                continue
            line, col = self.locate_original(e.start)
            out.append(Diagnostic(f"normalise.{e.kind}", _EDIT_MESSAGES[e.kind], line, col, e.original))
        for kind, group in bulk.items():
            line, col = self.locate_original(group[0].start)
            message = f"{_EDIT_MESSAGES[kind]} on {len(group)} line(s), the first here"
            out.append(Diagnostic(f"normalise.{kind}", message, line, col, group[0].original[:40]))
        return out


_BULK_KINDS = frozenset({"line_end", "traditional", "width"})
_EDIT_MESSAGES = {
    "line_end": "line ends converted to LF",
    "bookmark": "Word bookmark marker removed",
    "html_tag": "HTML tag removed",
    "html_entity": "HTML entity replaced",
    "mojibake": "mojibake run removed",
    "pinyin": "pinyin ruby annotation removed",
    "invisible": "invisible character removed",
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
    if not text.strip():
        raise EmptyInputError("the file is empty", source=source)
    return _check_text(text, source)


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
    r"(?P<html_tag></?[A-Za-z][A-Za-z0-9]*(?:\s[^<>\n]*)?/?>|\??/(?:span|p|div|font|strong|b|br)\s*>)",
    r"(?P<html_entity>&(?:[A-Za-z]{2,8}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});)",
    r"(?P<mojibake>\?(?:[。、,.，]?\?)+|\ufffd+)",
    r"(?P<invisible>[\u200b\u200c\u200d\u2060\ufeff])",
)
# Ruby sits right after a Han character and holds one lowercase syllable.  A lone "(a)" can be an honest list
# marker, so ruby is only stripped from a document that shows the habit: at least _RUBY_MIN tone-marked ones.
_RUBY = rf"(?<=[{_CJK}])(?P<pinyin>[(（][{_PINYIN_LETTER}]*[aeiouü{_TONED}êü][{_PINYIN_LETTER}]*[)）])"
# Written to start with the bracket (the lookbehind checks the Han character before it) so that the regex engine
# can skip to the brackets: twice as fast as a leading lookbehind, which is tried at every position.
_TONED_RUBY = re.compile(rf"[(（](?<=[{_CJK}][(（])[{_PINYIN_LETTER}]*[{_TONED}][{_PINYIN_LETTER}]*[)）]")
_RUBY_MIN = 3
# Every kind above starts with one of these characters; testing for them first makes the scan of the many
# positions where no kind starts several times faster.  A new kind must add its first characters here.
_STARTS = "(?=[\\[<?/&\ufffd\u200b\u200c\u200d\u2060\ufeff(（])"
_DEBRIS = re.compile(_STARTS + "(?:" + "|".join(_DEBRIS_KINDS) + ")")
_DEBRIS_AND_RUBY = re.compile(_STARTS + "(?:" + "|".join((*_DEBRIS_KINDS, _RUBY)) + ")")

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
    edits: list[Edit] = []
    maps: list[_Map] = []
    text = original

    if "\r" in text:
        text, m = _line_ends(text, edits)
        maps.append(m)
    text, m = _debris(text, edits, maps)
    if len(m.out_starts) > 1:  # a map without anchors is the identity: leaving it out saves a step in every locate
        maps.append(m)
    text = _per_line(text, "traditional", _converter(), edits, maps)
    text = _per_line(text, "width", _fold_width, edits, maps)
    return NormText(original, text, tuple(edits), maps=tuple(maps), line_starts=tuple(line_starts))


def _line_starts(text: str) -> list[int]:
    if "\r" not in text:  # the usual case, without a regex match object per line
        return list(itertools.accumulate((len(line) + 1 for line in text.split("\n")[:-1]), initial=0))
    starts = [0]
    for m in re.finditer(r"\r\n|\r|\n", text):
        starts.append(m.end())
    return starts


def _line_ends(text: str, edits: list[Edit]) -> tuple[str, _Map]:
    out_starts, in_starts, parts = [0], [0], []
    pos = out = 0
    for m in re.finditer(r"\r\n?", text):
        parts.append(text[pos : m.start()])
        parts.append("\n")
        out += m.start() - pos + 1
        pos = m.end()
        out_starts.append(out)
        in_starts.append(pos)
    parts.append(text[pos:])
    edits.append(Edit("line_end", 0, len(text), "\\r\\n", "\\n"))
    return "".join(parts), _Map(tuple(out_starts), tuple(in_starts))


def _debris(text: str, edits: list[Edit], maps: list[_Map]) -> tuple[str, _Map]:
    out_starts, in_starts, parts = [0], [0], []
    pos = out = 0
    has_ruby = sum(1 for _ in itertools.islice(_TONED_RUBY.finditer(text), _RUBY_MIN)) >= _RUBY_MIN
    for m in (_DEBRIS_AND_RUBY if has_ruby else _DEBRIS).finditer(text):
        kind = m.lastgroup or "debris"
        repl = html.unescape(m.group()).translate(_WIDTH) if kind == "html_entity" else ""
        if kind == "html_entity" and repl == m.group():
            continue  # not an entity html knows; leave the text as it was
        parts.append(text[pos : m.start()])
        parts.append(repl)
        out += m.start() - pos
        start = _through(maps, m.start())
        edits.append(Edit(kind, start, _through(maps, m.end()), m.group(), repl))
        out += len(repl)
        pos = m.end()
        out_starts.append(out)
        in_starts.append(pos)
    parts.append(text[pos:])
    return "".join(parts), _Map(tuple(out_starts), tuple(in_starts))


def _through(maps: list[_Map], pos: int) -> int:
    for m in reversed(maps):
        pos = m(pos)
    return pos


def _per_line(text: str, kind: str, convert: Callable[[str], str], edits: list[Edit], maps: list[_Map]) -> str:
    """Apply a character conversion line by line; a line whose length changes gets its own map anchor."""
    converted = convert(text)
    if converted == text:
        return text
    if len(converted) == len(text) and converted.count("\n") == text.count("\n"):
        lines_in, lines_out = text.split("\n"), converted.split("\n")
        pos = 0
        for a, b in zip(lines_in, lines_out, strict=True):
            if a != b:
                start = _through(maps, pos)
                edits.append(Edit(kind, start, _through(maps, pos + len(a)), a, b))
            pos += len(a) + 1
        return converted
    # Rare: OpenCC changed a line's length (phrase conversion).  Convert line by line and anchor each line start.
    out_starts, in_starts, parts = [], [], []
    pos = out = 0
    for a in text.split("\n"):
        b = convert(a)
        out_starts.append(out)
        in_starts.append(pos)
        if a != b:
            edits.append(Edit(kind, _through(maps, pos), _through(maps, pos + len(a)), a, b))
        parts.append(b)
        pos += len(a) + 1
        out += len(b) + 1
    maps.append(_Map(tuple(out_starts), tuple(in_starts)))
    return "\n".join(parts)
