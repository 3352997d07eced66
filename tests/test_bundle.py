"""``perfeval bundle``: the offline install folder for Windows PCs (issue 11, a first day that works).

The download test needs the package index; it is skipped, saying so, when the network is not
reachable. It fetches one Python version only (3.12) to stay cheap, then proves the folder is
complete by resolving an install from it with the network switched off (``--no-index``).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from macros.bundle import BundleError, make_bundle, own_wheel
from macros.cli import main

ROOT = Path(__file__).parents[1]


def _index_reachable() -> bool:
    try:
        socket.create_connection(("pypi.org", 443), timeout=3).close()
        return True
    except OSError:
        return False


def test_an_existing_folder_with_files_is_refused(tmp_path, capsys):
    (tmp_path / "mine.txt").write_text("x", encoding="utf-8")
    assert main(["bundle", "-o", str(tmp_path)]) == 2
    assert "已存在且不是空文件夹" in capsys.readouterr().err
    assert [p.name for p in tmp_path.iterdir()] == ["mine.txt"]


@pytest.mark.parametrize(("given", "expected"), [([], ("3.11", "3.12", "3.13")), (["--python", "3.12"], ["3.12"])])
def test_the_command_asks_for_every_python_version_unless_told(tmp_path, monkeypatch, capsys, given, expected):
    """``perfeval bundle -o DIR`` without ``--python`` serves every version (it once passed None)."""
    import macros.bundle

    asked = []
    monkeypatch.setattr(macros.bundle, "make_bundle", lambda _target, pythons, _wheel: asked.append(pythons) or [])
    assert main(["bundle", "-o", str(tmp_path / "包"), *given]) == 0
    assert [tuple(a) for a in asked] == [tuple(expected)]


def test_a_given_file_that_is_not_a_wheel_is_refused(tmp_path):
    with pytest.raises(BundleError, match="不是 wheel 文件"):
        own_wheel(tmp_path, tmp_path / "perfeval.zip")


@pytest.mark.skipif(not _index_reachable(), reason="pypi.org 无法连接 / package index not reachable: cannot download wheels")
def test_bundle_holds_every_wheel_for_windows_and_an_offline_installer(tmp_path):
    built_before = (ROOT / "build").exists()
    target = tmp_path / "安装包"
    wheels = [p.name for p in make_bundle(target, ["3.12"], progress=lambda _: None)]
    assert not (ROOT / "build").exists() or built_before  # the wheel was built in a copy of the tree
    for prefix, tag in (("perfeval-", "py3-none-any"), ("xlwings-0.37.8-", "cp312-cp312-win_amd64"),
                        ("pywin32-", "cp312-cp312-win_amd64"), ("lxml-", "cp312-cp312-win_amd64"),
                        ("python_docx-", ""), ("xlsxwriter-", ""), ("openpyxl-", "")):
        assert any(w.lower().startswith(prefix) and tag in w for w in wheels), (prefix, tag, wheels)
    assert not [w for w in wheels if w.endswith(".tar.gz") or "linux" in w or "macosx" in w]
    install = (target / "install.bat").read_bytes()
    text = install.decode("gbk")
    assert b"\r\n" in install and "py -3 -m venv" in text and "py -3.1" not in text
    assert '--no-index --find-links "%HERE%wheels"' in text
    assert (target / "perfeval.bat").read_bytes().startswith(b'@"%LOCALAPPDATA%\\perfeval\\.venv\\Scripts\\perfeval.exe"')
    assert {p.name for p in (target / "workbooks").iterdir()} == {"绩效自评主表.xlsm", "绩效自评主表-Lite.xlsx"}
    assert {p.name for p in (target / "samples").iterdir()} == {"lukou-2022.json", "lukou-2022-corrected.json"}
    # The folder is enough: pip resolves perfeval for Windows / Python 3.12 from it with no index at all.
    env = {**os.environ, "PIP_CONSTRAINT": "", "PIP_FIND_LINKS": "", "PIP_EXTRA_INDEX_URL": ""}
    done = subprocess.run([sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed", "--no-index",
                           "--find-links", str(target / "wheels"), "--platform", "win_amd64", "--python-version",
                           "3.12", "--implementation", "cp", "--only-binary=:all:", "--target", str(tmp_path / "t"),
                           "perfeval", "pywin32"], capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "perfeval-" in done.stdout and "xlwings-0.37.8" in done.stdout
