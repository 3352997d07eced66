"""Profiles as a strict, typed schema: each key declared once, checked on load, loadable by path
from every place a name is accepted, documented from the declarations."""

from __future__ import annotations

import copy
import dataclasses
import json
from pathlib import Path

import pytest

from macros.cli import main
from macros.session import open_session
from xlfuncs import cellfuncs
from xlfuncs.engine import score_filing
from xlfuncs.profile_schema import declared_fields
from xlfuncs.profiles import (
    DEFAULT_PROFILE,
    Profile,
    ProfileError,
    available_profiles,
    load_profile,
    profiles_markdown,
)

ROOT = Path(__file__).parents[1]
HUNAN = """extends = "default"
name = "hunan2024"
title = "湖南省2024年口径"

[indicator]
reverse_formula = "ratio"

[checks]
overshoot = 0.5
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def error_of(spec: str, **kw) -> str:
    with pytest.raises(ProfileError) as caught:
        load_profile(spec, **kw)
    return str(caught.value)


# ----------------------------------------------------------------------------- the schema

@pytest.mark.core
def test_every_key_is_one_declaration_with_type_and_chinese_description():
    fields = declared_fields(Profile)
    undeclared = [f.name for f in dataclasses.fields(Profile) if f not in fields]
    assert undeclared == ["source"]  # where the profile came from, not a key of the file
    paths = [f.metadata["toml"] for f in fields]
    assert len(paths) == len(set(paths))
    for f in fields:
        assert f.metadata["kind"].label and any("\u4e00" <= ch <= "\u9fff" for ch in f.metadata["doc"]), f.name


@pytest.mark.core
def test_shipped_profiles_load_and_are_named_after_their_files():
    assert {"default", "hubei", "yitihua"} <= set(available_profiles())
    for name in available_profiles():
        profile = load_profile(name)
        assert profile.name == name and profile.is_builtin and profile.spec == name
        assert profile.weights["total"] == 100


@pytest.mark.core
def test_profiles_doc_is_generated_from_the_declarations():
    doc = (ROOT / "docs" / "profiles.md").read_text(encoding="utf-8")
    assert doc == profiles_markdown(), "run: python -m macros rules --profiles-markdown > docs/profiles.md"
    for f in declared_fields(Profile):
        assert f"| `{f.metadata['toml']}` |" in doc


def test_profiles_markdown_from_the_cli(capsys):
    assert main(["rules", "--profiles-markdown"]) == 0
    assert capsys.readouterr().out == profiles_markdown()


# ----------------------------------------------------------------------------- strict loading

@pytest.mark.core
@pytest.mark.parametrize(("text", "key", "problem"), [
    ("[checks]\novershot = 0.5\n", "checks.overshot", "是否应为“overshoot”"),
    ("[check]\novershoot = 0.5\n", "check", "是否应为“checks”"),
    ("colour = 1\n", "colour", "不是规则配置的键"),
    ("[weights]\nbudgets = 10\n", "weights.budgets", "是否应为“budget”"),
    ('[[grades]]\nlabel = "优"\nmn = 90\n', "grades[0].mn", "是否应为“min”"),
    ('[checks]\novershoot = "三成"\n', "checks.overshoot", "应为数字，实为文字“三成”"),
    ("[checks]\novershoot = true\n", "checks.overshoot", "应为数字，实为true"),
    ("[checks]\nlow_rate = 90\n", "checks.low_rate", "应不大于 1"),
    ("[budget]\ncap_rate_at_one = 1\n", "budget.cap_rate_at_one", "应为 true 或 false"),
    ('[indicator]\nreverse_formula = "inverse"\n', "indicator.reverse_formula", "linear、ratio"),
    ('[indicator]\nreverse_name_keywords = "差错率"\n', "indicator.reverse_name_keywords", "应为文字列表"),
    ('[checks]\nplaceholder_patterns = ["(未闭合"]\n', "checks.placeholder_patterns[0]", "不是有效的正则表达式"),
    ("[optional]\nrate_caps = [[0.8]]\n", "optional.rate_caps[0]", "应为两个数"),
    ("[weights]\noutput = 60\n", "weights.total", "应等于各项分值之和 110"),
    ("[checks]\ngoal_min_chars = 4.5\n", "checks.goal_min_chars", "应为整数"),
    ('[[qualitative_bands]]\nlabel = "达成"\nmin = 0\nmax = 1\ndefault = 1\naliases = "达标"\n',
     "qualitative_bands[0].aliases", "应为文字列表"),
    ("[indicator]\napprox_tolerance = 0.05\n[indicator.extra]\nx = 1\n", "indicator.extra", "不是规则配置的键"),
])
def test_unknown_key_or_wrong_type_names_the_key_and_the_file(tmp_path, text, key, problem):
    path = write(tmp_path, "湖南2024.toml", 'extends = "default"\nname = "hunan"\ntitle = "湖南"\n' + text)
    message = error_of(str(path))
    assert f"规则配置文件“{path}”" in message
    assert f"键“{key}”" in message and problem in message
    assert "Traceback" not in message


@pytest.mark.core
def test_errors_name_the_file_that_holds_the_bad_key(tmp_path):
    write(tmp_path, "base.toml", 'extends = "default"\nname = "base"\ntitle = "b"\n[checks]\noverso = 1\n')
    child = write(tmp_path, "child.toml", 'extends = "./base.toml"\nname = "child"\ntitle = "c"\n')
    assert f"“{tmp_path / 'base.toml'}”" in error_of(str(child)) and "checks.overso" in error_of(str(child))
    write(tmp_path, "base.toml", 'extends = "default"\nname = "base"\ntitle = "b"\n[checks]\nlow_rate = 0.8\n')
    bad = write(tmp_path, "bad.toml", 'extends = "base.toml"\nname = "bad"\ntitle = "c"\n[checks]\nlow_rate = "x"\n')
    assert f"“{bad}”：键“checks.low_rate”" in error_of(str(bad))


@pytest.mark.core
def test_missing_keys_and_broken_files(tmp_path):
    alone = write(tmp_path, "alone.toml", 'name = "alone"\ntitle = "无继承"\n')
    assert "键“weights”缺失" in error_of(str(alone))
    nameless = write(tmp_path, "nameless.toml", 'extends = "default"\ntitle = "x"\n')
    assert "缺少键“name”" in error_of(str(nameless))
    broken = write(tmp_path, "broken.toml", 'name = "x\n')
    assert "不是有效的 TOML" in error_of(str(broken))
    loop = write(tmp_path, "loop.toml", 'extends = "./loop.toml"\nname = "loop"\ntitle = "x"\n')
    assert "形成循环" in error_of(str(loop))
    assert "找不到规则配置文件“./nowhere.toml”" in error_of("./nowhere.toml", base=tmp_path)
    assert "没有名为“mars”的规则配置" in error_of("mars")


@pytest.mark.core
def test_extends_overrides_key_by_key_and_replaces_arrays(tmp_path):
    base = write(tmp_path, "base.toml", HUNAN + '\n[[grades]]\nlabel = "A"\nmin = 85\n[[grades]]\nlabel = "B"\nmin = 0\n')
    (tmp_path / "sub").mkdir()
    child = write(tmp_path / "sub", "child.toml", 'extends = "../base.toml"\nname = "child"\ntitle = "c"\n'
                  "[checks]\nlow_rate = 0.8\n")
    profile = load_profile(str(child))
    assert profile.name == "child" and profile.source == str(child)
    assert profile.low_rate == 0.8 and profile.overshoot == 0.5  # own key, parent's key
    assert profile.reverse_formula == "ratio" and profile.amount_tolerance == 0.01  # grandparent's keys
    assert [g.label for g in profile.grades] == ["A", "B"] and profile.grade(86) == "A"
    assert load_profile(str(base)).grade(84) == "B"


@pytest.mark.core
def test_band_aliases_may_be_left_out(tmp_path):
    bands = "".join(f'[[qualitative_bands]]\nlabel = "{label}"\nmin = {low}\nmax = {high}\ndefault = {high}\n'
                    for label, low, high in (("好", 0.5, 1), ("差", 0, 0.5)))
    path = write(tmp_path, "bands.toml", 'extends = "default"\nname = "bands"\ntitle = "两档"\n' + bands)
    profile = load_profile(str(path))
    assert [b.names for b in profile.bands] == [("好",), ("差",)]
    assert profile.band("差") is profile.bottom_band and profile.goal_min_chars == 4
    assert load_profile("hubei").band("部分达成年度指标并具有一定效果").label == "部分达成预期指标"  # an alias


@pytest.mark.core
def test_an_edited_file_is_read_again(tmp_path):
    path = write(tmp_path, "p.toml", HUNAN)
    assert load_profile(str(path)).overshoot == 0.5
    write(tmp_path, "p.toml", HUNAN.replace("overshoot = 0.5", "overshoot = 0.45 "))
    assert load_profile(str(path)).overshoot == 0.45


# ----------------------------------------------------------------------------- by path, everywhere a name goes

def _reverse_overshoot(filing: dict) -> dict:
    """附件1's 差错率 (target <0.5 %) at 0.6 %: linear 10 × 0.8 = 8, ratio 10 × 0.5/0.6 = 8.33."""
    changed = copy.deepcopy(filing)
    changed["department"]["indicators"][2]["actual"] = "0.6%"
    return changed


def test_profiles_change_scores(capsys, tmp_path, corrected_data, monkeypatch):
    source = write(tmp_path, "filing.json", json.dumps(_reverse_overshoot(corrected_data), ensure_ascii=False))
    write(tmp_path, "湖南2024.toml", HUNAN)
    monkeypatch.chdir(tmp_path)
    scores = {}
    for option in ("default", "hubei", "./湖南2024.toml"):
        assert main(["score", str(source), "--json", "--profile", option]) == 0
        payload = json.loads(capsys.readouterr().out)
        scores[option] = (payload["profile"], payload["tables"][0]["indicators"][2]["score"])
    assert scores == {"default": ("default", 8.0), "hubei": ("hubei", 8.33), "./湖南2024.toml": ("hunan2024", 8.33)}


def test_cli_reports_a_bad_profile_file_in_one_chinese_line(capsys, tmp_path, corrected_path):
    bad = write(tmp_path, "bad.toml", 'extends = "default"\nname = "bad"\ntitle = "x"\n[checks]\novershot = 1\n')
    code = main(["validate", str(corrected_path), "--profile", str(bad)])
    err = capsys.readouterr().err
    assert code == 2 and "checks.overshot" in err and "bad.toml" in err and len(err.strip().splitlines()) == 1


def test_workbook_built_with_a_profile_file_carries_it(tmp_path, corrected_data, monkeypatch):
    from workbook.builder import build_workbook
    from workbook.layouts.sheets import GUIDE_SHEET, SETTING_PROFILE

    write(tmp_path, "湖南2024.toml", HUNAN)
    monkeypatch.chdir(tmp_path)
    filing = _reverse_overshoot(corrected_data)
    filing["department"]["indicators"][2]["score"] = "8.33"
    filing["department"]["total"]["score"] = "98.33"
    book = build_workbook(filing, tmp_path / "out" / "主工作簿.xlsx", profile="./湖南2024.toml")
    import openpyxl

    guide = openpyxl.load_workbook(book)[GUIDE_SHEET]
    setting = next(row[2].value for row in guide.iter_rows() if row[1].value == SETTING_PROFILE)
    assert setting == str(tmp_path / "湖南2024.toml")  # absolute: the cell functions find it too
    session = open_session(book)
    assert session.profile.name == "hunan2024" and session.choice.origin == "workbook"
    assert session.evaluation.scores[0].indicators[2].score == 8.33
    assert not [f for f in session.findings if f.rule in ("D2", "D3")]


def test_relative_profile_path_in_the_workbook_settings_is_relative_to_the_workbook(tmp_path, corrected_data):
    from workbook.builder import build_workbook
    from workbook.layouts.sheets import GUIDE_SHEET, SETTING_PROFILE

    folder = tmp_path / "单位"
    folder.mkdir()
    write(folder, "湖南2024.toml", HUNAN)
    book = build_workbook(_reverse_overshoot(corrected_data), folder / "主工作簿.xlsx", profile=str(folder / "湖南2024.toml"))
    import openpyxl

    wb = openpyxl.load_workbook(book)
    guide = wb[GUIDE_SHEET]
    for row in guide.iter_rows():
        if row[1].value == SETTING_PROFILE:
            row[2].value = "湖南2024.toml"
    wb.save(book)
    session = open_session(book)  # read from elsewhere: the path is the workbook's folder's
    assert session.profile.name == "hunan2024" and session.profile.source == str(folder / "湖南2024.toml")
    from macros.cmd_check import check_workbook

    checked, _copy = check_workbook(book)  # `perfeval check` reads the setting the same way
    assert checked.profile.source == str(folder / "湖南2024.toml")
    (folder / "湖南2024.toml").unlink()
    with pytest.raises(Exception) as caught:
        open_session(book)
    assert "使用说明" in str(caught.value) and "湖南2024.toml" in str(caught.value)


@pytest.mark.core
def test_cell_functions_take_a_profile_path(tmp_path):
    path = write(tmp_path, "湖南2024.toml", HUNAN)
    assert cellfuncs.perf_score("<0.5%", "0.6%", 10) == 8.0
    assert cellfuncs.perf_score("<0.5%", "0.6%", 10, None, None, None, str(path)) == 8.33
    missing = cellfuncs.perf_score("<0.5%", "0.6%", 10, None, None, None, str(tmp_path / "无.toml"))
    assert isinstance(missing, cellfuncs.CellError) and "找不到规则配置文件" in missing.reason


@pytest.mark.core
def test_engine_takes_a_profile_path(tmp_path, corrected_data):
    path = write(tmp_path, "湖南2024.toml", HUNAN)
    filing = _reverse_overshoot(corrected_data)
    assert score_filing(filing, str(path))[0].indicators[2].score == 8.33
    assert score_filing(filing, DEFAULT_PROFILE)[0].indicators[2].score == 8.0


# ----------------------------------------------------------------------------- text that shows profile figures

STRICT = """extends = "default"
name = "strict"
title = "严格口径"

[weights]
output = 60
benefit = 20
total = 100

[checks]
low_rate = 0.8
overshoot = 0.2
amount_tolerance = 0.5

[[grades]]
label = "优"
min = 85
[[grades]]
label = "合格"
min = 0
"""


@pytest.mark.core
def test_rendered_texts_follow_the_profile(tmp_path):
    from xlfuncs.catalogue import RULES_BY_ID
    from xlfuncs.profile_text import render

    strict = load_profile(str(write(tmp_path, "strict.toml", STRICT)))
    text = "低于{low_rate}；超出{overshoot}；{budget_rule}；{grades}；允差{amount_tolerance}；满分{points_total}"
    assert render(text) == "低于90%；超出30%；分值 × min(执行率, 100%)；优 ≥ 90、良 ≥ 80、中 ≥ 60、差 < 60；允差0.01；满分100"
    assert render(text, strict) == "低于80%；超出20%；分值 × min(执行率, 100%)；优 ≥ 85、合格 < 85；允差0.5；满分100"
    assert RULES_BY_ID["A7"].describe() == "执行率（按全年或年初预算数）低于 90% 时须有一句说明该行原因的话（每个资金行）"
    assert RULES_BY_ID["A7"].describe(strict) == "执行率（按全年或年初预算数）低于 80% 时须有一句说明该行原因的话（每个资金行）"
    assert RULES_BY_ID["D5"].describe(strict) == "完成值超过目标 20% 及以上须填写偏差说明"
    assert RULES_BY_ID["A2"].describe() == "填报执行率 = 全年执行数 ÷ 全年预算数（允差 0.5 个百分点；每个资金行）"


@pytest.mark.core
def test_check_equal_tolerance_is_the_profiles(tmp_path):
    strict = str(write(tmp_path, "strict.toml", STRICT))
    assert cellfuncs.check_equal(100, [[60], [40.3]]) == 0.3  # default: 0.01
    assert cellfuncs.check_equal(100, [[60], [40.3]], None, strict) == cellfuncs.CHECK_OK  # 0.5
    assert cellfuncs.check_equal(100, [[60], [40.3]], 0.5) == cellfuncs.CHECK_OK
    assert cellfuncs.check_equal(100, [[60], [40.3]], "", strict) == cellfuncs.CHECK_OK
    bad = cellfuncs.check_equal(100, [[60], [40.3]], "五")
    assert isinstance(bad, cellfuncs.CellError) and "允许误差" in bad.reason


def test_udf_help_shows_the_default_profiles_figures():
    from xlfuncs import udfs

    assert udfs.BUDGET_SCORE.__doc__.startswith("预算执行率得分 = 分值 × min(执行率, 100%)")
    assert "优 ≥ 90、良 ≥ 80、中 ≥ 60、差 < 60" in udfs.GRADE.__doc__
    assert "默认 0.01" in udfs.CHECK_EQUAL.__doc__ and "默认 0.01" in udfs.ARG_DOCS["tolerance"]
    assert not any("{" in (getattr(udfs, name).__doc__ or "") for name in udfs.UDF_NAMES)


def test_workbook_labels_guide_validations_and_checks_follow_its_profile(tmp_path, corrected_data):
    import openpyxl

    from workbook.builder import build_workbook
    from workbook.layouts.sheets import GUIDE_SHEET

    strict = write(tmp_path, "strict.toml", STRICT)
    books = {name: openpyxl.load_workbook(build_workbook(corrected_data, tmp_path / f"{name}.xlsx", profile=spec))
             for name, spec in (("default", "default"), ("strict", str(strict)))}
    labels = {name: book["附件3-1"]["K10"].value for name, book in books.items()}
    assert labels == {"default": "执行率偏低原因（低于90%时填写）", "strict": "执行率偏低原因（低于80%时填写）"}
    guides = {name: "".join(str(c.value) for row in book[GUIDE_SHEET].iter_rows() for c in row if c.value)
              for name, book in books.items()}
    assert "等级：优 ≥ 90、良 ≥ 80、中 ≥ 60、差 < 60" in guides["default"] and "严格口径" not in guides["default"]
    assert "等级：优 ≥ 85、合格 < 85" in guides["strict"] and "“严格口径”" in guides["strict"]
    assert not any("{" in text for text in guides.values())
    levels = {name: next(dv for dv in book["附件1"].data_validations.dataValidation if str(dv.sqref).startswith("B16"))
              for name, book in books.items()}
    assert "产出指标（50分）" in levels["default"].formula1 and "产出指标（60分）" in levels["strict"].formula1
    # the amount checks are native formulas carrying the workbook profile's tolerance
    assert "<=0.010000001," in books["default"]["附件1"]["M10"].value
    assert "<=0.500000001," in books["strict"]["附件1"]["M10"].value


@pytest.mark.parametrize("command", ["import", "new"])
def test_a_filing_s_relative_profile_path_points_from_its_folder_in_import_and_new(
        command, tmp_path, corrected_data, monkeypatch):
    """A filing naming ``湖南2024.toml`` beside itself: the workbook ``import -o`` or ``new --from``
    makes carries that file, whatever folder the command runs in."""
    import json

    import openpyxl

    from workbook.layouts.sheets import GUIDE_SHEET, SETTING_PROFILE

    folder = tmp_path / "单位"
    folder.mkdir()
    write(folder, "湖南2024.toml", HUNAN)
    filing = dict(corrected_data, profile="湖南2024.toml")
    (folder / "填报.json").write_text(json.dumps(filing, ensure_ascii=False), encoding="utf-8")
    elsewhere = tmp_path / "别处"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    book = elsewhere / "主工作簿.xlsx"
    argv = (["import", str(folder / "填报.json"), "-o", str(book)] if command == "import"
            else ["new", "--from", str(folder / "填报.json"), "-o", str(book)])
    assert main(argv) == 0
    guide = openpyxl.load_workbook(book)[GUIDE_SHEET]
    setting = next(row[2].value for row in guide.iter_rows() if row[1].value == SETTING_PROFILE)
    assert setting == str(folder / "湖南2024.toml")
