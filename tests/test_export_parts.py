"""Parts of the export: safe names, the manifest, the LibreOffice runner's failure paths."""

from __future__ import annotations

import json
import os
import stat
import sys
import time

import pytest

from macros import pdf as pdf_module
from macros.manifest import MANIFEST_NAME, build_manifest, file_entries, verify_manifest, write_manifest
from macros.names import MAX_NAME_BYTES, MAX_NAME_CHARS, safe_name


@pytest.mark.parametrize(("raw", "expected"), [
    ("水电维修费　　", "水电维修费"),
    ("a/b\\c:d*e?f\"g<h>i|j", "a_b_c_d_e_f_g_h_i_j"),
    ("../../etc/passwd", "_.._etc_passwd"),
    ("..", "未命名"),
    ("", "未命名"),
    (None, "未命名"),
    ("CON", "_CON"),
    ("nul.txt", "_nul.txt"),
    ("com1", "_com1"),
    ("项目\n名称\t一", "项目 名称 一"),
    ("bell\x07zero\u200bwidth", "bellzerowidth"),
    (" 结尾有点. ", "结尾有点"),
])
def test_safe_name(raw, expected):
    assert safe_name(raw) == expected


def test_safe_name_is_cut_to_length_in_characters_and_bytes():
    assert len(safe_name("a" * 300)) == MAX_NAME_CHARS
    assert len(safe_name("项" * 300).encode("utf-8")) <= MAX_NAME_BYTES
    for wide in ("\U00020000", "😀", "𠀀𪜀"):  # CJK Extension B and emoji: 4 bytes each
        name = safe_name(wide * 300)
        assert len(name.encode("utf-8")) <= MAX_NAME_BYTES and name and set(name) <= set(wide)
    assert safe_name("项" * 10 + "😀", max_bytes=31) == "项" * 10  # never half a character


def test_manifest_lists_and_verifies_every_file(tmp_path):
    (tmp_path / "a.txt").write_text("甲", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.bin").write_bytes(b"\x00" * 10)
    manifest = build_manifest(tmp_path, profile="default", forced=False)
    write_manifest(tmp_path, manifest)
    loaded = json.loads((tmp_path / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert [f["path"] for f in loaded["files"]] == ["a.txt", "sub/b.bin"]
    assert loaded["files"][1]["size"] == 10 and len(loaded["files"][0]["sha256"]) == 64
    assert loaded["tool"] == "perfeval" and loaded["tool_version"] and loaded["forced"] is False
    assert verify_manifest(tmp_path) == []
    (tmp_path / "a.txt").write_text("乙", encoding="utf-8")
    (tmp_path / "c.txt").write_text("新", encoding="utf-8")
    (tmp_path / "sub" / "b.bin").unlink()
    problems = verify_manifest(tmp_path)
    assert any("a.txt" in p and "不符" in p for p in problems)
    assert any("c.txt" in p and "不在清单" in p for p in problems)
    assert any("sub/b.bin" in p and "不存在" in p for p in problems)
    assert MANIFEST_NAME not in [e["path"] for e in file_entries(tmp_path)]


def test_no_libreoffice_gives_a_chinese_note(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf_module, "find_soffice", lambda: None)
    source = tmp_path / "a.docx"
    source.write_bytes(b"x")
    result = pdf_module.convert_to_pdf([source], tmp_path)
    assert not result.ok and result.missing == [source]
    assert "未找到 LibreOffice" in result.note


def _fake_soffice(tmp_path, body: str):
    script = tmp_path / "fake-soffice"
    script.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return str(script)


@pytest.mark.skipif(sys.platform == "win32", reason="uses a shell script as a fake soffice")
def test_a_hanging_conversion_is_stopped(tmp_path):
    fake = _fake_soffice(tmp_path, "sleep 30 & sleep 30")
    source = tmp_path / "a.docx"
    source.write_bytes(b"x")
    started = time.perf_counter()
    result = pdf_module.convert_to_pdf([source], tmp_path, timeout=1, soffice=fake)
    assert time.perf_counter() - started < 10
    assert "超过 1 秒未完成" in result.note and result.missing == [source]


@pytest.mark.skipif(sys.platform == "win32", reason="uses a shell script as a fake soffice")
def test_a_failing_conversion_is_reported(tmp_path):
    fake = _fake_soffice(tmp_path, "echo 'Error: source file could not be loaded' >&2; exit 3")
    source = tmp_path / "a.docx"
    source.write_bytes(b"x")
    result = pdf_module.convert_to_pdf([source], tmp_path, soffice=fake)
    assert "退出码 3" in result.note and "could not be loaded" in result.note


@pytest.mark.skipif(sys.platform == "win32", reason="uses a shell script as a fake soffice")
def test_each_run_gets_a_private_profile_that_is_removed(tmp_path):
    record = tmp_path / "args.txt"
    fake = _fake_soffice(tmp_path, f'printf "%s\\n" "$@" > "{record}"')
    source = tmp_path / "a.docx"
    source.write_bytes(b"x")
    pdf_module.convert_to_pdf([source], tmp_path / "out", soffice=fake)
    args = record.read_text(encoding="utf-8").splitlines()
    profile = next(a for a in args if a.startswith("-env:UserInstallation=file://"))
    assert "--headless" in args and "--convert-to" in args
    assert not os.path.exists(profile.split("file://", 1)[1])


def test_the_audit_finds_what_a_master_workbook_holds(tmp_path, corrected):
    """The clean-table audit is not a formality: on the master workbook it names every kind of problem."""
    from macros.xlsx_clean import audit
    from workbook.builder import build_workbook

    problems = audit(build_workbook(corrected, tmp_path / "主表.xlsx"), ["附件1"])
    for fragment in ("工作表应为 附件1，实为 使用说明、附件1", "工作表“附件1”含", "个公式", "工作表“附件3-1”含数据验证",
                     "含定义名称"):
        assert any(fragment in p for p in problems), fragment
