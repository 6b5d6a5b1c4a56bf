"""Which national format a report's tables follow: a fact of the whole document, decided here once."""

from __future__ import annotations

from collections.abc import Collection

from xxgk.schema import TEMPLATE_MARKERS

# Each marker phrase with the templates that list it (once per listing), worked out once: a report's few markers are
# looked up, rather than every template's phrases tested against them.
_TEMPLATES_OF: dict[str, tuple[str, ...]] = {
    phrase: tuple(template for template, phrases in TEMPLATE_MARKERS.items() for listed in phrases if listed == phrase)
    for phrases in TEMPLATE_MARKERS.values()
    for phrase in phrases
}


def detect_template(markers: Collection[str]) -> str | None:
    """``"2019"`` or ``"2021"`` from the tables' wording (docs/spec.md), given the template ``markers`` the text holds
    (the lexer's scan finds them, :attr:`~xxgk.document.lines.Lines.markers`); None when nothing tells.

    The year is no guide (a 2020 report may use either form), so each template's marker phrases are counted and
    the one with more wins; a tie means the text does not tell."""
    score = dict.fromkeys(TEMPLATE_MARKERS, 0)
    for marker in markers:
        for template in _TEMPLATES_OF.get(marker, ()):
            score[template] += 1
    top = max(score.values())
    best = [template for template, count in score.items() if count == top]
    return best[0] if top and len(best) == 1 else None
