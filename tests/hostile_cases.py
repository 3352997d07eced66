"""The hostile and broken inputs of issue 15, made at test time: each a command line, what it must
end in, and what else must hold. ``tests/test_hostile_inputs.py`` runs them all through
``tests/hostile_runner.py`` (time and memory bounded) and checks each.

A case builder gets a :class:`Maker` (a folder, the seed filing and the seed's master workbook)
and returns a :class:`Case`. Messages are checked for the field, sheet or cell they must name.
"""

from __future__ import annotations

import copy
import io
import json
import os
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbook_support import rewrite_part, sheet_part

ERROR, FINDINGS, OK = 2, 1, 0
SEED_FINDINGS = "wb/seed"  # the case whose findings the harmless workbook mutations must equal


@dataclass
class Case:
    """One command line on a hostile input and what it must end in."""

    argv: list[str]
    code: int  # exit code: 0 done, 1 findings with errors, 2 refused with one Chinese line
    words: tuple[str, ...] = ()  # in what it printed: the field, sheet or cell named
    check: Callable[[dict, dict], None] | None = None  # (this result, all results) → assertions
    inputs: list[Path] = field(default_factory=list)  # files that must not change
    absent: list[Path] = field(default_factory=list)  # outputs that must not be written
    max_seconds: float = 30.0  # far above the real cost: catches a hang, not a slow machine


class Maker:
    """Where inputs are made, with the seed filing and its master workbook at hand."""

    def __init__(self, folder: Path, seed: dict, book: Path) -> None:
        self.folder, self.seed, self.book = folder, seed, book

    def path(self, name: str) -> Path:
        return self.folder / name

    def json(self, name: str, data: Any = None, text: str | None = None) -> Path:
        """A filing file from ``data`` (NaN literals allowed) or raw ``text``."""
        path = self.path(name)
        body = text if text is not None else json.dumps(data, ensure_ascii=False)
        path.write_text(body, encoding="utf-8")
        return path

    def seed_copy(self) -> dict:
        return copy.deepcopy(self.seed)

    def seed_text(self) -> str:
        return json.dumps(self.seed, ensure_ascii=False)

    def sheet(self, name: str, sheet: str, change: Callable[[bytes], bytes]) -> Path:
        """The seed workbook with one sheet's XML changed."""
        return rewrite_part(self.book, self.path(name), sheet_part(self.book, sheet), change)

    def part(self, name: str, part: str, change: Callable[[bytes], bytes]) -> Path:
        return rewrite_part(self.book, self.path(name), part, change)

    def package(self, name: str, change: Callable[[dict[str, bytes]], None]) -> Path:
        """The seed workbook with its parts changed by ``change(parts)`` (add, drop, replace)."""
        with zipfile.ZipFile(self.book) as archive:
            parts = {info.filename: archive.read(info.filename) for info in archive.infolist()}
        change(parts)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for part, data in parts.items():
                archive.writestr(part, data)
        path = self.path(name)
        path.write_bytes(buffer.getvalue())
        return path


# ------------------------------------------------------------------ checks used by several cases

def strict_json(text: str) -> Any:
    """``text`` parsed as strict JSON (NaN, Infinity refused)."""
    def refuse(name: str) -> None:
        raise AssertionError(f"non-strict JSON constant {name}")
    return json.loads(text, parse_constant=refuse)


def findings_of(result: dict) -> list[dict]:
    return strict_json(result["stdout"])["findings"]


def finding_at(rule: str, *, pointer: str | None = None, sheet: str | None = None, cell: str | None = None,
               words: tuple[str, ...] = ()) -> Callable[[dict, dict], None]:
    """Check: the JSON output (strict) holds a ``rule`` finding at the pointer/sheet/cell, with ``words``."""
    def check(result: dict, _all: dict) -> None:
        hits = [f for f in findings_of(result) if f["rule"] == rule
                and (pointer is None or f["pointer"] == pointer)
                and (sheet is None or f.get("sheet") == sheet) and (cell is None or f.get("cell") == cell)]
        assert hits, f"no {rule} at {pointer or ''}{sheet or ''}!{cell or ''}"
        assert all(w in hits[0]["message"] for w in words), hits[0]["message"]
    return check


def same_findings_as_seed(result: dict, results: dict) -> None:
    """A harmless oddity of the file (a stated size, an extra sheet): the seed's findings exactly."""
    def keys(r: dict) -> list[tuple]:
        return sorted((f["rule"], f["pointer"], f.get("sheet"), f.get("cell")) for f in findings_of(r))
    assert keys(result) == keys(results[SEED_FINDINGS])


def both(*checks: Callable[[dict, dict], None]) -> Callable[[dict, dict], None]:
    def check(result: dict, results: dict) -> None:
        for one in checks:
            one(result, results)
    return check


def well_formed(*paths: Path) -> Callable[[dict, dict], None]:
    """Check: every package under ``paths`` exists and each of its XML parts is well-formed."""
    def check(_result: dict, _all: dict) -> None:
        from lxml import etree

        packages = [p for path in paths for p in ([path] if path.is_file() else sorted(path.rglob("*")))
                    if p.suffix in (".xlsx", ".xlsm", ".docx")]
        assert packages, paths
        for package in packages:
            with zipfile.ZipFile(package) as archive:
                for part in archive.namelist():
                    if part.endswith((".xml", ".rels", ".vml")):
                        etree.fromstring(archive.read(part))  # raises on anything not well-formed
    return check


def manifest(folder: Path) -> dict:
    return strict_json(next(folder.glob("*/manifest.json")).read_text(encoding="utf-8"))


# ------------------------------------------------------------------ filing JSON

CASES: dict[str, Callable[[Maker], Case]] = {}


def case(name: str):
    def register(builder: Callable[[Maker], Case]) -> Callable[[Maker], Case]:
        CASES[name] = builder
        return builder
    return register


@case("json/integer-over-4300-digits")
def _(m: Maker) -> Case:
    path = m.json("big.json", text=m.seed_text()[:-1] + ', "extra": ' + "9" * 5000 + "}")
    def read_quietly(result: dict, _all: dict) -> None:
        strict_json(result["stdout"])
        assert not result["stderr"]  # the huge number is simply kept
    return Case(["validate", str(path), "--json"], FINDINGS, check=read_quietly, inputs=[path])


@case("json/400-digit-amount")
def _(m: Maker) -> Case:
    seed = m.seed_copy()
    seed["projects"][0]["funds"]["total"]["executed"] = "9" * 400
    path = m.json("amount.json", seed)
    def short(result: dict, _all: dict) -> None:
        hit = next(f for f in findings_of(result) if f["pointer"] == "/projects/0/funds/total/executed")
        assert len(hit["message"]) < 200
    return Case(["validate", str(path), "--json"], FINDINGS, inputs=[path], check=both(
        finding_at("V1", pointer="/projects/0/funds/total/executed", words=("数值过大",)), short))


def _non_finite(literal: str, command: str) -> Callable[[Maker], Case]:
    def build(m: Maker) -> Case:
        text = m.seed_text().replace('"executed": "　400"', f'"executed": {literal}', 1)
        assert literal in text
        path = m.json(f"nonfinite-{literal}-{command}.json", text=text)
        check = finding_at("V1", pointer="/projects/0/funds/total/executed") if command == "validate" \
            else (lambda r, _: strict_json(r["stdout"]))
        return Case([command, str(path), "--json"], FINDINGS if command == "validate" else OK, check=check,
                    inputs=[path])
    return build


for _literal in ("NaN", "Infinity", "-Infinity", "1e400"):
    for _command in ("validate", "score"):
        CASES[f"json/non-finite-{_literal}/{_command}"] = _non_finite(_literal, _command)


def _year(year: str, command: str) -> Callable[[Maker], Case]:
    def build(m: Maker) -> Case:
        tag = f"{sorted(_YEARS).index(year)}-{command}"  # one input per case: the cases run after all are made
        path = m.json(f"year-{tag}.json", text=m.seed_text().replace('"year": 2022', f'"year": {year}'))
        out = m.path(f"year-out-{tag}")
        if command == "validate":
            return Case(["validate", str(path), "--json"], FINDINGS, inputs=[path],
                        check=finding_at("V1", pointer="/year", words=("年份",)))
        if command == "score":
            return Case(["score", str(path), "--json"], OK, inputs=[path], check=lambda r, _: strict_json(r["stdout"]))
        if command == "export":
            def year_null(_r: dict, _all: dict) -> None:
                assert manifest(out)["year"] is None
            return Case(["export", str(path), "-o", str(out), "--force", "--no-pdf"], OK, inputs=[path], check=year_null)
        return Case(["new", "--from", str(path), "-o", str(out) + ".xlsx"], OK, inputs=[path],
                    check=well_formed(Path(str(out) + ".xlsx")))
    return build


_YEARS = ("1" + "0" * 400, "NaN", "1e400", "true", '"二〇二二"', "-5")
for _year_text in _YEARS:
    for _command in ("validate", "score", "export", "new"):
        CASES[f"json/year-{_year_text[:8]}/{_command}"] = _year(_year_text, _command)


def _deep(depth: int, command: str) -> Callable[[Maker], Case]:
    def build(m: Maker) -> Case:
        path = m.json(f"deep-{depth}-{command}.json", text=m.seed_text()[:-1] + ', "x": ' + "[" * depth + "]" * depth + "}")
        out = m.path(f"deep-out-{depth}-{command}")
        argv = {"validate": ["validate", str(path)], "score": ["score", str(path)],
                "export": ["export", str(path), "-o", str(out), "--force", "--no-pdf"],
                "new": ["new", "--from", str(path), "-o", str(out) + ".xlsx"]}[command]
        return Case(argv, ERROR, ("嵌套层级过深",), inputs=[path], absent=[out, Path(str(out) + ".xlsx")])
    return build


for _depth in (70, 600, 900, 5000):
    for _command in ("validate", "score", "export", "new"):
        CASES[f"json/deep-{_depth}/{_command}"] = _deep(_depth, _command)


@case("json/duplicate-keys")
def _(m: Maker) -> Case:
    path = m.json("dup.json", text=m.seed_text().replace('"unit": ', '"unit": "别的单位", "unit": ', 1))
    def only_unit(result: dict, _all: dict) -> None:
        assert [f["pointer"] for f in findings_of(result) if f["rule"] == "V2"] == ["/unit"]
    return Case(["validate", str(path), "--json"], FINDINGS, inputs=[path],
                check=both(finding_at("V2", pointer="/unit", words=("不止一次",)), only_unit))


@case("json/201-projects")
def _(m: Maker) -> Case:
    seed = m.seed_copy()
    seed["projects"] = [copy.deepcopy(seed["projects"][0]) for _ in range(201)]
    path = m.json("many.json", seed)
    return Case(["validate", str(path)], ERROR, ("200",), inputs=[path])


def _sparse(name: str, size: int) -> Callable[[Maker], Case]:
    def build(m: Maker) -> Case:
        path = m.path(name)
        with path.open("wb") as handle:  # sparse: nothing is really written
            handle.truncate(size)
        return Case(["validate", str(path)], ERROR, ("上限", "MB"))
    return build


CASES["json/200-MB-file"] = _sparse("huge.json", 200 * 1024 * 1024)
CASES["json/1-GB-file"] = _sparse("gigabyte.json", 1024 * 1024 * 1024)


@case("json/dev-zero")
def _(m: Maker) -> Case:
    return Case(["validate", "/dev/zero"], ERROR, ("不是普通文件", "/dev/zero"))


@case("json/fifo")
def _(m: Maker) -> Case:
    fifo = m.path("pipe.json")
    os.mkfifo(fifo)
    return Case(["validate", str(fifo)], ERROR, ("不是普通文件", "pipe.json"))


@case("json/lone-surrogate")
def _(m: Maker) -> Case:
    seed = m.seed_copy()
    seed["projects"][1]["name"] = "物业\ud800管理费"
    path = m.path("surrogate.json")
    path.write_text(json.dumps(seed), encoding="ascii")  # the surrogate as \ud800
    return Case(["new", "--from", str(path), "-o", str(m.path("surrogate.xlsx"))], ERROR,
                ("/projects/1/name", "\\ud800"), inputs=[path], absent=[m.path("surrogate.xlsx")])


CONTROL = "甲\x0b乙\x01丙\x1f丁\ufffe戊\uffff己_x000D_庚\r\n辛"


def control_filing(m: Maker) -> dict:
    """The seed with awkward characters appended to every text (amounts stay as filed)."""
    seed = m.seed_copy()
    seed["unit"] += CONTROL
    for table in [seed["department"], *seed["projects"]]:
        table["name"] = (table["name"] or "") + CONTROL
        for row in table["indicators"]:
            for key in ("level3", "target", "actual"):
                row[key] = (row[key] or "") + CONTROL
        table["goal"] = {k: (v or "") + CONTROL for k, v in (table.get("goal") or {}).items()}
    for report in [seed.get("department_report") or {}, *(p.get("report") or {} for p in seed["projects"])]:
        if report.get("text"):
            report["text"] += CONTROL
    return seed


def _control_new(runtime: str) -> Callable[[Maker], Case]:
    def build(m: Maker) -> Case:
        source = m.json(f"control-{runtime}.json", control_filing(m))
        target = m.path(f"control-{runtime}.{'xlsm' if runtime == 'desktop' else 'xlsx'}")

        def read_back(_r: dict, _all: dict) -> None:
            from workbook.reader import read_workbook

            back = read_workbook(target).filing
            assert back["unit"] == control_filing(m)["unit"]
            assert back["projects"][2]["indicators"][1]["actual"].endswith(CONTROL)
        return Case(["new", "--from", str(source), "--runtime", runtime, "-o", str(target)], OK, inputs=[source],
                    check=both(well_formed(target), read_back))
    return build


for _runtime in ("desktop", "lite", "plain"):
    CASES[f"json/control-characters/new-{_runtime}"] = _control_new(_runtime)


@case("json/control-characters/export")
def _(m: Maker) -> Case:
    source = m.json("control-export.json", control_filing(m))
    out = m.path("control-export")
    return Case(["export", str(source), "-o", str(out), "--force", "--no-pdf"], OK, inputs=[source],
                check=well_formed(out))


@case("json/formula-injection-stays-text")
def _(m: Maker) -> Case:
    seed = m.seed_copy()
    seed["unit"] = '=HYPERLINK("http://example.com","点我")'
    seed["projects"][0]["indicators"][0]["actual"] = "=1+1"
    source = m.json("inject.json", seed)
    target = m.path("inject.xlsx")

    def as_text(_r: dict, _all: dict) -> None:
        from workbook.reader import read_workbook

        back = read_workbook(target).filing
        assert back["unit"] == seed["unit"] and back["projects"][0]["indicators"][0]["actual"] == "=1+1"
        with zipfile.ZipFile(target) as archive:
            xml = b"".join(archive.read(p) for p in archive.namelist() if p.startswith("xl/worksheets/sheet"))
        assert not re.search(rb"<f>[^<]*(example\.com|1\+1)", xml)  # never a formula of the unit's text
    return Case(["new", "--from", str(source), "-o", str(target)], OK, inputs=[source], check=as_text)


@case("json/path-tricks-stay-in-the-output-folder")
def _(m: Maker) -> Case:
    seed = m.seed_copy()
    seed["unit"] = "../../逃逸/..\\单位"
    home = m.path("escape")
    home.mkdir()
    source = home / "escape.json"
    source.write_text(json.dumps(seed, ensure_ascii=False), encoding="utf-8")
    out = home / "a" / "b" / "c"

    def stayed(_r: dict, _all: dict) -> None:
        written = [p for p in home.rglob("*") if p.is_file() and p != source]
        assert written and all(out in p.parents for p in written), written
    return Case(["export", str(source), "-o", str(out), "--force", "--no-pdf"], OK, inputs=[source], check=stayed)


@case("json/an-existing-package-is-never-overwritten")
def _(m: Maker) -> Case:
    out = m.path("twice")
    folder = out / "株洲市渌口区机关事务服务中心_2022_绩效自评材料"
    folder.mkdir(parents=True)
    (folder / "manifest.json").write_text("{}", encoding="utf-8")
    return Case(["export", str(Path(__file__).parent / "data" / "lukou-2022-corrected.json"), "-o", str(out),
                 "--no-pdf"], FINDINGS, ("已存在", "未覆盖"), inputs=[folder / "manifest.json"])


@case("json/old-xls-named-xls")
def _(m: Maker) -> Case:
    path = m.path("旧表.xls")
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4096)
    def not_called_json(result: dict, _all: dict) -> None:
        assert "UTF-8" not in result["stderr"] and "JSON 文件" not in result["stderr"].split("，")[0]
    return Case(["validate", str(path)], ERROR, ("旧表.xls",), inputs=[path], check=not_called_json)
