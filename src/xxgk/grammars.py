"""Loading the ``.lark`` files shipped in the package: one lazily built, cached parser per (grammar, options).

The grammar files live in the top-level ``grammars/`` folder of the repository and are installed as
``xxgk/grammars`` (a symlink in the source tree, real files in the wheel), so they are always found through the
package loader (Lark's ``open_from_package``) — never through a path relative to a checkout.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar, cast

from lark import Lark
from lark.exceptions import GrammarError as LarkGrammarError

from xxgk.errors import GrammarError

PACKAGE = "xxgk"
FOLDER = "grammars"

F = TypeVar("F", bound=Callable[..., Any])
_DERIVED: list[Callable[[], None]] = []


@functools.cache
def load(name: str, start: str | None = None, **options: Any) -> Lark:
    """Build (once) the Lark parser for ``name.lark``; ``options`` go to :class:`lark.Lark` (default LALR).

    ``%import`` statements inside the grammar resolve against the same package folder.  A broken grammar raises
    :class:`xxgk.errors.GrammarError` naming the file.
    """
    kwargs: dict[str, Any] = {"parser": "lalr", "propagate_positions": False, "maybe_placeholders": False}
    kwargs.update(options)
    if start is not None:
        kwargs["start"] = start
    try:
        return Lark.open_from_package(PACKAGE, f"{name}.lark", (FOLDER,), **kwargs)
    except (LarkGrammarError, FileNotFoundError, OSError) as exc:
        raise GrammarError(str(exc), source=f"grammars/{name}.lark") from exc


def derived(fn: F) -> F:
    """``functools.cache`` for what the stages work out from a loaded grammar (a parser's lexer regexes, its parse
    table as an automaton, where values stand on its stacks): forgotten by :func:`reload` with the parsers, so that
    nothing outlives the grammar it was read from."""
    cached = functools.cache(fn)
    _DERIVED.append(cached.cache_clear)
    return cast(F, cached)


def reload() -> None:
    """Forget every built parser, and all that was worked out from one, so that edited grammar files are read again
    (used by the REPL)."""
    load.cache_clear()
    for clear in _DERIVED:
        clear()
