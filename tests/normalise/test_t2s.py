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


def changed_characters() -> set[str]:
    """The characters a t2s dictionary holds in a key where one of the key's values differs (every character of a
    key one of whose values differs from it in length): a text without any of them is not changed by t2s, for OpenCC
    changes a text only where a key stands in it and puts one of its values there."""
    changed: set[str] = set()
    for key, values in _entries():
        for value in values:
            if len(value) != len(key):
                changed.update(key)
            else:
                changed.update(k for k, v in zip(key, value, strict=True) if k != v)
    return changed


def _escaped(point: int) -> str:
    """A character of the class as Python source: ASCII as the regex escapes it, the rest as a \\u escape."""
    return re.escape(chr(point)).replace("\\", "\\\\") if point < 0x80 else f"\\u{point:04x}"


def _module_text(changed: set[str]) -> str:
    ranges: list[list[int]] = []
    for point in sorted(ord(c) for c in changed if ord(c) <= 0xFFFF):
        if ranges and ranges[-1][1] == point - 1:
            ranges[-1][1] = point
        else:
            ranges.append([point, point])
    parts = [_escaped(a) if a == b else f"{_escaped(a)}-{_escaped(b)}" for a, b in ranges]
    lines = ["".join(parts[i : i + 8]) for i in range(0, len(parts), 8)]
    body = "\n".join(f'    "{line}"' for line in lines)
    return f'''"""The characters of the Basic Multilingual Plane that OpenCC's ``t2s`` conversion can change, as a regex
class: those its dictionaries hold in a key where a value differs (tests/normalise/test_t2s.py, which wrote this module
from OpenCC {opencc.__version__} and holds it to the installed OpenCC).  Characters beyond the plane are not listed: a
text holding one is always converted."""

OPENCC = "{opencc.__version__}"
CLASS = (
    "["
{body}
    "]"
)
'''


@needs_the_tool
def test_the_characters_are_those_of_the_installed_opencc() -> None:
    assert (
        opencc.__version__,
        _class_of(_module_text(changed_characters())),
    ) == (t2s_changes.OPENCC, t2s_changes.CLASS)


def _class_of(module_text: str) -> str:
    namespace: dict[str, object] = {}
    exec(module_text, namespace)
    return str(namespace["CLASS"])


def _units() -> list[str]:
    """What the texts below are made of: t2s's keys (phrases too) and characters it leaves alone."""
    keys = [key for key, _ in _entries()] if _TOOL.exists() and _CONFIG.exists() else []
    listed = re.findall(r"[^\[\]-]", t2s_changes.CLASS)
    return [*keys[::7], *listed[::5], *"一二三政府信息公开工作年度报告，。（）\n 0123abc", "\U00020000", "\U0002f800"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.deferred(lambda: st.sampled_from(_units())), max_size=12).map("".join))
def test_t2s_is_opencc(text: str) -> None:
    assert chars.t2s(text) == chars.converter()(text)


def test_a_text_without_those_characters_is_not_handed_to_opencc(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(text: str) -> str:
        raise AssertionError(text)

    monkeypatch.setattr(chars, "converter", lambda: refuse)
    assert chars.t2s("一、总体情况\n政府信息公开，(一)") == "一、总体情况\n政府信息公开，(一)"
    with pytest.raises(AssertionError):
        chars.t2s("一、總體情況")
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


if __name__ == "__main__":
    _MODULE.write_text(_module_text(changed_characters()), encoding="utf-8")
    sys.exit(0)
