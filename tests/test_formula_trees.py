"""The native formulas against the engine: the same answer for the same inputs, on every profile,
at the thresholds and on random values (property tests); and the spreadsheet value rules the
formula trees evaluate with."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from workbook.cellmodel import CellModel
from workbook.layouts import rule_formulas as rules
from workbook.layouts import xlvalues as xv
from workbook.layouts.expr import PENDING, Call, Num, Op, Ref, Text, fn, formula_text, if_, normalise_formula
from xlfuncs import cellfuncs
from xlfuncs.cellfuncs import CellError
from xlfuncs.profiles import available_profiles, load_profile
from xlfuncs.scoring import capped_total

PROFILES = available_profiles()
AMOUNT = st.one_of(st.none(), st.floats(min_value=-10, max_value=5000, allow_nan=False).map(lambda x: round(x, 2)),
                   st.sampled_from(["四百万", "", "—"]))


def _eval(expr, cells: dict[str, object], profile: str | None = None):
    model = CellModel(profile)
    for cell, value in cells.items():
        model.set("S", cell, value)
    model.set_formula("S", "Z1", expr)
    return model.value("S", "Z1")


def _same(a, b) -> bool:
    if isinstance(a, CellError) or isinstance(b, CellError):
        return isinstance(a, CellError) and isinstance(b, CellError) and a.code == b.code
    return a == pytest.approx(b, abs=1e-9)


@settings(max_examples=300, deadline=None)
@given(executed=AMOUNT, budget=AMOUNT)
def test_rate_formula_is_exec_rate(executed, budget):
    assume(not (isinstance(executed, str) and isinstance(budget, str)))
    got = _eval(rules.rate(Ref("F1"), Ref("E1")), {"F1": executed, "E1": budget})
    want = cellfuncs.exec_rate(executed if not isinstance(executed, str) else None, budget
                               if not isinstance(budget, str) else None)
    if isinstance(executed, str) or isinstance(budget, str):  # text in an amount cell: the formula says #VALUE!
        assert isinstance(got, CellError) and got.code == "#VALUE!"
    else:
        assert _same(got, want), (executed, budget, got, want)


@pytest.mark.parametrize("profile", PROFILES)
@settings(max_examples=120, deadline=None)
@given(executed=st.floats(min_value=0, max_value=3000, allow_nan=False), budget=st.floats(min_value=0.01, max_value=3000),
       points=st.sampled_from([0, 10, 15, 20, 7.5]))
def test_budget_score_formula_is_the_engines(profile, executed, budget, points):
    executed, budget = round(executed, 2), round(budget, 2)
    got = _eval(rules.budget_score(Ref("F1"), Ref("E1"), Ref("G1"), load_profile(profile)),
                {"F1": executed, "E1": budget, "G1": float(points)})
    want = cellfuncs.budget_score(executed, budget, points, profile)
    assert got == pytest.approx(want, abs=0.010001), (executed, budget, points)  # ≤ a cent at a half


@pytest.mark.parametrize("profile", PROFILES)
def test_grade_bands_at_every_threshold(profile):
    rules_ = load_profile(profile)
    for grade in rules_.grades:
        for total in (grade.min - 0.01, grade.min, grade.min + 0.01):
            if total < 0:
                continue
            got = _eval(rules.grade_bands(Ref("H1"), rules_), {"H1": total})
            assert got == rules_.grade(total), (profile, total)


@pytest.mark.parametrize("profile", PROFILES)
def test_total_caps_at_every_rate_threshold(profile):
    rules_ = load_profile(profile)
    thresholds = [rate for rate, _ in rules_.rate_caps] or [0.5]
    for min_rate in thresholds:
        for rate in (min_rate - 0.001, min_rate, min_rate + 0.001):
            if rate < 0:
                continue
            scores = [10.0, 45.0, 30.0, 10.0]  # 95 before any cap
            cells = {"I1": scores[0], "H1": scores[1], "H2": scores[2], "H3": scores[3], "F1": rate * 100, "E1": 100.0,
                     "M5": 1.0}
            expr = rules.table_total((Ref("I1"), Ref("H1:H3")), 4, rules.rate(Ref("F1"), Ref("E1")), rules_, Ref("M5"))
            got = _eval(expr, cells)
            want, _ = capped_total(scores, rate, rules_)
            assert got == pytest.approx(want), (profile, rate, got, want)


def test_total_is_pending_or_an_error_never_a_partial_sum():
    profile = load_profile("default")
    expr = rules.table_total((Ref("I1"), Ref("H1:H3")), 4, rules.rate(Ref("F1"), Ref("E1")), profile, Ref("M5"))
    base = {"I1": 10.0, "H1": 40.0, "H2": 30.0, "H3": 10.0, "F1": 1.0, "E1": 1.0, "M5": 1.0}
    assert _eval(expr, base) == 90
    assert _eval(expr, {**base, "M5": 0.0}) == PENDING
    assert _eval(expr, {**base, "H2": PENDING}).code == "#VALUE!"  # text among the scores
    assert _eval(expr, {**base, "H2": CellError("#N/A", "选档次")}).code == "#N/A"  # the scores' own error
    assert _eval(expr, {**base, "H3": None}).code == "#VALUE!"  # a blank score


def test_grade_without_indicators_or_with_points_off_says_why():
    profile = load_profile("default")
    expr = rules.grade(Ref("H9"), (Ref("G1"), Ref("G2:G3")), (Ref("B2:B3"),), profile)
    cells = {"H9": 95.0, "G1": 10.0, "G2": 50.0, "G3": 40.0, "B2": "产出", "B3": "效益"}
    assert _eval(expr, cells) == "优"
    assert _eval(expr, {**cells, "G3": 50.0}) == rules.points_mismatch(profile) == "无等级：分值合计不等于100"
    assert _eval(expr, {**cells, "B2": None, "B3": None}) == rules.NO_INDICATORS
    assert _eval(expr, {**cells, "H9": PENDING}) == PENDING
    assert _eval(expr, {**cells, "H9": "无法确定"}).code == "#VALUE!"


def test_udf_cells_without_perfeval_are_pending_never_name_errors():
    probe = rules.probe((Ref("B1:G3"),))
    guarded = rules.available(Ref("M5"), Call("PERF_SCORE", (Ref("E1"), Ref("F1"), Ref("G1"))))
    model = CellModel()
    model.set("S", "E1", "≥50个")
    model.set("S", "F1", "52个")
    model.set("S", "G1", 10.0)
    model.set_formula("S", "M5", probe)
    model.set_formula("S", "H1", guarded)
    assert model.value("S", "M5") == 1 and model.value("S", "H1") == 10
    bare = model.without_udfs()
    assert bare.value("S", "M5") == 0 and bare.value("S", "H1") == PENDING
    assert formula_text(guarded, "S") == '=IF(M5=1,PERF_SCORE(E1,F1,G1),"待计算")'


def test_spreadsheet_value_rules():
    assert xv.compare("=", None, 0.0) is True and xv.compare("=", None, "") is True
    assert xv.compare(">", "文字", 1e9) is True  # text sorts after every number
    assert xv.compare("=", "ABC", "abc") is True
    assert xv.compare("<", 1.0, CellError("#N/A", "")).code == "#N/A"
    assert xv.round_half_away(2.675, 2) == 2.68 and xv.round_half_away(1.005, 2) == 1.01  # as LibreOffice
    assert xv.round_half_away(1.2345, 2) == 1.23 and xv.round_half_away(-2.5, 0) == -3
    assert _eval(Op("/", Num(1), Num(0)), {}).code == "#DIV/0!"
    assert _eval(Op("+", Text("a"), Num(1)), {}).code == "#VALUE!"  # no text in arithmetic
    assert _eval(if_(Num(0), Call("PERF_SCORE", ()), Text("未算")), {}) == "未算"  # IF evaluates one branch
    assert _eval(fn("COUNTA", Ref("A1:A3")), {"A1": "", "A2": 0.0, "A3": CellError("#N/A", "")}) == 2


def test_formula_text_compares_through_gnumeric_number_rewriting():
    assert normalise_formula("=IF(A1>0.01000000000000000021,1,0)") == normalise_formula("=IF(A1>0.01,1,0)")
    assert normalise_formula("=SUM('附件3-1'!E8:E9)") == normalise_formula("=sum(附件3-1!$E$8:E9)")
    assert normalise_formula("=IF(M5=1,_xldudf_PERF_SCORE(E1),1)") == normalise_formula("=IF(M5=1,PERF_SCORE(E1),1)")
