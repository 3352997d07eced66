"""The classic desktop runtime: the VBA project and the sheet buttons of the macro-enabled workbook.

:func:`add_to_workbook` gives a workbook being written by XlsxWriter (see
:func:`workbook.writer.write_plan`) its ``vbaProject.bin`` (XlsxWriter's ``add_vba_project``)
and its Forms buttons (``insert_button``, each running a ``Buttons`` Sub). The project is
written by :mod:`workbook.ovba` (MS-OVBA, source only) and holds

* ``xlwings``: the installed xlwings package's own ``xlwings.bas``, byte for byte; it declares
  ``xlwings64-<version>.dll``, so its version must be the installed (pinned) xlwings version.
  It is the one module with ``Shell``/``WScript.Shell``/``Kill``: RunPython starts Python that way;
* ``xlwings_udfs``: wrapper functions for our UDFs in the shape xlwings' "Import Functions"
  writes (``XLPy.CallUDF("xlfuncs.udfs", NAME, Array(...), ThisWorkbook, Application.Caller)``),
  so users never need "Trust access to the VBA project object model"; an error code returned by
  Python becomes a real Excel error value (``CVErr``). ``RegisterPerfevalHelp`` gives Excel the
  Chinese function help, read from the xlwings.conf sheet (the VBA itself stays ASCII);
* ``Buttons``: one Sub per sheet button, each ``RunPython "import macros; macros.<name>()"``;
* ``ThisWorkbook`` (``Workbook_Open`` registers the help) and one empty module per worksheet,
  named as XlsxWriter names the sheets' code names (``Sheet1`` …).
"""

from __future__ import annotations

import inspect
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import xlwings

from workbook import ovba
from workbook.layouts import sheets as sheet_layouts
from workbook.layouts.sheets import CONF_SHEET
from xlfuncs.filing import FilingError

if TYPE_CHECKING:
    from xlsxwriter.workbook import Workbook

XLWINGS_MODULE = "xlwings"
UDF_MODULE = "xlwings_udfs"
BUTTONS_MODULE = "Buttons"
UDF_PYTHON_MODULE = "xlfuncs.udfs"
CRLF = "\r\n"
POINTS_TO_PIXELS = 4 / 3

#: Button macro name → the Python the Sub runs through RunPython.
BUTTON_COMMANDS = {
    "Validate": "import macros; macros.validate()",
    "ExportPackage": "import macros; macros.export_package()",
    "AddProject": "import macros; macros.add_project()",
}

# VBA identifiers that must not be used as parameter names.
_VBA_RESERVED = {"name": "indicator_name"}
# Excel error values (xlErrDiv0 …) by the code Python returns.
_XL_ERRORS = {"#NULL!": 2000, "#DIV/0!": 2007, "#VALUE!": 2015, "#REF!": 2023,
              "#NAME?": 2029, "#NUM!": 2036, "#N/A": 2042}


class VBAError(FilingError):
    """The VBA project cannot be generated; the message is one Chinese line."""


# ----------------------------------------------------------------------------- xlwings.bas

def installed_xlwings_bas() -> Path:
    """Path of ``xlwings.bas`` inside the installed xlwings package."""
    return Path(xlwings.__file__).with_name("xlwings.bas")


def bas_version(source: str) -> str | None:
    """The version an ``xlwings.bas`` declares (``Public Const XLWINGS_VERSION``)."""
    match = re.search(r'^Public Const XLWINGS_VERSION As String = "([^"]+)"', source, re.M)
    return match.group(1) if match else None


def xlwings_module_source() -> str:
    """The installed ``xlwings.bas``, as is (its ``Attribute VB_Name`` line included, CRLF).

    Raises VBAError when its version is not the installed xlwings version (the module loads
    ``xlwings64-<version>.dll`` that pip installs with that exact version).
    """
    raw = installed_xlwings_bas().read_bytes()
    try:
        text = raw.decode("ascii")
    except UnicodeDecodeError:
        raise VBAError("xlwings.bas 含非 ASCII 字符，无法写入 VBA 工程") from None
    version = bas_version(text)
    if version != xlwings.__version__:
        raise VBAError(f"xlwings.bas 的版本（{version}）与已安装的 xlwings（{xlwings.__version__}）不一致")
    if not text.startswith(f'Attribute VB_Name = "{XLWINGS_MODULE}"'):
        raise VBAError("xlwings.bas 的格式与预期不同（首行不是 Attribute VB_Name）")
    return text


# ----------------------------------------------------------------------------- UDF wrappers

@dataclass(frozen=True)
class UdfSpec:
    """One UDF as the VBA wrapper sees it."""

    name: str
    args: tuple[str, ...]
    optional: tuple[bool, ...]
    doc: str
    arg_docs: tuple[str, ...]


def udf_specs() -> list[UdfSpec]:
    """The UDFs of :mod:`xlfuncs.udfs`, read from their signatures and docstrings."""
    from xlfuncs import udfs

    specs = []
    for name in udfs.UDF_NAMES:
        func = getattr(udfs, name)
        params = list(inspect.signature(func).parameters.values())
        specs.append(UdfSpec(
            name=name,
            args=tuple(p.name for p in params),
            optional=tuple(p.default is not inspect.Parameter.empty for p in params),
            doc=inspect.getdoc(func) or name,
            arg_docs=tuple(udfs.ARG_DOCS[p.name] for p in params),
        ))
    return specs


def help_rows() -> list[list[str]]:
    """The function help ``RegisterPerfevalHelp`` reads from the xlwings.conf sheet, one row per
    UDF: name, category, description, then one description per argument."""
    from xlfuncs import udfs

    return [[spec.name, udfs.CATEGORY, spec.doc[:255], *(doc[:255] for doc in spec.arg_docs)]
            for spec in udf_specs()]


def _vba_name(arg: str) -> str:
    return _VBA_RESERVED.get(arg, arg)


def _wrapper(spec: UdfSpec) -> list[str]:
    params = [("Optional " if optional else "") + _vba_name(arg)
              for arg, optional in zip(spec.args, spec.optional, strict=True)]
    call = f'XLPy.CallUDF("{UDF_PYTHON_MODULE}", "{spec.name}", Array(' + ", ".join(_vba_name(a) for a in spec.args)
    return [
        f"Function {spec.name}({', '.join(params)})",
        "    #If App = \"Microsoft Excel\" Then",
        "        If TypeOf Application.Caller Is Range Then On Error GoTo failed",
        f"        {spec.name} = PerfevalResult({call}), ThisWorkbook, Application.Caller))",
        "        Exit Function",
        "    #Else",
        f"        {spec.name} = PerfevalResult({call})))",
        "        Exit Function",
        "    #End If",
        "failed:",
        f"    {spec.name} = Err.Description",
        "End Function",
        "",
    ]


def udf_module_source(specs: list[UdfSpec] | None = None) -> str:
    """Code of the ``xlwings_udfs`` module: one wrapper Function per UDF, plus helpers."""
    specs = specs if specs is not None else udf_specs()
    lines = [
        f"'Generated by perfeval (workbook/vba.py) for xlwings {xlwings.__version__}. Do not edit:",
        "'rebuild the workbook instead. Same shape as xlwings' Import Functions output.",
        "#Const App = \"Microsoft Excel\" 'Adjust when using outside of Excel",
        "",
    ]
    for spec in specs:
        lines += _wrapper(spec)
    cases = [f'        Case "{code}": PerfevalResult = CVErr({number})' for code, number in _XL_ERRORS.items()]
    conf = CONF_SHEET
    first_column = sheet_layouts.HELP_FIRST_COLUMN
    lines += [
        "'Python returns an Excel error code as text (\"#N/A\" ...); give Excel the real error value.",
        "Private Function PerfevalResult(ByVal result As Variant) As Variant",
        "    Dim cell As Variant",
        "    PerfevalResult = result",
        "    If IsArray(result) Then",
        "        On Error Resume Next",
        "        cell = result(LBound(result, 1), LBound(result, 2))",
        "        If Err.Number <> 0 Then",
        "            Err.Clear",
        "            cell = result(LBound(result, 1))",
        "        End If",
        "        On Error GoTo 0",
        "    Else",
        "        cell = result",
        "    End If",
        "    If VarType(cell) <> vbString Then Exit Function",
        "    Select Case cell",
        *cases,
        "    End Select",
        "End Function",
        "",
        "'Function help in Excel's Insert Function dialog (called from Workbook_Open). The texts are",
        f"'on the {conf} sheet, one row per function from column {first_column}: name, category,",
        "'description, one description per argument.",
        "Public Sub RegisterPerfevalHelp()",
        "    Dim sheet As Object, row As Long, col As Long, count As Long, wasSaved As Boolean",
        "    Dim args() As String",
        "    On Error Resume Next",
        "    wasSaved = ThisWorkbook.Saved",
        f'    Set sheet = ThisWorkbook.Worksheets("{conf}")',
        "    If sheet Is Nothing Then Exit Sub",
        "    row = 1",
        f'    Do While Len(sheet.Range("{first_column}" & row).Value) > 0',
        f'        col = sheet.Range("{first_column}" & row).Column',
        "        count = 0",
        "        Do While Len(sheet.Cells(row, col + 3 + count).Value) > 0",
        "            count = count + 1",
        "        Loop",
        "        If count > 0 Then",
        "            ReDim args(0 To count - 1)",
        "            For count = 0 To UBound(args)",
        "                args(count) = sheet.Cells(row, col + 3 + count).Value",
        "            Next count",
        "            Application.MacroOptions Macro:=sheet.Cells(row, col).Value, _",
        "                Description:=sheet.Cells(row, col + 2).Value, Category:=sheet.Cells(row, col + 1).Value, _",
        "                ArgumentDescriptions:=args",
        "        End If",
        "        row = row + 1",
        "    Loop",
        "    ThisWorkbook.Saved = wasSaved",
        "End Sub",
    ]
    return CRLF.join(lines) + CRLF


# ----------------------------------------------------------------------------- buttons and ThisWorkbook

def buttons_module_source(macros: list[str] | None = None) -> str:
    """Code of the ``Buttons`` module: one Sub per button macro, each calling RunPython."""
    names = macros if macros is not None else list(BUTTON_COMMANDS)
    lines = ["'Generated by perfeval (workbook/vba.py). Each Sub runs Python through xlwings' RunPython;",
             "'the Python side finds this workbook with xw.Book.caller().", "Option Explicit", ""]
    for name in names:
        if name not in BUTTON_COMMANDS:
            raise VBAError(f"未知的按钮宏“{name}”")
        lines += [f"Public Sub {name}()", f'    RunPython "{BUTTON_COMMANDS[name]}"', "End Sub", ""]
    return CRLF.join(lines)


THIS_WORKBOOK_BODY = CRLF.join([
    "Private Sub Workbook_Open()",
    f"    {UDF_MODULE}.RegisterPerfevalHelp",
    "End Sub",
    "",
])


def vba_modules() -> dict[str, str]:
    """Every standard module the desktop workbook carries, name → its code (as stored, the
    ``Attribute VB_Name`` line first)."""
    return {
        XLWINGS_MODULE: xlwings_module_source(),
        UDF_MODULE: ovba.standard_module(UDF_MODULE, udf_module_source()).source,
        BUTTONS_MODULE: ovba.standard_module(BUTTONS_MODULE, buttons_module_source()).source,
    }


def declared_subs(source: str) -> list[str]:
    """Names of the public Subs a module source declares (what a button may call)."""
    pattern = re.compile(r"^(?:Public\s+)?Sub\s+(\w+)\s*\(\s*\)", re.M | re.I)
    return pattern.findall(source)


def project_modules(sheet_code_names: list[str]) -> list[ovba.Module]:
    """The project's modules: ThisWorkbook, one per worksheet, then the standard modules."""
    modules = [ovba.document_module("ThisWorkbook", THIS_WORKBOOK_BODY, workbook=True)]
    modules += [ovba.document_module(name) for name in sheet_code_names]
    modules += [ovba.Module(name, source) for name, source in vba_modules().items()]
    return modules


def project_bin(sheet_code_names: list[str]) -> bytes:
    """``vbaProject.bin`` for a workbook whose worksheets have these code names, in order."""
    try:
        return ovba.project_bin(project_modules(sheet_code_names))
    except ovba.OVBAError as exc:
        raise VBAError(str(exc)) from None


# ----------------------------------------------------------------------------- the workbook

def _button_options(slot: sheet_layouts.ButtonSlot) -> dict[str, object]:
    if slot.macro not in BUTTON_COMMANDS:
        raise VBAError(f"按钮“{slot.caption}”的宏“{slot.macro}”在 Buttons 模块中不存在")
    return {"macro": slot.macro, "caption": slot.caption, "description": slot.caption,
            "x_offset": round(slot.x_offset * POINTS_TO_PIXELS), "y_offset": round(slot.y_offset * POINTS_TO_PIXELS),
            "width": round(slot.width * POINTS_TO_PIXELS), "height": round(slot.height * POINTS_TO_PIXELS)}


def add_to_workbook(book: Workbook) -> None:
    """Give a workbook being written its VBA project and the layouts' sheet buttons."""
    from workbook.layouts.cells import col_index, split_cell

    sheets = book.worksheets()
    for sheet in sheets:
        sheet.set_vba_name()
        for slot in sheet_layouts.button_slots(sheet.name):
            column, row = split_cell(slot.cell)
            sheet.insert_button(row - 1, col_index(column), _button_options(slot))
    conf = book.get_worksheet_by_name(CONF_SHEET)
    if conf is not None:
        first = col_index(sheet_layouts.HELP_FIRST_COLUMN)
        for row, values in enumerate(help_rows()):
            for offset, text in enumerate(values):
                conf.write_string(row, first + offset, text)
    book.set_vba_name("ThisWorkbook")
    book.add_vba_project(io.BytesIO(project_bin([sheet.vba_codename for sheet in sheets])), is_stream=True)
