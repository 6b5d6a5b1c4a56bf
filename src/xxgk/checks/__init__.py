"""Stage 4 — the consistency rules (勾稽关系) over a parsed report, and across one agency's years."""
