"""The command line's shell (issue 11, 13, 15): every message Chinese, argparse's own words included;
no traceback for output paths that cannot be written, a workbook open elsewhere or a closed pipe;
files that are not filings named for what they are; light start-up (the import set, not the time)."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from macros.cli import main
from macros.oserrors import describe_os_error, os_reason
from workbook.builder import build_workbook

ROOT = Path(__file__).parents[1]
SEED = ROOT / "xlfuncs" / "data" / "lukou-2022.json"
ENGLISH = ("usage:", "error:", "invalid choice", "unrecognized arguments", "the following arguments are required",
           "positional arguments", "options:", "show this help", "Traceback", "File exists", "No such file",
           "Permission denied", "Read-only file system", "No space left", "InvalidFileException", "not a UTF-8")
HEAVY = ("docx", "xlsxwriter", "openpyxl", "lxml", "http.client", "pdfplumber", "xlrd", "workbook", "macros.export",
         "macros.docx_writer", "xlfuncs.recognise.assemble",
         # only reading a package and exporting need these (a twentieth of a start-up)
         "macros.package_in", "macros.manifest", "importlib.metadata")


def run(capsys, *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse's own exits (help, version, errors)
        code = exc.code
    out = capsys.readouterr()
    return code, out.out, out.err


def assert_chinese(text: str) -> None:
    for word in ENGLISH:
        assert word not in text, (word, text)


# ------------------------------------------------------------------ argparse in Chinese


@pytest.mark.parametrize(("argv", "fragment"), [
    (["valdate", "x.json"], "无效的取值：'valdate'"),
    (["validate"], "缺少必需的参数：文件"),
    (["score", "a.json", "b.json"], "无法识别的参数：b.json"),
    (["new", "--runtime", "excel"], "参数 --runtime：无效的取值：'excel'"),
    (["new", "--projects", "abc"], "项目数应为整数"),
    (["export", "x.json", "--nope"], "无法识别的参数：--nope"),
    (["new", "-o"], "参数 -o/--output：需要一个值"),
])
def test_argument_errors_are_chinese_with_a_chinese_usage_line(capsys, argv, fragment):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert err.startswith("用法：perfeval") and fragment in err
    assert_chinese(err)


@pytest.mark.parametrize("argv", [["--help"], ["validate", "--help"], ["export", "-h"], ["new", "--help"]])
def test_help_is_chinese(capsys, argv):
    code, out, _ = run(capsys, *argv)
    assert code == 0 and out.startswith("用法：perfeval") and "显示本帮助并退出" in out
    assert_chinese(out)


def test_version(capsys):
    code, out, _ = run(capsys, "--version")
    assert code == 0 and out.strip().startswith("perfeval ") and out.strip() != "perfeval unknown"


# ------------------------------------------------------------------ paths that cannot be used


def test_export_into_a_path_that_is_a_file(capsys, tmp_path, corrected_path):
    target = tmp_path / "out.txt"
    target.write_text("mine", encoding="utf-8")
    code, _, err = run(capsys, "export", str(corrected_path), "-o", str(target), "--no-pdf")
    assert code == 2 and "是一个文件，不是文件夹" in err and target.read_text(encoding="utf-8") == "mine"
    assert_chinese(err)


def test_export_creates_a_missing_folder(capsys, tmp_path, corrected_path):
    code, _, _ = run(capsys, "export", str(corrected_path), "-o", str(tmp_path / "a" / "b"), "--no-pdf")
    assert code == 0 and (tmp_path / "a" / "b").is_dir()


@pytest.mark.parametrize(("number", "reason"), [(errno.EROFS, "只读"), (errno.EACCES, "没有权限"),
                                                (errno.ENOSPC, "磁盘空间不足")])
def test_export_into_a_folder_that_cannot_be_written(capsys, tmp_path, corrected_path, monkeypatch, number, reason):
    def refuse(*_args, **_kwargs):
        raise OSError(number, os.strerror(number), str(tmp_path / "ro"))

    monkeypatch.setattr(tempfile, "mkdtemp", refuse)
    code, _, err = run(capsys, "export", str(corrected_path), "-o", str(tmp_path / "ro"), "--no-pdf")
    assert code == 2 and reason in err and "“" in err
    assert_chinese(err)


@pytest.mark.parametrize(("number", "reason"), [(errno.EROFS, "只读"), (errno.ENOENT, "不存在"),
                                                (errno.EEXIST, "已存在")])
def test_new_into_a_folder_that_cannot_be_written(capsys, tmp_path, monkeypatch, number, reason):
    def refuse(*_args, **kwargs):
        raise OSError(number, os.strerror(number), str(kwargs.get("dir", tmp_path)))

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    code, _, err = run(capsys, "new", "--runtime", "plain", "-o", str(tmp_path / "x" / "主表.xlsx"))
    assert code == 2 and reason in err
    assert_chinese(err)


def test_a_workbook_open_in_another_program(capsys, tmp_path, corrected, monkeypatch):
    book = build_workbook(corrected, tmp_path / "主表.xlsx")
    (tmp_path / "~$主表.xlsx").write_bytes(b"\x00" * 162)  # Excel's lock file beside an open workbook
    real_open = Path.open

    def locked(self, *args, **kwargs):
        if self == book:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", locked)
    code, _, err = run(capsys, "validate", str(book))
    assert code == 2 and "正在 Excel 或 WPS 中打开" in err and "~$主表.xlsx" in err
    assert_chinese(err)


def test_new_over_a_workbook_open_in_another_program(capsys, tmp_path, monkeypatch):
    target = tmp_path / "主表.xlsx"
    target.write_bytes(b"old")
    (tmp_path / "~$主表.xlsx").write_bytes(b"\x00")

    def in_use(src, dst):
        raise PermissionError(errno.EACCES, "Permission denied", str(src), None, str(dst))

    monkeypatch.setattr(os, "replace", in_use)
    code, _, err = run(capsys, "new", "--runtime", "plain", "-o", str(target), "--force")
    assert code == 2 and "正在 Excel 或 WPS 中打开" in err and target.read_bytes() == b"old"
    assert_chinese(err)


def test_a_closed_pipe_is_not_a_traceback(tmp_path):
    err = tmp_path / "err.txt"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = f'"{sys.executable}" -m macros validate "{SEED}" --json 2>"{err}" | true'
    subprocess.run(["sh", "-c", command], cwd=ROOT, env=env, timeout=60, check=False)
    text = err.read_text(encoding="utf-8")
    assert "Traceback" not in text and "BrokenPipe" not in text and "Exception ignored" not in text


# ------------------------------------------------------------------ files that are not filings


OLE_ZEROS = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504  # an OLE signature and nothing behind it


@pytest.mark.parametrize(("name", "content", "fragment"), [
    ("旧表.xls", OLE_ZEROS, "已损坏（复合文档结构不完整）"),
    ("表.et", OLE_ZEROS, "已损坏（复合文档结构不完整）"),
    ("表.csv", "项目,金额\n水电,400\n".encode(), "CSV 文本表格（.csv）"),
    ("表.ods", b"PK\x03\x04", "OpenDocument 电子表格（.ods）"),
    ("无扩展名", OLE_ZEROS, "已损坏"),
    ("说明.txt", "只是一段说明文字。".encode(), "内容却不是 Word、Excel、PDF、网页或表格 JSON"),
])
def test_files_that_are_not_filings_are_named_for_what_they_are(capsys, tmp_path, name, content, fragment):
    path = tmp_path / name
    path.write_bytes(content)
    for command in ("validate", "export", "import"):
        code, out, err = run(capsys, command, str(path))
        assert code == 2 and fragment in err and "UTF-8" not in err, (command, err)
        assert_chinese(err)
    code, _, err = run(capsys, "new", "--from", str(path), "-o", str(tmp_path / "x.xlsx"))
    assert code == 2 and fragment in err and not (tmp_path / "x.xlsx").exists()


def test_an_encrypted_workbook_says_so(capsys, tmp_path, corrected):
    from msoffcrypto.format.ooxml import OOXMLFile

    book = build_workbook(corrected, tmp_path / "主表.xlsx")
    locked = tmp_path / "加密.xlsx"
    with book.open("rb") as source, locked.open("wb") as target:
        OOXMLFile(source).encrypt("secret", target)
    for command in ("validate", "import"):
        code, _, err = run(capsys, command, str(locked))
        assert code == 2 and "设置了打开密码" in err, err


def test_a_workbook_with_another_extension(capsys, tmp_path, corrected):
    book = build_workbook(corrected, tmp_path / "主表.xlsx")
    renamed = book.rename(tmp_path / "主表.zip")
    code, _, err = run(capsys, "validate", str(renamed))
    assert code == 2 and "扩展名改为 .xlsx 或 .xlsm" in err
    assert_chinese(err)


def test_new_from_a_workbook_gives_the_same_filing(capsys, tmp_path, corrected):
    from workbook.normalise import normalise_filing
    from workbook.reader import read_workbook

    book = build_workbook(corrected, tmp_path / "主表.xlsx")
    code, out, err = run(capsys, "new", "--from", str(book), "-o", str(tmp_path / "新.xlsx"))
    assert code == 0 and err == "" and "新.xlsx" in out
    assert normalise_filing(read_workbook(tmp_path / "新.xlsx").filing) == normalise_filing(corrected)


# ------------------------------------------------------------------ OS reasons in Chinese


@pytest.mark.parametrize(("number", "reason"), [
    (errno.ENOSPC, "磁盘空间不足"), (errno.EEXIST, "已存在"), (errno.EROFS, "只读"), (errno.EACCES, "没有权限"),
    (errno.ENOENT, "不存在"), (errno.ENAMETOOLONG, "过长"), (errno.EISDIR, "文件夹"), (errno.ENOTDIR, "不是文件夹"),
])
def test_os_reasons_are_chinese(number, reason):
    exc = OSError(number, os.strerror(number), "/某处/文件.xlsx")
    assert reason in os_reason(exc) and os.strerror(number) not in os_reason(exc)
    assert describe_os_error(exc, "写入").startswith("写入“/某处/文件.xlsx”失败：")


@pytest.mark.parametrize("reader", ["workbook", "document", "grid"])
def test_readers_give_the_reason_in_chinese(reader, tmp_path, monkeypatch):
    """A read that fails for a system reason (here a disk error) is worded from the one table."""
    from pathlib import Path

    from workbook.documents.detect import detect
    from workbook.package_read import check_file
    from xlfuncs.filing import FilingError
    from xlfuncs.recognise.gridjson import GridError, load_grid_json

    target = tmp_path / "材料.xlsx"
    target.write_bytes(b"PK\x03\x04")

    def failing(*_args, **_kwargs):
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(Path, "open", failing)
    monkeypatch.setattr(Path, "read_bytes", failing)
    call = {"workbook": lambda: check_file(target), "document": lambda: detect(target),
            "grid": lambda: load_grid_json(target)}[reader]
    with pytest.raises((FilingError, GridError)) as caught:
        call()
    message = str(caught.value)
    assert "材料.xlsx" in message and "读写出错" in message and os.strerror(errno.EIO) not in message


# ------------------------------------------------------------------ start-up: the import set


def _modules_after(argv: list[str]) -> set[str]:
    code = ("import sys, json\nfrom macros.cli import main\ntry:\n    main(" + json.dumps(argv) + ")\n"
            "except SystemExit:\n    pass\nsys.stderr.write(json.dumps(sorted(sys.modules)))\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    return set(json.loads(done.stderr.strip().splitlines()[-1]))


@pytest.mark.parametrize("argv", [["validate", str(SEED)], ["--help"], ["score", str(SEED)], ["rules"]])
def test_light_commands_load_no_document_or_workbook_library(argv):
    modules = _modules_after(argv)
    heavy = sorted(m for m in modules if any(m == h or m.startswith(h + ".") for h in HEAVY))
    assert heavy == [], heavy
    assert "xlfuncs.engine" in modules or argv[0] in ("--help", "rules")
    if argv == ["--help"]:  # registering the commands loads no engine (each imports it in its run)
        assert not modules & {"macros.presenter", "xlfuncs.scoring", "xlfuncs.profiles"}, modules
