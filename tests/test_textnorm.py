"""Folding text for matching words (traditional characters, pinyin glosses) and the one category map."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xlfuncs.categories import STANDARD_CATEGORIES, category_of, heading_category, level2_category
from xlfuncs.textnorm import _SIMPLIFIED, _TRADITIONAL, fold_text, simplify

pytestmark = pytest.mark.core


@pytest.mark.parametrize(("raw", "folded"), [
    ("產(chǎn)出指標(biāo)", "产出指标"), ("産出", "产出"), ("指標", "指标"), ("績效指標(biāo)", "绩效指标"),
    ("全年預(yù)算數(shù)(A)", "全年预算数(A)"), ("執(zhí)行率(B/A)", "执行率(B/A)"), ("滿意度指標(biāo)", "满意度指标"),
    ("效益指标\n（30分）　", "效益指标(30分)"), (None, ""), (10.0, "10"),
])
def test_fold_text(raw, folded):
    assert fold_text(raw) == folded


def test_simplify_keeps_layout():
    assert simplify("項目\n名稱　") == "项目\n名称 "


def test_table_is_one_character_for_one():
    assert len(_TRADITIONAL) == len(_SIMPLIFIED)
    pairs = {}
    for old, new in zip(_TRADITIONAL, _SIMPLIFIED, strict=True):
        assert pairs.setdefault(old, new) == new, old


@given(st.text())
def test_folding_never_raises_and_is_idempotent(text):
    once = fold_text(text)
    assert fold_text(once) == once


@pytest.mark.parametrize(("level1", "level2", "key"), [
    ("产出指标(50分)", None, "output"), ("項(xiàng)目產(chǎn)出(30分)", None, "output"), ("\n\n\n\n(50分)", "数量指标", "output"),
    ("(30分)", "经济效益\n指标", "benefit"), ("满意度\n指标\n（10分）", None, "satisfaction"),
    ("项目决策(10分)", None, "decision"), ("项目管理(25分)", None, "management"), ("项目效益(35分)", None, "benefit"),
    ("出标产指", None, "output"), ("益标效指", None, "benefit"), ("意指斥满度打", None, "satisfaction"),
])
def test_categories(level1, level2, key):
    assert category_of(level1, level2).key == key


def test_unknown_headings():
    assert heading_category("(50分)") is None
    assert heading_category("") is None
    assert level2_category("其他") is None
    assert [c.keyword for c in STANDARD_CATEGORIES] == ["产出", "效益", "满意"]
