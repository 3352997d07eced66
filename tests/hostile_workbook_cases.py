"""Hostile and broken master workbooks (issue 15), made at test time from the seed's workbook: the
cases join :data:`hostile_cases.CASES`. A harmless oddity of the file (a stated size that lies, a
far cell, a huge extra sheet, a huge merged range) must give exactly the seed's findings; a bad
cell is a finding at that cell; what cannot be read is refused naming the sheet and cell."""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

from hostile_cases import (
    CASES,
    ERROR,
    FINDINGS,
    OK,
    SEED_FINDINGS,
    Case,
    Maker,
    both,
    case,
    finding_at,
    manifest,
    same_findings_as_seed,
    strict_json,
    well_formed,
)

WORKSHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_WORKSHEET = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"


def _validate(path: Path, check=None, code: int = FINDINGS, words: tuple[str, ...] = ()) -> Case:
    return Case(["validate", str(path), "--json"], code, words, check=check, inputs=[path])


@case(SEED_FINDINGS)
def _(m: Maker) -> Case:
    return _validate(m.book)


def _harmless(name: str, change: Callable[[Maker], Path]) -> None:
    CASES[f"wb/{name}"] = lambda m: _validate(change(m), same_findings_as_seed)


_FAR_CELL = b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>'
def _far_cell(m: Maker, name: str) -> Path:
    """The seed's workbook claiming A1:XFD1048576 on 附件3-1, with one cell there."""
    return m.sheet(name, "附件3-1", lambda x: re.sub(
        rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', x).replace(b"</sheetData>", _FAR_CELL))


_harmless("dimension-A1:XFD1048576-and-a-far-cell", lambda m: _far_cell(m, "huge-dimension.xlsx"))
_harmless("far-cell-in-the-report-sheet", lambda m: m.sheet("far-report.xlsx", "自评报告",
                                                            lambda x: x.replace(b"</sheetData>", _FAR_CELL)))
_harmless("dimension-too-small", lambda m: m.sheet("small-dimension.xlsx", "附件3-1", lambda x: re.sub(
    rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:B2"/>', x)))
_harmless("huge-merged-range", lambda m: m.sheet("merge.xlsx", "附件3-1", lambda x: x.replace(
    b"</mergeCells>", b'<mergeCell ref="A1:XFD1048576"/></mergeCells>', 1)))


def _extra_sheet(parts: dict[str, bytes], name: str, rows: int) -> None:
    body = b"".join(b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (i, i, i) for i in range(1, rows + 1))
    parts["xl/worksheets/extra.xml"] = (f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{WORKSHEET_NS}">'
                                        "<sheetData>").encode() + body + b"</sheetData></worksheet>"
    parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace(
        b"</sheets>", f'<sheet name="{name}" sheetId="999" r:id="rId999"/></sheets>'.encode())
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>", f'<Relationship Id="rId999" Type="{REL_WORKSHEET}" Target="worksheets/extra.xml"/>'
        "</Relationships>".encode())


_harmless("a-million-row-extra-sheet", lambda m: m.package("million.xlsx", lambda p: _extra_sheet(p, "附表", 1_000_000)))


def _listed_sheets(count: int, name: str) -> Callable[[Maker], Path]:
    def make(m: Maker) -> Path:
        def change(parts: dict[str, bytes]) -> None:
            extra = "".join(f'<sheet name="附件3-{i}" sheetId="{i + 100}" r:id="rId7"/>' for i in range(6, 6 + count))
            parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace(b"</sheets>", extra.encode() + b"</sheets>")
        return m.package(name, change)
    return make


CASES["wb/10000-project-sheets"] = lambda m: _validate(_listed_sheets(10_000, "sheets.xlsx")(m), code=ERROR,
                                                       words=("10,011 张工作表", "上限 300"))
CASES["wb/250-project-sheets"] = lambda m: _validate(_listed_sheets(250, "projects.xlsx")(m), code=ERROR,
                                                     words=("200",))


def _bad_value(name: str, kind: str, text: str, words: tuple[str, ...]) -> None:
    def build(m: Maker) -> Case:
        def change(xml: bytes) -> bytes:
            kind_attr = f' t="{kind}"'.encode() if kind else b""
            return re.sub(rb'<c r="E8"([^>]*)><v>[^<]*</v></c>', b'<c r="E8"\\1' + kind_attr + b"><v>" + text.encode()
                          + b"</v></c>", xml, count=1)
        path = m.sheet(f"bad-{name}.xlsx", "附件3-1", change)
        return _validate(path, finding_at("W4", pointer="/projects/0/funds/total/full_year", sheet="附件3-1", cell="E8",
                                          words=words))
    CASES[f"wb/bad-cell-{name}"] = build


for _name, _kind, _text, _words in (("NaN", "", "NaN", ("E8", "NaN")), ("1e999", "", "1e999", ("E8", "1e999")),
                                    ("12abc", "", "12abc", ("E8", "12abc")),
                                    ("shared-string-index", "s", "99999", ("E8", "99999")),
                                    ("boolean", "b", "7", ("E8", "TRUE/FALSE"))):
    _bad_value(_name, _kind, _text, _words)


@case("wb/bad-cell-1e999/score")
def _(m: Maker) -> Case:
    path = m.sheet("inf-score.xlsx", "附件3-1", lambda x: re.sub(rb'(<c r="E8"[^>]*>)<v>[^<]*</v>', rb"\1<v>1e999</v>", x))
    return Case(["score", str(path), "--json"], OK, inputs=[path], check=lambda r, _: strict_json(r["stdout"]))


@case("wb/1e999-year/export")
def _(m: Maker) -> Case:
    path = m.sheet("inf-year.xlsx", "附件1", lambda x: re.sub(rb'(<c r="A3"[^>]*>)<v>[^<]*</v>', rb"\1<v>1e999</v>", x))
    out = m.path("inf-year-out")

    def year_null(_r: dict, _all: dict) -> None:
        assert manifest(out)["year"] is None
    return Case(["export", str(path), "-o", str(out), "--force", "--no-pdf"], OK, inputs=[path], check=year_null)


@case("wb/1e999-year/validate")
def _(m: Maker) -> Case:
    path = m.sheet("inf-year-v.xlsx", "附件1", lambda x: re.sub(rb'(<c r="A3"[^>]*>)<v>[^<]*</v>', rb"\1<v>1e999</v>", x))
    return _validate(path, finding_at("W4", pointer="/year", sheet="附件1", cell="A3", words=("1e999",)))


@case("wb/unreadable-label")
def _(m: Maker) -> Case:
    path = m.sheet("bad-label.xlsx", "附件3-1", lambda x: re.sub(
        rb'(<c r="B8"[^>]*t="s"[^>]*>)<v>[^<]*</v>', rb"\1<v>99999</v>", x, count=1))
    return _validate(path, finding_at("W4", sheet="附件3-1", cell="B8", words=("年度资金总额", "其余标签")))


@case("wb/no-shared-strings")
def _(m: Maker) -> Case:
    path = m.package("no-strings.xlsx", lambda parts: parts.pop("xl/sharedStrings.xml"))
    return _validate(path, code=ERROR, words=("附件1", "A2", "共享字符串"))


@case("wb/addresses-that-are-no-cell")
def _(m: Maker) -> Case:
    path = m.sheet("bad-address.xlsx", "附件3-1", lambda x: x.replace(b'<c r="E8"', b'<c r="E0"', 1))
    return _validate(path, finding_at("W4", sheet="附件3-1", words=("附件3-1", "“E0”", "地址无效")))


@case("wb/sheet-renamed-附件3-01")
def _(m: Maker) -> Case:
    path = m.part("renamed.xlsx", "xl/workbook.xml", lambda x: x.replace('name="附件3-1"'.encode(), 'name="附件3-01"'.encode()))
    return _validate(path, code=ERROR, words=("附件3-01", "附件3-1"))


@case("wb/pasted-CRLF-read-as-typed")
def _(m: Maker) -> Case:
    path = m.part("crlf.xlsx", "xl/sharedStrings.xml", lambda x: x.replace(
        "株洲市渌口区机关事务服务中心".encode(), "株洲市渌口区_x000D_\n机关事务服务中心".encode()))
    out = m.path("crlf-out")

    def decoded(_r: dict, _all: dict) -> None:
        """Read as typed: no part of the package shows the escape itself (in a .docx, the manifest
        or a report as "_x000D_"; in an .xlsx as the escaped literal "_x005F_x000D_")."""
        assert "_x000D_" not in json.dumps(manifest(out), ensure_ascii=False)
        for package in [*out.rglob("*.docx"), *out.rglob("*.xlsx")]:
            with zipfile.ZipFile(package) as archive:
                xml = b"".join(archive.read(p) for p in archive.namelist() if p.endswith(".xml"))
            assert (b"_x000D_" if package.suffix == ".docx" else b"_x005F_x000D_") not in xml, package.name
    return Case(["export", str(path), "-o", str(out), "--force", "--no-pdf"], OK, inputs=[path],
                check=both(decoded, well_formed(out)))


@case("wb/control-characters/check")
def _(m: Maker) -> Case:
    from hostile_cases import control_filing

    from workbook.builder import build_workbook

    source = build_workbook(control_filing(m), m.path("control-check.xlsx"))
    target = m.path("control-checked.xlsx")
    return Case(["check", str(source), "-o", str(target)], FINDINGS, inputs=[source], check=well_formed(target))


@case("wb/dimension-A1:XFD1048576/check")
def _(m: Maker) -> Case:
    path, target = _far_cell(m, "huge-dim-check.xlsx"), m.path("huge-dim-checked.xlsx")
    return Case(["check", str(path), "-o", str(target)], FINDINGS, inputs=[path], check=well_formed(target))


@case("wb/dimension-A1:XFD1048576/export")
def _(m: Maker) -> Case:
    path, out = _far_cell(m, "huge-dim-export.xlsx"), m.path("huge-dim-out")
    return Case(["export", str(path), "-o", str(out), "--force", "--no-pdf"], OK, inputs=[path], check=well_formed(out))


# ------------------------------------------------------------------ refused, as they are today

@case("wb/xxe")
def _(m: Maker) -> Case:
    path = m.sheet("xxe.xlsx", "附件3-1", lambda x: x.replace(
        b"?>", b'?><!DOCTYPE worksheet [<!ENTITY x SYSTEM "file:///etc/passwd">]>', 1))
    return _validate(path, code=ERROR, words=("DOCTYPE",))


@case("wb/billion-laughs")
def _(m: Maker) -> Case:
    laughs = b"".join(b'<!ENTITY l%d "&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;">' % ((i,) + (i - 1,) * 10)
                      for i in range(1, 10))
    path = m.part("laughs.xlsx", "xl/sharedStrings.xml", lambda x: x.replace(
        b"?>", b'?><!DOCTYPE sst [<!ENTITY l0 "ha">' + laughs + b"]>", 1).replace(b"<t>", b"<t>&l9;", 1))
    return _validate(path, code=ERROR, words=("DOCTYPE",))


@case("wb/zip-bomb")
def _(m: Maker) -> Case:
    path = m.path("bomb.xlsx")
    with zipfile.ZipFile(m.book) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info.filename))
        with dst.open("xl/media/zeros.bin", "w", force_zip64=True) as member:
            block = b"\0" * (1 << 20)
            for _ in range(310):
                member.write(block)
    return _validate(path, code=ERROR, words=("bomb.xlsx", "压缩"))


@case("wb/encrypted-or-old-format")
def _(m: Maker) -> Case:
    path = m.path("加密.xlsx")
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4096)
    return _validate(path, code=ERROR, words=("加密.xlsx",))


@case("wb/text-named-xlsx")
def _(m: Maker) -> Case:
    path = m.path("假的.xlsx")
    path.write_text("这不是工作簿", encoding="utf-8")
    return _validate(path, code=ERROR, words=("假的.xlsx",))


@case("wb/truncated")
def _(m: Maker) -> Case:
    path = m.path("截断.xlsx")
    path.write_bytes(m.book.read_bytes()[:5000])
    return _validate(path, code=ERROR, words=("截断.xlsx", "损坏"))

