"""What a REPL session holds — the grammar workspace, the start rule and parser, the input — and the questions every
command asks of it: the input normalised, a parser built, the input parsed, a position located in the original.

The input is always kept as the *original* text; every stage normalises it first, and every position shown is a
line:column of the original (of the loaded file, when the input came from ``:load`` or ``:block``).
"""

from __future__ import annotations

from pathlib import Path

from attrs import frozen
from lark import Token, Tree
from lark.exceptions import UnexpectedInput, UnexpectedToken
from rich.console import Console
from rich.text import Text

from xxgk.errors import GrammarError
from xxgk.normalise.text import NormText
from xxgk.pipeline import parse
from xxgk.records import Block, Report
from xxgk.repl import parsing
from xxgk.repl.workspace import Built, ParserKind, Workspace


class UsageError(Exception):
    """A command that cannot run as typed; the message says why and what to type."""


@frozen
class Input:
    """The text under study (original, never normalised) and where it came from.

    ``first_line`` is the line of ``source`` that is line 1 of ``text``; ``block`` and ``file_norm`` are set when the
    input is a block the segmenter found, so that :record can run the table stages on it exactly as the pipeline does.
    """

    text: str
    source: str
    first_line: int = 1
    block: Block | None = None
    file_norm: NormText | None = None


@frozen
class Outcome:
    """One parse of the input: a tree or the error, and the parser that produced it."""

    built: Built
    tree: Tree[Token] | None
    error: UnexpectedInput | None


class State:
    """The state of one REPL session: where output goes, the grammars, the start rule and parser, the input."""

    def __init__(self, console: Console, workspace: Workspace, *, corpus_dir: Path, parser: ParserKind) -> None:
        self.out = console
        self.ws = workspace
        self.corpus_dir = corpus_dir
        self.kind: ParserKind = parser
        self.start: tuple[str, str] | None = None
        self.input: Input | None = None
        self.norm: NormText | None = None
        self.loaded: tuple[str, str] | None = None  # the name as given, and the file's text
        self.done = False
        self._shown_conflicts: set[tuple[str, str]] = set()

    def default_rule(self) -> tuple[str, str] | None:
        """``document.start`` when there is one, else the first grammar's ``start``: what a report is parsed with."""
        names = sorted(self.ws.grammars, key=lambda g: g != "document")
        return next(((g, "start") for g in names if "start" in self.ws.grammars[g].rules), None)

    def rule_label(self) -> str:
        """The start rule as ``grammar.rule``, or what to type when there is none."""
        return f"{self.start[0]}.{self.start[1]}" if self.start else "(none: :rule NAME)"

    def need_input(self) -> Input:
        """The input; a :class:`UsageError` when there is none yet."""
        if self.input is None:
            raise UsageError("no input yet: type or paste a line, or :load FILE")
        return self.input

    def normalised(self) -> NormText:
        """The input normalised as every stage reads it."""
        self.need_input()
        assert self.norm is not None
        return self.norm

    def build(self, kind: ParserKind | None = None, *, explicit: bool = False, keep_all_tokens: bool = False) -> Built:
        """The parser of the start rule (``kind``: the session's unless given); the shift/reduce conflicts Lark
        resolved are noted once per rule."""
        if self.start is None:
            raise UsageError("no start rule: :rule NAME (:grammars lists them)")
        try:
            built = self.ws.parser(*self.start, kind or self.kind, explicit=explicit, keep_all_tokens=keep_all_tokens)
        except GrammarError as exc:
            raise UsageError(f"grammar error: {exc}") from None
        if built.conflicts and self.start not in self._shown_conflicts:
            self._shown_conflicts.add(self.start)
            self.note(f"{len(built.conflicts)} shift/reduce conflict(s) in {self.rule_label()}, resolved as shift:")
            for c in built.conflicts:
                self.note(f"  {c}")
        return built

    def parse(
        self, kind: ParserKind | None = None, *, explicit: bool = False, keep_all_tokens: bool = False
    ) -> Outcome:
        """The input parsed from the start rule: its tree or its error."""
        self.need_input()
        built = self.build(kind, explicit=explicit, keep_all_tokens=keep_all_tokens)
        try:
            return Outcome(built, built.lark.parse(built.reads(self.normalised())), None)
        except UnexpectedInput as exc:
            return Outcome(built, None, exc)

    def report(self) -> Report:
        """The report the pipeline makes of the input."""
        inp = self.need_input()
        return parse(inp.text, source=inp.source)

    def reload(self) -> None:
        """Read the grammar files again, and say which of them do not load."""
        self.ws.reload()
        self._shown_conflicts.clear()
        self.show_problems()
        if self.start is None:  # the grammar was broken when the session began
            self.start = self.default_rule()

    def show_problems(self) -> None:
        """Each grammar file that does not load, with its error."""
        for problem in self.ws.problems.values():
            self.out.print(Text(f"grammar error: {problem}", style="red"))

    def note(self, message: str) -> None:
        """A remark beside the output of a command (a reload, a replaced input, conflicts)."""
        self.out.print(Text(message, style="yellow"))

    # --- positions in the original --------------------------------------------------------------------------------

    def where(self, pos: int) -> tuple[int, int]:
        """Line and column in the source of the input of offset ``pos`` of the normalised input."""
        inp, norm = self.need_input(), self.normalised()
        line, col = norm.locate(pos)
        return line + inp.first_line - 1, col

    def at(self, pos: int | None) -> str:
        """``line:col`` of offset ``pos`` of the normalised input; empty for no offset."""
        if pos is None:
            return ""
        line, col = self.where(pos)
        return f"{line}:{col}"

    def token_at(self, token: Token, built: Built) -> str:
        """line:col of a token in the source: from its offset in the normalised text, or — for tokens a stage's
        lexer made from table cells — the cell's own line and column (already in the original)."""
        if not built.cell_tokens:
            return self.at(token.start_pos)
        return f"{token.line + self.need_input().first_line - 1}:{token.column}" if token.line else ""

    def span_at(self, tree: Tree[Token], built: Built) -> str:
        """``line:col-line:col`` of the text a rule's tree covers."""
        meta = tree.meta
        if not built.cell_tokens:
            return f"{self.at(meta.start_pos)}-{self.at(meta.end_pos)}"
        shift = self.need_input().first_line - 1
        start = f"{meta.line + shift}:{meta.column}"
        return f"{start}-{meta.end_line + shift}:{meta.end_column}" if meta.end_line is not None else start

    def error_where(self, error: UnexpectedInput, built: Built) -> tuple[int, int]:
        """Line and column in the source where ``error`` happened (the end of the input for a premature end)."""
        norm = self.normalised()
        if not built.cell_tokens:
            return self.where(parsing.error_pos(error, len(norm.text)))
        token = error.token if isinstance(error, UnexpectedToken) else None
        if token is not None and token.line is not None and token.column is not None:
            return token.line + self.need_input().first_line - 1, token.column
        return self.where(len(norm.text.rstrip("\n")))
