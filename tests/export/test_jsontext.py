"""The JSON text of the exports (orjson) against the standard library's: the same text for the data xxgk writes, the
same data for anything orjson refuses or writes otherwise."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import xxgk
from xxgk.export.jsontext import dumps
from xxgk.export.report import to_dict

CORPUS = sorted(Path(__file__).resolve().parents[2].joinpath("corpus").iterdir())

# Floats as the exports make them: amounts from a cell's decimal digits; under 1e-4 orjson writes 1e-5, not 1e-05.
_amounts = st.decimals(min_value=0, max_value=10**9, places=4, allow_nan=False).map(float)
_scalars = st.none() | st.booleans() | st.integers(-(2**63), 2**64 - 1) | _amounts | st.text()
_data = st.recursive(
    _scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4), max_leaves=20
)


def _stdlib(data: Any, indent: bool) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2 if indent else None, separators=(",", ": " if indent else ":"))


def _small_floats(data: Any) -> bool:
    if isinstance(data, float):
        return data != 0 and abs(data) < 1e-4
    if isinstance(data, dict):
        return any(map(_small_floats, data.values()))
    return isinstance(data, list) and any(map(_small_floats, data))


@given(_data, st.booleans())
def test_the_standard_librarys_text(data: Any, indent: bool) -> None:
    text = dumps(data, indent=indent)
    assert json.loads(text) == data
    if not _small_floats(data):
        assert text == _stdlib(data, indent)


@given(st.integers(min_value=2**64) | st.integers(max_value=-(2**63) - 1), st.booleans())
def test_what_orjson_refuses_is_written_all_the_same(big: int, indent: bool) -> None:
    data = {"value": big, "excerpt": "\ud800 a lone surrogate", "rows": [big]}
    assert dumps(data, indent=indent) == _stdlib(data, indent)


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_a_reports_json_is_the_standard_librarys(path: Path) -> None:
    data = to_dict(xxgk.parse_file(path))
    assert xxgk.to_json(xxgk.parse_file(path)) == json.dumps(data, ensure_ascii=False, indent=2)
