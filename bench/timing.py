"""Shared timing helper for the hand-run benchmarks in this folder.

Importing it also puts this checkout's root first on ``sys.path``: ``python bench/x.py`` starts with
``bench/`` there, so without it the benchmarks would measure whichever perfeval is installed (in a
worktree: the main checkout), not the code beside them.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

_ROOT = str(Path(__file__).resolve().parents[1])
if _ROOT not in sys.path[:2]:
    sys.path.insert(1, _ROOT)


def median_seconds(function: Callable[[], object], repeat: int = 7, number: int = 200) -> float:
    """Median seconds per call over ``repeat`` batches of ``number`` calls."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            function()
        samples.append((time.perf_counter() - start) / number)
    return statistics.median(samples)


def timed(function: Callable[[], object], rounds: int) -> float:
    """Median seconds of ``rounds`` calls (after one warm-up call), for calls too slow to batch."""
    function()
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        function()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)
