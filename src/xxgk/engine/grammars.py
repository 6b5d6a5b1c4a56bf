"""Loading the ``.lark`` files shipped in the package: one lazily built, cached parser per (grammar, options).

The grammar files live in the top-level ``grammars/`` folder of the repository and are installed as
``xxgk/grammars`` (a symlink in the source tree, real files in the wheel), so they are always found through the
package loader (Lark's ``open_from_package``) — never through a path relative to a checkout.

Building a parser (Lark's grammar analysis and LALR tables) takes tens of milliseconds a grammar, most of a
one-file run of the command; so a built parser is also kept on disk, in the user's cache folder
(:func:`cache_dir`), under a key made of every grammar file's text, the options, and the Lark and Python versions.
An edited grammar (the REPL's ``:reload``) has a new key and is built again.  A cache folder that cannot be written
or a file that cannot be read only means building as if there were no cache.

The regular expressions the stages make from the grammars' terminals (the line lexer's alternations) are kept in
the same folder, compiled (:func:`regex`): compiling them is a quarter of a one-file run's first parse.  So is what
a stage works out from a grammar with its own code (:func:`store`: the well-formed read's moves), under a key that
adds the source of that code.
"""

from __future__ import annotations

import array
import contextlib
import functools
import hashlib
import importlib
import io
import os
import pickle
import re
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import IO, Any, TypeVar, cast

import lark
from lark import Lark
from lark.exceptions import GrammarError as LarkGrammarError
from lark.grammar import Rule
from lark.lexer import TerminalDef

from xxgk.errors import GrammarError

PACKAGE = "xxgk"
FOLDER = "grammars"

F = TypeVar("F", bound=Callable[..., Any])
_DERIVED: list[Callable[[], None]] = []
_LEXER = "lexer"  # the persistent id that stands for a custom lexer class in a cached parser
_MODULE = "module"  # and the one for a module (a lexer-only parser refers to its regex module)
# How a loaded LALR parser's objects that a copy would not do are pickled (a reducer_override), as engine/lalr.py —
# the module that knows Lark's internals — says when it is imported (keep_whole); until then such a parser is kept in
# Lark's own save format, read back by Lark.load.
_WHOLE: list[Callable[[object], Any]] = []
# By parser id, the parser and the digest of its cache file (None: not kept): Lark numbers the states of a parse table
# in set order, which differs with the hash seed, so what is worked out on them (store) is kept under that file.
_KEPT_AS: dict[int, tuple[Lark, bytes | None]] = {}


@functools.cache
def load(name: str, start: str | None = None, **options: Any) -> Lark:
    """Build (once) the Lark parser for ``name.lark``; ``options`` go to :class:`lark.Lark` (default LALR).

    ``%import`` statements inside the grammar resolve against the same package folder.  A broken grammar raises
    :class:`xxgk.errors.GrammarError` naming the file.
    """
    kwargs: dict[str, Any] = {"parser": "lalr", "propagate_positions": False, "maybe_placeholders": False}
    kwargs.update(options)
    if start is not None:
        kwargs["start"] = start
    folder = _folder[0]
    if folder is not None and not (folder / f"{name}.lark").is_file():
        folder = None  # a folder of some grammars: the package's for the others
    try:
        if folder is not None:  # grammars under study (the REPL's --grammar-dir): built as they are, never cached
            local = folder / f"{name}.lark"
            return Lark(local.read_text(encoding="utf-8"), source_path=str(local), import_paths=[str(folder)], **kwargs)
        path = cache_file(name, kwargs)
        cached = _from_cache(path, kwargs) if path is not None else None
        if cached is not None:
            _KEPT_AS[id(cached[0])] = cached
            return cached[0]
        parser = Lark.open_from_package(PACKAGE, f"{name}.lark", (FOLDER,), **kwargs)
    except (LarkGrammarError, FileNotFoundError, OSError) as exc:
        where = f"grammars/{name}.lark" if folder is None else str(folder / f"{name}.lark")
        raise GrammarError(str(exc), source=where) from exc
    if path is not None and kwargs["parser"] == "lalr":
        data, memo = parser.memo_serialize([TerminalDef, Rule])
        saved = {"data": data, "memo": memo}
        # Kept whole (state numbers too), as Lark.load makes it from what Lark saves: read back in a third of the time.
        _KEPT_AS[id(parser)] = parser, _write_cache(path, Lark.load(saved) if _WHOLE else saved, kwargs.get("lexer"))
    elif path is not None:  # Lark saves LALR parsers only; a lexer-only one (no regex compiled yet) pickles as it is
        _KEPT_AS[id(parser)] = parser, _write_cache(path, parser, kwargs.get("lexer"))
    return parser


def keep_whole(reduced: Callable[[object], Any]) -> None:
    """Keep LALR parsers whole from now on: ``reduced`` says how an object of a loaded parser that a copy would not
    do is pickled, as ``__reduce__`` would (``NotImplemented``: as it is) — engine/lalr.py's."""
    _WHOLE[:] = [reduced]


# The folder the stages load their grammars from; None: the package's.  A one-item list, not a global statement.
_folder: list[Path | None] = [None]


@contextlib.contextmanager
def folder(directory: Path | None) -> Iterator[None]:
    """Within the block, the pipeline's stages load their grammars from ``directory`` where it has them, the
    package's otherwise (``directory`` None: the package's) — the REPL's ``--grammar-dir``, so that :record and
    :diag show what the grammars under study make of the input.
    Every parser built before or within the block is forgotten on the way in and out."""
    before = _folder[0]
    _folder[0] = directory
    reload()
    try:
        yield
    finally:
        _folder[0] = before
        reload()


def cache_dir() -> Path | None:
    """Where built parsers are kept: ``$XDG_CACHE_HOME/xxgk``, by default ``~/.cache/xxgk``; None without a home
    folder (the XDG rule: a relative ``$XDG_CACHE_HOME`` is ignored)."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):
        try:
            base = str(Path.home() / ".cache")
        except RuntimeError:
            return None
    return Path(base) / PACKAGE


@functools.cache
def sources() -> bytes:
    """Every grammar file of the package, names and texts: what a built parser may have read (``%import``)."""
    # A package installed as files (the usual case) is read as files: importlib.resources, for a package in a zip
    # file, costs a one-file run 2 ms to import.
    spec = sys.modules[PACKAGE].__spec__
    places = spec.submodule_search_locations if spec is not None else None
    folder: Any = Path(places[0]) / FOLDER if places and len(places) == 1 else None
    if folder is None or not folder.is_dir():
        import importlib.resources

        folder = importlib.resources.files(PACKAGE) / FOLDER
    files = sorted((f for f in folder.iterdir() if f.name.endswith(".lark")), key=lambda f: f.name)
    return b"".join(f.name.encode() + b"\0" + f.read_bytes() + b"\0" for f in files)


def cache_file(name: str, kwargs: dict[str, Any]) -> Path | None:
    """The cache file of ``name`` built with ``kwargs`` (:class:`lark.Lark`'s options): named by the grammar, a
    digest of the options and of the way it is kept (whole or in Lark's save format: :func:`keep_whole`), and a
    digest of the rest the built parser depends on — every grammar file's text, the Lark and Python versions — so
    that a new one replaces the old (see :func:`_write_cache`).  None without a cache folder."""
    shown = {k: f"{v.__module__}.{v.__qualname__}" if isinstance(v, type) else repr(v) for k, v in kwargs.items()}
    whole = bool(_WHOLE) and kwargs.get("parser") == "lalr"
    options = hashlib.sha256(repr((sorted(shown.items()), whole)).encode()).hexdigest()[:8]
    folder = cache_dir()
    return None if folder is None else folder / f"{name}-{options}-{_digest()}.pickle"


def _digest() -> str:
    return _digest_of(sources())


@functools.cache  # asked for by every parser's cache file and the regexes': 30 KB hashed once, not each time
def _digest_of(texts: bytes) -> str:
    versions = f"{lark.__version__} {sys.version_info[:2]}".encode()
    return hashlib.sha256(b"\0".join((versions, texts))).hexdigest()[:24]


class _Pickler(pickle.Pickler):
    """Pickles a parser with its custom lexer class left out (a class made at run time pickles by no name), and
    modules by name."""

    def __init__(self, file: IO[bytes], lexer: object) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.lexer = lexer

    def persistent_id(self, obj: object) -> tuple[str, str] | None:
        if isinstance(obj, ModuleType):
            return _MODULE, obj.__name__
        return (_LEXER, "") if isinstance(obj, type) and obj is self.lexer else None

    def reducer_override(self, obj: object) -> Any:
        return _WHOLE[0](obj) if _WHOLE else NotImplemented


class _Unpickler(pickle.Unpickler):
    """Reads what :class:`_Pickler` wrote, putting back the lexer class of this load."""

    def __init__(self, file: IO[bytes], lexer: object) -> None:
        super().__init__(file)
        self.lexer = lexer

    def persistent_load(self, pid: Any) -> object:
        if pid[0] == _MODULE:
            return importlib.import_module(pid[1])
        if pid[0] != _LEXER or not isinstance(self.lexer, type):
            raise pickle.UnpicklingError(f"unknown persistent id {pid!r}")
        return self.lexer


def _from_cache(path: Path, kwargs: dict[str, Any]) -> tuple[Lark, bytes] | None:
    """The parser :func:`_write_cache` saved at ``path`` and the digest of the file, or None."""
    try:
        data = path.read_bytes()
        saved = _Unpickler(io.BytesIO(data), kwargs.get("lexer")).load()
        return (saved if isinstance(saved, Lark) else Lark.load(saved)), hashlib.sha256(data).digest()
    except Exception:  # none yet, cut short, unreadable or from another version: built anew
        return None


def _write_cache(path: Path, saved: object, lexer: object, *, plain: bool = False) -> bytes | None:
    """Pickle ``saved`` to ``path`` through a file renamed into place, so that a process reading the cache at the
    same time sees the whole file or none, and remove the files it replaces.  The digest of what it wrote, or None."""
    try:
        out = io.BytesIO()  # plain: no parser object in it, the standard pickler without a look at every object
        (pickle.Pickler(out, pickle.HIGHEST_PROTOCOL) if plain else _Pickler(out, lexer)).dump(saved)
        data = out.getvalue()
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.stem, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        for old in path.parent.glob(f"{path.name.rsplit('-', 1)[0]}-*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
    except (OSError, pickle.PicklingError, TypeError):
        return None  # a read-only or full disk, or a parser that does not pickle (another Lark): built in every process
    return hashlib.sha256(data).digest()


def regex(pattern: str) -> re.Pattern[str]:
    """``re.compile(pattern)``, read compiled from the cache folder when this or an earlier process compiled it.

    What a compiled pattern is made of — the engine's code for it, its groups — is what :mod:`re` hands its C
    engine (``_sre.compile``); kept on disk under a key of the engine's version and the grammar files (as the
    parsers: an edited grammar starts afresh), it makes the same pattern (``==`` compares the code,
    ``tests/engine/test_grammars.py`` checks each one).  Anything unreadable is compiled as usual.  Made once a
    process, as by ``re.compile``: a stage may ask for its pattern at each use."""
    store = _regexes()
    made = store.made.get(pattern)
    if made is None:
        made = store.made[pattern] = _made(store, pattern)
    return made


def _made(store: _RegexStore, pattern: str) -> re.Pattern[str]:
    saved = store.saved.get(pattern)
    if saved is not None:
        try:
            return _from_parts(saved)
        except Exception:  # from another build of the engine: compiled anew below
            pass
    try:
        parts = _pattern_parts(pattern)
        made = _from_parts(parts)
    except Exception:  # the re module's insides changed: the public way, not kept
        return re.compile(pattern)
    store.add({pattern: parts})
    return made


def _from_parts(parts: tuple[Any, ...]) -> re.Pattern[str]:
    """The pattern made of what :func:`_pattern_parts` kept."""
    pattern, flags, code, groups, index, names = parts
    made: re.Pattern[str] = _sre().compile(pattern, flags, array.array("I", code).tolist(), groups, index, names)
    return made


def _sre() -> Any:
    return importlib.import_module("_sre")


def _pattern_parts(pattern: str) -> tuple[Any, ...]:
    """The arguments ``re._compiler.compile`` gives ``_sre.compile`` for ``pattern``, as plain picklable values: the
    code as the bytes of its 32-bit words (a list of ints reads back ten times slower, a file of them a millisecond
    a start)."""
    parser: Any = importlib.import_module("re._parser")
    compiler: Any = importlib.import_module("re._compiler")
    parsed = parser.parse(pattern, 0)
    code = array.array("I", compiler._code(parsed, 0)).tobytes()
    index = dict(parsed.state.groupdict)
    names: list[str | None] = [None] * parsed.state.groups
    for name, i in index.items():
        names[i] = name
    return pattern, int(parsed.state.flags), code, parsed.state.groups - 1, index, tuple(names)


class Store:
    """A dict kept in a file of the cache folder: read once, written back (merged with what other processes added
    meanwhile) each time entries are added, up to ``writes`` times a process — rarely, once the common ones are in
    — and started afresh past ``bound`` entries, whatever makes them, so that the file stays small to read.  Without
    a file (``path`` None), a dict of this process's."""

    def __init__(self, path: Path | None, bound: int, writes: int = sys.maxsize) -> None:
        self.path = path
        self.bound = bound
        self.writes = writes
        self.saved = self._read()

    def _read(self) -> dict[Any, Any]:
        if self.path is None:
            return {}
        try:
            with self.path.open("rb") as f:
                saved = pickle.load(f)
        except Exception:  # none yet, cut short or unreadable: worked out anew
            return {}
        return saved if isinstance(saved, dict) else {}

    def add(self, entries: dict[Any, Any]) -> None:
        self.saved.update(entries)
        if self.path is not None and self.writes > 0:
            self.writes -= 1
            self.saved = {**self._read(), **self.saved}
            if len(self.saved) > self.bound:
                self.saved = dict(entries)
            _write_cache(self.path, self.saved, None, plain=True)


class _RegexStore(Store):
    """The compiled patterns of one cache file, and those made in this process."""

    def __init__(self, path: Path | None) -> None:
        super().__init__(path, _REGEXES_MAX)
        self.made: dict[str, re.Pattern[str]] = {}


# Far more than the stages make (18 for a report, 34 for the corpus): a file of them stays small to read.
_REGEXES_MAX = 200


@functools.cache
def _regexes() -> _RegexStore:
    folder = cache_dir()
    engine = f"{sys.version} {_sre().MAGIC}".encode()
    key = hashlib.sha256(engine + b"\0" + _digest().encode()).hexdigest()[:24]
    return _RegexStore(None if folder is None else folder / f"regexes-{key}.pickle")


@functools.cache
def store(name: str, code: tuple[str, ...], bound: int, writes: int, parser: Lark | None = None) -> Store:
    """The :class:`Store` ``name`` of what a stage works out from the package's grammars with its own code (the
    modules named by ``code``): kept under a key of the grammar files, the Lark and Python versions (as the parsers)
    and the source text of those modules, so that an edit of any of them starts afresh — a file kept is only ever
    read by the code that wrote it; what it works out on the state numbers of a ``parser``, under the parser's cache
    file too (built anew elsewhere, it numbers them otherwise).  Kept in this process only for grammars under study
    (:func:`folder`), without a cache folder, a module's source file or the parser's.  Forgotten by :func:`reload`."""
    where = cache_dir()
    texts = _source_texts(code) if where is not None and _folder[0] is None else None
    kept_as = b"" if parser is None else _KEPT_AS.get(id(parser), (parser, None))[1]
    if where is None or texts is None or kept_as is None:
        return Store(None, bound)
    key = hashlib.sha256(b"\0".join((_digest().encode(), kept_as, *texts))).hexdigest()[:24]
    return Store(where / f"{name}-{key}.pickle", bound, writes)


def _source_texts(modules: tuple[str, ...]) -> list[bytes] | None:
    """The source text of each module (imported if it is not yet), or None where one has none to read."""
    texts = []
    for name in modules:
        origin = getattr(importlib.import_module(name), "__file__", None)
        if origin is None:
            return None
        try:
            with open(origin, "rb") as f:
                texts.append(name.encode() + b"\0" + f.read())
        except OSError:
            return None
    return texts


def derived(fn: F) -> F:
    """``functools.cache`` for what the stages work out from a loaded grammar (a parser's lexer regexes, its parse
    table as an automaton, where values stand on its stacks): forgotten by :func:`reload` with the parsers, so that
    nothing outlives the grammar it was read from."""
    cached = functools.cache(fn)
    _DERIVED.append(cached.cache_clear)
    return cast(F, cached)


def reload() -> None:
    """Forget every built parser, and all that was worked out from one, so that edited grammar files are read again
    (used by the REPL)."""
    load.cache_clear()
    _KEPT_AS.clear()
    sources.cache_clear()
    _digest_of.cache_clear()
    _regexes.cache_clear()
    store.cache_clear()
    for clear in _DERIVED:
        clear()
