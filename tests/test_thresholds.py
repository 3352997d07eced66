"""Every profile threshold at, just below and just above its bound.

Two kinds of cases: fixed figures under the shipped profiles (the engine's own thresholds: goal
length, boilerplate length, the top band, the deviation penalty …), and cases whose bounds are read
from each shipped profile (grades, rate caps, the budget rule and tiers, indicator directions and
tolerances, the overshoot rule, the qualitative bands, and the check tolerances A2, A7, A3, D3), so
a flipped comparison or an off-by-one in any of them turns a case red."""

from __future__ import annotations

import copy
import dataclasses

import pytest
from factories import make_clean_filing

from xlfuncs import cellfuncs
from xlfuncs.engine import evaluate, score_filing
from xlfuncs.profiles import available_profiles, load_profile
from xlfuncs.rowscore import score_indicator
from xlfuncs.scoring import capped_total, score_budget

pytestmark = pytest.mark.core
DEFAULT = load_profile("default")
HUBEI = load_profile("hubei")
YITIHUA = load_profile("yitihua")
EPS = 1e-4
PROFILES = available_profiles()
JUST = 0.001  # “just” below / above (profile-read bounds), far above float noise and far below any real step


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


@pytest.mark.parametrize(("actual", "e8"), [("保障单位正常运转", True), ("保障单位正常运", False), ("保障单位正常运转和", True),
                                          ("确保单位正常运转", False)])
def test_goal_copy_min_chars(clean, actual, e8):
    """8 characters copied out of the 预期目标 (the edge), 7, 9, and a text not inside it."""
    clean["department"]["goal"]["expected"] = "保障单位正常运转和履职需要"
    clean["department"]["goal"]["actual"] = actual
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


# ============================================================================= bounds read from each profile


# ----------------------------------------------------------------------------- grades and caps

@pytest.mark.parametrize("name", PROFILES)
def test_grade_bounds(name):
    profile = load_profile(name)
    grades = list(profile.grades)
    for upper, lower in zip(grades, grades[1:], strict=False):
        assert profile.grade(upper.min) == upper.label
        assert profile.grade(upper.min + JUST) == upper.label
        assert profile.grade(upper.min - JUST) == lower.label
        assert cellfuncs.grade(upper.min - JUST, name) == lower.label
    assert profile.grade(0) == grades[-1].label


@pytest.mark.parametrize("name", PROFILES)
def test_rate_cap_bands(name):
    profile = load_profile(name)
    full = [10.0, 50.0, 30.0, 10.0]  # 100 points earned
    if not profile.cap_total_by_rate:
        assert capped_total(full, 0.3, profile) == (100.0, None)
        return
    caps = list(profile.rate_caps)
    for (min_rate, cap), (_, lower_cap) in zip(caps, caps[1:], strict=False):
        assert capped_total(full, min_rate, profile)[0] == min(100.0, cap)
        assert capped_total(full, min_rate + JUST, profile)[0] == min(100.0, cap)
        assert capped_total(full, min_rate - JUST, profile) == (lower_cap, lower_cap)
    lowest = caps[-1][1]
    assert capped_total([lowest], 0.0, profile) == (lowest, None)  # at the cap: nothing taken off
    assert capped_total([lowest + JUST * 10], 0.0, profile) == (lowest, lowest)


# ----------------------------------------------------------------------------- the budget rule

@pytest.mark.parametrize("name", PROFILES)
def test_budget_score_at_full_execution(name):
    profile = load_profile(name)
    assert score_budget("100", "100", "10", profile).score == 10
    assert score_budget("99.9", "100", "10", profile).score == 9.99
    above = score_budget("100.1", "100", "10", profile).score
    assert above == (10 if profile.cap_rate_at_one else 10.01)


def test_budget_tiers_from_a_profile_file(tmp_path):
    path = tmp_path / "tiers.toml"
    path.write_text('extends = "default"\nname = "tiers"\ntitle = "分档"\n[budget]\n'
                    "tiers = [[0.9, 1.0], [0.8, 0.8], [0, 0.5]]\n", encoding="utf-8")
    profile = load_profile(str(path))
    scores = {rate: score_budget(str(rate * 100), "100", "10", profile).score for rate in (0.9, 0.899, 0.8, 0.799)}
    assert scores == {0.9: 10, 0.899: 8, 0.8: 8, 0.799: 5}


# ----------------------------------------------------------------------------- indicator directions and tolerances

@pytest.mark.parametrize("name", PROFILES)
def test_positive_and_reverse_at_the_target(name):
    profile = load_profile(name)
    met = score_indicator("≥100个", "100", "10", profile)
    assert met.score == 10 and "实际达到目标" in met.explanation  # PERF_EXPLAIN says it was met
    assert score_indicator("≥100个", "99.9", "10", profile).score == 9.99
    kept = score_indicator("≤100个", "100", "10", profile)
    assert kept.score == 10 and "实际控制在目标以内" in kept.explanation
    reverse = score_indicator("≤100个", "100.1", "10", profile).score
    assert reverse == (9.99 if profile.reverse_formula == "linear" else round(10 * 100 / 100.1, 2))


@pytest.mark.parametrize("name", PROFILES)
def test_approx_and_equal_tolerances(name):
    profile = load_profile(name)
    at = 100 * (1 + profile.approx_tolerance)
    assert score_indicator("约100个", f"{at:g}", "10", profile).score == 10
    assert score_indicator("约100个", f"{at + 0.1:g}", "10", profile).score < 10
    below = 100 * (1 - profile.approx_tolerance)
    assert score_indicator("约100个", f"{below:g}", "10", profile).score == 10
    assert score_indicator("约100个", f"{below - 0.1:g}", "10", profile).score < 10
    edge = 100 * (1 + profile.equal_tolerance)
    assert score_indicator("=100个", f"{edge:g}", "10", profile).score == 10
    assert score_indicator("=100个", f"{edge + 0.1:g}", "10", profile).score < 10


@pytest.mark.parametrize("name", PROFILES)
def test_overshoot_bound_for_note_and_penalty(name):
    profile = load_profile(name)
    filing = make_clean_filing()
    row = filing["department"]["indicators"][0]  # ≥10场, 20 points
    at = 10 * (1 + profile.overshoot)
    for actual, fires in ((at, True), (at - 0.01, False), (at + 0.01, True)):
        row["actual"] = f"{actual:g}场"
        row["score"] = "20"
        assert ("D5" in _rules(filing, name)) is fires, (actual, fires)
        score = score_filing(filing, name)[0].indicators[0].score
        assert score == (20 - profile.deviation_penalty if fires else 20), actual


# ----------------------------------------------------------------------------- qualitative bands (D4)

@pytest.mark.parametrize("name", PROFILES)
def test_band_ranges(name):
    profile = load_profile(name)
    filing = make_clean_filing()
    row = filing["department"]["indicators"][5]  # 服务水平: 保持 / 保持稳定, 15 points
    points = 15

    def d4(band: str, score: float) -> bool:
        row.update(band=band, score=f"{score:g}")
        return "D4" in _rules(filing, name)

    for i, band in enumerate(profile.bands):
        top = i == 0
        low, high = points * band.min, points * band.max
        assert not d4(band.label, low), (band.label, "at min")
        assert not d4(band.label, low + 0.1), (band.label, "above min")
        if band.min > 0:
            assert d4(band.label, low - 0.1), (band.label, "below min")
        assert not d4(band.label, high - 0.1), (band.label, "below max")
        assert d4(band.label, high) is not top, (band.label, "at max: only the top band includes it")


# ----------------------------------------------------------------------------- check tolerances

@pytest.mark.parametrize("name", PROFILES)
def test_low_rate_bound(name):
    profile = load_profile(name)
    filing = make_clean_filing()
    total = filing["department"]["funds"]["total"]
    for executed, fires in ((100 * profile.low_rate, False), (100 * profile.low_rate - 0.1, True),
                            (100 * profile.low_rate + 0.1, False)):
        total.update(executed=f"{executed:g}", rate=f"{executed:g}%", score=f"{executed / 10:g}")
        assert ("A7" in _rules(filing, name)) is fires, executed


@pytest.mark.parametrize("name", PROFILES)
def test_rate_tolerance_bound(name):
    profile = load_profile(name)
    filing = make_clean_filing()
    total = filing["projects"][0]["funds"]["total"]  # 25 of 25: 100 %
    edge = profile.rate_tolerance * 100
    for filed, fires in ((100 + edge, False), (100 - edge, False), (100 + edge + 0.01, True),
                         (100 - edge - 0.01, True)):
        total["rate"] = f"{filed:g}%"
        assert ("A2" in _rules(filing, name)) is fires, filed


@pytest.mark.parametrize("name", PROFILES)
def test_score_tolerance_bound(name):
    profile = load_profile(name)
    filing = make_clean_filing()
    row = filing["department"]["indicators"][0]  # 20 points, full marks by the rules
    total = filing["department"]["total"]
    for filed, fires in ((20 - profile.score_tolerance, False), (20 - profile.score_tolerance - 0.01, True)):
        row["score"] = f"{filed:g}"
        total["score"] = f"{80 + filed:g}"
        assert ("D3" in _rules(filing, name)) is fires, filed


@pytest.mark.parametrize("name", PROFILES)
def test_amount_tolerance_bound(name):
    profile = load_profile(name)
    filing = make_clean_filing()
    total = filing["department"]["funds"]["total"]  # 100 of 100
    for executed, fires in ((100 + profile.amount_tolerance, False), (100 + profile.amount_tolerance + 0.01, True)):
        total["executed"] = f"{executed:g}"
        assert ("A3" in _rules(copy.deepcopy(filing), name)) is fires, executed


@pytest.mark.parametrize("name", PROFILES)
def test_low_rate_bound_for_execution_targets(name):
    """E12: a 预算执行率 target at the profile's low_rate is fine, one just below it is too low."""
    profile = load_profile(name)
    filing = make_clean_filing()
    row = filing["department"]["indicators"][6]  # 满意度 group: E11 stays out of the way
    row["level3"] = "预算执行率"
    for target, fires in ((100 * profile.low_rate, False), (100 * profile.low_rate - 0.1, True),
                          (100 * profile.low_rate + 0.1, False)):
        row["target"] = f"≥{target:g}%"
        assert ("E12" in _rules(filing, name)) is fires, target


@pytest.mark.parametrize("name", PROFILES)
def test_carryover_gap_bound(name):
    """A9: 85 % executed leaves 15 % unspent; a 结转结余率 reported exactly ``carryover_gap`` below that
    is accepted, just below that is a contradiction."""
    profile = load_profile(name)
    filing = make_clean_filing()
    funds = filing["department"]["funds"]["total"]
    funds.update(executed="85", rate="85%", score="8.5", rate_reason="部分项目未完工，资金结转下年")
    filing["department"]["total"]["score"] = "98.5"
    row = filing["department"]["indicators"][2]
    row.update(level3="结转结余率", target="≤20%")
    edge = (0.15 - profile.carryover_gap) * 100
    for reported, fires in ((edge, False), (edge - 0.1, True), (edge + 0.1, False)):
        row["actual"] = f"{reported:g}%"
        assert ("A9" in _rules(filing, name)) is fires, reported
