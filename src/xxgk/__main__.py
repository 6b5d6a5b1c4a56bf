"""``python -m xxgk`` is the ``xxgk`` command; :func:`run` is its console script."""

import os
import signal


def run() -> None:
    """Run the ``xxgk`` command: Ctrl-C while it loads ends it quietly with 130, as it does later (once running,
    :func:`xxgk.cli.main.main` catches it, also while it imports the modules of the command asked for)."""
    signal.signal(signal.SIGINT, _interrupted_while_loading)
    from xxgk.cli.main import entry

    signal.signal(signal.SIGINT, signal.default_int_handler)
    entry()


def _interrupted_while_loading(signum: int, frame: object) -> None:
    os._exit(130)  # nothing is open or written yet; what an exception would unwind is half-imported modules


if __name__ == "__main__":
    run()
