"""``perfeval import FILE... [-o 填报.json | -o 主工作簿.xlsm|.xlsx]``: what units and bureaus really
have → one ``perfeval.filing/1`` filing, or the master workbook directly.

Reads every format the import readers read (Word, Excel .xlsx/.xlsm/.xls, web pages, PDF with a
text layer, table-grid JSON), an exported package (folder or zip), and the master workbook
itself (so a workbook can be saved back as JSON for next year), all through
:func:`macros.inputs.open_sources`, the way every other command opens files. Several files, or
one file with many tables, make one filing.

Prints what each table was recognised as and every cell that could not be placed; ``--explain``
prints where each value came from (also written as ``trace`` in the JSON). Without ``-o``
nothing is written. Exit 0 when everything was placed, 1 when the import left something
unplaced or unrecognised (the output is still written), 2 for bad input (nothing written).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from macros.cli import EXIT_FINDINGS, EXIT_INPUT, EXIT_OK

if TYPE_CHECKING:  # the recogniser loads only when the command runs (start-up: macros/cli.py)
    from macros.inputs import Source
    from xlfuncs.recognise import ImportResult

ORDER = 15
KIND_LABELS = {"department": "部门整体支出绩效自评表", "project": "项目支出绩效自评表",
               "unknown": "无法识别，未导入", "extra": "多余的部门整体表，未导入",
               "figures": "报告中的表格（导出时按自评表生成，不是正文）", "report": "报告中的表格，内容未导入（报告只导入文字）"}
JSON_SUFFIX, WORKBOOK_SUFFIXES = ".json", (".xlsx", ".xlsm")


def _fail(message: str) -> int:
    print(f"perfeval：{message}", file=sys.stderr)
    return EXIT_INPUT


def _origin(origin: dict[str, Any]) -> str:
    if origin.get("paragraph"):
        return f"{origin.get('file')} 第{origin['paragraph']}段"
    if origin.get("meta"):
        return f"{origin.get('file')} 表{origin.get('table')} 的说明字段 {origin['meta']}"
    if origin.get("cell"):
        return f"{origin.get('file')} {origin.get('sheet')}!{origin['cell']}"
    sheet = f" {origin['sheet']}" if origin.get("sheet") else ""
    return f"{origin.get('file')}{sheet} 表{origin.get('table')} 第{origin.get('row')}行第{origin.get('col')}列"


def _label(pointer: str | None) -> str:
    if pointer == "/department" or (pointer or "").startswith("/department_report"):
        return "附件1" if pointer == "/department" else "附件2"
    if pointer and pointer.startswith("/projects/"):
        number = int(pointer.split("/")[2]) + 1
        return f"附件4-{number}" if pointer.endswith("/report/text") else f"附件3-{number}"
    return "—"


def _frame(filing: dict[str, Any]) -> str:
    return (f"填报单位：{filing.get('unit') or '（未识别）'}；年度：{filing.get('year') or '（未识别）'}；"
            f"金额单位：{filing.get('money_unit') or '万元'}"
            + (f"；规则配置：{filing['profile']}" if filing.get("profile") else ""))


def recognition_text(result: ImportResult, notes: list[str] | None = None) -> str:
    """What each table was recognised as, the filing's frame, and every unplaced cell."""
    from xlfuncs.findings import SEVERITY_LABELS
    from xlfuncs.recognise.families import TITLES
    from xlfuncs.values import display_text

    filing = result.filing
    lines = list(notes or [])
    lines.append(_frame(filing))
    if filing["department"].get("filed") is False:
        lines.append("只有项目支出绩效自评表（没有附件1）")
    for table in result.tables:
        joined = f"（续表 {', '.join(f'表{n}' for n in table.joined)}）" if table.joined else ""
        cut = "；来源表格不完整" if not table.complete else ""
        sheet = f" {table.sheet}" if table.sheet else ""
        family = "" if table.family == "report" else f"，表式 {table.family}（{TITLES.get(table.family, '')}）"
        lines.append(f"{table.file}{sheet} 表{table.table}{joined}：{_label(table.pointer)} "
                     f"{KIND_LABELS.get(table.kind, table.kind)}{family}{cut}")
    reports = [p for p in result.filing["trace"] if p.endswith("/text")]
    for pointer in reports:
        lines.append(f"{_origin(result.filing['trace'][pointer])}：{_label(pointer)} 自评报告")
    unplaced = result.unplaced
    lines.append(f"无法归位的单元格：{len(unplaced)} 个" if unplaced else "所有单元格均已归位。")
    for entry in unplaced:
        lines.append(f"  {_origin(entry)}：“{display_text(entry.get('text'))[:60]}”（{entry.get('why')}）")
    for finding in result.findings:
        if finding.rule != "I1":
            lines.append(f"[{SEVERITY_LABELS.get(finding.severity, finding.severity)} {finding.rule}] {finding.message}")
    return "\n".join(lines)


def report_recognition(source: Source) -> list:
    """Print what the documents were recognised as (and every cell not placed); return the
    import's warnings and errors, which make the command end with exit code 1."""
    from xlfuncs.findings import ERROR, WARNING

    print(recognition_text(source.imported, source.notes))
    return [f for f in source.imported.findings if f.severity in (ERROR, WARNING)]


def workbook_text(source: Source) -> str:
    """What a master workbook holds (it is read by its own reader, cell by cell)."""
    filing = source.filing
    projects = len(filing.get("projects") or [])
    department = "附件1、" if (filing.get("department") or {}).get("filed") is not False else ""
    return "\n".join([f"主工作簿“{source.path.name}”：{department}{projects} 张项目表（附件3-1…附件3-{projects}）"
                      if projects else f"主工作簿“{source.path.name}”：只有附件1", _frame(filing)])


def explain_text(filing: dict[str, Any]) -> str:
    """Every value with the cell it was read from."""
    from xlfuncs.filing import resolve_pointer
    from xlfuncs.values import display_text

    lines = ["值的来源："]
    for pointer, origin in (filing.get("trace") or {}).items():
        value = resolve_pointer(filing, pointer)
        shown = "（空）" if value in (None, "") else f"“{display_text(value)[:40]}”"
        lines.append(f"  {pointer} = {shown} ← {_origin(origin)}")
    return "\n".join(lines)


def workbook_trace(filing: dict[str, Any], locate: Any, file: str) -> dict[str, dict[str, str]]:
    """``trace`` of a filing read from the master workbook: every value's sheet and cell."""
    from macros.package_tables import flatten

    trace = {}
    for pointer in flatten(filing):
        where = locate(pointer)
        if where:
            trace[pointer] = {"file": file, "sheet": where[0], "cell": where[1]}
    return trace


def _check_output(output: Path | None, inputs: list[Path], force: bool) -> str | None:
    """Why the output cannot be written (a Chinese line), or None."""
    if output is None:
        return None
    if output.suffix.lower() not in (JSON_SUFFIX, *WORKBOOK_SUFFIXES):
        return f"输出文件“{output.name}”应以 .json（填报 JSON）、.xlsm（桌面版主工作簿）或 .xlsx（普通主工作簿）结尾"
    if any(p.resolve() == output.resolve() for p in inputs):
        return f"输出文件“{output}”与输入相同，请换一个文件名"
    if output.is_dir():
        return f"“{output}”是文件夹，请给出 .json、.xlsx 或 .xlsm 文件名"
    if output.exists() and not force:
        return f"“{output}”已存在，未覆盖；要覆盖请加 --force"
    return None


def _write(source: Source, output: Path) -> None:
    from xlfuncs.filing import FilingError, save_filing
    from xlfuncs.limits import MAX_PROJECTS

    filing = source.filing
    if output.suffix.lower() == JSON_SUFFIX:
        save_filing(filing, output)
        return
    from macros.cmd_new import source_profile, write_master_workbook

    projects = len(filing.get("projects") or [])
    if projects > MAX_PROJECTS:
        raise FilingError(f"导入的填报有 {projects} 张项目表，超过主工作簿的上限 {MAX_PROJECTS} 张；请改为导出 .json")
    runtime = "desktop" if output.suffix.lower() == ".xlsm" else "plain"
    profile = source_profile(source)
    write_master_workbook(filing, output, runtime, max(1, projects), profile)


def run(args: argparse.Namespace) -> int:
    """Read the files, write the filing (or workbook), print what was recognised."""
    from macros.inputs import FILING, WORKBOOK, open_sources

    output = Path(args.output) if args.output else None
    inputs = [Path(p) for p in args.paths]
    refusal = _check_output(output, inputs, args.force)
    if refusal:
        return _fail(refusal)
    source = open_sources(inputs)
    if source.kind == FILING and (output is None or output.suffix.lower() == JSON_SUFFIX):
        return _fail(f"“{source.path.name}”已是 perfeval.filing/1 填报文件，不需要导入；可直接 perfeval validate，"
                     "或用 -o 主工作簿.xlsm 生成主工作簿")
    if source.kind == WORKBOOK:
        source.filing["trace"] = workbook_trace(source.filing, source.locate, source.path.name)
        print(workbook_text(source))
        problems = []
    elif source.kind == FILING:  # only to a workbook: the filing as it is
        print(f"填报 JSON“{source.path.name}”：{_frame(source.filing)}")
        problems = []
    else:
        problems = report_recognition(source)
    if args.explain:
        print(explain_text(source.filing))
    if output is None:
        print("未写出文件（用 -o 指定 .json 或 .xlsm/.xlsx 输出文件）")
    else:
        _write(source, output)
        print(f"已写入 {output}")
    return EXIT_FINDINGS if problems else EXIT_OK


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``import`` subcommand."""
    parser = sub.add_parser("import", help="读取 Word、Excel、网页、PDF、材料包或主工作簿，识别为填报 JSON 或主工作簿")
    parser.add_argument("paths", nargs="+", metavar="文件",
                        help="Word（.docx）、Excel（.xlsx/.xlsm/.xls）、网页（.html）、有文字层的 PDF、表格网格 JSON、"
                             "导出的材料包（文件夹或 .zip）或主工作簿；几个文件合成一份填报")
    parser.add_argument("-o", "--output", metavar="输出文件",
                        help="写出的填报 JSON（.json），或直接生成主工作簿（.xlsm 桌面版 / .xlsx 普通版）；不写时只显示识别结果")
    parser.add_argument("--force", action="store_true", help="输出文件已存在时覆盖")
    parser.add_argument("--explain", action="store_true", help="逐项列出每个值读自哪个文件、表、行、列（或工作表单元格）")
    parser.set_defaults(handler=run)
