"""``python -m xxgk`` is the ``xxgk`` command; :func:`run` is its console script."""

import gc
import os
import signal
import sys


def run() -> None:
    """Run the ``xxgk`` command: Ctrl-C while it loads ends it quietly with 130, as it does later (once running,
    :func:`xxgk.cli.main.main` catches it)."""
    signal.signal(signal.SIGINT, _interrupted_while_loading)
    # What the command imports lives as long as the process: the cyclic collector would walk it again and again as
    # it grows (7 ms of a one-file run), so it is off while the modules load, and what they made is set aside.
    gc.disable()
    from xxgk.cli.main import entry, load_command

    load_command(sys.argv[1:])
    gc.freeze()
    gc.enable()
    signal.signal(signal.SIGINT, signal.default_int_handler)
    entry()


def _interrupted_while_loading(signum: int, frame: object) -> None:
    os._exit(130)  # nothing is open or written yet; what an exception would unwind is half-imported modules


if __name__ == "__main__":
    run()
