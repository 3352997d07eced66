"""manifest.json of a filing package: what made it and every file's SHA-256 and size."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from xlfuncs import jsonio
from xlfuncs.fileio import write_atomic

MANIFEST_NAME = "manifest.json"
MANIFEST_FORMAT = "perfeval.package/1"


def tool_version() -> str:
    """perfeval's installed version ("0.1.0"), or "unknown" when run from a bare checkout."""
    from importlib import metadata  # only a package's manifest needs it: not loaded at start-up

    try:
        return metadata.version("perfeval")
    except metadata.PackageNotFoundError:
        return "unknown"


def sha256_file(path: str | Path) -> str:
    """Hex SHA-256 of a file, read in blocks."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def file_entries(folder: str | Path) -> list[dict[str, Any]]:
    """``{"path", "sha256", "size"}`` of every file under ``folder`` but the manifest, sorted by path."""
    root = Path(folder)
    entries = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        relative = path.relative_to(root).as_posix()
        if relative == MANIFEST_NAME:
            continue
        entries.append({"path": relative, "sha256": sha256_file(path), "size": path.stat().st_size})
    return entries


def build_manifest(folder: str | Path, **fields: Any) -> dict[str, Any]:
    """The manifest of ``folder``: format, tool and version, the given fields, then the files."""
    manifest: dict[str, Any] = {"format": MANIFEST_FORMAT, "tool": "perfeval", "tool_version": tool_version()}
    manifest.update(fields)
    manifest["files"] = file_entries(folder)
    return manifest


def manifest_bytes(manifest: dict[str, Any]) -> bytes:
    """The manifest as written: UTF-8 JSON, indented, strict (no NaN or Infinity)."""
    return (jsonio.dumps(manifest) + "\n").encode("utf-8")


def write_manifest(folder: str | Path, manifest: dict[str, Any]) -> Path:
    """Write ``manifest.json`` into ``folder``, atomically."""
    path = Path(folder) / MANIFEST_NAME
    write_atomic(path, manifest_bytes(manifest))
    return path


def verify_manifest(folder: str | Path) -> list[str]:
    """Problems between a package folder and its manifest (Chinese lines); empty when they agree."""
    root = Path(folder)
    try:
        manifest = json.loads((root / MANIFEST_NAME).read_text(encoding="utf-8"))
        listed = {entry["path"]: entry for entry in manifest["files"]}
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return [f"无法读取 {MANIFEST_NAME}：{exc}"]
    problems = []
    present = {entry["path"]: entry for entry in file_entries(root)}
    for path in sorted(set(listed) - set(present)):
        problems.append(f"清单列出的文件不存在：{path}")
    for path in sorted(set(present) - set(listed)):
        problems.append(f"文件不在清单中：{path}")
    for path in sorted(set(listed) & set(present)):
        if listed[path].get("sha256") != present[path]["sha256"] or listed[path].get("size") != present[path]["size"]:
            problems.append(f"文件与清单记录不符（SHA-256 或大小不同）：{path}")
    return problems
