"""One shared helper each for atomic writes, deterministic zips, document properties and package
relationships (xlfuncs/fileio.py), and no other module doing these by hand."""

from __future__ import annotations

import io
import os
import re
import stat
import zipfile
from pathlib import Path

import pytest

from xlfuncs import fileio

ROOT = Path(__file__).parents[1]


def test_write_atomic_replaces_whole_and_syncs(tmp_path, monkeypatch):
    events = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd):
        events.append("file" if stat.S_ISREG(os.fstat(fd).st_mode) else "folder")
        return real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", lambda a, b: events.append("rename") or real_replace(a, b))
    target = tmp_path / "sub" / "主工作簿.xlsx"
    assert fileio.write_atomic(target, b"first") == target
    assert target.read_bytes() == b"first"
    # the data is on disk before the rename makes it visible; then the rename itself (where folders sync)
    assert events == ["file", "rename"] + (["folder"] if os.name == "posix" else [])
    fileio.write_atomic(target, b"second")
    assert target.read_bytes() == b"second"
    assert [p.name for p in target.parent.iterdir()] == ["主工作簿.xlsx"]  # no temporary file left


def test_write_atomic_leaves_the_old_file_when_the_write_fails(tmp_path, monkeypatch):
    target = tmp_path / "filing.json"
    target.write_bytes(b"old")

    def broken(*_args):
        raise OSError("磁盘已满")

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(OSError):
        fileio.write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["filing.json"]


def test_zip_bytes_is_deterministic_with_fixed_stamps_and_modes():
    entries = [("b.txt", b"2"), ("a/一.txt", "一".encode())]
    first, second = fileio.zip_bytes(entries), fileio.zip_bytes(list(entries))
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert archive.namelist() == ["b.txt", "a/一.txt"]  # the order given
        assert {info.date_time for info in archive.infolist()} == {fileio.ZIP_EPOCH}
        assert {info.external_attr >> 16 for info in archive.infolist()} == {0o644}
    stamped = fileio.zip_bytes(entries, when=(2023, 5, 6, 7, 8, 10))
    assert zipfile.ZipFile(io.BytesIO(stamped)).infolist()[0].date_time == (2023, 5, 6, 7, 8, 10)


def test_rewrite_zip_keeps_order_and_metadata():
    original = fileio.zip_bytes([("[Content_Types].xml", b"<Types/>"), ("docProps/core.xml", b"<old/>")],
                                when=(2022, 1, 2, 3, 4, 6))
    replaced = fileio.rewrite_zip(original, fileio.property_parts("2022年度预算绩效自评表", "渌口区<中心>"))
    with zipfile.ZipFile(io.BytesIO(replaced)) as archive:
        assert archive.namelist() == ["[Content_Types].xml", "docProps/core.xml"]
        assert archive.infolist()[1].date_time == (2022, 1, 2, 3, 4, 6)
        core = archive.read("docProps/core.xml").decode()
    assert "<dc:title>2022年度预算绩效自评表</dc:title>" in core and "creator" not in core
    upper = fileio.rewrite_zip(original, lambda name, data: data.upper())
    assert zipfile.ZipFile(io.BytesIO(upper)).read("docProps/core.xml") == b"<OLD/>"
    assert "<Company>渌口区&lt;中心&gt;</Company>" in fileio.app_properties_xml("渌口区<中心>")


def test_relationships():
    rels = (b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            b'<Relationship Id="rId1" Type="t/worksheet" Target="worksheets/sheet1.xml"/>'
            b'<Relationship Id="rId2" Type="t/x" Target="/xl/styles.xml"/>'
            b'<Relationship Id="rId3" Type="t/hyperlink" Target="https://example.org" TargetMode="External"/>'
            b"</Relationships>")
    assert fileio.rels_path("xl/workbook.xml") == "xl/_rels/workbook.xml.rels"
    assert fileio.rels_path("") == "_rels/.rels"
    assert [r["Id"] for r in fileio.parse_relationships(rels)] == ["rId1", "rId2", "rId3"]
    assert fileio.resolve_target("xl/worksheets/sheet1.xml", "../comments1.xml") == "xl/comments1.xml"
    parts = {"xl/_rels/workbook.xml.rels": rels}
    assert fileio.relationship_targets(parts.__getitem__, "xl/workbook.xml") == {
        "rId1": "xl/worksheets/sheet1.xml", "rId2": "xl/styles.xml"}
    assert fileio.relationship_targets(parts.__getitem__, "xl/worksheets/sheet1.xml", names=parts) == {}


#: What only xlfuncs/fileio.py may do: rename into place, make temporary files to rename, build zips.
_BY_HAND = re.compile(r'os\.replace\(|mkstemp\(|ZipInfo\(|ZipFile\([^)]*"w"|'
                      r'<cp:coreProperties|<Properties xmlns|\}Relationship"|_rels/\.rels')


def test_no_module_writes_zips_properties_or_files_by_hand():
    offenders = []
    for package in ("xlfuncs", "workbook", "macros"):
        for path in (ROOT / package).rglob("*.py"):
            if path.name == "fileio.py":
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                if _BY_HAND.search(line):
                    offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
                elif re.search(r"\.write_(bytes|text)\(", line) and "scratch" not in line:
                    offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == []


def test_streaming_rewrite_replaces_one_part_and_copies_the_rest(tmp_path):
    path = tmp_path / "审核汇总.xlsx"
    path.write_bytes(fileio.zip_bytes([("a.xml", b"<a/>"), ("big.xml", b"<rows>old</rows>")]))

    def edit(source, info, target):
        if info.filename != "big.xml":
            return False
        with fileio.open_entry(target, info) as out:
            out.write(source.read(info).replace(b"old", b"new" * 3))
        return True

    assert fileio.rewrite_zip_file(path, edit) == path
    with zipfile.ZipFile(path) as archive:
        assert archive.namelist() == ["a.xml", "big.xml"]
        assert archive.read("a.xml") == b"<a/>" and archive.read("big.xml") == b"<rows>newnewnew</rows>"
        assert archive.getinfo("big.xml").date_time == fileio.ZIP_EPOCH

    def broken(source, info, target):
        raise OSError("磁盘已满")

    before = path.read_bytes()
    with pytest.raises(OSError):
        fileio.rewrite_zip_file(path, broken)
    assert path.read_bytes() == before and [p.name for p in tmp_path.iterdir()] == ["审核汇总.xlsx"]


def test_a_streamed_file_is_published_whole(tmp_path):
    target = tmp_path / "out" / "审核汇总.xlsx"
    temp = fileio.temp_beside(target, suffix=".xlsx")
    assert temp.parent == target.parent and temp.exists() and not target.exists()
    temp.write_bytes(b"streamed")
    assert fileio.publish(temp, target) == target and target.read_bytes() == b"streamed" and not temp.exists()
