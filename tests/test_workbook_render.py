"""LibreOffice (headless) opens the master workbook: 附件1 and 附件3-1 render to PDF and PNG, each
form one page wide with its labels and the cached figures; a copy saved by LibreOffice reads
back as the same filing. Skipped with a reason when LibreOffice or poppler is not installed."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from workbook_support import SEED_JSON, diff

from macros.session import open_session
from workbook.builder import build_workbook
from workbook.reader import normalise_filing, read_workbook

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
TIMEOUT = 180

pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) 未安装，跳过渲染测试")


def _convert(source: Path, target_format: str, out_dir: Path, profile: Path) -> Path:
    """One headless conversion with a private LibreOffice profile (parallel runs do not clash)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    command = [SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
               "--convert-to", target_format, "--outdir", str(out_dir), str(source)]
    try:
        subprocess.run(command, check=True, timeout=TIMEOUT, capture_output=True)
    except subprocess.TimeoutExpired:
        pytest.fail(f"LibreOffice 转换超时（{TIMEOUT} 秒）")
    except subprocess.CalledProcessError as exc:
        pytest.fail(f"LibreOffice 转换失败：{exc.stderr.decode(errors='replace')[-400:]}")
    result = out_dir / (source.stem + "." + target_format.split(":")[0])
    assert result.exists(), f"LibreOffice 没有生成 {result.name}"
    return result


@pytest.fixture(scope="session")
def rendered(tmp_path_factory, seed_data):
    """The seed workbook, its PDF and a copy LibreOffice saved as .xlsx (two soffice calls)."""
    folder = tmp_path_factory.mktemp("libreoffice")
    book = build_workbook(seed_data, folder / "seed.xlsx")
    profile = folder / "profile"
    pdf = _convert(book, "pdf", folder / "pdf", profile)
    saved = _convert(book, 'xlsx:Calc MS Excel 2007 XML', folder / "saved", profile)
    return book, pdf, saved


def _pages(pdf: Path) -> list[str]:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext（poppler-utils）未安装")
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True,
                          timeout=60).stdout.decode("utf-8")
    return ["".join(page.split()) for page in text.split("\f")]


def _page_of(pages: list[str], start: str) -> int:
    hits = [i for i, page in enumerate(pages) if page.startswith(start)]
    assert len(hits) == 1, f"{start}: {hits}"
    return hits[0]


def test_forms_render_one_page_each_with_labels_and_figures(rendered):
    _, pdf, _ = rendered
    pages = _pages(pdf)
    department = pages[_page_of(pages, "附件1部门整体支出绩效自评表")]
    for text in ("（2022年度）", "填报单位（盖章）：", "年度预算申请（万元）", "纳入专户管理的非税收入拨款",
                 "其中：基本支出", "偏差原因分析及改进措施", "单位负责人签字：", "2414.16", "2662.18", "1372.76",
                 "1289.42", "100.0%", "核酸检测"):
        assert text in department, text
    for n in range(1, 6):
        page = pages[_page_of(pages, f"附件3-{n}项目支出绩效自评表")]
        assert "项目资金（万元）" in page and "其中：当年财政拨款" in page and "偏差原因分析及改进措施" in page
    # one page per form: the page after 附件1 is 附件3-1, the helper zone is not printed
    first = _page_of(pages, "附件1部门整体支出绩效自评表")
    assert pages[first + 1].startswith("附件3-1") and pages[first + 2].startswith("附件3-2")
    assert "评分说明" not in department and "核对与说明" not in department
    project3 = pages[_page_of(pages, "附件3-3项目支出绩效自评表")]
    assert "523.12" in project3 and "31.60" in project3


def test_png_of_the_two_forms(rendered, tmp_path):
    _, pdf, _ = rendered
    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm（poppler-utils）未安装")
    pages = _pages(pdf)
    for start in ("附件1部门整体支出绩效自评表", "附件3-1项目支出绩效自评表"):
        number = _page_of(pages, start) + 1
        prefix = tmp_path / f"page{number}"
        subprocess.run(["pdftoppm", "-r", "60", "-f", str(number), "-l", str(number), "-png", "-singlefile",
                        str(pdf), str(prefix)], check=True, timeout=60)
        png = prefix.with_suffix(".png")
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert 10_000 < png.stat().st_size < 300_000


def test_workbook_saved_by_libreoffice_reads_back(rendered, seed_data):
    _, _, saved = rendered
    reading = read_workbook(saved)
    assert diff(normalise_filing(seed_data), normalise_filing(reading.filing)) == []
    assert reading.findings == []  # LibreOffice kept formulas (lower-cased UDF names), values and notes
    from_json = open_session(str(SEED_JSON), "default").findings
    from_book = open_session(str(saved), "default").findings
    assert {(f.rule, f.pointer) for f in from_book} == {(f.rule, f.pointer) for f in from_json}
