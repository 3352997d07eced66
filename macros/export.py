"""导出: the clean filing package of a master workbook or a filing JSON.

The package is a folder ``<单位>_<年度>_绩效自评材料`` and a zip of it beside it, holding
绩效自评表.xlsx (values only: 附件1 and 附件3-1…N), 附件2 and one 附件4-N report per project
(.docx), their PDFs when LibreOffice is present, 校验报告.txt and manifest.json.

Export refuses while the filing has errors unless forced; a forced package says so at the
top of its 校验报告 and in its manifest. Everything is built in a temporary folder inside
the output folder and renamed into place at the end; an existing package is never
overwritten and the source file is only read.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from copy import deepcopy
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from xlfuncs.fileio import write_atomic, zip_bytes
from xlfuncs.filing import is_year
from xlfuncs.findings import Finding, summarize
from xlfuncs.reports import ReportContent, profile_title, report_contents
from xlfuncs.scoring import TableScore
from xlfuncs.values import clean_text

from .docx_writer import write_docx
from .manifest import build_manifest, sha256_file, write_manifest
from .names import safe_name
from .pdf import PdfResult, convert_to_pdf
from .presenter import findings_text
from .report_content import document_spec
from .session import Session, open_session
from .xlsx_clean import audit, set_properties

PACKAGE_SUFFIX = "绩效自评材料"
XLSX_NAME = "绩效自评表.xlsx"
CHECK_REPORT_NAME = "校验报告.txt"
PROJECT_NAME_CHARS = 40
UNSCORED, UNDETERMINED, UNRATED = "无法评分", "无法确定", "无法计算"


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
    """``<单位>_<年度>_绩效自评材料``, safe as a folder name."""
    unit = safe_name(clean_text(filing.get("unit")) or clean_text((filing.get("department") or {}).get("name")),
                     fallback="未填单位", max_chars=60)
    year = safe_name(clean_text(filing.get("year")), fallback="未填年度", max_chars=10)
    return f"{unit}_{year}_{PACKAGE_SUFFIX}"


def table_sheets(filing: dict[str, Any]) -> list[str]:
    """The sheets of the package workbook: 附件1, 附件3-1 … 附件3-N."""
    return ["附件1", *(f"附件3-{i}" for i in range(1, len(filing.get("projects") or []) + 1))]


def report_file_name(content: ReportContent) -> str:
    """附件2 部门整体支出绩效自评报告.docx / 附件4-N <项目名> 项目支出绩效自评报告.docx (sanitised)."""
    if content.label == "附件2":
        return safe_name(content.file_stem) + ".docx"
    project = safe_name(content.figures.name, fallback="未命名项目", max_chars=PROJECT_NAME_CHARS)
    return safe_name(f"{content.label} {project} 项目支出绩效自评报告") + ".docx"


def _refusal(findings: list[Finding], path: Path) -> ExportRefused:
    errors = summarize(findings)["errors"]
    return ExportRefused(f"“{path}”仍有 {errors} 个错误，未导出；请改正后再导出，或加 --force 强制导出"
                         "（强制导出的材料会在校验报告和清单中注明）", findings)


def _row(container: dict[str, Any], key: str) -> dict[str, Any]:
    if not isinstance(container.get(key), dict):
        container[key] = {}
    return container[key]


def with_engine_results(filing: dict[str, Any], scores: list[TableScore]) -> dict[str, Any]:
    """A copy of ``filing`` whose result cells (执行率, 预算执行得分, 指标得分, 总分) hold the
    engine's values, so the package's tables show the recomputed figures the reports quote.

    Filed values stay everywhere else. What the rules cannot score is written as 无法评分
    (总分: 无法确定), never as a number.
    """
    copy = deepcopy(filing)
    tables = [copy["department"], *(copy.get("projects") or [])]
    for table, score in zip(tables, scores, strict=True):
        total_row = _row(_row(table, "funds"), "total")
        total_row["rate"] = score.budget.rate if score.budget.rate is not None else UNRATED
        total_row["score"] = score.budget.score if score.budget.score is not None else UNSCORED
        for row, result in zip(table.get("indicators") or [], score.indicators, strict=True):
            row["score"] = result.score if result.score is not None else UNSCORED
        _row(table, "total")["score"] = score.total if score.total is not None else UNDETERMINED
    return copy


def _write_values_workbook(filing: dict[str, Any], scores: list[TableScore], path: Path, profile: str,
                           title: str, unit: str) -> None:
    from workbook.builder import plan_workbook, write_plan  # the workbook stack loads only when exporting

    projects = len(filing.get("projects") or [])
    plan = plan_workbook(with_engine_results(filing, scores), projects=max(1, projects), profile=profile,
                         values_only=True)
    plan.forms = plan.forms[:1 + projects]  # the builder lays out at least one 附件3; a filing may have none
    write_atomic(path, write_plan(plan))
    set_properties(path, title, unit)
    problems = audit(path, table_sheets(filing))
    if problems:
        raise ExportFailed("生成的绩效自评表.xlsx 不符合报送要求：" + "；".join(problems))


def _check_report(findings: list[Finding], *, forced: bool, header: list[str], contents: list[ReportContent],
                  pdf: PdfResult | None, pdf_wanted: bool) -> str:
    counts = summarize(findings)
    lines = [f"强制导出：仍有 {counts['errors']} 个错误"] if forced else []
    lines += ["预算绩效自评 校验报告（导出时）", *header, ""]
    lines.append(findings_text(findings, "校验结果"))
    drafted = [(c.label, c.drafted_headings()) for c in contents if c.drafted]
    lines += ["", "【自评报告】"]
    if drafted:
        lines.append("以下章节没有填写正文，已按表格数据生成草稿，请核对：")
        lines += [f"  {label}：{'、'.join(headings)}" for label, headings in drafted]
    else:
        lines.append("各报告章节均为填报正文。")
    lines += ["", "【PDF】"]
    if not pdf_wanted:
        lines.append("本次导出未生成 PDF（按要求跳过）。")
    elif pdf is not None and pdf.ok:
        lines.append(f"已用 LibreOffice 生成 {len(pdf.converted)} 个 PDF。")
    else:
        lines.append(pdf.note if pdf is not None else "未生成 PDF。")
    return "\n".join(lines) + "\n"


def _zip_folder(folder: Path, target: Path, top: str, when: datetime) -> None:
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    entries = ((f"{top}/{path.relative_to(folder).as_posix()}", path.read_bytes()) for path in files)
    write_atomic(target, zip_bytes(entries, when=(when.year, when.month, when.day, when.hour, when.minute,
                                                   when.second)))


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


def _readable(folder: Path) -> None:
    """Files made through mkstemp are owner-only; a package is meant to be shared."""
    if os.name != "posix":
        return
    folder.chmod(0o755)
    for path in folder.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)


def _record(work: Path, *, name: str, source: Session, profile: str, findings: list[Finding], forced: bool,
            contents: list[ReportContent], pdf: PdfResult | None, pdf_wanted: bool, when: datetime) -> dict[str, Any]:
    """Write 校验报告.txt and manifest.json into ``work``; return the manifest."""
    filing, title = source.filing, profile_title(profile)
    unit, year = clean_text(filing.get("unit")), clean_text(filing.get("year"))
    source_record = {"name": source.path.name, "kind": "workbook" if source.is_workbook else "json",
                     "sha256": sha256_file(source.path), "size": source.path.stat().st_size}
    header = [f"填报单位：{unit}　年度：{year}",
              f"来源文件：{source.path.name}（SHA-256 {source_record['sha256']}）",
              f"规则配置：{profile}（{title}）",
              f"导出时间：{when.isoformat(timespec='seconds')}"]
    text = _check_report(findings, forced=forced, header=header, contents=contents, pdf=pdf, pdf_wanted=pdf_wanted)
    write_atomic(work / CHECK_REPORT_NAME, ("\ufeff" + text).encode("utf-8"))
    summary = summarize(findings)
    manifest = build_manifest(
        work, package=name, created=when.isoformat(timespec="seconds"), profile=profile, profile_title=title,
        unit=unit, year=filing.get("year") if is_year(filing.get("year")) else None, source=source_record, forced=forced, error_count=summary["errors"],
        summary=summary, pdf={"requested": pdf_wanted, "converted": [p.name for p in pdf.converted] if pdf else [],
                              "note": pdf.note if pdf else ""})
    write_manifest(work, manifest)
    return manifest


def export_package(source: str | Path, out_dir: str | Path = "out", *, force: bool = False,
                   profile: str | None = None, pdf: bool = True) -> ExportResult:
    """Build the filing package of ``source`` (filing JSON or master workbook) under ``out_dir``.

    Raises FilingError (unreadable source), ExportRefused (errors without ``force``, or the
    package exists) and ExportFailed (could not build; nothing left behind).
    """
    started = time.perf_counter()
    opened = open_session(source, profile)
    evaluation, findings, profile = opened.evaluation, opened.findings, opened.profile.spec
    errors = opened.errors
    if errors and not force:
        raise _refusal(findings, opened.path)
    filing = opened.filing
    name = package_name(filing)
    out = Path(out_dir)
    folder, zip_path = out / name, out / f"{name}.zip"
    for existing in (folder, zip_path):
        if existing.exists() or existing.is_symlink():
            raise ExportRefused(f"“{existing}”已存在，未覆盖；请先移走或改用其他输出文件夹（-o）")
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{name}.", suffix=".tmp", dir=out))
    zip_work = work.with_name(work.name + ".zip")
    when = datetime.now().astimezone()
    unit = clean_text(filing.get("unit"))
    pdf_result: PdfResult | None = None
    try:
        xlsx = work / XLSX_NAME
        _write_values_workbook(filing, evaluation.scores, xlsx, profile,
                               f"{unit}{clean_text(filing.get('year'))}年度绩效自评表", unit)
        contents = report_contents(filing, evaluation.scores, evaluation.profile)
        title = profile_title(profile)
        documents = [write_docx(document_spec(c, title), work / report_file_name(c)) for c in contents]
        if pdf:
            pdf_result = convert_to_pdf([xlsx, *documents], work)
        manifest = _record(work, name=name, source=opened, profile=profile, findings=findings,
                           forced=bool(force and errors), contents=contents, pdf=pdf_result, pdf_wanted=pdf,
                           when=when)
        _readable(work)
        _zip_folder(work, zip_work, name, when)
        _publish(work, folder, zip_work, zip_path)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        zip_work.unlink(missing_ok=True)
        raise
    pdf_seconds = pdf_result.seconds if pdf_result else 0.0
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    return ExportResult(folder, zip_path, manifest, findings, bool(force and errors), errors, files, pdf_result,
                        time.perf_counter() - started - pdf_seconds, pdf_seconds)
