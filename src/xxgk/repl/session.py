"""A REPL session: its commands (the table :help shows), and one line at the prompt run as a command or taken as the
new input.  Output is rich renderables on the session's console — no terminal needed, so batch mode and tests see
exactly what a person at the prompt sees.

The commands that choose what to run (grammars, rule, parser, reload) are here; the input's commands are in
:mod:`.inputs`, the stages' in :mod:`.stages`, and what they all share in :mod:`.state`.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from rich.console import Console
from rich.table import Table
from rich.text import Text

from xxgk.errors import GrammarError
from xxgk.repl import inputs, stages
from xxgk.repl.display import show_parse
from xxgk.repl.state import State, UsageError
from xxgk.repl.workspace import ParserKind, Workspace

PROMPT = "xxgk> "
MORE = "  ... "


def is_command(line: str) -> bool:
    """A command starts with ``:`` and a letter; anything else (including ``:`` alone) is input."""
    s = line.strip()
    return len(s) > 1 and s[0] == ":" and s[1].isalpha() and "\n" not in s


class Session(State):
    """One REPL session.  ``run`` takes one command or one input and prints."""

    def __init__(
        self,
        console: Console,
        workspace: Workspace,
        *,
        corpus_dir: Path,
        rule: str | None = None,
        parser: ParserKind = "lalr",
    ) -> None:
        super().__init__(console, workspace, corpus_dir=corpus_dir, parser=parser)
        self.show_problems()
        if rule is not None:
            choose_rule(self, rule)
        else:
            self.start = self.default_rule()

    def run(self, line: str) -> bool:
        """Run one command (``:name args``) or take ``line`` as the new input; False when the command failed."""
        changed = self.ws.changed()
        if changed:
            self.note(f"grammar files changed on disk ({', '.join(changed)}): reloaded")
            self.reload()
        try:
            if is_command(line):
                name, _, arg = line.strip()[1:].partition(" ")
                COMMANDS[_command(name)].run(self, arg.strip())
            else:
                _check_not_a_command(line)
                replaced = self.input
                inputs.feed(self, line)
                if replaced is not None and replaced.source != "<input>":
                    self.note(f"(the input from {replaced.source} was replaced: :load or :block to get it back)")
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

    def completions(self) -> dict[str, list[str]]:
        """What the prompt can complete after each command (the front end adds file names for :load)."""
        blocks = [str(n) for n in range(1, len(inputs.blocks(self)) + 1)] if self.loaded else []
        return {
            "rule": self.ws.rule_names(),
            "parser": ["lalr", "earley"],
            "tree": ["pos"],
            "block": blocks,
        }


def _check_not_a_command(line: str) -> None:
    """A command name typed without its colon is a slip, not an input that should replace the current one."""
    words = line.split()
    if len(words) in (1, 2) and "\n" not in line.strip() and words[0] in COMMANDS:
        raise UsageError(
            f"{words[0]!r} is a command: type :{line.strip()} (the input is unchanged; to parse the word itself, "
            "paste it with another line)"
        )


def _command(name: str) -> str:
    """The command ``name`` means: itself, or the one command it begins."""
    if name in COMMANDS:
        return name
    matches = [c for c in COMMANDS if c.startswith(name)] if name else []
    if len(matches) == 1:
        return matches[0]
    hint = f" (:{', :'.join(matches)}?)" if matches else ""
    raise UsageError(f"unknown command :{name}{hint}; :help lists the commands")


# --- choosing what to run ---------------------------------------------------------------------------------------


def show_help(s: State, arg: str) -> None:
    """``:help``: every command with its arguments, one line each."""
    rows = [(f":{name} {command.args}".rstrip(), command.what) for name, command in COMMANDS.items()]
    rows.append(("anything else", "the input: a line or a pasted block of lines"))
    width = max(len(r[0]) for r in rows) + 2
    for usage, what in rows:
        s.out.print(Text(usage.ljust(width), style="bold") + Text(what))


def show_grammars(s: State, arg: str) -> None:
    """``:grammars``: the grammar files, their rules (the start rule highlighted), the broken ones."""
    table = Table("grammar", "rules", "notes", title=f"grammars in {s.ws.directory}", title_justify="left")
    for name in sorted([*s.ws.grammars, *s.ws.problems]):
        if name in s.ws.problems:
            table.add_row(name, "", Text(str(s.ws.problems[name]), style="red"))
            continue
        info = s.ws.grammars[name]
        rules = Text()
        for i, rule in enumerate(info.rules):
            rules.append(", " if i else "")
            rules.append(rule, style="bold reverse" if s.start == (name, rule) else "")
        note = "" if info.rules else f"terminals only: {', '.join(info.terminals)}"
        table.add_row(name, rules, note)
    s.out.print(table)
    s.out.print(f"start rule: {s.rule_label()}   parser: {s.kind}")


def choose_rule(s: State, arg: str) -> None:
    """``:rule NAME``: the start rule, ``grammar.rule`` or a rule only one grammar has; the input parsed with it."""
    if not arg:
        raise UsageError(f"usage: :rule NAME   (now {s.rule_label()}; :grammars lists the rules)")
    found = s.ws.find_rule(arg)
    if not found:
        raise UsageError(f"no rule {arg!r}; :grammars lists the rules")
    if len(found) > 1:
        raise UsageError(f"{arg!r} is a rule of several grammars: " + ", ".join(f"{g}.{r}" for g, r in found))
    s.start = found[0]
    s.out.print(f"start rule: {s.rule_label()}")
    if s.input is not None:
        show_parse(s, brief=True)
    else:
        s.build()


def choose_parser(s: State, arg: str) -> None:
    """``:parser lalr|earley``: the parser the input is parsed with."""
    if arg not in ("lalr", "earley"):
        raise UsageError(f"usage: :parser lalr|earley   (now {s.kind})")
    s.kind = "lalr" if arg == "lalr" else "earley"
    s.out.print(f"parser: {s.kind}")
    if s.input is not None:
        show_parse(s, brief=True)


def reload_grammars(s: State, arg: str) -> None:
    """``:reload``: read the grammar files again, and parse the input with them."""
    s.reload()
    s.out.print(f"reloaded {len(s.ws.grammars) + len(s.ws.problems)} grammar file(s)")
    if s.input is not None and s.start is not None:
        show_parse(s, brief=True)


def leave(s: State, arg: str) -> None:
    """``:quit``: end the session after this command."""
    s.done = True


class Command(NamedTuple):
    """A command of the REPL: its arguments and one-line description (as :help shows them), and what runs it."""

    args: str
    what: str
    run: Callable[[State, str], None]


# The order is the order of :help.
COMMANDS: dict[str, Command] = {
    "help": Command("", "this list", show_help),
    "grammars": Command("", "the grammar files and their rules", show_grammars),
    "rule": Command("NAME", "start rule: grammar.rule, or rule when only one grammar has it", choose_rule),
    "parser": Command("lalr|earley", "parser for the input (earley to look at ambiguity)", choose_parser),
    "load": Command("FILE [LINES]", "input from a file, all of it or lines like 40-80", inputs.load),
    "block": Command(
        "[N]", "input = the Nth table block the segmenter found in the loaded file (no N: list them)", inputs.block
    ),
    "input": Command("", "the current input with its line numbers", inputs.show_input),
    "norm": Command("", "normalised text beside the original, and each change the normaliser made", stages.norm),
    "tokens": Command("", "the terminals the parser saw: name, text, line:col in the original", stages.tokens),
    "tree": Command("[pos]", "the parse tree; pos adds line:col to every node", stages.tree),
    "ambig": Command(
        "", "parse with Earley keeping every derivation; show the alternatives of each ambiguity", stages.ambig
    ),
    "step": Command(
        "[N]", "walk the LALR parse token by token: state, accepted terminals, shift, stack (first N)", stages.step
    ),
    "record": Command(
        "", "the records the pipeline made of the input: report summary or the block's cells and table", stages.record
    ),
    "diag": Command("", "diagnostics and findings for the input", stages.diag),
    "reload": Command("", "re-read the grammar files (automatic when they change on disk)", reload_grammars),
    "save": Command("NAME", "write the input to the corpus as NAME.txt (never overwrites)", inputs.save),
    "quit": Command("", "leave the REPL (also Ctrl-D)", leave),
}
