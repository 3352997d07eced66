"""The commands the README and the user guide tell people to type run, as written (issue 11).

Every ``perfeval …`` line of their code blocks is run in order in one scratch folder (the
README's from the source tree, so its repository paths resolve; the guide's with its example
files provided: 去年填报.json is the corrected seed). ``bundle`` needs the network and is
covered by tests/test_bundle.py; PDF conversion is switched off to keep this fast. Each
command must finish with 0 or 1 (findings), Chinese output and no traceback. The Windows
checklist's commands use Windows paths; they are checked to be valid perfeval commands.
"""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest

from macros import pdf as pdf_module
from macros.cli import build_parser, main

ROOT = Path(__file__).parents[1]
BLOCK = re.compile(r"```(?:bash|powershell)\n(.*?)```", re.S)


INLINE = re.compile(r"`(perfeval (?:-|[a-z])[^`]*)`")  # a command, not its output (`perfeval 0.1.0`)


def commands(doc: str, inline: bool = False) -> list[str]:
    """The perfeval command lines of a Markdown file's bash/PowerShell blocks, in order (and, with
    ``inline``, those written as inline code in the text)."""
    text = (ROOT / doc).read_text(encoding="utf-8")
    lines = [line.strip() for block in BLOCK.findall(text) for line in block.splitlines()]
    found = [line for line in lines if line.startswith(("perfeval ", "python -m macros "))]
    return found + (INLINE.findall(BLOCK.sub("", text)) if inline else [])


def argv(line: str) -> list[str]:
    words = shlex.split(line.replace("\\", "/"))
    return words[3:] if words[:3] == ["python", "-m", "macros"] else words[1:]


def run_all(lines: list[str], capsys) -> list[tuple[str, int]]:
    ran = []
    for line in lines:
        args = argv(line)
        if args and args[0] == "bundle":
            continue  # downloads from the package index: tests/test_bundle.py
        try:
            code = main(args)
        except SystemExit as exc:  # --version, --help
            code = exc.code
        out = capsys.readouterr()
        assert code in (0, 1), (line, out.err)
        assert "Traceback" not in out.err and "Error:" not in out.err, (line, out.err)
        ran.append((line, code))
    return ran


@pytest.fixture
def no_pdf(monkeypatch):
    monkeypatch.setattr(pdf_module, "find_soffice", lambda: None)


def test_the_readme_commands_run(capsys, tmp_path, monkeypatch, no_pdf):
    lines = commands("README.md")
    assert len(lines) >= 8
    work = tmp_path / "src"
    work.mkdir()
    for item in ("xlfuncs", "tests"):
        (work / item).symlink_to(ROOT / item)
    monkeypatch.chdir(work)
    ran = dict(run_all(lines, capsys))
    assert ran["perfeval validate xlfuncs/data/lukou-2022.json"] == 1
    assert ran["perfeval export 正确.xlsm -o 报送材料 --no-pdf"] == 0
    assert (work / "报送材料" / "株洲市渌口区机关事务服务中心_2022_绩效自评材料" / "绩效自评表.xlsx").is_file()
    forced = next((work / "强制导出").glob("*/校验报告.txt")).read_text(encoding="utf-8-sig")
    assert forced.startswith("强制导出：仍有 21 个错误")


def test_the_user_guide_commands_run(capsys, tmp_path, monkeypatch, no_pdf, corrected_path):
    lines = commands("docs/使用指南.md")
    assert any(line.startswith("perfeval new --runtime desktop --from 去年填报.json") for line in lines)
    from document_renders import write_docx
    from seed_document import seed_blocks

    from xlfuncs.filing import load_filing

    monkeypatch.chdir(tmp_path)
    shutil.copy(corrected_path, tmp_path / "去年填报.json")
    write_docx(tmp_path / "去年自评材料.docx", seed_blocks(load_filing(corrected_path)))  # last year typed in Word
    ran = run_all(lines, capsys)
    assert {line for line, _ in ran} >= {"perfeval --version", "perfeval validate 绩效自评主表.xlsm",
                                         "perfeval export 绩效自评主表.xlsm -o 报送材料",
                                         "perfeval import 绩效自评主表.xlsm -o 今年填报.json"}
    for name in ("绩效自评主表.xlsm", "去年导入.xlsm", "绩效自评主表-Lite.xlsx", "明年主表.xlsm", "今年填报.json",
                 "明年主表-由JSON.xlsm", "明年主表-由工作簿.xlsm", "明年主表-由Word.xlsm"):
        assert (tmp_path / name).is_file(), name


def test_the_windows_checklist_uses_valid_commands():
    lines = commands("docs/windows-smoke-test.md", inline=True)
    assert len(lines) >= 6
    parser = build_parser()
    for line in lines:
        try:
            parser.parse_args(argv(line))
        except SystemExit as exc:  # --help and --version exit 0; a wrong name or option exits 2
            assert exc.code == 0, line
