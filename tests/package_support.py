"""Reading an exported package back for the tests: every text node of the official files, and the
numbers its reports print and its tables hold."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import openpyxl
from defusedxml import ElementTree

from macros.export import export_package
from xlfuncs.filing import save_filing

TOOL_PHRASES = ("无法评分", "无法确定", "无法计算", "默认", "未填报", "（空白）", "与绩效自评表一致", "按评分规则",
                "按规则", "请填写", "请核对", "草稿", "perfeval", "目标式表述", "校验", "强制导出", "未发现偏离",
                "纳入单位预算管理", "按规定公开", "以后年度预算安排", "0项", "#VALUE!", "#N/A", "_x00")
NUMBER = re.compile(r"(?<![0-9.])[0-9]+(?:\.[0-9]+)?%?")
LABELS = re.compile(r"附件[0-9]+(?:-[0-9]+)?|表[0-9]+")


def export_filing(filing: dict, folder: Path, name: str = "填报.json", **options):
    """Save ``filing`` under ``folder`` and export it into ``folder/out`` (no PDF unless asked)."""
    source = folder / name
    save_filing(filing, source)
    options.setdefault("pdf", False)
    return export_package(source, folder / "out", **options)


def official_files(folder: Path) -> list[Path]:
    """The package's official files: the tables, the reports and their PDFs."""
    return sorted(p for p in folder.iterdir() if p.suffix in (".xlsx", ".docx", ".pdf"))


def xml_texts(path: Path) -> list[str]:
    """Every text node (and attribute value of header/footer text) of every XML part of a package."""
    texts = []
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if not (name.endswith(".xml") or name.endswith(".rels")):
                continue
            root = ElementTree.fromstring(archive.read(name))
            for element in root.iter():
                texts += [t for t in (element.text, element.tail) if t and t.strip()]
    return texts


def docx_paragraphs(path: Path) -> list[tuple[str, str]]:
    """(style name, text) of each paragraph of a report, in order."""
    document = docx.Document(str(path))
    return [(p.style.name, p.text) for p in document.paragraphs]


def docx_cells(path: Path) -> list[list[list[str]]]:
    """Each table of a report as rows of cell texts."""
    document = docx.Document(str(path))
    return [[[c.text for c in row.cells] for row in table.rows] for table in document.tables]


def numbers_in(text: str) -> list[str]:
    """Number tokens of a text, with the attachment and table labels taken out."""
    return NUMBER.findall(LABELS.sub(" ", text))


def _shown(value: float) -> set[str]:
    """The ways a table's number is printed: 400.00, 400, 10, 100.0% (for a rate 1.0)."""
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return {f"{value:.2f}", text, f"{value * 100:.1f}%", str(int(value)) if value == int(value) else text}


def sheet_numbers(path: Path) -> dict[str, set[str]]:
    """Per sheet of the package workbook, every number it shows (numeric cells and numbers in text)."""
    book = openpyxl.load_workbook(path)
    found: dict[str, set[str]] = {}
    for ws in book:
        tokens: set[str] = set()
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, bool) or cell.value is None:
                    continue
                if isinstance(cell.value, int | float):
                    tokens |= _shown(float(cell.value))
                else:
                    tokens |= set(NUMBER.findall(str(cell.value)))
        found[ws.title] = tokens
    return found


def docx_bytes_text(data: bytes) -> str:
    """All paragraph and cell text of a .docx given as bytes."""
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    parts += [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join(parts)


def official_text(result) -> list[tuple[str, str]]:
    """(file name, text) of every text node of every official file of a package; PDFs through
    pdftotext when it is installed."""
    texts = []
    for path in official_files(result.folder):
        if path.suffix == ".pdf":
            if shutil.which("pdftotext") is None:
                continue
            out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True, text=True).stdout
            texts.append((path.name, out))
        else:
            texts += [(path.name, t) for t in xml_texts(path)]
    return texts


def assert_no_tool_text(result) -> None:
    """No tool phrase and no finding's message in any official file of the package."""
    texts = official_text(result)
    assert texts
    messages = {f.message for f in result.findings}
    for name, text in texts:
        for phrase in TOOL_PHRASES:
            assert phrase not in text, (name, phrase, text[:120])
        for message in messages:
            assert message[:16] not in text, (name, message)
