"""Many reports: files and folders, worker processes, outputs written atomically (:mod:`.batch`), and Dask
collections for a cluster (:mod:`.dask`)."""
