"""What the REPL reads out of a Lark parse: the error (what, where, what was expected), the LALR parser's state
(the terminals it accepts, its rule stack, state numbers stable from run to run) and the broken example that fails
the same way.  No output here: :mod:`xxgk.repl.session` turns these answers into what is shown.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from lark import Token
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken
from lark.parsers.lalr_interactive_parser import InteractiveParser

from xxgk.engine import lalr

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
        state = getattr(error, "state", None)
        conf = getattr(state, "parse_conf", None)
        if conf is not None:
            return lalr.accepts(conf, state.state_stack, _is_terminal)  # type: ignore[union-attr]
        return error.expected
    return ()


def _is_terminal(name: str) -> bool:
    return bare(name).isupper()


# --- the LALR parser's state (typed doors into Lark's untyped interactive parser) -------------------------------


def accepted(ip: InteractiveParser) -> set[str]:
    """The terminals the parser can take next: Lark's ``accepts()``, but also for terminals imported from another
    grammar, whose names are namespaced (``table_common__NUM``; Lark's test is ``name.isupper()``)."""
    state = ip.parser_state
    return lalr.accepts(state.parse_conf, state.state_stack, _is_terminal)


def feed_eof(ip: InteractiveParser, last: Token | None) -> object:
    return ip.feed_eof(last)  # type: ignore[no-untyped-call]


def lex(ip: InteractiveParser) -> Iterator[Token]:
    tokens: Iterator[Token] = ip.lexer_thread.lex(ip.parser_state)  # type: ignore[no-untyped-call]
    return tokens


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


def value_stack(ip: InteractiveParser) -> str:
    """The parser's value stack on one line: terminal names and rule names."""
    return " ".join(v.type if isinstance(v, Token) else str(getattr(v, "data", v)) for v in ip.parser_state.value_stack)


def state_numbers(ip: InteractiveParser) -> dict[Any, int]:
    """Numbers for the LALR states that do not change from run to run (Lark's own depend on set order): the states
    sorted by their kernel items, so the start state is 0."""
    states = ip.parser_state.parse_conf.parse_table.states
    return {s: i for i, s in enumerate(sorted(states, key=lambda s: sorted(str(rp) for rp in s if rp.index > 0)))}


def rule_stack(ip: InteractiveParser) -> list[str]:
    """The rules the LALR parser is inside, from its state stack: one dotted item per state (debug-mode states are
    LR item sets, which is why the REPL builds LALR parsers with ``debug=True``)."""
    items: list[tuple[str, str]] = []
    for state in ip.parser_state.state_stack:
        if not isinstance(state, frozenset):
            return []
        kernel = sorted((rp for rp in state if rp.index > 0 and not rp.rule.origin.name.startswith("$root")), key=str)
        if kernel:
            rp = kernel[0]
            symbols = [bare(s.name) for s in rp.rule.expansion]
            item = f"{bare(rp.rule.origin.name)}: {' '.join([*symbols[: rp.index], '•', *symbols[rp.index :]])}"
            if items and items[-1][0] == rp.rule.origin.name:
                items[-1] = (rp.rule.origin.name, item)  # the same rule further on: keep where it is now
            else:
                items.append((rp.rule.origin.name, item))
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
    ip: InteractiveParser | None = getattr(error, "interactive_parser", None)
    if ip is None:
        return None
    token = error.token.type if isinstance(error, UnexpectedToken) else "(characters)"
    return ip.parser_state.position, token
