"""``perfeval demo``: the main job on the embedded seed filing.

Build the master workbook from the seed, validate it (every finding with its sheet and cell; the
workbook left behind shows that validation: status line, marks, 校验结果), export a forced package under ``./out/`` and say where everything is. Each run writes into a
new ``out/demo-<time>/`` folder: the export never overwrites a package.
"""

from __future__ import annotations

import argparse
import tempfile
from datetime import datetime
from pathlib import Path

from macros.cli import EXIT_OK

ORDER = 0


def _run_folder(base: Path) -> Path:
    stamp = datetime.now().strftime("demo-%Y%m%d-%H%M%S")
    folder, n = base / stamp, 1
    while folder.exists():
        n += 1
        folder = base / f"{stamp}-{n}"
    return folder


def run(args: argparse.Namespace) -> int:
    """Workbook, validation, scores and a forced package for the seed (株洲市渌口区机关事务服务中心 2022)."""
    from macros.cmd_check import check_workbook
    from macros.cmd_export import describe
    from macros.cmd_new import write_master_workbook
    from macros.export import export_package
    from macros.presenter import findings_text, scores_text
    from xlfuncs.filing import embedded_seed

    filing = embedded_seed()
    folder = _run_folder(Path(args.output))
    folder.mkdir(parents=True)
    print(f"示例：{filing['unit']} {filing['year']} 年度绩效自评（内置样例，原样保留其填报错误）")
    workbook = folder / "绩效自评主表.xlsm"
    with tempfile.TemporaryDirectory(prefix="perfeval-demo-") as scratch:
        built = Path(scratch) / workbook.name
        write_master_workbook(filing, built, "desktop", len(filing["projects"]), args.profile or "default")
        # the workbook the demo leaves shows the validation it ran (status, marks, 校验结果), as 校验 would
        session, _ = check_workbook(built, workbook, args.profile)
    print(f"1. 主工作簿（已校验：问题单元格已标色，见“校验结果”工作表）：{workbook}")
    print()
    print(findings_text(session.findings, "2. 校验结果（主工作簿）"))
    print()
    print("3. 按规则重新计算的得分")
    print(scores_text(session.evaluation.scores, filing))
    print()
    result = export_package(workbook, folder, force=True, profile=args.profile, pdf=not args.no_pdf)
    print("4. 导出申报材料（有错误，按演示要求强制导出）")
    print(describe(result))
    print()
    print(f"全部输出在：{folder.resolve()}")
    return EXIT_OK


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``demo`` subcommand."""
    parser = sub.add_parser("demo", help="用内置样例（渌口区机关事务服务中心 2022）演示全流程：主工作簿、校验、导出")
    parser.add_argument("--profile", default="default", metavar="名称或文件",
                        help="规则配置名称或 .toml 文件路径（默认 default）")
    parser.add_argument("-o", "--output", default="out", metavar="文件夹", help="输出位置（默认 ./out）")
    parser.add_argument("--no-pdf", action="store_true", help="不转换 PDF（不需要 LibreOffice）")
    parser.set_defaults(handler=run)
