"""The workbook reader against mutated XML (hypothesis): a built workbook with cells, addresses,
shared strings, merged ranges and dimensions broken the ways other programs and people break them.
Every mutation ends in findings or in one Chinese line naming the sheet and cell, never a
traceback; a cell that cannot be read is a finding at that cell and the rest is still read."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from workbook_support import sheet_part

from macros.session import open_session
from workbook.builder import build_workbook
from xlfuncs.filing import FilingError

SHEETS = ("附件1", "附件3-1", "附件3-2", "自评报告", "使用说明")
# values a numeric <v> should never hold, and other contents no cell can be read from
BAD_CONTENT = {
    "nan": ("", "NaN"), "inf": ("", "1e999"), "letters": ("", "12abc"), "hex": ("", "0x1F"),
    "bad string": ("s", "99999"), "string not a number": ("s", "一"), "bool": ("b", "2"),
    "date": ("d", "去年"), "type": ("zz", "1"),
}


@pytest.fixture(scope="module")
def book(tmp_path_factory, seed_data) -> tuple[Path, dict[str, bytes], dict[str, str]]:
    path = build_workbook(seed_data, tmp_path_factory.mktemp("fuzz") / "seed.xlsx")
    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: archive.read(info.filename) for info in archive.infolist()}
    return path, parts, {name: sheet_part(path, name) for name in SHEETS}


def _package(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _cells(xml: bytes) -> list[str]:
    return re.findall(rb'<c r="([A-Z]+[0-9]+)"', xml)


def _set_content(xml: bytes, ref: bytes, kind: str, text: str) -> bytes:
    """The cell ``ref`` holding ``text`` as type ``kind`` (its formula, if any, removed)."""
    kind_attr = f' t="{kind}"'.encode() if kind else b""
    pattern = rb'<c r="' + ref + rb'"([^>]*?)(/>|>.*?</c>)'
    def repl(match: re.Match[bytes]) -> bytes:
        attrs = re.sub(rb'\s+t="[^"]*"', b"", match.group(1))
        return b'<c r="' + ref + b'"' + attrs + kind_attr + b"><v>" + text.encode() + b"</v></c>"
    return re.sub(pattern, repl, xml, count=1, flags=re.S)


MUTATIONS = st.sampled_from([
    "content", "content", "content", "address", "no address", "no shared strings", "huge merge",
    "huge dimension", "small dimension", "far cell", "row number", "formula text", "duplicate cell",
])


def _mutate(data, parts: dict[str, bytes], sheet_parts: dict[str, str]) -> tuple[str, str, str | None]:
    """Apply one mutation; return (its name, the sheet, the cell changed or None)."""
    kind = data.draw(MUTATIONS)
    sheet = data.draw(st.sampled_from(SHEETS))
    part = sheet_parts[sheet]
    xml = parts[part]
    ref = data.draw(st.sampled_from(_cells(xml)))
    cell: str | None = ref.decode()
    if kind == "content":
        content = data.draw(st.sampled_from(sorted(BAD_CONTENT)))
        xml = _set_content(xml, ref, *BAD_CONTENT[content])
        kind = f"content:{content}"
    elif kind == "address":
        xml = xml.replace(b'<c r="' + ref + b'"', b'<c r="' + data.draw(st.sampled_from(
            [b"E0", b"ZZZZ1", b"A1048577", b"1A", b""])) + b'"', 1)
    elif kind == "no address":
        xml = xml.replace(b'<c r="' + ref + b'"', b"<c", 1)
    elif kind == "no shared strings":
        parts.pop("xl/sharedStrings.xml", None)
        cell = None
    elif kind == "huge merge":
        xml = xml.replace(b"</mergeCells>", b'<mergeCell ref="A1:XFD1048576"/></mergeCells>', 1)
        cell = None
    elif kind in ("huge dimension", "small dimension"):
        size = b"A1:XFD1048576" if kind == "huge dimension" else b"A1:A1"
        xml = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="' + size + b'"/>', xml, count=1)
        cell = None
    elif kind == "far cell":
        xml = xml.replace(b"</sheetData>", b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>', 1)
        cell = None
    elif kind == "row number":
        row = re.sub(rb"[A-Z]+", b"", ref)
        xml = xml.replace(b'<row r="' + row + b'"', b'<row r="' + data.draw(st.sampled_from([b"0", b"x", b"-3"])) + b'"', 1)
        cell = None
    elif kind == "formula text":
        xml = re.sub(rb"<f>[^<]*</f>", b"<f>SUM(((</f>", xml, count=1)
        cell = None
    else:
        xml = re.sub(rb'(<c r="' + ref + rb'"[^>]*?(?:/>|>.*?</c>))', rb"\1\1", xml, count=1, flags=re.S)
    parts[part] = xml
    return kind, sheet, cell


def _read_cells(path: Path) -> set[tuple[str, str]]:
    """The cells the reader reads a value from: every field and label of the forms, the report texts."""
    from workbook.reader import read_workbook

    reading = read_workbook(path)
    cells = set()
    for form in reading.forms:
        fields = list(form.fields) + [f for i, row in enumerate(form.indicator_rows) for f in form.indicator_fields(row, i)]
        cells |= {(form.sheet, f.cell) for f in fields} | {(form.sheet, cell) for cell, _ in form.anchors}
    cells |= {("自评报告", f"C{row}") for row in range(3, 3 + 6 + 5 * 8)}
    return cells


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_mutated_workbooks_give_findings_or_one_chinese_line(data, book, tmp_path_factory):
    path, original, sheet_parts = book
    parts = dict(original)
    kinds = [_mutate(data, parts, sheet_parts) for _ in range(data.draw(st.integers(1, 3)))]
    target = tmp_path_factory.mktemp("m") / "改动.xlsx"
    target.write_bytes(_package(parts))
    single_bad_value = len(kinds) == 1 and kinds[0][0].startswith("content:")
    try:
        findings = open_session(target).findings
    except FilingError as exc:
        message = str(exc)
        assert not single_bad_value, message  # one bad cell never rejects the whole workbook
        assert "\n" not in message and len(message) < 400
        assert re.search(r"[\u4e00-\u9fff]", message) and ("工作表" in message or "“改动.xlsx”" in message), message
        return
    if single_bad_value:
        _, sheet, cell = kinds[0]
        if (sheet, cell) in _READ_CELLS.setdefault(path, _read_cells(path)):
            assert [f.rule for f in findings if (f.sheet, f.cell) == (sheet, cell)][:1] == ["W4"], (sheet, cell)


_READ_CELLS: dict[Path, set[tuple[str, str]]] = {}


def test_one_bad_amount_is_a_finding_at_its_cell_and_the_rest_is_read(book, tmp_path):
    path, original, sheet_parts = book
    for content, (kind, text) in BAD_CONTENT.items():
        parts = dict(original)
        parts[sheet_parts["附件3-1"]] = _set_content(parts[sheet_parts["附件3-1"]], b"E8", kind, text)
        target = tmp_path / f"{content}.xlsx"
        target.write_bytes(_package(parts))
        findings = open_session(target).findings
        w4 = [f for f in findings if f.rule == "W4"]
        assert [(f.sheet, f.cell, f.pointer) for f in w4] == [("附件3-1", "E8", "/projects/0/funds/total/full_year")], content
        assert text[:5] in w4[0].message or "编号" in w4[0].message
        assert not [f for f in findings if f.pointer == "/projects/0/funds/total/full_year" and f.rule != "W4"]
        assert any(f.sheet == "附件3-2" for f in findings)  # the other tables were read as usual


@pytest.mark.parametrize("column", ["K", "L"])
def test_an_unreadable_kind_or_band_in_an_empty_row_is_a_finding_at_its_cell(book, tmp_path, column):
    """指标性质 (K) and 评价档次 (L) alone do not make an indicator row used, so the row stays
    empty; what the file holds there unreadable is still said at the cell (found by the fuzz test)."""
    path, original, sheet_parts = book
    empty_row = 30  # below the seed's last 附件1 indicator row, inside the table
    ref = f"{column}{empty_row}".encode()
    parts = dict(original)
    parts[sheet_parts["附件1"]] = _set_content(parts[sheet_parts["附件1"]], ref, "s", "99999")
    target = tmp_path / "helper.xlsx"
    target.write_bytes(_package(parts))
    findings = open_session(target).findings
    assert [f.rule for f in findings if (f.sheet, f.cell) == ("附件1", ref.decode())] == ["W4"]
