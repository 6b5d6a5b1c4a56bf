"""``grammars.reload`` forgets the parsers and all that the stages worked out from them (the REPL's ``:reload``)."""

from __future__ import annotations

from typing import Any

import xxgk
from tests.conftest import corpus_files
from xxgk import grammars, lalr, segment, serial, statutory


def _worked_out() -> tuple[Any, ...]:
    """Things the stages build from the grammars once and keep."""
    lines = grammars.load(serial.GRAMMARS["lines"])
    return statutory.parser("2021"), statutory._stacks("2021"), segment._table(), lines, lalr._table(lines)


def test_reload_forgets_what_was_read_from_the_grammars() -> None:
    before = [xxgk.parse_file(path) for path in corpus_files()]
    read = _worked_out()
    grammars.reload()
    assert all(new is not old for new, old in zip(_worked_out(), read, strict=True))
    # Rebuilt from the grammar files read again, the stages give the same reports (stack numbers and places anew).
    assert [xxgk.parse_file(path) for path in corpus_files()] == before
