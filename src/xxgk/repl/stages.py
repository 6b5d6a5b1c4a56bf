"""The REPL's commands that show a stage of the input: the normaliser's edits (``:norm``), the lexer's tokens
(``:tokens``), the tree (``:tree``, ``:ambig``), the LALR walk (``:step``), and what the pipeline made of it
(``:record``, ``:diag``)."""

from __future__ import annotations

from collections.abc import Iterable

from lark import Token, Tree
from lark.exceptions import UnexpectedInput, UnexpectedToken
from rich.table import Table
from rich.text import Text
from rich.tree import Tree as RichTree

from xxgk.checks.validate import validate
from xxgk.document import segment
from xxgk.export.summary import summary
from xxgk.normalise import NormText
from xxgk.records import Cells, Diagnostic, Finding, Report
from xxgk.repl import parsing
from xxgk.repl.display import change, leaf, rich_tree, show, show_error
from xxgk.repl.state import State, UsageError
from xxgk.schema import TEMPLATES
from xxgk.tables.serial import read_cells
from xxgk.tables.statutory import read_tables


def norm(s: State, arg: str) -> None:
    """``:norm``: the normalised text beside the original, and each edit the normaliser made."""
    inp, normalised = s.need_input(), s.normalised()
    table = Table("line", "original", "normalised", title="normalised text", title_justify="left")
    for n, (a, b) in enumerate(zip(inp.text.splitlines(), normalised.text.splitlines(), strict=False), inp.first_line):
        table.add_row(str(n), show(a), show(b) if a != b else Text("=", style="dim"))
    s.out.print(table)
    if not normalised.edits:
        s.out.print("the normaliser changed nothing")
        return
    edits = Table("line:col", "kind", "what changed", title="edits", title_justify="left")
    for e in normalised.edits:
        line, col = normalised.locate_original(e.start)
        edits.add_row(f"{line + inp.first_line - 1}:{col}", e.kind, show(change(e.original, e.replacement)))
    s.out.print(edits)


def tokens(s: State, arg: str) -> None:
    """``:tokens``: the terminals the parser saw (Earley: the tree's leaves), with line:col in the original."""
    s.need_input()
    table = Table("#", "terminal", "text", "line:col", title=f"tokens ({s.rule_label()})", title_justify="left")
    error: UnexpectedInput | None = None
    if s.kind == "lalr":
        built = s.build()
        ip = built.lark.parse_interactive(built.reads(s.normalised()))
        seen: list[Token] = []
        try:
            for token in ip.iter_parse():
                seen.append(token)
            parsing.feed_eof(ip, seen[-1] if seen else None)
        except UnexpectedInput as exc:
            error = exc
    else:
        outcome = s.parse(keep_all_tokens=True)
        seen = list(outcome.tree.scan_values(lambda v: isinstance(v, Token))) if outcome.tree else []
        built, error = outcome.built, outcome.error
    for n, token in enumerate(seen, 1):
        table.add_row(str(n), token.type, show(repr(str(token))), s.token_at(token, built))
    if isinstance(error, UnexpectedToken) and error.token.type != "$END":
        table.add_row("✗", error.token.type, show(repr(str(error.token))), s.token_at(error.token, built))
    s.out.print(table)
    if error is not None:
        show_error(s, error, built)


def tree(s: State, arg: str) -> None:
    """``:tree [pos]``: the whole parse tree; ``pos`` adds line:col to every node."""
    if arg not in ("", "pos"):
        raise UsageError("usage: :tree [pos]")
    outcome = s.parse()
    if outcome.tree is not None:
        s.out.print(rich_tree(s, outcome.tree, outcome.built, positions=arg == "pos"))
    if outcome.error is not None:
        show_error(s, outcome.error, outcome.built)


def ambig(s: State, arg: str) -> None:
    """``:ambig``: the input parsed with Earley keeping every derivation; each ambiguous span's alternatives."""
    outcome = s.parse(kind="earley", explicit=True)
    if outcome.tree is None:
        assert outcome.error is not None
        show_error(s, outcome.error, outcome.built)
        return
    ambiguities = list(_outermost(outcome.tree, "_ambig"))
    if not ambiguities:
        s.out.print(f"no ambiguity: {s.rule_label()} has exactly one derivation of this input (Earley)")
        return
    s.out.print(f"{len(ambiguities)} ambiguous span(s) under Earley; each shows its alternative derivations")
    for n, amb in enumerate(ambiguities, 1):
        first = next((c for c in amb.children if isinstance(c, Tree) and not c.meta.empty), None)
        where = s.span_at(first, outcome.built).partition("-")[0] if first else "?"
        node = RichTree(Text(f"ambiguity {n} at {where}: {len(amb.children)} alternatives", style="bold"))
        for i, alt in enumerate(amb.children, 1):
            sub = node.add(Text(f"alternative {i}", style="yellow"))
            sub.add(rich_tree(s, alt, outcome.built, positions=False) if isinstance(alt, Tree) else leaf(alt))
        s.out.print(node)


def _outermost(t: Tree[Token], data: str) -> Iterable[Tree[Token]]:
    if t.data == data:
        yield t
        return
    for child in t.children:
        if isinstance(child, Tree):
            yield from _outermost(child, data)


def step(s: State, arg: str) -> None:
    """``:step [N]``: the LALR parse token by token (the first N): state, accepted terminals, token, stack."""
    if arg and not arg.isdigit():
        raise UsageError("usage: :step [N]   (N: show the first N steps)")
    s.need_input()
    built = s.build("lalr")
    ip = built.lark.parse_interactive(built.reads(s.normalised()))
    numbers = parsing.state_numbers(ip)
    table = Table(
        "step", "state", "accepts", "token", "line:col", "stack after", title="LALR walk", title_justify="left"
    )
    limit = int(arg) if arg else None
    error: UnexpectedInput | None = None
    last: Token | None = None
    steps = 0
    # Each row is taken before the token is fed: the state the parser was in and what it would have accepted.
    row = [str(steps + 1), str(numbers[parsing.state(ip)]), parsing.names(parsing.accepted(ip))]
    try:
        for token in parsing.lex(ip):
            ip.feed_token(token)
            steps, last = steps + 1, token
            if limit is None or steps <= limit:
                table.add_row(
                    *row,
                    f"{parsing.bare(token.type)} {show(repr(str(token)))}",
                    s.token_at(token, built),
                    parsing.value_stack(ip),
                )
            row = [str(steps + 1), str(numbers[parsing.state(ip)]), parsing.names(parsing.accepted(ip))]
        row[0] = "end"
        parsing.feed_eof(ip, last)
        table.add_row(*row, "$END", "", "accepted")
    except UnexpectedInput as exc:
        error = exc
        table.add_row(*row, Text("✗ " + parsing.what(exc), style="red"), "{}:{}".format(*s.error_where(exc, built)), "")
    s.out.print(table)
    if limit is not None and steps > limit:
        s.out.print(Text(f"({steps - limit} more step(s) not shown)", style="dim"))
    if error is not None:
        # The walk fed the parser itself, so the error carries none: the parser it stopped in says what it took.
        show_error(s, error, built, ip)


def record(s: State, arg: str) -> None:
    """``:record``: what the pipeline made of the input — a block's cells and table, else the report summary."""
    inp = s.need_input()
    if inp.block is not None and inp.file_norm is not None:
        cells, _ = read_cells(inp.block, inp.file_norm)
        table = Table("#", "cell", "line:col", "row start", title="cells (serialisation grammar)", title_justify="left")
        for n, cell in enumerate(cells, 1):
            table.add_row(str(n), show(cell.text), f"{cell.line}:{cell.column}", "✓" if cell.row_start else "")
        s.out.print(table)
        template = _template(inp.file_norm)
        tables, _ = read_tables([Cells.of(cells)], template)
        report = Report(inp.source, template, None, None, f"block at line {inp.block.line}", tables=tables)
        s.out.print(summary(report))
        return
    s.out.print(summary(s.report()))


def diag(s: State, arg: str) -> None:
    """``:diag``: the start rule's parse result, and the pipeline's diagnostics and findings for the input."""
    inp = s.need_input()
    outcome = s.parse() if s.start is not None else None
    if outcome is not None and outcome.error is not None:
        line, col = s.error_where(outcome.error, outcome.built)
        s.out.print(Text(f"{s.rule_label()}: {line}:{col}: {parsing.what(outcome.error)}", style="red"))
    elif outcome is not None:
        s.out.print(f"{s.rule_label()}: parsed")
    diagnostics: list[Diagnostic]
    findings: tuple[Finding, ...] = ()
    if inp.block is not None and inp.file_norm is not None:
        cells, diagnostics = read_cells(inp.block, inp.file_norm)
        template = _template(inp.file_norm)
        tables, table_diags = read_tables([Cells.of(cells)], template)
        diagnostics = [*diagnostics, *table_diags]
        # The rules of the tables this block holds (a rule about a table it does not hold has no operands).
        findings = validate(Report(inp.source, template, None, None, None, tables=tables))
        shift = 0  # the table stages locate in the whole file already
    else:
        report = s.report()
        diagnostics, findings, shift = list(report.diagnostics), report.findings, inp.first_line - 1
    table = Table("line:col", "kind", "message", "excerpt", title="diagnostics", title_justify="left")
    for d in diagnostics:
        where = f"{d.line + shift}:{d.column}" if d.line is not None else ""
        table.add_row(where, d.kind, d.message, show(d.excerpt[:40]))
    s.out.print(table if diagnostics else "no diagnostics")
    for f in findings:
        where = ", ".join(f"{c.path}@{c.line}" for c in f.cells)
        s.out.print(f"[{f.severity}] {f.rule}: expected {f.expected}, got {f.actual} ({where})")
    if not findings:
        s.out.print("no findings")


def _template(norm: NormText) -> str | None:
    """The template of the file a block is in, as the document stage decides it (None for one whose tables have
    no statutory grammar)."""
    template = segment(norm).template
    return template if template in TEMPLATES else None
