"""Every profile threshold at, just below and just above its bound, under every shipped profile:
grades, rate caps, the budget rule and tiers, indicator directions and tolerances, the overshoot
rule, the qualitative bands, and the check tolerances (A2, A7, A3, D3). The bounds are read from
each profile, so a flipped comparison or an off-by-one in any of them turns a case red."""

from __future__ import annotations

import copy

import pytest
from factories import make_clean_filing

from xlfuncs import cellfuncs
from xlfuncs.engine import evaluate, score_filing
from xlfuncs.profiles import available_profiles, load_profile
from xlfuncs.scoring import capped_total, score_budget, score_indicator

pytestmark = pytest.mark.core

PROFILES = available_profiles()
EPS = 0.001  # “just” below / above, far above float noise and far below any real step


def rules_fired(filing: dict, profile: str) -> set[str]:
    return {f.rule for f in evaluate(filing, profile).findings}


# ----------------------------------------------------------------------------- grades and caps

@pytest.mark.parametrize("name", PROFILES)
def test_grade_bounds(name):
    profile = load_profile(name)
    grades = list(profile.grades)
    for upper, lower in zip(grades, grades[1:], strict=False):
        assert profile.grade(upper.min) == upper.label
        assert profile.grade(upper.min + EPS) == upper.label
        assert profile.grade(upper.min - EPS) == lower.label
        assert cellfuncs.grade(upper.min - EPS, name) == lower.label
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
        assert capped_total(full, min_rate + EPS, profile)[0] == min(100.0, cap)
        assert capped_total(full, min_rate - EPS, profile) == (lower_cap, lower_cap)
    lowest = caps[-1][1]
    assert capped_total([lowest], 0.0, profile) == (lowest, None)  # at the cap: nothing taken off
    assert capped_total([lowest + EPS * 10], 0.0, profile) == (lowest, lowest)


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
        assert ("D5" in rules_fired(filing, name)) is fires, (actual, fires)
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
        return "D4" in rules_fired(filing, name)

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
        assert ("A7" in rules_fired(filing, name)) is fires, executed


@pytest.mark.parametrize("name", PROFILES)
def test_rate_tolerance_bound(name):
    profile = load_profile(name)
    filing = make_clean_filing()
    total = filing["projects"][0]["funds"]["total"]  # 25 of 25: 100 %
    edge = profile.rate_tolerance * 100
    for filed, fires in ((100 + edge, False), (100 - edge, False), (100 + edge + 0.01, True),
                         (100 - edge - 0.01, True)):
        total["rate"] = f"{filed:g}%"
        assert ("A2" in rules_fired(filing, name)) is fires, filed


@pytest.mark.parametrize("name", PROFILES)
def test_score_tolerance_bound(name):
    profile = load_profile(name)
    filing = make_clean_filing()
    row = filing["department"]["indicators"][0]  # 20 points, full marks by the rules
    total = filing["department"]["total"]
    for filed, fires in ((20 - profile.score_tolerance, False), (20 - profile.score_tolerance - 0.01, True)):
        row["score"] = f"{filed:g}"
        total["score"] = f"{80 + filed:g}"
        assert ("D3" in rules_fired(filing, name)) is fires, filed


@pytest.mark.parametrize("name", PROFILES)
def test_amount_tolerance_bound(name):
    profile = load_profile(name)
    filing = make_clean_filing()
    total = filing["department"]["funds"]["total"]  # 100 of 100
    for executed, fires in ((100 + profile.amount_tolerance, False), (100 + profile.amount_tolerance + 0.01, True)):
        total["executed"] = f"{executed:g}"
        assert ("A3" in rules_fired(copy.deepcopy(filing), name)) is fires, executed
