"""The labels printed on real forms, as data, and how a cell's text is matched against them.

Each vocabulary maps roles to the spellings seen on published forms (folded, see
:mod:`.fold`). Matching is conservative: an exact match of the label's core (decorations such
as ``(A)``, ``(万元)``, ``④=①+②+③`` removed), then a listed prefix, then — only where the caller
allows it, i.e. in header rows — an OCR-tolerant comparison of the Chinese characters as a
multiset (``考值参分`` is ``参考分值`` read out of order; ``年初预匏数`` is ``年初预算数`` with one
character misread). Fuzzy matches never pick between two roles that score alike.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from ..categories import category_of as core_category_of
from .fold import cjk_only, fold


@dataclass(frozen=True)
class Label:
    """One role and the spellings that name it."""

    role: str
    names: tuple[str, ...]
    prefixes: tuple[str, ...] = ()
    fuzzy: bool = True  # may be matched OCR-tolerantly (header rows only)


Vocabulary = tuple[Label, ...]

# Decorations around a label's core: "(A)", "(万元)", "(%)", "④=①+②+③", "(20分*执行率)".
_PARENS = re.compile(r"\([^()]*\)|\[[^\[\]]*\]|【[^【】]*】")
_CIRCLED = re.compile(r"[①-⑳]")
_FORMULA = re.compile(r"[①-⑳A-Za-z0-9][=＝][^()]*$")
_PUNCT = re.compile(r"[:：,，、。;；.\-—_*/\\|'\"“”‘’`~^]+")
# OCR noise seen inside labels: Latin letters standing for 目 ("项Fl资金") and the like.
_OCR_SUBSTITUTIONS = (("Fl", "目"), ("兀", "元"), ("顼", "项"), ("匏", "算"))


def core(text: str | None) -> str:
    """The folded core of a label: decorations, circled numbers, formulas and punctuation removed."""
    folded = fold(text)
    previous = None
    while previous != folded:
        previous, folded = folded, _PARENS.sub("", folded)
    folded = _FORMULA.sub("", folded)
    folded = _CIRCLED.sub("", folded)
    folded = _PUNCT.sub("", folded)
    return folded.replace("(", "").replace(")", "")


def _ocr_fixed(text: str) -> str:
    for wrong, right in _OCR_SUBSTITUTIONS:
        text = text.replace(wrong, right)
    return text


def flat(text: str | None) -> str:
    """Folded label with punctuation dropped but bracketed words kept (“全年(调整)绩效目标” →
    “全年调整绩效目标”), so a bracketed word can tell two labels apart."""
    return _PUNCT.sub("", _CIRCLED.sub("", fold(text))).replace("(", "").replace(")", "")


def _exact(key: str, vocabulary: Vocabulary) -> str | None:
    if not key:
        return None
    for label in vocabulary:
        if key in label.names:
            return label.role
    for label in vocabulary:
        if any(key.startswith(prefix) for prefix in label.prefixes):
            return label.role
    return None


def _in_order(name: str, text: str) -> bool:
    """True when the characters the two share keep their order (longest common subsequence
    as long as the shared multiset): a misread character, not a different label."""
    common = sum((Counter(name) & Counter(text)).values())
    previous = [0] * (len(text) + 1)
    for ch in name:
        current = [0]
        for j, other in enumerate(text):
            current.append(previous[j] + 1 if ch == other else max(previous[j + 1], current[j]))
        previous = current
    return previous[-1] == common


@lru_cache(maxsize=4096)
def _plain(name: str) -> tuple[str, Counter]:
    """A label name's CJK characters and their counts (computed once per name)."""
    plain = cjk_only(name)
    return plain, Counter(plain)


def _fuzzy(text: str, vocabulary: Vocabulary) -> str | None:
    chars = cjk_only(core(_ocr_fixed(text)))
    if len(chars) < 3:
        return None
    counts = Counter(chars)
    best: list[tuple[int, str]] = []
    for label in vocabulary:
        if not label.fuzzy:
            continue
        for name in label.names:
            plain, plain_counts = _plain(name)
            # at most one character missing and two extra: lengths alone rule most names out
            if len(plain) < 4 or len(plain) > len(chars) + 1 or len(chars) > len(plain) + 2:
                continue
            common = sum((plain_counts & counts).values())
            missing, extra = len(plain) - common, len(chars) - common
            # all of the label's characters, in any order (OCR of vertical labels), or all but
            # one in their order (one misread character)
            if (missing == 0 and extra <= 2) or (missing == 1 and extra <= 2 and _in_order(plain, chars)):
                best.append((missing * 2 + extra, label.role))
    if not best:
        return None
    best.sort()
    top = best[0][0]
    roles = {role for cost, role in best if cost == top}
    return roles.pop() if len(roles) == 1 else None


@lru_cache(maxsize=32768)
def _match_cached(text: str, vocabulary: Vocabulary, fuzzy: bool) -> str | None:
    role = _exact(flat(text), vocabulary) if "(" in fold(text) else None
    role = role or _exact(core(text), vocabulary)
    if role is None:
        role = _exact(core(_ocr_fixed(fold(text))), vocabulary)
    if role is None and fuzzy:
        role = _fuzzy(fold(text), vocabulary)
    return role


def match(text: str | None, vocabulary: Vocabulary, *, fuzzy: bool = False) -> str | None:
    """The role ``text`` names in ``vocabulary``, or None."""
    if not text or not text.strip():
        return None
    return _match_cached(text, vocabulary, fuzzy)


def _names(*spellings: str) -> tuple[str, ...]:
    names = [core(s) for s in spellings]
    names += [flat(s) for s in spellings if flat(s) not in names and "(" in fold(s)]
    return tuple(names)


def L(role: str, *spellings: str, prefixes: tuple[str, ...] = (), fuzzy: bool = True) -> Label:
    """A label with its spellings (folded here, so the tables below read as printed)."""
    return Label(role, _names(*spellings), tuple(core(p) for p in prefixes), fuzzy)


# ------------------------------------------------------------------ blocks (left-hand labels)

FUNDS_BLOCK, GOAL_BLOCK, INDICATOR_BLOCK, INCOME_BLOCK, EXPENSE_BLOCK = (
    "funds", "goal", "indicators", "by_income", "by_expense")

BLOCKS: Vocabulary = (
    L(FUNDS_BLOCK, "项目资金", "预算资金", "资金情况", "年度预算申请", "预算执行情况", "部门预算执行情况",
      "财政资金安排和使用情况", "年度资金", "资金投入情况",
      prefixes=("项目资金", "预算执行情况", "部门预算执行情况", "财政资金安排")),
    L(GOAL_BLOCK, "年度总体目标", "年度总体目标完成情况", "总体目标", "年度绩效目标完成情况",
      "项目绩效定性目标及实施计划完成情况", "当年绩效目标", "绩效目标", "项目年度目标完成情况",
      prefixes=("年度总体目标", "项目绩效定性目标")),
    L(INDICATOR_BLOCK, "绩效指标", "年度绩效指标完成情况", "年度绩效指标", "年度绩效目标", "绩效指标完成情况",
      "项目绩效定量目标及完成情况", "项目绩效定量目标指标及完成情况",
      prefixes=("项目绩效定量目标", "年度绩效指标")),
    # the Sichuan 一体化 form's goal section; exact only (“项目基本概况” on older covers is another thing)
    L(GOAL_BLOCK, "项目基本情况", fuzzy=False),
    L(INCOME_BLOCK, "按收入性质分"),
    L(EXPENSE_BLOCK, "按支出性质分"),
)
# Goal labels start with these on OCR'd forms whose tail is lost ("年度总体r二").
GOAL_PREFIXES = tuple(core(p) for p in ("年度总体", "项目绩效定性目标", "当年绩效目标"))

# ------------------------------------------------------------------ funds columns and rows

INITIAL, FULL_YEAR, EXECUTED, POINTS, RATE, SCORE, EXTRA, GROUP = (
    "initial", "full_year", "executed", "points", "rate", "score", "extra", "group")

FUND_COLUMNS: Vocabulary = (
    L(INITIAL, "年初预算数", "年初部门预算安排金额", "年初预算", "年初预算安排"),
    L(FULL_YEAR, "全年预算数", "预算数", "调整预算数", "调整后预算数", "全年调整预算数", "小计", "计划安排资金",
      "全年预算"),
    L(EXECUTED, "全年执行数", "执行数", "预算执行数", "年度拨付金额", "实际支出", "全年实际支出", "决算数"),
    L(POINTS, "分值", "执行率权重", "权重"),
    L(RATE, "执行率", "支出实现率", "预算执行率"),
    L(SCORE, "得分", "执行率得分", prefixes=("得分",)),
    L(EXTRA, "历年结余结转", "年中调整金额", "本年度结余金额", "资金结余率", "实际到位资金", "结余", "结余金额",
      "结余率", "到位资金", "原因", "调整原因", "未执行原因"),
    L(GROUP, "预算安排", "拨付情况", "结余情况", "资金结构", fuzzy=False),
)

TOTAL_ROW, CURRENT_YEAR, CARRIED_OVER, OTHER, SUBHEAD = "total", "current_year", "carried_over", "other", "subhead"

FUND_ROWS: Vocabulary = (
    L(TOTAL_ROW, "年度资金总额", "年度财政资金总额", "资金总额", "合计", "总计", "年度资金合计", "总额"),
    L(CURRENT_YEAR, "其中当年财政拨款", "当年财政拨款", "其中本年财政拨款", "本年财政拨款", "财政拨款",
      "其中财政拨款"),
    L(CARRIED_OVER, "上年结转资金", "其中上年结转资金", "上年结转"),
    L(OTHER, "其他资金", "其它资金"),
    L(SUBHEAD, "其中", fuzzy=False),
)

INCOME_ROWS: Vocabulary = (
    L("general_budget", "一般公共预算", "其中一般公共预算", "一般公共预算拨款", "其中一般公共预算拨款"),
    L("gov_fund", "政府性基金拨款", "政府性基金", "政府性基金预算"),
    L("special_account", "纳入专户管理的非税收入拨款", "纳入专户管理的非税收入", "非税收入拨款"),
    L("other", "其他资金", "其它资金", "其他"),
)
EXPENSE_ROWS: Vocabulary = (
    L("basic", "基本支出", "其中基本支出"),
    L("project", "项目支出", "其中项目支出"),
)

# ------------------------------------------------------------------ goal columns

EXPECTED, ACTUAL, ADJUSTED = "expected", "actual", "adjusted"
GOAL_COLUMNS: Vocabulary = (
    L(ADJUSTED, "全年（调整）绩效目标", "全年调整绩效目标", "调整绩效目标", "全年绩效目标调整"),
    L(EXPECTED, "预期目标", "年初设定目标", "年初绩效目标", "绩效目标", "年度目标", "预期", "项目年度目标"),
    L(ACTUAL, "实际完成情况", "年度总体目标完成情况综述", "目标实际完成情况", "全年目标实际完成情况",
      "实际完成", "完成情况", "全年实际完成情况", "年度目标完成情况", prefixes=("年度总体目标完成情况",)),
)

# ------------------------------------------------------------------ indicator columns

LEVEL1, LEVEL2, LEVEL3 = "level1", "level2", "level3"
TARGET, TARGET_ADJUSTED, DEVIATION, KIND, UNIT, COEFFICIENT = (
    "target", "target_adjusted", "deviation", "kind", "unit", "coefficient")
HEADER_GROUP = "header_group"

INDICATOR_COLUMNS: Vocabulary = (
    L(LEVEL1, "一级指标"),
    L(LEVEL2, "二级指标"),
    L(LEVEL3, "三级指标", "指标名称", "指标内容", "绩效指标名称"),
    L(TARGET_ADJUSTED, "调整指标值", "调整后指标值", "全年调整指标值"),
    L(TARGET, "年度指标值", "指标值", "年初目标值", "绩效目标值", "年初指标值", "年度目标值", "目标值",
      "预期指标值"),
    L(ACTUAL, "实际完成值", "全年实际值", "全年完成值", "完成值", "实际值", "实际完成情况", "全年实际完成值"),
    L(POINTS, "分值", "参考分值", "指标分值", "指标权重", "权重"),
    L(SCORE, "得分", "自评得分", "指标得分"),
    L(DEVIATION, "偏差原因分析及改进措施", "未完成原因及拟采取的改进措施", "未完成原因分析及改进措施",
      "未完成原因及改进措施", "偏差原因", "未完成原因",
      prefixes=("偏差原因", "未完成原因")),
    L(KIND, "指标性质", "指标类型", "指标方向"),
    L(UNIT, "度量单位", "计量单位", "单位"),
    L(COEFFICIENT, "得分系数"),
    L(EXTRA, "是否核心指标", "指标解释", "计分标准", "评分标准", "备注", "指标说明", "评分细则", fuzzy=True),
    L(HEADER_GROUP, "绩效指标", "年度指标值组", fuzzy=False),
)

TOTAL_LABELS: Vocabulary = (L("total", "总分", "合计", "总计", "总得分", "自评总分", fuzzy=False),)

# ------------------------------------------------------------------ label/value fields

NAME, COMPETENT, IMPLEMENTING, UNIT_NAME = "name", "competent_department", "implementing_unit", "unit"
TOTAL_SCORE, REVIEWED, HEADER = "total.score", "total.reviewed", "header"

FIELDS: Vocabulary = (
    L(NAME, "项目名称", "项目支出名称", "专项资金名称", "部门", "预算部门名称", "部门单位名称", "部门名称", "项目"),
    L(COMPETENT, "主管部门", "主管部门名称", "自治区主管部门", "县级主管部门", "主管单位"),
    L(IMPLEMENTING, "实施单位", "项目实施单位", "项目单位", "实施单位名称"),
    L(UNIT_NAME, "填报单位", "填报单位盖章", "单位名称"),
    L(TOTAL_SCORE, "项目总得分", "自评得分", "自评总分", "总得分", "自评总得分"),
    L(REVIEWED, "财政审核评分", "财政审核得分", "审核评分"),
    L(HEADER, "项目负责人及电话", "负责人及电话", "项目负责人", "联系电话", "部门预算编码", "预算编码", "专项实施期", "市县财政部门",
      "市县主管部门", "实施单位项目负责人", "财政处室", "部门联系人", "联系人", "联络电话", "项目类别",
      "项目属性", "项目类型", "评价类型", "评价方式", "评价机构", "报告日期", "项目地址", "邮编", "项目起止时间",
      "人员编制", "实有人数", "职能职责概述", "年度主要工作内容", "年度部门单位总体运行情况及取得的成绩",
      "偏差大或目标未完成原因分析", "改进措施及结果应用方案", "项目实施期", "资金来源", "项目概况",
      "项目实施内容及过程概述", "评价结论", "存在问题", "改进措施", "报表编号", "财务负责人", "说明",
      prefixes=("年度部门", "偏差大或目标未完成")),
)

SIGNOFF: Vocabulary = (
    L("preparer", "填报人", "经办人"),
    L("phone", "联系电话", "电话"),
    L("date", "填报日期", "日期"),
    L("head", "单位负责人签字", "单位负责人", "负责人签字", "单位负责人签章"),
    L("head_opinion", "单位主要负责人签批意见", "单位负责人意见", "主要负责人签批意见", prefixes=("单位主要负责人",)),
)

def category_of(level1: str | None, level2: str | None = None) -> str | None:
    """The category key of a level-1 heading (产出 → output …), from 二级指标 when the heading
    says only “(50分)”; OCR-scrambled headings (“出标产指”) are matched by their characters.
    The mapping is the core's one (:mod:`xlfuncs.categories`)."""
    category = core_category_of(level1 or "", level2 or "")
    return category.key if category is not None else None
