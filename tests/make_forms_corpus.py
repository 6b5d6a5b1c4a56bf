#!/usr/bin/env python3
"""Write the corpus documents of issue 11's forms (corpus/101–113) and their gold files (tests/gold/101–113).

    .venv/bin/python tests/make_forms_corpus.py           # rewrite the documents and gold files
    .venv/bin/python tests/make_forms_corpus.py --check   # exit 1 when a file differs from what this script writes

Every agency, sentence and number here is invented; the layout is the statutory one of the 2019 or 2021 template
(``tests/forms.py`` lays out the tables).  The values of each document are written below by hand and satisfy the
勾稽 identities of docs/spec.md (the totals are computed from them, so they cannot drift).  Each document then gets the
edits that make it the form it shows, and its gold file holds what the document says: a cell the document leaves
empty, cuts off or writes so that no reading is certain is null in gold, and that is stated beside the edit.
"""

from __future__ import annotations

import copy
import json
import random
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import forms  # noqa: E402
from xxgk.schema import APPLICANT_COLUMNS, APPLICATION_ROWS, REVIEW_COLUMNS, SECTION_KEYS  # noqa: E402

Plain = dict[str, Any]
PEOPLE = [c for c, _ in APPLICANT_COLUMNS if c != "total"]


# --- values -----------------------------------------------------------------------------------------------------


def applications(template: str, results: dict[str, list[int]], over: list[int], forward: list[int]) -> Plain:
    """The applications table from its result rows (six applicant columns each; rows not given are all 0), the
    carried-over and carried-forward rows; 总计 row, 总计 column and 本年新收 follow from the identities."""
    rows = [r for r, _ in APPLICATION_ROWS[template]]
    table: dict[str, list[int]] = {r: results.get(r, [0] * 6) for r in rows[2:-2]}
    total = [sum(col) for col in zip(*table.values(), strict=True)]
    table["total"] = total
    table["carried_forward"] = forward
    table["carried_over"] = over
    table["new_received"] = [t + f - o for t, f, o in zip(total, forward, over, strict=True)]
    assert all(v >= 0 for v in table["new_received"]), table["new_received"]
    return {r: {**dict(zip(PEOPLE, table[r], strict=True)), "total": sum(table[r])} for r in rows}


def reviews(review: list[int], direct: list[int], after: list[int]) -> Plain:
    """The reviews table from each group's four results (upheld, corrected, other, pending); totals follow."""
    keys = [c for c, _ in REVIEW_COLUMNS if c != "total"]
    return {
        group: {**dict(zip(keys, four, strict=True)), "total": sum(four)}
        for group, four in (("review", review), ("litigation_direct", direct), ("litigation_after_review", after))
    }


def _rows(columns: tuple[str, ...], **rows: list[Any]) -> dict[str, dict[str, Any]]:
    return {row: dict(zip(columns, cells, strict=True)) for row, cells in rows.items()}


def active_2021(
    rules: list[int],
    normative: list[int],
    licensing: int | None,
    penalty: int | None,
    coercion: int | None,
    fees: Decimal | int | None,
) -> Plain:
    cols = ("issued", "repealed", "in_force")
    return {
        "art20_1": _rows(cols, rules=rules, normative_documents=normative),
        "art20_5": {"licensing": {"decisions": licensing}},
        "art20_6": {"penalty": {"decisions": penalty}, "coercion": {"decisions": coercion}},
        "art20_8": {"fees": {"amount": fees}},
    }


def active_2019(
    rules: list[int],
    normative: list[int],
    licensing: list[int | None],
    services: list[int | None],
    penalty: list[int | None],
    coercion: list[int | None],
    fees: list[int | None],
    procurement: list[Any],
) -> Plain:
    made = ("new_made", "new_published", "total_published")
    three = ("previous_year_items", "change", "decisions")
    return {
        "art20_1": _rows(made, rules=rules, normative_documents=normative),
        "art20_5": _rows(three, licensing=licensing, other_services=services),
        "art20_6": _rows(three, penalty=penalty, coercion=coercion),
        "art20_8": _rows(three[:2], fees=fees),
        "art20_9": _rows(("items", "amount"), central_procurement=procurement),
    }


# --- prose ------------------------------------------------------------------------------------------------------


def overview(agency: str, year: int, received: int, topics: list[str]) -> str:
    """The 总体情况 section's text: a lead paragraph and one （一）… subsection per topic."""
    lead = (
        f"{year}年，{agency}坚持以公开为常态、不公开为例外，围绕中心工作推进政务公开，"
        f"全年收到政府信息公开申请{received}件，均在法定期限内答复。\n"
    )
    subs = "".join(f"（{render_numeral(i)}）{topic}\n" for i, topic in enumerate(topics, 1))
    return lead + subs


def render_numeral(i: int) -> str:
    return "〇一二三四五六七八九十"[i]


PROBLEMS = (
    "一是政策解读的形式还不够丰富；二是基层工作人员业务能力有待提高。下一步将加强培训，完善解读材料同步起草机制。\n"
)
OTHER = "本年度未收取信息处理费。无其他需要报告的事项。\n"


# --- the documents ------------------------------------------------------------------------------------------------


def blocks(values: Plain, template: str, form: str, **options: Any) -> dict[str, str]:
    """The three tables of ``values`` written in ``form``, keyed by section."""
    out = {}
    for table in forms.tables_of(values, template):
        if form == "wrapped_labels" and options:
            out[table.section] = forms.wrapped_labels(table, **options)
        else:
            out[table.section] = forms.render_table(table, form)
    return out


def report(title: str, headings: list[str], body: dict[str, str]) -> str:
    """Title line(s), then each section heading (``headings`` in SECTION_KEYS order) and its body."""
    parts = [title]
    for key, heading in zip(SECTION_KEYS, headings, strict=True):
        parts.append(heading + "\n")
        parts.append(body[key])
    return "".join(parts)


def standard_headings(template: str) -> list[str]:
    return [
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ]


def edit(text: str, old: str, new: str, count: int = 1) -> str:
    """``old`` replaced by ``new`` exactly ``count`` times — an edit that misses fails loudly."""
    assert text.count(old) == count, (old, text.count(old))
    return text.replace(old, new)


class Doc:
    """One corpus document: its text and gold (``overrides`` set gold cells the document does not say plainly)."""

    def __init__(
        self,
        name: str,
        template: str,
        year: int,
        agency: str,
        values: Plain,
        text: str,
        *,
        children: int,
        overrides: dict[str, Any] | None = None,
        section_keys: list[str] | None = None,
    ) -> None:
        self.name, self.template, self.year, self.agency = name, template, year, agency
        self.values, self.text, self.children = values, text, children
        self.overrides = overrides or {}
        self.section_keys = section_keys or list(SECTION_KEYS)

    def gold(self) -> Plain:
        tables = copy.deepcopy(self.values)
        for path, value in self.overrides.items():
            *parents, last = path.split("/")
            node = tables
            for key in parents:
                node = node[key]
            assert last in node, path
            node[last] = value
        return {
            "source": f"{self.name}.txt",
            "template": self.template,
            "year": self.year,
            "agency_contains": self.agency,
            "section_keys": self.section_keys,
            "children_counts": {"overview": self.children, **({"other": 0} if "other" in self.section_keys else {})},
            "tables": json.loads(json.dumps(tables, default=_decimal)),
        }


def _decimal(value: object) -> float:
    assert isinstance(value, Decimal)
    return float(value)


def doc_101() -> Doc:
    """Form 1: a browser's copy of the HTML tables — tab-separated rows, rowspan labels on a group's first row only,
    header cells with a line break inside, an empty cell kept as an empty field."""
    agency, year, t = "青禾市自然资源和规划局", 2023, "2021"
    values = {
        "active_disclosure": active_2021([0, 0, 3], [4, 1, 37], 1532, 47, None, 0),
        "applications": applications(
            t,
            {
                "granted": [21, 3, 0, 0, 1, 0],
                "partial": [4, 0, 0, 0, 0, 0],
                "withheld.third_party_rights": [1, 0, 0, 0, 0, 0],
                "withheld.process_info": [2, 1, 0, 0, 0, 0],
                "unable.not_held": [9, 2, 0, 0, 0, 1],
                "unable.needs_creation": [1, 0, 0, 0, 0, 0],
                "not_processed.petition_complaint": [3, 0, 0, 0, 0, 0],
                "other.other": [2, 0, 0, 0, 0, 0],
            },
            over=[2, 0, 0, 0, 0, 0],
            forward=[3, 1, 0, 0, 0, 0],
        ),
        "reviews": reviews([2, 1, 0, 0], [1, 0, 0, 1], [0, 0, 0, 0]),
    }
    received = values["applications"]["new_received"]["total"]
    body = blocks(values, t, "browser_tabs")
    body["overview"] = overview(
        agency,
        year,
        received,
        [
            "主动公开方面。及时发布国土空间规划、用地审批和不动产登记信息，更新政府信息公开目录。",
            "依申请公开方面。规范登记、审核、答复流程，答复文书经法律顾问审核后出具。",
            "平台建设方面。整合门户网站专栏，上线规划公示栏目，方便群众查询。",
        ],
    )
    body["problems"], body["other"] = PROBLEMS, OTHER
    text = report(f"{agency}{year}年政府信息公开工作年度报告\n", standard_headings(t), body)
    return Doc("101_tab_rows_rowspan", t, year, agency, values, text, children=3)


def doc_102() -> Doc:
    """Form 2: PDF text — a row's label and its numbers on one line, the reviews table's 15 numbers on one line; the
    applicant sub-header glued into one word (form 3)."""
    agency, year, t = "临溪县市场监督管理局", 2020, "2019"
    values = {
        "active_disclosure": active_2019(
            [0, 0, 0],
            [2, 2, 19],
            [14, 2, 386],
            [6, 0, 1204],
            [9, 1, 57],
            [3, 0, 12],
            [1, 0],
            [8, Decimal("126.45")],
        ),
        "applications": applications(
            t,
            {
                "granted": [7, 1, 0, 0, 0, 0],
                "partial": [1, 0, 0, 0, 0, 0],
                "unable.not_held": [3, 0, 0, 0, 0, 0],
                "not_processed.duplicate": [1, 0, 0, 0, 0, 0],
                "other": [0, 1, 0, 0, 0, 0],
            },
            over=[0, 0, 0, 0, 0, 0],
            forward=[1, 0, 0, 0, 0, 0],
        ),
        "reviews": reviews([1, 0, 0, 0], [0, 0, 1, 0], [0, 0, 0, 0]),
    }
    body = blocks(values, t, "pdf_text")
    # the applicant sub-header as PDF text glues it (``…科研机构社会公益组织…``)
    body["applications"] = edit(
        body["applications"],
        "商业企业 科研机构 社会公益组织 法律服务机构 其他",
        "商业企业科研机构社会公益组织法律服务机构其他",
    )
    body["overview"] = overview(
        agency,
        year,
        values["applications"]["new_received"]["total"],
        [
            "主动公开情况。在县政府门户网站公开行政许可、行政处罚结果信息，做到“双公示”。",
            "依申请公开情况。建立申请台账，逐件登记、逐件审核。",
        ],
    )
    body["problems"], body["other"] = PROBLEMS, OTHER
    text = report(f"{agency}\n{year}年度政府信息公开工作年度报告\n", standard_headings(t), body)
    return Doc("102_pdf_spaced_rows", t, year, agency, values, text, children=2)


def doc_103() -> Doc:
    """Form 3: labels wrapped over two lines with their numbers on the next line; the applications header written
    one character a line, the reviews header with its characters spaced and broken (``结 果 维`` / ``持``)."""
    agency, year, t = "云岭市交通运输局", 2022, "2021"
    values = {
        "active_disclosure": active_2021([0, 1, 6], [3, 0, 28], 2210, 318, 5, Decimal("12.6")),
        "applications": applications(
            t,
            {
                "granted": [11, 2, 0, 0, 0, 0],
                "partial": [2, 0, 0, 0, 0, 0],
                "withheld.internal_affairs": [1, 0, 0, 0, 0, 0],
                "unable.not_held": [6, 1, 0, 0, 0, 0],
                "unable.unclear_after_correction": [1, 0, 0, 0, 0, 0],
                "not_processed.petition_complaint": [2, 0, 0, 0, 0, 0],
                "other.no_correction": [1, 0, 0, 0, 0, 0],
            },
            over=[1, 0, 0, 0, 0, 0],
            forward=[2, 0, 0, 0, 0, 0],
        ),
        "reviews": reviews([1, 0, 1, 0], [0, 0, 0, 1], [1, 0, 0, 0]),
    }
    tables = forms.tables_of(values, t)
    body = {
        "active_disclosure": forms.wrapped_labels(tables[0]),
        "applications": forms.wrapped_labels(tables[1], headers="vertical"),
        "reviews": forms.wrapped_labels(tables[2], headers="spaced"),
    }
    body["overview"] = overview(
        agency,
        year,
        values["applications"]["new_received"]["total"],
        [
            "主动公开。公开道路运输、公路养护和交通建设项目信息，发布政策解读12篇。",
            "依申请公开。完善受理、承办、审核、答复各环节，答复期限平均缩短至9个工作日。",
            "监督保障。将政务公开纳入年度绩效考核，开展社会评议。",
        ],
    )
    body["problems"], body["other"] = PROBLEMS, OTHER
    text = report(f"{agency}{year}年政府信息公开工作年度报告\n", standard_headings(t), body)
    return Doc("103_wrapped_labels", t, year, agency, values, text, children=3)


def doc_104() -> Doc:
    """Form 4: markdown from a PDF converter — ``#`` headings, a small table per group under a generic header, a
    ``|---|`` rule after every row, ``-`` placeholders, a trailing empty column, a group label cut across two rows
    and a long label cut short (``…行政机关不再处理其政府信息公``)."""
    agency, year, t = "白鹭湾区教育局", 2024, "2021"
    values = {
        "active_disclosure": active_2021([0, 0, 0], [6, 2, 41], 96, 3, None, None),
        "applications": applications(
            t,
            {
                "granted": [15, 0, 0, 0, 0, 0],
                "partial": [3, 0, 0, 0, 0, 0],
                "withheld.state_secret": [1, 0, 0, 0, 0, 0],
                "unable.not_held": [5, 0, 1, 0, 0, 0],
                "unable.needs_creation": [2, 0, 0, 0, 0, 0],
                "not_processed.confirmation": [1, 0, 0, 0, 0, 0],
                "other.no_correction": [1, 0, 0, 0, 0, 0],
                "other.other": [1, 0, 0, 0, 0, 0],
            },
            over=[0, 0, 0, 0, 0, 0],
            forward=[2, 0, 0, 0, 0, 0],
        ),
        "reviews": reviews([0, 1, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]),
    }
    body = blocks(values, t, "converter_markdown")
    body["applications"] = edit(
        body["applications"],
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公",
    )
    body["overview"] = "\n" + overview(
        agency,
        year,
        values["applications"]["new_received"]["total"],
        [
            "主动公开工作。公开招生入学、学校收费和教育经费信息，发布义务教育招生政策问答。",
            "依申请公开工作。对申请逐件研判，答复文书列明法律依据和救济途径。",
            "监督保障工作。聘请社会监督员，开展政务公开专项检查两次。",
        ],
    ).replace("（", "### （")
    body["problems"], body["other"] = PROBLEMS, OTHER
    headings = ["## " + h for h in standard_headings(t)]
    text = report(f"# **{agency}**{year}年政府信息公开工作年度报告\n\n", headings, body)
    return Doc("104_markdown_converter", t, year, agency, values, text, children=3)


def doc_105() -> Doc:
    """Form 5: one cell per line with the empty cells dropped — a row of the applications table shows only its
    non-empty cells (``2.重复申请`` shows 2 of 7).  The empty cells are null in gold: the document says nothing
    there."""
    agency, year, t = "南屏县卫生健康局", 2020, "2019"
    values = {
        "active_disclosure": active_2019(
            [0, 0, 0],
            [1, 1, 9],
            [31, 4, 2840],
            [12, -2, 655],
            [18, 0, 96],
            [None, None, None],
            [None, None],
            [15, Decimal("842.30")],
        ),
        "applications": applications(
            t,
            {
                "granted": [6, 2, 0, 0, 0, 0],
                "partial": [1, 0, 0, 0, 0, 0],
                "unable.not_held": [4, 0, 0, 0, 0, 0],
                "not_processed.duplicate": [3, 0, 0, 0, 0, 0],
            },
            over=[1, 0, 0, 0, 0, 0],
            forward=[0, 0, 0, 0, 0, 0],
        ),
        "reviews": reviews([1, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]),
    }
    # The applications table prints a zero cell empty, as this agency's Word template does: every 0 is an empty cell.
    printed = copy.deepcopy(values)
    for row in printed["applications"].values():
        for column, v in row.items():
            if v == 0:
                row[column] = None
    body = blocks(printed, t, "dropped_empty_cells")
    body["overview"] = overview(
        agency,
        year,
        values["applications"]["new_received"]["total"],
        [
            "主动公开。公开医疗机构执业登记、公共卫生监督抽检结果和疫情防控政策。",
            "依申请公开。明确专人办理，严格执行答复期限。",
        ],
    )
    body["problems"], body["other"] = PROBLEMS, OTHER
    text = report(f"{agency}{year}年政府信息公开工作年度报告\n", standard_headings(t), body)
    return Doc("105_dropped_empty_cells", t, year, agency, printed, text, children=2)


def doc_106() -> Doc:
    """Form 6: ``cell |`` lines with a ``|`` alone between cells, ``||||`` filler lines, rows ending in ``||``."""
    agency, year, t = "望川市生态环境局", 2023, "2021"
    values = {
        "active_disclosure": active_2021([0, 0, 2], [5, 3, 22], 412, 129, 14, 0),
        "applications": applications(
            t,
            {
                "granted": [18, 6, 1, 2, 0, 0],
                "partial": [5, 1, 0, 0, 0, 0],
                "withheld.prohibited_by_law": [1, 0, 0, 0, 0, 0],
                "withheld.enforcement_files": [2, 0, 0, 0, 0, 0],
                "unable.not_held": [7, 3, 0, 1, 0, 0],
                "not_processed.publication": [1, 0, 0, 0, 0, 0],
                "other.no_fee": [0, 1, 0, 0, 0, 0],
                "other.other": [2, 0, 0, 0, 0, 0],
            },
            over=[3, 1, 0, 0, 0, 0],
            forward=[2, 0, 0, 1, 0, 0],
        ),
        "reviews": reviews([3, 1, 0, 1], [1, 0, 0, 2], [0, 0, 1, 0]),
    }
    body = blocks(values, t, "pipe_fillers")
    body["overview"] = overview(
        agency,
        year,
        values["applications"]["new_received"]["total"],
        [
            "主动公开情况。按月公开重点排污单位监测数据和建设项目环评审批信息。",
            "依申请公开情况。申请数量较上年增长，以环评文件和监测数据为主。",
            "政府信息管理情况。开展公开属性源头认定，清理历史文件。",
            "平台建设情况。优化门户网站信息公开专栏，新增环境质量地图。",
        ],
    )
    body["problems"], body["other"] = PROBLEMS, OTHER
    text = report(f"{agency}{year}年政府信息公开工作年度报告\n", standard_headings(t), body)
    return Doc("106_pipe_fillers", t, year, agency, values, text, children=4)


def doc_107() -> Doc:
    """Form 7 (2021): header and label variants — ``本年度(2024)废止件数``, ``本年（2024年）处理决定数量``, the 2019
    label ``规范性文件`` in a 2021 table, a fee amount written in 元 (``385000元`` = 38.5 万元), and the agency's own
    sub-rows under 行政许可 (``其中：…``), which are not statutory cells."""
    agency, year, t = "石泉县住房和城乡建设局", 2024, "2021"
    values = {
        "active_disclosure": active_2021([0, 0, 1], [2, 1, 17], 1388, 26, 2, Decimal("38.5")),
        "applications": applications(
            t,
            {
                "granted": [9, 4, 0, 0, 0, 0],
                "partial": [2, 1, 0, 0, 0, 0],
                "withheld.third_party_rights": [1, 0, 0, 0, 0, 0],
                "unable.not_held": [5, 0, 0, 0, 1, 0],
                "not_processed.petition_complaint": [1, 0, 0, 0, 0, 0],
            },
            over=[0, 0, 0, 0, 0, 0],
            forward=[1, 0, 0, 0, 0, 0],
        ),
        "reviews": reviews([0, 0, 0, 1], [1, 0, 0, 0], [0, 0, 0, 0]),
    }
    body = blocks(values, t, "pipe_rows")
    ad = body["active_disclosure"]
    ad = edit(ad, "本年废止件数", "本年度(2024)废止件数")
    ad = edit(ad, "本年处理决定数量", "本年（2024年）处理决定数量", count=2)
    ad = edit(ad, "行政规范性文件 |", "规范性文件 |")
    ad = edit(ad, "行政事业性收费 | 38.5 |", "行政事业性收费 | 385000元 |")
    ad = edit(ad, "行政许可 | 1388 | ||\n", "行政许可 | 1388 | ||\n其中：县本级 | 1102 | ||\n乡镇 | 286 | ||\n")
    body["active_disclosure"] = ad
    body["overview"] = overview(
        agency,
        year,
        values["applications"]["new_received"]["total"],
        [
            "主动公开。公开建设工程施工许可、商品房预售许可和保障性住房分配信息。",
            "依申请公开。申请集中在征收补偿和房屋产权领域，均依法答复。",
        ],
    )
    body["problems"], body["other"] = PROBLEMS, OTHER
    text = report(f"{agency}{year}年政府信息公开工作年度报告\n", standard_headings(t), body)
    return Doc("107_label_variants", t, year, agency, values, text, children=2)


def doc_108() -> Doc:
    """Form 8: page furniture inside the tables (``- 4 -``, the report's running header, a footer line) and the
    (七)总计 row cut by a page break in its middle."""
    agency, year, t = "柳湾区司法局", 2020, "2019"
    values = {
        "active_disclosure": active_2019(
            [0, 0, 0],
            [1, 1, 6],
            [4, 0, 73],
            [9, 1, 5120],
            [2, 0, 11],
            [None, None, None],
            [None, None],
            [4, Decimal("57.82")],
        ),
        "applications": applications(
            t,
            {
                "granted": [8, 1, 0, 0, 0, 0],
                "partial": [2, 0, 0, 0, 0, 0],
                "withheld.third_party_rights": [1, 0, 0, 0, 0, 0],
                "unable.not_held": [4, 0, 0, 0, 1, 0],
                "unable.needs_creation": [1, 0, 0, 0, 0, 0],
                "not_processed.petition_complaint": [2, 0, 0, 0, 0, 0],
            },
            over=[1, 0, 0, 0, 0, 0],
            forward=[2, 0, 0, 0, 0, 0],
        ),
        "reviews": reviews([1, 1, 0, 0], [0, 0, 0, 0], [1, 0, 0, 0]),
    }
    body = blocks(values, t, "pipe_rows")
    running = f"{agency}{year}年政府信息公开工作年度报告"
    ap = body["applications"]
    ap = edit(ap, "4.保护第三方合法权益 |", f"- 4 -\n{running}\n4.保护第三方合法权益 |")
    ap = edit(
        ap, "(七)总计 | 18 | 1 | 0 |", f"(七)总计 | 18 | 1 | 0 |\n第 5 页 共 8 页\n- 5 -\n{running}\n"
    )  # the row goes on after the break
    body["applications"] = ap
    ad = body["active_disclosure"]
    body["active_disclosure"] = edit(ad, "第二十条第(六)项 |", f"- 3 -\n{running}\n第二十条第(六)项 |")
    body["overview"] = overview(
        agency,
        year,
        values["applications"]["new_received"]["total"],
        [
            "主动公开情况。公开法律援助、人民调解和行政复议工作信息。",
            "依申请公开情况。全部申请按期答复，无超期情形。",
            "监督保障情况。局办公室牵头开展季度检查。",
        ],
    )
    body["problems"], body["other"] = PROBLEMS, OTHER
    text = report(f"{running}\n", standard_headings(t), body)
    return Doc("108_page_furniture", t, year, agency, values, text, children=3)


def doc_109() -> Doc:
    """Form 9: the reviews table printed after section 五's text with its heading 四 lost, its header listing
    行政诉讼 before 行政复议 (the values follow the header); the applications groups (四) and (五) in swapped order."""
    agency, year, t = "桐岭区退役军人事务局", 2023, "2021"
    values = {
        "active_disclosure": active_2021([0, 0, 0], [1, 0, 8], 64, 0, 0, 0),
        "applications": applications(
            t,
            {
                "granted": [5, 0, 0, 0, 0, 0],
                "partial": [1, 0, 0, 0, 0, 0],
                "unable.not_held": [3, 0, 0, 0, 0, 0],
                "unable.needs_creation": [1, 0, 0, 0, 0, 0],
                "not_processed.petition_complaint": [4, 0, 0, 0, 0, 0],
                "not_processed.duplicate": [2, 0, 0, 0, 0, 0],
            },
            over=[0, 0, 0, 0, 0, 0],
            forward=[1, 0, 0, 0, 0, 0],
        ),
        "reviews": reviews([2, 0, 0, 0], [1, 0, 0, 0], [0, 1, 0, 0]),
    }
    tables = forms.tables_of(values, t)
    apps = tables[1]
    keys = [row.key[-1] if row.key else "" for row in apps.rows]
    unable = [i for i, k in enumerate(keys) if k.startswith("unable.")]
    refused = [i for i, k in enumerate(keys) if k.startswith("not_processed.")]
    head = apps.rows[: unable[0]]
    apps.rows = head + [apps.rows[i] for i in refused] + [apps.rows[i] for i in unable] + apps.rows[refused[-1] + 1 :]
    litigation_first = ("litigation_direct", "litigation_after_review", "review")
    tables[2] = forms.Table("reviews", forms.reviews_rows(values["reviews"], litigation_first))
    body = {table.section: forms.render_table(table, "pipe_rows") for table in tables}
    body["overview"] = overview(
        agency,
        year,
        values["applications"]["new_received"]["total"],
        ["主动公开。公开优抚政策、褒扬纪念和退役安置信息。", "依申请公开。申请多涉及个人待遇，逐件核实后答复。"],
    )
    body["problems"] = PROBLEMS + body.pop("reviews")
    body["reviews"] = ""
    body["other"] = OTHER
    headings = standard_headings(t)
    text = report(f"{agency}{year}年政府信息公开工作年度报告\n", headings, body)
    text = edit(text, headings[3] + "\n", "")
    keys_present = [k for k in SECTION_KEYS if k != "reviews"]
    return Doc("109_moved_and_reordered", t, year, agency, values, text, children=2, section_keys=keys_present)


def doc_110() -> Doc:
    """Form 10: a document cut in the applications table, inside the value 14 of （五）1.信访举报投诉类申请 (one cell
    a line, as PDF text gives it).  The cut cell and every later cell are null in gold: nothing says them."""
    agency, year, t = "鹤鸣县财政局", 2020, "2019"
    values = {
        "active_disclosure": active_2019(
            [0, 0, 0],
            [3, 3, 44],
            [2, 0, 19],
            [5, 0, 233],
            [1, 0, 2],
            [0, 0, 0],
            [4, -1],
            [37, Decimal("2310.5")],
        ),
        "applications": applications(
            t,
            {
                "granted": [12, 2, 0, 0, 0, 0],
                "partial": [3, 0, 0, 0, 0, 0],
                "unable.not_held": [8, 1, 0, 0, 0, 0],
                "not_processed.petition_complaint": [14, 0, 0, 0, 0, 0],
                "not_processed.duplicate": [2, 0, 0, 0, 0, 0],
            },
            over=[2, 0, 0, 0, 0, 0],
            forward=[1, 0, 0, 0, 0, 0],
        ),
        "reviews": reviews([0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]),
    }
    body = blocks(values, t, "lines")
    ap = body["applications"]
    cut = ap.index("1.信访举报投诉类申请\n14\n") + len("1.信访举报投诉类申请\n1")
    body["applications"] = ap[:cut]
    body["overview"] = overview(
        agency,
        year,
        values["applications"]["new_received"]["total"],
        ["主动公开。公开财政预决算、政府债务和惠民惠农补贴资金信息。", "依申请公开。申请以补贴资金发放情况为主。"],
    )
    text = "".join(
        [
            f"{agency}{year}年政府信息公开工作年度报告\n",
            "一、总体情况\n",
            body["overview"],
            "二、主动公开政府信息情况\n",
            body["active_disclosure"],
            "三、收到和处理政府信息公开申请情况\n",
            body["applications"],
        ]
    )
    rows = [r for r, _ in APPLICATION_ROWS[t]]
    lost = rows[rows.index("not_processed.petition_complaint") :]
    overrides: dict[str, Any] = {f"applications/{r}/{c}": None for r in lost for c, _ in APPLICANT_COLUMNS}
    overrides.update({f"reviews/{g}/{c}": None for g in values["reviews"] for c, _ in REVIEW_COLUMNS})
    return Doc(
        "110_cut_document",
        t,
        year,
        agency,
        values,
        text,
        children=2,
        overrides=overrides,
        section_keys=["overview", "active_disclosure", "applications"],
    )


def doc_111() -> Doc:
    """Headings and facts: a stray PDF debris line and the title over two lines with spaces in the agency's name and
    ``2024 年``; ``一总体情况`` (no 、); a wrapped line that begins with a section's words but is a sentence;
    ``四 政府信息…`` right after a table; ``五、存在不足及改进措施``."""
    agency, year, t = "松涛市文化广电旅游局", 2024, "2021"
    values = {
        "active_disclosure": active_2021([0, 0, 0], [2, 0, 11], 745, 38, 0, 0),
        "applications": applications(
            t,
            {
                "granted": [6, 1, 0, 0, 0, 0],
                "partial": [1, 0, 0, 0, 0, 0],
                "unable.not_held": [2, 0, 0, 0, 0, 0],
                "not_processed.petition_complaint": [1, 0, 0, 0, 0, 0],
            },
            over=[1, 0, 0, 0, 0, 0],
            forward=[0, 0, 0, 0, 0, 0],
        ),
        "reviews": reviews([0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]),
    }
    body = blocks(values, t, "pipe_rows")
    body["overview"] = (
        f"{year}年，我局围绕文化旅游市场监管和公共文化服务推进政务公开，全年收到政府信息公开申请"
        f"{values['applications']['new_received']['total']}件。本年度我局\n"
        "主动公开政府信息情况。本年度我局在门户网站发布文化市场行政许可结果和旅游安全提示，"
        "组织政策解读8次。\n"
        "（一）主动公开方面。公开公共文化设施开放时间和文旅惠民活动信息。\n"
        "（二）依申请公开方面。严格执行登记、审核、答复制度。\n"
        "（三）平台建设方面。门户网站与政务新媒体同步发布。\n"
    )
    body["problems"], body["other"] = PROBLEMS, OTHER
    headings = [
        "一总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四 政府信息公开行政复议、行政诉讼情况",
        "五、存在不足及改进措施",
        "六、其他需要报告的事项",
    ]
    title = "· ·\n松涛市 文化广电旅游局 2024 年政府信息\n公开工作年度报告\n"
    text = report(title, headings, body)
    return Doc("111_heading_variants", t, year, agency, values, text, children=3)


def doc_112() -> Doc:
    """Form 7 (2019): ``采购总金额（单位：万元，保留两位小数）``, a Traditional over-conversion (``規範性檔案``, which
    the normaliser makes 规范性档案), the purchase amount in 元 (``1263400元`` = 126.34 万元) and sub-rows under
    行政处罚; ``五存在的主要问题…`` without 、."""
    agency, year, t = "雁湖区城市管理局", 2020, "2019"
    values = {
        "active_disclosure": active_2019(
            [0, 0, 0],
            [3, 3, 27],
            [5, 1, 640],
            [2, 0, 88],
            [11, 2, 1437],
            [4, 0, 21],
            [2, 0],
            [6, Decimal("126.34")],
        ),
        "applications": applications(
            t,
            {
                "granted": [4, 1, 0, 0, 0, 0],
                "partial": [1, 0, 0, 0, 0, 0],
                "unable.not_held": [3, 0, 0, 0, 0, 0],
                "not_processed.petition_complaint": [2, 0, 0, 0, 0, 0],
                "other": [1, 0, 0, 0, 0, 0],
            },
            over=[0, 0, 0, 0, 0, 0],
            forward=[1, 0, 0, 0, 0, 0],
        ),
        "reviews": reviews([1, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]),
    }
    body = blocks(values, t, "pipe_rows")
    ad = body["active_disclosure"]
    ad = edit(ad, "采购总金额 |", "采购总金额（单位：万元，保留两位小数） |")
    ad = edit(ad, "规范性文件 |", "規範性檔案 |")
    ad = edit(ad, "政府集中采购 | 6 | 126.34 |", "政府集中采购 | 6 | 1263400元 |")
    ad = edit(ad, "行政处罚 | 11 | 2 | 1437 |\n", "行政处罚 | 11 | 2 | 1437 |\n其中：简易程序 | / | / | 1210 |\n")
    body["active_disclosure"] = ad
    body["overview"] = overview(
        agency,
        year,
        values["applications"]["new_received"]["total"],
        ["主动公开。公开市容环境整治、占道审批和行政处罚结果信息。", "依申请公开。申请主要涉及违法建设查处。"],
    )
    body["problems"], body["other"] = PROBLEMS, OTHER
    headings = standard_headings(t)
    headings[4] = "五存在的主要问题及改进情况"  # no 、 after the numeral
    text = report(f"{agency}{year}年政府信息公开工作年度报告\n", headings, body)
    return Doc("112_label_variants_2019", t, year, agency, values, text, children=2)


def doc_113() -> Doc:
    """The silent wrong numbers of issue 11: odd cells in pipe rows that end in empty cells (``l2``, ``1O``, ``一二``,
    ``一百一十四``, ``O``, ``〇``, ``无``, ``不适用``, ``*``) and a row one value short; section 五 reworded.

    Gold holds a cell's value where the document makes it certain — ``〇`` is a zero, and the applications cells are
    pinned by their row and column identities — and null where it does not: ``l2``, ``一百一十四`` and
    ``不适用``/``*`` in the 第二十条 table, which has no identity to confirm a reading."""
    agency, year, t = "凤栖县农业农村局", 2020, "2019"
    values = {
        "active_disclosure": active_2019(
            [0, 0, 0],
            [12, 4, 305],
            [8, 0, 114],
            [3, 0, 902],
            [6, 1, 40],
            [1, 0, 2],
            [0, 0],
            [10, Decimal("68.2")],
        ),
        "applications": applications(
            t,
            {
                "granted": [10, 2, 0, 0, 0, 0],
                "partial": [1, 0, 0, 0, 0, 0],
                "unable.not_held": [12, 0, 0, 0, 0, 0],
                "not_processed.duplicate": [2, 0, 0, 0, 0, 0],
            },
            over=[1, 0, 0, 0, 0, 0],
            forward=[0, 0, 0, 0, 0, 0],
        ),
        "reviews": reviews([0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]),
    }
    body = blocks(values, t, "pipe_rows")
    pad = " | |"  # the empty cells Word leaves at the end of a row (seed 004)
    for key in ("active_disclosure", "applications"):
        body[key] = body[key].replace(" |\n", pad + "\n")
    ad = body["active_disclosure"]
    ad = edit(ad, "规范性文件 | 12 | 4 | 305 |", "规范性文件 | l2 | 4 | 305 |")
    ad = edit(ad, "行政强制 | 1 | 0 | 2 |", "行政强制 | 1 | 〇 | 2 |")
    ad = edit(ad, "行政事业性收费 | 0 | 0 |", "行政事业性收费 | 不适用 | * |")
    ad = edit(ad, "行政许可 | 8 | 0 | 114 |", "行政许可 | 8 | 0 | 一百一十四 |")
    body["active_disclosure"] = ad
    ap = body["applications"]
    ap = edit(ap, "(一)予以公开 | 10 | 2 | 0 | 0 | 0 | 0 | 12 |", "(一)予以公开 | 1O | 2 | 0 | 0 | 0 | 0 | 一二 |")
    ap = edit(
        ap,
        "1.本机关不掌握相关政府信息 | 12 | 0 | 0 | 0 | 0 | 0 | 12 |",
        "1.本机关不掌握相关政府信息 | l2 | O | 0 | 无 | 0 | 0 | 12 |",
    )
    # one value of the row missing (a 0 of the four organisations): every reading the identities allow gives 0 there
    ap = edit(ap, "2.重复申请 | 2 | 0 | 0 | 0 | 0 | 0 | 2 |", "2.重复申请 | 2 | 0 | 0 | 0 | 0 | 2 |")
    body["applications"] = ap
    body["overview"] = overview(
        agency,
        year,
        values["applications"]["new_received"]["total"],
        ["主动公开。公开惠农补贴、农产品质量安全抽检和动物防疫信息。", "依申请公开。申请集中在土地承包和补贴发放。"],
    )
    body["problems"], body["other"] = PROBLEMS, OTHER
    headings = standard_headings(t)
    headings[4] = "五、工作中存在的问题和改进情况"
    text = report(f"{agency}{year}年政府信息公开工作年度报告\n", headings, body)
    overrides = {
        "active_disclosure/art20_1/normative_documents/new_made": None,
        "active_disclosure/art20_8/fees/previous_year_items": None,
        "active_disclosure/art20_8/fees/change": None,
        "active_disclosure/art20_5/licensing/decisions": None,  # 一百一十四: no identity confirms a reading
    }
    return Doc("113_odd_cells", t, year, agency, values, text, children=2, overrides=overrides)


DOCS: list[Callable[[], Doc]] = [
    doc_101,
    doc_102,
    doc_103,
    doc_104,
    doc_105,
    doc_106,
    doc_107,
    doc_108,
    doc_109,
    doc_110,
    doc_111,
    doc_112,
    doc_113,
]


def main(argv: list[str]) -> int:
    check = "--check" in argv
    differ = []
    for make in DOCS:
        doc = make()
        outputs = {
            ROOT / "corpus" / f"{doc.name}.txt": doc.text,
            ROOT / "tests" / "gold" / f"{doc.name}.json": json.dumps(doc.gold(), ensure_ascii=False, indent=1) + "\n",
        }
        for path, content in outputs.items():
            if check:
                if not path.exists() or path.read_text(encoding="utf-8") != content:
                    differ.append(path.name)
            else:
                path.write_text(content, encoding="utf-8")
    if differ:
        print("differ from the generator:", ", ".join(differ))
    return 1 if differ else 0


if __name__ == "__main__":
    random.seed(0)
    sys.exit(main(sys.argv[1:]))
