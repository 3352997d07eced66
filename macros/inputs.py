"""Open what the user names: a filing JSON, a master workbook, or the documents a unit or bureau
really has (Word, Excel, .xls, web pages, PDF, table-grid JSON, an exported package folder or zip).

:func:`open_sources` is the one way in for every door (``perfeval import``, ``new --from``,
validate/score/export/review through :func:`macros.session.open_session`): a filing JSON is read
as it is; the master workbook through its reader (cells located); anything else is read by the
import readers (:mod:`workbook.documents`, kind told by content) and recognised as one filing
(:mod:`xlfuncs.recognise`), several files together making one filing. Files no reader takes
(a CSV, an .ods …) are named for what they are, with what to do about it. Every refusal is a
:class:`~xlfuncs.filing.FilingError` with one Chinese line.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from xlfuncs.filing import FilingError, check_regular_file, parse_filing_json, read_regular_file
from xlfuncs.findings import WARNING, Finding

if TYPE_CHECKING:
    from xlfuncs.jsonio import Loaded
    from xlfuncs.recognise import ImportResult

    from .package_in import PackageFiles

#: Largest file perfeval opens as a filing JSON or a master workbook (a 500-project workbook is ~5 MB).
MAX_SOURCE_BYTES = 100 * 1024 * 1024
ZIP_MAGIC = b"PK\x03\x04"
BINARY_MAGICS = (ZIP_MAGIC, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"%PDF")  # a .json that is no text: read by content
TEXT_TABLE = "文本表格没有绩效自评表的表式，请改用 Word、Excel 文件，主工作簿（perfeval new 生成）或填报 JSON 文件"
SAVE_AS = "请在 Excel 或 WPS 中打开它，另存为 .xlsx（Excel 工作簿）后再试"
# suffix → what the file is, for kinds no reader takes
FOREIGN = {
    ".xlsb": "Excel 二进制工作簿（.xlsb）",
    ".ods": "OpenDocument 电子表格（.ods）",
    ".csv": "CSV 文本表格（.csv）",
    ".tsv": "制表符分隔的文本表格（.tsv）",
    ".numbers": "Numbers 表格（.numbers）",
}
#: What each kind of source is called in messages and manifests.
FILING, WORKBOOK, DOCUMENTS, PACKAGE = "json", "workbook", "documents", "package"
GRID = "grid"
MASTER_SUFFIXES = (".xlsx", ".xlsm")
Locator = Callable[[str], "tuple[str, str] | None"]


@dataclass
class Source:
    """A filing read from one or more files, with a way to find each pointer's sheet and cell."""

    path: Path
    filing: dict[str, Any]
    is_workbook: bool = False
    locate: Locator | None = None
    findings: list[Finding] = field(default_factory=list)  # found while reading (e.g. formulas overwritten)
    profile: str | None = None  # the workbook's own rule profile (使用说明); None for a filing JSON
    kind: str = FILING  # FILING, WORKBOOK, DOCUMENTS or PACKAGE
    imported: ImportResult | None = None  # how documents were recognised (DOCUMENTS, PACKAGE)
    notes: list[str] = field(default_factory=list)  # what reading noticed, one Chinese line each


def _head(path: Path) -> bytes:
    """The first bytes of a file; FilingError (Chinese, with the reason: e.g. open in Excel) when unreadable."""
    from .oserrors import describe_os_error

    try:
        with path.open("rb") as handle:
            return handle.read(8)
    except OSError as exc:
        raise FilingError(describe_os_error(exc, "读取")) from None


def _foreign(path: Path) -> str | None:
    """A Chinese line naming what the file is, when no reader takes it."""
    suffix = path.suffix.lower()
    if suffix in FOREIGN:
        advice = TEXT_TABLE if suffix in (".csv", ".tsv") else SAVE_AS
        return f"“{path.name}”是{FOREIGN[suffix]}，perfeval 不读取这种文件；{advice}"
    return None


def duplicate_key_findings(duplicates: list[tuple[str, str]]) -> list[Finding]:
    """One V2 finding per key a JSON object repeats (the last value is the one read)."""
    return [Finding("V2", WARNING, f"{pointer}/{key}",
                    f"JSON 中“{pointer or '/'}”对象的键“{key}”出现了不止一次，按最后一个读取；请删去多余的",
                    expected="只出现一次", actual=key, table="基本信息")
            for pointer, key in duplicates]


# ------------------------------------------------------------------ JSON: a filing or table grids


def _json_text(path: Path) -> str:
    raw = read_regular_file(path, MAX_SOURCE_BYTES, "填报文件")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FilingError(f"“{path}”不是 UTF-8 编码的 JSON 文件") from None


def _json_kind(text: str, path: Path) -> tuple[str, Loaded | None]:
    """FILING or GRID, with the text parsed (None when it is no JSON): a filing has ``format`` (or its
    tables); grids are objects with ``grid`` or ``tables``, or a list of such objects. Text that is no
    JSON goes to the filing reader, which says why."""
    from xlfuncs.jsonio import JsonProblem, loads

    try:
        loaded = loads(text)
    except JsonProblem:
        return FILING, None
    data = loaded.data
    if isinstance(data, list):
        grids = data and all(isinstance(item, dict) and "grid" in item for item in data)
        return (GRID if grids else FILING), loaded
    if not isinstance(data, dict) or {"format", "department", "projects"} & set(data):
        return FILING, loaded
    if "grid" in data or "tables" in data:
        return GRID, loaded
    raise FilingError(f"“{path.name}”既不是填报 JSON（perfeval.filing/1），也不是表格网格 JSON（含 grid 的表格对象）")


# ------------------------------------------------------------------ documents and packages


@dataclass
class _Gathered:
    documents: list[Any] = field(default_factory=list)
    packages: list[PackageFiles] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _read(path: Path, gathered: _Gathered, detected: Any = None) -> None:
    from workbook.documents import read_document

    document = read_document(path, detected)
    gathered.notes += document.notes
    gathered.documents.append(document)


def _gather_package(package: PackageFiles, gathered: _Gathered) -> None:
    from .package_in import mark_figures

    gathered.notes += package.notes
    start = len(gathered.documents)
    for path in package.files:
        _read(path, gathered)
    mark_figures(gathered.documents[start:], package)
    gathered.packages.append(package)


def _recognised(paths: list[Path], gathered: _Gathered) -> Source:
    from xlfuncs.recognise import RecogniseError, recognise_documents

    from .package_in import apply_manifest

    try:
        result = recognise_documents(gathered.documents)
    except RecogniseError as exc:
        names = "、".join(f"“{p.name}”" for p in paths)
        raise FilingError(f"{names}中{exc}") from None
    notes = list(gathered.notes)
    for package in gathered.packages:
        notes += apply_manifest(result.filing, package)
    kind = PACKAGE if gathered.packages else DOCUMENTS
    return Source(paths[0], result.filing, kind=kind, imported=result, notes=notes)


def _single(path: Path, stack: ExitStack, gathered: _Gathered, alone: bool) -> Source | None:
    """Read one path given: a whole filing (JSON, workbook) is returned, documents are gathered."""
    if path.is_dir():
        from .manifest import MANIFEST_NAME
        from .package_in import package_folder_files

        if not (path / MANIFEST_NAME).is_file():
            raise FilingError(f"“{path}”是文件夹，不是 perfeval 导出的材料包（其中没有 {MANIFEST_NAME}）；请给出其中的文件")
        _gather_package(package_folder_files(path), gathered)
        return None
    foreign = _foreign(path)
    if foreign:
        raise FilingError(foreign)
    check_regular_file(path, MAX_SOURCE_BYTES * 2, "可读取的文件")
    head = _head(path)
    if head.startswith(ZIP_MAGIC):
        from .package_in import is_package_zip, package_zip_files  # zips only: a JSON filing starts lighter

        if is_package_zip(path):
            work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="perfeval-package-")))
            _gather_package(package_zip_files(path, work), gathered)
            return None
    detected = None
    if not (path.suffix.lower() == ".json" and head.strip() and not head.startswith(BINARY_MAGICS)):
        from workbook.documents import MASTER, detect  # the readers load only for documents

        detected = detect(path)
        if detected.kind == MASTER:
            if not alone:
                raise FilingError(f"“{path.name}”是主工作簿，它本身就是一份完整的填报，请单独读取")
            if path.suffix.lower() not in MASTER_SUFFIXES:
                raise FilingError(f"“{path.name}”是 perfeval 主工作簿，但扩展名是 {path.suffix or '（无）'}；"
                                  "请把扩展名改为 .xlsx 或 .xlsm 后再读取")
            from workbook.reader import read_workbook  # the workbook stack loads only when needed

            reading = read_workbook(path)
            return Source(path, reading.filing, True, reading.locate, list(reading.findings), reading.profile,
                          kind=WORKBOOK)
    if detected is None or detected.kind == "grid-json":
        text = _json_text(path)
        kind, parsed = _json_kind(text, path)
        if kind == FILING:
            if not alone:
                raise FilingError(f"“{path.name}”是填报 JSON 文件，它本身就是一份完整的填报，请单独读取")
            loaded = parse_filing_json(text, str(path), parsed)
            return Source(path, loaded.data, findings=duplicate_key_findings(loaded.duplicate_keys))
    _read(path, gathered, detected)
    return None


def open_sources(paths: Sequence[str | Path]) -> Source:
    """Read the files given as one filing; raise FilingError (Chinese, one line).

    One filing JSON or one master workbook is read as it is. Documents (and package folders or
    zips) are read and recognised together: 附件1 and each 附件3-N by their content, the reports by
    their headings, whichever file each is in.
    """
    paths = [Path(p) for p in paths]
    if not paths:
        raise FilingError("没有给出要读取的文件")
    gathered = _Gathered()
    with ExitStack() as stack:
        for path in paths:
            try:
                whole = _single(path, stack, gathered, alone=len(paths) == 1)
            except FileNotFoundError:
                raise FilingError(f"找不到文件“{path}”") from None
            if whole is not None:
                return whole
        return _recognised(paths, gathered)


def open_source(path: str | Path) -> Source:
    """Read one file (or package folder) as a filing; see :func:`open_sources`."""
    return open_sources([path])
