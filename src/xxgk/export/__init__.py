"""Stage 5 — views of a finished report: the JSON contract (:mod:`.report`), the readable summary (:mod:`.summary`),
the long tables' columns (:mod:`.columns`) and rows (:mod:`.longform`)."""
