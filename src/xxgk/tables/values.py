"""Reading a value cell for its column: a count (int) or an amount in 万元 (Decimal), or why it cannot be read.

The patterns are the grammar's own (``NUMBER``, ``NA``, ``ODD`` of ``grammars/table_common.lark``), applied to a
whole cell; what they cannot say — a unit that does not fit the column, a number glued to extraction debris, a
letter beside the digits that may stand for one — is decided here, and said in the reading.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import NamedTuple

from xxgk.engine import grammars
from xxgk.records import Number
from xxgk.tables.labels import cjk

# The terminals a number cell can be, by its column's kind (grammars/table_common.lark): a count, an amount in 万元,
# a change on the year before.  One pattern (NUMBER's) matches them all; the parser's place chooses.
NUMBERS = ("NUMBER", "AMOUNT", "CHANGE")
# The value terminals of the statutory grammars: a cell in a value's place, or a GAP where the text lacks one.
VALUES = frozenset({*NUMBERS, "NA", "EMPTY", "GAP", "ODD"})
# Patterns are compiled where first used, through grammars.regex (kept compiled on disk), as every pattern of the
# stages: compiling this module's cost a one-file run 1.4 ms.
# What extraction debris glued to a number is made of (``[bookmark: _GoBack]43``, ``43</span>``).
_MARKUP = r"[A-Za-z<>\[\]&;_]"
# Units a value cell may carry: amounts are in 万元 (docs/spec.md); a count may say what it counts.
_AMOUNT_UNITS = frozenset({"万元"})
_COUNT_UNITS = frozenset({"件", "条"})
# Letters that extraction and typing put for digits (l and I for 1, O and o for 0): glued to a number they may be
# part of it (``l2`` is 12, ``1O`` is 10), so such a cell is not read.  Checked on the characters touching the number.
_LOOKALIKE = r"[lIiOo|]"


class Reading(NamedTuple):
    """A value cell read for its column: ``value`` (None for not applicable), ``odd`` says why the cell was unusual,
    ``certain`` is False when the cell holds a number that cannot be read for sure (it is then not placed).  (The
    table stage's own, read by the placing: a NamedTuple costs a third of a frozen attrs class to define.)"""

    value: Number | None
    odd: str | None = None
    certain: bool = True


class ValuePatterns:
    """The grammar's NUMBER and NA patterns (``grammars/common.lark``), applied to whole cells."""

    def __init__(self, number: str, na: str, odd: str) -> None:
        self.number = grammars.regex(number)
        self.na = grammars.regex(na)
        self.odd = grammars.regex(odd)

    def kind(self, text: str) -> str | None:
        """``EMPTY``, ``NA``, ``NUMBER`` or ``ODD`` when the cell is a value (however odd), None when it is not."""
        t = text.strip()
        if not t:
            return "EMPTY"
        if self.na.fullmatch(t):
            return "NA"
        if self.number.fullmatch(t) or self.number.fullmatch("".join(t.split())) or self._glued(t):
            return "NUMBER"
        if self.odd.fullmatch(t):
            return "ODD"
        return None

    def _glued(self, t: str) -> re.Match[str] | None:
        """The one number in a cell otherwise made of extraction debris (markup, letters), not of Chinese, other
        digits or an enumerator's brackets and dots (``(1)`` and ``1.`` are no values)."""
        found = list(self.number.finditer(t))
        if len(found) != 1:
            return None
        rest = t[: found[0].start()] + t[found[0].end() :]
        if any(ch.isdigit() for ch in rest) or cjk().search(rest) or not grammars.regex(_MARKUP).search(rest):
            return None
        return found[0]

    def read(self, text: str, amount: bool, signed: bool) -> Reading:
        """Read a value cell as a count (int) or, in an amount column, a decimal number of 万元."""
        t = text.strip()
        if not t or self.na.fullmatch(t):
            return Reading(None)
        odd: list[str] = []
        m = self.number.fullmatch(t)
        if m is None:
            m = self.number.fullmatch("".join(t.split()))
            if m is not None:
                if set(m[0]) - set("+-0."):
                    return Reading(None, "spaces between digits", certain=False)
                odd.append("spaces between digits")
            else:
                m = self._glued(t)
                lookalike = grammars.regex(_LOOKALIKE)
                if m is None:
                    if lookalike.search(t) and any(ch.isdigit() for ch in t):
                        return Reading(None, f"{t!r}: letters among the digits may stand for digits", certain=False)
                    return Reading(None, "not a number", certain=False)
                if lookalike.match(t[m.end() :]) or lookalike.match(t[: m.start()][::-1]):
                    return Reading(None, f"{t!r}: a letter beside the digits may stand for a digit", certain=False)
                odd.append(f"glued to {(t[: m.start()] + t[m.end() :]).strip()!r}")
        # NUMBER is digits then an optional unit (万元, 件 …), which has no digits.
        cut = max(i for i, ch in enumerate(m[0]) if ch.isdigit()) + 1
        number, unit = m[0][:cut], m[0][cut:]
        if amount and unit == "元":  # 万元 is the column's unit: the amount is exact in it
            return Reading(Decimal(number).scaleb(-4), "written in 元: converted to 万元")
        if unit and unit not in (_AMOUNT_UNITS if amount else _COUNT_UNITS):
            return Reading(None, f"unit {unit} in {'an amount' if amount else 'a count'} column", certain=False)
        digits = number.lstrip("+-")
        if len(digits) > 1 and digits.startswith("0") and not digits.startswith("0."):
            odd.append("leading zero")
        if number.startswith("-") and not signed:
            odd.append("negative")
        decimal = Decimal(number)
        if amount:
            return Reading(decimal, "; ".join(odd) or None)
        if decimal != decimal.to_integral_value():
            return Reading(None, "a fraction in a count column", certain=False)
        if "." in number:
            odd.append("decimal point in a count column")
        return Reading(int(decimal), "; ".join(odd) or None)
