"""What a fresh process imports: ``import xxgk`` and the ``xxgk`` command load only what they use (issue 14's start-up
time; the time itself is benchmarks/bench.py's, never asserted here)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import corpus_files


def _imported(statement: str) -> set[str]:
    code = f"{statement}\nimport sys\nprint('\\n'.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return set(out.split())


def _loaded(modules: set[str], names: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if m.split(".")[0] in names or m in names)


def test_import_xxgk_loads_no_stage_and_no_library() -> None:
    modules = _imported("import xxgk")
    assert _loaded(modules, ("lark", "rich", "attrs", "attr", "opencc")) == []
    assert sorted(m for m in modules if m.startswith("xxgk.")) == []


@pytest.mark.parametrize(
    "statement", ["import xxgk.cli.main", "import xxgk.pipeline; import xxgk.scale.batch; import xxgk.cli.parse"]
)
def test_the_command_loads_no_process_pool_repl_template_engine_or_progress_bar(statement: str) -> None:
    modules = _imported(statement)
    unused = ("multiprocessing", "concurrent", "prompt_toolkit", "jinja2", "xxgk.repl.session", "xxgk.repl.workspace")
    assert _loaded(modules, unused) == []
    assert not {"rich.progress", "rich.table", "rich.tree"} & modules


def test_one_file_to_json_loads_no_console_pool_metadata_or_other_command() -> None:
    """``xxgk parse FILE --format json`` as a user runs it: what it imported once its output is written."""
    code = (
        "import sys\nfrom xxgk.cli.main import main\n"
        f"status = main(['parse', {str(corpus_files()[0])!r}, '--format', 'json'])\n"
        "sys.stderr.write('\\n'.join(sys.modules))\nsys.exit(status)"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(run.stdout)["source"] == str(corpus_files()[0])
    modules = set(run.stderr.split())
    unused = ("rich", "multiprocessing", "concurrent", "importlib.metadata", "csv", "pyarrow", "pandas")
    assert _loaded(modules, unused) == []
    assert sorted(m for m in modules if m.startswith(("xxgk.repl", "xxgk.panel", "xxgk.cli.check"))) == []
    # What a well-formed report in JSON does not use: the long tables and the summary, the table recovery (with
    # Lark's tree, its checks and the identities' repair), html's entities, importlib.resources' zip support, the
    # readers' records (a plain text is no document), OpenCC (a text of simplified characters needs no conversion,
    # and its version is read from its distribution).
    not_needed = (
        "opencc",
        "xxgk.readers.extracted",
        "xxgk.export.longform",
        "xxgk.export.summary",
        "xxgk.tables.recovery",
        "xxgk.tables.tree",
        "xxgk.tables.checks",
        "xxgk.tables.repair",
        "html",
        "zipfile",
    )
    assert _loaded(modules, not_needed) == []


def test_the_library_names_resolve() -> None:
    import xxgk

    assert all(getattr(xxgk, name) is not None for name in xxgk.__all__)
    assert set(xxgk.__all__) <= set(dir(xxgk))
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        xxgk.nope  # noqa: B018


def test_submodules_are_attributes_of_the_package() -> None:
    code = "import xxgk; print(xxgk.export.__name__, xxgk.tables.__name__)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["xxgk.export", "xxgk.tables"]


def test_a_later_one_file_run_reads_what_the_first_one_kept(tmp_path: Path) -> None:
    """The parsers whole (neither built nor rebuilt by Lark.load) and the well-formed read's moves (none worked out):
    what a fresh process of the command reads from the cache the first run filled."""
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    argv = ["parse", str(corpus_files()[0]), "--format", "json"]
    first = subprocess.run([sys.executable, "-m", "xxgk", *argv], env=env, capture_output=True, check=True)
    code = (
        "import sys, lark\n"
        "def refused(*args, **kwargs):\n"
        "    raise AssertionError('worked out again, not read from the cache')\n"
        "lark.Lark.open_from_package = lark.Lark.load = refused\n"
        "from xxgk.cli.main import load_command, main\n"
        "load_command(sys.argv[1:])  # the command's modules, as the console script imports them before its run\n"
        "from xxgk.tables import wellformed\n"
        "wellformed.move = refused\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    later = subprocess.run([sys.executable, "-c", code, *argv], env=env, capture_output=True, check=True)
    assert later.stdout == first.stdout and later.stderr == b""
