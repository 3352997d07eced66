"""The classic desktop runtime: a macro-enabled workbook with the xlwings VBA project, made on Linux.

:func:`make_desktop_workbook` turns a plain ``.xlsx`` from the builder into an ``.xlsm`` holding

* the ``xlwings`` module: the installed xlwings package's own ``xlwings.bas``, byte for byte
  apart from its ``Attribute VB_Name`` line (pyOpenVBA writes the name itself); it declares
  ``xlwings64-<version>.dll``, so its version must be the installed (pinned) xlwings version;
* ``xlwings_udfs``: pre-generated wrapper functions for our UDFs, in the shape xlwings'
  "Import Functions" writes (``XLPy.CallUDF("xlfuncs.udfs", NAME, Array(...), ThisWorkbook,
  Application.Caller)``), so users never need "Trust access to the VBA project object model".
  Our wrapper adds one step: an error code returned by Python becomes a real Excel error
  value (``CVErr``). A ``RegisterPerfevalHelp`` procedure gives Excel the Chinese function help;
* ``Buttons``: one Sub per sheet button (``Validate``/``ExportPackage``/``AddProject``), each
  ``RunPython "import macros; macros.<name>()"``;
* ``ThisWorkbook``: ``Workbook_Open`` registers the function help;
* an ``xlwings.conf`` sheet (``UDF Modules`` = ``xlfuncs.udfs``, the interpreter path), added
  from the layouts when the workbook has none (the builder writes it);
* Forms buttons (pyOpenVBA) whose macro is one of the Buttons Subs.

All VBA written here is ASCII (the project code page cannot be relied on for Chinese);
Chinese help text is carried as UTF-16 hex and decoded in VBA with ``ChrW``.
"""

from __future__ import annotations

import inspect
import io
import re
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import xlwings

from workbook import ooxml
from workbook.layouts import sheets as sheet_layouts
from workbook.layouts.sheets import CONF_SHEET
from xlfuncs.fileio import write_atomic

XLWINGS_MODULE = "xlwings"
UDF_MODULE = "xlwings_udfs"
BUTTONS_MODULE = "Buttons"
UDF_PYTHON_MODULE = "xlfuncs.udfs"
CRLF = "\r\n"

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


class VBAError(RuntimeError):
    """The VBA project cannot be generated; the message is one Chinese line."""


@dataclass(frozen=True)
class Button:
    """A Forms button on a sheet that runs one of the Buttons Subs. Geometry in points."""

    sheet: str
    macro: str  # a key of BUTTON_COMMANDS
    text: str
    left: float
    top: float
    width: float = 96.0
    height: float = 28.0
    name: str = ""

    def shape_name(self, index: int) -> str:
        """The shape's name (ASCII, unique per sheet)."""
        return self.name or f"btn{self.macro}{index}"

    @classmethod
    def from_slot(cls, slot: sheet_layouts.ButtonSlot) -> Button:
        """The Forms button for a layout's button slot."""
        return cls(slot.sheet, slot.macro, slot.caption, slot.left, slot.top, slot.width, slot.height,
                   slot.shape_name)


def default_buttons(sheet_names: list[str]) -> list[Button]:
    """The buttons the layouts place on these sheets (使用说明 and every form)."""
    return [Button.from_slot(slot) for name in sheet_names for slot in sheet_layouts.button_slots(name)]


# ----------------------------------------------------------------------------- xlwings.bas

def installed_xlwings_bas() -> Path:
    """Path of ``xlwings.bas`` inside the installed xlwings package."""
    return Path(xlwings.__file__).with_name("xlwings.bas")


def bas_version(source: str) -> str | None:
    """The version an ``xlwings.bas`` declares (``Public Const XLWINGS_VERSION``)."""
    match = re.search(r'^Public Const XLWINGS_VERSION As String = "([^"]+)"', source, re.M)
    return match.group(1) if match else None


def xlwings_module_source() -> str:
    """The installed ``xlwings.bas`` as the module source pyOpenVBA takes.

    Only the leading ``Attribute VB_Name`` line is removed; line ends stay CRLF. Raises
    VBAError when the file's version is not the installed xlwings version (the module
    loads ``xlwings64-<version>.dll`` that pip installs with that exact version).
    """
    raw = installed_xlwings_bas().read_bytes()
    try:
        text = raw.decode("ascii")
    except UnicodeDecodeError:
        raise VBAError("xlwings.bas 含非 ASCII 字符，无法写入 VBA 工程") from None
    version = bas_version(text)
    if version != xlwings.__version__:
        raise VBAError(f"xlwings.bas 的版本（{version}）与已安装的 xlwings（{xlwings.__version__}）不一致")
    first, sep, rest = text.partition(CRLF)
    if not first.startswith("Attribute VB_Name"):
        raise VBAError("xlwings.bas 的格式与预期不同（首行不是 Attribute VB_Name）")
    return rest


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


def _vba_name(arg: str) -> str:
    return _VBA_RESERVED.get(arg, arg)


def _hex(text: str) -> str:
    """UTF-16 code units as hex, decoded by the VBA helper ``PerfevalText``."""
    data = text.encode("utf-16-be")
    return data.hex().upper()


def _vba_text(text: str) -> str:
    """A VBA expression for ``text``: a literal when ASCII, else ``PerfevalText("hex")``."""
    if text.isascii():
        return '"' + text.replace('"', '""') + '"'
    return f'PerfevalText("{_hex(text[:255])}")'


def udf_module_source(specs: list[UdfSpec] | None = None) -> str:
    """Source of the ``xlwings_udfs`` module: one wrapper Function per UDF, plus helpers."""
    from xlfuncs import udfs

    specs = specs if specs is not None else udf_specs()
    lines = [
        f"'Generated by perfeval (workbook/vba.py) for xlwings {xlwings.__version__}. Do not edit:",
        "'rebuild the workbook instead. Same shape as xlwings' Import Functions output.",
        "#Const App = \"Microsoft Excel\" 'Adjust when using outside of Excel",
        "",
    ]
    for spec in specs:
        params = []
        for arg, optional in zip(spec.args, spec.optional, strict=True):
            params.append(("Optional " if optional else "") + _vba_name(arg))
        array = "Array(" + ", ".join(_vba_name(a) for a in spec.args) + ")"
        call = f'XLPy.CallUDF("{UDF_PYTHON_MODULE}", "{spec.name}", {array}'
        lines += [
            f"Function {spec.name}({', '.join(params)})",
            "    #If App = \"Microsoft Excel\" Then",
            "        If TypeOf Application.Caller Is Range Then On Error GoTo failed",
            f"        {spec.name} = PerfevalResult({call}, ThisWorkbook, Application.Caller))",
            "        Exit Function",
            "    #Else",
            f"        {spec.name} = PerfevalResult({call}))",
            "        Exit Function",
            "    #End If",
            "failed:",
            f"    {spec.name} = Err.Description",
            "End Function",
            "",
        ]
    cases = [f'        Case "{code}": PerfevalResult = CVErr({number})' for code, number in _XL_ERRORS.items()]
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
        "'Text stored as UTF-16 hex (the module itself stays ASCII).",
        "Private Function PerfevalText(ByVal hexText As String) As String",
        "    Dim i As Long",
        "    For i = 1 To Len(hexText) Step 4",
        "        PerfevalText = PerfevalText & ChrW(CLng(\"&H\" & Mid$(hexText, i, 4)))",
        "    Next i",
        "End Function",
        "",
        "'Function help in Excel's Insert Function dialog (called from Workbook_Open).",
        "Public Sub RegisterPerfevalHelp(Optional ByVal quiet As Boolean = True)",
        "    Dim wasSaved As Boolean",
        "    On Error Resume Next",
        "    wasSaved = ThisWorkbook.Saved",
    ]
    category = _vba_text(udfs.CATEGORY)
    for spec in specs:
        arg_docs = ", ".join(_vba_text(doc) for doc in spec.arg_docs)
        lines += [
            f'    Application.MacroOptions Macro:="{spec.name}", Description:={_vba_text(spec.doc)}, _',
            f"        Category:={category}, ArgumentDescriptions:=Array({arg_docs})",
        ]
    lines += [
        "    ThisWorkbook.Saved = wasSaved",
        "End Sub",
    ]
    return CRLF.join(lines) + CRLF


# ----------------------------------------------------------------------------- buttons and ThisWorkbook

def buttons_module_source(macros: list[str] | None = None) -> str:
    """Source of the ``Buttons`` module: one Sub per button macro, each calling RunPython."""
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
    """Every standard module the desktop workbook carries, name → source as generated."""
    return {
        XLWINGS_MODULE: xlwings_module_source(),
        UDF_MODULE: udf_module_source(),
        BUTTONS_MODULE: buttons_module_source(),
    }


def declared_subs(source: str) -> list[str]:
    """Names of the public Subs a module source declares (what a button may call)."""
    pattern = re.compile(r"^(?:Public\s+)?Sub\s+(\w+)\s*\(\s*\)", re.M | re.I)
    return pattern.findall(source)


# ----------------------------------------------------------------------------- the workbook

def conf_sheet_xml() -> str:
    """The xlwings.conf worksheet (as the layouts define it): keys in A, values in B, guidance in D."""
    keys, guidance = sheet_layouts.CONF_ROWS, sheet_layouts.CONF_GUIDANCE
    rows = []
    for i in range(max(len(keys), len(guidance))):
        key, value = keys[i] if i < len(keys) else ("", "")
        guide = guidance[i] if i < len(guidance) else ""
        rows.append([key, value, "", guide])
    return ooxml.inline_string_sheet(rows, widths={0: 28, 1: 52, 3: 90})


def _prepare_package(xlsx_path: Path) -> bytes:
    """The builder's xlsx as a macro-enabled package with an xlwings.conf sheet."""
    package = ooxml.Package.read(xlsx_path)
    package.set_main_content_type(ooxml.CT_MAIN_XLSM)
    if CONF_SHEET not in {s.name for s in package.sheets()}:
        package.add_sheet(CONF_SHEET, conf_sheet_xml())
    return package.to_bytes()


_PROTECTION_RE = re.compile(r"<sheetProtection\b[^>]*/>")


def _lift_protection(data: bytes, sheets: set[str]) -> tuple[bytes, dict[str, str]]:
    """Take ``<sheetProtection/>`` off the sheets that get buttons (pyOpenVBA will not draw on a
    sheet whose objects are protected); return the package and what was taken, by part."""
    package = ooxml.Package(*_parts(data))
    lifted: dict[str, str] = {}
    for sheet in package.sheets():
        if sheet.name not in sheets:
            continue
        xml = package.text(sheet.path)
        match = _PROTECTION_RE.search(xml)
        if match:
            lifted[sheet.path] = match.group(0)
            package.set_text(sheet.path, xml[:match.start()] + xml[match.end():])
    return package.to_bytes(), lifted


def _restore_protection(data: bytes, lifted: dict[str, str]) -> bytes:
    """Put each ``<sheetProtection/>`` back where the schema wants it: right after sheetData."""
    package = ooxml.Package(*_parts(data))
    for path, element in lifted.items():
        xml = package.text(path)
        end = xml.find("</sheetData>")
        at = end + len("</sheetData>") if end >= 0 else xml.find("<sheetData/>") + len("<sheetData/>")
        package.set_text(path, xml[:at] + element + xml[at:])
    return package.to_bytes()


def _parts(data: bytes) -> tuple[dict[str, bytes], list[str]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        order = [info.filename for info in archive.infolist()]
        return {name: archive.read(name) for name in order}, order


def make_desktop_workbook(xlsx_path: str | Path, xlsm_path: str | Path,
                          buttons: list[Button] | None = None) -> Path:
    """Write ``xlsm_path``: ``xlsx_path`` plus the VBA project, xlwings.conf and sheet buttons.

    ``buttons`` None places the layouts' buttons (:func:`default_buttons`). The write is
    atomic: on any error the target is left as it was.
    """
    from pyopenvba import ExcelFile
    from pyopenvba.apps.excel import ExcelApplication

    source = Path(xlsx_path)
    target = Path(xlsm_path)
    if target.suffix.lower() != ".xlsm":
        raise VBAError(f"桌面版工作簿须以 .xlsm 结尾：{target.name}")
    modules = vba_modules()
    if buttons is None:
        buttons = default_buttons([sheet.name for sheet in ooxml.Package.read(source).sheets()])
    known = set(declared_subs(modules[BUTTONS_MODULE]))
    for button in buttons:
        if button.macro not in known:
            raise VBAError(f"按钮“{button.text}”的宏“{button.macro}”在 Buttons 模块中不存在")
    with tempfile.TemporaryDirectory(prefix="perfeval-vba-") as folder:
        work = Path(folder) / "work.xlsm"
        work.write_bytes(_prepare_package(source))  # scratch copy in a temporary folder
        with ExcelFile(work) as book:
            project = book.add_vba_project()
            for name, code in modules.items():
                project.add_module(name, code)
            book.set_module("ThisWorkbook", THIS_WORKBOOK_BODY)
            book.save()
        data = work.read_bytes()
        if buttons:
            unprotected, lifted = _lift_protection(data, {b.sheet for b in buttons})
            work.write_bytes(unprotected)  # scratch copy in a temporary folder
            app = ExcelApplication.open(work, with_vba=False)
            per_sheet: dict[str, int] = {}
            for button in buttons:
                per_sheet[button.sheet] = per_sheet.get(button.sheet, 0) + 1
                app.sheet(button.sheet).add_button(
                    name=button.shape_name(per_sheet[button.sheet]), text=button.text, macro=button.macro,
                    left=button.left, top=button.top, width=button.width, height=button.height)
            drawn = Path(folder) / "buttons.xlsm"
            app.save(drawn)
            data = _restore_protection(drawn.read_bytes(), lifted)
        return write_atomic(target, data)

