"""The REPL's input: a typed line or pasted block, a file or some of its lines (``:load``), one table block the
segmenter found in it (``:block``); shown with line numbers (``:input``) and saved to the corpus (``:save``)."""

from __future__ import annotations

from pathlib import Path

from rich.table import Table
from rich.text import Text

from xxgk import readers
from xxgk.document import segment
from xxgk.errors import InputError
from xxgk.normalise.text import NormText, normalise
from xxgk.records import Block
from xxgk.repl.display import numbered, show, show_parse
from xxgk.repl.state import Input, State, UsageError
from xxgk.tables.serial import detect_form


def feed(
    s: State,
    text: str,
    source: str = "<input>",
    first_line: int = 1,
    block: Block | None = None,
    file_norm: NormText | None = None,
) -> None:
    """Make ``text`` the input (whole lines: a final newline is added) and show how the current rule parses it."""
    if not text.endswith("\n"):
        text += "\n"
    s.input = Input(text, source, first_line, block, file_norm)
    s.norm = normalise(text, source=source)
    show_parse(s, brief=True)


def load(s: State, arg: str) -> None:
    """``:load FILE [LINES]``: the input from a file (or URL), all of it or some of its lines."""
    if not arg:
        raise UsageError("usage: :load FILE [LINES]   e.g. :load corpus/000_x.txt 40-80")
    name, span = _file_and_span(arg)
    try:
        text = readers.text(read_input(name), source=name)
    except (OSError, InputError) as exc:
        raise UsageError(f"cannot load {name}: {getattr(exc, 'message', None) or exc}") from None
    s.loaded = (name, text)
    lines = text.splitlines(keepends=True)
    first, last = _line_span(span.strip(), len(lines))
    s.out.print(f"loaded {name}: lines {first}-{last} of {len(lines)}")
    feed(s, "".join(lines[first - 1 : last]), name, first)


def block(s: State, arg: str) -> None:
    """``:block [N]``: the Nth table block of the loaded file as the input, with its form's start rule; no N: the
    list of blocks."""
    if s.loaded is None:
        raise UsageError("no file loaded: :load FILE first")
    path, text = s.loaded
    file_norm = normalise(text, source=str(path))
    found = blocks(s)
    if not found:
        raise UsageError(f"the segmenter found no table blocks in {path}")
    if not arg:
        table = Table("N", "lines", "section", "first line", title=f"table blocks in {path}", title_justify="left")
        for n, b in enumerate(found, 1):
            last = b.line + file_norm.text.count("\n", b.start, max(b.start, b.end - 1))
            first_line = file_norm.original_line(b.line)[:50]
            table.add_row(str(n), f"{b.line}-{last}", b.section_key or "", show(first_line))
        s.out.print(table)
        return
    if not arg.isdigit() or not 1 <= int(arg) <= len(found):
        raise UsageError(f"usage: :block N with N from 1 to {len(found)}")
    chosen = found[int(arg) - 1]
    n_lines = file_norm.text.count("\n", chosen.start, max(chosen.start, chosen.end - 1)) + 1
    lines = text.splitlines(keepends=True)[chosen.line - 1 : chosen.line - 1 + n_lines]
    s.out.print(f"block {arg}: {path} lines {chosen.line}-{chosen.line + n_lines - 1}")
    # A block is read by its serialisation grammar first, so that is the rule worth looking at.
    form = detect_form(file_norm.text[chosen.start : chosen.end])
    if form is not None and s.ws.find_rule(f"serial_{form}.start"):
        s.start = (f"serial_{form}", "start")
        s.out.print(f"start rule: {s.rule_label()} (the block's form)")
    feed(s, "".join(lines), str(path), chosen.line, block=chosen, file_norm=file_norm)


def blocks(s: State) -> tuple[Block, ...]:
    """The table blocks the segmenter finds in the loaded file (none when no file is loaded)."""
    if s.loaded is None:
        return ()
    path, text = s.loaded
    return segment(normalise(text, source=str(path))).blocks


def show_input(s: State, arg: str) -> None:
    """``:input``: the input with its line numbers in its source."""
    inp = s.need_input()
    s.out.print(Text(f"{inp.source}, line {inp.first_line} on:", style="dim"))
    for n, line in enumerate(inp.text.splitlines(), inp.first_line):
        s.out.print(numbered(n, line))


def save(s: State, arg: str) -> None:
    """``:save NAME``: the input written to the corpus as NAME.txt, never over a file."""
    inp = s.need_input()
    name = arg.removesuffix(".txt")
    if not name or not all(c.isalnum() or c in "_-." for c in name) or name.startswith("."):
        raise UsageError("usage: :save NAME   (letters, digits, _ - . only; written to the corpus as NAME.txt)")
    path = s.corpus_dir / f"{name}.txt"
    try:
        with path.open("x", encoding="utf-8") as f:
            f.write(inp.text)
    except FileExistsError:
        raise UsageError(f"{path} exists: choose another name (:save never overwrites)") from None
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror}") from None
    s.out.print(f"saved {len(inp.text.splitlines())} line(s) to {path}")


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


def _file_and_span(arg: str) -> tuple[str, str]:
    """``FILE [LINES]`` split: a file name may hold spaces, so the last word is LINES only when the whole is not a
    file and the last word looks like LINES or the rest is a file."""
    name, _, last = arg.strip().rpartition(" ")
    if not name or Path(arg.strip()).expanduser().exists():
        return arg.strip(), ""
    if all(c.isdigit() or c == "-" for c in last) or Path(name.strip()).expanduser().exists():
        return name.strip(), last
    return arg.strip(), ""


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
