"""A small writer of Compound File Binary files (MS-CFB, version 3), the container of vbaProject.bin.

Only what a VBA project needs: storages and streams in a tree, written once. Streams shorter
than 4096 bytes live in the mini stream (64-byte sectors), longer ones in 512-byte sectors;
the FAT is addressed from the header only (at most 109 FAT sectors, about 6.8 MB, far above a
VBA project's size). Each storage's children form a red-black tree ordered as the format
requires (shorter names first, then by upper-cased name).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

SECTOR = 512
MINI_SECTOR = 64
MINI_CUTOFF = 4096
ENDOFCHAIN = 0xFFFFFFFE
FATSECT = 0xFFFFFFFD
FREESECT = 0xFFFFFFFF
NOSTREAM = 0xFFFFFFFF
SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
_HEADER_DIFAT = 109
_RED, _BLACK = 0, 1
_STORAGE, _STREAM, _ROOT = 1, 2, 5


class CFBError(ValueError):
    """The tree cannot be written as a compound file."""


@dataclass
class Stream:
    """A stream: a name and its bytes."""

    name: str
    data: bytes


@dataclass
class Storage:
    """A storage: a name and its children (streams and storages)."""

    name: str
    children: list[Stream | Storage] = field(default_factory=list)


def sort_key(name: str) -> tuple[int, str]:
    """Sibling order in a directory: shorter names first, then the upper-cased names."""
    return len(name), name.upper()


@dataclass
class _Entry:
    node: Stream | Storage
    kind: int
    left: int = NOSTREAM
    right: int = NOSTREAM
    child: int = NOSTREAM
    color: int = _BLACK
    start: int = ENDOFCHAIN
    size: int = 0


def _tree(ids: list[int], entries: list[_Entry]) -> int:
    """Link sorted sibling ids into a balanced binary search tree coloured as a valid red-black
    tree (the deepest level red when it is not full); return the root id."""
    depth_of: dict[int, int] = {}

    def build(lo: int, hi: int, depth: int) -> int:
        if lo > hi:
            return NOSTREAM
        mid = (lo + hi + 1) // 2
        node = ids[mid]
        depth_of[node] = depth
        entries[node].left = build(lo, mid - 1, depth + 1)
        entries[node].right = build(mid + 1, hi, depth + 1)
        return node

    root = build(0, len(ids) - 1, 0)
    if ids:
        deepest = max(depth_of.values())
        full = sum(1 for d in depth_of.values() if d == deepest) == 2 ** deepest
        for node, depth in depth_of.items():
            entries[node].color = _RED if depth == deepest and deepest > 0 and not full else _BLACK
    return root


def _flatten(root: Storage) -> list[_Entry]:
    entries = [_Entry(root, _ROOT)]
    queue = [0]
    while queue:
        parent = queue.pop(0)
        storage = entries[parent].node
        assert isinstance(storage, Storage)
        names = [c.name for c in storage.children]
        if len({n.upper() for n in names}) != len(names):
            raise CFBError(f"duplicate names in storage {storage.name}")
        ids = []
        for child in sorted(storage.children, key=lambda c: sort_key(c.name)):
            if len(child.name) > 31:
                raise CFBError(f"name too long: {child.name}")
            entries.append(_Entry(child, _STORAGE if isinstance(child, Storage) else _STREAM))
            ids.append(len(entries) - 1)
            if isinstance(child, Storage):
                queue.append(len(entries) - 1)
        entries[parent].child = _tree(ids, entries)
    return entries


def _pad(data: bytes, size: int, fill: bytes = b"\0") -> bytes:
    rest = -len(data) % size
    return data + fill * (rest // len(fill))


def _dir_entry(entry: _Entry) -> bytes:
    name = entry.node.name.encode("utf-16-le")
    return (name.ljust(64, b"\0") + struct.pack("<HBB3I", len(name) + 2, entry.kind, entry.color, entry.left,
                                                 entry.right, entry.child)
            + b"\0" * 16 + struct.pack("<I", 0) + b"\0" * 16 + struct.pack("<IQ", entry.start, entry.size))


_EMPTY_ENTRY = b"\0" * 68 + struct.pack("<3I", NOSTREAM, NOSTREAM, NOSTREAM) + b"\0" * 48


def _directory(entries: list[_Entry]) -> bytes:
    data = b"".join(_dir_entry(e) for e in entries)
    return data + _EMPTY_ENTRY * (-len(entries) % (SECTOR // 128))


def write_cfb(root: Storage) -> bytes:
    """The compound file holding ``root``'s tree (``root`` is the Root Entry)."""
    entries = _flatten(root)
    mini, minifat = bytearray(), []
    big: list[tuple[_Entry, bytes]] = []
    for entry in entries:
        if not isinstance(entry.node, Stream):
            continue
        data = entry.node.data
        entry.size = len(data)
        if not data:
            entry.start = ENDOFCHAIN
        elif len(data) < MINI_CUTOFF:
            first = len(mini) // MINI_SECTOR
            count = -(-len(data) // MINI_SECTOR)
            minifat += [first + i + 1 for i in range(count - 1)] + [ENDOFCHAIN]
            mini += _pad(data, MINI_SECTOR)
            entry.start = first
        else:
            big.append((entry, data))
    directory = _directory(entries)  # its size now; its content once the sectors are known
    minifat_bytes = _pad(struct.pack(f"<{len(minifat)}I", *minifat), SECTOR, struct.pack("<I", FREESECT))
    mini_bytes = _pad(bytes(mini), SECTOR)
    # sector map: FAT sectors, directory, mini FAT, mini stream, big streams
    runs = [len(directory) // SECTOR, len(minifat_bytes) // SECTOR, len(mini_bytes) // SECTOR]
    runs += [-(-len(data) // SECTOR) for _, data in big]
    used = sum(runs)
    fat_sectors = 1
    while fat_sectors * (SECTOR // 4) < used + fat_sectors:
        fat_sectors += 1
    if fat_sectors > _HEADER_DIFAT:
        raise CFBError("VBA project too large for this writer")
    fat = [FATSECT] * fat_sectors
    starts = []
    for length in runs:
        start = len(fat)
        starts.append(start if length else ENDOFCHAIN)
        fat += [start + i + 1 for i in range(length - 1)] + ([ENDOFCHAIN] if length else [])
    dir_start, minifat_start, mini_start, *big_starts = starts
    entries[0].start = mini_start
    entries[0].size = len(mini)
    for (entry, _), start in zip(big, big_starts, strict=True):
        entry.start = start
    directory = _directory(entries)
    fat_bytes = _pad(struct.pack(f"<{len(fat)}I", *fat), SECTOR * fat_sectors, struct.pack("<I", FREESECT))
    difat = list(range(fat_sectors)) + [FREESECT] * (_HEADER_DIFAT - fat_sectors)
    header = (SIGNATURE + b"\0" * 16 + struct.pack("<HHHHH", 0x003E, 0x0003, 0xFFFE, 9, 6) + b"\0" * 6
              + struct.pack("<IIIIIIIII", 0, fat_sectors, dir_start, 0, MINI_CUTOFF,
                            minifat_start if minifat else ENDOFCHAIN, len(minifat_bytes) // SECTOR if minifat else 0,
                            ENDOFCHAIN, 0)
              + struct.pack(f"<{_HEADER_DIFAT}I", *difat))
    body = fat_bytes + directory + (minifat_bytes if minifat else b"") + mini_bytes
    body += b"".join(_pad(data, SECTOR) for _, data in big)
    return header + body
