"""The grammar files the REPL works on: one folder of ``.lark`` files, re-read when they change on disk.

Parsers are built here rather than through :func:`xxgk.engine.grammars.load` because the REPL needs options the pipeline
does not (LALR item sets for the rule stack, Earley with explicit ambiguity) and may point at any folder
(``--grammar-dir``).  A grammar that does not load becomes a :class:`~xxgk.errors.GrammarError` with file and line,
never an exception that leaves the REPL.
"""

from __future__ import annotations

import importlib.resources
import logging
import re
import tomllib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal

from attrs import frozen
from lark import Lark
from lark import logger as lark_logger
from lark.exceptions import LarkError, UnexpectedInput
from lark.lexer import Lexer

from xxgk.document import segment
from xxgk.engine import grammars, lalr
from xxgk.errors import GrammarError
from xxgk.normalise.text import NormText
from xxgk.records import Block, Cell
from xxgk.tables import serial, statutory

ParserKind = Literal["lalr", "earley"]


def package_grammar_dir() -> Path:
    """The folder of the grammars shipped with the package (``grammars/`` of the checkout when installed editable)."""
    return Path(str(importlib.resources.files(grammars.PACKAGE) / grammars.FOLDER))


@frozen
class GrammarInfo:
    """What one grammar file defines: its rules (possible start rules) and its terminals."""

    name: str
    path: Path
    rules: tuple[str, ...]
    terminals: tuple[str, ...]


def _text(norm: NormText) -> str:
    return norm.text


@frozen
class Built:
    """A parser built for the REPL, the shift/reduce conflicts Lark resolved (silently) while building it, and how
    to make its input from the normalised text (the text itself, or what a stage's own lexer reads)."""

    lark: Lark
    conflicts: tuple[str, ...]
    reads: Callable[[NormText], Any] = _text
    cell_tokens: bool = False  # tokens made from table cells carry original line:col, and a cell index as offset


@frozen
class StageLexer:
    """A grammar that only its stage module can lex: the custom Lark lexer and the input that lexer reads."""

    lexer: type[Lexer]
    reads: Callable[[NormText], Any]
    cell_tokens: bool = False


def stage_lexers() -> dict[str, StageLexer]:
    """The grammars whose terminals are matched by a stage's own lexer rather than Lark's, by grammar name.

    The document grammar's terminals each match a whole line; its line lexer (segment.py) also makes the %declare'd
    tokens (skeleton headings, _END) and reads the lexer's line state, not a string.  The statutory grammars read
    table cells: the REPL takes the input as one table block, reads its cells with the serialisation grammars and
    hands them to the template's cell lexer (statutory.py), as the pipeline does.
    """
    stages = {"document": StageLexer(segment.LineLexer, segment.lexer_input)}
    for template, grammar in statutory.GRAMMARS.items():
        lexer = statutory.lexer_class(template)
        stages[grammar] = StageLexer(lexer, lambda norm: statutory.lexer_input(_cells(norm)), cell_tokens=True)
    return stages


def _cells(norm: NormText) -> list[Cell]:
    """The cells of the whole input read as one table block (the form chosen from the text, as for any block)."""
    cells, _ = serial.read_cells(Block(None, 0, len(norm.text), 1), norm)
    return cells


class Workspace:
    """The ``.lark`` files of ``directory``: their rules, their problems, and parsers built from them on demand."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.grammars: dict[str, GrammarInfo] = {}
        self.problems: dict[str, GrammarError] = {}
        self._stamps: dict[str, int] = {}
        self._built: dict[tuple[Any, ...], Built] = {}
        self.reload()

    def reload(self) -> None:
        """Forget every parser and read the grammar files again (the package cache too, for the stage modules)."""
        grammars.reload()
        self._built.clear()
        self._stamps = self._read_stamps()
        self.grammars.clear()
        self.problems.clear()
        for path in sorted(self.directory.glob("*.lark")):
            name = path.stem
            try:
                text = path.read_text(encoding="utf-8")
                rules, terminals = lalr.definitions(text, str(path), [str(self.directory)])
            except (LarkError, OSError) as exc:
                self.problems[name] = _problem(exc, path)
                continue
            self.grammars[name] = GrammarInfo(name, path, rules, terminals)

    def changed(self) -> list[str]:
        """Names of the grammar (and example) files that changed on disk since the last :meth:`reload`."""
        now = self._read_stamps()
        return sorted(name for name in now.keys() | self._stamps.keys() if now.get(name) != self._stamps.get(name))

    def _read_stamps(self) -> dict[str, int]:
        files = [*self.directory.glob("*.lark"), *self.directory.glob("*.errors.toml")]
        return {p.name: p.stat().st_mtime_ns for p in files}

    def find_rule(self, name: str) -> list[tuple[str, str]]:
        """Every (grammar, rule) that ``name`` may mean: ``grammar.rule``, or a bare rule name in any grammar."""
        if "." in name:
            grammar, _, rule = name.partition(".")
            info = self.grammars.get(grammar)
            return [(grammar, rule)] if info is not None and rule in info.rules else []
        return [(g.name, name) for g in self.grammars.values() if name in g.rules]

    def rule_names(self) -> list[str]:
        """Every start rule as ``grammar.rule``, plus the bare name of each rule that only one grammar defines."""
        qualified = [f"{g.name}.{r}" for g in self.grammars.values() for r in g.rules]
        bare = [q.partition(".")[2] for q in qualified]
        return sorted({*qualified, *(b for b in bare if bare.count(b) == 1)})

    def parser(
        self, grammar: str, rule: str, kind: ParserKind, *, explicit: bool = False, keep_all_tokens: bool = False
    ) -> Built:
        """Build (once per reload) the parser of ``grammar`` starting at ``rule``.

        LALR parsers are built with ``debug=True`` so that their states keep the LR item sets (the REPL shows them
        as the rule stack); Earley parsers resolve ambiguity unless ``explicit``, which keeps ``_ambig`` nodes.
        """
        key = (grammar, rule, kind, explicit, keep_all_tokens)
        if key in self._built:
            return self._built[key]
        if grammar in self.problems:
            raise self.problems[grammar]
        path = self.directory / f"{grammar}.lark"
        options: dict[str, Any] = {
            "start": rule,
            "propagate_positions": True,
            "maybe_placeholders": False,
            "keep_all_tokens": keep_all_tokens,
            "import_paths": [str(self.directory)],
            "source_path": str(path),
        }
        stage = stage_lexers().get(grammar)
        if stage is not None and kind != "lalr":
            raise GrammarError(f"{grammar} is read by {stage.lexer.__name__}, which drives an LALR parser only")
        if kind == "lalr":
            options.update(parser="lalr", lexer=stage.lexer if stage else "contextual", debug=True)
        else:
            options.update(parser="earley", lexer="dynamic", ambiguity="explicit" if explicit else "resolve")
        try:
            text = path.read_text(encoding="utf-8")
            with _conflicts() as conflicts:
                lark = Lark(text, **options)
        except (LarkError, OSError) as exc:
            raise _problem(exc, path) from exc
        if stage is None:
            built = Built(lark, tuple(conflicts))
        else:
            built = Built(lark, tuple(conflicts), stage.reads, stage.cell_tokens)
        self._built[key] = built
        return built

    def examples(self, grammar: str, rule: str) -> dict[str, list[str]]:
        """The labelled broken inputs of ``grammar.errors.toml`` for ``rule`` (none when there is no such file)."""
        path = self.directory / f"{grammar}.errors.toml"
        if not path.exists():
            return {}
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, OSError) as exc:
            raise _problem(exc, path) from exc
        table = data.get(rule, {})
        return {str(label): [str(t) for t in texts] for label, texts in table.items()}


@contextmanager
def _conflicts() -> Iterator[list[str]]:
    """Collect the shift/reduce conflicts that Lark reports (at warning level, only in debug mode) while building."""
    found: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            message = record.getMessage().strip()
            if message.startswith("Shift/Reduce"):
                found.append(message.replace(": (resolving as shift)", ""))
            elif message.startswith("*") and found:
                found[-1] += f" between {message[1:].strip()}"

    handler = Collect(logging.WARNING)
    level, propagate = lark_logger.level, lark_logger.propagate
    lark_logger.addHandler(handler)
    lark_logger.setLevel(logging.WARNING)
    # Lark's own stream handler would print these to stderr as well; the REPL shows them itself.
    quiet = [h for h in lark_logger.handlers if h is not handler]
    for h in quiet:
        lark_logger.removeHandler(h)
    try:
        yield found
    finally:
        lark_logger.removeHandler(handler)
        for h in quiet:
            lark_logger.addHandler(h)
        lark_logger.setLevel(level)
        lark_logger.propagate = propagate


def _problem(exc: Exception, path: Path) -> GrammarError:
    """``exc`` from loading ``path`` as a GrammarError that names the file and, where it can be found, the line."""
    message = str(exc).strip()
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        text = ""
    line, column = _locate(exc, message, text)
    first = message.splitlines()[0] if message else type(exc).__name__
    first = re.sub(r",? at line \d+ column \d+", "", first)  # the position goes in front, as file:line:col
    excerpt = text.splitlines()[line - 1].strip() if line and line <= len(text.splitlines()) else ""
    return GrammarError(first, source=str(path), line=line, column=column, excerpt=excerpt)


def _locate(exc: Exception, message: str, text: str) -> tuple[int | None, int | None]:
    """Where in the grammar text the problem of ``message`` is: Lark says so for syntax errors, not for the rest."""
    if isinstance(exc, UnexpectedInput):
        return exc.line, exc.column
    if m := re.search(r"at line (\d+) column (\d+)", message):
        return int(m[1]), int(m[2])
    if m := re.search(r"line (\d+), column (\d+)", message):  # TOML
        return int(m[1]), int(m[2])
    if m := re.search(r"'(\w+)' used but not defined \(in rule (\w+)\)", message):
        return _word_after(text, m[1], _definition(text, m[2]))
    if m := re.search(r"'([\w.]+)\.lark'", message):  # %import of a missing file
        return _word_after(text, m[1].rpartition(".")[2], 1)
    for name in re.findall(r"<(\w+) :|'(\w+)'", message):  # a rule named in a collision or other message
        found = _definition(text, name[0] or name[1])
        if found:
            return found, 1
    return None, None


def _definition(text: str, name: str) -> int | None:
    """Line of the definition of rule or terminal ``name`` (``name:``, ``?name:``, ``NAME.2:`` …)."""
    pattern = re.compile(rf"^\s*[?!]?{re.escape(name)}(\.-?\d+)?\s*:", re.M)
    m = pattern.search(text)
    return text.count("\n", 0, m.start()) + 1 if m else None


def _word_after(text: str, word: str, start: int | None) -> tuple[int | None, int | None]:
    lines = text.splitlines()
    for n in range(start or 1, len(lines) + 1):
        m = re.search(rf"\b{re.escape(word)}\b", lines[n - 1])
        if m:
            return n, m.start() + 1
    return start, None
