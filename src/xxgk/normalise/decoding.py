"""Bytes to text: UTF-8 (BOM or not), UTF-16 with BOM, else GB18030 — and a clear refusal, with the position of the
offending byte, for what is no text at all (empty, binary, a PDF or Word file given as text, undecodable)."""

from __future__ import annotations

import codecs
import re

from xxgk.errors import BinaryInputError, EmptyInputError, UndecodableError

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
    if not text or text.isspace():  # not text.strip(), which copies the text
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
