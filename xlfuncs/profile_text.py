"""Text that shows a profile's numbers, rendered from the profile so no number is frozen in prose.

Labels, guide text, function help, validation messages and rule titles write a figure as a
placeholder (``"执行率偏低原因（低于{low_rate}时填写）"``); :func:`render` fills it from a profile.
The phrases for the budget rule and the grades are here too, so the scorer's explanations and
the workbook's guide say the same thing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from .profiles import DEFAULT_PROFILE, Profile, load_profile
from .values import format_number

_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def percent(share: float) -> str:
    """0.9 → ``"90%"``."""
    return f"{format_number(share * 100)}%"


def budget_factor(profile: Profile) -> str:
    """What the budget points are multiplied by: ``min(执行率, 100%)``, ``执行率`` or the tier share."""
    if profile.budget_tiers:
        return "执行率所在档次的得分比例"
    return "min(执行率, 100%)" if profile.cap_rate_at_one else "执行率"


def grades_text(profile: Profile) -> str:
    """``优 ≥ 90、良 ≥ 80、中 ≥ 60、差 < 60`` from the profile's grades."""
    grades = list(profile.grades)
    parts = [f"{g.label} ≥ {format_number(g.min)}" for g in grades[:-1]]
    last = grades[-1]
    if len(grades) > 1 and last.min <= 0:
        parts.append(f"{last.label} < {format_number(grades[-2].min)}")
    else:
        parts.append(f"{last.label} ≥ {format_number(last.min)}")
    return "、".join(parts)


def figures(profile: Profile) -> dict[str, str]:
    """Every placeholder a text may use, as the profile gives it."""
    return {
        "low_rate": percent(profile.low_rate),
        "overshoot": percent(profile.overshoot),
        "carryover_gap": f"{format_number(profile.carryover_gap * 100)} 个百分点",
        "rate_tolerance": f"{format_number(profile.rate_tolerance * 100)} 个百分点",
        "amount_tolerance": format_number(profile.amount_tolerance),
        "score_tolerance": format_number(profile.score_tolerance),
        "points_total": format_number(profile.weights["total"]),
        "budget_rule": f"分值 × {budget_factor(profile)}",
        "grades": grades_text(profile),
        "profile_title": profile.title,
    }


def render(text: str, profile: Profile | str | None = None) -> str:
    """``text`` with each ``{placeholder}`` replaced by the profile's figure (default profile when None).

    An unknown placeholder is a programming error and raises KeyError.
    """
    if "{" not in text:
        return text
    if not isinstance(profile, Profile):
        profile = load_profile(profile or DEFAULT_PROFILE)
    values: Mapping[str, str] = figures(profile)
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], text)
