"""The one engine: score a filing by a profile and run every check of the catalogue."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .catalogue import RULES
from .checks import REGISTRY, Context
from .filing import FilingView, check_shape, view
from .findings import Finding, sort_findings, summarize
from .profiles import DEFAULT_PROFILE, Profile, load_profile
from .scoring import TableScore, score_table


@dataclass(frozen=True)
class Evaluation:
    """Scores and findings of one filing."""

    profile: Profile
    scores: list[TableScore]
    findings: list[Finding]

    @property
    def summary(self) -> dict[str, int]:
        """Counts by severity."""
        return summarize(self.findings)



def _profile(profile: Profile | str | None) -> Profile:
    if isinstance(profile, Profile):
        return profile
    return load_profile(profile or DEFAULT_PROFILE)


def score_filing(filing: dict[str, Any] | FilingView, profile: Profile | str | None = None) -> list[TableScore]:
    """Recomputed scores of 附件1 and each 附件3-N."""
    rules = _profile(profile)
    filing_view = filing if isinstance(filing, FilingView) else view(filing)
    return [score_table(table, rules) for table in filing_view.tables]


def evaluate(filing: dict[str, Any], profile: Profile | str | None = None) -> Evaluation:
    """Score a filing and run every implemented check; findings sorted by table."""
    check_shape(filing)
    rules = _profile(profile)
    filing_view = view(filing)
    scores = score_filing(filing_view, rules)
    context = Context(filing_view, rules, {s.label: s for s in scores})
    for rule in RULES:  # in catalogue order: F5 comes last and reads what the others found
        if rule.implemented and rule.source == "engine":
            context.findings.extend(REGISTRY[rule.id](context))
    return Evaluation(rules, scores, sort_findings(context.findings))
