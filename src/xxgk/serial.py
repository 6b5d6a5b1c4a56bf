"""Stage 3a — serialisation grammars: a table block's text to a stream of cells with row breaks.

(Placeholder: lands with issue 3.)
"""

from __future__ import annotations

from xxgk.normalise import NormText
from xxgk.records import Cell, Diagnostic
from xxgk.segment import Block


def read_cells(block: Block, norm: NormText) -> tuple[list[Cell], list[Diagnostic]]:
    """Read the cells of ``block`` in whichever serialisation it is written."""
    return [], []
