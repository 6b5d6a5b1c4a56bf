"""Character conversions of the whole text: Traditional→Simplified (OpenCC ``t2s``) and full-width forms folded to
half-width, each recorded as a :class:`~xxgk.normalise.offsets.Conversion` (the text before and after it)."""

from __future__ import annotations

import functools
import importlib.util
import os
import re
from collections.abc import Callable

from xxgk.engine import grammars
from xxgk.normalise.offsets import Conversion, OffsetMap, first_change, line_offsets

# Full-width ASCII and ideographic space to half-width.  Kept as they are: 、 。 “ ” and other CJK punctuation,
# which carry meaning the grammars rely on.
WIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
WIDTH.update({0x3000: 0x20, 0x00A0: 0x20})
# Compiled where first used, through grammars.regex (kept compiled on disk): a class of characters beyond Latin-1
# costs a one-file run half a millisecond to compile.
WIDE = "[\uff01-\uff5e\u3000\u00a0]"
# The metadata folder of OpenCC's distribution as installers name it: the name in any case, a hyphen, the version
# (hyphens within either are written as underscores), the suffix.
_DIST_NAME, _DIST_SUFFIX = "opencc-", ".dist-info"


def fold_width(text: str) -> str:
    # A text holds hundreds of wide characters but few distinct ones: each is replaced everywhere at once, rather
    # than by a callback each, and the regex (several times faster than str.translate over Chinese text) goes on
    # from there to the next one left.
    wide = grammars.regex(WIDE)
    found = wide.search(text)
    while found is not None:
        text = text.replace(found[0], chr(WIDTH[ord(found[0])]))
        found = wide.search(text, found.start())
    return text


@functools.cache
def converter() -> Callable[[str], str]:
    import opencc

    convert: Callable[[str], str] = opencc.OpenCC("t2s").convert
    return convert


@functools.cache
def t2s_changes_class() -> re.Pattern[str] | None:
    """What t2s can change (:mod:`.t2s_changes`), compiled: a match where a text holds a character t2s changes
    wherever it stands, or a phrase it changes around one of the characters it changes only in phrases; None under
    another OpenCC than the one they were read from, whose dictionaries may differ."""
    from xxgk.normalise import t2s_changes

    if opencc_version() != t2s_changes.OPENCC:
        return None
    # Any character of the class, then: one changed alone (not a phrase character), or the rest of a phrase of the
    # phrase character just read, what comes before it a look behind.  The search skips to the class's characters in
    # C and tries the phrases there, so that a text that holds a phrase character a hundred times (沈阳) and none of
    # its phrases is passed over in one call.
    phrases = t2s_changes.PHRASES
    around = (
        f"(?<={re.escape(char)})(?:"
        + "|".join(
            (f"(?<={re.escape(phrase[: at + 1])})" if at else "") + re.escape(phrase[at + 1 :]) for at, phrase in places
        )
        + ")"
        for char, places in phrases.items()
    )
    return grammars.regex(f"{t2s_changes.CLASS}(?:(?<![{''.join(map(re.escape, phrases))}])|{'|'.join(around)})")


def opencc_version() -> str | None:
    """The version of the OpenCC that :func:`converter` loads: that of the distribution that installed the package
    (the one ``*.dist-info`` folder beside it whose record lists the package's ``__init__.py``), or where none says
    so, OpenCC's own ``__version__`` (None without one).  Importing OpenCC to ask loads its C++ library: 2 ms of a
    one-file run whose text needs no conversion."""
    try:
        spec = importlib.util.find_spec("opencc")
        # OpenCC loads a top-level opencc_clib in preference to its own: a build the distribution did not install.
        alone = importlib.util.find_spec("opencc_clib") is None
    except ValueError:  # a module without a spec (one made at run time): asked of OpenCC
        spec, alone = None, False
    places = spec.submodule_search_locations if spec is not None else None
    if places and len(places) == 1 and alone:
        folder = os.path.dirname(places[0])
        try:
            infos = [
                name
                for name in os.listdir(folder)
                if name.endswith(_DIST_SUFFIX) and name[: len(_DIST_NAME)].lower() == _DIST_NAME
            ]
            if len(infos) == 1:
                with open(os.path.join(folder, infos[0], "RECORD"), encoding="utf-8") as f:
                    if any(line.startswith("opencc/__init__.py,") for line in f):
                        return infos[0][len(_DIST_NAME) : -len(_DIST_SUFFIX)]
        except OSError:  # unreadable: asked of OpenCC
            pass
    import opencc

    version = getattr(opencc, "__version__", None)
    return version if isinstance(version, str) else None


def t2s(text: str) -> str:
    """OpenCC's Traditional→Simplified conversion of ``text`` — ``text`` itself, without asking OpenCC, when it holds
    nothing OpenCC's t2s can change, as most reports do: OpenCC costs a report ~0.1 ms among the other stages (its
    dictionaries out of the processor's caches), the class search a fraction of that."""
    changes = t2s_changes_class()
    # The class lists the Basic Multilingual Plane only: a text beyond it (UTF-16 longer than two bytes a character)
    # is always converted.
    if changes is None or changes.search(text) or len(text.encode("utf-16-le", "surrogatepass")) != 2 * len(text):
        return converter()(text)
    return text


def convert(
    text: str,
    kind: str,
    convert: Callable[[str], str],
    m: OffsetMap,
    conversions: list[Conversion],
    *,
    changes: str | None = None,
) -> tuple[str, OffsetMap]:
    """Apply a character conversion to ``text``, which ``m`` maps to the unified text; return the converted text and
    its map, and record the conversion if it changed anything.

    A conversion that changes a line's length (an OpenCC phrase conversion, rarely) is done line by line, so that
    each line start can be an anchor of the map.  ``changes``: the conversion puts one character for each (width
    folding), so no line can change its length, and changes every character of this regex class and no other, so
    the lines it changed are the lines holding one.
    """
    converted = convert(text)
    if converted == text:
        return text, m
    if changes is not None:
        # A line a match: a character the class holds and the rest of its line, then an empty group, which findall
        # lists (the one empty string) rather than a copy of the line.
        changed = grammars.regex(changes + "[^\n]*()")
        first = text.rfind("\n", 0, next(changed.finditer(text)).start()) + 1  # there is one: the text changed
        conversions.append(Conversion(kind, text, converted, m, first, len(changed.findall(text))))
        return converted, m
    lines, converted_lines = text.split("\n"), converted.split("\n")
    # Equal totals are not enough: one line may grow by what another loses.
    if len(converted) == len(text) and list(map(len, lines)) == list(map(len, converted_lines)):
        conversions.append(Conversion(kind, text, converted, m, *first_change(lines, converted_lines)))
        return converted, m
    converted_lines = [convert(line) for line in lines]
    converted = "\n".join(converted_lines)
    if converted == text:  # line by line it changes nothing: no conversion to record (diagnostics() needs a change)
        return text, m
    conversions.append(Conversion(kind, text, converted, m, *first_change(lines, converted_lines)))
    return converted, m.after(OffsetMap(line_offsets(converted_lines), line_offsets(lines)))
