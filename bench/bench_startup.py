"""Start-up benchmark (run by hand): whole ``perfeval`` processes against ``python -c pass``.

Target (issue 13): ``perfeval --help`` and ``perfeval validate seed.json`` each ≤ 4× a bare
``python -c pass``, measured in the same run. Commands are started in turn (A B A B …) so a
machine that speeds up or slows down affects both; each run's CPU time (user + system, from
``os.wait4``) and wall time are recorded, and the ratio of medians is printed.

    python bench/bench_startup.py [--runs 15]

The same figures can be cross-checked with ``farm-bench`` where it is installed, e.g.
``farm-bench -n 15 --vs "python -c pass" -- python -m macros validate xlfuncs/data/lukou-2022.json``.
The checkout's modules are compiled to bytecode first, as ``pip install`` does for an installed
perfeval: where ``PYTHONDONTWRITEBYTECODE`` is set (this sandbox sets it), a stale or missing ``.pyc``
would otherwise be compiled again in every process and the figures would measure the compiler.
"""

from __future__ import annotations

import argparse
import compileall
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "xlfuncs" / "data" / "lukou-2022.json"
BASELINE = [sys.executable, "-c", "pass"]
COMMANDS = {
    "perfeval --help": [sys.executable, "-m", "macros", "--help"],
    "perfeval validate seed.json": [sys.executable, "-m", "macros", "validate", str(SEED)],
    "perfeval rules": [sys.executable, "-m", "macros", "rules"],
}


def run_once(command: list[str]) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of one whole process."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    return usage.ru_utime + usage.ru_stime, wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    if not hasattr(os, "wait4"):
        raise SystemExit("needs os.wait4 (Linux, macOS)")
    for package in ("xlfuncs", "workbook", "macros"):
        compileall.compile_dir(ROOT / package, quiet=1)
    for command in (BASELINE, *COMMANDS.values()):
        run_once(command)  # warm the file cache
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in ("python -c pass", *COMMANDS)}
    for _ in range(args.runs):
        for name, command in COMMANDS.items():
            samples["python -c pass"].append(run_once(BASELINE))
            samples[name].append(run_once(command))
    base_cpu = statistics.median(cpu for cpu, _ in samples["python -c pass"])
    base_wall = statistics.median(wall for _, wall in samples["python -c pass"])
    print(f"python -c pass: median CPU {base_cpu * 1e3:.0f} ms, wall {base_wall * 1e3:.0f} ms "
          f"({len(samples['python -c pass'])} runs)")
    for name in COMMANDS:
        cpu = statistics.median(c for c, _ in samples[name])
        wall = statistics.median(w for _, w in samples[name])
        print(f"{name:32s} CPU {cpu * 1e3:6.0f} ms  {cpu / base_cpu:4.1f}×   wall {wall * 1e3:6.0f} ms  "
              f"{wall / base_wall:4.1f}×   target ≤ 4×")


if __name__ == "__main__":
    main()
