"""What a file really is, from its bytes, never from its name.

Offices rename files freely, and systems export HTML pages as ``.xls``: the content decides which
reader runs. A file whose content is no supported kind (a picture renamed ``.docx``, a legacy
``.doc``, an encrypted package, a damaged zip) is refused with one Chinese line naming the file,
its extension and what it looks like.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import defusedxml.ElementTree as SafeET

from xlfuncs.filing import FilingError, read_head

from .limits import check_file_size, check_xml_prologs, check_zip, label

DOCX, XLSX, MASTER, XLS, PDF, HTML, GRID_JSON = "docx", "xlsx", "master", "xls", "pdf", "html", "grid-json"

#: How messages name each kind.
KIND_NAMES = {DOCX: "Word 文档（.docx）", XLSX: "Excel 工作簿（.xlsx/.xlsm）", MASTER: "perfeval 主工作簿",
              XLS: "旧版 Excel 工作簿（.xls/.et）", PDF: "PDF 文件", HTML: "网页（.html/.htm）", GRID_JSON: "表格 JSON"}
#: Extensions that announce each kind (a mismatch is read by content and noted).
EXTENSIONS = {DOCX: {".docx", ".docm", ".dotx", ".wps"}, XLSX: {".xlsx", ".xlsm", ".xltx", ".xltm", ".et"},
              MASTER: {".xlsx", ".xlsm"}, XLS: {".xls", ".et", ".xlt"}, PDF: {".pdf"},
              HTML: {".html", ".htm", ".xhtml", ".shtml", ".xls", ".doc"}, GRID_JSON: {".json"}}

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
_HTML_MARKUP = re.compile(rb"<\s*(!doctype\s+html|html|head|body|table|meta|title|div|p)[\s>/]", re.I)
_FOREIGN = [  # (signature at start, what it is) for a clear refusal
    (b"\x89PNG", "PNG 图片"), (b"\xff\xd8\xff", "JPEG 图片"), (b"GIF8", "GIF 图片"), (b"BM", "BMP 图片"),
    (b"II*\x00", "TIFF 图片"), (b"MM\x00*", "TIFF 图片"), (b"Rar!", "RAR 压缩包"), (b"7z\xbc\xaf", "7z 压缩包"),
    (b"{\\rtf", "RTF 文档（请在 Word 中另存为 .docx）"), (b"MIME-Version", "MHT 单文件网页（请另存为 .html 或 .docx）"),
]
_MASTER_SHEETS = {"附件1"}
_MASTER_MARKS = {"使用说明", "xlwings.conf"}


@dataclass(frozen=True)
class Detected:
    """The kind of a file and, when its extension says otherwise, a note saying so."""

    kind: str
    note: str = ""


def detect(path: str | Path) -> Detected:
    """The kind of ``path`` by content; :class:`FilingError` (one Chinese line) when unsupported."""
    path = Path(path)
    head = read_head(path, 8192, label(path), "不是可导入的文件")
    check_file_size(path)
    kind = _kind(path, head)
    return Detected(kind, _mismatch_note(path, kind))


def _kind(path: Path, head: bytes) -> str:
    if not head.strip():
        raise FilingError(f"{label(path)}是空文件，没有可导入的内容")
    if head.startswith(_ZIP_MAGICS):
        return _zip_kind(path)
    if head.startswith(_OLE_MAGIC):
        return _ole_kind(path)
    if b"%PDF-" in head[:1024]:
        return PDF
    text_head = _strip_bom(head).lstrip()
    if text_head[:1] in (b"{", b"["):
        return GRID_JSON
    if text_head.startswith(b"<?xml") and b"urn:schemas-microsoft-com:office:spreadsheet" in head:
        raise FilingError(f"{label(path)}是 Excel 2003 XML 表格，请在 Excel 或 WPS 中另存为 .xlsx 后再导入")
    if _HTML_MARKUP.search(_html_probe(head)):
        return HTML
    for signature, what in _FOREIGN:
        if head.startswith(signature):
            raise FilingError(f"{label(path)}{_named(path)}，内容却是{what}，无法导入")
    raise FilingError(f"{label(path)}{_named(path)}，内容却不是 Word、Excel、PDF、网页或表格 JSON，无法导入")


def _named(path: Path) -> str:
    return f"的扩展名是 {path.suffix}" if path.suffix else "没有扩展名"


def _strip_bom(head: bytes) -> bytes:
    for bom in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"):
        if head.startswith(bom):
            return head[len(bom):]
    return head


def _html_probe(head: bytes) -> bytes:
    """The head as ASCII-compatible bytes (UTF-16 pages have a zero byte between letters)."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head.replace(b"\x00", b"")
    return head


def _zip_kind(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            check_zip(path, archive)
            check_xml_prologs(path, archive)
            if "word/document.xml" in names:
                return DOCX
            if "xl/workbook.xml" in names:
                return MASTER if _is_master(path, archive) else XLSX
            if "mimetype" in names:
                raise FilingError(f"{label(path)}是 OpenDocument 文档（LibreOffice/WPS 的 .odt/.ods），"
                                  "请另存为 .docx 或 .xlsx 后再导入")
    except zipfile.BadZipFile:
        raise FilingError(f"{label(path)}已损坏（压缩包结构不完整），无法打开") from None
    except (zipfile.LargeZipFile, NotImplementedError, RuntimeError) as exc:
        raise FilingError(f"{label(path)}无法打开（{type(exc).__name__}），可能已加密或损坏") from None
    raise FilingError(f"{label(path)}{_named(path)}，内容却是其他压缩文件（不是 Word 或 Excel 文档），无法导入")


def _is_master(path: Path, archive: zipfile.ZipFile) -> bool:
    """The master workbook has 附件1 beside its 使用说明 or xlwings.conf sheet."""
    try:
        root = SafeET.fromstring(archive.read("xl/workbook.xml"))
    except Exception:  # noqa: BLE001 - a damaged workbook.xml: let the Excel reader say what is wrong
        return False
    names = {el.get("name", "") for el in root.iter() if el.tag.endswith("}sheet")}
    return bool(names & _MASTER_SHEETS) and bool(names & _MASTER_MARKS)


def _ole_kind(path: Path) -> str:
    import olefile

    try:
        with olefile.OleFileIO(str(path)) as ole:
            streams = {"/".join(entry) for entry in ole.listdir(streams=True, storages=True)}
    except Exception:  # noqa: BLE001 - any failure of the compound-file parser means a damaged file
        raise FilingError(f"{label(path)}已损坏（复合文档结构不完整），无法打开") from None
    if {"EncryptionInfo", "EncryptedPackage"} <= streams:
        raise FilingError(f"{label(path)}设置了打开密码（已加密），请在 Word/Excel/WPS 中取消密码后另存，再导入")
    if streams & {"Workbook", "Book"}:
        return XLS
    if "WordDocument" in streams:
        raise FilingError(f"{label(path)}是旧版 Word 文档（.doc），请在 Word 或 WPS 中另存为 .docx 后再导入")
    if "PowerPoint Document" in streams:
        raise FilingError(f"{label(path)}是 PowerPoint 演示文稿，不是可导入的表格")
    raise FilingError(f"{label(path)}是不认识的 Office 复合文档，无法导入")


def _mismatch_note(path: Path, kind: str) -> str:
    suffix = path.suffix.lower()
    if not suffix or suffix in EXTENSIONS.get(kind, set()):
        return ""
    return f"{label(path)}的扩展名是 {path.suffix}，内容是{KIND_NAMES[kind]}，已按内容读取"
