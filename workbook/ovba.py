"""A VBA project written as MS-OVBA asks a writer to: ``vbaProject.bin`` from module sources.

* ``VBA/_VBA_PROJECT`` is the 7-byte header with version 0xFFFF and no performance cache
  (``CC 61 FF FF 00 00 00``): the host compiles the source when it opens the file, as it does
  for projects written by xlwings' own tools or by LibreOffice.
* each module stream is the compressed source only (``MODULEOFFSET`` 0, no p-code);
* ``VBA/dir`` (compressed) describes the project, its one reference (OLE Automation) and the
  modules; ``PROJECT`` and ``PROJECTwm`` are the project's text and name map.

Module sources are ASCII with CRLF line ends, each starting with its ``Attribute VB_Name``
line (document modules with the attributes Excel gives them). :func:`compress` is the MS-OVBA
LZ77 container, :func:`decompress` its inverse (used by the tests).
"""

from __future__ import annotations

import struct
import uuid
from dataclasses import dataclass
from functools import lru_cache

from .cfb import Storage, Stream, write_cfb

CHUNK = 4096
CODE_PAGE = 1252
LCID = 0x0409
PROJECT_NAME = "VBAProject"
STDOLE = ("stdole", "*\\G{00020430-0000-0000-C000-000000000046}#2.0#0#C:\\Windows\\System32\\stdole2.tlb"
                    "#OLE Automation")
HOST_EXTENDER = "&H00000001={3832D640-CF90-11CF-8E43-00A0C911005A};VBE;&H00000000"
#: VB_Base of Excel's document modules: the workbook, and worksheets.
WORKBOOK_BASE = "0{00020819-0000-0000-C000-000000000046}"
WORKSHEET_BASE = "0{00020820-0000-0000-C000-000000000046}"
CRLF = "\r\n"


class OVBAError(ValueError):
    """A module cannot be written into a VBA project."""


# ----------------------------------------------------------------------------- compression

def _copy_token_layout(position: int) -> tuple[int, int]:
    """(bits for the offset, largest length) of a copy token at ``position`` bytes into a chunk."""
    bits = max((position - 1).bit_length(), 4)
    return bits, (0xFFFF >> bits) + 3


def compress_chunk(chunk: bytes) -> bytes:
    """The token sequences of one chunk (at most 4096 bytes), greedy longest match (2.4.1.3.7)."""
    out = bytearray()
    seen: dict[bytes, list[int]] = {}
    pos, size = 0, len(chunk)
    while pos < size:
        flags, tokens = 0, bytearray()
        for bit in range(8):
            if pos >= size:
                break
            best_len, best_off = 0, 0
            if pos >= 1 and pos + 3 <= size:
                bits, longest = _copy_token_layout(pos)
                limit = min(longest, size - pos)
                for start in reversed(seen.get(chunk[pos:pos + 3], ())[-64:]):
                    length = 3
                    while length < limit and chunk[start + length] == chunk[pos + length]:
                        length += 1
                    if length > best_len:
                        best_len, best_off = length, pos - start
                        if length == limit:
                            break
            if best_len >= 3:
                bits, _ = _copy_token_layout(pos)
                tokens += struct.pack("<H", ((best_off - 1) << (16 - bits)) | (best_len - 3))
                flags |= 1 << bit
                step = best_len
            else:
                tokens.append(chunk[pos])
                step = 1
            for i in range(pos, min(pos + step, size - 2)):
                seen.setdefault(chunk[i:i + 3], []).append(i)
            pos += step
        out.append(flags)
        out += tokens
    return bytes(out)


@lru_cache(maxsize=64)
def compress(data: bytes) -> bytes:
    """MS-OVBA CompressedContainer of ``data`` (2.4.1.1.1). Remembered per process: a build's
    module sources (xlwings.bas above all) are the same from one workbook to the next.

    Every full 4096-byte chunk is stored as an uncompressed chunk (2.4.1.1.5: allowed for any
    full chunk, and what the spec's own compressor emits when compression does not pay); the
    last, shorter chunk is LZ-compressed (a partial chunk cannot be stored raw). That keeps
    the writer fast in pure Python: the zip package deflates ``vbaProject.bin`` anyway.
    """
    out = bytearray(b"\x01")
    full = len(data) - len(data) % CHUNK
    for start in range(0, full, CHUNK):
        out += struct.pack("<H", 0x3FFF) + data[start:start + CHUNK]
    if full < len(data):
        packed = compress_chunk(data[full:])
        if len(packed) > CHUNK:
            raise OVBAError("数据无法写成 VBA 压缩流（末块不可压缩）")
        out += struct.pack("<H", 0xB000 | (len(packed) + 2 - 3)) + packed
    return bytes(out)


def decompress(container: bytes) -> bytes:
    """The data a CompressedContainer holds (2.4.1.3.1)."""
    if not container or container[0] != 1:
        raise OVBAError("not a compressed container")
    out = bytearray()
    pos = 1
    while pos < len(container):
        header = struct.unpack_from("<H", container, pos)[0]
        size, flag = (header & 0x0FFF) + 3, header >> 15
        end = min(pos + size, len(container))
        pos += 2
        start = len(out)
        if not flag:
            out += container[pos:pos + CHUNK]
            pos += CHUNK
            continue
        while pos < end:
            flags = container[pos]
            pos += 1
            for bit in range(8):
                if pos >= end:
                    break
                if not flags & (1 << bit):
                    out.append(container[pos])
                    pos += 1
                    continue
                token = struct.unpack_from("<H", container, pos)[0]
                pos += 2
                bits, _ = _copy_token_layout(len(out) - start)
                offset, length = (token >> (16 - bits)) + 1, (token & (0xFFFF >> bits)) + 3
                for _ in range(length):
                    out.append(out[-offset])
    return bytes(out)


# ----------------------------------------------------------------------------- the project


@dataclass(frozen=True)
class Module:
    """A module of the project: its name, ``document`` for ThisWorkbook/Sheet modules, and its
    full source (the ``Attribute`` lines included)."""

    name: str
    source: str
    document: bool = False


def standard_module(name: str, code: str) -> Module:
    """A standard module; ``code`` without its ``Attribute VB_Name`` line."""
    return Module(name, f'Attribute VB_Name = "{name}"{CRLF}{code}')


def document_module(name: str, code: str = "", *, workbook: bool = False) -> Module:
    """ThisWorkbook (``workbook``) or a worksheet's module, with the attributes Excel gives them."""
    attributes = [f'Attribute VB_Name = "{name}"', f'Attribute VB_Base = "{WORKBOOK_BASE if workbook else WORKSHEET_BASE}"',
                  "Attribute VB_GlobalNameSpace = False", "Attribute VB_Creatable = False",
                  "Attribute VB_PredeclaredId = True", "Attribute VB_Exposed = True",
                  "Attribute VB_TemplateDerived = False", "Attribute VB_Customizable = True"]
    return Module(name, CRLF.join(attributes) + CRLF + code, document=True)


def _mbcs(text: str) -> bytes:
    try:
        return text.encode("cp1252")
    except UnicodeEncodeError:
        raise OVBAError(f"VBA 模块名或源码须为 ASCII：{text[:40]!r}") from None


def _record(rid: int, data: bytes) -> bytes:
    return struct.pack("<HI", rid, len(data)) + data


def _text_pair(rid: int, unicode_rid: int, text: str) -> bytes:
    return _record(rid, _mbcs(text)) + _record(unicode_rid, text.encode("utf-16-le"))


def dir_stream(modules: list[Module]) -> bytes:
    """The uncompressed ``dir`` stream (2.3.4.2)."""
    info = (_record(0x0001, struct.pack("<I", 1)) + _record(0x0002, struct.pack("<I", LCID))
            + _record(0x0014, struct.pack("<I", LCID)) + _record(0x0003, struct.pack("<H", CODE_PAGE))
            + _record(0x0004, _mbcs(PROJECT_NAME)) + _text_pair(0x0005, 0x0040, "")
            + _text_pair(0x0006, 0x003D, "") + _record(0x0007, struct.pack("<I", 0))
            + _record(0x0008, struct.pack("<I", 0))
            + struct.pack("<HIIH", 0x0009, 4, 1, 0)  # PROJECTVERSION: its size field says 4, 6 bytes follow
            + _text_pair(0x000C, 0x003C, ""))
    name, libid = STDOLE
    registered = struct.pack("<I", len(libid)) + _mbcs(libid) + struct.pack("<IH", 0, 0)
    references = _text_pair(0x0016, 0x003E, name) + _record(0x000D, registered)
    body = _record(0x000F, struct.pack("<H", len(modules))) + _record(0x0013, struct.pack("<H", 0xFFFF))
    for module in modules:
        body += (_record(0x0019, _mbcs(module.name)) + _record(0x0047, module.name.encode("utf-16-le"))
                 + _text_pair(0x001A, 0x0032, module.name) + _text_pair(0x001C, 0x0048, "")
                 + _record(0x0031, struct.pack("<I", 0)) + _record(0x001E, struct.pack("<I", 0))
                 + _record(0x002C, struct.pack("<H", 0xFFFF))
                 + struct.pack("<HI", 0x0022 if module.document else 0x0021, 0)
                 + struct.pack("<HI", 0x002B, 0))
    return info + references + body + struct.pack("<HI", 0x0010, 0)


def _encrypt(data: bytes, project_id: str, seed: int) -> str:
    """Data Encryption (2.4.3.2) as the PROJECT stream's CMG/DPB/GC values: hex text."""
    key = sum(_mbcs(project_id)) & 0xFF
    version = 2
    out = bytearray([seed, seed ^ version, seed ^ key])
    unencrypted, enc1, enc2 = key, seed ^ key, seed ^ version
    for byte in [0] * ((seed & 6) // 2) + list(struct.pack("<I", len(data))) + list(data):
        encrypted = byte ^ ((enc2 + unencrypted) & 0xFF)
        out.append(encrypted)
        enc2, enc1, unencrypted = enc1, encrypted, byte
    return out.hex().upper()


def project_stream(modules: list[Module], project_id: str) -> bytes:
    """The ``PROJECT`` stream (2.3.1): modules, name, no protection, visible; its workspace."""
    lines = [f'ID="{project_id}"']
    lines += [f"Document={m.name}/&H00000000" if m.document else f"Module={m.name}" for m in modules]
    lines += [f'Name="{PROJECT_NAME}"', 'HelpContextID="0"', 'VersionCompatible32="393222000"',
              f'CMG="{_encrypt(bytes(4), project_id, 0x11)}"', f'DPB="{_encrypt(bytes(1), project_id, 0x13)}"',
              f'GC="{_encrypt(bytes([0xFF]), project_id, 0x15)}"', "", "[Host Extender Info]", HOST_EXTENDER,
              "", "[Workspace]"]
    lines += [f"{m.name}=0, 0, 0, 0, C" for m in modules]
    return _mbcs(CRLF.join(lines) + CRLF)


def projectwm_stream(modules: list[Module]) -> bytes:
    """The ``PROJECTwm`` stream (2.3.3): each module name as MBCS and as UTF-16."""
    return b"".join(_mbcs(m.name) + b"\0" + m.name.encode("utf-16-le") + b"\0\0" for m in modules) + b"\0\0"


VBA_PROJECT_HEADER = struct.pack("<HHBH", 0x61CC, 0xFFFF, 0x00, 0x0000)


def project_bin(modules: list[Module], key: str = PROJECT_NAME) -> bytes:
    """``vbaProject.bin`` holding ``modules`` (source only); ``key`` makes the project id."""
    names = [m.name for m in modules]
    if len({n.upper() for n in names}) != len(names):
        raise OVBAError("VBA 模块名重复")
    for module in modules:
        if not module.source.startswith(f'Attribute VB_Name = "{module.name}"'):
            raise OVBAError(f"模块 {module.name} 的源码须以 Attribute VB_Name 开头")
        if "\n" in module.source.replace(CRLF, ""):
            raise OVBAError(f"模块 {module.name} 的换行须为 CRLF")
    project_id = "{" + str(uuid.uuid5(uuid.NAMESPACE_URL, "perfeval-vba:" + key)).upper() + "}"
    vba = Storage("VBA", [Stream("_VBA_PROJECT", VBA_PROJECT_HEADER), Stream("dir", compress(dir_stream(modules)))]
                  + [Stream(m.name, compress(_mbcs(m.source))) for m in modules])
    root = Storage("Root Entry", [vba, Stream("PROJECT", project_stream(modules, project_id)),
                                  Stream("PROJECTwm", projectwm_stream(modules))])
    return write_cfb(root)
