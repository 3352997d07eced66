"""Engine benchmark (run by hand): µs per indicator score, ms per validation of the seed.

Targets (issue 2): ≤ 20 µs per indicator score (a UDF is called per cell) and ≤ 5 ms per
validation of the seed. Each figure is printed with a ratio against a baseline measured in
the same run on the same machine, so drifting machine speed does not hide a regression:
- indicator score vs ``float()`` of the same strings after ``str.strip`` (the least any
  cell parse can cost);
- validation vs ``json.loads`` of the seed file (the least reading a filing can cost).

    python bench/bench_engine.py
"""

from __future__ import annotations

import json
from importlib import resources

from timing import median_seconds

from xlfuncs.engine import evaluate
from xlfuncs.filing import embedded_seed, view
from xlfuncs.measures import _parse_text as _parse_measure_text
from xlfuncs.measures import _parse_typed as _parse_measure_typed
from xlfuncs.profiles import load_profile
from xlfuncs.rowscore import clear_cache as clear_judgements
from xlfuncs.scoring import score_indicator
from xlfuncs.textnorm import _fold
from xlfuncs.values import _parse_number_text


def main() -> None:
    seed = embedded_seed()
    profile = load_profile()
    rows = [(i.target.raw, i.actual.raw, i.points.raw, i.level3.raw)
            for t in view(seed).tables for i in t.indicators]
    text = resources.files("xlfuncs.data").joinpath("lukou-2022.json").read_text("utf-8")

    def score_all() -> None:
        for target, actual, points, name in rows:
            score_indicator(target, actual, points, profile, name=name)

    def score_all_cold() -> None:
        _parse_measure_text.cache_clear()
        _parse_measure_typed.cache_clear()
        _parse_number_text.cache_clear()
        _fold.cache_clear()
        clear_judgements()
        score_all()

    def baseline_rows() -> None:
        for _, _, points, _ in rows:
            float(str(points).strip().strip("\u3000"))

    per_row = median_seconds(score_all) / len(rows)
    per_row_cold = median_seconds(score_all_cold, number=50) / len(rows)
    base_row = median_seconds(baseline_rows) / len(rows)
    validation = median_seconds(lambda: evaluate(seed), number=30)
    base_validation = median_seconds(lambda: json.loads(text), number=30)

    print(f"indicator rows in seed: {len(rows)}")
    print(f"indicator score (warm parse cache): {per_row * 1e6:8.2f} µs  "
          f"ratio vs float() baseline {per_row / base_row:6.1f}×  target ≤ 20 µs")
    print(f"indicator score (cold parse cache): {per_row_cold * 1e6:8.2f} µs  "
          f"ratio vs float() baseline {per_row_cold / base_row:6.1f}×  target ≤ 20 µs")
    print(f"full validation of the seed:        {validation * 1e3:8.2f} ms  "
          f"ratio vs json.loads baseline {validation / base_validation:6.1f}×  target ≤ 5 ms")


if __name__ == "__main__":
    main()
