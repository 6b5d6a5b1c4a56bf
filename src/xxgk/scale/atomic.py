"""Output files that appear only when complete: written under a temporary name beside the target and renamed into
place at the end, removed instead when anything (an error, Ctrl-C) stops the command first."""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

from xxgk.errors import XxgkError
from xxgk.scale import interrupts


@contextlib.contextmanager
def atomic_output(target: Path, *, directory: bool = False) -> Iterator[Path]:
    """A temporary path beside ``target`` that is renamed to it when the block ends normally, removed otherwise.

    With ``directory`` the path is an empty directory (a missing or empty ``target`` directory is replaced).
    """
    prefix = f".{target.name}."
    tmp: Path | None = None
    try:
        # Ctrl-C is held while the temporary path is made (and while it is removed): one that comes meanwhile is
        # raised when the path is known, inside this try, so no moment leaves it behind.
        with interrupts.held():
            tmp = _temporary(target, prefix, directory)
            _PENDING.add(tmp)
        yield tmp
        umask = os.umask(0)
        os.umask(umask)
        # mkstemp and mkdtemp make the path private; the output should be like any other file.
        tmp.chmod((0o777 if directory else 0o666) & ~umask)
        if interrupts.interrupted():  # a Ctrl-C whose KeyboardInterrupt was swallowed on the way: no output
            raise KeyboardInterrupt
        os.replace(tmp, target)
        _PENDING.discard(tmp)
    finally:
        if tmp is not None:
            with interrupts.held():
                _remove(tmp)


# Temporary outputs not yet renamed or removed.  A Ctrl-C can stop a ``with`` statement after the context manager
# made its path but before the statement took it on (ExitStack.enter_context): nothing would then remove the path
# until the garbage collector finalises the generator, so the command removes what is left here when it stops.
_PENDING: set[Path] = set()


def _remove(tmp: Path) -> None:
    if tmp.is_dir():
        shutil.rmtree(tmp, ignore_errors=True)
    else:
        tmp.unlink(missing_ok=True)
    _PENDING.discard(tmp)


def remove_pending() -> None:
    """Remove every temporary output path a stopped command left (see :func:`atomic_output`)."""
    with interrupts.held():
        for tmp in list(_PENDING):
            _remove(tmp)


def _temporary(target: Path, prefix: str, directory: bool) -> Path:
    import tempfile  # only a command that writes a file needs it (it imports random and its seeding)

    try:
        if directory:
            return Path(tempfile.mkdtemp(dir=target.parent, prefix=prefix, suffix=".part"))
        fd, name = tempfile.mkstemp(dir=target.parent, prefix=prefix, suffix=".part")
        os.close(fd)
        return Path(name)
    except OSError as exc:
        raise XxgkError(f"cannot write the output here: {exc.strerror}", source=str(target)) from None
