"""``xxgk repl``: the grammar-debugging prompt — the command (:mod:`.command`), the prompt (:mod:`.prompt`), the
session and its commands (:mod:`.session`, :mod:`.inputs`, :mod:`.stages`), what they share and how they show it
(:mod:`.state`, :mod:`.display`), grammar files being edited (:mod:`.workspace`) and the parser questions
(:mod:`.parsing`)."""
