"""Many files in one process: find the filings under folders, examine each in a worker pool.

:func:`examine` is the one worker function behind ``perfeval validate`` with several files
and ``perfeval review``: a path goes in, a compact picklable :class:`FileResult` comes out
(file, hash, unit, year, per-table figures, filed and recomputed totals and grades, the
findings as dicts, or the Chinese reason the file could not be read). It opens the file
through :func:`macros.session.open_session`, so every file gets exactly the findings
``perfeval validate FILE`` prints. It never raises: a file that cannot be read is a result
that says why.

:func:`examine_all` streams results in input order with a bounded number of files in flight,
so memory stays flat however many files there are.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xlfuncs.filing import FilingError, department_filed
from xlfuncs.findings import ERROR, INFO, WARNING, Finding
from xlfuncs.oserror_text import os_reason
from xlfuncs.profiles import ProfileError
from xlfuncs.values import clean_text

from .discover import KIND_BY_SUFFIX, PACKAGE, PACKAGE_MANIFEST, is_package_folder

UNREADABLE = "无法读取"
FIRST_PROBLEMS = 3  # how many problems 汇总 spells out per table


@dataclass(slots=True)
class TableRow:
    """One table of a filing as 汇总 shows it: figures as filed, recomputed, and counts."""

    table: str  # 附件1 or 附件3-N
    project: str
    money_unit: str
    full_year: float | str | None
    executed: float | str | None
    rate: float | None
    filed_total: float | str | None
    filed_grade: str
    total: float | None
    grade: str
    explanation: str
    errors: int = 0
    warnings: int = 0
    info: int = 0
    problems: list[str] = field(default_factory=list)


@dataclass(slots=True)
class FileResult:
    """Everything the batch doors need from one file; picklable and small."""

    path: str
    kind: str
    sha256: str = ""
    size: int = 0
    unit: str = ""
    year: str = ""
    profile: str = ""
    profile_note: str = ""
    tables: list[TableRow] = field(default_factory=list)
    findings: list[dict[str, Any]] = field(default_factory=list)
    summary: dict[str, int] = field(default_factory=lambda: {"errors": 0, "warnings": 0, "info": 0})
    reason: str = ""  # why the file could not be read ('' when it was)
    seconds: float = 0.0

    @property
    def readable(self) -> bool:
        """True when the file was opened and evaluated."""
        return not self.reason

    def finding_objects(self) -> list[Finding]:
        """The findings as :class:`Finding` again (for the text presenter)."""
        return [Finding(**data) for data in self.findings]


# ------------------------------------------------------------------ the worker


def table_of(label: str) -> str:
    """The 汇总 table a finding counts under: 附件2 → 附件1, 附件4-N → 附件3-N, 附件1/附件3-N themselves."""
    head, _, tail = label.partition("-")
    if head == "附件2":
        return "附件1"
    if head == "附件4" and tail:
        return f"附件3-{tail}"
    return label


def counted_under(finding_table: str, tables: Sequence[str]) -> str:
    """The 汇总 row a finding counts under: its table's row, else the file's first row (基本信息 …)."""
    own = table_of(finding_table)
    return own if own in tables or not tables else tables[0]


def kind_of(path: Path) -> str:
    """The kind of a path: package folder, or by suffix (unknown suffixes are tried as JSON or workbook)."""
    if path.is_dir():
        return PACKAGE if is_package_folder(path) else "folder"
    return KIND_BY_SUFFIX.get(path.suffix.lower(), "json")


def _sha256(path: Path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
            size += len(block)
    return digest.hexdigest(), size


def as_filed(raw: Any) -> str:
    """Text as filed for display: whitespace runs (line breaks, U+3000) made one space, nothing else changed."""
    return "" if raw is None else " ".join(str(raw).split())


def _number(raw: Any, points: bool = False) -> float | str | None:
    """A filed amount (or score) as a number when it reads as one, else its text (blank → None)."""
    from xlfuncs.values import parse_amount, parse_points

    parsed = parse_points(raw) if points else parse_amount(raw)
    if parsed.ok and parsed.value is not None:
        return parsed.value
    text = clean_text(raw)
    return text or None


def _part(container: Any, key: str) -> dict[str, Any]:
    value = container.get(key) if isinstance(container, dict) else None
    return value if isinstance(value, dict) else {}


def _table_rows(session: Any) -> list[TableRow]:
    """One row per table, from the filing as filed and the engine's scores (same order: 附件1, 附件3-N)."""
    filing = session.filing
    top_unit = clean_text(filing.get("money_unit")) or "万元"
    department = [filing["department"]] if department_filed(filing) else []  # the engine scores filed tables only
    tables = [*department, *(filing.get("projects") or [])]
    rows = []
    for raw, score in zip(tables, session.evaluation.scores, strict=True):
        budget, total = _part(_part(raw, "funds"), "total"), _part(raw, "total")
        rows.append(TableRow(
            table=score.label, project="" if score.label == "附件1" else as_filed(raw.get("name")),
            money_unit=clean_text(raw.get("money_unit")) or top_unit,
            full_year=_number(budget.get("full_year")), executed=_number(budget.get("executed")),
            rate=score.budget.rate, filed_total=_number(total.get("score"), points=True),
            filed_grade=clean_text(total.get("grade")), total=score.total, grade=score.grade or "",
            explanation="" if score.total is not None else score.explanation))
    return rows


def _count(rows: list[TableRow], findings: Sequence[Finding]) -> None:
    """Put each finding's count (and its words, the first few) on its table's row."""
    by_table = {row.table: row for row in rows}
    labels = list(by_table)
    for finding in findings:
        row = by_table[counted_under(finding.table, labels)]
        if finding.severity == ERROR:
            row.errors += 1
        elif finding.severity == WARNING:
            row.warnings += 1
        elif finding.severity == INFO:
            row.info += 1
        if finding.severity != INFO and len(row.problems) < FIRST_PROBLEMS:
            row.problems.append(f"{finding.rule} {finding.message}")


def _package_identity(path: Path) -> tuple[str, str]:
    """Unit and year a package's manifest names, for a package that could not be read (untrusted; blanks
    when there is no manifest to read)."""
    from .package_in import read_manifest

    try:
        manifest = read_manifest(path)
    except FilingError:
        return "", ""
    return as_filed(manifest.get("unit"))[:200], clean_text(manifest.get("year"))[:10]


def examine(path: str, profile: str | None = None) -> FileResult:
    """Open, evaluate and summarise one file; never raises (a reason in Chinese instead).

    Every kind ``perfeval import`` reads is opened the same way (documents, table grids,
    exported packages and their zips, through :func:`macros.session.open_session`), so each
    file gets exactly the findings ``perfeval validate FILE`` prints.
    """
    from macros.session import open_session

    started = time.perf_counter()
    target = Path(path)
    kind = kind_of(target) if os.path.lexists(path) else "json"
    result = FileResult(path=path, kind=kind)
    try:
        hashed = target / PACKAGE_MANIFEST if kind == PACKAGE else target
        if hashed.is_file():
            result.sha256, result.size = _sha256(hashed)
        if kind == "folder":
            result.reason = "是文件夹，不是填报文件"
            return result
        session = open_session(target, profile)
        if session.kind == "package":
            result.kind = "package"
        elif session.kind == "documents":  # read by the import readers: a grid JSON, an .xls, or any document
            result.kind = {"json": "grid", "legacy": "legacy"}.get(kind, "document")
        result.unit = as_filed(session.filing.get("unit"))
        result.year = clean_text(session.filing.get("year"))
        result.profile, result.profile_note = session.profile.name, session.choice.note
        result.tables = _table_rows(session)
        if not result.tables:  # no 附件1 and no project: one row still carries the counts
            result.tables = [TableRow("附件1", "", "", None, None, None, None, "", None, "", "没有可评分的表")]
        _count(result.tables, session.findings)
        result.findings = [f.to_dict() for f in session.findings]
        result.summary = session.summary
    except (FilingError, ProfileError) as exc:
        result.reason = str(exc)
        if kind in (PACKAGE, "zip"):
            result.unit, result.year = _package_identity(target)
    except OSError as exc:
        result.reason = f"无法读取“{path}”：{os_reason(exc)}"
    except MemoryError:
        result.reason = "文件过大，读取时内存不足"
    except Exception as exc:  # noqa: BLE001 — one bad file must never stop the batch
        result.reason = f"读取时出现意外错误（{type(exc).__name__}）；请把此文件发给 perfeval 维护者"
    finally:
        result.seconds = time.perf_counter() - started
    return result


def _examine_chunk(paths: list[str], profile: str | None) -> list[FileResult]:
    return [examine(path, profile) for path in paths]


# ------------------------------------------------------------------ the pool


def default_jobs() -> int:
    """Workers by default: the machine's cores."""
    return max(1, os.cpu_count() or 1)


def _chunk_size(count: int, jobs: int) -> int:
    return max(1, min(32, count // (jobs * 8)))


def _crashed(path: str) -> FileResult:
    return FileResult(path=path, kind=kind_of(Path(path)) if os.path.lexists(path) else "json",
                      reason="读取此文件时处理进程意外退出（文件可能过大或已损坏）")


def _pool(jobs: int) -> ProcessPoolExecutor:
    import multiprocessing

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    return ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context(method))


def _isolated(paths: list[str], profile: str | None) -> list[FileResult]:
    """Each file of a chunk whose worker died, in its own fresh worker: only the culprit is lost."""
    results = []
    for path in paths:
        with _pool(1) as single:
            try:
                results.extend(single.submit(_examine_chunk, [path], profile).result())
            except BrokenProcessPool:
                results.append(_crashed(path))
    return results


def _preload(paths: Sequence[str]) -> None:
    """Import the engine, and the workbook reader with openpyxl when any file needs them, once before the
    workers fork; otherwise each worker would import them on its own."""
    import macros.session  # noqa: F401

    suffixes = {Path(p).suffix.lower() for p in paths}
    if suffixes & {".xlsx", ".xlsm"}:
        import openpyxl  # noqa: F401

        import workbook.reader  # noqa: F401
    if suffixes & {".docx", ".zip", ".xls", ".html", ".htm", ".pdf", ""} or any(Path(p).is_dir() for p in paths):
        import docx  # noqa: F401

        import workbook.documents.docx_reader  # noqa: F401
        import xlfuncs.recognise.assemble  # noqa: F401


def examine_all(paths: Sequence[str], profile: str | None = None, jobs: int = 1) -> Iterator[FileResult]:
    """Examine ``paths`` with ``jobs`` worker processes, yielding results in input order.

    At most a few chunks per worker are in flight, so results never pile up in memory. With
    one job (or one file) everything runs in this process.
    """
    if jobs <= 1 or len(paths) <= 1:
        for path in paths:
            yield examine(path, profile)
        return
    _preload(paths)
    size = _chunk_size(len(paths), jobs)
    chunks = deque(list(paths[i:i + size]) for i in range(0, len(paths), size))
    pending: deque[tuple[list[str], Future[list[FileResult]]]] = deque()
    executor = _pool(jobs)
    try:
        while chunks or pending:
            while chunks and len(pending) < jobs * 4:
                chunk = chunks.popleft()
                pending.append((chunk, executor.submit(_examine_chunk, chunk, profile)))
            chunk, future = pending.popleft()
            try:
                results = future.result()
            except BrokenProcessPool:
                executor.shutdown(wait=False, cancel_futures=True)
                results = _isolated(chunk, profile)
                chunks.extendleft(reversed([c for c, _ in pending]))
                pending.clear()
                executor = _pool(jobs)
            yield from results
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
