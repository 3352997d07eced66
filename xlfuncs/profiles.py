"""Rule profiles: every threshold, weight and formula variant, read from TOML data files.

A profile file may say ``extends = "other"``; its tables then override the parent's
key by key, and its arrays of tables (bands, grades) replace the parent's whole.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

PROFILE_PACKAGE = "xlfuncs.profile_data"
DEFAULT_PROFILE = "default"


class ProfileError(ValueError):
    """A profile name that does not exist or a profile file that cannot be used."""


@dataclass(frozen=True)
class Band:
    """A qualitative scoring band, as shares of the indicator's points."""

    label: str
    min: float
    max: float
    default: float
    aliases: tuple[str, ...] = ()  # other labels forms print for the same band (湖北: 达成预期指标 …)

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

    label: str
    min: float


@dataclass(frozen=True)
class Profile:
    """A rule profile, flattened from its TOML file (and its parents)."""

    name: str
    title: str
    weights: dict[str, float]
    cap_rate_at_one: bool
    budget_tiers: tuple[tuple[float, float], ...]
    reverse_formula: str
    approx_tolerance: float
    equal_tolerance: float
    reverse_name_keywords: tuple[str, ...]
    reverse_count_keywords: tuple[str, ...]
    positive_name_keywords: tuple[str, ...]
    control_name_keywords: tuple[str, ...]
    cost_keywords: tuple[str, ...]
    achievement_phrases: tuple[str, ...]
    negative_phrases: tuple[str, ...]
    negation_words: tuple[str, ...]
    weakening_words: tuple[str, ...]
    budget_rate_names: tuple[str, ...]
    bands: tuple[Band, ...]
    grades: tuple[Grade, ...]
    amount_tolerance: float
    rate_tolerance: float
    score_tolerance: float
    low_rate: float
    overshoot: float
    boilerplate_phrases: frozenset[str]
    qualitative_words: frozenset[str]
    placeholder_pattern: re.Pattern[str]
    cap_total_by_rate: bool
    rate_caps: tuple[tuple[float, float], ...]
    deviation_penalty: float
    prompt_phrases: tuple[str, ...]
    goal_generic_phrases: frozenset[str]
    goal_min_chars: int
    no_problem_patterns: re.Pattern[str]
    completion_claims: tuple[str, ...]
    funds_subject_words: tuple[str, ...]
    low_rate_cause_words: tuple[str, ...]
    adjustment_cause_words: tuple[str, ...]
    boilerplate_min_chars: int

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


def available_profiles() -> list[str]:
    """Names of the profiles shipped with perfeval."""
    folder = resources.files(PROFILE_PACKAGE)
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml"))


def _merge(parent: dict[str, Any], child: dict[str, Any]) -> dict[str, Any]:
    merged = dict(parent)
    for key, value in child.items():
        if isinstance(value, dict) and isinstance(parent.get(key), dict):
            merged[key] = _merge(parent[key], value)
        else:
            merged[key] = value
    return merged


def _raw_profile(name: str, seen: tuple[str, ...] = ()) -> dict[str, Any]:
    if name in seen:
        raise ProfileError(f"规则配置“{name}”的 extends 形成循环")
    if name not in available_profiles():
        raise ProfileError(f"没有名为“{name}”的规则配置；可用：{'、'.join(available_profiles())}")
    text = resources.files(PROFILE_PACKAGE).joinpath(f"{name}.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    parent = data.pop("extends", None)
    if parent:
        return _merge(_raw_profile(parent, seen + (name,)), data)
    return data


@lru_cache(maxsize=16)
def load_profile(name: str = DEFAULT_PROFILE) -> Profile:
    """Load a shipped profile by name (``default``, ``hubei``, …)."""
    raw = _raw_profile(name)
    try:
        weights = {k: float(v) for k, v in raw["weights"].items()}
        ind, chk, opt = raw["indicator"], raw["checks"], raw["optional"]
        bands = tuple(Band(b["label"], float(b["min"]), float(b["max"]), float(b["default"]),
                           tuple(b.get("aliases", ())))
                      for b in raw["qualitative_bands"])
        grades = tuple(sorted((Grade(g["label"], float(g["min"])) for g in raw["grades"]),
                              key=lambda g: -g.min))
        return Profile(
            name=raw["name"],
            title=raw["title"],
            weights=weights,
            cap_rate_at_one=bool(raw["budget"]["cap_rate_at_one"]),
            budget_tiers=tuple((float(a), float(b)) for a, b in raw["budget"]["tiers"]),
            reverse_formula=ind["reverse_formula"],
            approx_tolerance=float(ind["approx_tolerance"]),
            equal_tolerance=float(ind["equal_tolerance"]),
            reverse_name_keywords=tuple(ind["reverse_name_keywords"]),
            reverse_count_keywords=tuple(ind["reverse_count_keywords"]),
            positive_name_keywords=tuple(ind["positive_name_keywords"]),
            control_name_keywords=tuple(ind["control_name_keywords"]),
            cost_keywords=tuple(ind["cost_keywords"]),
            achievement_phrases=tuple(ind["achievement_phrases"]),
            negative_phrases=tuple(ind["negative_phrases"]),
            negation_words=tuple(ind["negation_words"]),
            weakening_words=tuple(ind["weakening_words"]),
            budget_rate_names=tuple(ind["budget_rate_names"]),
            bands=bands,
            grades=grades,
            amount_tolerance=float(chk["amount_tolerance"]),
            rate_tolerance=float(chk["rate_tolerance"]),
            score_tolerance=float(chk["score_tolerance"]),
            low_rate=float(chk["low_rate"]),
            overshoot=float(chk["overshoot"]),
            boilerplate_phrases=frozenset(chk["boilerplate_phrases"]),
            qualitative_words=frozenset(chk["qualitative_words"]),
            placeholder_pattern=re.compile("|".join(f"(?:{p})" for p in chk["placeholder_patterns"])),
            cap_total_by_rate=bool(opt["cap_total_by_rate"]),
            rate_caps=tuple(sorted(((float(a), float(b)) for a, b in opt["rate_caps"]), reverse=True)),
            deviation_penalty=float(opt["deviation_penalty"]),
            prompt_phrases=tuple(chk["prompt_phrases"]),
            goal_generic_phrases=frozenset(chk["goal_generic_phrases"]),
            goal_min_chars=int(chk["goal_min_chars"]),
            no_problem_patterns=re.compile("|".join(f"(?:{p})" for p in chk["no_problem_patterns"])),
            completion_claims=tuple(chk["completion_claims"]),
            funds_subject_words=tuple(chk["funds_subject_words"]),
            low_rate_cause_words=tuple(chk["low_rate_cause_words"]),
            adjustment_cause_words=tuple(chk["adjustment_cause_words"]),
            boilerplate_min_chars=int(chk["boilerplate_min_chars"]),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ProfileError(f"规则配置“{name}”格式有误：{exc}") from exc
