"""The workbook reader's lowest layers: Excel's ``_xHHHH_`` text escapes, moving a shared formula,
and streaming one worksheet's XML into cells (values, formulas, problems, budget)."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbook.excel_text import decode, encode, lone_surrogate
from workbook.formula_shift import shift_formula
from workbook.sheet_xml import ReadBudget, read_sheet
from xlfuncs.filing import FilingError

# ------------------------------------------------------------------ _xHHHH_ escapes

_AWKWARD = st.sampled_from(list("\x00\x01\x08\x0b\x0c\r\x1f\t\n\ufffe\uffff\ud800\udbff\udc00\udfff_x0D5F"
                                "😀第一行") + ["_x000D_", "_x005F_", "_xFFFF_", "_x00", "x000D_"])
TEXTS = st.lists(st.one_of(st.characters(), _AWKWARD), max_size=30).map("".join)
_XML_CHAR = re.compile(r"[\t\n\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]*")


@given(TEXTS)
def test_encoded_text_is_xml_and_decodes_to_what_was_typed(text):
    stored = encode(text)
    assert _XML_CHAR.fullmatch(stored), repr(stored)  # no CR either: parsers would fold it into LF
    # as typed (two code points that make a surrogate pair come back as their one character)
    assert decode(stored) == text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


def test_excel_written_escapes_read_as_typed():
    assert decode("第一行_x000D_\n第二行") == "第一行\r\n第二行"
    assert decode("软换行_x000B_之后") == "软换行\x0b之后"
    assert decode("字面_x005F_x000D_") == "字面_x000D_"
    assert decode("_xD83D__xDE00_") == "😀" and lone_surrogate(decode("_xD800_")) == "\ud800"
    assert encode("字面_x000D_") == "字面_x005F_x000D_" and encode("a\rb") == "a_x000D_b"


# ------------------------------------------------------------------ shared formulas


@given(st.integers(1, 500), st.integers(0, 50), st.integers(-20, 20), st.integers(-5, 5))
def test_a_formula_moved_and_back_is_the_same(row, col, down, right):
    from workbook.layouts.cells import col_letters

    here = f"{col_letters(col)}{row}"
    formula = f'IF(ISNUMBER({here}),SUM($A$1:{here},\'附件1\'!{here})/LOG10(2),"{here}")+{here}*1.5E3'
    moved = shift_formula(formula, down, right)
    if row + down >= 1 and col + right >= 0:
        assert shift_formula(moved, -down, -right) == formula
        assert moved.count('"' + here + '"') == 1 and "LOG10(" in moved and "1.5E3" in moved
    else:
        assert "#REF!" in moved


def test_moving_shifts_relative_parts_only():
    assert shift_formula("F8/E8+$G$8+G$8+$G8+A:A+3:3", 2, 1) == "G10/F10+$G$8+H$8+$G10+B:B+5:5"


# ------------------------------------------------------------------ one sheet

_HEAD = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
         'spreadsheetml/2006/main"><dimension ref="A1:B2"/><sheetData>')
_TAIL = "</sheetData></worksheet>"
STRINGS = ["零", "一", "二"]


def _string(index: int) -> str:
    if index >= len(STRINGS):
        raise LookupError(f"共享字符串编号 {index} 不存在")
    return STRINGS[index]


def _read(rows: str, **options):
    data = (_HEAD + rows + _TAIL).encode("utf-8")
    options.setdefault("budget", ReadBudget("“测试.xlsx”"))
    return read_sheet(io.BytesIO(data), strings=_string, dates=frozenset({"3", "4"}), date1904=False,
                      where="工作表“附件1”", **options)


def test_values_of_every_type():
    cells = _read(
        '<row r="1"><c r="A1" t="s"><v>1</v></c><c r="B1"><v>10</v></c><c r="C1"><v>2.5</v></c>'
        '<c r="D1" t="b"><v>1</v></c><c r="E1" t="e"><v>#N/A</v></c><c r="F1" t="inlineStr"><is><r><t>甲</t></r>'
        '<r><t xml:space="preserve">乙_x000D_</t></r><rPh><t>ヨミ</t></rPh></is></c></row>'
        '<row r="2"><c r="A2" s="3"><v>44986</v></c><c r="B2" s="4"><v>0.5</v></c><c r="C2" t="d"><v>2023-03-01T00:00:00</v></c>'
        '<c r="D2" t="str"><f>A1&amp;"x"</f><v>一x</v></c><c r="E2" s="1"/><c r="F2"><v></v></c></row>')
    assert cells.values == {"A1": "一", "B1": 10, "C1": 2.5, "D1": True, "E1": "#N/A", "F1": "甲乙\r",
                            "A2": dt.datetime(2023, 3, 1), "B2": dt.time(12), "C2": dt.datetime(2023, 3, 1)}
    assert cells.formulas == {"D2": '=A1&"x"'} and cells.cached == {"D2": "一x"}
    assert not cells.problems and not cells.bad_refs and isinstance(cells.values["B1"], int)


def test_cells_present_count_never_the_dimension():
    far = _read('<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>2</v></c></row>')
    assert far.values == {"A1": 1, "XFD1048576": 2}  # the dimension said A1:B2: both cells still read


def test_addresses_left_out_follow_the_previous_cell():
    cells = _read('<row r="3"><c r="B3"><v>1</v></c><c><v>2</v></c></row><row><c><v>3</v></c></row>')
    assert cells.values == {"B3": 1, "C3": 2, "A4": 3}


@pytest.mark.parametrize("cell, reason", [
    ('<c r="A1"><v>NaN</v></c>', "NaN"), ('<c r="A1"><v>1e999</v></c>', "1e999"),
    ('<c r="A1"><v>12abc</v></c>', "12abc"), ('<c r="A1"><v>1_000</v></c>', "1_000"),
    ('<c r="A1" t="s"><v>99</v></c>', "编号 99"), ('<c r="A1" t="s"><v>x</v></c>', "“x”"),
    ('<c r="A1" t="b"><v>2</v></c>', "TRUE/FALSE"), ('<c r="A1" t="d"><v>昨天</v></c>', "日期"),
    ('<c r="A1" s="3"><v>1e300</v></c>', "日期"), ('<c r="A1" t="q"><v>1</v></c>', "类型“q”"),
    ('<c r="A1" t="inlineStr"><is><t>_xD800_</t></is></c>', "半个"),
])
def test_a_cell_that_cannot_be_read_is_a_problem_at_that_cell(cell, reason):
    cells = _read(f'<row r="1">{cell}<c r="B1"><v>7</v></c></row>')
    assert list(cells.problems) == ["A1"] and reason in cells.problems["A1"]
    assert cells.values == {"B1": 7}  # the rest of the sheet is read


def test_addresses_that_are_no_cell_are_listed_and_skipped():
    cells = _read('<row r="1"><c r="E0"><v>1</v></c><c r="ZZZZ1"><v>2</v></c><c r="A1048577"><v>3</v></c>'
                  '<c r="B1"><v>4</v></c></row><row r="x"><c r="A2"><v>5</v></c></row>')
    assert cells.bad_refs == ["E0", "ZZZZ1", "A1048577", "第 x 行"] and cells.values == {"B1": 4, "A2": 5}


def test_shared_formulas_are_given_to_every_cell():
    cells = _read('<row r="8"><c r="H8"><f t="shared" ref="H8:H10" si="0">F8/E8</f><v>1</v></c></row>'
                  '<row r="9"><c r="H9"><f t="shared" si="0"/><v>1</v></c></row>'
                  '<row r="10"><c r="H10"><f t="shared" si="0"/><v>1</v></c></row>')
    assert cells.formulas == {"H8": "=F8/E8", "H9": "=F9/E9", "H10": "=F10/E10"}


def test_reading_only_the_first_rows_stops_early():
    cells = _read("".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>' for r in range(1, 1000)), last_row=2)
    assert cells.values == {"A1": 1, "A2": 2} and not cells.complete


def test_budget_on_cells_names_the_sheet_and_the_limit():
    rows = "".join(f'<row r="{r}"><c r="A{r}"><v>1</v></c></row>' for r in range(1, 9000))
    with pytest.raises(FilingError, match=r"测试\.xlsx.*附件1.*8,000"):
        _read(rows, budget=ReadBudget("“测试.xlsx”", cells=8000))


def test_budget_on_time_names_the_limit():
    budget = ReadBudget("“测试.xlsx”", seconds=0)
    with pytest.raises(FilingError, match="时间上限"):
        _read("".join(f'<row r="{r}"><c r="A{r}"><v>1</v></c></row>' for r in range(1, 5000)), budget=budget)


@pytest.mark.parametrize("xml, words", [
    ('<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><worksheet/>', "DOCTYPE"),
    ("<worksheet><sheetData><row>", "XML 已损坏"),
    ("<worksheet><sheetData><row r='1'><c r='A1'><v>1</v></row>", "第 1 行"),
])
def test_broken_or_hostile_xml_is_one_line_naming_the_sheet(xml, words):
    with pytest.raises(FilingError) as caught:
        read_sheet(io.BytesIO(xml.encode()), strings=_string, dates=frozenset(), date1904=False,
                   budget=ReadBudget("“测试.xlsx”"), where="工作表“附件1”")
    message = str(caught.value)
    assert words in message and "附件1" in message and "\n" not in message
