"""Stage 3 — the statutory tables: a table block's serialisation to cells (``grammars/serial_*.lark``), cells to
keyed values by the template's grammar (``grammars/table_*.lark``), and what the identities settle."""
