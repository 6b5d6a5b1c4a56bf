"""Stage 5 — views of a finished report: the JSON contract, the readable summary, the long tables of cells."""
