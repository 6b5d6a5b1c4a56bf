"""The REPL's commands: session state in, rich renderables out — no terminal needed, so batch mode and tests see
exactly what a person at the prompt sees.

The input is always kept as the *original* text; every stage normalises it first, and every position shown is a
line:column of the original (of the loaded file, when the input came from ``:load`` or ``:block``).
"""

from __future__ import annotations

import json
import traceback
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from attrs import frozen
from lark import Token, Tree
from lark.exceptions import UnexpectedInput, UnexpectedToken
from lark.parsers.lalr_interactive_parser import InteractiveParser
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text
from rich.tree import Tree as RichTree

from xxgk import readers
from xxgk.checks.validate import validate
from xxgk.document.segment import segment
from xxgk.document.template import detect_template
from xxgk.errors import GrammarError, InputError
from xxgk.export.report import summary
from xxgk.normalise.text import NormText, normalise
from xxgk.pipeline import parse
from xxgk.records import Block, Cells, Diagnostic, Finding, Report
from xxgk.repl import parsing as parsing
from xxgk.repl.workspace import Built, ParserKind, Workspace
from xxgk.tables.serial import detect_form, read_cells
from xxgk.tables.statutory import read_tables

# name: (arguments, one-line description) — the order is the order of :help
COMMANDS: dict[str, tuple[str, str]] = {
    "help": ("", "this list"),
    "grammars": ("", "the grammar files and their rules"),
    "rule": ("NAME", "start rule: grammar.rule, or rule when only one grammar has it"),
    "parser": ("lalr|earley", "parser for the input (earley to look at ambiguity)"),
    "load": ("FILE [LINES]", "input from a file, all of it or lines like 40-80"),
    "block": ("[N]", "input = the Nth table block the segmenter found in the loaded file (no N: list them)"),
    "input": ("", "the current input with its line numbers"),
    "norm": ("", "normalised text beside the original, and each change the normaliser made"),
    "tokens": ("", "the terminals the parser saw: name, text, line:col in the original"),
    "tree": ("[pos]", "the parse tree; pos adds line:col to every node"),
    "ambig": ("", "parse with Earley keeping every derivation; show the alternatives of each ambiguity"),
    "step": ("[N]", "walk the LALR parse token by token: state, accepted terminals, shift, stack (first N)"),
    "record": ("", "the records the pipeline made of the input: report summary or the block's cells and table"),
    "diag": ("", "diagnostics and findings for the input"),
    "reload": ("", "re-read the grammar files (automatic when they change on disk)"),
    "save": ("NAME", "write the input to the corpus as NAME.txt (never overwrites)"),
    "quit": ("", "leave the REPL (also Ctrl-D)"),
}
TREE_LINES = 40  # a parse tree up to this many nodes is shown right after the input; bigger ones on :tree
TAB = "→"  # how a tab of the input is shown: tabs separate cells in these reports, so they must be visible


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


class Session:
    """The state of one REPL session and its commands.  ``run`` takes one command or one input and prints."""

    def __init__(
        self,
        console: Console,
        workspace: Workspace,
        *,
        corpus_dir: Path,
        rule: str | None = None,
        parser: ParserKind = "lalr",
    ) -> None:
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
        self._show_problems()
        if rule is not None:
            self.cmd_rule(rule)
        else:
            self.start = self._default_rule()

    # --- entry points -------------------------------------------------------------------------------------------

    def run(self, line: str) -> bool:
        """Run one command (``:name args``) or take ``line`` as the new input; False when the command failed."""
        changed = self.ws.changed()
        if changed:
            self._note(f"grammar files changed on disk ({', '.join(changed)}): reloaded")
            self._reload()
        try:
            if is_command(line):
                name, _, arg = line.strip()[1:].partition(" ")
                getattr(self, f"cmd_{self._command(name)}")(arg.strip())
            else:
                self._check_not_a_command(line)
                replaced = self.input
                self.feed(line)
                if replaced is not None and replaced.source != "<input>":
                    self._note(f"(the input from {replaced.source} was replaced: :load or :block to get it back)")
        except UsageError as exc:
            self.out.print(Text(str(exc), style="red"))
            return False
        except GrammarError as exc:  # a stage's grammar (of --grammar-dir) that does not load
            self.out.print(Text(f"grammar error: {exc}", style="red"))
            return False
        except Exception:  # a debugging session must survive a bug in a stage or here; show it and go on
            self.out.print(Text(traceback.format_exc().rstrip(), style="red"))
            return False
        return True

    def feed(
        self,
        text: str,
        source: str = "<input>",
        first_line: int = 1,
        block: Block | None = None,
        file_norm: NormText | None = None,
    ) -> None:
        """Make ``text`` the input (whole lines: a final newline is added) and show how the current rule parses it."""
        if not text.endswith("\n"):
            text += "\n"
        self.input = Input(text, source, first_line, block, file_norm)
        self.norm = normalise(text, source=source)
        self._show_parse(brief=True)

    def completions(self) -> dict[str, list[str]]:
        """What the prompt can complete after each command (the front end adds file names for :load)."""
        blocks = [str(n) for n in range(1, len(self._blocks()) + 1)] if self.loaded else []
        return {
            "rule": self.ws.rule_names(),
            "parser": ["lalr", "earley"],
            "tree": ["pos"],
            "block": blocks,
        }

    # --- choosing what to run -----------------------------------------------------------------------------------

    def cmd_help(self, arg: str) -> None:
        rows = [(f":{name} {args}".rstrip(), what) for name, (args, what) in COMMANDS.items()]
        rows.append(("anything else", "the input: a line or a pasted block of lines"))
        width = max(len(r[0]) for r in rows) + 2
        for usage, what in rows:
            self.out.print(Text(usage.ljust(width), style="bold") + Text(what))

    def cmd_grammars(self, arg: str) -> None:
        table = Table("grammar", "rules", "notes", title=f"grammars in {self.ws.directory}", title_justify="left")
        for name in sorted([*self.ws.grammars, *self.ws.problems]):
            if name in self.ws.problems:
                table.add_row(name, "", Text(str(self.ws.problems[name]), style="red"))
                continue
            info = self.ws.grammars[name]
            rules = Text()
            for i, rule in enumerate(info.rules):
                rules.append(", " if i else "")
                rules.append(rule, style="bold reverse" if self.start == (name, rule) else "")
            note = "" if info.rules else f"terminals only: {', '.join(info.terminals)}"
            table.add_row(name, rules, note)
        self.out.print(table)
        self.out.print(f"start rule: {self._rule_label()}   parser: {self.kind}")

    def cmd_rule(self, arg: str) -> None:
        if not arg:
            raise UsageError(f"usage: :rule NAME   (now {self._rule_label()}; :grammars lists the rules)")
        found = self.ws.find_rule(arg)
        if not found:
            raise UsageError(f"no rule {arg!r}; :grammars lists the rules")
        if len(found) > 1:
            raise UsageError(f"{arg!r} is a rule of several grammars: " + ", ".join(f"{g}.{r}" for g, r in found))
        self.start = found[0]
        self.out.print(f"start rule: {self._rule_label()}")
        if self.input is not None:
            self._show_parse(brief=True)
        else:
            self._build()

    def cmd_parser(self, arg: str) -> None:
        if arg not in ("lalr", "earley"):
            raise UsageError(f"usage: :parser lalr|earley   (now {self.kind})")
        self.kind = "lalr" if arg == "lalr" else "earley"
        self.out.print(f"parser: {self.kind}")
        if self.input is not None:
            self._show_parse(brief=True)

    # --- input --------------------------------------------------------------------------------------------------

    def cmd_load(self, arg: str) -> None:
        if not arg:
            raise UsageError("usage: :load FILE [LINES]   e.g. :load corpus/000_x.txt 40-80")
        name, span = _file_and_span(arg)
        try:
            text = readers.text(read_input(name), source=name)
        except (OSError, InputError) as exc:
            raise UsageError(f"cannot load {name}: {getattr(exc, 'message', None) or exc}") from None
        self.loaded = (name, text)
        lines = text.splitlines(keepends=True)
        first, last = _line_span(span.strip(), len(lines))
        self.out.print(f"loaded {name}: lines {first}-{last} of {len(lines)}")
        self.feed("".join(lines[first - 1 : last]), name, first)

    def cmd_block(self, arg: str) -> None:
        if self.loaded is None:
            raise UsageError("no file loaded: :load FILE first")
        path, text = self.loaded
        file_norm = normalise(text, source=str(path))
        blocks = self._blocks()
        if not blocks:
            raise UsageError(f"the segmenter found no table blocks in {path}")
        if not arg:
            table = Table("N", "lines", "section", "first line", title=f"table blocks in {path}", title_justify="left")
            for n, b in enumerate(blocks, 1):
                last = b.line + file_norm.text.count("\n", b.start, max(b.start, b.end - 1))
                first_line = file_norm.original_line(b.line)[:50]
                table.add_row(str(n), f"{b.line}-{last}", b.section_key or "", _show(first_line))
            self.out.print(table)
            return
        if not arg.isdigit() or not 1 <= int(arg) <= len(blocks):
            raise UsageError(f"usage: :block N with N from 1 to {len(blocks)}")
        block = blocks[int(arg) - 1]
        n_lines = file_norm.text.count("\n", block.start, max(block.start, block.end - 1)) + 1
        lines = text.splitlines(keepends=True)[block.line - 1 : block.line - 1 + n_lines]
        self.out.print(f"block {arg}: {path} lines {block.line}-{block.line + n_lines - 1}")
        # A block is read by its serialisation grammar first, so that is the rule worth looking at.
        form = detect_form(file_norm.text[block.start : block.end])
        if form is not None and self.ws.find_rule(f"serial_{form}.start"):
            self.start = (f"serial_{form}", "start")
            self.out.print(f"start rule: {self._rule_label()} (the block's form)")
        self.feed("".join(lines), str(path), block.line, block=block, file_norm=file_norm)

    def _blocks(self) -> tuple[Block, ...]:
        if self.loaded is None:
            return ()
        path, text = self.loaded
        return segment(normalise(text, source=str(path))).blocks

    def cmd_input(self, arg: str) -> None:
        inp = self._need_input()
        self.out.print(Text(f"{inp.source}, line {inp.first_line} on:", style="dim"))
        for n, line in enumerate(inp.text.splitlines(), inp.first_line):
            self.out.print(_numbered(n, line))

    def cmd_save(self, arg: str) -> None:
        inp = self._need_input()
        name = arg.removesuffix(".txt")
        if not name or not all(c.isalnum() or c in "_-." for c in name) or name.startswith("."):
            raise UsageError("usage: :save NAME   (letters, digits, _ - . only; written to the corpus as NAME.txt)")
        path = self.corpus_dir / f"{name}.txt"
        try:
            with path.open("x", encoding="utf-8") as f:
                f.write(inp.text)
        except FileExistsError:
            raise UsageError(f"{path} exists: choose another name (:save never overwrites)") from None
        except OSError as exc:
            raise UsageError(f"cannot write {path}: {exc.strerror}") from None
        self.out.print(f"saved {len(inp.text.splitlines())} line(s) to {path}")

    # --- the stages ---------------------------------------------------------------------------------------------

    def cmd_norm(self, arg: str) -> None:
        inp, norm = self._need_input(), self._norm()
        table = Table("line", "original", "normalised", title="normalised text", title_justify="left")
        for n, (a, b) in enumerate(zip(inp.text.splitlines(), norm.text.splitlines(), strict=False), inp.first_line):
            table.add_row(str(n), _show(a), _show(b) if a != b else Text("=", style="dim"))
        self.out.print(table)
        if not norm.edits:
            self.out.print("the normaliser changed nothing")
            return
        edits = Table("line:col", "kind", "what changed", title="edits", title_justify="left")
        for e in norm.edits:
            line, col = norm.locate_original(e.start)
            edits.add_row(f"{line + inp.first_line - 1}:{col}", e.kind, _show(_change(e.original, e.replacement)))
        self.out.print(edits)

    def cmd_tokens(self, arg: str) -> None:
        self._need_input()
        table = Table("#", "terminal", "text", "line:col", title=f"tokens ({self._rule_label()})", title_justify="left")
        error: UnexpectedInput | None = None
        if self.kind == "lalr":
            built = self._build()
            ip = built.lark.parse_interactive(built.reads(self._norm()))
            tokens: list[Token] = []
            try:
                for token in ip.iter_parse():
                    tokens.append(token)
                parsing.feed_eof(ip, tokens[-1] if tokens else None)
            except UnexpectedInput as exc:
                error = exc
        else:
            outcome = self._parse(keep_all_tokens=True)
            tokens = list(outcome.tree.scan_values(lambda v: isinstance(v, Token))) if outcome.tree else []
            built, error = outcome.built, outcome.error
        for n, token in enumerate(tokens, 1):
            table.add_row(str(n), token.type, _show(repr(str(token))), self._token_at(token, built))
        if isinstance(error, UnexpectedToken) and error.token.type != "$END":
            table.add_row("✗", error.token.type, _show(repr(str(error.token))), self._token_at(error.token, built))
        self.out.print(table)
        if error is not None:
            self._show_error(error, built)

    def cmd_tree(self, arg: str) -> None:
        if arg not in ("", "pos"):
            raise UsageError("usage: :tree [pos]")
        outcome = self._parse()
        if outcome.tree is not None:
            self.out.print(self._rich_tree(outcome.tree, outcome.built, positions=arg == "pos"))
        if outcome.error is not None:
            self._show_error(outcome.error, outcome.built)

    def cmd_ambig(self, arg: str) -> None:
        outcome = self._parse(kind="earley", explicit=True)
        if outcome.tree is None:
            assert outcome.error is not None
            self._show_error(outcome.error, outcome.built)
            return
        ambiguities = list(_outermost(outcome.tree, "_ambig"))
        if not ambiguities:
            self.out.print(f"no ambiguity: {self._rule_label()} has exactly one derivation of this input (Earley)")
            return
        self.out.print(f"{len(ambiguities)} ambiguous span(s) under Earley; each shows its alternative derivations")
        for n, amb in enumerate(ambiguities, 1):
            first = next((c for c in amb.children if isinstance(c, Tree) and not c.meta.empty), None)
            where = self._span_at(first, outcome.built).partition("-")[0] if first else "?"
            node = RichTree(Text(f"ambiguity {n} at {where}: {len(amb.children)} alternatives", style="bold"))
            for i, alt in enumerate(amb.children, 1):
                sub = node.add(Text(f"alternative {i}", style="yellow"))
                sub.add(self._rich_tree(alt, outcome.built, positions=False) if isinstance(alt, Tree) else _leaf(alt))
            self.out.print(node)

    def cmd_step(self, arg: str) -> None:
        if arg and not arg.isdigit():
            raise UsageError("usage: :step [N]   (N: show the first N steps)")
        self._need_input()
        built = self._build("lalr")
        ip = built.lark.parse_interactive(built.reads(self._norm()))
        numbers = parsing.state_numbers(ip)
        table = Table(
            "step", "state", "accepts", "token", "line:col", "stack after", title="LALR walk", title_justify="left"
        )
        limit = int(arg) if arg else None
        error: UnexpectedInput | None = None
        last: Token | None = None
        steps = 0
        # Each row is taken before the token is fed: the state the parser was in and what it would have accepted.
        row = [str(steps + 1), str(numbers[ip.parser_state.position]), parsing.names(parsing.accepted(ip))]
        try:
            for token in parsing.lex(ip):
                ip.feed_token(token)
                steps, last = steps + 1, token
                if limit is None or steps <= limit:
                    table.add_row(
                        *row,
                        f"{parsing.bare(token.type)} {_show(repr(str(token)))}",
                        self._token_at(token, built),
                        parsing.value_stack(ip),
                    )
                row = [str(steps + 1), str(numbers[ip.parser_state.position]), parsing.names(parsing.accepted(ip))]
            row[0] = "end"
            parsing.feed_eof(ip, last)
            table.add_row(*row, "$END", "", "accepted")
        except UnexpectedInput as exc:
            error = exc
            table.add_row(
                *row, Text("✗ " + parsing.what(exc), style="red"), "{}:{}".format(*self._error_where(exc, built)), ""
            )
        self.out.print(table)
        if limit is not None and steps > limit:
            self.out.print(Text(f"({steps - limit} more step(s) not shown)", style="dim"))
        if error is not None:
            # The walk fed the parser itself, so the error carries none: the parser it stopped in says what it took.
            self._show_error(error, built, ip)

    def cmd_record(self, arg: str) -> None:
        inp = self._need_input()
        if inp.block is not None and inp.file_norm is not None:
            cells, _ = read_cells(inp.block, inp.file_norm)
            table = Table(
                "#", "cell", "line:col", "row start", title="cells (serialisation grammar)", title_justify="left"
            )
            for n, cell in enumerate(cells, 1):
                table.add_row(str(n), _show(cell.text), f"{cell.line}:{cell.column}", "✓" if cell.row_start else "")
            self.out.print(table)
            template = detect_template(inp.file_norm.text)
            tables, _ = read_tables([Cells.of(cells)], template)
            report = Report(inp.source, template, None, None, f"block at line {inp.block.line}", tables=tables)
            self.out.print(summary(report))
            return
        self.out.print(summary(self._report()))

    def cmd_diag(self, arg: str) -> None:
        inp = self._need_input()
        outcome = self._parse() if self.start is not None else None
        if outcome is not None and outcome.error is not None:
            line, col = self._error_where(outcome.error, outcome.built)
            self.out.print(Text(f"{self._rule_label()}: {line}:{col}: {parsing.what(outcome.error)}", style="red"))
        elif outcome is not None:
            self.out.print(f"{self._rule_label()}: parsed")
        diagnostics: list[Diagnostic]
        findings: tuple[Finding, ...] = ()
        if inp.block is not None and inp.file_norm is not None:
            cells, diagnostics = read_cells(inp.block, inp.file_norm)
            template = detect_template(inp.file_norm.text)
            tables, table_diags = read_tables([Cells.of(cells)], template)
            diagnostics = [*diagnostics, *table_diags]
            # The rules of the tables this block holds (a rule about a table it does not hold has no operands).
            findings = validate(Report(inp.source, template, None, None, None, tables=tables))
            shift = 0  # the table stages locate in the whole file already
        else:
            report = self._report()
            diagnostics, findings, shift = list(report.diagnostics), report.findings, inp.first_line - 1
        table = Table("line:col", "kind", "message", "excerpt", title="diagnostics", title_justify="left")
        for d in diagnostics:
            where = f"{d.line + shift}:{d.column}" if d.line is not None else ""
            table.add_row(where, d.kind, d.message, _show(d.excerpt[:40]))
        self.out.print(table if diagnostics else "no diagnostics")
        for f in findings:
            where = ", ".join(f"{c.path}@{c.line}" for c in f.cells)
            self.out.print(f"[{f.severity}] {f.rule}: expected {f.expected}, got {f.actual} ({where})")
        if not findings:
            self.out.print("no findings")

    def cmd_reload(self, arg: str) -> None:
        self._reload()
        self.out.print(f"reloaded {len(self.ws.grammars) + len(self.ws.problems)} grammar file(s)")
        if self.input is not None and self.start is not None:
            self._show_parse(brief=True)

    def cmd_quit(self, arg: str) -> None:
        self.done = True

    # --- helpers ------------------------------------------------------------------------------------------------

    def _check_not_a_command(self, line: str) -> None:
        """A command name typed without its colon is a slip, not an input that should replace the current one."""
        words = line.split()
        if len(words) in (1, 2) and "\n" not in line.strip() and words[0] in COMMANDS:
            raise UsageError(
                f"{words[0]!r} is a command: type :{line.strip()} (the input is unchanged; to parse the word itself, "
                "paste it with another line)"
            )

    def _command(self, name: str) -> str:
        if name in COMMANDS:
            return name
        matches = [c for c in COMMANDS if c.startswith(name)] if name else []
        if len(matches) == 1:
            return matches[0]
        hint = f" (:{', :'.join(matches)}?)" if matches else ""
        raise UsageError(f"unknown command :{name}{hint}; :help lists the commands")

    def _default_rule(self) -> tuple[str, str] | None:
        """``document.start`` when there is one, else the first grammar's ``start``: what a report is parsed with."""
        names = sorted(self.ws.grammars, key=lambda g: g != "document")
        return next(((g, "start") for g in names if "start" in self.ws.grammars[g].rules), None)

    def _rule_label(self) -> str:
        return f"{self.start[0]}.{self.start[1]}" if self.start else "(none: :rule NAME)"

    def _need_input(self) -> Input:
        if self.input is None:
            raise UsageError("no input yet: type or paste a line, or :load FILE")
        return self.input

    def _norm(self) -> NormText:
        self._need_input()
        assert self.norm is not None
        return self.norm

    def _build(self, kind: ParserKind | None = None, *, explicit: bool = False, keep_all_tokens: bool = False) -> Built:
        if self.start is None:
            raise UsageError("no start rule: :rule NAME (:grammars lists them)")
        try:
            built = self.ws.parser(*self.start, kind or self.kind, explicit=explicit, keep_all_tokens=keep_all_tokens)
        except GrammarError as exc:
            raise UsageError(f"grammar error: {exc}") from None
        if built.conflicts and self.start not in self._shown_conflicts:
            self._shown_conflicts.add(self.start)
            self._note(f"{len(built.conflicts)} shift/reduce conflict(s) in {self._rule_label()}, resolved as shift:")
            for c in built.conflicts:
                self._note(f"  {c}")
        return built

    def _parse(
        self, kind: ParserKind | None = None, *, explicit: bool = False, keep_all_tokens: bool = False
    ) -> Outcome:
        self._need_input()
        built = self._build(kind, explicit=explicit, keep_all_tokens=keep_all_tokens)
        try:
            return Outcome(built, built.lark.parse(built.reads(self._norm())), None)
        except UnexpectedInput as exc:
            return Outcome(built, None, exc)

    def _report(self) -> Report:
        inp = self._need_input()
        return parse(inp.text, source=inp.source)

    def _show_parse(self, *, brief: bool) -> None:
        if self.start is None:
            self.out.print(Text("no start rule to parse with: :rule NAME", style="yellow"))
            return
        outcome = self._parse()
        if outcome.error is not None:
            self._show_error(outcome.error, outcome.built)
        elif outcome.tree is not None:
            size = sum(1 for _ in outcome.tree.iter_subtrees()) + len(list(outcome.tree.scan_values(lambda v: True)))
            if brief and size > TREE_LINES:
                self.out.print(f"{self._rule_label()} ({self.kind}): parsed — {size} nodes, :tree to see them")
            else:
                self.out.print(self._rich_tree(outcome.tree, outcome.built, positions=False))

    def _reload(self) -> None:
        self.ws.reload()
        self._shown_conflicts.clear()
        self._show_problems()
        if self.start is None:  # the grammar was broken when the session began
            self.start = self._default_rule()

    def _show_problems(self) -> None:
        for problem in self.ws.problems.values():
            self.out.print(Text(f"grammar error: {problem}", style="red"))

    def _note(self, message: str) -> None:
        self.out.print(Text(message, style="yellow"))

    def _where(self, pos: int) -> tuple[int, int]:
        """Line and column in the source of the input of offset ``pos`` of the normalised input."""
        inp, norm = self._need_input(), self._norm()
        line, col = norm.locate(pos)
        return line + inp.first_line - 1, col

    def _at(self, pos: int | None) -> str:
        if pos is None:
            return ""
        line, col = self._where(pos)
        return f"{line}:{col}"

    def _token_at(self, token: Token, built: Built) -> str:
        """line:col of a token in the source: from its offset in the normalised text, or — for tokens a stage's
        lexer made from table cells — the cell's own line and column (already in the original)."""
        if not built.cell_tokens:
            return self._at(token.start_pos)
        return f"{token.line + self._need_input().first_line - 1}:{token.column}" if token.line else ""

    def _span_at(self, tree: Tree[Token], built: Built) -> str:
        meta = tree.meta
        if not built.cell_tokens:
            return f"{self._at(meta.start_pos)}-{self._at(meta.end_pos)}"
        shift = self._need_input().first_line - 1
        start = f"{meta.line + shift}:{meta.column}"
        return f"{start}-{meta.end_line + shift}:{meta.end_column}" if meta.end_line is not None else start

    def _error_where(self, error: UnexpectedInput, built: Built) -> tuple[int, int]:
        """Line and column in the source where ``error`` happened (the end of the input for a premature end)."""
        norm = self._norm()
        if not built.cell_tokens:
            return self._where(parsing.error_pos(error, len(norm.text)))
        token = error.token if isinstance(error, UnexpectedToken) else None
        if token is not None and token.line is not None and token.column is not None:
            return token.line + self._need_input().first_line - 1, token.column
        return self._where(len(norm.text.rstrip("\n")))

    def _show_error(self, error: UnexpectedInput, built: Built, parser: InteractiveParser | None = None) -> None:
        """The error as a person needs it: where (caret), what the parser would take there, and from which rules;
        ``parser`` is the interactive parser that stopped, when the error does not carry it."""
        inp, norm = self._need_input(), self._norm()
        line, col = self._error_where(error, built)
        head = f"parse error at {inp.source}:{line}:{col} ({self._rule_label()}, {self.kind}): {parsing.what(error)}"
        self.out.print(Text(head, style="bold red"))
        original = norm.original_line(line - inp.first_line + 1)
        self.out.print(_numbered(line, original))
        gutter = len(str(line)) + 3
        self.out.print(Text(" " * (gutter + cell_len(_show(original[: col - 1]).plain)) + "^", style="bold red"))
        ip: InteractiveParser | None = getattr(error, "interactive_parser", None) or parser
        expected = parsing.accepted(ip) if ip is not None else parsing.expected(error)
        patterns = {t.name: t.pattern.raw or t.pattern.value for t in built.lark.terminals}
        self.out.print(Text("expected: ", style="bold"), end="")
        shown = (f"{parsing.bare(t)} {patterns.get(t, '')}".strip() for t in sorted(expected, key=parsing.bare))
        self.out.print(Text(" · ".join(shown) or "nothing"))
        if ip is not None:
            stack = parsing.rule_stack(ip)
            if stack:
                self.out.print(Text("rule stack (outermost first):", style="bold"))
                for item in stack:
                    self.out.print(Text(f"  {item}"))
        self._show_example(error, built)

    def _show_example(self, error: UnexpectedInput, built: Built) -> None:
        assert self.start is not None
        if getattr(error, "interactive_parser", None) is None:
            return  # Earley errors carry no parser state to compare
        try:
            examples = self.ws.examples(*self.start)
        except GrammarError as exc:
            self._note(f"error examples not read: {exc}")
            return
        if not examples:
            return
        label = parsing.nearest_example(error, lambda s: built.lark.parse(built.reads(normalise(s))), examples)
        if label is not None:
            self.out.print(Text("looks like: ", style="bold") + Text(f"{label} ({self.start[0]}.errors.toml)"))

    def _rich_tree(self, tree: Tree[Token], built: Built, *, positions: bool) -> RichTree:
        def label(t: Tree[Token]) -> Text:
            text = Text(str(t.data), style="bold")
            if positions and not t.meta.empty:
                text.append(f"  {self._span_at(t, built)}", style="dim")
            return text

        def add(node: RichTree, t: Tree[Token]) -> None:
            for child in t.children:
                if isinstance(child, Tree):
                    add(node.add(label(child)), child)
                else:
                    leaf = _leaf(child)
                    if positions and isinstance(child, Token):
                        leaf.append(f"  {self._token_at(child, built)}", style="dim")
                    node.add(leaf)

        root = RichTree(label(tree))
        add(root, tree)
        return root


# --- pure helpers -----------------------------------------------------------------------------------------------


def is_command(line: str) -> bool:
    """A command starts with ``:`` and a letter; anything else (including ``:`` alone) is input."""
    s = line.strip()
    return len(s) > 1 and s[0] == ":" and s[1].isalpha() and "\n" not in s


def _file_and_span(arg: str) -> tuple[str, str]:
    """``FILE [LINES]`` split: a file name may hold spaces, so the last word is LINES only when the whole is not a
    file and the last word looks like LINES or the rest is a file."""
    name, _, last = arg.strip().rpartition(" ")
    if not name or Path(arg.strip()).expanduser().exists():
        return arg.strip(), ""
    if all(c.isdigit() or c == "-" for c in last) or Path(name.strip()).expanduser().exists():
        return name.strip(), last
    return arg.strip(), ""


def read_input(name: str) -> bytes:
    """The bytes of what ``name`` names: a file (``~`` expanded), or a URL (``s3://…``, ``https://…``) through
    fsspec when it is installed (``xxgk[dask]``), as ``xxgk parse --engine dask`` reads one."""
    if "://" in name:
        try:
            import fsspec
        except ImportError:
            raise OSError(f"reading a URL needs fsspec: pip install 'xxgk[dask]' ({name})") from None
        with fsspec.open(name, "rb") as f:
            data: bytes = f.read()
            return data
    return Path(name).expanduser().read_bytes()


def _line_span(span: str, total: int) -> tuple[int, int]:
    """``40-80``, ``40``, ``40-`` or ``-80`` as 1-based inclusive (first, last); empty means every line."""
    if not span:
        return 1, total
    a, sep, b = span.partition("-")
    try:
        first = int(a) if a else 1
        last = (int(b) if b else total) if sep else first
    except ValueError:
        raise UsageError(f"bad LINES {span!r}: use 40-80, 40, 40- or -80") from None
    if not 1 <= first <= last <= total:
        raise UsageError(f"LINES {span} is outside the file (lines 1-{total})")
    return first, last


def _show(text: str) -> Text:
    return Text(text.replace("\t", TAB))


def _numbered(n: int, line: str) -> Text:
    return Text(f"{n:>{len(str(n))}} │ ", style="dim") + _show(line)


def _leaf(value: Any) -> Text:
    if isinstance(value, Token):
        return Text(f"{value.type} ", style="cyan") + _show(repr(str(value)))
    return _show(repr(value))


def _change(original: str, replacement: str) -> str:
    """An edit in a few characters: the changed characters of a same-length line edit, else old → new."""
    if len(original) == len(replacement) and len(original) > 12:
        pairs = dict.fromkeys(f"{a}→{b}" for a, b in zip(original, replacement, strict=True) if a != b)
        return " ".join(pairs)
    return f"{json.dumps(original, ensure_ascii=False)} → {json.dumps(replacement, ensure_ascii=False)}"


def _outermost(tree: Tree[Token], data: str) -> Iterable[Tree[Token]]:
    if tree.data == data:
        yield tree
        return
    for child in tree.children:
        if isinstance(child, Tree):
            yield from _outermost(child, data)
