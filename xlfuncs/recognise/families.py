"""The form families perfeval knows, as data: each is recognised by the features the readers
noted while walking the table (never by a file name), first match wins. ``docs/forms.md``
describes each family and the corpus tables it covers."""

from __future__ import annotations

from dataclasses import dataclass

from .fold import fold


@dataclass(frozen=True)
class Family:
    """A form family: id, Chinese title, the features it needs and those it must not have."""

    id: str
    title: str
    needs: frozenset[str]
    any_of: frozenset[str] = frozenset()
    excludes: frozenset[str] = frozenset()

    def fits(self, features: set[str]) -> bool:
        """True when a table's features fit this family."""
        return (self.needs <= features and (not self.any_of or bool(self.any_of & features))
                and not (self.excludes & features))


def F(id_: str, title: str, needs: tuple[str, ...] = (), any_of: tuple[str, ...] = (),
      excludes: tuple[str, ...] = ()) -> Family:
    """A family row (tuples in, frozensets kept)."""
    return Family(id_, title, frozenset(needs), frozenset(any_of), frozenset(excludes))


FAMILIES: tuple[Family, ...] = (
    F("scoring-tree", "评分表（指标分值 / 计分标准 / 自评得分，无目标值与完成值）",
      any_of=("ind.criteria",)),
    F("yitihua-weight", "一体化系统：逐行指标权重与得分系数", any_of=("ind.coefficient", "funds.weight")),
    F("yitihua-nature", "一体化系统：指标性质 / 指标值 / 度量单位", needs=("ind.kind", "ind.unit")),
    F("hubei-2020", "预算执行 20 分 × 执行率、年度绩效目标 80 分，无逐行分值列",
      needs=("ind.score",), any_of=("heading.budget_points", "heading.indicator_points"), excludes=("ind.points",)),
    F("process-tree", "项目决策 / 项目管理 / 项目产出 / 项目效益 过程指标表", needs=("ind.process",)),
    F("fujian-2018", "财政资金安排和使用情况（预算安排 / 拨付 / 结余），资金不计分", needs=("funds.allocation",)),
    F("cover-report", "旧式自评报告表（封面、基本概况、资金情况，湖南 2019 年前）", any_of=("cover", "funds.pairs")),
    F("10hao-points-first", "财预〔2020〕10号式，分值列在年度指标值之前（扶贫、衔接、转移支付表）",
      needs=("ind.points_first",)),
    F("10hao", "财预〔2020〕10号 附件（年度指标值 / 实际完成值 / 分值 / 得分 / 偏差原因）",
      any_of=("ind.target", "ind.points", "funds.full_year", "funds.executed")),
)
UNKNOWN = "unknown"
TITLES = {family.id: family.title for family in FAMILIES} | {UNKNOWN: "无法识别的表格"}

# A province's scoring rules printed on the form: (profile, phrases that must all appear).
PRINTED_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("hubei", ("反向指标", "权重", "80%-50%")),
    ("hubei", ("定量指标计分原则", "反向指标")),
)


def classify(features: set[str]) -> str:
    """The id of the first family whose needs a table's features meet, else ``unknown``."""
    for family in FAMILIES:
        if family.fits(features):
            return family.id
    return UNKNOWN


def printed_profile(notes: list[str]) -> str | None:
    """The rule profile a form's printed notes spell out (湖北 备注 …), or None."""
    text = fold("".join(notes))
    for profile, phrases in PRINTED_RULES:
        if all(fold(p) in text for p in phrases):
            return profile
    return None
