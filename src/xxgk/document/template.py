"""Which national format a report's tables follow: a fact of the whole document, decided here once."""

from __future__ import annotations

from xxgk.schema import TEMPLATE_MARKERS


def detect_template(text: str) -> str | None:
    """``"2019"`` or ``"2021"`` from the tables' wording (docs/spec.md), None when nothing tells.

    The year is no guide (a 2020 report may use either form), so each template's marker phrases are counted and
    the one with more wins; a tie means the text does not tell.  A template's count stops once it cannot reach the
    best count before it, which it then loses to whatever the rest hold: a phrase the text lacks is a search of
    the whole text, and a report in the first template lacks every phrase of the second, of which one decides.
    """
    score: dict[str, int] = {}
    for template, markers in TEMPLATE_MARKERS.items():
        rival = max(score.values(), default=0)
        count = 0
        for looked, marker in enumerate(markers):
            if count + len(markers) - looked < rival:  # even every phrase left would not reach it
                break
            count += marker in text
        score[template] = count
    best = max(score, key=lambda t: score[t])
    if score[best] == 0 or list(score.values()).count(score[best]) > 1:
        return None
    return best
