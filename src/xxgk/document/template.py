"""Which national format a report's tables follow: a fact of the whole document, decided here once."""

from __future__ import annotations

from collections.abc import Collection

from xxgk.schema import TEMPLATE_MARKERS


def detect_template(markers: Collection[str]) -> str | None:
    """``"2019"`` or ``"2021"`` from the tables' wording (docs/spec.md), given the template ``markers`` the text holds
    (the lexer's scan finds them, :attr:`~xxgk.document.lines.Lines.markers`); None when nothing tells.

    The year is no guide (a 2020 report may use either form), so each template's marker phrases are counted and
    the one with more wins; a tie means the text does not tell."""
    score = {template: sum(marker in markers for marker in phrases) for template, phrases in TEMPLATE_MARKERS.items()}
    best = max(score, key=lambda t: score[t])
    if score[best] == 0 or list(score.values()).count(score[best]) > 1:
        return None
    return best
