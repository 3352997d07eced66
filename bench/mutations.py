"""Mutation check: do the tests turn red on the bugs that matter? Run by hand from the repository root:

    python bench/mutations.py            # every mutation (about ten minutes on two cores)
    python bench/mutations.py --list     # what is checked
    python bench/mutations.py --only grade-bound rate-cap-bound

Each mutation is one deliberate bug: a comparison flipped at a profile threshold, a rule dropped
from the registry, a score mis-rounded, 年初/全年 swapped in the reader, a cached value broken, a
locator row shifted, a door or a shared helper broken. It is applied, one at a time, to a
temporary copy of the tree (this tree is never touched), the tests named for it run there, and
the script prints whether they went red. Every mutation must go red; the exit code is the number
that did not. A mutation whose code text is no longer found is reported STALE (and counts as a
failure): update its ``old`` text when the code moves.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COPIED = ("xlfuncs", "workbook", "macros", "tests", "docs", "pyproject.toml", "README.md")


@dataclass(frozen=True)
class Mutation:
    """One deliberate bug: ``old`` (found exactly once in ``path``) becomes ``new``."""

    name: str
    path: str
    old: str
    new: str
    tests: tuple[str, ...]
    why: str


THRESHOLDS = "tests/test_thresholds.py"
MUTATIONS = (
    # ---- comparisons at each profile threshold
    Mutation("grade-bound", "xlfuncs/profiles.py", "if total >= grade.min - 1e-9:", "if total > grade.min + 1e-9:",
             (THRESHOLDS, "tests/test_scoring.py"), "等级线：恰好 90 分应为“优”"),
    Mutation("rate-cap-bound", "xlfuncs/scoring.py",
             "    for min_rate, cap in profile.rate_caps:\n        if rate >= min_rate - 1e-12:",
             "    for min_rate, cap in profile.rate_caps:\n        if rate > min_rate + 1e-12:",
             (THRESHOLDS,), "执行率封顶：恰好 80% 属于 100 分一档"),
    Mutation("rate-cap-applied", "xlfuncs/scoring.py", "applied = cap if cap is not None and total > cap else None",
             "applied = cap if cap is not None and total >= cap else None", (THRESHOLDS,),
             "总分恰好等于上限时不算封顶"),
    Mutation("budget-tier-bound", "xlfuncs/scoring.py",
             "        for min_rate, share in profile.budget_tiers:\n            if rate >= min_rate - 1e-12:",
             "        for min_rate, share in profile.budget_tiers:\n            if rate > min_rate + 1e-12:",
             (THRESHOLDS,), "预算执行分档：恰好 90% 属于上一档"),
    Mutation("budget-cap-at-one", "xlfuncs/scoring.py", "return min(rate, 1.0) if profile.cap_rate_at_one else rate",
             "return rate", (THRESHOLDS, "tests/test_seed.py"), "预算执行得分不超过分值"),
    Mutation("positive-at-target", "xlfuncs/rowscore.py", "    if a >= t:\n        return 1.0, \"实际达到目标\"",
             "    if a > t:\n        return 1.0, \"实际达到目标\"", (THRESHOLDS,), "正向指标恰好达标得满分"),
    Mutation("reverse-at-target", "xlfuncs/rowscore.py", "    if a <= t:\n        return 1.0, \"实际控制在目标以内\"",
             "    if a < t:\n        return 1.0, \"实际控制在目标以内\"", (THRESHOLDS,), "反向指标恰好等于目标得满分"),
    Mutation("approx-tolerance-bound", "xlfuncs/rowscore.py", "if abs(a - t) <= abs(t) * tolerance + 1e-9:",
             "if abs(a - t) < abs(t) * tolerance - 1e-9:", (THRESHOLDS,), "约数/等于型指标的允差含边界"),
    Mutation("overshoot-bound", "xlfuncs/rowscore.py", "and completion >= 1 + profile.overshoot - 1e-9)",
             "and completion > 1 + profile.overshoot + 1e-9)", (THRESHOLDS,), "指标偏离：恰好超出 30% 即须说明"),
    Mutation("band-upper-bound", "xlfuncs/checks/scores.py", "<= share <= band.max + 1e-9 and",
             "<= share < band.max - 1e-9 and", (THRESHOLDS,), "定性最高档含上限"),
    Mutation("band-lower-bound", "xlfuncs/checks/scores.py", "inside = band.min - 1e-9 <= share",
             "inside = band.min + 1e-9 < share", (THRESHOLDS,), "定性档次含下限"),
    Mutation("low-rate-bound", "xlfuncs/checks/funds.py", "if r is not None and r < low - 1e-12]",
             "if r is not None and r <= low + 1e-12]", (THRESHOLDS,), "A7：执行率恰好 90% 不需说明"),
    Mutation("tolerance-inclusive", "xlfuncs/checks/context.py", "return abs(a - b) <= tolerance + 1e-9",
             "return abs(a - b) < tolerance", (THRESHOLDS,), "A2/D3 等允差含边界"),
    Mutation("overspent-bound", "xlfuncs/checks/funds.py", "if executed > budget + ctx.profile.amount_tolerance:",
             "if executed >= budget + ctx.profile.amount_tolerance:", (THRESHOLDS,), "A3：超支允差含边界"),
    # ---- the registry, rounding, the overshoot rule in one place
    Mutation("drop-rule-D5", "xlfuncs/checks/scores.py", '@check("D5")\n', "",
             ("tests/test_rules_each.py",), "规则目录中的每条规则都有检查"),
    Mutation("drop-rule-A2", "xlfuncs/checks/funds.py", '@check("A2")\n', "",
             ("tests/test_rules_each.py",), "规则目录中的每条规则都有检查"),
    Mutation("mis-round", "xlfuncs/rowscore.py", "return round(value + 0.0, 2)", "return round(value + 0.0, 1)",
             ("tests/test_scoring.py", "tests/test_seed.py", THRESHOLDS), "得分保留两位小数"),
    Mutation("mis-round-check-equal", "xlfuncs/cellfuncs.py", "else round(difference, 2)",
             "else round(difference, 1)", ("tests/test_profiles.py", "tests/test_scoring.py", "tests/test_udfs.py"),
             "核对列差额保留两位小数"),
    # ---- the workbook: reader, cached values, locator
    Mutation("reader-swaps-initial-full-year", "workbook/form_reading.py",
             "        raw = grid.get(f.cell)\n        in_table =",
             '        raw = grid.get({"D7": "E7", "E7": "D7", "D8": "E8", "E8": "D8"}.get(f.cell, f.cell))\n'
             "        in_table =", ("tests/test_workbook_roundtrip.py",), "读回时年初/全年预算数不可对调"),
    Mutation("layout-swaps-initial-full-year", "workbook/layouts/forms.py",
             'FUND_VALUE_COLUMNS = (("initial", "D"), ("full_year", "E"),',
             'FUND_VALUE_COLUMNS = (("initial", "E"), ("full_year", "D"),',
             ("tests/test_workbook_roundtrip.py",), "官方表的列位置（年初 D、全年 E）"),
    Mutation("broken-cached-value", "workbook/cellmodel.py", "        return int(value)  # \"0\", not \"0.0\", as Excel writes it",
             "        return int(value) + 1",
             ("tests/test_scripts.py", "tests/test_doors.py"), "公式的缓存值 = 引擎的值（按钮与命令行一致）"),
    Mutation("locator-row-shift", "workbook/layouts/locate.py", "        row = rows[index]\n",
             "        row = rows[index] + 1\n", ("tests/test_workbook_roundtrip.py", "tests/test_doors.py"),
             "问题定位到正确的单元格"),
    Mutation("values-alone-typed-over", "workbook/form_reading.py",
             "if grid.notes_known and f.cell not in grid.notes and not is_blank(value)",
             "if False and grid.notes_known and f.cell not in grid.notes and not is_blank(value)",
             ("tests/test_doors.py",), "按钮（只有显示值）也能发现手工改写的公式格"),
    # ---- one session, one profile, one text
    Mutation("override-ignored", "macros/session.py", "    if override is not None:\n",
             "    if override is not None and not own:\n", ("tests/test_session.py",), "--profile 覆盖工作簿自带配置"),
    Mutation("profile-unknown-key-accepted", "xlfuncs/profiles.py",
             "    for problem in unknown_keys(Profile, layer.data, allowed=(EXTENDS,)):",
             "    for problem in list(unknown_keys(Profile, layer.data, allowed=(EXTENDS,)))[:0]:",
             ("tests/test_profiles.py",), "规则配置中写错的键要报错"),
    Mutation("profile-wrong-type-accepted", "xlfuncs/profile_schema.py",
             '        if isinstance(value, bool) or not isinstance(value, (int, float)):\n'
             '            raise Invalid(key, f"应为数字，实为{_shown(value)}")\n',
             "", ("tests/test_profiles.py",), "规则配置中类型不对的值要报错"),
    Mutation("frozen-guide-text", "xlfuncs/profile_text.py", '    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], text)',
             '    return _PLACEHOLDER.sub(lambda m: {"low_rate": "90%"}.get(m.group(1), values[m.group(1)]), text)',
             ("tests/test_profiles.py",), "显示规则数字的文字按所用规则配置生成"),
    Mutation("check-equal-default-tolerance", "xlfuncs/cellfuncs.py", "        limit = rules.amount_tolerance",
             "        limit = 0.01", ("tests/test_profiles.py",), "核对列允差取自规则配置"),
    # ---- shared helpers and layering
    Mutation("atomic-write-without-fsync", "xlfuncs/fileio.py",
             "            os.fchmod(handle, _new_file_mode())\n        os.fsync(handle)\n",
             "            os.fchmod(handle, _new_file_mode())\n",
             ("tests/test_fileio.py",), "原子写入保留 fsync"),
    Mutation("zip-stamp-now", "xlfuncs/fileio.py", "    stamp = (max(when[0], 1980), *when[1:])",
             '    stamp = __import__("time").localtime()[:6]', ("tests/test_fileio.py",), "压缩包可重现"),
    Mutation("workbook-imports-macros", "workbook/report_sheet.py", "from xlfuncs.reports import report_contents",
             "from macros.report_content import report_contents", ("tests/test_layering.py",),
             "workbook 不导入 macros（也不因此加载 python-docx）"),
    # ---- hostile and broken workbooks (issue 15)
    Mutation("escapes-not-decoded", "workbook/excel_text.py", '    if "_x" not in text:\n        return text\n    decoded',
             "    return text\n    decoded", ("tests/test_sheet_xml.py", "tests/test_documents_readers.py"),
             "读回的文字与输入相同（_x000D_ 等转义解码）"),
    Mutation("unreadable-cell-silent", "workbook/form_reading.py", "    problem = reading.grid.problems.get(f.cell)\n",
             "    problem = None\n", ("tests/test_workbook_fuzz.py",), "读不出的格在该格报 W4，不悄悄按空白读"),
    Mutation("imported-blank-result-computed", "workbook/plan.py",
             "    if filed is _ABSENT or (is_blank(filed) and not f.filed_when_formula):\n",
             "    if filed is _ABSENT or is_blank(filed):\n", ("tests/test_workbook_parity.py",),
             "由 JSON 生成的工作簿与 JSON 的校验结果相同（未填的得分不由工作簿代填）"),
    Mutation("sheet-read-stops-early", "workbook/sheet_xml.py", "        if self.last_row is not None and self.row > self.last_row:\n",
             "        if self.row > (self.last_row or 2):\n", ("tests/test_sheet_xml.py", "tests/test_workbook_read_paths.py"),
             "读完实有的单元格（不在前几行或声明的范围处停下）"),
)


def copy_tree(target: Path) -> None:
    """The parts of the repository the tests need, without caches or outputs."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".pytest_cache", ".hypothesis")
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=ignore)
        elif source.exists():
            shutil.copy2(source, target / name)


def run_tests(tree: Path, tests: tuple[str, ...]) -> tuple[bool, float, str]:
    """Run ``tests`` in ``tree``; (went red, seconds, last line of pytest's output)."""
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *tests],
                            cwd=tree, capture_output=True, text=True, encoding="utf-8", env=env, timeout=1800)
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    return result.returncode != 0, time.perf_counter() - start, lines[-1] if lines else result.stderr.strip()[-200:]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Apply deliberate bugs one at a time; every one must turn the tests red.")
    parser.add_argument("--only", nargs="*", help="names of the mutations to run")
    parser.add_argument("--list", action="store_true", help="list the mutations and exit")
    args = parser.parse_args(argv)
    chosen = [m for m in MUTATIONS if not args.only or m.name in args.only]
    if args.list:
        for m in chosen:
            print(f"{m.name:34} {m.path:32} {m.why}")
        return 0
    survived = 0
    with tempfile.TemporaryDirectory(prefix="perfeval-mutations-") as folder:
        tree = Path(folder)
        copy_tree(tree)
        clean, seconds, summary = run_tests(tree, tuple(sorted({t for m in chosen for t in m.tests})))
        print(f"{'baseline (no mutation)':34} {'RED!' if clean else 'green':6} {seconds:6.1f}s  {summary}")
        if clean:
            print("the unmutated tree is red: fix that first")
            return len(chosen)
        for m in chosen:
            path = tree / m.path
            original = path.read_text(encoding="utf-8")
            if original.count(m.old) != 1:
                print(f"{m.name:34} STALE   the code to mutate is no longer in {m.path} exactly once")
                survived += 1
                continue
            path.write_text(original.replace(m.old, m.new), encoding="utf-8")
            try:
                red, seconds, summary = run_tests(tree, m.tests)
            finally:
                path.write_text(original, encoding="utf-8")
            survived += not red
            print(f"{m.name:34} {'red' if red else 'GREEN':6} {seconds:6.1f}s  {summary}  — {m.why}", flush=True)
    print(f"\n{len(chosen) - survived} of {len(chosen)} mutations turned the tests red"
          + ("" if not survived else f"; {survived} did not"))
    return survived


if __name__ == "__main__":
    raise SystemExit(main())
