"""Which national format a report's tables follow: a fact of the whole document, decided here once."""

from __future__ import annotations

from xxgk.schema import TEMPLATE_MARKERS


def detect_template(text: str) -> str | None:
    """``"2019"`` or ``"2021"`` from the tables' wording (docs/spec.md), None when nothing tells.

    The year is no guide (a 2020 report may use either form), so each template's marker phrases are counted and
    the one with more wins; a tie means the text does not tell.
    """
    score = {template: sum(marker in text for marker in markers) for template, markers in TEMPLATE_MARKERS.items()}
    best = max(score, key=lambda t: score[t])
    if score[best] == 0 or list(score.values()).count(score[best]) > 1:
        return None
    return best
