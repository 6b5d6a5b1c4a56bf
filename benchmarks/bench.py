#!/usr/bin/env python3
"""Benchmark of the whole xxgk pipeline against its floor, run on demand (not part of the test suite).

    .venv/bin/python benchmarks/bench.py                   # corpus, damaged copies, growth 1x..64x, memory, --jobs
    .venv/bin/python benchmarks/bench.py --profile 25      # and the 25 top functions by own time (cProfile)
    .venv/bin/python benchmarks/bench.py --quick --rounds 10   # the corpus and its stages only, in seconds
    .venv/bin/python benchmarks/bench.py --only startup,big    # single sections (see --only)

The *floor* is what no parser can avoid: reading the file, decoding it, OpenCC Traditional→Simplified conversion
and a regex line split.  Every figure is also given as a ratio to the floor measured in the same run, so results
compare across machines.  Targets (issue 14): the pipeline within 5x the floor (bar 8x), ``parse`` + JSON within
7x; a one-file ``xxgk parse F --format json`` within 80 ms (bar 120 ms), process start included; µs per KB at
50 MB within 1.3x of 1 MB and peak RSS within 8 bytes per input byte; throughput growing with ``--jobs``.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import cProfile
import functools
import gc
import io
import itertools
import json
import os
import pstats
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from identity import damaged_copy  # benchmarks/, beside this script

import xxgk
from xxgk import pipeline
from xxgk.document import segment
from xxgk.export.report import iter_cells, to_dict, to_json
from xxgk.normalise import normalise
from xxgk.normalise.chars import converter
from xxgk.records import Block
from xxgk.scale import batch, render, workers
from xxgk.tables.serial import read_block
from xxgk.tables.statutory import read_tables

ROOT = Path(__file__).resolve().parent.parent
# The stage functions as pipeline.py calls them, in pipeline order.
STAGES = ("normalise", "segment", "read_block", "read_tables", "validate")  # segment decides the template too
_LINES = re.compile(r"\r\n|\r|\n")
# The in-process figures are this process's CPU time by default: on cores shared with other work, a round the
# scheduler interrupts does not count the interruption (--clock wall for elapsed time).  Start-up (fresh
# processes) and the --jobs rows are elapsed time.
CLOCKS = {"cpu": time.process_time, "wall": time.perf_counter}
clock = CLOCKS["cpu"]


def floor_text(text: str) -> int:
    """The floor's work on text already in memory: OpenCC conversion and the line split."""
    return len(_LINES.split(converter()(text)))


def floor_bytes(data: bytes) -> int:
    return floor_text(data.decode("utf-8"))


def floor_file(path: Path) -> int:
    return floor_bytes(path.read_bytes())


def best_of(rounds: int, *fns: Callable[[], object]) -> list[float]:
    """Fastest of ``rounds`` timings of each of ``fns``, the functions taking turns within each round so that a
    noisy neighbour slows them alike (the minimum is the figure least disturbed by other processes)."""
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(rounds):
        for fn, out in zip(fns, times, strict=True):
            t = clock()
            fn()
            out.append(clock() - t)
    return [min(t) for t in times]


def _groups(files: list[Path]) -> dict[str, list[Path]]:
    """The corpus, and its published reports (000-099) and form documents (101-199, made by
    tests/make_forms_corpus.py: damaged layouts that the recovery reads) where it holds both."""
    reports, forms = [f for f in files if f.name < "1"], [f for f in files if f.name >= "1"]
    return {"the corpus": files} | ({"reports": reports, "form documents": forms} if reports and forms else {})


def corpus_rounds(files: list[Path], rounds: int) -> None:
    size_kb = sum(f.stat().st_size for f in files) / 1024
    n = len(files)
    # The first parse makes every parser (read from the user's cache, or built); it is reported apart, as a
    # once-per-process cost.
    t = clock()
    xxgk.parse_file(files[0])
    cold = clock() - t
    floor, pipe, with_json = best_of(
        rounds,
        lambda: [floor_file(f) for f in files],
        lambda: [xxgk.parse_file(f) for f in files],
        lambda: [to_json(xxgk.parse_file(f)) for f in files],
    )
    print(f"## Corpus: {n} reports, {size_kb:.1f} KB, best of {rounds} rounds\n")
    print("| stage | ms/report | reports/s | µs/KB | × floor |")
    print("|---|---:|---:|---:|---:|")
    for name, secs in (
        ("floor (read, decode, OpenCC, line split)", floor),
        ("whole pipeline (parse_file)", pipe),
        ("whole pipeline and its JSON (to_json)", with_json),
    ):
        print(f"| {name} | {secs / n * 1e3:.3f} | {n / secs:,.0f} | {secs / size_kb * 1e6:,.1f} | {secs / floor:.1f} |")
    for kind, group in _groups(files).items():
        if len(group) < n:
            kb = sum(f.stat().st_size for f in group) / 1024
            g_floor, g_pipe = best_of(
                rounds, lambda g=group: [floor_file(f) for f in g], lambda g=group: [xxgk.parse_file(f) for f in g]
            )
            m = len(group)
            figures = f"{g_pipe / m * 1e3:.3f} | {m / g_pipe:,.0f} | {g_pipe / kb * 1e6:,.1f} | {g_pipe / g_floor:.1f}"
            print(f"| whole pipeline, {m} {kind} | {figures} |")
    print(f"\nfirst parse in a fresh process (parsers from the user's cache, or built): {cold * 1e3:.0f} ms")
    ratios = f"{pipe / floor:.1f}× (target ≤ 5×, bar ≤ 8×), with JSON {with_json / floor:.1f}× (target ≤ 7×)"
    print(f"**pipeline / floor = {ratios}**\n")


def damaged(files: list[Path], count: int, rounds: int) -> None:
    """Damaged copies of the corpus — what extraction does to real reports (identity.damaged_copy: lines lost,
    doubled, swapped or cut, stray cells, tabs, pipes and blank lines) — so that the table recovery (Lark's parser
    with the error handler, where a cell does not fit) is measured, not only the well-formed path."""
    rng = random.Random(20261125)
    texts = [f.read_text(encoding="utf-8") for f in files]
    docs = [damaged_copy(rng, texts).encode("utf-8") for _ in range(count)]
    size_kb = sum(map(len, docs)) / 1024
    floor, pipe = best_of(rounds, lambda: [floor_bytes(d) for d in docs], lambda: [xxgk.parse(d) for d in docs])
    troubled = sum(any(d.kind.startswith("table.") for d in xxgk.parse(doc).diagnostics) for doc in docs)
    print(f"## Damaged copies: {count} documents, {size_kb:,.0f} KB, best of {rounds} rounds\n")
    print("Each a corpus report with 1–6 lines lost, doubled, swapped or cut, or stray cells, tabs, pipes and blank")
    print(f"lines put in (fixed seed, benchmarks/identity.py); {troubled} of them have a table diagnostic.\n")
    print("| stage | ms/document | µs/KB | × floor |")
    print("|---|---:|---:|---:|")
    for name, secs in (("floor", floor), ("whole pipeline (parse)", pipe)):
        print(f"| {name} | {secs / count * 1e3:.3f} | {secs / size_kb * 1e6:,.1f} | {secs / floor:.1f} |")
    print()


@contextlib.contextmanager
def stages_timed(spent: dict[str, float]) -> Iterator[None]:
    """Within the block, each stage function pipeline.py calls adds its time to ``spent[name]`` (no profiler)."""
    originals = {name: getattr(pipeline, name) for name in STAGES}

    def timed(name: str) -> Callable[..., object]:
        def wrapper(*args: object, **kwargs: object) -> object:
            t = clock()
            try:
                return originals[name](*args, **kwargs)
            finally:
                spent[name] += clock() - t

        return wrapper

    for name in STAGES:
        setattr(pipeline, name, timed(name))
    try:
        yield
    finally:
        for name, fn in originals.items():
            setattr(pipeline, name, fn)


def stage_times(files: list[Path], rounds: int) -> None:
    """Time spent in each stage function, measured by wrapping the names pipeline.py calls (no profiler), per
    report and as a multiple of each group's floor: the stages other than the tables' show what a document costs
    whatever its tables.  Each round times the group's floor, then its parse; the figures are those of the round
    whose parse was fastest, and the fastest floor, as the corpus rows take the best of each."""
    groups = _groups(files)
    best: dict[str, dict[str, float]] = {}
    floors = {}
    for label, group in groups.items():
        rounds_spent = []
        floor_times = []
        now = dict.fromkeys(STAGES, 0.0)
        with stages_timed(now):
            for _ in range(rounds):
                t = clock()
                for f in group:
                    floor_file(f)
                floor_times.append(clock() - t)
                now.update(dict.fromkeys(STAGES, 0.0))
                t = clock()
                for f in group:
                    xxgk.parse_file(f)
                rounds_spent.append({"total": clock() - t, **now})
        fastest = min(rounds_spent, key=lambda spent: spent["total"])
        fastest["rest"] = fastest["total"] - sum(fastest[name] for name in STAGES)
        fastest["not tables"] = fastest["total"] - fastest["read_block"] - fastest["read_tables"]
        best[label], floors[label] = fastest, min(floor_times)
    whole = best["the corpus"]
    heads = " | ".join(f"× floor, {label}" for label in groups)
    print(f"| stage | ms/report | share | {heads} |")
    print("|---|---:|---:|" + "---:|" * len(groups))
    rows = [(name, name) for name in STAGES] + [("(reading, records, glue)", "rest")]
    rows += [("all but the tables (read_block, read_tables)", "not tables"), ("whole pipeline", "total")]
    for title, key in rows:
        ratios = " | ".join(f"{best[label][key] / floors[label]:.1f}" for label in groups)
        share = whole[key] / whole["total"]
        print(f"| {title} | {whole[key] / len(files) * 1e3:.3f} | {share:.0%} | {ratios} |")
    print()
    export_times(files, rounds)


def export_times(files: list[Path], rounds: int) -> None:
    """The output formats, which the CLI and batch pay after the parse (not part of the pipeline figure)."""
    reports = [xxgk.parse_file(f) for f in files]
    formats = {
        "to_dict": lambda: [to_dict(r) for r in reports],
        "JSON Lines (to_json, compact)": lambda: [to_json(r, indent=False) for r in reports],
        "JSON (to_json, indent 2)": lambda: [to_json(r) for r in reports],
    }
    print("| output, after the parse | ms/report |")
    print("|---|---:|")
    for name, secs in zip(formats, best_of(rounds, *formats.values()), strict=True):
        print(f"| {name} | {secs / len(files) * 1e3:.3f} |")
    print()


def growth(files: list[Path], factors: list[int], rounds: int) -> None:
    corpus = "\n".join(f.read_text(encoding="utf-8") for f in files)
    print("## Growth: the corpus concatenated into one document\n")
    print("One document holding many reports: a date line closes the report only at the end of the text, so every")
    print('copy goes through every stage; "cells" counts the keyed statutory cells, which the copies share.\n')
    print("| copies | KB | pipeline ms | µs/KB | floor µs/KB | × floor | cells | diagnostics |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for k in factors:
        data = ("\n".join([corpus] * k)).encode("utf-8")
        kb = len(data) / 1024
        r = max(1, rounds // k)
        floor, pipe = best_of(r, functools.partial(floor_bytes, data), functools.partial(xxgk.parse, data))
        report = xxgk.parse(data)
        print(
            f"| {k} | {kb:,.0f} | {pipe * 1e3:,.1f} | {pipe / kb * 1e6:,.1f} | {floor / kb * 1e6:,.1f} | "
            f"{pipe / floor:.1f} | {len(list(iter_cells(report))):,} | {len(report.diagnostics):,} |"
        )
    print()


def table_growth(files: list[Path], factors: list[int]) -> None:
    """The table stages on each corpus table block repeated k times: cells and recovery at scale."""
    blocks = []
    for f in files:
        norm = normalise(f.read_bytes())
        doc = segment(norm)
        template = doc.template
        for b in doc.blocks:
            blocks.append((b.section_key, norm.text[b.start : b.end].rstrip("\n") + "\n\n", template))

    def run(k: int) -> tuple[float, float, float, int]:
        spent_cells = spent_tables = kb = 0.0
        n_cells = 0
        for key, text, template in blocks:
            norm = normalise(text * k)
            block = Block(key, 0, len(norm.text), 1)
            t = clock()
            cells, _ = read_block(block, norm)
            spent_cells += clock() - t
            t = clock()
            read_tables([cells], template)
            spent_tables += clock() - t
            kb += len(text.encode("utf-8")) * k / 1024
            n_cells += len(cells)
        return kb, spent_cells, spent_tables, n_cells

    run(1)  # builds the parsers
    print("## Growth of the table stages: every table block of the corpus repeated k times in one block\n")
    print("| k | KB | cells | read_block µs/KB | read_tables µs/KB |")
    print("|---:|---:|---:|---:|---:|")
    for k in factors:
        kb, spent_cells, spent_tables, n_cells = run(k)
        print(f"| {k} | {kb:,.0f} | {n_cells:,} | {spent_cells / kb * 1e6:,.0f} | {spent_tables / kb * 1e6:,.0f} |")
    print()


def memory(files: list[Path], factor: int) -> None:
    corpus = "\n".join(f.read_text(encoding="utf-8") for f in files)
    data = ("\n".join([corpus] * factor)).encode("utf-8")
    gc.collect()
    tracemalloc.start()
    xxgk.parse(data)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("## Memory\n")
    print(
        f"- input {len(data) / 1e6:.1f} MB ({factor}× corpus as one document): peak traced allocation "
        f"{peak / 1e6:.1f} MB = {peak / len(data):.1f}× the input bytes"
    )
    print(f"- process peak RSS over the whole benchmark so far: {maxrss:.0f} MB\n")


def jobs_scaling(files: list[Path], copies: int, jobs_list: list[int]) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="xxgk-bench-"))
    try:
        paths = []
        for i in range(copies):
            for f in files:
                p = tmp / f"{i:04d}_{f.name}"
                shutil.copyfile(f, p)
                paths.append(p)
        print(f"## Batch scaling: {len(paths)} files on --jobs processes (process start-up included)\n")
        print(
            "Two kinds of work: what `xxgk parse --out x.jsonl` does (each worker parses and renders the JSON line, "
            "the parent writes it), and `batch.parse_many` (each worker hands the parent the whole Report, "
            "pickled).\n"
        )
        print("| work | --jobs | seconds | reports/s | speed-up | failed |")
        print("|---|---:|---:|---:|---:|---:|")
        works: list[tuple[str, Callable[[int], Iterator[Any]]]] = [
            (
                "JSON lines (the CLI)",
                lambda jobs: itertools.chain.from_iterable(
                    workers.process_many(paths, functools.partial(render.render, "jsonl"), jobs)
                ),
            ),
            ("Reports (parse_many)", lambda jobs: batch.parse_many(paths, jobs)),
        ]
        for name, work in works:
            base = None
            for jobs in jobs_list:
                t = time.perf_counter()
                failed = sum(o.failure is not None for o in work(jobs))
                secs = time.perf_counter() - t
                base = base or secs
                print(f"| {name} | {jobs} | {secs:.2f} | {len(paths) / secs:,.0f} | {base / secs:.2f} | {failed} |")
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        print(
            f"\n{workers.available_cores()} cores; load average after the run {load} "
            "(other processes share the cores)\n"
        )
    finally:
        shutil.rmtree(tmp)


def profile(files: list[Path], rounds: int, top: int) -> None:
    for f in files:
        xxgk.parse_file(f)  # parsers built outside the profile
    prof = cProfile.Profile()
    prof.enable()
    for _ in range(rounds):
        for f in files:
            xxgk.parse_file(f)
    prof.disable()
    out = io.StringIO()
    stats = pstats.Stats(prof, stream=out)
    stats.sort_stats("tottime").print_stats(top)
    print(f"## Profile: {rounds} rounds of the corpus, top {top} functions by own time (cProfile)\n")
    print("```")
    text = out.getvalue()
    print(text[text.index("ncalls") :].rstrip().replace(str(ROOT) + "/", "").replace(sys.prefix + "/", ""))
    print("```")


def startup(runs: int) -> None:
    """The one-file command as a user runs it: process start, imports, the first parse (parsers read from the user's
    cache, as on every run but the first after an install or a grammar change) and the JSON, each a fresh process;
    next to a bare ``python -c pass`` and ``import xxgk``."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}  # bytecode cached, as installed
    script = Path(sys.executable).with_name("xxgk")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "xxgk"]
    one_file = [*command, "parse", str(ROOT / "corpus" / "000_875ca7f37e0dab6a.txt"), "--format", "json"]
    rows = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "python -c 'import xxgk'": [sys.executable, "-c", "import xxgk"],
        "python -c 'import xxgk.pipeline'": [sys.executable, "-c", "import xxgk.pipeline"],
        "xxgk parse FILE --format json": one_file,
    }

    def run(argv: list[str], run_env: dict[str, str]) -> tuple[float, float]:
        """Elapsed and CPU seconds (user + system) of one run of ``argv``."""
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        subprocess.run(argv, env=run_env, stdout=subprocess.DEVNULL, check=True)
        elapsed = time.perf_counter() - t
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        return elapsed, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime

    for argv in rows.values():
        run(argv, env)  # writes bytecode and the parser cache
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in rows}
    for _ in range(runs):
        for name, argv in rows.items():
            times[name].append(run(argv, env))
    cold = []
    for _ in range(max(1, runs // 4)):
        with tempfile.TemporaryDirectory(prefix="xxgk-bench-cache-") as empty:
            cold.append(run(one_file, {**env, "XDG_CACHE_HOME": empty}))
    times["the same, parser cache empty (builds and saves the parsers)"] = cold
    print(f"## Start-up: one file from the shell, each a fresh process, {runs} runs\n")
    print("Elapsed time is what a user waits; CPU time (user + system) is what it costs, and what a busy machine")
    print("does not inflate.\n")
    print("| command | best ms | median ms | best CPU ms |")
    print("|---|---:|---:|---:|")
    for name, pairs in times.items():
        elapsed = [e for e, _ in pairs]
        cpu = min(c for _, c in pairs)
        print(f"| {name} | {min(elapsed) * 1e3:.0f} | {statistics.median(elapsed) * 1e3:.0f} | {cpu * 1e3:.0f} |")
    best = min(e for e, _ in times["xxgk parse FILE --format json"])
    floor = min(e for e, _ in times["python -c pass"])
    print(
        f"\n**one-file CLI = {best * 1e3:.0f} ms** (target ≤ 80 ms, bar ≤ 120 ms); `python -c pass` in the same run "
        f"{floor * 1e3:.0f} ms, so xxgk's own part is {(best - floor) * 1e3:.0f} ms\n"
    )


# One fresh process of the one-file command, its parts timed in CPU time as they happen: the libraries in the order
# the command imports them, xxgk's modules, then the run as the console script makes it (xxgk.cli.main.entry:
# arguments, the first parse, the JSON, up to the exit that skips the interpreter's teardown).  It prints a list of
# (part, seconds).
_PHASES = """
import time
T = time.process_time
marks = [("the interpreter's start (CPU before the first line)", T())]
def mark(name):
    marks.append((name, T()))
import gc
gc.disable()  # as the console script does while it loads (xxgk.__main__)
import typing, re, pathlib, contextlib
mark("typing, re, pathlib, contextlib")
import attrs
mark("attrs")
import lark
mark("lark")
import orjson
mark("orjson")
import argparse
mark("argparse")
import xxgk.records
mark("xxgk.records (the records' attrs classes)")
import xxgk.pipeline
mark("xxgk.pipeline (the stage modules)")
import xxgk.cli.main, xxgk.cli.parse
mark("xxgk.cli (the command's modules)")
gc.freeze()
gc.enable()
import io, os, sys
from xxgk.engine import grammars
from xxgk.tables import wellformed
spent = {"load": 0.0, "_moves": 0.0}
def timed(module, name):
    def part(*args, **kwargs):
        start = T()
        try:
            return made(*args, **kwargs)
        finally:
            spent[name] += T() - start
    made = getattr(module, name)
    setattr(module, name, part)
timed(grammars, "load")
timed(wellformed, "_moves")
def ended(status):
    mark("the run: arguments, first parse, JSON")
    parts = [(name, at - before) for (name, at), (_, before) in zip(marks[1:], marks)]
    parts.append(("  of which the parsers read from the cache", spent["load"]))
    parts.append(("  of which the well-formed read's moves read back", spent["_moves"]))
    sys.__stdout__.write(repr([marks[0], *parts]) + "\\n")
    sys.__stdout__.flush()
    os._exit(status)
xxgk.cli.main._exit_now = ended
sys.argv[1:] = ["parse", sys.argv[1], "--format", "json"]
with contextlib.redirect_stdout(io.StringIO()):
    xxgk.cli.main.entry()
"""


def startup_parts(runs: int) -> None:
    """Where the one-file command's time goes: its parts in CPU time, each the best of ``runs`` fresh processes (so
    the total is less than any one run)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    argv = [sys.executable, "-c", _PHASES, str(ROOT / "corpus" / "000_875ca7f37e0dab6a.txt")]
    best: dict[str, float] = {}
    for _ in range(runs):
        out = subprocess.run(argv, env=env, capture_output=True, text=True, check=True).stdout
        for part, seconds in ast.literal_eval(out):
            best[part] = min(best.get(part, seconds), seconds)
    print(f"Parts of one run of corpus/000, CPU ms, each the best of {runs} fresh processes:\n")
    print("| part | ms |")
    print("|---|---:|")
    for part, seconds in best.items():
        print(f"| {part} | {seconds * 1e3:.1f} |")
    print()


def big_text(shape: str, size: int) -> str:
    """About ``size`` bytes of one of two shapes: ``reports``, the corpus reports one after another in one
    document (as the growth rows), or ``report``, one report whose longest line of prose (not a heading) is
    repeated in its place (as the suite's 50 MB test)."""
    files = sorted((ROOT / "corpus").glob("*.txt"))
    if shape == "reports":
        corpus = "\n".join(f.read_text(encoding="utf-8") for f in files)
        return "\n".join([corpus] * max(1, round(size / len(corpus.encode("utf-8")))))
    lines = files[0].read_text(encoding="utf-8").split("\n")
    prose = [i for i, line in enumerate(lines) if line[:1] not in "一二三四五六七八九十(" and not line[:1].isdigit()]
    at = max(prose, key=lambda i: len(lines[i]))
    rest = sum(len(line.encode("utf-8")) + 1 for line in lines)
    copies = max(1, round((size - rest) / (len(lines[at].encode("utf-8")) + 1)))
    return "\n".join([*lines[:at], *[lines[at]] * copies, *lines[at + 1 :]])


def peak_rss() -> int:
    """This process's peak resident memory in bytes.  VmHWM, not ru_maxrss: Linux carries ru_maxrss over a fork and
    exec, so a child would start at the benchmark's own peak."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return int(re.search(r"VmHWM:\s*(\d+) kB", status)[1]) * 1024  # type: ignore[index]


def big_child(path: Path) -> None:
    """One parse of a big file in this (fresh) process: seconds per stage, peak RSS before and after, as JSON."""
    data = path.read_bytes()
    xxgk.parse_file(ROOT / "corpus" / "000_875ca7f37e0dab6a.txt")  # parsers built before the figures
    spent = dict.fromkeys(STAGES, 0.0)
    before = peak_rss()
    with stages_timed(spent):
        t = clock()
        report = xxgk.parse(data)
        total = clock() - t
    peak = peak_rss()
    print(
        json.dumps(
            {
                "bytes": len(data),
                "total": total,
                "stages": spent,
                "before": before,
                "peak": peak,
                "diagnostics": len(report.diagnostics),
            }
        )
    )


def big(sizes: list[float], clock_name: str) -> None:
    """µs per KB and peak RSS per input byte from 1 MB to the largest size, each parse alone in a fresh process."""
    stages = list(STAGES)
    print(f"## Growth to {sizes[-1]:g} MB: one document, parsed alone in a fresh process\n")
    print("Two shapes: `reports`, the corpus reports one after another in one document (each copy's tables go through")
    print("the recovery, as in the growth rows above); `report`, one report whose longest line of prose is repeated")
    print("in its place (the suite's 50 MB test).  Peak RSS: the process's, input bytes included; RSS growth: the")
    print("peak during the parse less the process's peak before it (interpreter, parsers, the input bytes).\n")
    print(
        "| shape | MB | seconds | µs/KB | × 1st row | "
        + " | ".join(f"{s} µs/KB" for s in stages)
        + " | peak RSS MB | peak RSS / input B | RSS growth / input B |"
    )
    print("|---|---:|---:|---:|---:|" + "---:|" * len(stages) + "---:|---:|---:|")
    for shape in ("reports", "report"):
        base = None
        for mb in sizes:
            with tempfile.TemporaryDirectory(prefix="xxgk-bench-") as tmp:
                path = Path(tmp) / f"{shape}.txt"
                path.write_text(big_text(shape, int(mb * 1e6)), encoding="utf-8")
                argv = [sys.executable, __file__, "--child", str(path), "--clock", clock_name]
                r = json.loads(subprocess.run(argv, capture_output=True, text=True, check=True).stdout)
            kb = r["bytes"] / 1024
            per_kb = r["total"] / kb * 1e6
            base = base or per_kb
            cells = " | ".join(f"{r['stages'][s] / kb * 1e6:,.0f}" for s in stages)
            print(
                f"| {shape} | {r['bytes'] / 1e6:,.1f} | {r['total']:,.1f} | {per_kb:,.0f} | {per_kb / base:.2f} | "
                f"{cells} | {r['peak'] / 1e6:,.0f} | {r['peak'] / r['bytes']:.1f} | "
                f"{(r['peak'] - r['before']) / r['bytes']:.1f} |"
            )
    print("\n(target: µs/KB at 50 MB ≤ 1.3× the 1 MB figure; peak RSS ≤ 8 bytes per input byte)\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=ROOT / "corpus", help="directory of *.txt reports")
    ap.add_argument("--rounds", type=int, default=30, help="rounds over the corpus (the fastest is taken)")
    ap.add_argument("--growth", default="1,4,16,64", help="copies of the corpus concatenated into one document")
    ap.add_argument("--jobs", default=None, help="--jobs values to time, e.g. 1,2 (default: 1 and every core)")
    ap.add_argument("--copies", type=int, default=400, help="copies of the corpus for the batch scaling run")
    ap.add_argument("--damaged", type=int, default=300, help="damaged copies of corpus reports to time")
    ap.add_argument("--profile", type=int, metavar="TOP", default=0, help="print the TOP functions of a profile")
    ap.add_argument("--quick", action="store_true", help="the corpus and its stages only (no growth, memory, --jobs)")
    ap.add_argument("--startup-runs", type=int, default=20, help="fresh processes per command for the start-up")
    ap.add_argument("--big", default="1,50", help="MB of the fresh-process growth rows (the first is the base)")
    ap.add_argument(
        "--only",
        help="comma-separated sections: corpus, damaged, growth, tables, memory, startup, big, jobs (default: all)",
    )
    ap.add_argument("--clock", choices=CLOCKS, default="cpu", help="in-process timer: CPU time (default) or wall")
    ap.add_argument("--child", type=Path, help=argparse.SUPPRESS)  # the process of one big() row
    args = ap.parse_args()
    global clock
    clock = CLOCKS[args.clock]
    if args.child:
        big_child(args.child)
        return
    files = sorted(args.corpus.glob("*.txt"))
    factors = [int(x) for x in args.growth.split(",")]
    everything = ("corpus", "damaged", "growth", "tables", "memory", "startup", "big", "jobs")
    wanted = set(args.only.split(",") if args.only else ("corpus",) if args.quick else everything)
    if wanted - set(everything):
        ap.error(f"--only: unknown sections {sorted(wanted - set(everything))}")
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"xxgk benchmark · Python {sys.version.split()[0]} · {os.cpu_count()} cores · {time.strftime('%Y-%m-%d')} · "
        f"{args.clock} time · load average at the start {load}\n"
    )
    if "corpus" in wanted:
        corpus_rounds(files, args.rounds)
        stage_times(files, args.rounds)
    if "startup" in wanted:
        startup(args.startup_runs)
        startup_parts(args.startup_runs)
    if "damaged" in wanted:
        damaged(files, args.damaged, max(1, args.rounds // 10))
    if "growth" in wanted:
        growth(files, factors, args.rounds)
    if "tables" in wanted:
        table_growth(files, factors)
    if "memory" in wanted:
        memory(files, max(factors))
    if "big" in wanted:
        big([float(x) for x in args.big.split(",")], args.clock)
    if "jobs" in wanted:
        cores = os.cpu_count() or 1
        jobs_list = [int(x) for x in args.jobs.split(",")] if args.jobs else sorted({1, cores})
        jobs_scaling(files, args.copies, jobs_list)
    if args.profile:
        profile(files, args.rounds, args.profile)


if __name__ == "__main__":
    main()
