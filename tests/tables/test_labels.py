"""Tolerant labels (xxgk.tables.labels, the cell lexer's candidates): truncated, split, glued and damaged labels, and
labels broken over two cells, through the statutory stage.
"""

from __future__ import annotations

import os
import sys
from typing import Final

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.tables.streams import both_ways, kinds, layout, placed, render, replace_cell
from xxgk.records import Cell, Cells
from xxgk.tables import grammar
from xxgk.tables.cells import Stream
from xxgk.tables.form import keys
from xxgk.tables.labels import _enumerator, fold
from xxgk.tables.statutory import read_cell_stream
from xxgk.tables.wellformed import read_well_formed

EXAMPLES: Final = int(os.environ.get("XXGK_DIFF_EXAMPLES", "25"))


def test_truncated_headers_take_the_column_the_parser_expects() -> None:
    cells, numbers = render(layout("2019"))
    cells = replace_cell(cells, "本年新制作数量", "本年新")
    cells = replace_cell(cells, "本年新公开数量", "本年新")
    cells = replace_cell(cells, "本年增/减", "本年增/")
    tables, diagnostics = read_cell_stream(cells, "2019")
    assert placed(tables) == numbers and diagnostics == []


def test_split_and_broken_labels() -> None:
    cells, numbers = render(layout("2021"))
    cells = replace_cell(cells, "商业企业", "商业", "企业")
    cells = replace_cell(cells, "科研机构", "科研 机构")
    cells = replace_cell(cells, "结果纠正", "结果\n纠正")
    cells = replace_cell(cells, "尚未审结", "尚未\n审结")
    cells = replace_cell(cells, "5.要求行政机关确认或重新出具已获取信息", "5.要求行政机关确认或重新\n出具已获取信息")
    cells = replace_cell(cells, "总计", "总 计")
    tables, diagnostics = read_cell_stream(cells, "2021")
    assert placed(tables) == numbers and diagnostics == []


def test_labels_glued_to_debris_and_damaged_enumerators() -> None:
    cells, numbers = render(layout("2021"))
    cells = replace_cell(cells, "一、本年新收政府信息公开申请数量", "_Hlk66973412一、本年新收政府信息公开申请数量")
    cells = replace_cell(cells, "(三)不予公开", "三)不予公开")
    cells = replace_cell(cells, "(二)部分公开(区分处理的,只计这一情形,不计其他情形)", "(二)部分公开")
    tables, diagnostics = read_cell_stream(cells, "2021")
    assert placed(tables) == numbers and diagnostics == []


def test_fold_keeps_the_alphanumeric_characters_but_the_underscore() -> None:
    """As str.isalnum says, for every character there is (fails with \\W alone, which keeps the underscore, or an
    ASCII class)."""
    every = "".join(map(chr, range(sys.maxunicode + 1)))
    assert not _enumerator().match(every)
    assert fold(every) == "".join(ch for ch in every if ch.isalnum() and ch != "_")


def test_fold() -> None:
    assert fold("(三) 不予公开") == "不予公开"
    assert fold("3.危及“三安全一稳定”") == "危及三安全一稳定"
    assert fold("第二十条第(一)项") == "第二十条第一项"
    assert fold("本年收费金额(单位:万元)") == "本年收费金额单位万元"


# --- labels broken over two cells ------------------------------------------------------------------------------------

# A label the extractor broke over two cells (the `lines` form: one cell per line), by the first half: 商业 and 结果
# and 尚未 are no labels by themselves, 其他 is one (a column of table 2, the row 3.其他).
_SPLITS = {
    "商业企业": ("商业", "企业"),
    "结果纠正": ("结果", "纠正"),
    "尚未审结": ("尚未", "审结"),
    "其他结果": ("其他", "结果"),
}


def _split_labels(cells: list[Cell]) -> list[Cell]:
    """Every cell holding one of the split labels, as two cells."""
    out: list[Cell] = []
    for cell in cells:
        out += [attrs.evolve(cell, text=t) for t in _SPLITS.get(cell.text, (cell.text,))]
    return out


@pytest.mark.parametrize("template", ["2019", "2021"])
@pytest.mark.parametrize("row_marks", [False, True])
def test_split_labels_on_the_well_formed_path(template: str, row_marks: bool) -> None:
    """Every split label is read joined on the fast path, which builds the tree Lark builds (same choices); a join
    over a cell that is a label by itself (其他 / 结果, three times in table 3's header) is reported."""
    cells, numbers = render(layout(template), row_marks)
    cells = _split_labels(cells)
    assert [c.text for c in cells].count("其他") == 4  # the applicant column and the three reviews' 其他结果
    assert read_well_formed(template, Stream(Cells.of(cells))) is not None
    tables, diagnostics = both_ways(cells, template)
    assert placed(tables) == numbers and kinds(diagnostics) == ["table.joined_cells"] * 3
    assert all(d.excerpt == "其他 | 结果" for d in diagnostics)


@pytest.mark.parametrize("template", ["2019", "2021"])
def test_split_labels_in_the_recovery(template: str) -> None:
    """A stray cell sends the stream to Lark's parser and the recovery, which joins the same cells."""
    cells, numbers = render(layout(template))
    cells = _split_labels([*cells[:5], Cell("某某情况", 99, 1), *cells[5:]])
    assert read_well_formed(template, Stream(Cells.of(cells))) is None
    tables, diagnostics = read_cell_stream(cells, template)
    assert placed(tables) == numbers
    assert sorted(kinds(diagnostics)) == ["table.joined_cells"] * 3 + ["table.unmatched_cell"]


@pytest.mark.parametrize("split", list(_SPLITS))
def test_each_split_label_alone(split: str) -> None:
    """Each split on its own, on both paths: only the join over a label (其他 / 结果) is reported."""
    cells, numbers = render(layout("2021"))
    cells = replace_cell(cells, split, *_SPLITS[split])
    joined = ["table.joined_cells"] if split == "其他结果" else []
    tables, diagnostics = read_cell_stream(cells, "2021")
    assert placed(tables) == numbers and kinds(diagnostics) == joined
    cells = [*cells[:5], Cell("某某情况", 99, 1), *cells[5:]]
    tables, diagnostics = read_cell_stream(cells, "2021")
    assert placed(tables) == numbers and sorted(kinds(diagnostics)) == [*joined, "table.unmatched_cell"]


def test_a_label_by_itself_is_not_joined_where_it_fits() -> None:
    """The row 3.其他 followed by a stray 结果 stays the row, though the two cells join into a label (其他结果, a
    column of table 3): the parser state chooses, and the join does not fit there."""
    cells, numbers = render(layout("2021"))
    i = next(i for i, c in enumerate(cells) if c.text == "3.其他")
    cells = [*cells[: i + 1], attrs.evolve(cells[i], text="结果"), *cells[i + 1 :]]
    tables, diagnostics = read_cell_stream(cells, "2021")
    assert placed(tables) == numbers
    assert kinds(diagnostics) == ["table.unmatched_cell"] and "'结果'" in diagnostics[0].message


def test_a_row_one_value_short_does_not_fill_from_its_merged_places() -> None:
    """A pipe row that lost a cell ("| 2 | 57 | ||"): its values run into the empty merged places at the line's end.
    Those are no values, so the row is short and nothing of it is placed (it was placed from the left before)."""
    cells, numbers = render(layout("2021"), row_marks=True)
    i = next(i for i, c in enumerate(cells) if c.text == str(numbers["granted/research"]))
    row_end = next(j for j in range(i, len(cells)) if cells[j].row_start)
    cells = [*cells[:i], *cells[i + 1 : row_end], attrs.evolve(cells[row_end - 1], text=""), *cells[row_end:]]
    tables, diagnostics = read_cell_stream(cells, "2021")
    assert "granted" not in tables.applications
    assert placed(tables) == {k: v for k, v in numbers.items() if not k.startswith("granted/")}
    assert "table.short_row" in kinds(diagnostics)


def test_values_after_a_label_that_cannot_stand_are_that_labels() -> None:
    """A row moved under another item (行政许可 among table 1's 第(六)项 rows, its 行政处罚 row showing no value):
    行政许可's value is its own, never 行政处罚's — it is skipped with its label."""
    cells, numbers = render(layout("2021"))
    penalty = next(i for i, c in enumerate(cells) if c.text == "行政处罚")
    moved = [attrs.evolve(cells[penalty], text="行政许可"), attrs.evolve(cells[penalty], text="77")]
    cells = [*cells[: penalty + 1], *moved, *cells[penalty + 2 :]]  # 行政处罚's value replaced by the moved row
    tables, _ = read_cell_stream(cells, "2021")
    assert "penalty" not in tables.active_disclosure.get("art20_6", {})
    assert all(numbers.get(k) == v for k, v in placed(tables).items())


def _printed_labels(template: str) -> list[str]:
    return sorted({text for texts in keys(template).labels.values() for text in texts})


@st.composite
def _cell_texts(draw: st.DrawFn, template: str) -> list[str]:
    """Cells as extraction leaves them: printed labels whole, broken in two at any character (the halves one after
    the other), with an enumerator or punctuation, or alone; values, empty cells and other text between them."""
    labels = _printed_labels(template)
    texts: list[str] = []
    for _ in range(draw(st.integers(1, 8))):
        label = draw(st.sampled_from(labels))
        how = draw(st.sampled_from(["whole", "broken", "enumerated", "other"]))
        if how == "broken":
            at = draw(st.integers(0, len(label)))
            texts += [label[:at], label[at:]]
        elif how == "enumerated":
            texts.append(draw(st.sampled_from(["一、", "(三)", "1.", "①", "、"])) + label)
        elif how == "other":
            texts.append(draw(st.sampled_from(["", "0", "12", "/", "-", "列1", "。", "（", "其他", "结果", "合计"])))
        else:
            texts.append(label)
    return texts


@pytest.mark.parametrize("template", ["2019", "2021"])
@settings(max_examples=EXAMPLES, deadline=None)
@given(data=st.data())
def test_a_label_cell_reads_as_with_its_next_cell(template: str, data: st.DataObject) -> None:
    """The cell lexer's reading of a label cell (:meth:`CellLexer.label`, which looks a cell whose text no longer
    label goes on from up by its text alone) is its reading with the cell after it, unless that is a value."""
    lexer = grammar.lexer(template)
    texts = data.draw(_cell_texts(template))
    for i, text in enumerate(texts):
        if lexer.kind(text) is not None:
            continue
        after = texts[i + 1] if i + 1 < len(texts) else None
        if after is not None and lexer.kind(after) is not None:
            after = None
        assert lexer.label(texts, i) == lexer._classes_of_label(text, after), (text, after)


@pytest.mark.parametrize("template", ["2019", "2021"])
def test_a_numbered_label_is_a_row_never_a_column(template: str) -> None:
    """The form numbers its rows and never its headers' labels: "(七)总计" is the total row only, where "总计" may be
    a column too."""
    lexer = grammar.lexer(template)
    header = {"COL_TOTAL", "REVIEW_TOTAL"}
    assert set(lexer.label(["总计", "1"], 0).names) >= {"ROW_TOTAL", *header}
    for text in ("(七)总计", "七、总计", "7.总计"):
        assert "ROW_TOTAL" in lexer.label([text, "1"], 0).names
        assert not header & set(lexer.label([text, "1"], 0).names), text


def test_a_total_row_written_twice_with_other_values_is_not_taken_for_the_next_header() -> None:
    """A second copy of the applications' total row, with other values, then the reviews' header moved up and its
    column labels lost: read as that header's 总计 (a jump over the rows between) the copy went unseen and the first
    copy's values were placed; as a row written twice with different values, neither is."""
    rows = layout("2021")
    at = next(i for i, (k, _) in enumerate(rows) if k == ("total",))
    copy = (("total",), [rows[at][1][0], *(str(900 + n) for n in range(7))])
    forward, reviews = at + 1, next(i for i, (k, _) in enumerate(rows) if k == ("reviews",))
    groups = rows[forward + 1]  # 行政复议 | 行政诉讼
    cells, numbers = render([*rows[: at + 1], copy, groups, rows[forward], *rows[reviews:]])
    tables, diagnostics = read_cell_stream(cells, "2021")
    assert "total" not in tables.applications
    assert "table.repeated_row" in kinds(diagnostics)
    assert all(numbers.get(path) == value for path, value in placed(tables).items())
