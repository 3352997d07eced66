"""Scoring formulas of rules.md §1 under the default and variant profiles."""

from __future__ import annotations

import copy

import pytest
from factories import make_clean_filing
from hypothesis import given
from hypothesis import strategies as st

from xlfuncs import cellfuncs
from xlfuncs.engine import evaluate, score_filing
from xlfuncs.profiles import ProfileError, available_profiles, load_profile
from xlfuncs.scoring import NEEDS_BAND, NOT_OBSERVED, UNITS, score_budget, score_indicator

pytestmark = pytest.mark.core

DEFAULT = load_profile("default")
HUBEI = load_profile("hubei")


def s(target, actual, points=10, profile=DEFAULT, **kw):
    return score_indicator(target, actual, points, profile, **kw).score


def test_positive():
    assert s("≥50个", "50") == 10
    assert s("≥50个", "60个") == 10
    assert s("≥50个", "40个") == 8
    assert s("30场", "　31场") == 10
    assert s("98%以上", "100%") == 10
    assert s("≥11.376万元", "12万元") == 10


def test_reverse_default_and_hubei():
    assert s("≤90万元", "90") == 10
    assert s("≤202.6万元", "132.9") == 10
    assert s("≤5%", "6%") == 8  # 10 × (1 − (6 − 5)/5)
    assert s("≤5%", "10%") == 0
    assert s("≤5%", "12%") == 0  # never below 0
    assert s("≤5%", "6%", profile=HUBEI) == pytest.approx(8.33)  # 10 × 5/6
    assert s("2%", "3%", name="绿植死亡率") == 5  # a rate named as reverse


def test_equal_and_approx():
    assert s("=8个", "8") == 10
    assert s("=8个", "6") == 7.5
    assert s("=8个", "10") == 8
    assert s("约100次", "104次") == 10
    assert s("约100次", "90次") == 9
    assert s("0", "0", kind="等于") == 10
    assert s("0", "1", kind="等于") == 0


def test_frequency_target():
    assert s("每月一次", "　12次") == 10
    assert s("每月一次", "6次") == 5


def test_qualitative_match_and_bands():
    assert s("及时完成", "及时完成") == 10
    assert s("在项目计划完成时间内完成", "达成预期指标") == 10
    result = score_indicator("有效提升", "略有改善", 10, DEFAULT)
    assert result.score is None and result.problem == NEEDS_BAND
    assert s("有效提升", "略有改善", band="部分达成年度指标并具有一定效果") == 7
    assert s("有效提升", "略有改善", band="部分达成", profile=HUBEI) == 6.5


def test_unjudgeable_rows_say_why():
    result = score_indicator("大于14000次", "大于14000次", 10, DEFAULT)
    assert result.score is None and result.problem == NOT_OBSERVED
    assert "目标式表述" in result.explanation
    assert score_indicator("30场", "31次", 10, DEFAULT).problem == UNITS
    assert score_indicator("30场", "31场", "十分", DEFAULT).score is None
    assert score_indicator("30场", "", 10, DEFAULT).score is None


def test_budget_score_cap():
    assert score_budget("80", "100", "10", DEFAULT).score == 8
    assert score_budget("523.12", "31.6", "10", DEFAULT).score == 10
    assert score_budget("0", "0", "10", DEFAULT).score is None
    rate_initial = score_budget("2662.18", "2662.18", "10", DEFAULT, initial="2414.16").rate_initial
    assert rate_initial == pytest.approx(2662.18 / 2414.16)


def test_grades():
    grades = {t: DEFAULT.grade(t) for t in (95, 90, 89.99, 80, 79, 60, 59.9)}
    assert grades == {95: "优", 90: "优", 89.99: "良", 80: "良", 79: "中", 60: "中", 59.9: "差"}
    yitihua = load_profile("yitihua")
    assert yitihua.grade(85) == "优" and yitihua.grade(75) == "良"


def test_profiles_are_data_and_selectable_by_name():
    assert {"default", "hubei", "yitihua"} <= set(available_profiles())
    assert HUBEI.reverse_formula == "ratio" and DEFAULT.reverse_formula == "linear"
    assert HUBEI.weights == DEFAULT.weights  # inherited
    with pytest.raises(ProfileError, match="没有名为"):
        load_profile("nowhere")


def test_optional_rate_cap_profile(clean):
    clean["department"]["funds"]["total"]["executed"] = "65"  # 65 % executed
    default_total = score_filing(clean, "default")[0].total
    capped = score_filing(clean, "yitihua")[0]
    assert default_total == pytest.approx(96.5)
    assert capped.total == 79 and "封顶" in capped.explanation


def test_cellfuncs_match_engine():
    assert cellfuncs.exec_rate([[523.12]], [[31.6]]) == pytest.approx(16.5544, abs=1e-4)
    assert cellfuncs.perf_score("≥50个", "40个", 10) == 8
    error = cellfuncs.perf_score("大于14000次", "大于14000次", 10)
    assert isinstance(error, cellfuncs.CellError) and error.code == "#VALUE!"
    assert cellfuncs.check_equal(1289.42, [[400], [523.12], [523.12], [40], [294.7]]) == pytest.approx(491.52)
    assert cellfuncs.check_heading("产出指标\n(50分)", [[10]] * 5) == cellfuncs.CHECK_OK
    assert cellfuncs.grade(89.99) == "良"
    assert isinstance(cellfuncs.score_total(10, [[5], ["#VALUE!"]]), cellfuncs.CellError)


VALUE = st.one_of(st.none(), st.text(max_size=12), st.integers(-10**6, 10**6),
                  st.floats(allow_nan=True, allow_infinity=True))


@given(VALUE, VALUE, VALUE, VALUE, VALUE)
def test_scorer_never_raises_and_stays_in_range(target, actual, points, kind, band):
    result = score_indicator(target, actual, points, DEFAULT, kind=kind, band=band)
    if result.score is not None:
        assert 0 <= result.score <= result.points
    else:
        assert result.explanation.startswith("无法评分")
    cell = cellfuncs.perf_score(target, actual, points, kind, band)
    assert isinstance(cell, (float, cellfuncs.CellError))


def _value_pointers(filing: dict) -> list[tuple[list, str | int]]:
    """(container, key) of every scalar value field in a filing."""
    found = []

    def walk(node):
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for key, child in items:
            if key == "format":
                continue
            if isinstance(child, (dict, list)):
                walk(child)
            else:
                found.append((node, key))
    walk(filing)
    return found


@given(st.data())
def test_validator_never_raises_on_any_value(seed_data, data):
    filing = copy.deepcopy(seed_data)
    slots = _value_pointers(filing)
    for _ in range(data.draw(st.integers(1, 25))):
        node, key = data.draw(st.sampled_from(slots))
        node[key] = data.draw(VALUE)
    evaluation = evaluate(filing)
    for finding in evaluation.findings:
        assert finding.message and finding.rule


@given(st.sampled_from(["default", "hubei", "yitihua"]), st.data())
def test_validator_never_raises_on_clean_filing_mutations(profile, data):
    filing = make_clean_filing()
    slots = _value_pointers(filing)
    for _ in range(data.draw(st.integers(1, 10))):
        node, key = data.draw(st.sampled_from(slots))
        node[key] = data.draw(VALUE)
    evaluate(filing, profile)


def test_deviation_penalty_is_part_of_the_row_score():
    yitihua = load_profile("yitihua")
    row = score_indicator("≥10场", "14场", 10, yitihua)  # 140 % of target: 指标偏离
    assert row.score == 8 and "指标偏离扣 2 分" in row.explanation
    assert score_indicator("≥10场", "12场", 10, yitihua).score == 10
    assert score_indicator("≥10场", "14场", 10, DEFAULT).score == 10


def test_score_total_caps_by_rate_like_the_engine(clean):
    clean["department"]["funds"]["total"]["executed"] = "65"
    engine = score_filing(clean, "yitihua")[0]
    cell = cellfuncs.score_total(engine.budget.score, [[r.score] for r in engine.indicators],
                                 engine.budget.rate, "yitihua")
    assert cell == engine.total == 79
    missing = cellfuncs.score_total(engine.budget.score, [[r.score] for r in engine.indicators], None, "yitihua")
    assert isinstance(missing, cellfuncs.CellError)
    assert cellfuncs.score_total(6.5, [[90]], None) == 96.5  # the default profile has no cap


def test_score_total_refuses_a_total_when_the_points_do_not_add_to_100():
    cell = cellfuncs.score_total(10, [[10]] * 10, None, None, 10, [[10]] * 10)  # 10 + 100 = 110 points
    assert isinstance(cell, cellfuncs.CellError) and "110" in cell.reason and "100" in cell.reason
    assert cellfuncs.score_total(10, [[10]] * 9, None, None, 10, [[10]] * 9) == 100
    short = cellfuncs.score_total(10, [[10]] * 8, None, None, "10分", [[10]] * 8 + [[""]] * 3)  # blanks skipped: 90
    assert isinstance(short, cellfuncs.CellError) and "90" in short.reason


def test_perf_score_takes_the_level2_for_cost_rows():
    assert cellfuncs.perf_score("15万元", "16万元", 10, group="成本指标") == pytest.approx(9.33)
    assert cellfuncs.perf_score("15万元", "16万元", 10) == 10  # without it the row reads as a count
    text = cellfuncs.perf_explain("15万元", "16万元", 10, None, None, None, None, "成本指标")
    assert "反向指标" in text


def _label_points_table(scores=("", "", "", "")):
    """A scoring form with no 分值 column: each 三级指标 prints its points, each heading its group's."""
    rows = [("部门决策(50分)", "目标任务(50分)", "相关性(50分)"),
            ("部门绩效情况(50分)", "可持续发展能力(20分)", "人才培养(20分)"),
            ("部门绩效情况(50分)", "满意度(30分)", "协作部门满意度(10分)"),
            ("部门绩效情况(50分)", "满意度(30分)", "社会公众满意度(20分)")]
    indicators = [{"level1": a, "level2": b, "level3": c, "score": s} for (a, b, c), s in zip(rows, scores, strict=True)]
    return {"schema": "perfeval.filing/1", "unit": "某局", "year": 2019, "department": {
        "name": "某局", "form": {"row_points": False, "budget_scored": False}, "indicators": indicators,
        "funds": {"total": {}}, "total": {}}, "projects": []}


def test_rows_printing_their_points_in_the_label_count_before_they_are_scored():
    """An unscored row whose label prints its points is an indicator waiting for its score (not an
    unused template row); a heading repeated row by row is one group even when its 二级指标 name
    different categories, so the groups' points are 50 + 50, not 50 + 50 + 50."""
    blank = score_filing(_label_points_table())[0]
    assert [r.role for r in blank.indicators] == ["indicator"] * 4
    assert [g.declared for g in blank.groups] == [50, 50]
    assert blank.points_total == 100 and blank.total is None
    filled = score_filing(_label_points_table(("50", "20", "10", "18")))[0]
    assert filled.total == 98
