"""``xxgk repl``: the grammar-debugging prompt — the command (:mod:`.command`), the prompt (:mod:`.prompt`), its
commands (:mod:`.session`), grammar files being edited (:mod:`.workspace`) and the parser questions
(:mod:`.parsing`)."""
