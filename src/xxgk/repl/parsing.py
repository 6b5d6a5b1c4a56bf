"""What the REPL reads out of a Lark parse: the error (what, where, what was expected), the LALR parser's state
(the terminals it accepts, its rule stack, state numbers stable from run to run) and the broken example that fails
the same way.  No output here: :mod:`xxgk.repl.display` and the commands turn these answers into what is shown.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Iterable, Iterator

from lark import Token
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from xxgk.engine import lalr
from xxgk.engine.lalr import Interactive

_TOKEN_SHOWN = 60

# --- errors -----------------------------------------------------------------------------------------------------


def what(error: UnexpectedInput) -> str:
    """What went wrong, in a few words: the unexpected character or token (a prefix of a long one), or the end."""
    if isinstance(error, UnexpectedCharacters):
        return f"unexpected character {error.char!r}"
    if isinstance(error, UnexpectedToken) and error.token.type != "$END":
        text = str(error.token)
        # A token may be a whole table block or paragraph: the caret line shows where it starts, a prefix is enough.
        shown = text if len(text) <= _TOKEN_SHOWN else text[:_TOKEN_SHOWN] + "…"
        return f"unexpected {error.token.type} {shown!r}"
    return "unexpected end of input"


def error_pos(error: UnexpectedInput, end: int) -> int:
    """Offset in the normalised input where ``error`` happened; the end of the input for a premature end."""
    if isinstance(error, UnexpectedToken):
        token = error.token
        if token.type == "$END":
            return token.end_pos if token.end_pos is not None else end
        return token.start_pos if token.start_pos is not None else end
    if isinstance(error, UnexpectedCharacters) and error.pos_in_stream is not None:
        return error.pos_in_stream
    return end


def expected(error: UnexpectedInput) -> Iterable[str]:
    """The terminals ``error`` says were expected: all there is for an Earley error, which carries no parser."""
    if isinstance(error, UnexpectedCharacters):
        return error.allowed or ()
    if isinstance(error, UnexpectedToken | UnexpectedEOF):
        # Lark lists ``name.isupper()`` names only, which drops every terminal a grammar imports (namespaced in
        # lower case): ask the parse table of the state the error carries instead.
        found = lalr.error_accepts(error, _is_terminal)
        return error.expected if found is None else found
    return ()


def _is_terminal(name: str) -> bool:
    return bare(name).isupper()


# --- the LALR parser's state (asked of :mod:`xxgk.engine.lalr`, which alone knows Lark's parser internals) -----


def accepted(ip: Interactive) -> set[str]:
    """The terminals the parser can take next: Lark's ``accepts()``, but also for terminals imported from another
    grammar, whose names are namespaced (``table_common__NUM``; Lark's test is ``name.isupper()``)."""
    return lalr.interactive_accepts(ip, _is_terminal)


def feed_eof(ip: Interactive, last: Token | None) -> object:
    """Lark's ``feed_eof`` (untyped in Lark): end the input after ``last``, the last token fed."""
    return ip.feed_eof(last)  # type: ignore[no-untyped-call]


def lex(ip: Interactive) -> Iterator[Token]:
    """The tokens of the parser's input, lexed as the parser goes (the caller feeds each one)."""
    return lalr.tokens(ip)


def names(symbols: Iterable[str]) -> str:
    """``symbols`` without their namespaces, sorted, on one line."""
    return " ".join(sorted(map(bare, symbols)))


def bare(name: str) -> str:
    """A symbol without the namespaces Lark gives what a grammar imports (``table_common__ROW_GRANTED``), also
    inside the name of an instance of a template (``row{table_common__ROW_PARTIAL,_table_common__v7}`` is
    ``row{ROW_PARTIAL,_v7}``).  Lark's own ``__ANON_0`` and ``__start_star_0`` are left as they are."""
    return _NAMESPACE.sub(r"\1", name)


# A namespace: lower-case words ending in ``__``, at the start of a name or of a template argument, after the ``_``
# of an inlined rule; never the ``__`` that begins Lark's generated names.
_NAMESPACE = re.compile(r"(?<![\w])(_?)(?:[a-z][a-z0-9_]*?__)+(?=\w)")


def value_stack(ip: Interactive) -> str:
    """The parser's value stack on one line: terminal names and rule names."""
    return " ".join(v.type if isinstance(v, Token) else str(getattr(v, "data", v)) for v in lalr.value_stack(ip))


def state_numbers(ip: Interactive) -> dict[Hashable, int]:
    """Numbers for the LALR states that do not change from run to run, the start state 0
    (:func:`xxgk.engine.lalr.state_numbers`)."""
    return lalr.state_numbers(ip)


def state(ip: Interactive) -> Hashable:
    """The LALR state the parser is in, as :func:`state_numbers` numbers it."""
    return lalr.position(ip)


def rule_stack(ip: Interactive) -> list[str]:
    """The rules the LALR parser is inside, from its state stack: one dotted item per state (debug-mode states are
    LR item sets, which is why the REPL builds LALR parsers with ``debug=True``)."""
    items: list[tuple[str, str]] = []
    for kernel in lalr.kernel_items(ip) or []:
        kernel = tuple(item for item in kernel if not item.rule.startswith("$root"))
        if kernel:
            rule, expansion, dot = kernel[0]
            symbols = [bare(s) for s in expansion]
            item = f"{bare(rule)}: {' '.join([*symbols[:dot], '•', *symbols[dot:]])}"
            if items and items[-1][0] == rule:
                items[-1] = (rule, item)  # the same rule further on: keep where it is now
            else:
                items.append((rule, item))
    return [item for _, item in items]


# --- broken examples --------------------------------------------------------------------------------------------


def nearest_example(
    error: UnexpectedInput, parse: Callable[[str], object], examples: dict[str, list[str]]
) -> str | None:
    """The label of the broken example that fails like ``error``: in the same LALR state, on the same terminal if
    one does (else the first in the same state).

    Lark's ``UnexpectedInput.match_examples`` does the same but also compares the depth of the parser stack, so an
    example would only match an error at the same nesting — in a table, in the same row; here only the state counts.
    """
    where = _state_and_token(error)
    if where is None:
        return None
    found = None
    for label, texts in examples.items():
        for text in texts:
            try:
                parse(text)
            except UnexpectedInput as other:
                theirs = _state_and_token(other)
                if theirs == where:
                    return label
                if theirs is not None and theirs[0] == where[0] and found is None:
                    found = label
    return found


def _state_and_token(error: UnexpectedInput) -> tuple[object, str] | None:
    ip: Interactive | None = getattr(error, "interactive_parser", None)
    if ip is None:
        return None
    token = error.token.type if isinstance(error, UnexpectedToken) else "(characters)"
    return lalr.position(ip), token
