"""Stage 3b — the statutory layer: cell streams to the three keyed tables of the national format.

(Placeholder: lands with issue 3.)
"""

from __future__ import annotations

from collections.abc import Sequence

from xxgk.records import Cell, Diagnostic, Tables
from xxgk.schema import TEMPLATE_MARKERS
from xxgk.segment import Block


def detect_template(text: str) -> str | None:
    """``"2019"`` or ``"2021"`` from the tables' wording (SCHEMA.md), None when nothing tells.

    The year is no guide (a 2020 report may use either form), so each template's marker phrases are counted and
    the one with more wins; a tie means the text does not tell.
    """
    score = {template: sum(marker in text for marker in markers) for template, markers in TEMPLATE_MARKERS.items()}
    best = max(score, key=lambda t: score[t])
    if score[best] == 0 or list(score.values()).count(score[best]) > 1:
        return None
    return best


def read_tables(
    blocks: Sequence[tuple[Block, Sequence[Cell]]], template: str | None
) -> tuple[Tables, list[Diagnostic]]:
    """Map each block's cells onto the statutory tables of ``template``."""
    return Tables(), []
