"""Edit and recalculate a workbook in the office programs installed here, headless.

* LibreOffice: a Basic macro in a private user profile opens the file hidden, types the edits
  into the cells (``setValue``/``setString``, as a user would), recalculates every formula
  (``calculateAll``, a hard recalculation) and saves as .xlsx;
* gnumeric: ``ssconvert --recalc`` after the edit is made in the package's XML (ssconvert cannot
  type into a cell), recalculating every formula.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
SSCONVERT = shutil.which("ssconvert")
TIMEOUT = 240
_PRESETS = Path("/usr/lib/libreoffice/presets/basic")

_LIBRARY = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE library:library PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "library.dtd">
<library:library xmlns:library="http://openoffice.org/2000/library" library:name="Standard" library:readonly="false" library:passwordprotected="false">
 <library:element library:name="PerfevalEdit"/>
</library:library>
"""
_MODULE = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="PerfevalEdit" script:language="StarBasic">
Sub Run(inUrl As String, outUrl As String, edits As String)
    Dim load(0) As New com.sun.star.beans.PropertyValue
    load(0).Name = &quot;Hidden&quot;
    load(0).Value = True
    doc = StarDesktop.loadComponentFromURL(inUrl, &quot;_blank&quot;, 0, load())
    If edits &lt;&gt; &quot;&quot; Then
        items = Split(edits, &quot;;&quot;)
        For i = LBound(items) To UBound(items)
            parts = Split(items(i), &quot;|&quot;)
            cell = doc.Sheets.getByName(parts(0)).getCellRangeByName(parts(1))
            If parts(2) = &quot;n&quot; Then
                cell.setValue(Val(parts(3)))
            Else
                cell.setString(parts(3))
            End If
        Next i
    End If
    doc.calculateAll()
    Dim save(0) As New com.sun.star.beans.PropertyValue
    save(0).Name = &quot;FilterName&quot;
    save(0).Value = &quot;Calc MS Excel 2007 XML&quot;
    doc.storeToURL(outUrl, save())
    doc.close(True)
End Sub
</script:module>
"""


def _profile(folder: Path) -> Path:
    """A LibreOffice user profile holding the editing macro (made on first use)."""
    profile = folder / "lo-profile"
    basic = profile / "user" / "basic"
    if not (basic / "Standard" / "PerfevalEdit.xba").exists():
        subprocess.run([SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                        "--terminate_after_init"], capture_output=True, timeout=TIMEOUT, check=False)
        (basic / "Standard").mkdir(parents=True, exist_ok=True)
        for name in ("script.xlc", "dialog.xlc"):
            if not (basic / name).exists() and (_PRESETS / name).exists():
                shutil.copy(_PRESETS / name, basic / name)
        if not (basic / "script.xlc").exists():
            (basic / "script.xlc").write_text(
                '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE library:libraries PUBLIC '
                '"-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "libraries.dtd">\n<library:libraries '
                'xmlns:library="http://openoffice.org/2000/library" xmlns:xlink="http://www.w3.org/1999/xlink">\n'
                ' <library:library library:name="Standard" library:link="false"/>\n</library:libraries>\n',
                encoding="utf-8")
        (basic / "Standard" / "script.xlb").write_text(_LIBRARY, encoding="utf-8")
        (basic / "Standard" / "PerfevalEdit.xba").write_text(_MODULE, encoding="utf-8")
    return profile


def _edit_text(edits: list[tuple[str, str, Any]]) -> str:
    parts = []
    for sheet, cell, value in edits:
        kind = "n" if isinstance(value, (int, float)) else "s"
        text = repr(float(value)) if kind == "n" else str(value)
        if any(ch in text + sheet for ch in ';|"'):
            raise ValueError("edit text may not hold ; | or quotes")
        parts.append(f"{sheet}|{cell}|{kind}|{text}")
    return ";".join(parts)


def libreoffice_edit(source: Path, target: Path, edits: list[tuple[str, str, Any]], work: Path) -> Path:
    """``source`` edited, recalculated and saved by LibreOffice as ``target`` (.xlsx)."""
    profile = _profile(work)
    macro = (f'macro:///Standard.PerfevalEdit.Run("{source.resolve().as_uri()}","{target.resolve().as_uri()}",'
             f'"{_edit_text(edits)}")')
    done = subprocess.run([SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore", macro],
                          capture_output=True, timeout=TIMEOUT, check=False)
    if not target.exists():
        raise RuntimeError(f"LibreOffice did not save {target.name}: {done.stderr.decode(errors='replace')[-500:]}")
    return target


def xml_edit(source: Path, target: Path, edits: list[tuple[str, str, Any]], sheet_part) -> Path:
    """``source`` with input cells changed in the package XML (numbers and inline strings)."""
    by_part: dict[str, list[tuple[str, Any]]] = {}
    for sheet, cell, value in edits:
        by_part.setdefault(sheet_part(source, sheet), []).append((cell, value))
    buffer = io.BytesIO()
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            for cell, value in by_part.get(info.filename, []):
                text = data.decode("utf-8")
                pattern = re.compile(rf'<c r="{cell}"( s="\d+")?( t="\w+")?(/>|>.*?</c>)', re.S)
                if isinstance(value, (int, float)):
                    new = rf'<c r="{cell}"\1><v>{value}</v></c>'
                else:
                    new = rf'<c r="{cell}"\1 t="inlineStr"><is><t>{value}</t></is></c>'
                text, count = pattern.subn(new, text, count=1)
                assert count == 1, (info.filename, cell)
                data = text.encode("utf-8")
            dst.writestr(info, data)
    target.write_bytes(buffer.getvalue())
    return target


def gnumeric_recalculate(source: Path, target: Path) -> Path:
    """``source`` recalculated by gnumeric and saved as ``target`` (.xlsx)."""
    done = subprocess.run([SSCONVERT, "--recalc", str(source), str(target)], capture_output=True,
                          timeout=TIMEOUT, check=False)
    if not target.exists():
        raise RuntimeError(f"ssconvert did not write {target.name}: {done.stderr.decode(errors='replace')[-500:]}")
    return target
