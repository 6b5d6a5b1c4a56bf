"""The one place where the statutory keys and their printed labels live.

Everything else (grammars' token names, JSON keys, validation rules, renderers in tests) derives from these tables,
so a label fix here reaches every stage.  Labels are the *canonical* printed wording (Simplified, half-width
punctuation as the normaliser produces it); matching against real cells is tolerant and happens in the table stage.
"""

from __future__ import annotations

from typing import Final

TEMPLATES: Final = ("2019", "2021")

# --- the six top-level sections -------------------------------------------------------------------------------
# (key, canonical title, accepted title variants).  Variants are matched after the enumerator is stripped.
SECTIONS: Final[tuple[tuple[str, str, tuple[str, ...]], ...]] = (
    ("overview", "总体情况", ("总体情况", "概述", "总体概述", "基本情况")),
    (
        "active_disclosure",
        "主动公开政府信息情况",
        ("主动公开政府信息情况", "行政机关主动公开政府信息情况", "主动公开政府信息"),
    ),
    (
        "applications",
        "收到和处理政府信息公开申请情况",
        ("收到和处理政府信息公开申请情况", "收到和处理政府信息公开申请"),
    ),
    (
        "reviews",
        "政府信息公开行政复议、行政诉讼情况",
        (
            "政府信息公开行政复议、行政诉讼情况",
            "因政府信息公开工作被申请行政复议、提起行政诉讼情况",
            "政府信息公开行政复议行政诉讼情况",
        ),
    ),
    (
        "problems",
        "存在的主要问题及改进情况",
        (
            "存在的主要问题及改进情况",
            "存在的主要问题及改进措施",
            "政府信息公开工作存在的主要问题及改进情况",
            "存在的主要问题和改进情况",
            "存在的问题及改进情况",
            "存在的问题及改进措施",
            "存在不足及改进措施",
            "存在的不足及改进措施",
            "工作中存在的问题和改进情况",
            "工作中存在的问题及改进情况",
            "存在的主要问题及改进方向",
        ),
    ),
    ("other", "其他需要报告的事项", ("其他需要报告的事项", "其他需报告的事项")),
)
SECTION_KEYS: Final = tuple(key for key, _, _ in SECTIONS)
# The sections that hold the three statutory tables (the document grammar reads their short lines as table cells).
TABLE_SECTIONS: Final = ("active_disclosure", "applications", "reviews")

# --- table 1: active disclosure (第二十条) ----------------------------------------------------------------------
# item -> (item label, {template: (rows, columns)}); rows and columns are (key, label) pairs in printed order.
Pair = tuple[str, str]

ART20_ITEMS: Final[dict[str, str]] = {
    "art20_1": "第二十条第(一)项",
    "art20_5": "第二十条第(五)项",
    "art20_6": "第二十条第(六)项",
    "art20_8": "第二十条第(八)项",
    "art20_9": "第二十条第(九)项",
}

_DECISIONS: Final[Pair] = ("decisions", "本年处理决定数量")
_PREV: Final[Pair] = ("previous_year_items", "上一年项目数量")
_CHANGE: Final[Pair] = ("change", "本年增/减")
_DECISIONS_2019: Final[Pair] = ("decisions", "处理决定数量")

ACTIVE_DISCLOSURE: Final[dict[str, dict[str, tuple[tuple[Pair, ...], tuple[Pair, ...]]]]] = {
    "2021": {
        "art20_1": (
            (("rules", "规章"), ("normative_documents", "行政规范性文件")),
            (("issued", "本年制发件数"), ("repealed", "本年废止件数"), ("in_force", "现行有效件数")),
        ),
        "art20_5": ((("licensing", "行政许可"),), (_DECISIONS,)),
        "art20_6": ((("penalty", "行政处罚"), ("coercion", "行政强制")), (_DECISIONS,)),
        "art20_8": ((("fees", "行政事业性收费"),), (("amount", "本年收费金额(单位:万元)"),)),
    },
    "2019": {
        "art20_1": (
            (("rules", "规章"), ("normative_documents", "规范性文件")),
            (
                ("new_made", "本年新制作数量"),
                ("new_published", "本年新公开数量"),
                ("total_published", "对外公开总数量"),
            ),
        ),
        "art20_5": (
            (("licensing", "行政许可"), ("other_services", "其他对外管理服务事项")),
            (_PREV, _CHANGE, _DECISIONS_2019),
        ),
        "art20_6": ((("penalty", "行政处罚"), ("coercion", "行政强制")), (_PREV, _CHANGE, _DECISIONS_2019)),
        "art20_8": ((("fees", "行政事业性收费"),), (_PREV, _CHANGE)),
        "art20_9": ((("central_procurement", "政府集中采购"),), (("items", "采购项目数量"), ("amount", "采购总金额"))),
    },
}
# Columns whose values are amounts in 万元 (decimals); every other cell is a count (int).
AMOUNT_COLUMNS: Final = frozenset({("art20_8", "amount"), ("art20_9", "amount")})
# Columns that may legitimately be negative.
SIGNED_COLUMNS: Final = frozenset({"change"})

# --- table 2: applications ----------------------------------------------------------------------------------------
APPLICANT_COLUMNS: Final[tuple[Pair, ...]] = (
    ("natural_person", "自然人"),
    ("commercial", "商业企业"),
    ("research", "科研机构"),
    ("public_interest", "社会公益组织"),
    ("legal_service", "法律服务机构"),
    ("other_org", "其他"),
    ("total", "总计"),
)
# Group headings of the applications table: (group key, label).  Rows under a group get dotted keys.
APPLICATION_GROUPS: Final[dict[str, str]] = {
    "results": "三、本年度办理结果",
    "withheld": "(三)不予公开",
    "unable": "(四)无法提供",
    "not_processed": "(五)不予处理",
    "other": "(六)其他处理",
}
_ROWS_HEAD: Final[tuple[Pair, ...]] = (
    ("new_received", "一、本年新收政府信息公开申请数量"),
    ("carried_over", "二、上年结转政府信息公开申请数量"),
    ("granted", "(一)予以公开"),
    ("partial", "(二)部分公开(区分处理的,只计这一情形,不计其他情形)"),
    ("withheld.state_secret", "1.属于国家秘密"),
    ("withheld.prohibited_by_law", "2.其他法律行政法规禁止公开"),
    ("withheld.three_safeties_one_stability", "3.危及“三安全一稳定”"),
    ("withheld.third_party_rights", "4.保护第三方合法权益"),
    ("withheld.internal_affairs", "5.属于三类内部事务信息"),
    ("withheld.process_info", "6.属于四类过程性信息"),
    ("withheld.enforcement_files", "7.属于行政执法案卷"),
    ("withheld.administrative_query", "8.属于行政查询事项"),
    ("unable.not_held", "1.本机关不掌握相关政府信息"),
    ("unable.needs_creation", "2.没有现成信息需要另行制作"),
    ("unable.unclear_after_correction", "3.补正后申请内容仍不明确"),
    ("not_processed.petition_complaint", "1.信访举报投诉类申请"),
    ("not_processed.duplicate", "2.重复申请"),
    ("not_processed.publication", "3.要求提供公开出版物"),
    ("not_processed.excessive", "4.无正当理由大量反复申请"),
    ("not_processed.confirmation", "5.要求行政机关确认或重新出具已获取信息"),
)
_ROWS_TAIL: Final[tuple[Pair, ...]] = (
    ("total", "(七)总计"),
    ("carried_forward", "四、结转下年度继续办理"),
)
APPLICATION_ROWS: Final[dict[str, tuple[Pair, ...]]] = {
    "2021": (
        *_ROWS_HEAD,
        ("other.no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
        ("other.no_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
        ("other.other", "3.其他"),
        *_ROWS_TAIL,
    ),
    "2019": (*_ROWS_HEAD, ("other", "(六)其他处理"), *_ROWS_TAIL),
}

# --- table 3: reviews and litigation ------------------------------------------------------------------------------
REVIEW_GROUPS: Final[tuple[Pair, ...]] = (
    ("review", "行政复议"),
    ("litigation_direct", "未经复议直接起诉"),
    ("litigation_after_review", "复议后起诉"),
)
REVIEW_COLUMNS: Final[tuple[Pair, ...]] = (
    ("upheld", "结果维持"),
    ("corrected", "结果纠正"),
    ("other", "其他结果"),
    ("pending", "尚未审结"),
    ("total", "总计"),
)

# --- cells of the tables that carry no key ------------------------------------------------------------------------
# Headings the printed tables show besides the keyed labels above (the statutory grammars name them HEAD_<KEY>).
TABLE_HEADINGS: Final[dict[str, str]] = {
    "info_content": "信息内容",
    "applicant": "申请人情况",
    "legal_person": "法人或其他组织",
    "litigation": "行政诉讼",
    "balance_note": "(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)",
}

# Printed wordings of a label besides its canonical one, matched like it.  规范性档案: Simplified text converted to
# Taiwanese usage (文件 → 檔案) and back to Simplified character by character keeps 档案.
LABEL_VARIANTS: Final[dict[str, tuple[str, ...]]] = {
    "行政规范性文件": ("行政规范性档案", "规范性档案"),
    "规范性文件": ("规范性档案",),
}

# How a report states the period its numbers cover (统计期限自2023年1月1日至2023年12月31日): the document stage reads
# the report's year from it, the checks compare it with the title's.
PERIOD_WORDS: Final = ("统计期限", "统计时限", "统计期间")

# --- template markers -------------------------------------------------------------------------------------------
# Wording that only one generation of the national format uses (docs/spec.md §2).
TEMPLATE_MARKERS: Final[dict[str, tuple[str, ...]]] = {
    "2021": ("本年制发件数", "现行有效件数", "本年处理决定数量", "本年收费金额", "逾期不补正", "逾期未按收费通知"),
    "2019": ("本年新制作数量", "对外公开总数量", "上一年项目数量", "本年增/减", "第二十条第(九)项", "政府集中采购"),
}
# Headings of the 2008-2018 reports, which follow neither template.
PRE2019_MARKERS: Final = ("依申请公开政府信息情况", "收费及减免情况", "因政府信息公开申请行政复议")


def application_row_keys(template: str) -> tuple[str, ...]:
    """Row keys of the applications table, in printed order, for one template."""
    return tuple(key for key, _ in APPLICATION_ROWS[template])


def applicant_column_keys() -> tuple[str, ...]:
    """Column keys of the applications table, in printed order (``total`` last)."""
    return tuple(key for key, _ in APPLICANT_COLUMNS)


# --- agencies -----------------------------------------------------------------------------------------------------
# Words a report uses for its own agency (本机关, 我局 …): never a name, so a panel looks the name up in the title.
AGENCY_SELF_PREFIXES: Final = ("本", "我")
# Two-character nouns, then the one-character ones (局 厅 委 …).
AGENCY_SELF_NOUNS: Final = frozenset(("机关", "单位", "部门", "中心", *"局厅委办院署部会府所馆站区县市"))
# A title's words before the agency's name that are no part of it (关于XX局2023年…报告).
AGENCY_TITLE_PREFIXES: Final = ("关于",)
