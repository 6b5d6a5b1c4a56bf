"""The ``xxgk`` command: its parser and sub-commands (``parse`` lives with the batch runner in :mod:`xxgk.scale`)."""
