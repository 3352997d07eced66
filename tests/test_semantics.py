"""Scoring semantics (issue 8 §3): worded answers, directions, zero targets, bands of each profile."""

from __future__ import annotations

import pytest

from xlfuncs.profiles import load_profile
from xlfuncs.rowscore import MET, NEEDS_BAND, NEGATED, STATED, WEAKER, qualitative_verdict, score_indicator

pytestmark = pytest.mark.core
DEFAULT = load_profile("default")
HUBEI = load_profile("hubei")


def s(target, actual, points=10, profile=DEFAULT, **kw):
    return score_indicator(target, actual, points, profile, **kw).score


@pytest.mark.parametrize(("target", "actual", "verdict"), [
    ("及时", "不及时", NEGATED), ("合格", "不合格", NEGATED), ("完成", "未完成", NEGATED), ("达标", "未达标", NEGATED),
    ("有所提升", "未提升", NEGATED), ("是", "否", NEGATED), ("按时完成", "没有完成", NEGATED),
    ("好", "较好", WEAKER), ("完成", "基本完成", WEAKER), ("达到", "基本达到", WEAKER), ("是", "基本达到", WEAKER),
    ("显著提升", "有所提升", WEAKER),
    ("好", "好", MET), ("高", "高", MET), ("好", "良好", MET), ("及时", "及时", MET), ("合格", "验收合格", MET),
    ("不发生安全事故", "不发生安全事故", MET), ("在项目计划完成时间内完成", "达成预期指标", MET),
    ("有效", "部分达成年度指标并具有一定效果", STATED),
])
def test_worded_answers(target, actual, verdict):
    assert qualitative_verdict(target, actual, DEFAULT)[0] == verdict


def test_negated_and_weaker_answers_need_a_stated_band():
    for actual in ("不及时", "基本及时"):
        result = score_indicator("及时", actual, 10, DEFAULT)
        assert result.score is None and result.problem == NEEDS_BAND
        assert "请选择评价档次" in result.explanation
    assert "部分达成" in score_indicator("完成", "基本完成", 10, DEFAULT).explanation
    assert "未达成" in score_indicator("完成", "未完成", 10, DEFAULT).explanation
    assert s("及时", "不及时", band="未达成") == 3
    assert s("完成", "基本完成", band="部分达成") == 7


def test_a_band_named_in_the_actual_is_a_stated_band():
    assert s("有效", "部分达成年度指标并具有一定效果") == 7
    assert s("有效", "部分达成预期指标") == 7  # the Hubei wording is accepted by every profile
    assert s("有效", "部分达成预期指标", profile=HUBEI) == 6.5


def test_hubei_bands_are_the_provinces_own():
    labels = [b.label for b in HUBEI.bands]
    assert labels == ["达成预期指标", "部分达成预期指标", "未达成预期指标"]
    assert [(b.min, b.max) for b in HUBEI.bands] == [(0.8, 1.0), (0.5, 0.8), (0.0, 0.5)]
    assert HUBEI.band("部分达成年度指标并具有一定效果").label == "部分达成预期指标"
    assert HUBEI.band("未达成") is HUBEI.bottom_band


def test_cost_indicators_are_lower_is_better_unless_marked():
    assert s("15万元", "16万元", group="成本指标") == pytest.approx(9.33)  # 10 × (1 − 1/15)
    assert s("15万元", "14万元", group="成本指标") == 10
    assert s("15万元", "14万元", name="单位成本") == 10
    assert s("≥15万元", "14万元", group="成本指标") == pytest.approx(9.33)  # the form marks it ≥
    assert s("10%", "12%", name="成本节约率", group="成本指标") == 10  # a saving rate: more is better
    assert s("15万元", "16万元", group="成本指标", profile=HUBEI) == pytest.approx(9.38)  # 10 × 15/16


def test_counts_of_bad_events_and_zero_targets_are_reverse():
    assert s("0次", "0次", name="安全事故发生次数") == 10
    assert s("0次", "1次", name="安全事故发生次数") == 0
    assert s("2起", "1起", name="安全事故") == 10
    assert s("5件", "6件", name="有效投诉") == 8
    assert s("95%", "90%", name="投诉处理率") == pytest.approx(9.47)  # handling of complaints: more is better
    assert s("0次", "0次") == 10 and s("0次", "2次") == 0  # a 0 target is a ceiling


def test_zero_target_in_both_directions():
    assert s("0", "0", kind="正向") == 10 and s("0", "3", kind="正向") == 10
    assert s("0", "0", kind="反向") == 10 and s("0", "3", kind="反向") == 0
    assert s("≥0", "0") == 10 and s("≤0", "1") == 0
    assert s("0", "0", kind="等于") == 10 and s("0", "1", kind="等于") == 0


def test_control_and_other_reverse_rates():
    assert s("100%", "92%", name="财政供养人员控制率") == 10
    assert s("90%", "95%", name="病虫害控制率") == 10
    assert s("90%", "85%", name="病虫害控制率") == pytest.approx(9.44)  # below 100 %: a minimum
    assert s("3%", "0", name="预算调整率") == 10
    assert s("2%", "0", name="结转结余率") == 10


def test_kind_column_forms():
    assert s("72890", "72890", kind="﹦", unit="元") == 10
    assert s("95", "95", kind="≥", unit="%") == 10
    assert s("高", "高", kind="定性指标") == 10
    assert s("100%", "92%", kind="定量指标", name="财政供养人员控制率") == 10
    assert s("高", "高", kind="性标定指") == 10  # a vertical label scrambled by text extraction
    assert score_indicator("5", "5", 10, DEFAULT, kind="随便").problem == "bad_kind"
