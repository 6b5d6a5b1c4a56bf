"""Questions to an LALR parse table, asked without disturbing the parser: would it take these terminals now?

The stage lexers (segment.py, statutory.py) choose a token by what the parser can take next.  LALR tables may
reduce on a terminal that fails a few reductions later, so a lookup in the current state is not enough: the
terminals are run through Lark's parse table on a copy of the state *stack* — not a copy of the parser state, whose
tree builder would reuse the real parse tree's child lists, and which costs a tree callback per reduction.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from lark.parsers.lalr_analysis import Shift

END = "$END"


def shift(conf: Any, stack: list[Any], terminal: str) -> bool:
    """Run ``terminal`` through the parse table ``conf`` (a Lark ``ParseConf``) on ``stack``, in place: reduce as
    the table says, then shift (for ``$END``: reduce up to the start rule).  False when the table has no action on
    the way; ``stack`` is then left half-walked, so callers walk a copy."""
    states = conf.states
    while True:
        action = states[stack[-1]].get(terminal)
        if action is None:
            return False
        kind, arg = action
        if kind is Shift:
            stack.append(arg)
            return True
        del stack[len(stack) - len(arg.expansion) :]
        stack.append(states[stack[-1]][arg.origin.name][1])
        if terminal == END and stack[-1] == conf.end_state:
            return True


def fits(parser_state: Any, terminals: Sequence[str]) -> bool:
    """Would the parser in ``parser_state`` (a Lark ``ParserState``) take ``terminals``, in this order, next?"""
    conf = parser_state.parse_conf
    action = conf.states[parser_state.position].get(terminals[0])
    if action is None:
        return False
    if len(terminals) == 1 and action[0] is Shift:
        return True
    stack = list(parser_state.state_stack)
    return all(shift(conf, stack, terminal) for terminal in terminals)


def accepts(conf: Any, stack: list[Any], wanted: Any = str.isupper) -> set[str]:
    """The terminals the parser with state ``stack`` can take next, of those whose name ``wanted`` approves."""
    return {name for name in conf.states[stack[-1]] if (name == END or wanted(name)) and shift(conf, list(stack), name)}
