"""JSON text of the plain data the exports make (:func:`xxgk.export.report.to_dict`, a JSON line, a command's
``--format json``): UTF-8 text, Chinese unescaped, indented by two spaces or compact.

orjson writes it: the standard library's encoder is pure Python once it indents (~1.3 ms for a report, more than
the parse), orjson's ~20x faster, and for the data xxgk writes (str keys, int, float, str, None, lists and dicts)
the indented text is the standard library's ``json.dumps(…, ensure_ascii=False, indent=2)`` byte for byte, but for
a float under 1e-4, written ``1e-5`` for ``1e-05`` (the same number; the 万元 amounts of these reports have no
such digits).  What orjson refuses — an integer past 64 bits read from a garbled cell, a lone surrogate of
undecodable input — the standard library writes, in the same layout, so no report is refused for it.
"""

from __future__ import annotations

import json
from typing import Any

import orjson

# The standard library's separators for orjson's layouts: with an indent, "," at a line end and ": "; compact, none.
_SEPARATORS = {True: (",", ": "), False: (",", ":")}


def dumps(data: Any, *, indent: bool = True) -> str:
    """``data`` as JSON text: indented by two spaces (``indent``) or compact, with no spaces (a JSON line)."""
    try:
        return orjson.dumps(data, option=orjson.OPT_INDENT_2 if indent else 0).decode()
    except (orjson.JSONEncodeError, TypeError):
        return json.dumps(data, ensure_ascii=False, indent=2 if indent else None, separators=_SEPARATORS[indent])
