"""The ``xxgk`` command: :mod:`.main` dispatches to one module per command (:mod:`.parse`, :mod:`.check`,
:mod:`.extract`; ``repl``, ``panel``, ``compare`` and ``view`` live with their packages), importing only the one run."""
