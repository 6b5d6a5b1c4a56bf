"""The well-formed read (xxgk.tables.wellformed): taken where every cell fits, the same tables and diagnostics as
Lark's own parse, and given up at the first cell that does not fit.
"""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import xxgk
from tests.conftest import CORPUS
from tests.tables.streams import both_ways, kinds, layout, render, replace_cell
from tests.test_layout import MODULES, _imports, _name
from xxgk import schema
from xxgk.engine import grammars
from xxgk.records import Cell, Cells
from xxgk.tables import grammar, wellformed
from xxgk.tables.cells import FILLER, PLACEHOLDER, Stream, fill_of
from xxgk.tables.statutory import read_cell_stream
from xxgk.tables.wellformed import read_well_formed


@pytest.mark.parametrize("template", ["2019", "2021"])
@pytest.mark.parametrize("row_marks", [False, True])
@pytest.mark.parametrize("header", [False, True])
def test_well_formed_path_places_what_the_tree_places(template: str, row_marks: bool, header: bool) -> None:
    """The fast path (the parse table's stack automaton) makes the lexer's choices, and reading the places off the
    parser's stack gives what the parser's tree gives: same tables, same diagnostics; a short row still gets its
    GAP."""
    rows = layout(template, header)
    rows = [(key, [*row, ""] if key is not None else row) for key, row in rows]  # spanned places: empty cells
    if row_marks:  # a row the marks show ended early (an empty cell opens the next): the lexer fills in GAPs
        short = next(i for i, (key, _) in enumerate(rows) if key is not None and key[0] == "granted")
        rows[short] = (rows[short][0], rows[short][1][:-3])
        rows[short + 1] = (rows[short + 1][0], ["", *rows[short + 1][1]])
    cells, _ = render(rows, row_marks)
    found = read_well_formed(template, Stream(Cells.of(cells)))
    assert found is not None
    assert any(-1 in values for _, _, values in found) == row_marks
    _, diagnostics = both_ways(cells, template)
    assert "table.unmatched_cell" not in kinds(diagnostics)


@pytest.mark.parametrize("template", ["2019", "2021"])
def test_well_formed_read_keeps_the_lexers_classes_of_its_labels(template: str) -> None:
    """The classes the read works out for each label cell (kept for the recovery in ``Stream.classes``) are the
    cell lexer's, labels broken over two cells among them."""
    cells, _ = render(layout(template))
    cells = replace_cell(cells, schema.TABLE_HEADINGS["info_content"], "信息", "内容")
    carried_forward = dict(schema.APPLICATION_ROWS[template])["carried_forward"]
    cells = replace_cell(cells, carried_forward, "四、结转下年度", "继续办理")
    stream = Stream(Cells.of(cells))
    assert read_well_formed(template, stream) is not None
    lexer, fresh = grammar.lexer(template), Stream(Cells.of(cells))
    labels = [i for i, cell in enumerate(cells) if lexer.kind(cell.text) is None]
    assert stream.classes == {i: lexer.classify(fresh, i) for i in stream.classes}
    # Every label cell but the second halves the read took joined with the cell before.
    assert len(stream.classes) >= len(labels) - 2 and set(stream.classes) <= set(labels)
    assert any(2 in classes.widths for classes in stream.classes.values())  # a label offered joined with the next


@pytest.mark.parametrize("template", ["2019", "2021"])
def test_well_formed_path_gives_way_where_a_cell_does_not_fit(template: str) -> None:
    """A cell the parser cannot take, or an end it cannot accept, sends the stream to the recovery parse."""
    cells, _ = render(layout(template))
    assert read_well_formed(template, Stream(Cells.of(cells))) is not None
    stray = [*cells[:5], Cell("某某情况", 99, 1), *cells[5:]]
    assert read_well_formed(template, Stream(Cells.of(stray))) is None
    assert read_well_formed(template, Stream(Cells.of(cells[:-3]))) is None
    assert kinds(read_cell_stream(stray, template)[1]) == ["table.unmatched_cell"]


def _trailing_cell_by_cell(kinds: list[str | None], row_starts: list[bool], texts: list[str]) -> frozenset[int]:
    """The trailing fill as the docstring of ``cells.trailing`` says it, walked forward cell by cell: a "/" after a
    number is a value, so the fill starts after it."""
    out: list[int] = []
    run: list[int] = []
    numbers = False
    for i, (k, row_start) in enumerate(zip(kinds, row_starts, strict=True)):
        if row_start:
            out += run
            run, numbers = [], False
        if k == "EMPTY" or (k == "NA" and numbers and texts[i] != "/"):
            run.append(i)
        else:
            run = []
            numbers = numbers or k == "NUMBER"
    return frozenset(out + run)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["EMPTY", "NA", "/", "NUMBER", "ODD", None]), st.booleans()), max_size=40))
def test_fill_read_back_from_each_rows_end_is_the_fill_walked_cell_by_cell(
    cells: list[tuple[str | None, bool]],
) -> None:
    """fill_of looks only at the cells each row ends with: the same fill as the forward walk over every cell."""
    kinds = ["NA" if k == "/" else k for k, _ in cells]
    row_starts = [s for _, s in cells]
    texts = ["/" if k == "/" else "-" if k == "NA" else "" for k, _ in cells]
    assert set(fill_of(kinds, row_starts, texts)) == _trailing_cell_by_cell(kinds, row_starts, texts)


def test_fill_is_what_a_row_ends_with_and_a_dash_only_after_a_number() -> None:
    kinds: list[str | None] = ["NUMBER", "NA", "EMPTY", None, "NA", "EMPTY", "NA", "NUMBER", "EMPTY", "NUMBER", "NA"]
    starts = [True, False, False, True, False, False, True, False, False, True, False]
    texts = ["1", "—", "", "规章", "-", "", "-", "3", "", "4", "/"]
    # After a number, a dash may be a converter's placeholder for a lost cell; a "/" is the agency's own mark, a
    # value, and the fill starts after it.
    assert fill_of(kinds, starts, texts) == {1: PLACEHOLDER, 2: FILLER, 5: FILLER, 8: FILLER}
    assert fill_of(kinds, starts, [*texts[:1], "/", *texts[2:]]) == {2: FILLER, 5: FILLER, 8: FILLER}


def test_in_rows_the_form_shows_a_header_rows_dashes_are_fill() -> None:
    """Where every row is shown (pipe rows, markdown, tab rows), a row without a number ends in fill after its last
    label: a converter's placeholders after a header's labels, dropped where no value is wanted, or a row label's
    not-applicable values.  Where rows are not shown (one cell a line), the same cells are values, as before."""
    kinds: list[str | None] = [None, None, "NA", "NA", None, "NA", "NA", "NA"]
    starts = [True, False, False, False, True, False, False, False]
    texts = ["总计", "复议后起诉", "-", "-", "(七)总计", "-", "-", "/"]
    assert fill_of(kinds, starts, texts, [True] * 8) == dict.fromkeys([2, 3, 5, 6, 7], FILLER)
    assert fill_of(kinds, starts, texts, [False] * 8) == {}
    assert fill_of(kinds, starts, texts) == {}  # not known: not shown


def test_the_moves_are_kept_under_the_code_that_works_them_out() -> None:
    """A move kept on disk is read back only by the code that worked it out: its key names this module and all it
    imports, read from the source as tests/test_layout.py reads the import graph."""
    graph = {_name(path): _imports(path) for path in MODULES}
    closure, todo = set(), ["xxgk.tables.wellformed"]
    while todo:
        module = todo.pop()
        if module not in closure:
            closure.add(module)
            todo += graph[module]
    assert sorted(wellformed._CODE) == sorted(closure)


@pytest.mark.parametrize("name", ["000_875ca7f37e0dab6a.txt", "103_wrapped_labels.txt", "109_moved_and_reordered.txt"])
def test_moves_read_back_by_a_later_process_give_the_same_report(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A process's first read keeps its moves (a cell that does not fit among them: the recovery reads the
    damaged forms); a later process, whose stacks are numbered anew, reads them back instead of working them out."""
    path = CORPUS / name
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    grammars.reload()
    built = xxgk.parse_file(path)
    assert list((tmp_path / "xxgk").glob(f"wellformed_{built.template}-*.pickle"))
    grammars.reload()

    def worked_out(*args: object) -> None:
        raise AssertionError("a move worked out, not read back")

    monkeypatch.setattr(wellformed, "move", worked_out)
    assert xxgk.parse_file(path) == built


def test_moves_kept_in_a_file_of_another_shape_are_worked_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = CORPUS / "000_875ca7f37e0dab6a.txt"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    grammars.reload()
    built = xxgk.parse_file(path)
    (kept,) = (tmp_path / "xxgk").glob(f"wellformed_{built.template}-*.pickle")
    for shape in ({(0, 1): ()}, {((0,), "NUMBER"): (1, 2)}, {"a": "b"}):
        kept.write_bytes(pickle.dumps(shape))
        grammars.reload()
        assert xxgk.parse_file(path) == built
