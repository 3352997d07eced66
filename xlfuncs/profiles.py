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
    achievement_phrases: tuple[str, ...]
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

    def band(self, label: str) -> Band | None:
        """Return the band whose label is, or starts like, ``label``."""
        for band in self.bands:
            if label and (label == band.label or band.label.startswith(label)):
                return band
        return None

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
        bands = tuple(Band(b["label"], float(b["min"]), float(b["max"]), float(b["default"]))
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
            achievement_phrases=tuple(ind["achievement_phrases"]),
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
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ProfileError(f"规则配置“{name}”格式有误：{exc}") from exc
