"""Stage 2 — the document grammar (``grammars/document.lark``): title, agency, year and template, the section tree
and the table blocks of a report (:func:`segment`), and where a file holds several reports (:mod:`.concat`).

Modules, in the order the stage runs them: :mod:`.lines` (the input as the lexer reads it), :mod:`.lexer` (one token
per line, with :mod:`.headings`, :mod:`.skeleton` and :mod:`.table_run`), :mod:`.parser` (the fast parse and Lark's),
:mod:`.tree` (parse tree to records), :mod:`.facts` (and :mod:`.template`), :mod:`.api` (the entry point).
"""

from xxgk.document.api import segment

__all__ = ["segment"]
