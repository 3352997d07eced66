"""The VBA project writer's parts on their own: MS-OVBA compression (checked against oletools'
and pyOpenVBA's decompressors, written independently), and the compound file (read back by
olefile, its directory a valid red-black tree)."""

from __future__ import annotations

import struct

import olefile
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from oletools.olevba import decompress_stream
from pyopenvba.vba import decompress as pyopenvba_decompress

from workbook import cfb, ovba

TEXT = st.text(alphabet="Sub End Function Dim As Long 0123456789=()\r\n\"'.,", max_size=9000)


@settings(max_examples=60, deadline=None)
@given(st.one_of(st.binary(max_size=9000), TEXT.map(lambda t: t.encode("ascii"))))
def test_compress_round_trips_through_three_decompressors(data):
    try:
        packed = ovba.compress(data)
    except ovba.OVBAError:  # an incompressible last chunk cannot be written; say so, never corrupt
        assert len(data) % ovba.CHUNK > 3640
        return
    assert packed[0] == 1
    assert ovba.decompress(packed) == data
    assert bytes(decompress_stream(bytearray(packed))) == data
    assert bytes(pyopenvba_decompress(packed)) == data


@settings(max_examples=40, deadline=None)
@given(st.one_of(st.binary(min_size=1, max_size=4096), TEXT.filter(bool).map(lambda t: t.encode("ascii")[:4096])))
def test_every_chunk_compresses_to_tokens_that_decode(chunk):
    """The LZ tokens of one chunk (the writer uses them for the last chunk only)."""
    packed = ovba.compress_chunk(chunk)
    container = b"\x01" + struct.pack("<H", 0xB000 | (len(packed) - 1)) + packed
    if len(packed) <= ovba.CHUNK:
        assert ovba.decompress(container) == chunk == bytes(decompress_stream(bytearray(container)))


def test_source_text_compresses_and_full_chunks_are_stored_raw():
    text = ("Public Sub Validate()\r\n    RunPython \"import macros; macros.validate()\"\r\nEnd Sub\r\n" * 80).encode()
    packed = ovba.compress(text)
    assert len(text) > ovba.CHUNK and packed[1:3] == struct.pack("<H", 0x3FFF)  # first chunk raw
    assert len(packed) < len(text)  # the last chunk is compressed
    assert ovba.decompress(packed) == text


def _walk(ole: olefile.OleFileIO, sid: int, seen: list[int]) -> int:
    """Black height of the sibling tree under ``sid``; fails on two reds in a row."""
    if sid == olefile.NOSTREAM:
        return 1
    entry = ole.direntries[sid]
    seen.append(sid)
    left, right = _walk(ole, entry.sid_left, seen), _walk(ole, entry.sid_right, seen)
    assert left == right, "unequal black heights"
    if entry.color == 0:  # red
        for child in (entry.sid_left, entry.sid_right):
            assert child == olefile.NOSTREAM or ole.direntries[child].color == 1, "red under red"
    return left + (1 if entry.color == 1 else 0)


@pytest.mark.parametrize("count", [1, 2, 3, 5, 8, 15, 16, 40])
def test_compound_file_reads_back_with_a_valid_directory_tree(count):
    streams = [cfb.Stream(f"M{i:02d}" + "x" * (i % 5), bytes([i]) * (i * 397)) for i in range(count)]
    big = cfb.Stream("Big", b"B" * 9000)
    root = cfb.Storage("Root Entry", [cfb.Storage("VBA", [*streams, big]), cfb.Stream("PROJECT", b"ID=1\r\n")])
    ole = olefile.OleFileIO(cfb.write_cfb(root))
    for stream in streams:
        assert ole.openstream(["VBA", stream.name]).read() == stream.data
    assert ole.openstream(["VBA", "Big"]).read() == big.data
    assert ole.openstream("PROJECT").read() == b"ID=1\r\n"
    vba_entry = ole.direntries[[e.name for e in ole.direntries if e].index("VBA")]
    order: list[int] = []
    _walk(ole, vba_entry.sid_child, order)
    names = [ole.direntries[sid].name for sid in order]
    assert sorted(names) == sorted(s.name for s in [*streams, big]) and len(names) == count + 1
    # the binary search order: an in-order walk gives the names sorted as the format says
    def inorder(sid: int) -> list[str]:
        if sid == olefile.NOSTREAM:
            return []
        e = ole.direntries[sid]
        return inorder(e.sid_left) + [e.name] + inorder(e.sid_right)
    walked = inorder(vba_entry.sid_child)
    assert walked == sorted(walked, key=cfb.sort_key)


def test_a_module_not_in_ascii_or_with_bare_newlines_is_refused():
    with pytest.raises(ovba.OVBAError):
        ovba.project_bin([ovba.standard_module("M", "' 说明\r\n")])
    with pytest.raises(ovba.OVBAError):
        ovba.project_bin([ovba.standard_module("M", "Sub A()\nEnd Sub\r\n")])
    with pytest.raises(ovba.OVBAError):
        ovba.project_bin([ovba.standard_module("M", ""), ovba.standard_module("m", "")])
