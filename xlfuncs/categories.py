"""The one mapping from a 一级指标 heading to its category (产出、效益、满意度、决策、过程).

The scorer, the checks, the cell functions and the workbook all take categories from here.
A heading names its category in words ("产出指标(50分)", "项目产出", "產出指標"); a heading that
only prints points ("(50分)") takes the category of its 二级指标 rows (数量指标 → 产出); a heading
whose characters were scrambled by text extraction of a vertical label ("出标产指") is matched by
its characters when nothing else matches.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .textnorm import fold_text


@dataclass(frozen=True)
class Category:
    """One level-1 indicator category."""

    key: str  # the profile's weight key (output, benefit, satisfaction) or a process key
    label: str  # how messages name it
    words: tuple[str, ...]  # words of a 一级指标 heading naming it; the first is its keyword
    level2_words: tuple[str, ...]  # words of 二级指标 labels that place a row in it

    @property
    def keyword(self) -> str:
        """The word a heading of this category contains (产出, 效益, 满意 …)."""
        return self.words[0]


OUTPUT = Category("output", "产出指标", ("产出",), ("数量", "质量", "时效", "成本"))
BENEFIT = Category("benefit", "效益指标", ("效益", "效果"), ("经济效益", "社会效益", "生态效益", "可持续", "效益"))
SATISFACTION = Category("satisfaction", "满意度指标", ("满意",), ("满意",))
DECISION = Category("decision", "项目决策", ("决策",), ("项目目标", "项目立项", "决策过程", "绩效目标", "资金投入"))
MANAGEMENT = Category("management", "项目管理", ("管理", "过程"),
                      ("投入管理", "财务管理", "项目实施", "资金管理", "组织实施", "业务管理", "预算执行"))

CATEGORIES: tuple[Category, ...] = (OUTPUT, BENEFIT, SATISFACTION, DECISION, MANAGEMENT)
#: The three groups of the 财预〔2020〕10号 family, in form order (the master workbook's groups).
STANDARD_CATEGORIES: tuple[Category, ...] = (OUTPUT, BENEFIT, SATISFACTION)
#: Process groups (项目决策, 项目管理): rows scored by the form's own criteria.
PROCESS_KEYS = frozenset({DECISION.key, MANAGEMENT.key})
BY_KEY = {c.key: c for c in CATEGORIES}

_SCRAMBLED_MAX = 10  # a scrambled vertical label is short; longer text must name its category in order


def _by_words(text: str) -> Category | None:
    best: tuple[int, Category] | None = None
    for category in CATEGORIES:
        for word in category.words:
            at = text.find(word)
            if at >= 0 and (best is None or at < best[0]):
                best = (at, category)
    return best[1] if best else None


def _by_characters(text: str) -> Category | None:
    if not text or len(text) > _SCRAMBLED_MAX:
        return None
    chars = set(text)
    found = [c for c in CATEGORIES if any(set(word) <= chars for word in c.words)]
    return found[0] if len(found) == 1 else None


@lru_cache(maxsize=4096)
def _heading_category(text: str) -> Category | None:
    return _by_words(text) or _by_characters(text)


def heading_category(level1: Any) -> Category | None:
    """The category a 一级指标 heading names, or None ("(50分)", blank, unknown words)."""
    return _heading_category(fold_text(level1))


@lru_cache(maxsize=4096)
def _level2_category(text: str) -> Category | None:
    for category in CATEGORIES:
        if any(word in text for word in category.level2_words):
            return category
    return None


def level2_category(level2: Any) -> Category | None:
    """The category a 二级指标 label belongs to (数量指标 → 产出, 社会效益指标 → 效益), or None."""
    return _level2_category(fold_text(level2))


def category_of(level1: Any, level2: Any = None) -> Category | None:
    """The category of an indicator row: from its 一级指标 heading, else from its 二级指标."""
    return heading_category(level1) or (level2_category(level2) if level2 is not None else None)


def is_process(category: Category | None) -> bool:
    """True for 项目决策 / 项目管理 (过程) groups."""
    return category is not None and category.key in PROCESS_KEYS
