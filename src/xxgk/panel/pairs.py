"""The findings of two reports of one agency for consecutive years, about the later one: ``applications.carry_over``
(the rule of :mod:`xxgk.checks.validate`, run on the pair), ``panel.template_change`` and ``panel.jump``."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import attrs
from attrs import frozen

from xxgk import schema
from xxgk.checks.validate import validate_series
from xxgk.panel.reports import Cell, cells
from xxgk.records import CellRef, Finding, Report


@frozen
class Jumps:
    """When a change is implausible: the larger of the two values is at least ``floor`` and more than ``factor``
    times the smaller (a smaller value of 0 counts as 1).  Signed columns (本年增/减) are deltas and never jump."""

    factor: Decimal = Decimal(10)
    floor: Decimal = Decimal(20)


DEFAULT_JUMPS = Jumps()


def pair_findings(previous: Report, current: Report, *, jumps: Jumps = DEFAULT_JUMPS) -> tuple[Finding, ...]:
    """The findings of two reports of one agency for consecutive years, about ``current``: carried_over against
    last year's carried_forward (``applications.carry_over``), a change of template, implausible jumps."""
    # validate_series pairs reports by their printed agency; these two are one agency by the caller's key.
    same = [attrs.evolve(previous, agency="·"), attrs.evolve(current, agency="·")]
    carry = validate_series(same)[1]
    before, now = cells(previous), cells(current)
    return (*carry, *_template_change(previous, current, before, now), *_jumps(previous, before, now, jumps))


def _template_change(
    previous: Report, current: Report, before: dict[str, Cell], now: dict[str, Cell]
) -> Iterator[Finding]:
    old, new = previous.template, current.template
    if old == new or old not in schema.TEMPLATES or new not in schema.TEMPLATES:
        return
    alone = sorted(set(before) ^ set(now))
    expected = (old, new) == ("2019", "2021") and current.year == 2021
    refs = tuple(CellRef(p, None, None) for p in alone)
    if expected:
        yield Finding(
            "panel.template_change",
            "uncertain",
            refs,
            None,
            None,
            f"{current.year}年起使用2021版格式(上年为2019版):{len(alone)}个单元格在两年中无对应,不计算变化",
            f"the 2021 format replaced the 2019 one in {current.year}: {len(alone)} cell(s) have no counterpart "
            "in the other year and get no change",
        )
    else:
        yield Finding(
            "panel.template_change",
            "warning",
            refs,
            None,
            None,
            f"{previous.year}年为{old}版格式,{current.year}年为{new}版格式:格式只应在2021年由2019版改为2021版",
            f"{previous.year} follows the {old} format and {current.year} the {new} one: the format changes only "
            "from 2019 to 2021, in 2021",
        )


def _jumps(previous: Report, before: dict[str, Cell], now: dict[str, Cell], jumps: Jumps) -> Iterator[Finding]:
    for path, cell in now.items():
        old = before.get(path)
        if old is None or cell.column in schema.SIGNED_COLUMNS:
            continue
        a, b = cell.value.value, old.value.value
        if a is None or b is None:
            continue
        big, small = sorted((abs(Decimal(a)), abs(Decimal(b))), reverse=True)
        if big < jumps.floor or big <= jumps.factor * max(small, Decimal(1)):
            continue
        yield Finding(
            "panel.jump",
            "warning",
            (
                CellRef(path, a, cell.value.line),
                CellRef(f"{previous.source or previous.year}:{path}", b, old.value.line),
            ),
            b,
            a,
            f"{path}:由{previous.year}年的{b}变为{a},超过{jumps.factor}倍",
            f"{path}: {b} in {previous.year}, {a} now, more than {jumps.factor} times",
        )
