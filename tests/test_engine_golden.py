"""The engine's full output, frozen: every finding (rule, severity, pointer, message, expected, actual,
table) and every recomputed score of the seed, the corrected seed, each imported corpus table
(``tests/corpus``) and each hand-made corpus filing (``tests/data/engine_corpus``), under every
shipped profile, compared with ``tests/data/engine_golden.json``.

The golden file is written by main's own code (before the speed work of issue 13, and again by
main's code after each merge of main: run ``python tests/test_engine_golden.py --write`` in an
export of main, then compare here), so a refactoring or a cache that changes any result turns this
red. A deliberate behaviour change regenerates it in the same commit, and the diff of the golden
file shows every changed finding and score for review.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).parent
if __name__ == "__main__":  # run as a script: the checkout's root and tests/ on the path
    sys.path[:0] = [str(HERE.parent), str(HERE)]

from corpus_harness import FILES as CORPUS_FILES  # noqa: E402

from xlfuncs.engine import evaluate  # noqa: E402
from xlfuncs.filing import Indicator, embedded_seed  # noqa: E402
from xlfuncs.profiles import available_profiles  # noqa: E402
from xlfuncs.recognise import load_grid_json, recognise_documents  # noqa: E402

pytestmark = pytest.mark.core

GOLDEN = HERE / "data" / "engine_golden.json"
ENGINE_CORPUS = sorted((HERE / "data" / "engine_corpus").glob("*.json"))
CORRECTED = HERE / "data" / "lukou-2022-corrected.json"


def filings() -> Iterator[tuple[str, dict[str, Any]]]:
    """Every filing the golden file covers, by a stable name."""
    yield "seed", embedded_seed()
    yield "corrected", json.loads(CORRECTED.read_text(encoding="utf-8"))
    for path in CORPUS_FILES:
        yield f"corpus/{path.stem}", recognise_documents([load_grid_json(path, path.name)]).filing
    for path in ENGINE_CORPUS:
        yield f"engine_corpus/{path.stem}", json.loads(path.read_text(encoding="utf-8"))


def _plain(value: Any) -> Any:
    """JSON-ready form of a score object; rows of the filing view by their pointer."""
    if isinstance(value, Indicator):
        return value.pointer
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple) and hasattr(value, "_asdict"):  # a named tuple: by its fields too
        return {name: _plain(item) for name, item in value._asdict().items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, float):
        return round(value, 9)
    return value


def outcome(filing: dict[str, Any], profile: str) -> dict[str, Any]:
    """Findings and scores of one filing under one profile, as plain JSON."""
    evaluation = evaluate(filing, profile)
    return {"findings": [f.to_dict() for f in evaluation.findings],
            "scores": [_plain(s) for s in evaluation.scores]}


def cases() -> list[tuple[str, dict[str, Any], str]]:
    """(name, filing, profile) for every filing under every shipped profile."""
    return [(name, filing, profile) for name, filing in filings() for profile in available_profiles()]


@functools.cache
def _golden() -> dict[str, Any]:
    return json.loads(GOLDEN.read_text(encoding="utf-8"))


def test_golden_covers_every_case():
    assert sorted(_golden()) == sorted(f"{name}|{profile}" for name, _, profile in cases())


@pytest.mark.parametrize(("name", "filing", "profile"),
                         [pytest.param(*case, id=f"{case[0]}|{case[2]}") for case in cases()])
def test_findings_and_scores_match_the_golden_file(name, filing, profile):
    expected = _golden()[f"{name}|{profile}"]
    got = json.loads(json.dumps(outcome(filing, profile), ensure_ascii=False))
    assert got["findings"] == expected["findings"]
    assert got["scores"] == expected["scores"]


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def write_golden() -> None:
    """Evaluate every case and write the golden file: one finding or table score per line, so its
    diff shows each changed result."""
    blocks = []
    for name, filing, profile in cases():
        result = outcome(filing, profile)
        parts = [f' "{key}": [\n' + ",\n".join("  " + _dump(item) for item in result[key]) + "\n ]"
                 for key in ("findings", "scores")]
        blocks.append(f"{_dump(f'{name}|{profile}')}: {{\n" + ",\n".join(parts) + "\n}")
    GOLDEN.write_text("{\n" + ",\n".join(blocks) + "\n}\n", encoding="utf-8")


if __name__ == "__main__":
    if sys.argv[1:] != ["--write"]:
        sys.exit("usage: python tests/test_engine_golden.py --write")
    write_golden()
