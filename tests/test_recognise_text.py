"""Folding and label matching: what mirrors and OCR do to labels, and property tests that the
recogniser's text functions and grid reader never raise on anything."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xlfuncs.recognise import GridError, RecogniseError, parse_grid_json, recognise_documents
from xlfuncs.recognise.fold import fold
from xlfuncs.recognise.vocabulary import (
    BLOCKS,
    FIELDS,
    FUND_COLUMNS,
    GOAL_COLUMNS,
    INDICATOR_COLUMNS,
    category_of,
    match,
)


@pytest.mark.parametrize(("text", "plain"), [
    ("項(xiàng)目資金 (萬元)", "项目资金(万元)"), ("實(shí)際完成值", "实际完成值"), ("产出指标\n（50分）", "产出指标(50分)"),
    ("　年度 指标值 ", "年度指标值"), ("偏差原因分析及改進(jìn)措施", "偏差原因分析及改进措施"),
])
def test_fold_for_matching(text, plain):
    assert fold(text) == plain


@pytest.mark.parametrize(("text", "vocabulary", "role"), [
    ("项Fl资金(万兀)", BLOCKS, "funds"), ("考值参分", INDICATOR_COLUMNS, "points"),
    ("年成值全完值", INDICATOR_COLUMNS, "actual"), ("年初预匏数", FUND_COLUMNS, "initial"),
    ("调整预算将,A、", FUND_COLUMNS, "full_year"), ("全年(If整)预算数", FUND_COLUMNS, "full_year"),
    ("财政审1度评分", FIELDS, "total.reviewed"), ("实施第位", FIELDS, "implementing_unit"),
    ("全年(调整)绩效目标", GOAL_COLUMNS, "adjusted"), ("年初绩效目标", GOAL_COLUMNS, "expected"),
    ("指标得分(分)", INDICATOR_COLUMNS, "score"), ("指标权重(分)", INDICATOR_COLUMNS, "points"),
    ("小计\n④ = ①+② +③", FUND_COLUMNS, "full_year"), ("支出实现率(%)\n⑥=⑤/④", FUND_COLUMNS, "rate"),
])
def test_ocr_and_variant_labels(text, vocabulary, role):
    assert match(text, vocabulary, fuzzy=True) == role


@pytest.mark.parametrize(("text", "vocabulary"), [
    ("质量指标", INDICATOR_COLUMNS),  # the same characters as 指标性质 minus one, out of order: data, not a label
    ("项目实施", FIELDS), ("全年执行数", (FUND_COLUMNS[0],)), ("保障学校正常工作运行", GOAL_COLUMNS),
])
def test_fuzzy_matching_stays_conservative(text, vocabulary):
    assert match(text, vocabulary, fuzzy=text != "项目实施") is None


@pytest.mark.parametrize(("level1", "level2", "category"), [
    ("出标产指", "数量指标", "output"), ("益标效指", "", "benefit"), ("意指斥满度打", "服务对象满意度", "satisfaction"),
    ("\n\n\n\n(50分)", "数量指标", "output"), ("\n\n\n\n(30分)", "经济效益\n指标", "benefit"),
    ("项目决策(10分)", "项目目标", "decision"), ("顼目产出(30分)", "数量指标(10分)", "output"),
])
def test_categories_of_headings(level1, level2, category):
    assert category_of(level1, level2) == category


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_fold_and_match_never_raise(text):
    assert fold(fold(text)) == fold(text)
    for vocabulary in (BLOCKS, FIELDS, FUND_COLUMNS, GOAL_COLUMNS, INDICATOR_COLUMNS):
        match(text, vocabulary, fuzzy=True)
    category_of(text, text)


cells = st.one_of(st.none(), st.text(max_size=12), st.sampled_from(
    ["项目名称", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "总分", "年度资金总额", "全年预算数",
     "全年执行数", "执行率", "年度总体目标", "预期目标", "10", "—", "", None]))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(cells, min_size=1, max_size=8), min_size=1, max_size=12))
def test_any_grid_is_recognised_or_refused_in_chinese(grid):
    try:
        document = parse_grid_json(json.dumps({"grid": grid}, ensure_ascii=False), "随机.json")
        result = recognise_documents([document])
    except (GridError, RecogniseError) as exc:
        assert str(exc)
        return
    for entry in result.unplaced:  # what could not be placed is reported exactly as it stood
        assert grid[entry["row"] - 1][entry["col"] - 1] == entry["text"]
    for pointer, value, origin in result.explain():  # a value traced to a cell stands in that cell
        if "row" in origin and isinstance(value, str):
            assert value in grid[origin["row"] - 1][origin["col"] - 1], pointer  # inline “标签：值” cells hold more


def test_a_cell_holding_label_and_value_is_split_even_when_its_label_is_close_to_a_known_one():
    """“财务负责人:唐勇” beside “项目负责人:查小兵” (corpus c07): the value stays the value, it is not
    swallowed into a label that fuzzy matching takes for 财务负责人 alone."""
    grid = [["项目支出绩效自评表", None, None, None],
            ["项目名称", "某项目", None, None],
            ["一级指标", "三级指标", "指标值", "完成值"],
            ["产出指标", "数量", "1", "1"],
            ["存在问题", "无", None, None],
            ["项目负责人:查小兵", None, "财务负责人:唐勇", None]]
    filing = recognise_documents([parse_grid_json(json.dumps({"grid": grid}, ensure_ascii=False), "表.json")]).filing
    assert filing["projects"][0]["header"] == {"存在问题": "无", "项目负责人": "查小兵", "财务负责人": "唐勇"}
