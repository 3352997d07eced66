"""Engine benchmark (run by hand): µs per indicator score, ms per validation of the seed.

Targets (issues 2 and 13): ≤ 20 µs per indicator score (a UDF is called per cell), ≤ 5 ms per
validation of the seed, and ≤ 6.5 ms to validate the seed's JSON file in-process as
``perfeval validate FILE`` does (read, evaluate, present the findings as text): half of what
≥ 150 JSON filings/s on 2 cores allows a file, the other half left to the worker pool, the
transfer of results and printing (``bench/bench_batch.py`` measures the whole). Each figure is
printed with a ratio against a baseline measured in the same run on the same machine, so drifting
machine speed does not hide a regression:
- indicator score vs ``float()`` of the same strings after ``str.strip`` (the least any
  cell parse can cost);
- validation vs ``json.loads`` of the seed file (the least reading a filing can cost);
- the JSON file vs reading it and ``json.loads`` of its text.

The machine is shared: the load average is printed with the figures (above the number of cores,
every figure is inflated by the others' work).

    python bench/bench_engine.py
"""

from __future__ import annotations

import json
import os
from importlib import resources
from pathlib import Path

from timing import median_seconds

from macros.presenter import findings_text
from macros.session import open_session
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
    path = Path(str(resources.files("xlfuncs.data").joinpath("lukou-2022.json")))

    def validate_file() -> None:
        session = open_session(path)
        findings_text(session.findings, f"校验：{path}")

    in_process = median_seconds(validate_file, number=30)
    base_file = median_seconds(lambda: json.loads(path.read_text(encoding="utf-8")), number=30)

    print(f"indicator rows in seed: {len(rows)}")
    print(f"indicator score (warm parse cache): {per_row * 1e6:8.2f} µs  "
          f"ratio vs float() baseline {per_row / base_row:6.1f}×  target ≤ 20 µs")
    print(f"indicator score (cold parse cache): {per_row_cold * 1e6:8.2f} µs  "
          f"ratio vs float() baseline {per_row_cold / base_row:6.1f}×  target ≤ 20 µs")
    print(f"full validation of the seed:        {validation * 1e3:8.2f} ms  "
          f"ratio vs json.loads baseline {validation / base_validation:6.1f}×  target ≤ 5 ms")
    print(f"validate one JSON file in-process (read + evaluate + present): {in_process * 1e3:5.2f} ms  "
          f"ratio vs read + json.loads baseline {in_process / base_file:6.1f}×  target ≤ 6.5 ms")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
