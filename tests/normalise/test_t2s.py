"""The characters OpenCC's t2s can change (xxgk.normalise.t2s_changes): what the installed OpenCC's dictionaries say,
and t2s skipped only where OpenCC would have changed nothing.

``python -m tests.normalise.test_t2s`` writes ``src/xxgk/normalise/t2s_changes.py`` anew from the installed OpenCC
(after an OpenCC upgrade, which ``test_the_characters_are_those_of_the_installed_opencc`` reports).
"""

from __future__ import annotations

import functools
import json
import re
import subprocess
import sys
import tempfile
import types
from collections.abc import Iterator
from pathlib import Path

import opencc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xxgk.normalise import chars, t2s_changes

_OPENCC = Path(opencc.__file__).parent / "clib"
_TOOL = _OPENCC / "bin" / "opencc_dict"
_CONFIG = _OPENCC / "share" / "opencc" / "t2s.json"
_MODULE = Path(__file__).resolve().parents[2] / "src" / "xxgk" / "normalise" / "t2s_changes.py"

needs_the_tool = pytest.mark.skipif(
    not (_TOOL.exists() and _CONFIG.exists()), reason="this OpenCC install has no opencc_dict tool or t2s.json"
)


def _files(node: object) -> Iterator[str]:
    """The dictionary files a part of OpenCC's configuration names, in order."""
    if isinstance(node, dict):
        if "file" in node:
            yield node["file"]
        for value in node.values():
            yield from _files(value)
    elif isinstance(node, list):
        for value in node:
            yield from _files(value)


@functools.cache
def _entries() -> list[tuple[str, list[str]]]:
    """Every (key, values) of the dictionaries of t2s, as OpenCC's own tool writes them out as text."""
    return list(_read_entries())


def _read_entries() -> Iterator[tuple[str, list[str]]]:
    with tempfile.TemporaryDirectory() as folder:
        for name in _files(json.loads(_CONFIG.read_text(encoding="utf-8"))):
            path = _CONFIG.parent / name
            if path.suffix == ".ocd2":
                text = Path(folder) / f"{path.stem}.txt"
                subprocess.run([str(_TOOL), "-i", str(path), "-o", str(text), "-f", "ocd2", "-t", "text"], check=True)
                path = text
            for line in path.read_text(encoding="utf-8").splitlines():
                if line:
                    key, values = line.split("\t")
                    yield key, values.split(" ")


Phrases = dict[str, tuple[tuple[int, str], ...]]


def changes() -> tuple[set[str], Phrases]:
    """What t2s can change, as OpenCC converts: at each place it puts the first value of the key that stands there (the
    longest a dictionary holds, else the character itself), so a text changes only where a key whose first value
    differs from it stands.  Such a key of one character is a character t2s changes wherever it stands; the others,
    the phrases holding none of those, are listed by a character of each (one that their first value changes): the
    characters to look for, and at each the phrases to look for around it.  (A value after the first is never put:
    覆 alone stays 覆, 答覆 becomes 答复.)"""
    entries = _entries()
    alone = {key for key, values in entries if len(key) == 1 and values[0] != key}
    phrases: dict[str, set[tuple[int, str]]] = {}
    for key, values in entries:
        first = values[0]
        if len(key) > 1 and first != key and not alone.intersection(key):
            at = next((i for i, (k, v) in enumerate(zip(key, first, strict=False)) if k != v), 0)
            phrases.setdefault(key[at], set()).add((at, key))
    return alone, {char: tuple(sorted(held)) for char, held in sorted(phrases.items())}


def _escaped(point: int) -> str:
    """A character of the class as Python source: ASCII as the regex escapes it, the rest as a \\u escape."""
    return re.escape(chr(point)).replace("\\", "\\\\") if point < 0x80 else f"\\u{point:04x}"


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _module_text(alone: set[str], phrases: Phrases) -> str:
    ranges: list[list[int]] = []
    for point in sorted(ord(c) for c in alone | phrases.keys() if ord(c) <= 0xFFFF):
        if ranges and ranges[-1][1] == point - 1:
            ranges[-1][1] = point
        else:
            ranges.append([point, point])
    parts = [_escaped(a) if a == b else f"{_escaped(a)}-{_escaped(b)}" for a, b in ranges]
    lines = [""]
    for part in parts:  # as many as fit in a line of 120 characters, quoted and indented
        if len(lines[-1]) + len(part) > 110:
            lines.append("")
        lines[-1] += part
    body = "\n".join(f'    "{line}"' for line in lines)
    # As ruff formats it: a place a line, a tuple of one on the line of its key.
    held = "".join(
        f"    {_quoted(char)}: (({places[0][0]}, {_quoted(places[0][1])}),),\n"
        if len(places) == 1
        else f"    {_quoted(char)}: (\n"
        + "".join(f"        ({at}, {_quoted(phrase)}),\n" for at, phrase in places)
        + "    ),\n"
        for char, places in phrases.items()
        if ord(char) <= 0xFFFF
    )
    return f'''"""What OpenCC's ``t2s`` conversion can change in a text of the Basic Multilingual Plane
(tests/normalise/test_t2s.py, which wrote this module from OpenCC {opencc.__version__} and holds it to the installed
OpenCC): :data:`CLASS`, as a regex class, the characters it changes wherever they stand, and those it changes only in
some phrases, the keys of :data:`PHRASES`, whose values are those phrases with the character's place in each.
Characters beyond the plane are not listed: a text holding one is always converted."""

OPENCC = "{opencc.__version__}"
CLASS = (
    "["
{body}
    "]"
)
PHRASES: dict[str, tuple[tuple[int, str], ...]] = {{
{held}}}
'''


@needs_the_tool
def test_the_characters_are_those_of_the_installed_opencc() -> None:
    assert (opencc.__version__, *_data_of(_module_text(*changes()))) == (
        t2s_changes.OPENCC,
        t2s_changes.CLASS,
        t2s_changes.PHRASES,
    )


def _data_of(module_text: str) -> tuple[object, object]:
    namespace: dict[str, object] = {}
    exec(module_text, namespace)
    return namespace["CLASS"], namespace["PHRASES"]


def _units() -> list[str]:
    """What the texts below are made of: t2s's keys (phrases too) and characters it leaves alone."""
    keys = [key for key, _ in _entries()] if _TOOL.exists() and _CONFIG.exists() else []
    listed = re.findall(r"[^\[\]-]", t2s_changes.CLASS)
    # The phrases of the characters changed only in phrases, and each of their characters alone (a phrase put
    # together, or the character in other words: 覆盖).
    phrases = [phrase for places in t2s_changes.PHRASES.values() for _, phrase in places]
    return [
        *keys[::7],
        *listed[::5],
        *phrases,
        *"".join(phrases),
        *"一二三政府信息公开工作年度报告，。（）\n 0123abc盖",
        "\U00020000",
        "\U0002f800",
    ]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.deferred(lambda: st.sampled_from(_units())), max_size=12).map("".join))
def test_t2s_is_opencc(text: str) -> None:
    assert chars.t2s(text) == chars.converter()(text)


def test_a_text_without_those_characters_is_not_handed_to_opencc(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(text: str) -> str:
        raise AssertionError(text)

    monkeypatch.setattr(chars, "converter", lambda: refuse)
    assert chars.t2s("一、总体情况\n政府信息公开，(一)") == "一、总体情况\n政府信息公开，(一)"
    # Characters t2s changes only in some phrases, without them (答覆 is one, 覆信 one that starts with 覆).
    assert chars.t2s("覆盖全市，破坏，沈阳") == "覆盖全市，破坏，沈阳"
    with pytest.raises(AssertionError):
        chars.t2s("一、總體情況")
    for text in ("予以答覆", "覆信", "答覆。"):
        with pytest.raises(AssertionError):
            chars.t2s(text)
    with pytest.raises(AssertionError):
        chars.t2s("一\U00020000")  # beyond the plane: always converted


def test_another_opencc_is_always_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(t2s_changes, "OPENCC", "0.0")
    chars.t2s_changes_class.cache_clear()
    try:
        assert chars.t2s_changes_class() is None
    finally:
        monkeypatch.undo()
        chars.t2s_changes_class.cache_clear()
    assert chars.t2s_changes_class() is not None


def test_the_version_is_read_without_loading_opencc() -> None:
    code = "import sys\nfrom xxgk.normalise import chars\nprint(chars.opencc_version(), 'opencc' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == [opencc.__version__, "False"]


@pytest.mark.parametrize(
    ("infos", "records", "clib", "version"),
    [
        (["opencc-1.0.dist-info"], True, False, "1.0"),
        (["OpenCC-1.0.dist-info"], True, False, "1.0"),
        (["opencc-1.0.dist-info", "opencc_python_reimplemented-0.1.dist-info"], True, False, "1.0"),
        (["opencc-1.0.dist-info"], False, False, "9.9"),  # its record does not list the package found
        (["opencc-1.0.dist-info", "OpenCC-1.1.dist-info"], True, False, "9.9"),  # which one installed it?
        ([], True, False, "9.9"),
        (["opencc-1.0.dist-info"], True, True, "9.9"),  # OpenCC would load another library than its own
    ],
)
def test_the_version_is_the_distributions_only_where_it_installed_the_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, infos: list[str], records: bool, clib: bool, version: str
) -> None:
    (tmp_path / "opencc").mkdir()
    (tmp_path / "opencc" / "__init__.py").write_text('__version__ = "9.9"\n')
    for info in infos:
        (tmp_path / info).mkdir()
        listed = "opencc/__init__.py,sha256=x,22\n" if records else "other/__init__.py,sha256=x,22\n"
        (tmp_path / info / "RECORD").write_text(f"{info}/METADATA,sha256=x,10\n{listed}")
    if clib:
        (tmp_path / "opencc_clib.py").write_text("")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "opencc")
    assert chars.opencc_version() == version


def test_an_opencc_module_without_a_spec_is_asked_its_version(monkeypatch: pytest.MonkeyPatch) -> None:
    made = types.ModuleType("opencc")  # as a test double or an embedding program makes one: no __spec__
    made.__version__ = "9.9"  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "opencc", made)
    assert chars.opencc_version() == "9.9"


if __name__ == "__main__":
    _MODULE.write_text(_module_text(*changes()), encoding="utf-8")
    sys.exit(0)
