"""A grammar file that does not load, as a :class:`~xxgk.errors.GrammarError` naming the file and, where it can be
found, the line and column: Lark says where for syntax errors only, so the rest (an undefined rule, a missing
import, a collision) is looked up in the grammar text by the names the message gives."""

from __future__ import annotations

import re
from pathlib import Path

from lark.exceptions import UnexpectedInput

from xxgk.errors import GrammarError


def problem(exc: Exception, path: Path) -> GrammarError:
    """``exc`` from loading ``path`` as a GrammarError that names the file and, where it can be found, the line."""
    message = str(exc).strip()
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        text = ""
    line, column = _locate(exc, message, text)
    first = message.splitlines()[0] if message else type(exc).__name__
    first = re.sub(r",? at line \d+ column \d+", "", first)  # the position goes in front, as file:line:col
    excerpt = text.splitlines()[line - 1].strip() if line and line <= len(text.splitlines()) else ""
    return GrammarError(first, source=str(path), line=line, column=column, excerpt=excerpt)


def _locate(exc: Exception, message: str, text: str) -> tuple[int | None, int | None]:
    """Where in the grammar text the problem of ``message`` is: Lark says so for syntax errors, not for the rest."""
    if isinstance(exc, UnexpectedInput):
        return exc.line, exc.column
    if m := re.search(r"at line (\d+) column (\d+)", message):
        return int(m[1]), int(m[2])
    if m := re.search(r"line (\d+), column (\d+)", message):  # TOML
        return int(m[1]), int(m[2])
    if m := re.search(r"'(\w+)' used but not defined \(in rule (\w+)\)", message):
        return _word_after(text, m[1], _definition(text, m[2]))
    if m := re.search(r"'([\w.]+)\.lark'", message):  # %import of a missing file
        return _word_after(text, m[1].rpartition(".")[2], 1)
    for name in re.findall(r"<(\w+) :|'(\w+)'", message):  # a rule named in a collision or other message
        found = _definition(text, name[0] or name[1])
        if found:
            return found, 1
    return None, None


def _definition(text: str, name: str) -> int | None:
    """Line of the definition of rule or terminal ``name`` (``name:``, ``?name:``, ``NAME.2:`` …)."""
    pattern = re.compile(rf"^\s*[?!]?{re.escape(name)}(\.-?\d+)?\s*:", re.M)
    m = pattern.search(text)
    return text.count("\n", 0, m.start()) + 1 if m else None


def _word_after(text: str, word: str, start: int | None) -> tuple[int | None, int | None]:
    lines = text.splitlines()
    for n in range(start or 1, len(lines) + 1):
        m = re.search(rf"\b{re.escape(word)}\b", lines[n - 1])
        if m:
            return n, m.start() + 1
    return start, None
