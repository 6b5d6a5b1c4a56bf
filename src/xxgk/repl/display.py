"""How the REPL shows what it found: input text with its tabs visible, numbered lines, parse trees, and a parse
error as a person needs it (the caret under the original line, what the parser would take there, the rule stack,
the nearest labelled broken example)."""

from __future__ import annotations

import json
from typing import Any

from lark import Token, Tree
from lark.exceptions import UnexpectedInput
from rich.cells import cell_len
from rich.text import Text
from rich.tree import Tree as RichTree

from xxgk.engine.lalr import Interactive
from xxgk.errors import GrammarError
from xxgk.normalise.text import normalise
from xxgk.repl import parsing
from xxgk.repl.state import State
from xxgk.repl.workspace import Built

TREE_LINES = 40  # a parse tree up to this many nodes is shown right after the input; bigger ones on :tree
TAB = "→"  # how a tab of the input is shown: tabs separate cells in these reports, so they must be visible


def show(text: str) -> Text:
    """``text`` with its tabs visible."""
    return Text(text.replace("\t", TAB))


def numbered(n: int, line: str) -> Text:
    """``line`` after its line number ``n``."""
    return Text(f"{n:>{len(str(n))}} │ ", style="dim") + show(line)


def leaf(value: Any) -> Text:
    """A token of a tree (its terminal and text), or any other leaf as its repr."""
    if isinstance(value, Token):
        return Text(f"{value.type} ", style="cyan") + show(repr(str(value)))
    return show(repr(value))


def change(original: str, replacement: str) -> str:
    """An edit in a few characters: the changed characters of a same-length line edit, else old → new."""
    if len(original) == len(replacement) and len(original) > 12:
        pairs = dict.fromkeys(f"{a}→{b}" for a, b in zip(original, replacement, strict=True) if a != b)
        return " ".join(pairs)
    return f"{json.dumps(original, ensure_ascii=False)} → {json.dumps(replacement, ensure_ascii=False)}"


def show_parse(s: State, *, brief: bool) -> None:
    """How the start rule parses the input: the tree (``brief``: only its size when it is big) or the error."""
    if s.start is None:
        s.out.print(Text("no start rule to parse with: :rule NAME", style="yellow"))
        return
    outcome = s.parse()
    if outcome.error is not None:
        show_error(s, outcome.error, outcome.built)
    elif outcome.tree is not None:
        size = sum(1 for _ in outcome.tree.iter_subtrees()) + len(list(outcome.tree.scan_values(lambda v: True)))
        if brief and size > TREE_LINES:
            s.out.print(f"{s.rule_label()} ({s.kind}): parsed — {size} nodes, :tree to see them")
        else:
            s.out.print(rich_tree(s, outcome.tree, outcome.built, positions=False))


def show_error(s: State, error: UnexpectedInput, built: Built, parser: Interactive | None = None) -> None:
    """The error as a person needs it: where (caret), what the parser would take there, and from which rules;
    ``parser`` is the interactive parser that stopped, when the error does not carry it."""
    inp, norm = s.need_input(), s.normalised()
    line, col = s.error_where(error, built)
    head = f"parse error at {inp.source}:{line}:{col} ({s.rule_label()}, {s.kind}): {parsing.what(error)}"
    s.out.print(Text(head, style="bold red"))
    original = norm.original_line(line - inp.first_line + 1)
    s.out.print(numbered(line, original))
    gutter = len(str(line)) + 3
    s.out.print(Text(" " * (gutter + cell_len(show(original[: col - 1]).plain)) + "^", style="bold red"))
    ip: Interactive | None = getattr(error, "interactive_parser", None) or parser
    expected = parsing.accepted(ip) if ip is not None else parsing.expected(error)
    patterns = {t.name: t.pattern.raw or t.pattern.value for t in built.lark.terminals}
    s.out.print(Text("expected: ", style="bold"), end="")
    shown = (f"{parsing.bare(t)} {patterns.get(t, '')}".strip() for t in sorted(expected, key=parsing.bare))
    s.out.print(Text(" · ".join(shown) or "nothing"))
    if ip is not None:
        stack = parsing.rule_stack(ip)
        if stack:
            s.out.print(Text("rule stack (outermost first):", style="bold"))
            for item in stack:
                s.out.print(Text(f"  {item}"))
    _show_example(s, error, built)


def _show_example(s: State, error: UnexpectedInput, built: Built) -> None:
    assert s.start is not None
    if getattr(error, "interactive_parser", None) is None:
        return  # Earley errors carry no parser state to compare
    try:
        examples = s.ws.examples(*s.start)
    except GrammarError as exc:
        s.note(f"error examples not read: {exc}")
        return
    if not examples:
        return
    label = parsing.nearest_example(error, lambda text: built.lark.parse(built.reads(normalise(text))), examples)
    if label is not None:
        s.out.print(Text("looks like: ", style="bold") + Text(f"{label} ({s.start[0]}.errors.toml)"))


def rich_tree(s: State, tree: Tree[Token], built: Built, *, positions: bool) -> RichTree:
    """``tree`` drawn for the terminal; ``positions`` adds line:col in the original to every node."""

    def label(t: Tree[Token]) -> Text:
        text = Text(str(t.data), style="bold")
        if positions and not t.meta.empty:
            text.append(f"  {s.span_at(t, built)}", style="dim")
        return text

    def add(node: RichTree, t: Tree[Token]) -> None:
        for child in t.children:
            if isinstance(child, Tree):
                add(node.add(label(child)), child)
            else:
                shown = leaf(child)
                if positions and isinstance(child, Token):
                    shown.append(f"  {s.token_at(child, built)}", style="dim")
                node.add(shown)

    root = RichTree(label(tree))
    add(root, tree)
    return root
