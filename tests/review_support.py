"""A review folder made from the seed, the corrected seed, corpus-like filings and broken files,
and helpers to read a review workbook back."""

from __future__ import annotations

import copy
import json
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
from factories import make_clean_filing

DATA = Path(__file__).parent / "data"
SEED = Path(__file__).parents[1] / "xlfuncs" / "data" / "lukou-2022.json"
CORRECTED = DATA / "lukou-2022-corrected.json"


def _write_json(path: Path, data: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def corpus_like_filings() -> dict[str, dict]:
    """Filings written the way published tables are (corpus styles): 元 amounts, full-width digits,
    “10分” points, blanks, a project-only filing, a unit name that looks like a formula."""
    yuan = make_clean_filing()
    yuan["unit"] = yuan["department"]["name"] = "某县　农业农村局"
    yuan["money_unit"] = "元"
    for project in yuan["projects"]:
        for row in ("total", "current_year"):
            for column in ("initial", "full_year", "executed"):
                project["funds"][row][column] = "　" + str(int(project["funds"][row][column]) * 10000)
    yuan["projects"][0]["indicators"][0]["points"] = "２０分"
    project_only = make_clean_filing()
    project_only["unit"] = "某区卫生健康局"
    project_only["department"] = {"name": "", "funds": {}, "indicators": [], "filed": False}
    project_only["projects"][1]["funds"]["total"]["executed"] = "12.5万"
    project_only["projects"][1]["total"] = {"points": "100", "score": "95分", "grade": "优"}
    formula_name = make_clean_filing()
    formula_name["unit"] = "=HYPERLINK(\"http://example.invalid\",\"点我\")"
    blanks = make_clean_filing()
    blanks["unit"] = "某镇人民政府"
    blanks["projects"][0]["funds"]["total"]["executed"] = ""
    blanks["projects"][0]["indicators"][2]["actual"] = None
    return {"corpus-yuan.json": yuan, "corpus-project-only.json": project_only,
            "corpus-formula-name.json": formula_name, "corpus-blanks.json": blanks}


CORPUS = Path(__file__).parent / "corpus"


def make_documents(folder: Path, seed: dict, corrected: dict) -> None:
    """What units really send: last year's filing typed in Word (the seed's layout) and an exported
    package of the corrected seed, as its folder and as its zip."""
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    from document_renders import write_docx
    from seed_document import seed_blocks

    from macros.export import export_package
    from xlfuncs.filing import save_filing

    word = copy.deepcopy(seed)
    word["unit"] = word["department"]["name"] = "渌口区某中心（Word）"
    (folder / "文档").mkdir(parents=True, exist_ok=True)
    write_docx(folder / "文档" / "去年.docx", seed_blocks(word))
    packaged = copy.deepcopy(corrected)
    packaged["unit"] = packaged["department"]["name"] = "渌口区某中心（材料包）"
    source = folder.parent / "材料包来源.json"
    save_filing(packaged, source)
    export_package(source, folder / "材料包", pdf=False)
    source.unlink()


def make_review_folder(root: Path, workbook: bool = True, corpus: bool = True, documents: bool = True) -> Path:
    """The acceptance folder: seed, corrected seed, the corpus tables (grid JSON, read as ``perfeval import``
    reads them), corpus-like filings, a master workbook, a Word filing and an exported package (folder
    and zip), broken files."""
    folder = root / "收到的材料"
    seed = json.loads(SEED.read_text(encoding="utf-8"))
    _write_json(folder / "渌口" / "lukou-2022.json", seed)
    corrected = json.loads(CORRECTED.read_text(encoding="utf-8"))
    corrected["unit"] = corrected["department"]["name"] = "渌口区机关事务服务中心（更正）"
    _write_json(folder / "渌口" / "lukou-2022-corrected.json", corrected)
    if corpus:
        for path in sorted(CORPUS.glob("*.json")):
            (folder / "语料").mkdir(parents=True, exist_ok=True)
            (folder / "语料" / path.name).write_bytes(path.read_bytes())
    for name, filing in corpus_like_filings().items():
        _write_json(folder / "各地" / name, filing)
    if workbook:
        from macros.cmd_new import write_master_workbook

        other = copy.deepcopy(seed)
        other["unit"] = other["department"]["name"] = "株洲市某局（工作簿）"
        write_master_workbook(other, folder / "工作簿" / "主表.xlsx", "plain", 1, "default")
    if documents:
        make_documents(folder, seed, corrected)
    broken = folder / "有问题的"
    broken.mkdir(parents=True)
    (broken / "截断.json").write_text('{"format": "perfeval.filing/1", "department": {', encoding="utf-8")
    (broken / "空.json").write_bytes(b"")
    _write_json(broken / "别的格式.json", {"format": "other/1"})
    (broken / "坏的.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    (broken / "报告.docx").write_bytes(b"PK\x03\x04")
    package = broken / "某单位_2022_绩效自评材料"
    _write_json(package / "manifest.json", {"format": "perfeval.package/1", "unit": "某单位", "year": 2022, "files": []})
    with zipfile.ZipFile(broken / "材料包.zip", "w") as archive:
        archive.writestr("某单位_2022_绩效自评材料/manifest.json",
                         json.dumps({"format": "perfeval.package/1", "unit": "某单位", "year": 2022}))
    (folder / "说明.txt").write_text("不是填报", encoding="utf-8")
    return folder


def sheet_values(path: Path, sheet: str) -> list[tuple]:
    """A sheet's rows as tuples of values (read-only)."""
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        return list(book[sheet].iter_rows(values_only=True))
    finally:
        book.close()


def sheet_rows(path: Path, sheet: str) -> list[dict[str, Any]]:
    """A sheet's rows as dicts by header (values, read-only)."""
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        rows = book[sheet].iter_rows(values_only=True)
        header = next(rows)
        return [dict(zip(header, row, strict=False)) for row in rows if any(v is not None for v in row)]
    finally:
        book.close()


def set_reviewer_values(path: Path, edits: dict[tuple[str, str], dict[str, Any]]) -> None:
    """Type into 汇总 as a reviewer would: ``{(file, table): {column: value}}``."""
    book = openpyxl.load_workbook(path)
    sheet = book["汇总"]
    header = {cell.value: cell.column for cell in sheet[1]}
    for row in range(2, sheet.max_row + 1):
        key = (sheet.cell(row, header["文件"]).value, sheet.cell(row, header["表"]).value)
        for column, value in edits.get(key, {}).items():
            cell = sheet.cell(row, header[column])
            cell.value = value
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # text typed as text (as Excel stores '=… entered with a quote)
    book.save(path)
