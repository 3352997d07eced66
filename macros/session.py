"""One step behind every door: open a source → filing, its own profile, locator, reader findings;
evaluate; place every finding on its sheet and cell.

The CLI (validate, score, export, demo), the desktop buttons and the Lite scripts all call
:func:`open_session` (a file) or :func:`session_from_grids` (a live workbook's cells), so they
report the same findings at the same cells under the same profile.

Profile choice, in order: a profile named by the caller (``--profile``; it overrides the file's
own and the session says so), the workbook's own (使用说明 sheet), the filing's ``profile``
field, then the default.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xlfuncs.engine import Evaluation, evaluate
from xlfuncs.findings import Finding, sort_findings, summarize
from xlfuncs.profiles import DEFAULT_PROFILE, Profile, is_profile_path, load_profile, resolve_profile_path

Locator = Callable[[str], "tuple[str, str] | None"]

#: Where the profile came from.
FROM_OPTION, FROM_WORKBOOK, FROM_FILING, FROM_DEFAULT = "option", "workbook", "filing", "default"


@dataclass(frozen=True)
class ProfileChoice:
    """The profile a session uses, where it came from, and a Chinese note when an option overrode the file."""

    profile: Profile
    origin: str
    note: str = ""


def choose_profile(own: str | None, override: str | Profile | None, *, own_origin: str = FROM_FILING,
                   base: Path | None = None) -> ProfileChoice:
    """Pick the profile: ``override`` (said when it differs from the file's own), else ``own``, else default.

    Each may be a shipped name or a .toml path; the file's own relative path is relative to
    ``base`` (the file's folder), an override's to the current folder.
    """
    if override is not None:
        chosen = override if isinstance(override, Profile) else load_profile(override)
        note = ""
        own_spec = str(resolve_profile_path(own, base)) if own and is_profile_path(own) else own
        if own and own_spec != chosen.spec:
            where = "工作簿" if own_origin == FROM_WORKBOOK else "填报文件"
            note = f"按命令行指定的规则配置“{chosen.name}”校验，覆盖了{where}自带的“{own}”"
        return ProfileChoice(chosen, FROM_OPTION, note)
    if own:
        return ProfileChoice(load_profile(own, base=base), own_origin)
    return ProfileChoice(load_profile(DEFAULT_PROFILE), FROM_DEFAULT)


def place(findings: Sequence[Finding], locate: Locator | None) -> list[Finding]:
    """Put each finding on its sheet and cell.

    A finding that already names a cell (the reader found it there) keeps it; the others are
    placed through the locator from their JSON Pointer. Without a locator nothing changes.
    """
    if locate is None:
        return list(findings)
    placed = []
    for finding in findings:
        if finding.sheet:
            placed.append(finding)
            continue
        where = locate(finding.pointer)
        placed.append(finding.at(*where) if where else finding)
    return placed


@dataclass
class Session:
    """A source opened, evaluated and placed: what every door shows."""

    source: str  # how messages name the source (a path or a workbook's name)
    filing: dict[str, Any]
    choice: ProfileChoice
    evaluation: Evaluation
    findings: list[Finding]  # reader findings and engine findings, placed and sorted
    is_workbook: bool = False
    path: Path | None = None
    locate: Locator | None = None
    reader_findings: list[Finding] = field(default_factory=list)
    reading: Any = None  # the workbook reading (its cell model) when the source is a workbook
    kind: str = "json"  # what was read: json, workbook, documents or package (macros.inputs)
    notes: list[str] = field(default_factory=list)  # what reading the documents noticed

    @property
    def profile(self) -> Profile:
        """The profile the filing was evaluated under."""
        return self.choice.profile

    @property
    def summary(self) -> dict[str, int]:
        """Counts by severity over every finding."""
        return summarize(self.findings)

    @property
    def errors(self) -> int:
        """Number of error findings."""
        return self.summary["errors"]


def evaluate_filing(filing: dict[str, Any], *, source: str, own_profile: str | None = None,
                    own_origin: str = FROM_FILING, override: str | Profile | None = None,
                    locate: Locator | None = None, reader_findings: Sequence[Finding] = (),
                    is_workbook: bool = False, path: Path | None = None) -> Session:
    """Evaluate a filing already read, under the chosen profile, and place the findings."""
    if own_profile is None and isinstance(filing.get("profile"), str) and filing["profile"].strip():
        own_profile = filing["profile"].strip()
    choice = choose_profile(own_profile, override, own_origin=own_origin,
                            base=path.parent if path is not None else None)
    evaluation = evaluate(filing, choice.profile)
    findings = sort_findings(place([*reader_findings, *evaluation.findings], locate))
    return Session(source, filing, choice, evaluation, findings, is_workbook, path, locate, list(reader_findings))


def open_session(path: str | Path | Sequence[str | Path], profile: str | Profile | None = None) -> Session:
    """Open a filing JSON, a master workbook, or documents (Word, Excel, web pages, PDF, table grids,
    an exported package; several paths make one filing) and evaluate it; raise FilingError/ProfileError
    in Chinese. Every door opens files through :func:`macros.inputs.open_sources`."""
    from macros.inputs import open_sources  # keeps this module light for callers that pass grids

    opened = open_sources([path] if isinstance(path, str | Path) else path)
    origin = FROM_WORKBOOK if opened.is_workbook else FROM_FILING
    session = evaluate_filing(opened.filing, source=str(opened.path), own_profile=opened.profile, own_origin=origin,
                              override=profile, locate=opened.locate, reader_findings=opened.findings,
                              is_workbook=opened.is_workbook, path=opened.path)
    session.kind, session.notes = opened.kind, opened.notes
    return session


def session_from_grids(grids: Mapping[str, Any], *, source: str, profile: str | Profile | None = None,
                       base: Path | None = None) -> Session:
    """Evaluate a live workbook from its cells (the buttons and Lite scripts); ``base`` is the
    workbook's folder, where a relative profile path in its settings points from."""
    from workbook.reader import read_grids

    reading = read_grids(grids, source=source, base=base)
    session = evaluate_filing(reading.filing, source=source, own_profile=reading.profile, own_origin=FROM_WORKBOOK,
                              override=profile, locate=reading.locate, reader_findings=reading.findings,
                              is_workbook=True)
    session.reading = reading
    return session
