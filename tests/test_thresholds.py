"""Every threshold of the rule profiles, at its edge, just below and just above."""

from __future__ import annotations

import dataclasses

import pytest
from factories import make_clean_filing

from xlfuncs.engine import evaluate
from xlfuncs.profiles import available_profiles, load_profile
from xlfuncs.rowscore import score_indicator
from xlfuncs.scoring import capped_total, score_budget

pytestmark = pytest.mark.core
DEFAULT = load_profile("default")
HUBEI = load_profile("hubei")
YITIHUA = load_profile("yitihua")
EPS = 1e-4


def _rules(filing, profile=None):
    return {f.rule for f in evaluate(filing, profile).findings}


# ------------------------------------------------------------------ [budget]


@pytest.mark.parametrize(("executed", "score"), [("100", 10), ("99.9", 9.99), ("100.1", 10)])
def test_budget_score_capped_at_rate_one(executed, score):
    assert score_budget(executed, "100", "10", DEFAULT).score == score


def test_budget_score_uncapped_and_tiers():
    uncapped = dataclasses.replace(DEFAULT, cap_rate_at_one=False)
    assert score_budget("100.1", "100", "10", uncapped).score == 10.01
    tiered = dataclasses.replace(DEFAULT, budget_tiers=((0.9, 1.0), (0.8, 0.5)))
    assert [score_budget(e, "100", "10", tiered).score for e in ("90", "89.99", "90.01")] == [10, 5, 10]
    assert [score_budget(e, "100", "10", tiered).score for e in ("80", "79.99", "80.01")] == [5, 0, 5]


# ------------------------------------------------------------------ [indicator]


@pytest.mark.parametrize(("actual", "score"), [("105", 10), ("104.99", 10), ("105.01", 9.52)])
def test_approx_tolerance(actual, score):
    assert score_indicator("约100次", f"{actual}次", 10, DEFAULT).score == score


@pytest.mark.parametrize(("actual", "score"), [("8", 10), ("7.99", 9.99), ("8.01", 9.99)])
def test_equal_tolerance(actual, score):
    assert score_indicator("=8个", actual, 10, DEFAULT).score == score


def _band_case(profile, band, share):
    filing = make_clean_filing()
    row = filing["department"]["indicators"][5]  # 15 points, a qualitative row
    points = 15
    row.update(band=band, score=str(round(points * share, 4)), deviation="说明")
    filing["department"]["total"]["score"] = str(round(85 + points * share, 4))
    return "D4" in _rules(filing, profile)


@pytest.mark.parametrize(("profile", "band", "low", "high"), [
    (DEFAULT, "部分达成年度指标并具有一定效果", 0.6, 0.8), (DEFAULT, "未达成年度指标且效果较差", 0.0, 0.6),
    (HUBEI, "部分达成预期指标", 0.5, 0.8), (HUBEI, "未达成预期指标", 0.0, 0.5),
])
def test_band_edges(profile, band, low, high):
    assert not _band_case(profile, band, low)  # at the lower edge: inside
    assert not _band_case(profile, band, low + EPS)
    if low > 0:
        assert _band_case(profile, band, low - 0.01)
    assert not _band_case(profile, band, high - 0.01)
    assert _band_case(profile, band, high)  # the upper edge belongs to the band above
    assert _band_case(profile, band, high + 0.01)


def test_top_band_edges():
    for profile, label in ((DEFAULT, "达成年度指标"), (HUBEI, "达成预期指标")):
        assert not _band_case(profile, label, 0.8) and not _band_case(profile, label, 1.0)
        assert _band_case(profile, label, 0.79)


@pytest.mark.parametrize(("profile", "edges"), [
    ("default", ((90, "优", "良"), (80, "良", "中"), (60, "中", "差"))),
    ("hubei", ((90, "优", "良"), (80, "良", "中"), (60, "中", "差"))),
    ("yitihua", ((80, "优", "良"), (70, "良", "中"), (60, "中", "差"))),
])
def test_grade_edges(profile, edges):
    rules = load_profile(profile)
    for edge, at, below in edges:
        assert rules.grade(edge) == at
        assert rules.grade(edge + 0.01) == at
        assert rules.grade(edge - 0.01) == below


# ------------------------------------------------------------------ [checks]


@pytest.mark.parametrize(("executed", "a1"), [("25.01", False), ("25.009", False), ("25.011", True)])
def test_amount_tolerance(clean, executed, a1):
    clean["projects"][0]["funds"]["total"]["executed"] = executed
    assert ("A1" in _rules(clean)) is a1


@pytest.mark.parametrize(("filed", "a2"), [("99.5%", False), ("99.51%", False), ("99.49%", True)])
def test_rate_tolerance(clean, filed, a2):
    clean["projects"][0]["funds"]["total"]["rate"] = filed
    assert ("A2" in _rules(clean)) is a2


@pytest.mark.parametrize(("filed", "a4"), [("9.99", False), ("9.995", False), ("9.98", True)])
def test_score_tolerance(clean, filed, a4):
    clean["projects"][0]["funds"]["total"]["score"] = filed
    clean["projects"][0]["total"]["score"] = str(90 + float(filed))
    assert ("A4" in _rules(clean)) is a4


@pytest.mark.parametrize(("executed", "a7"), [("90", False), ("89.99", True), ("90.01", False)])
def test_low_rate(clean, executed, a7):
    funds = clean["department"]["funds"]["total"]
    rate = float(executed) / 100
    funds.update(executed=executed, rate=f"{rate:.2%}", score=f"{10 * rate:.2f}")
    clean["department"]["total"]["score"] = f"{90 + 10 * rate:.2f}"
    assert ("A7" in _rules(clean)) is a7


@pytest.mark.parametrize(("actual", "d5"), [("13场", True), ("12.99场", False), ("13.01场", True)])
def test_overshoot(clean, actual, d5):
    clean["department"]["indicators"][0]["actual"] = actual  # target ≥10场
    assert ("D5" in _rules(clean)) is d5


@pytest.mark.parametrize(("actual", "e8"), [("已完成", True), ("已保障了", False), ("保障了运转", False)])
def test_goal_min_chars(clean, actual, e8):
    clean["department"]["goal"]["actual"] = actual  # 3 characters, 4 (the edge), 5
    assert ("E8" in _rules(clean)) is e8


def _same_sections(clean, text):
    for project in clean["projects"]:
        report = project["report"]
        at = report["text"].index("四、")
        report["text"] = report["text"][:at] + f"三、偏离绩效目标的原因和下一步改进措施\n（二）改进措施\n{text}\n" + report["text"][at:]


@pytest.mark.parametrize(("text", "f7"), [("加强绩效监控提高资金效益", True), ("加强绩效监控提高资金效", False),
                                          ("加强绩效监控提高资金效益。严", True)])
def test_boilerplate_min_chars(clean, text, f7):
    _same_sections(clean, text)  # 12 characters (the edge), 11, 13
    assert ("F7" in _rules(clean)) is f7


# ------------------------------------------------------------------ [optional]


@pytest.mark.parametrize(("rate", "cap"), [
    (0.8, None), (0.7999, 89), (0.8001, None), (0.7, 89), (0.6999, 79), (0.6, 79), (0.5999, 69), (0.5, 69),
    (0.4999, 59),
])
def test_rate_caps(rate, cap):
    total, applied = capped_total([100.0], rate, YITIHUA)
    assert applied == cap and total == (cap if cap is not None else 100)
    assert capped_total([100.0], rate, DEFAULT) == (100, None)


@pytest.mark.parametrize(("actual", "score"), [("13场", 8), ("12.99场", 10), ("13.01场", 8)])
def test_deviation_penalty_edge(actual, score):
    assert score_indicator("≥10场", actual, 10, YITIHUA).score == score


def test_every_profile_loads_with_every_key():
    for name in available_profiles():
        profile = load_profile(name)
        assert profile.bands and profile.grades and profile.goal_min_chars > 0
        assert profile.top_band.max == 1.0 and profile.bottom_band.min == 0.0
