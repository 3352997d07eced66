"""Reading the previous review back (untrusted: a person edited it), matching rows, placing files."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import macros.cmd_review as cmd_review
from macros.review_book import ReviewBook, ReviewInfo
from macros.review_previous import ReviewFileError, carry_over, clean_cell, describe_change, read_previous
from macros.review_sheet import row_key

CJK_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Co", "Cn")), max_size=60)


@given(st.one_of(st.text(max_size=300), st.integers(), st.floats(), st.booleans(), st.none(), st.dates()))
def test_clean_cell_gives_only_safe_values(value):
    cleaned = clean_cell(value)
    assert cleaned is None or isinstance(cleaned, str | int | float | dt.date)
    if isinstance(cleaned, str):
        assert cleaned.strip() and len(cleaned) <= 32767
        assert not any(ord(ch) < 32 and ch not in "\t\n\r" for ch in cleaned)
    if isinstance(cleaned, float):
        assert cleaned == cleaned and abs(cleaned) != float("inf")


@given(st.text(alphabet="某县农业局 　\n（）()", min_size=1, max_size=12))
def test_row_key_ignores_how_spaces_and_brackets_were_typed(unit):
    spaced = {"单位": unit, "年度": 2022, "表": "附件3-2", "项目": "培训 项目"}
    folded = {"单位": "".join(unit.split()).replace("（", "(").replace("）", ")"), "年度": "2022",
              "表": "附件3-7", "项目": "培训项目"}
    assert row_key(spaced) == row_key(folded)  # a project table is the project, wherever it moved


def _write(path: Path, rows: list[dict]) -> None:
    book = ReviewBook(path)
    for row in rows:
        book.add_row(row)
    book.close(ReviewInfo(dt.datetime(2025, 1, 1), "test", "default", ["x"]))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(opinion=CJK_TEXT.filter(lambda t: t.strip()), reviewer=CJK_TEXT.filter(lambda t: t.strip()))
def test_what_the_reviewer_typed_comes_back_unchanged(tmp_path, opinion, reviewer):
    path = tmp_path / "r.xlsx"
    _write(path, [{"单位": "某局", "年度": 2022, "表": "附件1", "文件": "a.json", "审核意见": opinion,
                   "审核人": reviewer, "状态": "通过", "审核得分": 91.5}])
    [row] = read_previous(path).rows
    assert (row.values["审核意见"], row.values["审核人"], row.values["审核得分"]) == (opinion, reviewer, 91.5)


def test_carry_over_marks_new_changed_and_unchanged(tmp_path):
    path = tmp_path / "r.xlsx"
    old = {"单位": "某局", "年度": 2022, "表": "附件1", "文件": "a.json", "错误": 2, "警告": 0, "提示": 0,
           "重算总分": 80, "SHA-256": "aa", "审核意见": "请改", "状态": "退回修改"}
    _write(path, [old])
    previous = read_previous(path)
    same = carry_over({**old, "审核意见": None, "状态": None}, previous)
    assert (same["审核意见"], same["状态"], same["本次变化"]) == ("请改", "退回修改", "")
    assert carry_over({**old, "表": "附件3-1", "项目": "新项目"}, previous)["本次变化"] == "新增"
    assert describe_change({**old, "SHA-256": "bb", "错误": 0, "重算总分": 95}, old) == "文件已更新：错误 2→0；重算总分 80→95"
    assert describe_change({**old, "规则配置": "hubei"}, old) == "结果有变化：规则配置 空→hubei"


@pytest.mark.parametrize("content", [b"", b"not a zip", b"PK\x03\x04broken"])
def test_a_damaged_previous_review_is_refused_in_chinese(tmp_path, content):
    path = tmp_path / "r.xlsx"
    path.write_bytes(content)
    with pytest.raises(ReviewFileError) as refused:
        read_previous(path)
    assert "r.xlsx" in str(refused.value)


def test_a_review_that_cannot_be_moved_is_kept_and_the_new_one_goes_beside(tmp_path, monkeypatch):
    out = tmp_path / "审核汇总.xlsx"
    out.write_bytes(b"old")
    written = tmp_path / "new.tmp"
    written.write_bytes(b"new")

    def locked(*_args):
        raise PermissionError("in use")

    monkeypatch.setattr(os, "rename", locked)
    where, backup = cmd_review.place_review(written, out, dt.datetime(2025, 3, 1, 9, 30))
    assert backup is None and out.read_bytes() == b"old"
    assert where.name == "审核汇总-20250301-093000.xlsx" and where.read_bytes() == b"new"


def test_backups_never_overwrite_each_other(tmp_path):
    out = tmp_path / "审核汇总.xlsx"
    when = dt.datetime(2025, 3, 1, 9, 30)
    for content in (b"first", b"second"):
        out.write_bytes(b"review " + content)
        written = tmp_path / "new.tmp"
        written.write_bytes(content)
        cmd_review.place_review(written, out, when)
    backups = sorted(tmp_path.glob("审核汇总.备份-*.xlsx"))
    assert [b.read_bytes() for b in backups] == [b"review first", b"review second"]


def test_progress_bar_only_on_a_terminal(monkeypatch, capsys):
    quiet = cmd_review._Progress(10)
    assert quiet.bar is None  # pytest's stdout is not a terminal
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    shown = cmd_review._Progress(10)
    assert shown.bar is not None and shown.bar.total == 10
    shown.step()
    shown.close()
    assert "审核" in capsys.readouterr().err


def test_streamed_rows_keep_their_number_formats(tmp_path):
    import openpyxl

    book = ReviewBook(tmp_path / "r.xlsx")
    book.add_row({"单位": "某局", "年度": 2022, "表": "附件1", "执行率": 0.5, "错误": 3, "全年预算数": 12.5,
                  "日期": dt.date(2025, 1, 2), "文件": 'a "b".json', "主要问题": "=SUM(1)"})
    book.close(ReviewInfo(dt.datetime(2025, 1, 1), "test", "default", ["x"]))
    assert all(book.formats[c.kind].xf_index is not None for c in book.columns)
    row = {c.value: c for c in openpyxl.load_workbook(tmp_path / "r.xlsx")["汇总"][1]}
    cells = {header: cell for header, cell in zip(row, openpyxl.load_workbook(tmp_path / "r.xlsx")["汇总"][2],
                                                   strict=False)}
    assert (cells["执行率"].value, cells["执行率"].number_format) == (0.5, "0.0%")
    assert (cells["错误"].value, cells["错误"].number_format) == (3, "0")
    assert cells["全年预算数"].number_format == "#,##0.00"
    assert cells["日期"].value == dt.datetime(2025, 1, 2) and cells["日期"].number_format == "yyyy-mm-dd"
    assert cells["主要问题"].data_type == "s" and cells["主要问题"].value == "=SUM(1)"  # text, not a formula
    assert cells["文件"].value == 'a "b".json'
    assert cells["打开"].value == '=HYPERLINK("a ""b"".json","打开")'
    assert cells["主要问题"].alignment.wrap_text
