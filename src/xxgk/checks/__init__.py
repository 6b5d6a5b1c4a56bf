"""Stage 4 — the consistency rules (勾稽关系) over a parsed report, and across one agency's years: the entry points are
:func:`xxgk.checks.validate.validate` and :func:`~xxgk.checks.validate.validate_series`.  Modules: :mod:`.arithmetic`
(identities, errors), :mod:`.plausibility` and :mod:`.prose` (warnings), :mod:`.series` (two reports)."""
