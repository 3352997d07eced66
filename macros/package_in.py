"""Reading an exported filing package back (a ``…_绩效自评材料`` folder or its zip): which of its
files to import, and what its manifest says about them.

The package's 绩效自评表.xlsx holds 附件1 and 附件3-N; each report .docx holds 附件2 or 附件4-N.
The PDFs repeat them and 校验报告.txt is perfeval's own, so neither is read. The manifest
(``perfeval.package/1``) tells which files belong together, and for each report the sections
perfeval drafted (the filing had no text there) and that its tables were drawn from the forms;
an import leaves those out, so a package reads back to the filing it was made from. A file whose
SHA-256 no longer matches the manifest was changed after export: it is read as it is, and the
manifest is not trusted for it. Everything from the package is untrusted: member names are
reduced to their last part, sizes are bounded before anything is unpacked.
"""

from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xlfuncs.filing import FilingError, resolve_pointer
from xlfuncs.outlines import OUTLINES, join_sections, split_report

from .manifest import MANIFEST_FORMAT, MANIFEST_NAME, sha256_file

TABLES_NAME = "绩效自评表.xlsx"  # what older manifests (without ``tables_file``) hold the tables in
MAX_MANIFEST_BYTES = 1 << 20
READ_SUFFIXES = (".xlsx", ".docx")


@dataclass
class PackageFiles:
    """The files of a package to import, in order (tables first), and what the manifest says."""

    name: str  # the package as messages name it
    files: list[Path]
    reports: dict[str, dict[str, Any]] = field(default_factory=dict)  # file name → manifest record (hash checked)
    profile: str | None = None
    notes: list[str] = field(default_factory=list)


def _manifest(raw: bytes, where: str) -> dict[str, Any]:
    if len(raw) > MAX_MANIFEST_BYTES:
        raise FilingError(f"{where}的 {MANIFEST_NAME} 过大，不是 perfeval 导出的材料包清单")
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise FilingError(f"{where}的 {MANIFEST_NAME} 不是有效的 JSON，无法按材料包读取") from None
    if not isinstance(data, dict) or data.get("format") != MANIFEST_FORMAT:
        raise FilingError(f"{where}的 {MANIFEST_NAME} 不是 perfeval 材料包清单（format 应为 {MANIFEST_FORMAT}）")
    return data


def read_manifest(path: Path) -> dict[str, Any]:
    """The manifest of a package folder or zip; FilingError (Chinese) when there is none to read."""
    where = f"“{path.name}”"
    try:
        if path.is_dir():
            return _manifest((path / MANIFEST_NAME).read_bytes()[:MAX_MANIFEST_BYTES + 1], where)
        with zipfile.ZipFile(path) as archive:
            name = _manifest_member(archive.namelist())
            if name is None:
                raise FilingError(f"{where}中没有 {MANIFEST_NAME}")
            with archive.open(name) as member:
                return _manifest(member.read(MAX_MANIFEST_BYTES + 1), where)
    except (OSError, zipfile.BadZipFile, RuntimeError, NotImplementedError):
        raise FilingError(f"无法读取{where}的 {MANIFEST_NAME}") from None


def is_package_zip(path: Path) -> bool:
    """True for a zip holding a package manifest at its top or one folder down (an exported package's zip)."""
    try:
        with zipfile.ZipFile(path) as archive:
            return _manifest_member(archive.namelist()) is not None
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError):
        return False


def _depth_ok(name: str) -> bool:
    return name.count("/") <= 1 and not name.endswith("/")


def _manifest_member(names: list[str]) -> str | None:
    """The package manifest among a zip's members: at its top or one folder down."""
    return next((n for n in names if _depth_ok(n) and n.rsplit("/", 1)[-1] == MANIFEST_NAME), None)


def _wanted(manifest: dict[str, Any]) -> list[str]:
    """File names to read, tables first; from the manifest's records, else every .xlsx/.docx it lists."""
    files = [entry.get("path") for entry in manifest.get("files") or [] if isinstance(entry, dict)]
    listed = [name for name in files if isinstance(name, str)]
    tables = manifest.get("tables_file") if isinstance(manifest.get("tables_file"), str) else TABLES_NAME
    reports = [r.get("file") for r in manifest.get("reports") or [] if isinstance(r, dict) and isinstance(r.get("file"), str)]
    if not reports:
        reports = sorted(n for n in listed if n.lower().endswith(".docx"))
    names = ([tables] if tables in listed else sorted(n for n in listed if n.lower().endswith(".xlsx"))) + reports
    return [n for n in dict.fromkeys(names) if "/" not in n and "\\" not in n and n.lower().endswith(READ_SUFFIXES)]


def _hashes(manifest: dict[str, Any]) -> dict[str, str]:
    return {e["path"]: e.get("sha256") for e in manifest.get("files") or [] if isinstance(e, dict) and "path" in e}


def _finish(name: str, folder: Path, manifest: dict[str, Any]) -> PackageFiles:
    """The files present in ``folder`` that the manifest names, checked against its hashes."""
    hashes = _hashes(manifest)
    records = {r["file"]: r for r in manifest.get("reports") or [] if isinstance(r, dict) and isinstance(r.get("file"), str)}
    package = PackageFiles(name, [], profile=manifest.get("profile") if isinstance(manifest.get("profile"), str) else None)
    for file_name in _wanted(manifest):
        path = folder / file_name
        if not path.is_file():
            package.notes.append(f"材料包清单列出的“{file_name}”不在包中，未读取")
            continue
        package.files.append(path)
        if hashes.get(file_name) != sha256_file(path):
            package.notes.append(f"“{file_name}”与材料包清单的记录不符（导出后被改动过），按文件本身读取")
        elif file_name in records:
            package.reports[file_name] = records[file_name]
    if not package.files:
        raise FilingError(f"“{name}”是材料包，但其中没有绩效自评表.xlsx 或报告 .docx 可以导入")
    return package


def package_folder_files(folder: Path) -> PackageFiles:
    """The files of an exported package folder."""
    raw = (folder / MANIFEST_NAME).read_bytes()[:MAX_MANIFEST_BYTES + 1]
    return _finish(folder.name, folder, _manifest(raw, f"“{folder.name}”"))


def package_zip_files(path: Path, scratch: Path) -> PackageFiles:
    """The files of an exported package's zip, unpacked into the temporary folder ``scratch`` (sizes checked first)."""
    from workbook.documents.limits import check_file_size, check_zip

    check_file_size(path)
    where = f"“{path.name}”"
    try:
        with zipfile.ZipFile(path) as archive:
            check_zip(path, archive)
            members = {name.rsplit("/", 1)[-1]: name for name in archive.namelist() if _depth_ok(name)}
            manifest = _manifest(archive.read(members[MANIFEST_NAME])[:MAX_MANIFEST_BYTES + 1], where)
            for file_name in _wanted(manifest):
                if file_name in members:
                    (scratch / file_name).write_bytes(archive.read(members[file_name]))
    except zipfile.BadZipFile:
        raise FilingError(f"{where}已损坏（压缩包结构不完整），无法打开") from None
    except (RuntimeError, NotImplementedError, zipfile.LargeZipFile):
        raise FilingError(f"{where}无法解压（可能已加密或损坏）") from None
    return _finish(path.name, scratch, manifest)


def mark_figures(documents: list[Any], package: PackageFiles) -> None:
    """Mark the tables of the package's reports as drawn from the forms (the manifest says so)."""
    for document in documents:
        if document.source in package.reports:
            for table in document.tables:
                table.meta["figures"] = True


def apply_manifest(filing: dict[str, Any], package: PackageFiles) -> list[str]:
    """Leave out what perfeval wrote into the reports (drafted sections, a report the filing did not
    have) and take the package's rule profile; return a Chinese line per change."""
    said = []
    trace = filing.get("trace") or {}
    for file_name, record in package.reports.items():
        pointer = next((p for p, origin in trace.items() if p.endswith("/text") and origin.get("file") == file_name), None)
        if pointer is None:
            continue
        owner_pointer = pointer.rsplit("/", 1)[0]
        owner_parent, _, key = owner_pointer.rpartition("/")
        owner = resolve_pointer(filing, owner_parent) if owner_parent else filing
        if not record.get("filed", True):
            owner.pop(key, None)
            trace.pop(pointer, None)
            said.append(f"“{file_name}”是导出时起草的报告（填报中没有这份报告），未作为填报内容导入")
            continue
        drafted = {k for k in record.get("drafted") or [] if isinstance(k, str)}
        if drafted:
            outline = OUTLINES["department" if key == "department_report" else "project"]
            text = owner[key]["text"]
            bodies = split_report(text, outline).bodies
            title = next((line for line in text.splitlines() if line.strip()), outline.title)
            owner[key]["text"] = join_sections(title, ((s.heading, "" if s.key in drafted else bodies.get(s.key, ""),
                                                        s.inline) for s in outline.sections))
            said.append(f"“{file_name}”中导出时起草的 {len(drafted)} 个章节未作为填报内容导入")
    from xlfuncs.recognise.assemble import one_signoff  # the recogniser loads only when documents are read

    one_signoff(filing, blank=True)  # perfeval prints the filing's one signature line on every form
    if package.profile and package.profile != "default" and not filing.get("profile"):
        filing["profile"] = package.profile
        said.append(f"规则配置按材料包清单取“{package.profile}”")
    return said
