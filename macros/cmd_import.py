"""``perfeval import TABLE.grid.json [...] -o filing.json``: published tables (grid JSON in the corpus
format) → one ``perfeval.filing/1`` filing, through the core recogniser (:mod:`xlfuncs.recognise`).

Prints what each table was recognised as and every cell that could not be placed; ``--explain``
prints where each value came from. Exit 0 when everything was placed, 1 when the import left
something unplaced or unrecognised (the file is still written), 2 for bad input (nothing written).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from macros.cli import EXIT_FINDINGS, EXIT_INPUT, EXIT_OK

if TYPE_CHECKING:  # the recogniser loads only when the command runs (start-up: macros/cli.py)
    from xlfuncs.recognise import ImportResult

ORDER = 15
KIND_LABELS = {"department": "部门整体支出绩效自评表", "project": "项目支出绩效自评表",
               "unknown": "无法识别，未导入", "extra": "多余的部门整体表，未导入"}


def _fail(message: str) -> int:
    print(f"perfeval：{message}", file=sys.stderr)
    return EXIT_INPUT


def _origin(origin: dict[str, Any]) -> str:
    if origin.get("paragraph"):
        return f"{origin.get('file')} 第{origin['paragraph']}段"
    if origin.get("meta"):
        return f"{origin.get('file')} 表{origin.get('table')} 的说明字段 {origin['meta']}"
    sheet = f" {origin['sheet']}" if origin.get("sheet") else ""
    return f"{origin.get('file')}{sheet} 表{origin.get('table')} 第{origin.get('row')}行第{origin.get('col')}列"


def _label(pointer: str | None) -> str:
    if pointer == "/department":
        return "附件1"
    if pointer and pointer.startswith("/projects/"):
        return f"附件3-{int(pointer.split('/')[2]) + 1}"
    return "—"


def recognition_text(result: ImportResult) -> str:
    """What each table was recognised as, the filing's frame, and every unplaced cell."""
    from xlfuncs.findings import SEVERITY_LABELS
    from xlfuncs.recognise.families import TITLES
    from xlfuncs.values import display_text

    filing = result.filing
    lines = [f"填报单位：{filing.get('unit') or '（未识别）'}；年度：{filing.get('year') or '（未识别）'}；"
             f"金额单位：{filing.get('money_unit')}" + (f"；表上印有规则：{filing['profile']}" if filing.get("profile") else "")]
    if filing["department"].get("filed") is False:
        lines.append("只有项目支出绩效自评表（没有附件1）")
    for table in result.tables:
        joined = f"（续表 {', '.join(f'表{n}' for n in table.joined)}）" if table.joined else ""
        cut = "；来源表格不完整" if not table.complete else ""
        lines.append(f"{table.file} 表{table.table}{joined}：{_label(table.pointer)} {KIND_LABELS.get(table.kind, table.kind)}"
                     f"，表式 {table.family}（{TITLES.get(table.family, '')}）{cut}")
    unplaced = result.unplaced
    lines.append(f"无法归位的单元格：{len(unplaced)} 个" if unplaced else "所有单元格均已归位。")
    for entry in unplaced:
        lines.append(f"  {_origin(entry)}：“{display_text(entry.get('text'))[:60]}”（{entry.get('why')}）")
    for finding in result.findings:
        if finding.rule != "I1":
            lines.append(f"[{SEVERITY_LABELS.get(finding.severity, finding.severity)} {finding.rule}] {finding.message}")
    return "\n".join(lines)


def explain_text(result: ImportResult) -> str:
    """Every value with the cell it was read from."""
    from xlfuncs.values import display_text

    lines = ["值的来源："]
    for pointer, value, origin in result.explain():
        shown = "（空）" if value in (None, "") else f"“{display_text(value)[:40]}”"
        lines.append(f"  {pointer} = {shown} ← {_origin(origin)}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    """Import the grids, write the filing, print what was recognised."""
    from xlfuncs.filing import save_filing
    from xlfuncs.findings import ERROR, WARNING
    from xlfuncs.recognise import GridError, RecogniseError, load_grid_json, recognise_documents

    output = Path(args.output)
    inputs = [Path(p) for p in args.paths]
    if any(p.resolve() == output.resolve() for p in inputs):
        return _fail(f"输出文件“{output}”与输入相同，请换一个文件名")
    if output.exists() and not args.force:
        return _fail(f"“{output}”已存在，未覆盖；要覆盖请加 --force")
    if output.is_dir():
        return _fail(f"“{output}”是文件夹，请给出 .json 文件名")
    try:
        documents = [load_grid_json(path, str(path)) for path in inputs]
        result = recognise_documents(documents)
    except (GridError, RecogniseError) as exc:
        return _fail(str(exc))
    save_filing(result.filing, output)
    print(recognition_text(result))
    if args.explain:
        print(explain_text(result))
    print(f"已写入 {output}")
    problems = [f for f in result.findings if f.severity in (ERROR, WARNING)]
    return EXIT_FINDINGS if problems else EXIT_OK


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``import`` subcommand."""
    parser = sub.add_parser("import", help="从已公开的表格（网格 JSON）识别并生成填报 JSON")
    parser.add_argument("paths", nargs="+", metavar="表格.grid.json", help="网格 JSON（语料格式：一张表或表的数组）")
    parser.add_argument("-o", "--output", required=True, metavar="填报.json", help="写出的填报 JSON")
    parser.add_argument("--force", action="store_true", help="输出文件已存在时覆盖")
    parser.add_argument("--explain", action="store_true", help="逐项列出每个值读自哪个文件、表、行、列")
    parser.set_defaults(handler=run)
