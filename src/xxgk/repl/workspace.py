"""The grammar files the REPL works on: one folder of ``.lark`` files, re-read when they change on disk.

Parsers are built here rather than through :func:`xxgk.engine.grammars.load` because the REPL needs options the pipeline
does not (LALR item sets for the rule stack, Earley with explicit ambiguity) and may point at any folder
(``--grammar-dir``).  A grammar that does not load becomes a :class:`~xxgk.errors.GrammarError` with file and line
(:mod:`.problems`), never an exception that leaves the REPL; grammars read by a stage's own lexer are built with it
(:mod:`.stage_lexers`).
"""

from __future__ import annotations

import importlib.resources
import logging
import tomllib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal

from attrs import frozen
from lark import Lark
from lark import logger as lark_logger
from lark.exceptions import LarkError

from xxgk.engine import grammars, lalr
from xxgk.errors import GrammarError
from xxgk.normalise.text import NormText
from xxgk.repl.problems import problem
from xxgk.repl.stage_lexers import stage_lexers

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
                self.problems[name] = problem(exc, path)
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
            raise problem(exc, path) from exc
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
            raise problem(exc, path) from exc
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
