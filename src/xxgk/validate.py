"""Stage 4 — consistency rules (勾稽关系) over a parsed Report.

(Placeholder: lands with issue 4.)
"""

from __future__ import annotations

from xxgk.records import Finding, Report


def validate(report: Report) -> tuple[Finding, ...]:
    """Every finding of every rule in SCHEMA.md for ``report``."""
    return ()
