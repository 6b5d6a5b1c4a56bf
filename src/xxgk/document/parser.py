"""Running the document grammar over a report's lines, two ways that must agree: Lark's own parse
(:func:`lark_parse`, which keeps a line it cannot place through ``on_error`` and goes on), and :func:`fast_parse`,
the same parse on the project's LALR driver (:mod:`xxgk.engine.lalr`) for a report whose every line the grammar
places — the common case.  ``tests/document/test_differential.py`` compares the two on generated documents."""

from __future__ import annotations

from typing import Any, TypeVar, overload

from lark import Lark, Token, Transformer, Tree

from xxgk.document.lexer import LineLexer
from xxgk.document.lines import Lines
from xxgk.engine import grammars, lalr

_T = TypeVar("_T")


def parser() -> Lark:
    """The Lark parser of ``document.lark`` with the line lexer."""
    return grammars.load("document", lexer=LineLexer)


def lark_parse(src: Lines) -> Tree[Token]:
    """Lark's own parse of ``src``: a line the grammar cannot place is kept in ``src.unparsed`` (``on_error``).
    Raises ``lark.exceptions.UnexpectedInput`` where Lark gives up."""
    return parser().parse(src, on_error=src.skip)


@overload
def fast_parse(src: Lines) -> Tree[Token] | None: ...


@overload
def fast_parse(src: Lines, transformer: Transformer[Token, _T]) -> _T | None: ...


def fast_parse(src: Lines, transformer: Transformer[Token, Any] | None = None) -> Any:
    """What :func:`lark_parse` does for a report whose every line the grammar places, on the parse table read as an
    automaton over whole stacks (:class:`lalr.Stacks`): a token is one look-up of the reductions it makes and the
    stack it reaches, worked out once for all reports.  None at the first token the parser does not take, for
    Lark's own loop to keep the line and go on (on a fresh :class:`Lines`: this one's state is spent).

    With ``transformer``, each rule is reduced by its method as Lark's embedded transformer does: what
    ``transformer.transform(tree)`` gives, without the tree (:func:`~xxgk.document.segment`); without, the tree
    itself, which the differential test compares with Lark's."""
    lexer, stacks = _parts(transformer)
    take_one, number = stacks.take_one, stacks.start
    values: list[Any] = []  # not list[Any](): a generic alias made and called at every parse

    def position() -> tuple[Any, tuple[Any, ...]]:
        return stacks.conf, stacks.stack(number)

    for token in lexer.tokens(src, position):
        step = take_one(number, token.type)
        if step is None:
            return None
        _, number, reductions, shifted, _ = step  # one unpacking, not a field look-up each
        # lalr.feed's way, written out: a call less per token.  values[-0:] would be all of it: an empty rule's
        # children are a new list (most rules here are inlined ones of one or two children).
        for size, callback in reductions:
            if size:
                children = values[-size:]
                del values[-size:]
            else:
                children = []
            values.append(callback(children))
        values.append(token if shifted is None else shifted(token))
    step = take_one(number, lalr.END)
    if step is None:
        return None
    lalr.feed(values, step, None)
    return values[-1]


def _parts(transformer: Transformer[Token, Any] | None = None) -> tuple[LineLexer, lalr.Stacks]:
    lexer, stacks = lalr.lark_parts(parser(), transformer)
    assert isinstance(lexer, LineLexer)
    return lexer, stacks


def taken_only_at_start(terminal: str) -> bool:
    """Whether the document grammar takes ``terminal`` at the start of a report and nowhere else (the table run
    relies on it for TITLE_HEAD, :func:`~xxgk.document.table_run.run_pattern`)."""
    return lalr.taken_only_at_start(_parts()[1], terminal)
