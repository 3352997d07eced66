"""Rule profiles: every threshold, weight and formula variant, read from TOML files.

Each key a profile file may hold is declared once, as a field of :class:`Profile` (see
:mod:`xlfuncs.profile_schema`): adding a key is one field here plus its value in
``profile_data/default.toml``. A key nothing declares, a missing key or a value of the wrong
type is a :class:`ProfileError` naming the key and the file.

A profile is named (``default``, ``hubei`` … shipped in ``profile_data``) or given as the path
of a ``.toml`` file (``./湖南2024.toml``), so a province's rules need no code change. A file may
say ``extends = "default"`` (a name, or a path relative to the file); its tables then override
the parent's key by key, and its arrays of tables (bands, grades) replace the parent's whole.

Over 400 lines on purpose: the declarations are the keys' documentation (one Chinese description
each, ``docs/profiles.md`` is generated from them), and loading, layering and the generated page
belong with them.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from .profile_schema import (
    Flag,
    Invalid,
    NamedNumbers,
    Number,
    Pairs,
    Patterns,
    Records,
    Text,
    Words,
    convert_fields,
    schema_rows,
    setting,
    unknown_keys,
)

PROFILE_PACKAGE = "xlfuncs.profile_data"
DEFAULT_PROFILE = "default"
EXTENDS = "extends"


class ProfileError(ValueError):
    """A profile name that does not exist or a profile file that cannot be used (Chinese message)."""


@dataclass(frozen=True)
class Band:
    """A qualitative scoring band, as shares of the indicator's points."""

    label: str = setting("label", Text(), "档次名称（单元格下拉列表与评分说明中显示）")
    min: float = setting("min", Number(0, 1), "得分占分值的下限")
    max: float = setting("max", Number(0, 1), "得分占分值的上限（最高档含上限，其余不含）")
    default: float = setting("default", Number(0, 1), "选择该档时单元格给出的建议得分比例")
    aliases: tuple[str, ...] = setting(
        "aliases", Words(),
        "表上印的其他档次名称（湖北：达成预期指标 / 部分达成预期指标 / 未达成预期指标），"
        "评价档次或实际完成值写其中任一个都认", default=())

    @property
    def names(self) -> tuple[str, ...]:
        """The label and its aliases."""
        return (self.label, *self.aliases)

    @property
    def is_top(self) -> bool:
        """True for the highest band (达成): its upper edge is full marks."""
        return self.max >= 1.0


@dataclass(frozen=True)
class Grade:
    """A grade label and the lowest total that earns it."""

    label: str = setting("label", Text(), "等级")
    min: float = setting("min", Number(low=0), "获得该等级的最低总分")


WEIGHT_KEYS = (("budget", "预算执行率"), ("output", "产出指标"), ("benefit", "效益指标"),
               ("satisfaction", "满意度指标"), ("total", "总分；须等于前四项之和"))


@dataclass(frozen=True)
class Profile:
    """A rule profile: one field per key of the profile file (declared with ``setting``)."""

    name: str = setting("name", Text(), "名称；内置配置与文件名相同，每个文件都须自己写明")
    title: str = setting("title", Text(), "中文说明（命令行、报告与工作簿中显示）")
    weights: dict[str, float] = setting("weights", NamedNumbers(WEIGHT_KEYS), "一级指标分值（C1/C2/C3 用）")
    cap_rate_at_one: bool = setting(
        "budget.cap_rate_at_one", Flag(),
        "预算执行得分 = 分值 × min(执行率, 1)；false 时不封顶（仍不超过分值）")
    budget_tiers: tuple[tuple[float, float], ...] = setting(
        "budget.tiers", Pairs(Number(low=0), Number(0, 1)),
        "可选分档 `[[最低执行率, 得分比例], …]`；为空时按比例计分")
    reverse_formula: str = setting(
        "indicator.reverse_formula", Text(("linear", "ratio")),
        "反向指标未达标：`linear` = 分值 × (1 − (实际 − 目标)/目标)；`ratio` = 分值 × 目标/实际（湖北）")
    approx_tolerance: float = setting("indicator.approx_tolerance", Number(0, 1), "“约”型指标允许的相对偏差")
    equal_tolerance: float = setting("indicator.equal_tolerance", Number(0, 1), "“=”型指标允许的相对偏差")
    reverse_name_keywords: tuple[str, ...] = setting(
        "indicator.reverse_name_keywords", Words(),
        "目标无比较词时，名称含这些词（差错率、事故率、调整率、结余率…）按反向指标计")
    reverse_count_keywords: tuple[str, ...] = setting(
        "indicator.reverse_count_keywords", Words(),
        "目标无比较词时，名称含这些词（事故、投诉、差错、死亡…）的次数按反向指标计；目标为 0 时一律反向")
    positive_name_keywords: tuple[str, ...] = setting(
        "indicator.positive_name_keywords", Words(),
        "名称含这些词（处理、办结、下降、节约…）时不按上两项的词反向计（投诉处理率、成本节约率）")
    control_name_keywords: tuple[str, ...] = setting(
        "indicator.control_name_keywords", Words(), "名称含这些词（控制率）且目标为 100% 及以上时，目标是上限（反向）")
    cost_keywords: tuple[str, ...] = setting(
        "indicator.cost_keywords", Words(), "二级指标或名称含这些词（成本）的指标，目标无比较词时越低越好")
    achievement_phrases: tuple[str, ...] = setting(
        "indicator.achievement_phrases", Words(), "实际完成值为这些说法时，定性指标视为达成")
    negative_phrases: tuple[str, ...] = setting(
        "indicator.negative_phrases", Words(),
        "实际完成值含这些说法（未完成、不及时、不合格…）而目标不含时，视为未达成，须选择档次")
    negation_words: tuple[str, ...] = setting(
        "indicator.negation_words", Words(), "紧接在目标说法前的否定词（不、未、没有…）：“不及时”对“及时”为未达成")
    weakening_words: tuple[str, ...] = setting(
        "indicator.weakening_words", Words(),
        "弱化词（基本、较、部分…）：“基本完成”对“完成”、“较好”对“好”属部分达成，须选择档次")
    budget_rate_names: tuple[str, ...] = setting(
        "indicator.budget_rate_names", Words(),
        "项目管理（过程）指标中名称为这些的行，按资金块执行率计分：分值 × min(执行率, 1)")
    bands: tuple[Band, ...] = setting(
        "qualitative_bands", Records(Band), "定性指标评价档次，从高到低；得分占分值的区间 [min, max)")
    grades: tuple[Grade, ...] = setting(
        "grades", Records(Grade, order=lambda g: -g.min), "等级及其最低总分")
    amount_tolerance: float = setting(
        "checks.amount_tolerance", Number(low=0),
        "金额合计允差，按各表自己的金额单位计（如 0.01：万元表为 0.01 万元，元表为 0.01 元）；工作簿核对列同用")
    rate_tolerance: float = setting("checks.rate_tolerance", Number(0, 1), "A2 执行率允差（0.005 即 0.5 个百分点）")
    score_tolerance: float = setting("checks.score_tolerance", Number(low=0), "分值/得分允差")
    low_rate: float = setting("checks.low_rate", Number(0, 1), "A7/E5/F5：执行率低于此值须说明原因")
    overshoot: float = setting(
        "checks.overshoot", Number(low=0),
        "D5：完成值超出目标此比例及以上（指标偏离）须说明偏差；`optional.deviation_penalty` 也按它扣分")
    boilerplate_phrases: frozenset[str] = setting("checks.boilerplate_phrases", Words(as_set=True),
                                                  "D8 判定“套话”的定性说法")
    qualitative_words: frozenset[str] = setting("checks.qualitative_words", Words(as_set=True),
                                                "E2：三级指标写成这些完成情况时提示")
    placeholder_pattern: re.Pattern[str] = setting(
        "checks.placeholder_patterns", Patterns(),
        "E7：模板占位符、提示语、模板行（如 `≥**`、`(100字以内)`、`指标2:`、`……`、`签名:年月日`）")
    prompt_phrases: tuple[str, ...] = setting(
        "checks.prompt_phrases", Words(),
        "E7/E8/F5：表格和报告提纲印的提示语（“主要反映各种预算支出执行偏离绩效目标的情况，并分析其原因”）；"
        "留在表格或报告中为问题，也不算原因说明")
    goal_generic_phrases: frozenset[str] = setting(
        "checks.goal_generic_phrases", Words(as_set=True), "E8：实际完成情况只写这些笼统说法（完成年度目标、已完成…）时提示")
    goal_min_chars: int = setting(
        "checks.goal_min_chars", Number(low=0, whole=True), "E8：实际完成情况去掉标点后少于此字数视为“只有一两个字”")
    goal_copy_min_chars: int = setting(
        "checks.goal_copy_min_chars", Number(low=1, whole=True),
        "E8：实际完成情况去掉标点后至少此字数、且原样出现在预期目标中时，视为照抄了预期目标的一部分")
    no_problem_patterns: re.Pattern[str] = setting(
        "checks.no_problem_patterns", Patterns(),
        "F5：“存在的问题”写成这些（无、未发现…问题）而表格有错误或执行率低于 `checks.low_rate` 时提示")
    completion_claims: tuple[str, ...] = setting(
        "checks.completion_claims", Words(), "F5：实际完成情况称“已完成”等而执行率低于 `checks.low_rate` 时提示")
    funds_subject_words: tuple[str, ...] = setting(
        "checks.funds_subject_words", Words(),
        "A6/A7：说明原因的句子须讲到资金（资金、预算、执行率、结余…，或该资金行自己的名称）")
    low_rate_cause_words: tuple[str, ...] = setting(
        "checks.low_rate_cause_words", Words(),
        "A7：执行率偏低的原因词（因、由于、未、结余、尾款、招标…），须与 `checks.funds_subject_words` 在同一句中")
    adjustment_cause_words: tuple[str, ...] = setting(
        "checks.adjustment_cause_words", Words(),
        "A6：预算调整的原因词（调整、追加、调减、下达…），须与 `checks.funds_subject_words` 在同一句中")
    boilerplate_min_chars: int = setting(
        "checks.boilerplate_min_chars", Number(low=0, whole=True), "F7：多份附件4 相同部分至少这么多字才算套话")
    spending_name_patterns: re.Pattern[str] = setting(
        "checks.spending_name_patterns", Patterns(),
        "E11：衡量“钱花了多少”的指标名称（预算执行率、经费使用率、经费完成情况、资金支付完成率…）；"
        "资金块已按执行率计分时，放在产出、效益指标中是重复计分")
    execution_rate_name_patterns: re.Pattern[str] = setting(
        "checks.execution_rate_name_patterns", Patterns(),
        "E12：整个名称就是全年预算执行率的指标（预算执行率、预算完成率、资金执行率…；去掉“指标1:”“★”等前缀后整名匹配），"
        "其年度指标值不应低于 `checks.low_rate`")
    deadline_patterns: re.Pattern[str] = setting(
        "checks.deadline_patterns", Patterns(),
        "E13：带年份的时限写法（“2021年11月30日前”“2014年年底前”），年份早于填报年度即为照抄往年的时限；"
        "年度指标值写成日期（“2021年12月完成”）时按日期的年份判断")
    question_target_patterns: re.Pattern[str] = setting(
        "checks.question_target_patterns", Patterns(),
        "E14：写成问题或评价而不是目标值的年度指标值（“是否…”“…情况的评价”）")
    yes_no_targets: frozenset[str] = setting(
        "checks.yes_no_targets", Words(as_set=True), "E14：成本指标的年度指标值只写这些（是、否）时，成本无从核对")
    ceiling_count_words: tuple[str, ...] = setting(
        "checks.ceiling_count_words", Words(),
        "E15：名称含这些词（会议、接待、公务用车、控制、压减…）的数量指标本来就是上限，可以写“≤”")
    bounded_share_words: tuple[str, ...] = setting(
        "checks.bounded_share_words", Words(),
        "E17：名称含这些词（满意度、合格率、覆盖率、知晓率…）的比率不可能超过 100%")
    carryover_rate_names: tuple[str, ...] = setting(
        "checks.carryover_rate_names", Words(), "A9：结转结余率指标的名称（结转结余率、结余率…）")
    carryover_gap: float = setting(
        "checks.carryover_gap", Number(0, 1),
        "A9：未支出比例（1 − 执行率）比填报的结转结余率高出此值以上时提示两者矛盾（0.1 即 10 个百分点）")
    form_title_patterns: re.Pattern[str] = setting(
        "checks.form_title_patterns", Patterns(), "E18：项目名称写成表格标题（“…绩效自评表”）")
    cap_total_by_rate: bool = setting("optional.cap_total_by_rate", Flag(), "总分按执行率封顶（一体化系统口径）")
    rate_caps: tuple[tuple[float, float], ...] = setting(
        "optional.rate_caps", Pairs(Number(0, 1), Number(low=0)), "封顶档次 `[[最低执行率, 总分上限], …]`")
    deviation_penalty: float = setting(
        "optional.deviation_penalty", Number(low=0), "完成值超出目标 `checks.overshoot` 及以上（指标偏离）每项扣分")
    # not keys of the file: where the profile came from
    source: str = field(default="", compare=False)  # the file's absolute path; "" for a shipped profile

    @property
    def is_builtin(self) -> bool:
        """True for a profile shipped with perfeval."""
        return not self.source

    @property
    def spec(self) -> str:
        """What names this profile to :func:`load_profile` anywhere: the name, or the file's path."""
        return self.name if self.is_builtin else self.source

    def band(self, label: str) -> Band | None:
        """Return the band whose label or alias is ``label``, or starts like it (“部分达成”)."""
        if not label:
            return None
        for band in self.bands:
            if label in band.names:
                return band
        for band in self.bands:
            if any(name.startswith(label) for name in band.names):
                return band
        return None

    @property
    def top_band(self) -> Band:
        """The 达成 band."""
        return max(self.bands, key=lambda b: b.max)

    @property
    def bottom_band(self) -> Band:
        """The 未达成 band."""
        return min(self.bands, key=lambda b: b.min)

    def middle_band(self) -> Band:
        """The 部分达成 band (the one between top and bottom; the top one if there are only two)."""
        middle = [b for b in self.bands if b is not self.top_band and b is not self.bottom_band]
        return middle[0] if middle else self.top_band

    def grade(self, total: float) -> str:
        """Return the grade label for a total score."""
        for grade in self.grades:
            if total >= grade.min - 1e-9:
                return grade.label
        return self.grades[-1].label


def _invariants(profile: Profile) -> list[Invalid]:
    """What a profile must satisfy beyond the type of each key."""
    problems = []
    w = profile.weights
    parts = w["budget"] + w["output"] + w["benefit"] + w["satisfaction"]
    if abs(parts - w["total"]) > 1e-9:
        problems.append(Invalid("weights.total", f"应等于各项分值之和 {parts:g}，实为 {w['total']:g}"))
    for i, band in enumerate(profile.bands):
        if not band.min <= band.default <= band.max:
            problems.append(Invalid(f"qualitative_bands[{i}].default", "应在该档 min 与 max 之间"))
    return problems


# --------------------------------------------------------------------------- finding the files


def available_profiles() -> list[str]:
    """Names of the profiles shipped with perfeval."""
    folder = resources.files(PROFILE_PACKAGE)
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml"))


def is_profile_path(spec: str) -> bool:
    """True when ``spec`` names a file (ends with .toml or holds a folder separator), not a shipped name."""
    return spec.lower().endswith(".toml") or "/" in spec or "\\" in spec


def resolve_profile_path(spec: str, base: str | os.PathLike[str] | None = None) -> Path:
    """The absolute path of a profile file; a relative ``spec`` is relative to ``base`` (default: the
    current folder)."""
    path = Path(os.path.expanduser(spec.strip()))
    if not path.is_absolute():
        path = Path(base if base is not None else Path.cwd()) / path
    return Path(os.path.abspath(path))


@dataclass(frozen=True)
class _Layer:
    data: dict[str, Any]
    file: str  # as messages name it
    folder: Path | None  # where its relative ``extends`` points from (None: shipped)


def _parse(text: str, file: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"规则配置文件“{file}”不是有效的 TOML：{exc}") from None


def _builtin_layer(name: str) -> _Layer:
    if name not in available_profiles():
        raise ProfileError(f"没有名为“{name}”的规则配置；可用：{'、'.join(available_profiles())}"
                           "，或给出 .toml 文件的路径")
    file = f"xlfuncs/profile_data/{name}.toml"
    text = resources.files(PROFILE_PACKAGE).joinpath(f"{name}.toml").read_text(encoding="utf-8")
    return _Layer(_parse(text, file), file, None)


def _file_layer(path: Path, spec: str) -> _Layer:
    if not path.is_file():
        raise ProfileError(f"找不到规则配置文件“{spec}”（{path}）")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ProfileError(f"无法读取规则配置文件“{path}”：{exc}") from None
    return _Layer(_parse(text, str(path)), str(path), path.parent)


def _layers(spec: str, base: Path | None, seen: tuple[str, ...] = ()) -> list[_Layer]:
    """The files a profile is made of, parent first."""
    if is_profile_path(spec):
        path = resolve_profile_path(spec, base)
        key, layer = str(path), _file_layer(path, spec)
    else:
        key, layer = spec, _builtin_layer(spec)
    if key in seen:
        raise ProfileError(f"规则配置“{spec}”的 extends 形成循环")
    for problem in unknown_keys(Profile, layer.data, allowed=(EXTENDS,)):
        raise ProfileError(f"规则配置文件“{layer.file}”：{problem}")
    if "name" not in layer.data:
        raise ProfileError(f"规则配置文件“{layer.file}”：缺少键“name”（每个文件须写明自己的名称）")
    parent = layer.data.get(EXTENDS)
    if parent is None:
        return [layer]
    if not isinstance(parent, str) or not parent.strip():
        raise ProfileError(f"规则配置文件“{layer.file}”：键“extends”应为规则配置名称或 .toml 文件路径")
    # a relative parent path is relative to the child's folder; a shipped profile extends by name
    return _layers(parent.strip(), layer.folder or base, seen + (key,)) + [layer]


def _merge(parent: dict[str, Any], child: dict[str, Any]) -> dict[str, Any]:
    merged = dict(parent)
    for key, value in child.items():
        if isinstance(value, dict) and isinstance(parent.get(key), dict):
            merged[key] = _merge(parent[key], value)
        else:
            merged[key] = value
    return merged


def _origin(layers: list[_Layer], key: str) -> str:
    """The file that set ``key`` (the last layer holding it), for messages."""
    path = key.split("[")[0].split(".")
    for layer in reversed(layers):
        node: Any = layer.data
        for i, part in enumerate(path):
            if not isinstance(node, dict) or part not in node:
                break
            node = node[part]
            if i == len(path) - 1 or not isinstance(node, dict):
                return layer.file
    return layers[-1].file


def _build(layers: list[_Layer], source: str) -> Profile:
    merged: dict[str, Any] = {}
    for layer in layers:
        merged = _merge(merged, {k: v for k, v in layer.data.items() if k != EXTENDS})
    try:
        profile = Profile(**convert_fields(Profile, merged), source=source)
    except Invalid as exc:
        raise ProfileError(f"规则配置文件“{_origin(layers, exc.key)}”：{exc}") from None
    for problem in _invariants(profile):  # about the keys together: the file being loaded answers for them
        raise ProfileError(f"规则配置文件“{layers[-1].file}”：{problem}")
    return profile


@lru_cache(maxsize=16)
def _load_builtin(name: str) -> Profile:
    profile = _build(_layers(name, None), "")
    if profile.name != name:
        raise ProfileError(f"规则配置文件“xlfuncs/profile_data/{name}.toml”：键“name”应为“{name}”（与文件名相同）")
    return profile


@lru_cache(maxsize=16)
def _load_file(path: str, stamp: tuple[int, int]) -> Profile:
    return _build(_layers(path, None), path)


def load_profile(spec: str = DEFAULT_PROFILE, *, base: str | os.PathLike[str] | None = None) -> Profile:
    """Load a profile: a shipped name (``default``, ``hubei`` …) or the path of a .toml file
    (relative to ``base``, by default the current folder). Raise :class:`ProfileError` in Chinese."""
    spec = (spec or "").strip() or DEFAULT_PROFILE
    if not is_profile_path(spec):
        return _load_builtin(spec)
    path = resolve_profile_path(spec, base)
    try:
        stat = path.stat()
    except OSError:
        raise ProfileError(f"找不到规则配置文件“{spec}”（{path}）") from None
    return _load_file(str(path), (stat.st_mtime_ns, stat.st_size))  # edited file: loaded afresh


# --------------------------------------------------------------------------- docs/profiles.md

_DOC_HEAD = """# 规则配置（rule profiles）

<!-- 本文件由 `perfeval rules --profiles-markdown > docs/profiles.md` 生成，请勿手改；
     键的说明写在 xlfuncs/profiles.py 的声明里。 -->

评分与校验用到的每一个数字都在规则配置里。内置配置在 `xlfuncs/profile_data/<名称>.toml`；
也可以给出自己的 `.toml` 文件路径，不需要改代码：

- 命令行：`perfeval validate 主工作簿.xlsm --profile ./湖南2024.toml`（`new`、`score`、`export` 同样）；
- 主工作簿“使用说明”表的“规则配置”一格：写名称或文件路径（相对路径相对于工作簿所在文件夹；
  用 `--profile` 生成工作簿时写入的是文件的完整路径）；
- 工作表函数最后一个可选参数 `profile`：名称或文件路径（相对路径相对于当前文件夹）。

xlwings Lite 版在浏览器中运行，读不到本机文件，只能使用内置配置。

## 继承与检查

`extends = "default"`（名称，或相对于本文件的 `.toml` 路径）表示以它为底：普通表（`[weights]`、
`[indicator]` …）逐键覆盖，表数组（`[[qualitative_bands]]`、`[[grades]]`）整体替换。每个文件都须写明
自己的 `name`。

读取时逐键检查：写错的键（如 `overshot`）、缺少的键、类型不对的值（如数字写成文字）都会报错，
并指出文件和键，例如：`规则配置文件“湖南2024.toml”：键“checks.overshot”不是规则配置的键；是否应为“overshoot”？`。

## 键

“默认值”一列是 `default` 配置的值。
"""

_DOC_TAIL = """
新增一个省份的口径：新建一个 `.toml` 文件，写 `extends = "default"`、`name`、`title` 和需要不同的键，
用 `--profile 文件路径` 使用；要随 perfeval 发布，放进 `xlfuncs/profile_data/`（测试会加载每一个内置配置）。
"""


def profiles_markdown() -> str:
    """``docs/profiles.md``: the keys from the declarations, the shipped profiles and how to add one."""
    lines = [_DOC_HEAD, "| 键 | 类型 | 默认值 | 含义 |", "| --- | --- | --- | --- |"]
    for key, label, shown, doc in schema_rows(Profile, load_profile(DEFAULT_PROFILE)):
        lines.append(f"| `{key}` | {label} | {shown} | {doc} |")
    lines += ["", "## 内置配置", "", "| 名称 | 说明 |", "| --- | --- |"]
    lines += [f"| `{name}` | {load_profile(name).title} |" for name in available_profiles()]
    return "\n".join(lines) + "\n" + _DOC_TAIL
