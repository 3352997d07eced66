"""Every corpus table imports: its family, its kind and key values; every cell placed; the filing
valid against the schema. Then the same tables perturbed (columns reordered, headings with and
without points, blank rows, a table split over two grids), which must give the same values:
the recogniser is built for families, not for these files."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import jsonschema
import pytest

from xlfuncs.filing import resolve_pointer
from xlfuncs.grid import Document, Table
from xlfuncs.recognise import load_grid_json, recognise_documents
from xlfuncs.recognise.vocabulary import INDICATOR_COLUMNS, match

CORPUS = Path(__file__).parent / "corpus"
FILES = sorted(CORPUS.glob("*.json"))
SCHEMA = json.loads((Path(__file__).parent / "data" / "filing.schema.json").read_text("utf-8"))
D, P = "/department", "/projects/0"

# id → (family, table pointer, {pointer: value as filed})
EXPECTED = {
    "a01": ("10hao", D, {"/unit": "金寨县茶谷和美丽乡村建设服务中心", D + "/funds/total/executed": "338.31",
                         D + "/funds/current_year/points": "—", D + "/indicators/0/target": "≤4",
                         D + "/indicators/8/level2": "成本指标", D + "/form/complete": False}),
    "a02": ("10hao-points-first", P, {P + "/funds/total/full_year": "30", P + "/indicators/3/actual": "4604人",
                                      P + "/indicators/3/deviation": "特困人员实行动态管理",
                                      P + "/indicators/9/target": ">=9", "/year": 2019}),
    "a03": ("10hao-points-first", P, {P + "/indicators/1/breakdown_of": 0, P + "/indicators/8/breakdown_of": 7,
                                      P + "/indicators/0/points": "10", P + "/header/项目负责人及电话": "黄蓓蓓0557-5271001",
                                      P + "/implementing_unit": "杨楼镇人民政府"}),
    "a04": ("10hao", P, {P + "/total/points": "100", P + "/total/score": "100", P + "/funds/total/rate": "",
                         P + "/indicators/0/level1": "\n\n\n\n(50分)", P + "/indicators/0/category": "output",
                         P + "/indicators/14/level2": "经济效益\n指标", P + "/form/complete": True}),
    "a05": ("fujian-2018", D, {"/money_unit": "元", D + "/funds/total/full_year": "2751417.82",
                               D + "/funds/total/executed": "2546673.98", D + "/funds/breakdown/1/label": "①中央及省级财政资金",
                               D + "/form/budget_scored": False, D + "/header/部门预算编码": "901001033"}),
    "a06": ("cover-report", P, {P + "/name": "代表之家", P + "/funds/total/full_year": "48",
                                P + "/funds/total/executed": "46.5", P + "/details/0/rows/5/1": "46.5",
                                P + "/header/项目负责人": "黄术光", "/year": 2016}),
    "a07": ("cover-report", D, {D + "/name": "岳阳市城市管理监督指挥中心", D + "/header/人员编制": "21",
                                "/year": 2018}),
    "b01": ("10hao", P, {"/money_unit": "元", P + "/funds/total/executed": "215,457.6", P + "/total/score": "98.62",
                         P + "/indicators/2/target": "及时", P + "/goal/expected": ""}),
    "b02": ("10hao", P, {P + "/funds/total/executed": "9,034", P + "/indicators/4/level3": "满意度",
                         P + "/indicators/4/points": None}),
    "b03": ("10hao", P, {P + "/funds/total/score": "9", P + "/indicators/0/score": "9",
                         P + "/indicators/0/deviation": "已完工,剩余3%尾款未付,且最高限价低于预算金额。提高预算准确度。",
                         P + "/indicators/15/level1": "效益指标"}),
    "b04": ("yitihua-nature", P, {P + "/indicators/0/kind": "﹦", P + "/indicators/0/unit": "元",
                                  P + "/indicators/3/target": "95", P + "/indicators/3/kind": "≥",
                                  P + "/funds/total/points": "10.00"}),
    "b05": ("10hao-points-first", P, {P + "/total/score": "99分", P + "/funds/breakdown/1/label": "自治区补助",
                                      P + "/funds/breakdown/1/full_year": "300万元", P + "/form/budget_scored": False,
                                      "/unit": "原州区农技中心"}),
    "b06": ("process-tree", P, {P + "/total/score": "98", P + "/total/reviewed": "",
                                P + "/indicators/4/level3": "预算执行率", P + "/indicators/4/category": "management",
                                P + "/indicators/8/score": "IO", P + "/form/budget_scored": False}),
    "b07": ("yitihua-weight", D, {D + "/funds/total/points": "10", D + "/funds/total/score": "7.6",
                                  D + "/goal/adjusted": "无", D + "/indicators/14/kind": "定量指标",
                                  D + "/indicators/15/coefficient": "100%", D + "/total/score": "97.6"}),
    "b08": ("hubei-2020", P, {"/profile": "hubei", P + "/form/row_points": False, P + "/indicators/0/points": None,
                              P + "/indicators/4/score": "40", P + "/funds/total/score": "20", P + "/total/score": "100",
                              P + "/header/偏差大或目标未完成原因分析": "无"}),
    "b09": ("hubei-2020", P, {P + "/signoff/head_opinion": "签名: 年 月 日", P + "/indicators/7/score": "20",
                              P + "/implementing_unit": "投资促进中心", "/unit": "区商务局"}),
    "b10": ("scoring-tree", D, {D + "/indicators/2/score": "9.8", D + "/indicators/0/points": "10",
                                D + "/form/budget_scored": False}),
    "c03": ("10hao-points-first", P, {P + "/indicators/0/points": "10", P + "/indicators/0/actual": "≥266米",
                                      P + "/indicators/0/level1": "产出指标(70分)", P + "/total/score": "100",
                                      P + "/header/项目负责人及电话": "谢凯13990260322(办公)"}),
    "c05": ("10hao", P, {P + "/name": "县级储备粮", P + "/form/row_points": False, P + "/form/budget_scored": False,
                         P + "/indicators/10/actual": "无", P + "/indicators/10/deviation": "没有轮换、动用库存",
                         P + "/indicators/12/level2": "生态 效益 指标", P + "/header/说明": "无",
                         P + "/funds/breakdown/0/full_year": "194.9"}),
    "c07": ("yitihua-nature", P, {P + "/indicators/0/actual": "完成", P + "/indicators/0/kind": "≤",
                                  P + "/total/points": "100", P + "/header/财务负责人": "唐勇",
                                  P + "/header/评价结论": "根据财政局资金下达的管理办法,将资金支付给项目施工方。",
                                  P + "/form/row_weights": True, P + "/form/complete": False}),
    "c06": ("10hao-points-first", P, {P + "/funds/current_year/points": "10", P + "/indicators/9/breakdown_of": 7,
                                      P + "/indicators/15/target": "≥11.376万元", P + "/indicators/13/level3": "……",
                                      P + "/header/项目负责人及电话": "李宁0557-5788003", P + "/form/complete": False}),
    "d01": ("10hao", P, {P + "/funds/total/initial": "0", P + "/funds/current_year/full_year": "89.974",
                         P + "/indicators/1/target": "≥100百分比", P + "/indicators/9/level3": "",
                         P + "/form/complete": False, "/year": 2022}),
    "d02": ("10hao", P, {P + "/funds/current_year/initial": "202.64", P + "/funds/total/score": "0",
                         P + "/indicators/5/target": "≤202.6万元", P + "/indicators/7/points": "10"}),
    "d03": ("yitihua-weight", P, {P + "/funds/total/executed": "251.89", P + "/funds/breakdown/0/label": "其中:财政资金",
                                  P + "/indicators/1/kind": "=", P + "/indicators/0/unit": "%",
                                  P + "/indicators/0/points": "60", P + "/total/points": "100",
                                  P + "/goal/actual": "对照年度目标,说明相关任务目标的完成情况(100字以内)",
                                  P + "/header/报表编号": "510000_0013zp", P + "/form/row_weights": True}),
    "d04": ("yitihua-weight", P, {P + "/funds/total/initial": "0.00", P + "/funds/total/score": "10",
                                  P + "/goal/actual": "完成", P + "/indicators/0/target": "100",
                                  P + "/name": "51092324T000010263357-2023年全县安可替代补助资金项目"}),
    "d05": ("process-tree", D, {D + "/indicators/0/level3": "相关性(5分)", D + "/indicators/0/points": None,
                                D + "/indicators/21/level3": "部门特性指标", D + "/indicators/27/level1": "部门绩效情况(45分)",
                                D + "/form/row_points": False, D + "/form/budget_scored": False}),
}


STARTS_INSIDE = {"c07"}  # published pages that open in the middle of a table


def _load(path: Path) -> Document:
    return load_grid_json(path, path.name)


def _table(filing: dict, pointer: str) -> dict:
    return resolve_pointer(filing, pointer)


@pytest.mark.parametrize("path", FILES, ids=[p.stem[:3] for p in FILES])
def test_corpus_table_imports(path):
    family, pointer, values = EXPECTED[path.stem[:3]]
    result = recognise_documents([_load(path)])
    filing = result.filing
    assert result.unplaced == []
    assert [t.family for t in result.tables] == [family]
    assert result.tables[0].pointer == pointer
    if pointer == P:
        assert filing["department"]["filed"] is False
    for where, value in values.items():
        assert resolve_pointer(filing, where) == value, where
    jsonschema.validate(filing, SCHEMA)
    assert filing["trace"], "every value carries its origin"


def test_corpus_tables_in_one_file_make_one_filing():
    tables = []
    for path in FILES:
        tables += _load(path).tables
    document = Document("语料.json", [Table(t.rows, "语料.json", i + 1, complete=t.complete, meta=t.meta)
                                       for i, t in enumerate(tables)])
    filing = recognise_documents([document]).filing
    departments = [p for p in FILES if EXPECTED[p.stem[:3]][1] == D]
    assert filing["department"]["name"] == _table(recognise_documents([_load(departments[0])]).filing, D)["name"]
    # a table whose page starts inside it (c07: no title, name or funds) continues the table before it
    assert len(filing["projects"]) == sum(1 for p in FILES if EXPECTED[p.stem[:3]][1] == P and p.stem[:3] not in STARTS_INSIDE)


# ------------------------------------------------------------------ perturbations


def _values(filing: dict, pointer: str, *, without: tuple[str, ...] = ()) -> dict:
    table = copy.deepcopy(_table(filing, pointer))
    for key in ("form",) + without:
        table.pop(key, None)
    for row in table.get("indicators", []):
        for key in without:
            row.pop(key, None)
    return table


def _import(grid: list, meta: dict, complete: bool, source: str = "变体.json") -> dict:
    return recognise_documents([Document(source, [Table(grid, source, 1, complete=complete, meta=meta)])]).filing


def _original(path: Path) -> tuple[list, dict, bool, dict]:
    table = _load(path).tables[0]
    return copy.deepcopy(table.rows), table.meta, table.complete, recognise_documents([_load(path)]).filing


def _indicator_header(grid: list) -> int | None:
    for r, row in enumerate(grid):
        roles = {match(t, INDICATOR_COLUMNS, fuzzy=True) for t in row if t}
        if {"target", "actual", "points", "score"} <= roles:
            return r
    return None


def _indicator_row(filing: dict, pointer: str, i: int) -> int:
    """The grid row an indicator was read from (a row cut off after its 二级指标 has no 三级指标)."""
    prefix = f"{pointer}/indicators/{i}/"
    if prefix + "level3" in filing["trace"]:
        return filing["trace"][prefix + "level3"]["row"]
    return next(entry["row"] for key, entry in filing["trace"].items()
                if key.startswith(prefix) and key != prefix + "level1")  # 一级指标 spans rows above


SWAPPABLE = [p for p in FILES if _indicator_header(_load(p).tables[0].rows) is not None]


@pytest.mark.parametrize("path", SWAPPABLE, ids=[p.stem[:3] for p in SWAPPABLE])
def test_points_moved_before_the_target_give_the_same_values(path):
    grid, meta, complete, original = _original(path)
    header = _indicator_header(grid)
    roles = {match(t, INDICATOR_COLUMNS, fuzzy=True): c for c, t in enumerate(grid[header]) if t}
    cols = [roles[k] for k in ("target", "actual", "points", "score")]
    order = [roles[k] for k in ("points", "score", "target", "actual")]
    short = {r for r, row in enumerate(grid) if len(row) <= max(cols)}  # rows cut off mid-way stay as they are
    for row in grid[header:]:
        if len(row) > max(cols) and not any(t and "总分" in t for t in row):
            picked = [row[c] for c in order]
            for c, value in zip(sorted(cols), picked, strict=True):
                row[c] = value
    moved = _import(grid, meta, complete)
    pointer = EXPECTED[path.stem[:3]][1]
    full = [i for i in range(len(_table(original, pointer)["indicators"]))
            if _indicator_row(original, pointer, i) - 1 not in short]
    assert [_values(moved, pointer)["indicators"][i] for i in full] == \
        [_values(original, pointer)["indicators"][i] for i in full]
    family = _table(original, pointer)["form"]["family"]
    assert _table(moved, pointer)["form"]["family"] == ("10hao-points-first" if family == "10hao" else family)


HEADING_FILES = [p for p in FILES if EXPECTED[p.stem[:3]][0] in ("10hao", "10hao-points-first")]


@pytest.mark.parametrize("path", HEADING_FILES, ids=[p.stem[:3] for p in HEADING_FILES])
def test_headings_with_or_without_points_give_the_same_values(path):
    grid, meta, complete, original = _original(path)
    swap = {"产出指标": "产出指标(50分)", "效益指标": "效益指标（30分）", "满意度指标": "满意度指标\n(10分)",
            "产出指标(50分)": "产出指标", "效益指标(30分)": "效益指标", "满意度指标(10分)": "满意度指标"}
    for row in grid:
        for c, text in enumerate(row):
            if text in swap:
                row[c] = swap[text]
                break  # the 一级指标 heading only: a 二级指标 may be spelt the same (满意度指标)
    changed = _import(grid, meta, complete)
    pointer = EXPECTED[path.stem[:3]][1]
    assert _values(changed, pointer, without=("level1",)) == _values(original, pointer, without=("level1",))
    categories = [i.get("category") for i in _table(changed, pointer)["indicators"]]
    assert categories == [i.get("category") for i in _table(original, pointer)["indicators"]]


@pytest.mark.parametrize("path", FILES, ids=[p.stem[:3] for p in FILES])
def test_blank_rows_change_nothing(path):
    grid, meta, complete, original = _original(path)
    padded = []
    for r, row in enumerate(grid):
        padded.append(row)
        if r % 3 == 2:
            padded.append([""] * len(row))
    changed = _import(padded, meta, complete)
    pointer = EXPECTED[path.stem[:3]][1]
    assert _values(changed, pointer) == _values(original, pointer)


SPLITTABLE = [p for p in FILES if len(_table(recognise_documents([_load(p)]).filing, EXPECTED[p.stem[:3]][1])
                                       .get("indicators") or []) >= 4]


@pytest.mark.parametrize("path", SPLITTABLE, ids=[p.stem[:3] for p in SPLITTABLE])
def test_a_table_split_over_two_grids_gives_the_same_values(path):
    grid, meta, complete, original = _original(path)
    pointer = EXPECTED[path.stem[:3]][1]
    first_indicator = original["trace"][f"{pointer}/indicators/0/level3"]["row"] - 1
    cut = first_indicator + 2
    source = "分两页.json"
    document = Document(source, [Table(grid[:cut], source, 1, complete=True, meta=meta),
                                 Table(grid[cut:], source, 2, complete=complete, meta=meta)])
    result = recognise_documents([document])
    assert result.unplaced == []
    assert _values(result.filing, pointer) == _values(original, pointer)
