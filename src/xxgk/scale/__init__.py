"""Many reports: files in, one outcome each (:mod:`.batch`), on worker processes (:mod:`.workers`) that Ctrl-C stops
cleanly (:mod:`.interrupts`), rendered (:mod:`.render`) into outputs written atomically (:mod:`.sinks`,
:mod:`.atomic`); and Dask collections for a cluster (:mod:`.dask`).  Imports flow one way: cli → scale → export."""
