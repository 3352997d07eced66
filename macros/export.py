"""导出: the filing package of a master workbook or a filing JSON — the unit's own filing.

The package is a folder ``<单位>_<年度>_绩效自评材料`` and a zip of it beside it, holding
绩效自评表.xlsx (values only: 附件1 and 附件3-1…N), 附件2 and one 附件4-N report per project
(.docx), their PDFs when LibreOffice is present, 校验报告.txt and manifest.json. A filing
without a 附件1 (project-only) gets only its 附件3 tables and 附件4 reports.

The tables and reports carry what the unit filed (from a workbook: what its cells show), all
written from one set of values (:mod:`xlfuncs.official`); a difference from the rules is a
finding in the 校验报告, never a change. Export refuses while errors remain (X1 included: a
cell the forms need left blank) unless forced; a forced package says so in its 校验报告 and
manifest only — the official files carry no tool text.

Everything is built in a hidden work folder inside the output folder (named with this
process's id, so a later run can remove it if this one is killed), zipped, the zip synced to
disk once, and both renamed into place at the end; an existing package is never overwritten
and the source file is only read.
"""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from xlfuncs.fileio import sync_folder, write_synced, zip_bytes
from xlfuncs.filing import department_filed, is_year
from xlfuncs.findings import Finding, sort_findings, summarize
from xlfuncs.values import clean_text

from .manifest import MANIFEST_NAME, build_manifest, manifest_bytes, sha256_file
from .names import safe_name
from .oserrors import describe_os_error
from .package_checks import package_findings
from .package_tables import table_sheets
from .pdf import PdfResult, convert_to_pdf
from .presenter import findings_text
from .session import Session, open_session, place
from .tempfiles import clean_stale_work, make_work_folder

PACKAGE_SUFFIX = "绩效自评材料"
XLSX_NAME = "绩效自评表.xlsx"
CHECK_REPORT_NAME = "校验报告.txt"
UNIT_CHARS, UNIT_BYTES = 60, 150
STORED = (".xlsx", ".docx", ".pdf")
PROJECT_CHARS, PROJECT_BYTES = 40, 120


class ExportRefused(Exception):
    """Export did not start: errors remain (without force) or the package already exists."""

    def __init__(self, message: str, findings: list[Finding] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.findings = findings or []


class ExportFailed(Exception):
    """A package could not be built; nothing was left in the output folder."""


@dataclass
class ExportResult:
    """Where the package is and what went into it."""

    folder: Path
    zip_path: Path
    manifest: dict[str, Any]
    findings: list[Finding]
    forced: bool
    errors: int
    files: list[Path] = field(default_factory=list)
    pdf: PdfResult | None = None
    build_seconds: float = 0.0  # everything but the PDF conversion
    pdf_seconds: float = 0.0


def package_name(filing: dict[str, Any]) -> str:
    """``<单位>_<年度>_绩效自评材料``, safe as a folder name (cut by characters and bytes)."""
    department = filing.get("department") if isinstance(filing.get("department"), dict) else {}
    unit = safe_name(clean_text(filing.get("unit")) or clean_text(department.get("name")),
                     fallback="未填单位", max_chars=UNIT_CHARS, max_bytes=UNIT_BYTES)
    year = safe_name(clean_text(filing.get("year")), fallback="未填年度", max_chars=10, max_bytes=20)
    return f"{unit}_{year}_{PACKAGE_SUFFIX}"


def report_file_name(content: Any) -> str:
    """附件2 部门整体支出绩效自评报告.docx / 附件4-N <项目名> 项目支出绩效自评报告.docx (sanitised)."""
    if content.label == "附件2":
        return safe_name(content.file_stem) + ".docx"
    project = safe_name(content.figures.name, fallback="未命名项目", max_chars=PROJECT_CHARS,
                        max_bytes=PROJECT_BYTES)
    return safe_name(f"{content.label} {project} 项目支出绩效自评报告") + ".docx"


def _refusal(findings: list[Finding], path: Path) -> ExportRefused:
    errors = summarize(findings)["errors"]
    return ExportRefused(f"“{path}”仍有 {errors} 个错误，未导出；请改正后再导出，或加 --force 强制导出"
                         "（强制导出的材料会在校验报告和清单中注明）", findings)


def _report_lines(contents: list[Any]) -> list[str]:
    lines = ["", "【自评报告】"]
    drafted = [(c.label, c.drafted_headings()) for c in contents if c.drafted]
    empty = [(c.label, c.empty_headings()) for c in contents if c.empty_headings()]
    if drafted:
        lines.append("以下章节填报中没有正文，已只用表中填报的数字和文字起草，请核对、修改或删除：")
        lines += [f"  {label}：{'、'.join(headings)}" for label, headings in drafted]
    if empty:
        lines.append("以下章节没有正文（填报中没有，表中也没有可据以起草的内容），请补写：")
        lines += [f"  {label}：{'、'.join(headings)}" for label, headings in empty]
    if not drafted and not empty:
        lines.append("各报告章节均为填报正文。")
    return lines


def _check_report(findings: list[Finding], *, forced: bool, header: list[str], contents: list[Any],
                  pdf: PdfResult | None, pdf_wanted: bool) -> str:
    counts = summarize(findings)
    lines = [f"强制导出：仍有 {counts['errors']} 个错误"] if forced else []
    lines += ["预算绩效自评 校验报告（导出时）", *header, "",
              "申报材料中的表格和报告是单位填报的内容（来自主工作簿时为各单元格显示的值），未按规则改动；"
              "与规则不一致之处列在下面。", ""]
    lines.append(findings_text(findings, "校验结果"))
    lines += _report_lines(contents)
    lines += ["", "【PDF】"]
    if not pdf_wanted:
        lines.append("本次导出未生成 PDF（按要求跳过）。")
    elif pdf is not None and pdf.ok:
        lines.append(f"已用 LibreOffice 生成 {len(pdf.converted)} 个 PDF。")
    else:
        lines.append(pdf.note if pdf is not None else "未生成 PDF。")
    return "\n".join(lines) + "\n"


def _zip_folder(folder: Path, target: Path, top: str, when: datetime) -> None:
    """The zip of the package, synced to disk: the one fsync of an export."""
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    entries = ((f"{top}/{path.relative_to(folder).as_posix()}", path.read_bytes()) for path in files)
    # .xlsx/.docx are zip packages and PDFs compressed streams: deflating them again gains nothing
    data = zip_bytes(entries, when=(when.year, when.month, when.day, when.hour, when.minute, when.second),
                     stored=lambda name: Path(name).suffix in STORED)
    write_synced(target, data)


def _publish(work: Path, folder: Path, zip_work: Path, zip_path: Path) -> None:
    """Move the finished folder and zip into place without replacing anything."""
    if folder.exists() or folder.is_symlink():
        raise ExportRefused(f"“{folder}”已存在，未覆盖；请先移走或改用其他输出文件夹（-o）")
    os.rename(work, folder)
    try:
        try:
            os.link(zip_work, zip_path)  # fails if zip_path exists: never overwrites
            zip_work.unlink()
        except FileExistsError:
            raise ExportRefused(f"“{zip_path}”已存在，未覆盖") from None
        except OSError:  # no hard links here (FAT, some shares): check, then rename
            if zip_path.exists():
                raise ExportRefused(f"“{zip_path}”已存在，未覆盖") from None
            os.rename(zip_work, zip_path)
    except BaseException:
        os.rename(folder, work)  # take the folder back so the caller can clean up
        raise
    sync_folder(folder.parent)


def _readable(folder: Path) -> None:
    """Files made through mkdtemp are owner-only; a package is meant to be shared."""
    if os.name != "posix":
        return
    folder.chmod(0o755)
    for path in folder.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)


def _report_records(contents: list[Any]) -> list[dict[str, Any]]:
    """What the manifest says of each report: its file, where its text lives in the filing, whether
    the filing had a text, and which sections perfeval drafted (an import of the package leaves
    them out, so the package reads back to the filing it was made from)."""
    return [{"label": c.label, "file": report_file_name(c), "pointer": c.pointer, "filed": c.filed,
             "drafted": list(c.drafted)} for c in contents]


def _record(work: Path, *, name: str, source: Session, findings: list[Finding], forced: bool,
            contents: list[Any], pdf: PdfResult | None, pdf_wanted: bool, when: datetime) -> dict[str, Any]:
    """Write 校验报告.txt and manifest.json into ``work``; return the manifest."""
    filing, profile = source.filing, source.profile
    unit, year = clean_text(filing.get("unit")), clean_text(filing.get("year"))
    hashed = source.path / MANIFEST_NAME if source.path.is_dir() else source.path  # a package folder: its manifest
    source_record = {"name": source.path.name, "kind": source.kind,
                     "sha256": sha256_file(hashed), "size": hashed.stat().st_size}
    header = [f"填报单位：{unit}　年度：{year}",
              f"来源文件：{source.path.name}（SHA-256 {source_record['sha256']}）",
              f"规则配置：{profile.name}（{profile.title}）",
              f"导出时间：{when.isoformat(timespec='seconds')}"]
    text = _check_report(findings, forced=forced, header=header, contents=contents, pdf=pdf, pdf_wanted=pdf_wanted)
    (work / CHECK_REPORT_NAME).write_bytes(("\ufeff" + text).encode("utf-8"))  # scratch: the work folder is published whole
    summary = summarize(findings)
    manifest = build_manifest(
        work, package=name, created=when.isoformat(timespec="seconds"), profile=profile.name,
        profile_title=profile.title, unit=unit, year=filing.get("year") if is_year(filing.get("year")) else None, source=source_record,
        forced=forced, error_count=summary["errors"], summary=summary,
        tables=table_sheets(filing), tables_file=XLSX_NAME, reports=_report_records(contents),
        pdf={"requested": pdf_wanted, "converted": [p.name for p in pdf.converted] if pdf else [],
             "note": pdf.note if pdf else ""})
    (work / MANIFEST_NAME).write_bytes(manifest_bytes(manifest))  # scratch: published with the work folder
    return manifest


def _output_folder(out: Path) -> None:
    """Create the output folder, or say in Chinese why it cannot be used."""
    if out.exists() and not out.is_dir():
        raise ExportFailed(f"输出位置“{out}”是一个文件，不是文件夹；请用 -o 指定文件夹")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportFailed(describe_os_error(exc, "创建输出文件夹")) from None
    if not os.access(out, os.W_OK | os.X_OK):
        raise ExportFailed(f"输出文件夹“{out}”不可写入（只读或没有权限）；请用 -o 指定其他文件夹")


def _build(work: Path, opened: Session, pdf: bool) -> tuple[list[Any], PdfResult | None]:
    """The tables, the reports and (when asked) their PDFs, written into ``work``."""
    from xlfuncs.reports import report_contents

    from .docx_writer import render_docx
    from .package_tables import TablesFailed, tables_bytes
    from .report_content import document_spec

    filing = opened.filing
    unit = clean_text(filing.get("unit"))
    try:
        tables = tables_bytes(filing, opened.profile.spec, f"{unit}{clean_text(filing.get('year'))}年度绩效自评表", unit)
    except TablesFailed as exc:
        raise ExportFailed(str(exc)) from None
    xlsx = work / XLSX_NAME
    xlsx.write_bytes(tables)  # scratch: the work folder is published whole
    contents = report_contents(filing, opened.profile)
    documents = []
    for content in contents:
        path = work / report_file_name(content)
        path.write_bytes(render_docx(document_spec(content)))  # scratch: published with the work folder
        documents.append(path)
    return contents, (convert_to_pdf([xlsx, *documents], work) if pdf else None)


def export_package(source: str | Path, out_dir: str | Path = "out", *, force: bool = False,
                   profile: str | None = None, pdf: bool = True) -> ExportResult:
    """Build the filing package of ``source`` (filing JSON or master workbook) under ``out_dir``.

    Raises FilingError (unreadable source), ExportRefused (errors without ``force``, nothing to
    export, or the package exists) and ExportFailed (could not build; nothing left behind).
    """
    started = time.perf_counter()
    opened = open_session(source, profile)
    filing = opened.filing
    findings = sort_findings([*opened.findings, *place(package_findings(filing), opened.locate)])
    errors = summarize(findings)["errors"]
    if errors and not force:
        raise _refusal(findings, opened.path)
    if not department_filed(filing) and not filing.get("projects"):
        raise ExportRefused(f"“{opened.path}”既没有附件1，也没有项目（附件3），没有可导出的表格")
    name = package_name(filing)
    out = Path(out_dir)
    folder, zip_path = out / name, out / f"{name}.zip"
    for existing in (folder, zip_path):
        if existing.exists() or existing.is_symlink():
            raise ExportRefused(f"“{existing}”已存在，未覆盖；请先移走或改用其他输出文件夹（-o）")
    _output_folder(out)
    clean_stale_work(out)
    try:
        work = make_work_folder(out, name)
    except OSError as exc:
        raise ExportFailed(describe_os_error(exc, "在输出文件夹中建立临时文件夹")) from None
    zip_work = work.with_name(work.name + ".zip")
    when = datetime.now().astimezone()
    forced = bool(force and errors)
    try:
        contents, pdf_result = _build(work, opened, pdf)
        manifest = _record(work, name=name, source=opened, findings=findings, forced=forced,
                           contents=contents, pdf=pdf_result, pdf_wanted=pdf, when=when)
        _readable(work)
        _zip_folder(work, zip_work, name, when)
        _publish(work, folder, zip_work, zip_path)
    except BaseException as exc:
        shutil.rmtree(work, ignore_errors=True)
        zip_work.unlink(missing_ok=True)
        if isinstance(exc, OSError) and not isinstance(exc, BrokenPipeError):
            raise ExportFailed(describe_os_error(exc, "写入申报材料")) from None  # every door says it in Chinese
        raise
    pdf_seconds = pdf_result.seconds if pdf_result else 0.0
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    return ExportResult(folder, zip_path, manifest, findings, forced, errors, files, pdf_result,
                        time.perf_counter() - started - pdf_seconds, pdf_seconds)
