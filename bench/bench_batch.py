"""Batch benchmark (run by hand): ``perfeval validate -j 2`` and ``perfeval review -j 2`` over many
filings, against a shell-style loop of one ``python -m macros validate FILE`` per file.

Targets (issues 13 and 14): ≥ 150 JSON filings/s and ≥ 10 workbooks/s on 2 cores; memory flat in
the number of files. The folder is made here: ``--files`` varied filings from the seed and the
corrected seed with random edits (unit, year, amounts, points, actual values, blanks, projects
added or removed), ``--workbooks`` of them as master workbooks. Every command runs in its own
process; its peak memory is the largest resident set of that process and its workers
(``getrusage(RUSAGE_CHILDREN)`` of a wrapper). The loop runs on a subset and is scaled.

    python bench/bench_batch.py                 # 1,000 filings (40 workbooks), loop over 30 + 6
    python bench/bench_batch.py --files 4000    # the memory-flatness check at a larger size
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from macros.cmd_new import write_master_workbook  # noqa: E402
from xlfuncs.filing import embedded_seed  # noqa: E402

CORRECTED = ROOT / "tests" / "data" / "lukou-2022-corrected.json"
WRAPPER = ("import resource, subprocess, sys, time\n"
           "t = time.perf_counter()\n"
           "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
           "usage = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
           "print(time.perf_counter() - t, usage.ru_maxrss, usage.ru_utime + usage.ru_stime)\n")


def _vary(filing: dict, rng: random.Random, index: int) -> dict:
    """A filing like ``filing`` as another unit might have filed it: some edits, some errors."""
    data = copy.deepcopy(filing)
    data["unit"] = data["department"]["name"] = f"第{index}号预算单位"
    data["year"] = rng.choice([2021, 2022, 2023])
    projects = data["projects"]
    if rng.random() < 0.3 and len(projects) > 1:
        projects.pop(rng.randrange(len(projects)))
    for _ in range(rng.choice([0, 0, 0, 1, 2, 5])):
        extra = copy.deepcopy(rng.choice(projects))
        extra["name"] = f"{extra.get('name', '项目')}（{rng.randrange(1000)}）"
        projects.append(extra)
    for table in [data["department"], *projects]:
        funds = table.get("funds", {}).get("total") or {}
        if funds.get("executed") is not None and rng.random() < 0.4:
            funds["executed"] = f"{rng.uniform(10, 900):.2f}" if rng.random() < 0.7 else rng.choice(["", "　400", "523.12万"])
        for row in table.get("indicators") or []:
            roll = rng.random()
            if roll < 0.05:
                row["points"] = rng.choice(["10分", "", "１０"])
            elif roll < 0.10:
                row["actual"] = rng.choice(["达到预期", "95%", "", "≥90%", "完成"])
    return data


def make_folder(root: Path, files: int, workbooks: int, seed: int = 14) -> tuple[Path, Path]:
    """``files - workbooks`` filing JSONs in ``root/json`` and ``workbooks`` master workbooks in ``root/xlsx``."""
    rng = random.Random(seed)
    bases = [embedded_seed(), json.loads(CORRECTED.read_text(encoding="utf-8"))]
    json_dir, xlsx_dir = root / "json", root / "xlsx"
    json_dir.mkdir(parents=True)
    xlsx_dir.mkdir(parents=True)
    for i in range(files - workbooks):
        data = _vary(rng.choice(bases), rng, i)
        (json_dir / f"{i:05d}.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    for i in range(workbooks):
        data = _vary(rng.choice(bases), rng, files + i)
        write_master_workbook(data, xlsx_dir / f"{i:04d}.xlsx", "plain", 1, "default")
    return json_dir, xlsx_dir


def measure(*command: str) -> tuple[float, float, float]:
    """(wall seconds, peak resident MB, CPU seconds) of the command and its workers, run in a fresh wrapper."""
    result = subprocess.run([sys.executable, "-c", WRAPPER, *command], capture_output=True, text=True,
                            cwd=ROOT, check=True)
    seconds, peak_kb, cpu = result.stdout.split()
    return float(seconds), int(peak_kb) / 1024, float(cpu)


def cli(*argv: str) -> list[str]:
    return [sys.executable, "-m", "macros", *argv]


def loop_rate(paths: list[Path]) -> tuple[float, float]:
    """(files per wall second, files per CPU second) of one ``python -m macros validate FILE`` process per file."""
    started = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    for path in paths:
        subprocess.run(cli("validate", str(path)), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return len(paths) / (time.perf_counter() - started), len(paths) / cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--workbooks", type=int, default=40)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--loop", type=int, default=30, help="JSON files in the one-process-per-file loop")
    parser.add_argument("--loop-workbooks", type=int, default=6)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="perfeval-bench-batch-"))
    try:
        started = time.perf_counter()
        json_dir, xlsx_dir = make_folder(work, args.files, args.workbooks)
        json_files, xlsx_files = sorted(json_dir.iterdir()), sorted(xlsx_dir.iterdir())
        tables = sum(1 + len(json.loads(p.read_text("utf-8"))["projects"]) for p in json_files) / len(json_files)
        print(f"made {len(json_files)} JSON filings ({tables:.1f} tables each on average; the seed has 6) and "
              f"{len(xlsx_files)} workbooks in {time.perf_counter() - started:.1f} s "
              f"({sum(p.stat().st_size for p in json_files) / 1e6:.1f} MB JSON)")
        j = str(args.jobs)
        load = os.getloadavg()
        loop_json = loop_rate(json_files[:args.loop])
        loop_xlsx = loop_rate(xlsx_files[:args.loop_workbooks])
        quarter = work / "quarter"
        quarter.mkdir()
        for path in json_files[: len(json_files) // 4]:
            shutil.copy(path, quarter / path.name)
        rows = [
            ("validate JSON", len(json_files), measure(*cli("validate", str(json_dir), "-j", j)), loop_json, 150),
            ("validate workbooks", len(xlsx_files), measure(*cli("validate", str(xlsx_dir), "-j", j)), loop_xlsx, 10),
            ("review JSON", len(json_files),
             measure(*cli("review", str(json_dir), "-j", j, "-o", str(work / "r-json.xlsx"))), loop_json, 150),
            ("review workbooks", len(xlsx_files),
             measure(*cli("review", str(xlsx_dir), "-j", j, "-o", str(work / "r-xlsx.xlsx"))), loop_xlsx, 10),
            ("review all", len(json_files) + len(xlsx_files),
             measure(*cli("review", str(work / "json"), str(xlsx_dir), "-j", j, "-o", str(work / "r-all.xlsx"))),
             None, None),
            ("review ¼ of JSON", len(json_files) // 4,
             measure(*cli("review", str(quarter), "-j", j, "-o", str(work / "r-quarter.xlsx"))), loop_json, 150),
        ]
        print(f"load average before the runs: {load[0]:.1f} (2 cores; above 2 the figures below are shared with other work)")
        print(f"one process per file (python -m macros validate FILE): {loop_json[0]:.1f} JSON/s "
              f"({loop_json[1]:.1f} per CPU-second) over {min(args.loop, len(json_files))} files, "
              f"{loop_xlsx[0]:.2f} workbooks/s ({loop_xlsx[1]:.2f} per CPU-second) over "
              f"{min(args.loop_workbooks, len(xlsx_files))}; scaled to {len(json_files)} JSON: "
              f"{len(json_files) / loop_json[0]:.0f} s")
        print("files/s is wall-clock in this run; “2 idle cores” is files per CPU-second × 2, what the same work "
              "gives when both cores are free")
        print(f"{'command (-j ' + j + ')':<22}{'files':>7}{'seconds':>9}{'files/s':>9}{'vs loop':>9}"
              f"{'2 idle cores':>14}{'vs loop':>9}{'target':>8}{'peak MB':>9}")
        for name, count, (seconds, peak, cpu), base, target in rows:
            rate, idle = count / seconds, 2 * count / cpu
            ratio = f"{rate / base[0]:.0f}×" if base else "—"
            idle_ratio = f"{idle / (2 * base[1]):.0f}×" if base else "—"
            goal = f"≥{target}" if target else "—"
            print(f"{name:<22}{count:>7}{seconds:>9.2f}{rate:>9.1f}{ratio:>9}{idle:>14.1f}{idle_ratio:>9}{goal:>8}{peak:>9.0f}")
        quarter_peak, full_peak = rows[5][2][1], rows[2][2][1]
        print(f"memory: review of {len(json_files)} JSON peaks at {full_peak:.0f} MB, of {len(json_files) // 4} at "
              f"{quarter_peak:.0f} MB (ratio {full_peak / quarter_peak:.2f}; flat is ≈1)")
        print(f"review workbook of everything: {(work / 'r-all.xlsx').stat().st_size / 1e6:.1f} MB")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
