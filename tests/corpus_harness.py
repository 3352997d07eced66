"""The corpus harness: import each published table, evaluate it, and hold the findings and
scores against the reviewer's hand findings (``review`` in ``tests/corpus/*.json``).

Per problem: ``expect`` lists the findings (rule + JSON Pointer) that catch it, or
``out_of_reach`` says why perfeval cannot; ``at`` lists further pointers the problem concerns.
A warning or error is a false positive when it lands on a ``fine_at`` pointer or on no pointer
of any listed problem ("on" = the same pointer or inside it). ``scores_expected`` holds the
recomputed rate, budget score, total and grade wherever the review determines them.
Used by ``tests/test_corpus.py`` and ``bench/corpus_report.py``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xlfuncs.catalogue import RULES_BY_ID
from xlfuncs.engine import evaluate
from xlfuncs.findings import ERROR, WARNING, Finding
from xlfuncs.recognise import load_grid_json, recognise_documents

CORPUS = Path(__file__).parent / "corpus"
FILES = sorted(CORPUS.glob("*.json"))
TOLERANCES = {"rate": 0.0001, "budget_score": 0.01, "total": 0.01}


def on(pointer: str, target: str) -> bool:
    """True when ``pointer`` is ``target`` or inside it."""
    return pointer == target or pointer.startswith(target.rstrip("/") + "/")


@dataclass
class ProblemResult:
    """One listed problem and whether a finding caught it."""

    where: str
    severity: str
    found: bool
    out_of_reach: str
    expected: list[dict[str, str]]
    pending: list[str]  # expected rules the catalogue does not have yet

    @property
    def status(self) -> str:
        """found / missed / out of reach."""
        if self.found:
            return "found"
        return "out_of_reach" if self.out_of_reach else "missed"


@dataclass
class ScoreResult:
    """One recomputed figure against the review's."""

    name: str
    expected: Any
    got: Any

    @property
    def ok(self) -> bool:
        """True when the figures agree within tolerance."""
        if isinstance(self.expected, (int, float)) and isinstance(self.got, (int, float)):
            return abs(self.expected - self.got) <= TOLERANCES.get(self.name, 0.01) + 1e-9
        return self.expected == self.got


@dataclass
class TableReport:
    """Everything the harness knows about one corpus file."""

    id: str
    complete: bool
    families: list[str]
    recognised: int
    tables: int
    unplaced: int
    problems: list[ProblemResult] = field(default_factory=list)
    false_positives: list[Finding] = field(default_factory=list)
    scores: list[ScoreResult] = field(default_factory=list)

    @property
    def found(self) -> int:
        """Problems caught."""
        return sum(p.found for p in self.problems)

    @property
    def out_of_reach(self) -> int:
        """Problems marked out of reach and not caught."""
        return sum(p.status == "out_of_reach" for p in self.problems)

    @property
    def missed(self) -> list[ProblemResult]:
        """Problems neither caught nor out of reach."""
        return [p for p in self.problems if p.status == "missed"]

    @property
    def scores_ok(self) -> int:
        """Figures that agree."""
        return sum(s.ok for s in self.scores)


def load(path: Path) -> dict[str, Any]:
    """A corpus fixture."""
    return json.loads(path.read_text(encoding="utf-8"))


def _score_results(fixture: dict[str, Any], filing: dict[str, Any], scores: list) -> list[ScoreResult]:
    expected = fixture["review"].get("scores_expected") or {}
    department = filing["department"].get("filed", True) is not False
    label = "附件1" if department else "附件3-1"
    table = next((s for s in scores if s.label == label), None)
    got = {"rate": table.budget.rate if table else None, "budget_score": table.budget.score if table else None,
           "total": table.total if table else None, "grade": table.grade if table else None}
    return [ScoreResult(name, expected[name], got[name]) for name in ("rate", "budget_score", "total", "grade")
            if expected.get(name) is not None]


def run(path: Path) -> TableReport:
    """Import one fixture, evaluate it and compare with its review."""
    fixture = load(path)
    result = recognise_documents([load_grid_json(path, path.name)])
    filing = result.filing
    evaluation = evaluate(filing, filing.get("profile"))
    findings = evaluation.findings
    report = TableReport(path.stem, bool(fixture.get("complete")), [t.family for t in result.tables],
                         sum(t.pointer is not None for t in result.tables), len(result.tables), len(result.unplaced))
    legit: list[str] = []
    for problem in fixture["review"]["problems"]:
        expected = problem.get("expect") or []
        found = any(f.rule == e["rule"] and f.pointer == e["pointer"] for e in expected for f in findings)
        pending = sorted({e["rule"] for e in expected if e["rule"] not in RULES_BY_ID})
        report.problems.append(ProblemResult(problem["where"], problem["severity"], found,
                                             problem.get("out_of_reach", ""), expected, pending))
        legit += [e["pointer"] for e in expected] + list(problem.get("at") or [])
    fine = [p for group in fixture["review"].get("fine_at") or [] for p in group]
    for finding in findings:
        if finding.severity not in (ERROR, WARNING):
            continue
        if any(on(finding.pointer, p) for p in fine) or not any(on(finding.pointer, p) for p in legit):
            report.false_positives.append(finding)
    report.scores = _score_results(fixture, filing, evaluation.scores)
    return report


def summary(reports: list[TableReport]) -> str:
    """The one-line summary the corpus report ends with."""
    problems = [p for r in reports for p in r.problems]
    reachable = [p for p in problems if not p.out_of_reach or p.found]
    complete = [p for r in reports if r.complete for p in r.problems if not p.out_of_reach or p.found]
    scores = [s for r in reports for s in r.scores]
    tables = sum(r.tables for r in reports)
    return (f"corpus: {tables} tables, recall {sum(p.found for p in reachable)}/{len(reachable)} "
            f"(complete tables {sum(p.found for p in complete)}/{len(complete)}), "
            f"out of reach {sum(p.status == 'out_of_reach' for p in problems)}, "
            f"false positives {sum(len(r.false_positives) for r in reports)}, "
            f"scores {sum(s.ok for s in scores)}/{len(scores)}")
