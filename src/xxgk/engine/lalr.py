"""Questions to an LALR parse table, asked without disturbing the parser: would it take these terminals now?

This module is the one place that knows Lark's internals (its parse table, its parser state, its lexer
configuration): the stages ask it small, typed questions, and everything else they use of Lark is its public API
(``Lark.parse``, ``on_error``, the interactive parser's ``feed_token``, ``Transformer``, ``Token``, ``Tree``).  Each
use of the driver below has a differential property test against Lark's own parse (``tests/engine/test_lalr.py``,
``tests/tables/test_differential.py``), so a Lark upgrade that changes what these internals mean fails there.
Longer than 400 lines because it is that one place: splitting it would spread Lark's internals over two
modules; each section below is one kind of question (the parse table, the driver, a stage lexer's parser state,
the REPL's interactive parser).

The stage lexers (document/lexer.py, tables/cells.py) choose a token by what the parser can take next.  LALR
tables may reduce on a terminal that fails a few reductions later, so a lookup in the current state is not enough: the
terminals are run through Lark's parse table on a copy of the state *stack* — not a copy of the parser state, whose
tree builder would reuse the real parse tree's child lists, and which costs a tree callback per reduction.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Callable, Hashable, Iterator, Sequence
from functools import partial
from operator import itemgetter
from typing import Any, NamedTuple, TypeAlias

from lark import Lark, Token, Transformer, Tree, UnexpectedInput
from lark.exceptions import UnexpectedToken
from lark.lexer import Lexer, LexerState
from lark.load_grammar import load_grammar
from lark.parse_tree_builder import ChildFilterLALR_NoPlaceholders, ParseTreeBuilder
from lark.parser_frontends import ParsingFrontend
from lark.parsers.lalr_analysis import Reduce, Shift
from lark.parsers.lalr_interactive_parser import InteractiveParser
from lark.parsers.lalr_parser_state import ParseConf

from xxgk.engine import grammars

END = "$END"

_new_str = str.__new__


def new_token(
    type: str,
    value: Any,
    start_pos: int | None,
    line: int | None,
    column: int | None,
    end_line: int | None,
    end_column: int | None,
    end_pos: int | None,
) -> Token:
    """``Token(type, value, start_pos, line, column, end_line, end_column, end_pos)``: what Lark's constructor does
    once it has checked its keywords for a deprecated name (its ``_future_new``), without that classmethod's
    ``super()`` lookup — a third of its cost, and the stage lexers make a token per line and per cell.  Every slot
    of ``Token`` is set (``tests/engine/test_lalr.py`` holds it to Lark's constructor, slot by slot)."""
    token: Token = _new_str(Token, value)
    token.type = type
    token.start_pos = start_pos
    token.value = value
    token.line = line
    token.column = column
    token.end_line = end_line
    token.end_column = end_column
    token.end_pos = end_pos
    return token


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


def accepts(conf: Any, stack: list[Any], wanted: Any = str.isupper) -> set[str]:
    """The terminals the parser with state ``stack`` can take next, of those whose name ``wanted`` approves."""
    return {name for name in conf.states[stack[-1]] if (name == END or wanted(name)) and shift(conf, list(stack), name)}


def fits_stack(conf: Any, stack: list[Any], terminals: Sequence[str]) -> bool:
    """Would a parser with the state ``stack`` (left as it is) on the parse table ``conf`` take ``terminals``, in this
    order, next?"""
    walk = list(stack)
    return all(shift(conf, walk, terminal) for terminal in terminals)


class Step(NamedTuple):
    """What taking a terminal does (:meth:`Stacks.take`): the stack reached, and the tree callbacks to run."""

    terminal: str
    number: int  # the stack reached
    reductions: tuple[tuple[int, Callable[[list[Any]], Any]], ...]  # each rule reduced: its length, its callback
    shifted: Callable[[Any], Any] | None  # the terminal's callback (None: the value is shifted as it is)
    end: bool  # $END: nothing is shifted, the start rule's tree is the top value


_UNSEEN = object()


class Stacks:
    """Lark's parse table read as an automaton over whole state stacks, built as it is walked.

    A parser that keeps taking the same kind of input (the statutory tables are one fixed form) goes through the
    same few stacks over and over; each stack gets a number, and what a terminal does to it — the rules reduced on
    the way and the stack reached — is worked out once with :func:`shift` and then looked up.
    """

    def __init__(self, conf: Any) -> None:
        self.conf = conf
        self.start = 0
        self._stacks: list[tuple[Any, ...]] = [(conf.start_state,)]
        self._numbers: dict[tuple[Any, ...], int] = {self._stacks[0]: 0}
        # Steps by the tuple of candidates (take) or by a single terminal (take_one), grown as stacks are numbered.
        self._steps: list[dict[tuple[str, ...] | str, Step | None]] = []
        self._symbols: dict[Any, str] | None = None
        self._stuck: dict[tuple[int, str], Step] = {}  # stuck, by stack and terminal
        self._expected: dict[int, frozenset[str]] = {}

    def take(self, number: int, terminals: tuple[str, ...]) -> Step | None:
        """The first of ``terminals`` the parser with stack ``number`` takes (for ``$END``: by reducing up to the
        start rule), and what that does; None when it takes none of them."""
        try:
            steps = self._steps[number]
        except IndexError:
            steps = self._grow(number)
        if terminals not in steps:
            steps[terminals] = next(filter(None, (self._walk(number, t) for t in terminals)), None)
        return steps[terminals]

    def take_one(self, number: int, terminal: str) -> Step | None:
        """:meth:`take` for a single terminal (a lexer's token), without building the tuple of candidates."""
        try:
            steps = self._steps[number]
        except IndexError:
            steps = self._grow(number)
        step = steps.get(terminal, _UNSEEN)
        if step is _UNSEEN:
            step = steps[terminal] = self._walk(number, terminal)
        return step  # type: ignore[return-value]

    def _grow(self, number: int) -> dict[tuple[str, ...] | str, Step | None]:
        """The steps of stack ``number``, numbered since this automaton last grew."""
        self._steps.extend({} for _ in range(len(self._steps), len(self._stacks)))
        return self._steps[number]

    def number(self, stack: Sequence[Any]) -> int:
        """The number of the state stack ``stack`` (a parser's ``state_stack``), given it now if it is new."""
        key = tuple(stack)
        found = self._numbers.get(key)
        if found is None:
            found = self._numbers[key] = len(self._stacks)
            self._stacks.append(key)
        return found

    def accepts(self, number: int, wanted: Callable[[str], bool]) -> set[str]:
        """:func:`accepts` for stack ``number``: the terminals it can take next, of those ``wanted`` approves."""
        return {
            name
            for name in self.conf.states[self._stacks[number][-1]]
            if (name == END or wanted(name)) and self.take_one(number, name) is not None
        }

    @classmethod
    def of(cls, source: Any) -> Stacks:
        """The stack automaton of a Lark LALR parser (a :class:`~lark.Lark`), or of the parse table that a parser
        runs on: the table a :data:`Position` gives, or an interactive parser's (``on_error``)."""
        if isinstance(source, Lark):
            frontend = source.parser.parser.parser
            return cls(ParseConf(frontend.parse_table, frontend.callbacks, source.options.start[0]))
        if isinstance(source, ParseConf):
            return cls(source)
        return cls(_state(source).parse_conf)

    def number_of(self, parser: Any) -> int:
        """:meth:`number` of the state stack of ``parser``: a parser state, an interactive parser or a :class:`Driver`
        on this automaton."""
        if isinstance(parser, Driver) and parser.stacks is self:
            return parser.number
        return self.number(_state(parser).state_stack)

    def symbols(self) -> set[str]:
        """Every symbol (terminal, or rule by its goto) some state of the table has an action on, as plain strings."""
        return {str(name) for actions in self.conf.states.values() for name in actions}

    def actions(self, number: int) -> set[str]:
        """The symbols the state on top of stack ``number`` has an action on (a terminal listed may still fail a few
        reductions later: :meth:`take_one` says for sure)."""
        return {str(name) for name in self.conf.states[self._stacks[number][-1]]}

    def symbol(self, number: int) -> str | None:
        """The symbol on top of stack ``number`` — the terminal the parser took last, or the rule it reduced last —
        None on the start state (:func:`accessing_symbols`)."""
        if self._symbols is None:
            self._symbols = accessing_symbols(self.conf)
        return self._symbols.get(self._stacks[number][-1])

    def stack(self, number: int) -> tuple[Any, ...]:
        """The parser states of stack ``number``, bottom first."""
        return self._stacks[number]

    def stuck(self, number: int, terminal: str) -> Step:
        """What Lark's parser does to stack ``number`` on a ``terminal`` it does not take (:meth:`take_one` is None):
        the rules it reduces before it finds no action, and the stack it is left with (``end``: nothing shifted)."""
        key = (number, terminal)
        step = self._stuck.get(key)
        if step is None:
            step = self._stuck[key] = self._run(number, terminal)[0]
        return step

    def expected(self, number: int) -> frozenset[str]:
        """The terminals the state on top of stack ``number`` has an action on (what Lark's ``UnexpectedToken``
        lists as expected)."""
        found = self._expected.get(number)
        if found is None:
            found = self._expected[number] = frozenset(
                s for s in self.conf.states[self._stacks[number][-1]] if s.isupper()
            )
        return found

    def _walk(self, number: int, terminal: str) -> Step | None:
        step, taken = self._run(number, terminal)
        return step if taken else None

    def _run(self, number: int, terminal: str) -> tuple[Step, bool]:
        states, callbacks = self.conf.states, self.conf.callbacks
        stack = list(self._stacks[number])
        reductions: list[tuple[int, Callable[[list[Any]], Any]]] = []
        while True:
            kind, arg = states[stack[-1]].get(terminal, (None, None))
            if kind is None:
                return Step(terminal, self.number(stack), tuple(reductions), None, True), False
            if kind is Shift:
                stack.append(arg)
                break
            reductions.append((len(arg.expansion), callbacks[arg]))
            del stack[len(stack) - len(arg.expansion) :]
            stack.append(states[stack[-1]][arg.origin.name][1])
            if terminal == END and stack[-1] == self.conf.end_state:
                break
        return Step(terminal, self.number(stack), tuple(reductions), callbacks.get(terminal), terminal == END), True


def accessing_symbols(conf: Any) -> dict[Any, str]:
    """Each parser state of the parse table ``conf`` with the symbol every move into it takes — unique in an LR
    automaton, so a state stack spells the symbols on the parser's stack (terminals and the rules reduced so far)."""
    symbols: dict[Any, str] = {}
    for actions in conf.states.values():
        for symbol, (kind, state) in actions.items():
            # Lark keeps the goto of a rule as a shift on the rule's name.
            if kind is Shift and symbols.setdefault(state, symbol) != symbol:
                raise ValueError(f"state {state} is entered by {symbols[state]} and by {symbol}")
    return symbols


def feed(values: list[Any], step: Step, value: Any) -> None:
    """Build on ``values`` as Lark's parser does for a :meth:`Stacks.take`: each rule's tree by the parser's own
    callbacks, then ``value`` shifted (not for ``$END``: the start rule's tree is then ``values[-1]``)."""
    for size, callback in step.reductions:
        children = values[len(values) - size :]
        del values[len(values) - size :]
        values.append(callback(children))
    if not step.end:
        values.append(value if step.shifted is None else step.shifted(value))


class Driver:
    """Lark's LALR parse of a custom lexer's tokens with ``on_error`` — ``Lark.parse(text, on_error=…)`` for a parser
    built with ``lexer=`` a :class:`StateLexer` — run on the parse table's stack automaton (:class:`Stacks`): one
    lookup per token for the reductions and the shift in place of Lark's walk of the table, and no interactive
    parser or lexer thread made anew at every cell that the error handler skips.

    It builds no tree: it says what the parse shifted — each token taken, in order, with the number of the stack it
    reached (:attr:`shifts`) — for the caller to read off the stacks what the tree would say (the table recovery:
    :func:`xxgk.tables.tree.parsed`, where each value goes); a tree's callbacks were most of a parse's cost.  The
    handler gets what Lark's ``on_error`` reads of its ``UnexpectedToken``: the token and, as the interactive parser,
    this driver (:meth:`feed_token`, and the stack, as :meth:`Stacks.number_of` reads it); the loop resumes as Lark's
    does (the lexer going on from where it stands, ``$END`` at the last token's place, a second ``$END`` error in a
    row raised).

    The lexer runs the parse's token loop itself (``run``, given the driver): it makes each token for the parser's
    state as it stands (:attr:`number`, the number of its stack), looks up the step the automaton takes on it
    (:meth:`Stacks.take_one`) and shifts it (:attr:`shifts`, :attr:`number`); it yields each token the parser does
    not take, after the reductions Lark makes before it finds no action (:meth:`Stacks.stuck`), and goes on, once
    the handler got past it, from the parser's state as the handler left it, up to the end of its input; it keeps
    :attr:`last`, the last token it made that has text.  A lexer that knows both its choice of token and the step
    taken on it per stack looks them up together: one loop, left only where the parse meets an error.  The
    differential test of the statutory tables (``read_cell_stream(…, reference=True)``) holds what is read off the
    shifts to Lark's own tree, which Lark's parse builds of the lexer's Lark interface."""

    def __init__(self, stacks: Stacks, run: Callable[[Driver], Iterator[Token]]) -> None:
        self.stacks = stacks
        self.parse_conf = stacks.conf
        self.number = stacks.start
        self.shifts: list[tuple[Token, int]] = []
        self.last: Token | None = None  # Lark's LexerState.last_token: the last token lexed that has text
        self._run = run

    @property
    def parser_state(self) -> Driver:
        """Lark's parser state is the interactive parser's ``parser_state``; here both are the driver."""
        return self

    @property
    def state_stack(self) -> tuple[Any, ...]:
        return self.stacks.stack(self.number)

    def feed_token(self, token: Token) -> None:
        """Lark's ``InteractiveParser.feed_token``: the token taken (its reductions and shift, or for ``$END`` the
        reductions up to the start rule), or ``UnexpectedToken`` raised after the reductions Lark makes before it
        finds no action."""
        step = self.stacks.take_one(self.number, token.type)
        if step is None:
            raise self._stuck(token)
        self.number = step.number
        if not step.end:
            self.shifts.append((token, step.number))

    def _stuck(self, token: Token, interactive: Driver | None = None) -> UnexpectedToken:
        """The reductions Lark's parser makes on a ``token`` it does not take before it finds no action, made; the
        error it then raises (``interactive``: its interactive parser, as Lark's parse loop gives the handler)."""
        self.number = self.stacks.stuck(self.number, token.type).number
        return self._error(token, interactive)

    def _error(self, token: Token, interactive: Driver | None = None) -> UnexpectedToken:
        """The ``UnexpectedToken`` Lark's parser raises on ``token`` in the state the driver stands in."""
        expected = set(self.stacks.expected(self.number))
        return UnexpectedToken(token, expected, state=self, interactive_parser=interactive)  # type: ignore[no-untyped-call]

    def parse(self, recover: Callable[[Token, Driver], bool]) -> list[tuple[Token, int]]:
        """The shifts of the parse of the lexer's tokens up to the start rule, with Lark's error handling and
        ``recover`` as its ``on_error``: given the token the parser does not take (after the reductions Lark makes
        before it finds no action) and this driver as the parser to feed, True to resume the parse, False to raise
        the ``UnexpectedToken`` Lark would.  The handler is called as ``on_error(error)`` would be, less the error
        object, which Lark's handler reads only for its token and interactive parser (an error made and dropped at
        every cell skipped)."""
        stuck = self._resume(tokens := self._run(self))
        previous: Token | None = None
        while stuck is not None:
            if previous is not None and previous.type == stuck.type == END:
                raise self._error(stuck, self)  # as Lark: the handler did not get past the end
            previous = stuck
            if not recover(stuck, self):
                raise self._error(stuck, self)
            stuck = self._resume(tokens)
        return self.shifts

    def _resume(self, tokens: Iterator[Token]) -> Token | None:
        """Lark's ``parse_from_state`` (with ``StateLexer.lex``): the lexer's tokens from where it stands, then
        ``$END``; where Lark would raise ``UnexpectedToken``, its reductions made and the token returned.

        Lark restarts the lexer after an error the handler got past; the lexer's ``run`` goes on from where it
        stands with the parser's state afresh, which is that restart, without the cost."""
        shifted = len(self.shifts)
        stuck = next(tokens, None)
        if stuck is not None:
            return stuck
        # $END takes the place of the last token lexed since the parse resumed (all of them taken, so shifted),
        # else of the last with text before (Lark's parse_from_state).
        token = self.shifts[-1][0] if len(self.shifts) > shifted else self.last
        end = Token.new_borrow_pos(END, "", token) if token else Token(END, "", 0, 1, 1)
        step = self.stacks.take_one(self.number, END)
        if step is None:
            self.number = self.stacks.stuck(self.number, END).number
            return end
        self.number = step.number
        return None


def embedded(parser: Lark, transformer: Transformer[Any, Any]) -> dict[Any, Callable[[list[Any]], Any]]:
    """The tree callbacks of ``parser``'s rules with ``transformer`` embedded, as ``Lark(…, transformer=…)`` builds
    them (LALR: no ambiguity): each rule reduced by the transformer's method of its name, or its ``__default__`` —
    except an inlined rule (``_name``) the transformer has no method for, which is a tree, as Lark builds it
    without a transformer: its parent expands it by its children (Lark would hand it to ``__default__``, which
    must then make a tree too, and a ``__default__`` of one's own need not care)."""
    options = parser.options
    # Lark has no types here.
    builder = ParseTreeBuilder(  # type: ignore[no-untyped-call]
        parser.rules, options.tree_class or Tree, options.propagate_positions, False, options.maybe_placeholders
    )
    callbacks: dict[Any, Callable[[list[Any]], Any]] = builder.create_callback(transformer)  # type: ignore[no-untyped-call]
    trees: dict[Any, Callable[[list[Any]], Any]] = builder.create_callback(None)  # type: ignore[no-untyped-call]
    for rule in callbacks:
        name = rule.alias or rule.options.template_source or rule.origin.name
        if name.startswith("_") and not hasattr(transformer, name):
            callbacks[rule] = trees[rule]
    return callbacks


# --- what a stage's lexer and error handler ask of Lark's parser ---------------------------------------------------


def _state(parser: Any) -> Any:
    """Lark's parser state, from itself or from an interactive parser."""
    return getattr(parser, "parser_state", parser)


def lexer_of(parser: Lark) -> Any:
    """The custom lexer instance ``parser`` (built with ``lexer=`` a :class:`StateLexer` class) lexes with."""
    lexer = parser.parser.lexer
    return getattr(lexer, "lexer", lexer)


def rules(parser: Lark) -> dict[str, list[tuple[tuple[str, bool], ...]]]:
    """The rules of ``parser``'s grammar after Lark's expansion: each rule name with its expansions, each a tuple
    of (symbol name, is a terminal), in the order the grammar lists them."""
    out: dict[str, list[tuple[tuple[str, bool], ...]]] = {}
    for rule in parser.rules:
        out.setdefault(rule.origin.name, []).append(tuple((sym.name, sym.is_term) for sym in rule.expansion))
    return out


# --- for engine/grammars.py: a loaded parser kept whole in the user's cache ---


def reduced(obj: object) -> Any:
    """How a parser as :meth:`Lark.load` makes it is pickled whole (:mod:`xxgk.engine.grammars`, a pickler's
    ``reducer_override``) where a copy would not do: its parse table's actions as the two singletons Lark tells apart
    by identity (by name, as pickle refers to a class), and its parsing frontend as the call of Lark's constructor
    that :meth:`Lark.load` makes it by, so that the lexer is made anew in the process that reads it (a stage lexer's
    caches belong to the process).  ``NotImplemented``: pickled as it is."""
    if obj is Shift:
        return "Shift"
    if obj is Reduce:
        return "Reduce"
    if isinstance(obj, ParsingFrontend):
        return ParsingFrontend, (obj.lexer_conf, obj.parser_conf, obj.options, obj.parser)
    return NotImplemented


grammars.keep_whole(reduced)


# --- for repl/ ---
# The grammar-debugging REPL (src/xxgk/repl/) shows what Lark's interactive parser is doing: its state, the terminals
# it takes, its LR items.  Lark offers ``InteractiveParser.accepts()`` but tests ``name.isupper()``, which drops every
# terminal a grammar imports (namespaced in lower case, ``table_common__NUM``); the rest has no public door.  These
# functions are those doors, so that the REPL names nothing of Lark's internals.

Interactive: TypeAlias = InteractiveParser
"""What ``Lark.parse_interactive`` returns and an LALR ``UnexpectedInput.interactive_parser`` carries (Lark does not
export the class at its top level)."""


def interactive_accepts(parser: Interactive, wanted: Callable[[str], bool]) -> set[str]:
    """:func:`accepts` for an interactive parser, left as it is: the terminals it can take next (``$END`` included),
    of those whose name ``wanted`` approves."""
    state = parser.parser_state
    return accepts(state.parse_conf, state.state_stack, wanted)


def error_accepts(error: UnexpectedInput, wanted: Callable[[str], bool]) -> set[str] | None:
    """:func:`accepts` for the parser state an LALR ``UnexpectedToken`` or ``UnexpectedEOF`` carries; None when the
    error carries none (an Earley error, a lexer error)."""
    state = getattr(error, "state", None)
    conf = getattr(state, "parse_conf", None)
    if state is None or conf is None:
        return None
    return accepts(conf, state.state_stack, wanted)


def position(parser: Interactive) -> Hashable:
    """The LALR state the interactive parser is in (the top of its state stack)."""
    state: Hashable = parser.parser_state.position
    return state


def value_stack(parser: Interactive) -> list[Any]:
    """The interactive parser's value stack, bottom first: its tokens and the trees of the rules reduced so far."""
    return list(parser.parser_state.value_stack)


def tokens(parser: Interactive) -> Iterator[Token]:
    """The tokens the interactive parser's lexer makes of the rest of its input, each lexed in the parser state of
    the moment (the contextual lexer's choice), without feeding them: the caller feeds them one by one."""
    lexed: Iterator[Token] = parser.lexer_thread.lex(parser.parser_state)  # type: ignore[no-untyped-call]
    return lexed


class Item(NamedTuple):
    """A dotted rule of an LR item set: ``rule`` with its expansion ``symbols`` and the dot before ``symbols[dot]``."""

    rule: str
    symbols: tuple[str, ...]
    dot: int


def state_numbers(parser: Interactive) -> dict[Hashable, int]:
    """Numbers for the parser's LALR states that do not change from run to run (Lark's own depend on set order): the
    states sorted by their kernel items, so the start state is 0.  The parser must be built with ``debug=True``."""
    states = parser.parser_state.parse_conf.parse_table.states
    return {s: i for i, s in enumerate(sorted(states, key=lambda s: sorted(str(rp) for rp in s if rp.index > 0)))}


def kernel_items(parser: Interactive) -> list[tuple[Item, ...]] | None:
    """For each state on the parser's stack, bottom first, its kernel items (the dot past the start) in a stable
    order; None when the states are not item sets (a parser built without ``debug=True``)."""
    kernels: list[tuple[Item, ...]] = []
    for state in parser.parser_state.state_stack:
        if not isinstance(state, frozenset):
            return None
        kernel = sorted((rp for rp in state if rp.index > 0), key=str)
        kernels.append(
            tuple(Item(rp.rule.origin.name, tuple(s.name for s in rp.rule.expansion), rp.index) for rp in kernel)
        )
    return kernels


def definitions(text: str, path: str, import_paths: Sequence[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The rules and terminals that the grammar ``text`` (read from ``path``) defines itself, in their order, without
    those it imports; Lark's ``LarkError`` when the grammar does not load.  Unlike building a ``Lark``, this needs no
    start rule and keeps rules no start rule reaches."""
    grammar, _ = load_grammar(text, path, list(import_paths), False)  # type: ignore[no-untyped-call]
    rules = tuple(r[0] for r in grammar.rule_defs if "__" not in r[0])
    terminals = tuple(t[0] for t in grammar.term_defs if "__" not in t[0])
    return rules, terminals


# --- for document/ (and the cell lexer of tables/) ---
# The document stage's questions to Lark's internals: its line lexer is a Lark custom lexer that reads the parser's
# state, and its fast parse runs on the parse table of the parser Lark built.  The statutory tables' cell lexer is
# such a lexer too.


class Terminal(NamedTuple):
    """A terminal as a custom lexer is given it: its name, priority and pattern as a regular expression."""

    name: str
    priority: int
    regexp: str


# What a :class:`StateLexer` asks the parser, as it is now: the parse table (for :func:`shift`, :func:`fits_stack`)
# and the parser's state stack, bottom first.
Position = Callable[[], tuple[Any, tuple[Any, ...]]]


class StateLexer(Lexer):
    """A custom Lark lexer that chooses each token by what the parser can take in its current state.

    Lark builds it from the grammar (:meth:`setup` gets the terminals and the names of the %ignore'd ones) and asks
    it for tokens with the parser's state, which reaches :meth:`tokens` as a :data:`Position`; the fast parse of a
    stage (:func:`lark_parts`) hands it its own."""

    __future_interface__ = 2  # Lark passes lex() the parser's state

    def __init__(self, conf: Any) -> None:
        terminals = [Terminal(t.name, t.priority, t.pattern.to_regexp()) for t in conf.terminals]
        self.setup(terminals, frozenset(conf.ignore))

    @abstractmethod
    def setup(self, terminals: list[Terminal], ignore: frozenset[str]) -> None:
        """Build the lexer from the grammar's ``terminals`` (``ignore``: the names of the %ignore'd ones)."""

    @abstractmethod
    def tokens(self, text: Any, position: Position) -> Iterator[Token]:
        """The tokens of ``text`` (what the parser was given to parse), for the parser at ``position``."""

    def lex(self, lexer_state: LexerState, parser_state: Any) -> Iterator[Token]:
        for token in self.tokens(lexer_state.text, lambda: (parser_state.parse_conf, tuple(parser_state.state_stack))):
            # A token with a negative start stands for no text (one the lexer supplies, the cell lexer's GAP): the
            # position Lark borrows for $END when a recovery resumes the parse stays the last real token's.
            if token.start_pos is None or token.start_pos >= 0:
                lexer_state.last_token = token
            yield token


@grammars.derived
def lark_parts(parser: Lark, transformer: Transformer[Any, Any] | None = None) -> tuple[Any, Stacks]:
    """The lexer instance of ``parser`` (a Lark LALR parser with a custom lexer), and its parse table as
    :class:`Stacks` whose steps build the trees Lark's parser builds — or, with ``transformer``, reduce each rule
    by its method as Lark's embedded transformer does, the inlined rules as lists (:func:`inlined_as_lists`)."""
    frontend = parser.parser
    lalr_parser = frontend.parser
    callbacks = lalr_parser.parser.callbacks if transformer is None else inlined_as_lists(parser, transformer)
    conf = ParseConf(lalr_parser._parse_table, callbacks, frontend.parser_conf.start[0])
    return frontend.lexer, Stacks(conf)


def inlined_as_lists(parser: Lark, transformer: Transformer[Any, Any]) -> dict[Any, Callable[[list[Any]], Any]]:
    """:func:`embedded`'s callbacks, for a parse that hands its values to nothing but them: an inlined rule
    (``_name``, no method of the transformer) is the list of its children rather than a tree, which its parent
    took apart again (a tree made and a wrapper called per reduction, a document's parse makes some 65).  Each
    rule keeps Lark's filter — which children it keeps and which it expands — and its method; the parent takes an
    inlined child's list in as Lark takes in the tree's children.  :func:`embedded`'s callbacks where a rule's are
    of a shape not known here (a ``?rule``, positions propagated, placeholders)."""
    callbacks = embedded(parser, transformer)
    lists: dict[Any, Callable[[list[Any]], Any]] = {}
    for rule, callback in callbacks.items():
        include: list[tuple[int, bool]] | None = None
        if type(callback) is ChildFilterLALR_NoPlaceholders:
            include, callback = callback.to_include, callback.node_builder
        name = rule.alias or rule.options.template_source or rule.origin.name
        inlined = name.startswith("_") and not hasattr(transformer, name)
        if inlined and not (isinstance(callback, partial) and callback.func is Tree):
            return callbacks
        if not inlined and getattr(callback, "__self__", None) is not transformer:
            return callbacks  # not the transformer's method as it is: some wrapper of Lark's
        gather = _gather(tuple(include) if include is not None else None)
        lists[rule] = gather if inlined else _then(gather, callback)
    return lists


def _gather(include: tuple[tuple[int, bool], ...] | None) -> Callable[[list[Any]], list[Any]]:
    """Lark's ``ChildFilterLALR_NoPlaceholders`` on children whose inlined ones are lists: the children at the
    indices ``include`` names, those marked expanded by their own children (None: all, as they are).  Like Lark's,
    it may take over the list of an expanded first child."""
    if include is None:
        return _same
    if include == ((0, True),):
        return itemgetter(0)
    if include == ((0, True), (1, False)):  # left recursion: a list and one more
        return _append
    if include == ((0, False), (1, True)):  # a heading and its body
        return _prepend

    def gather(children: list[Any]) -> list[Any]:
        kept: list[Any] = []
        for index, expand in include:
            if not expand:
                kept.append(children[index])
            elif kept:
                kept += children[index]
            else:
                kept = children[index]
        return kept

    return gather


def _same(children: list[Any]) -> list[Any]:
    return children


def _append(children: list[Any]) -> list[Any]:
    kept: list[Any] = children[0]
    kept.append(children[1])
    return kept


def _prepend(children: list[Any]) -> list[Any]:
    return [children[0], *children[1]]


def _then(gather: Callable[[list[Any]], list[Any]], method: Callable[[list[Any]], Any]) -> Callable[[list[Any]], Any]:
    if gather is _same:
        return method
    return lambda children: method(gather(children))


def taken_only_at_start(stacks: Stacks, terminal: str) -> bool:
    """Whether the parse table of ``stacks`` has an action on ``terminal`` in its start state and in no other."""
    conf = stacks.conf
    return [state for state, actions in conf.states.items() if terminal in actions] == [conf.start_state]
