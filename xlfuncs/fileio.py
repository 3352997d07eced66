"""Shared file and package I/O, one helper each: atomic writes, deterministic zips, the document
properties perfeval writes, and OOXML package relationships.

Every file perfeval writes goes through :func:`write_atomic` (a temporary file in the target's
folder, flushed and fsync'd, then renamed over the target), or, for writers that stream to a
path, :func:`temp_beside` and :func:`publish`, so a crash or a full disk never leaves half a
file where the user's file was. Zips are made by :func:`zip_bytes` (fixed entry
stamps and modes: the same content gives the same bytes) or edited by :func:`rewrite_zip`
(entry order and metadata kept), in memory or, for large packages, streaming
(:func:`rewrite_zip_file`). Package XML from outside is parsed with defusedxml.
"""

from __future__ import annotations

import io
import os
import posixpath
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import IO

#: The stamp of every entry of a zip perfeval makes when no other time is asked for.
ZIP_EPOCH = (2024, 1, 1, 0, 0, 0)


# --------------------------------------------------------------------------- atomic writes


def sync_folder(folder: Path) -> None:
    """Make the rename durable where the platform allows it (POSIX); elsewhere nothing to do."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


def temp_beside(target: str | os.PathLike[str], suffix: str = ".tmp") -> Path:
    """An empty temporary file in ``target``'s folder, for a writer that streams to a path; finish
    with :func:`publish` (or delete it on failure)."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=suffix, dir=target.parent)
    os.close(handle)
    return Path(temp)


def _new_file_mode() -> int:
    """What ``open()`` gives a new file: 0666 less the umask (0644 under the usual 022)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def publish(temp: str | os.PathLike[str], target: str | os.PathLike[str]) -> Path:
    """Make a finished temporary file (in the same folder) ``target``: give it the permissions a new
    file gets (temporary files are owner-only), fsync it, rename it over ``target``, then sync the
    folder so the rename lasts."""
    handle = os.open(temp, os.O_RDWR)
    try:
        if hasattr(os, "fchmod"):
            os.fchmod(handle, _new_file_mode())
        os.fsync(handle)
    finally:
        os.close(handle)
    os.replace(temp, target)
    sync_folder(Path(target).parent)
    return Path(target)


def write_synced(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to a new file in a work folder and fsync it (no rename): for a file that is
    published later by a no-overwrite link or rename of its own (the export's zip)."""
    target = Path(path)
    with open(target, "wb") as stream:
        stream.write(data)
        stream.flush()
        os.fsync(stream.fileno())
    return target


def write_atomic(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder, fsync'd, then renamed
    over ``path``; on any error ``path`` is left as it was and the temporary file removed."""
    target = Path(path)
    temp = temp_beside(target)
    try:
        temp.write_bytes(data)
        return publish(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


# --------------------------------------------------------------------------- zips


def zip_bytes(entries: Iterable[tuple[str, bytes]], *, when: tuple[int, int, int, int, int, int] = ZIP_EPOCH,
              compresslevel: int | None = None, stored: Callable[[str], bool] | None = None) -> bytes:
    """A deflated zip of ``entries`` (name, bytes) in the order given, every entry stamped ``when``
    with mode 0644: the same entries give the same bytes. ``stored(name)`` True keeps an entry
    uncompressed (packages and PDFs are compressed already)."""
    buffer = io.BytesIO()
    stamp = (max(when[0], 1980), *when[1:])
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=compresslevel) as archive:
        for name, data in entries:
            info = zipfile.ZipInfo(name, stamp)
            info.compress_type = zipfile.ZIP_STORED if stored and stored(name) else zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data, compresslevel=compresslevel)
    return buffer.getvalue()


def rewrite_zip(data: bytes, edit: Mapping[str, bytes] | Callable[[str, bytes], bytes]) -> bytes:
    """``data`` (a zip) with entries replaced: from a mapping name → new bytes, or each entry's bytes
    passed through ``edit(name, bytes)``. Entry order, names, stamps and attributes are kept."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if callable(edit):
                content = edit(info.filename, content)
            elif info.filename in edit:
                content = edit[info.filename]
            target.writestr(info, content)
    return out.getvalue()


def open_entry(archive: zipfile.ZipFile, like: zipfile.ZipInfo, *, large: bool = False) -> IO[bytes]:
    """A writable, deflated entry of ``archive`` named and stamped like ``like`` (zip64 when ``large``)."""
    info = zipfile.ZipInfo(like.filename, like.date_time)
    info.compress_type = zipfile.ZIP_DEFLATED
    return archive.open(info, "w", force_zip64=large)


def rewrite_zip_file(path: str | os.PathLike[str], edit: Callable[[zipfile.ZipFile, zipfile.ZipInfo, zipfile.ZipFile], bool],
                     *, large_from: int = 1 << 31) -> Path:
    """Rewrite the zip at ``path`` in place, streaming and atomically (for packages too big for memory).

    ``edit(source, info, target)`` writes its own version of an entry into ``target`` (see
    :func:`open_entry`) and returns True, or returns False to have the entry copied as it is
    (zip64 from ``large_from`` bytes).
    """
    path = Path(path)
    temp = temp_beside(path)
    try:
        with zipfile.ZipFile(path) as source, zipfile.ZipFile(temp, "w", zipfile.ZIP_DEFLATED) as target:
            for info in source.infolist():
                if edit(source, info, target):
                    continue
                with source.open(info) as old, open_entry(target, info, large=info.file_size > large_from) as new:
                    shutil.copyfileobj(old, new, 1 << 20)
        return publish(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


# --------------------------------------------------------------------------- document properties

CORE_PROPERTIES = "docProps/core.xml"
APP_PROPERTIES = "docProps/app.xml"
CT_CORE_PROPERTIES = "application/vnd.openxmlformats-package.core-properties+xml"
CT_APP_PROPERTIES = "application/vnd.openxmlformats-officedocument.extended-properties+xml"
_XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def escape(text: str) -> str:
    """Text for an XML element body (``&``, ``<``, ``>``). Not xml.sax.saxutils: it loads
    urllib and http.client, which the command line must not pay for."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def core_properties_xml(title: str) -> str:
    """docProps/core.xml holding only the title (no author, no dates, no tool name)."""
    return (_XML_HEAD + '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
            'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f"<dc:title>{escape(title)}</dc:title></cp:coreProperties>")


def app_properties_xml(company: str) -> str:
    """docProps/app.xml holding only the unit (Company)."""
    return (_XML_HEAD + '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
            f"<Company>{escape(company)}</Company></Properties>")


def property_parts(title: str, company: str) -> dict[str, bytes]:
    """The two document-property parts of a filed document: the title and the unit only."""
    return {CORE_PROPERTIES: core_properties_xml(title).encode("utf-8"),
            APP_PROPERTIES: app_properties_xml(company).encode("utf-8")}


# --------------------------------------------------------------------------- package relationships

NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"


def rels_path(part: str) -> str:
    """The relationships part of ``part`` (``""``: the package's own, ``_rels/.rels``)."""
    if not part:
        return "_rels/.rels"
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def parse_relationships(xml: bytes | str) -> list[dict[str, str]]:
    """The relationships of a ``.rels`` part as attribute dicts (Id, Type, Target, TargetMode)."""
    from defusedxml import ElementTree  # only when a package is read

    root = ElementTree.fromstring(xml)
    return [dict(el.attrib) for el in root.iter(f"{{{NS_PKG_REL}}}Relationship")]


def resolve_target(part: str, target: str) -> str:
    """The part path a relationship target of ``part`` points at."""
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(part), target))


def relationship_targets(read: Callable[[str], bytes], part: str, names: Iterable[str] | None = None
                         ) -> dict[str, str]:
    """Id → resolved part path of every relationship of ``part``; ``read`` gives a part's bytes
    (e.g. ``ZipFile.read``); with ``names`` (the package's parts) a missing .rels part gives {}."""
    path = rels_path(part)
    if names is not None and path not in set(names):
        return {}
    return {rel.get("Id", ""): resolve_target(part, rel.get("Target", ""))
            for rel in parse_relationships(read(path)) if rel.get("TargetMode") != "External"}
