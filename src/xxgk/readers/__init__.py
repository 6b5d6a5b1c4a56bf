"""Readers: web pages, Word (.docx) and PDF files to the text the grammars read, tables kept as pipe rows.

:func:`sniff` tells what a file is from its content (magic bytes, markup), never from its name; :func:`read`
hands a web page, Word or PDF file to its reader and returns the :class:`~xxgk.readers.extracted.Extracted` text
with the origin of each line, or None for plain text, which the normaliser reads as it is.  The format modules
(and the libraries under them: lxml, python-docx, pdfplumber) are imported only when a file of theirs comes, so
``import xxgk`` does not pay for them.
"""

from __future__ import annotations

import codecs
import io
import re
from typing import TYPE_CHECKING, Any, Literal

from xxgk.errors import DocumentError, EmptyInputError

if TYPE_CHECKING:  # imported by the readers that make them: a plain text, the common case, never needs them
    from xxgk.readers.extracted import Extracted, Format, LineOrigin, Origin

__all__ = ["Extracted", "Format", "Kind", "LineOrigin", "Origin", "read", "sniff", "text"]

Kind = Literal["text", "html", "docx", "pdf", "doc", "zip", "damaged_zip"]

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# A page opens with one of these (after a BOM, white space and comments); a fragment of a page (the article's
# <div> saved alone) with a tag and, in its first bytes, an element that only a page has.  Compiled (by re, which
# keeps them) when first asked: a plain text file, the common case, never opens with "<".
_PAGE_START = rb"(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>]|\?xml[^>]*>\s*(?:<!doctype\s+)?<?html)"
_FRAGMENT = rb"<(?:html|head|body|meta|table|div|p|span|font)[\s>/]"
_HEAD = 4096


def sniff(data: bytes | str) -> Kind:
    """What ``data`` is, by content: ``pdf``, ``docx``, ``doc`` (an old binary Office file), ``zip`` (another
    archive), ``damaged_zip``, ``html``, or ``text`` (anything else, left to the normaliser).

    A string is ``html`` only when it opens as a whole page (``<!DOCTYPE html``, ``<html``): text with a tag of
    extraction debris at its start stays text, for the normaliser to clean.
    """
    if isinstance(data, str):
        head = data[:_HEAD].lstrip("\ufeff \t\r\n").encode("utf-8", errors="replace")
        return "html" if head.startswith(b"<") and re.match(_PAGE_START, head, re.I | re.S) else "text"
    if data[:1024].find(b"%PDF-") >= 0:  # the header may follow a few bytes of junk (PDF 1.7, 7.5.2)
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    if data.startswith(_OLE):
        return "doc"
    head = _ascii_head(data)
    if head.startswith(b"<") and (re.match(_PAGE_START, head, re.I | re.S) or re.search(_FRAGMENT, head, re.I)):
        return "html"
    return "text"


def _ascii_head(data: bytes) -> bytes:
    """The file's first bytes with BOM and leading white space gone; UTF-16 recoded, so that markup is ASCII."""
    for bom, codec in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            head = data[len(bom) : len(bom) + 2 * _HEAD].decode(codec, errors="replace")
            return head.lstrip().encode("utf-8", errors="replace")
    return data[:_HEAD].removeprefix(codecs.BOM_UTF8).lstrip()


def _zip_kind(data: bytes) -> Kind:
    import zipfile  # here: a text file never needs it

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return "docx" if "word/document.xml" in z.namelist() else "zip"
    except (zipfile.BadZipFile, OSError, ValueError):
        return "damaged_zip"


def read(data: bytes | str, *, source: str | None = None) -> Extracted | None:
    """The text of a web page, Word or PDF file with its origins; None when ``data`` is plain text.

    Raises :class:`~xxgk.errors.DocumentError` for a file of those formats that cannot be read (damaged,
    encrypted, an old ``.doc``) and :class:`~xxgk.errors.NoTextLayerError` for a PDF without text;
    :class:`~xxgk.errors.EmptyInputError` when a page or document holds no text.
    """
    kind = sniff(data)
    if kind in ("text", "zip"):
        return None  # plain text, or a ZIP of something else (an .xlsx): the normaliser says what it is
    if kind == "html":
        from xxgk.readers import html

        if isinstance(data, str):
            try:
                return html.read(data, source=source)
            except EmptyInputError:
                return None  # text never raises for what it holds: a page without text is read as text
        return html.read(data, source=source)
    assert isinstance(data, bytes)  # the other kinds are sniffed from bytes only
    if kind == "doc":
        raise DocumentError(
            "an old binary Word or Excel file (.doc, .xls): xxgk reads .docx, PDF and web pages — "
            "open it in an office suite and save it as .docx or PDF",
            source=source,
        )
    if kind == "damaged_zip":
        raise DocumentError("a damaged ZIP archive (a .docx cut short?): cannot open it", source=source)
    if kind == "docx":
        from xxgk.readers import docx

        return docx.read(data, source=source)
    from xxgk.readers import pdf

    return pdf.read(data, source=source)


def text(data: bytes, *, source: str | None = None) -> str:
    """The text the normaliser gets from ``data``: a reader's for a web page, Word or PDF file, else the bytes
    decoded (:func:`xxgk.normalise.text.decode`).  Raises what :func:`read` and ``decode`` raise."""
    extracted = read(data, source=source)
    if extracted is not None:
        return extracted.text
    from xxgk.normalise.text import decode

    return decode(data, source=source)


def __getattr__(name: str) -> Any:
    """The records of :mod:`.extracted` as names of this package too, imported on first use (PEP 562)."""
    if name in ("Extracted", "Format", "LineOrigin", "Origin"):
        from xxgk.readers import extracted

        return getattr(extracted, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
