"""Stage 2 — the document grammar: title, agency, year, the section tree and the table blocks of a report
(``grammars/document.lark``), and where a file holds several reports (:mod:`.concat`)."""
