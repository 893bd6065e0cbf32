"""The HDF5 structures under a root group's attributes, read in pure Python: bounded reads of the
file, the superblock, the root group's object header and its messages, global heap objects.

From the HDF5 File Format Specification (version 3.0), only what Keras (through h5py) writes:
  - the superblock, versions 0 to 3, at offset 0 or after a user block (512, 1024, 2048... bytes);
  - the root group's object header, version 1 or version 2 ("OHDR", whose checksum is verified),
    and the blocks its continuation messages (type 0x10) point to;
  - objects of a global heap collection ("GCOL"), named by the collection's address and an index
    (where variable-length strings keep their bytes).
hdf5_attrs.py decodes the attribute messages found here. A broken file raises `HDF5Error` with a
one-line reason.

The file is hostile until proven otherwise: every address and length read from it is checked
against the file's size (and sizes against `Limits.max_config_bytes`) before it is used, every loop
is bounded (messages, continuation blocks, heap objects), nothing recurses, and the file is only
read, one bounded positioned read per structure, within a budget for the whole file.
"""

from __future__ import annotations

import os
import struct
from typing import BinaryIO, Optional, Union

from .limits import env_name

MAGIC = b"\x89HDF\r\n\x1a\n"
MAX_MESSAGES = 4096  # header messages in the root object header (a Keras file has about ten)
MAX_BLOCKS = 256  # its continuation blocks (a Keras file has one or two)
MAX_HEAP_OBJECTS = 65536  # a heap object's index is 16 bits
_M32 = 0xFFFFFFFF


class HDF5Error(Exception):
    """The HDF5 file cannot be read; the message is one line."""


class UnsupportedLayout(HDF5Error):
    """A valid HDF5 layout this reader does not parse (libhdf5 may); the message names it."""


def corrupt(reason: str) -> HDF5Error:
    return HDF5Error(f"not a readable HDF5 file ({reason})")


def uint(buf: bytes, pos: int, size: int, what: str) -> int:
    if pos < 0 or pos + size > len(buf):
        raise corrupt(f"truncated {what}")
    return int.from_bytes(buf[pos : pos + size], "little")


def align8(n: int) -> int:
    return (n + 7) & ~7


def _rot(x: int, k: int) -> int:
    return ((x << k) | (x >> (32 - k))) & _M32


_MIX, _FINAL = (4, 6, 8, 16, 19, 4), (14, 11, 25, 16, 4, 14, 24)


def lookup3(data: bytes) -> int:
    """Bob Jenkins' lookup3 `hashlittle` (initval 0): the checksum of HDF5 version 2 metadata."""
    v = [(0xDEADBEEF + len(data)) & _M32] * 3
    if not data:
        return v[2]
    words = struct.unpack(f"<{-(-len(data) // 12) * 3}L", data + bytes(-len(data) % 12))
    for i in range(0, len(words), 3):  # 12-byte blocks, the last one padded with zeros
        v = [(x + w) & _M32 for x, w in zip(v, words[i : i + 3])]
        for j, k in enumerate(_MIX if i + 3 < len(words) else ()):  # mix(a, b, c)
            x, y, z = j % 3, (j + 1) % 3, (j + 2) % 3
            v[x] = ((v[x] - v[z]) & _M32) ^ _rot(v[z], k)
            v[z] = (v[z] + v[y]) & _M32
    for j, k in enumerate(_FINAL):  # final(a, b, c)
        t, u = (j + 2) % 3, (j + 1) % 3
        v[t] = ((v[t] ^ v[u]) - _rot(v[u], k)) & _M32
    return v[2]


class File:
    """Positioned, bounds-checked reads of bytes or of a file open for reading, within a budget."""

    def __init__(self, source: Union[bytes, bytearray, memoryview, BinaryIO], budget: int) -> None:
        self.data: Optional[bytes] = None
        if isinstance(source, (bytes, bytearray, memoryview)):
            self.data = bytes(source)
            self.size = len(self.data)
        else:
            self.handle = source
            self.size = source.seek(0, os.SEEK_END)
        self.budget = budget

    def read(self, offset: int, size: int, what: str) -> bytes:
        if offset < 0 or size < 0 or offset + size > self.size:
            raise corrupt(f"{what} at byte {offset} runs past the end of the file "
                          f"({self.size} bytes)")
        self.budget -= size
        if self.budget < 0:
            raise corrupt("reading its attributes needs more bytes than the size limits allow")
        if self.data is not None:
            return self.data[offset : offset + size]
        self.handle.seek(offset)
        chunk = self.handle.read(size)
        if len(chunk) != size:
            raise corrupt(f"{what} at byte {offset} is cut short (the file changed while read)")
        return chunk


class Layout:
    """What the superblock says: where HDF5 data starts, the sizes of addresses and lengths, and
    where the root group's object header is."""

    def __init__(self, f: File) -> None:
        self.f = f
        for base in [0] + [1 << n for n in range(9, 64) if 1 << n < f.size]:
            if f.read(base, min(8, f.size - base), "signature") == MAGIC:
                break
        else:
            raise corrupt("no HDF5 signature at byte 0, 512, 1024...")
        self.base = base  # addresses count from the signature, as libhdf5 counts them
        buf = f.read(base, min(f.size - base, 256), "superblock")
        version = uint(buf, 8, 1, "superblock")
        if version not in (0, 1, 2, 3):
            raise corrupt(f"unknown superblock version {version}")
        at = 13 if version < 2 else 9
        self.asize, self.lsize = (uint(buf, at + i, 1, "superblock") for i in (0, 1))
        if self.asize not in (2, 4, 8, 16, 32) or self.lsize not in (2, 4, 8, 16, 32):
            raise corrupt(f"the superblock declares {self.asize}-byte addresses and "
                          f"{self.lsize}-byte lengths")
        self.undefined = (1 << (8 * self.asize)) - 1
        pos = (24 if version == 0 else 28) if version < 2 else 12
        stored_base, extension, eof, fourth = (
            uint(buf, pos + i * self.asize, self.asize, "superblock") for i in range(4))
        eof = (eof + base - stored_base) % (1 << 64)  # absolute, from where the file began then
        if eof > f.size:
            raise corrupt(f"truncated file: {f.size} bytes, its superblock says {eof}")
        status = uint(buf, *((20, 4) if version < 2 else (11, 1)), "superblock")
        if status & ~0x07:  # written, closed cleanly, SWMR
            raise corrupt("bad superblock status flags")
        if version >= 2:
            end = pos + 4 * self.asize
            if uint(buf, end, 4, "superblock") != lookup3(buf[:end]):
                raise corrupt("bad superblock checksum")
            root = fourth
        elif extension != self.undefined:
            raise corrupt("a superblock extension in a version 0 or 1 superblock")
        elif fourth != self.undefined:  # a driver information block (family or multi-file sets)
            raise corrupt("its superblock names a file driver, which h5py does not use")
        else:  # the root group's symbol table entry: link name offset, object header address...
            root = uint(buf, pos + 5 * self.asize, self.asize, "superblock")
            if uint(buf, pos + 6 * self.asize, 4, "superblock") > 2:  # ... and cache type
                raise corrupt("unknown symbol table entry cache type")
        self.root = self.offset(root, "root group address")

    def offset(self, address: int, what: str) -> int:
        """Where an address read from the file points, checked to be inside the file."""
        if address == self.undefined or self.base + address >= self.f.size:
            raise corrupt(f"{what} {address} is outside the file")
        return self.base + address


def _over_header(size: int, cap: int) -> HDF5Error:
    return corrupt(f"a root object header of {size} bytes, over the {cap}-byte limit "
                   f"({env_name('max_config_bytes')})")


def root_messages(layout: Layout, cap: int) -> list[tuple[int, int, bytes]]:
    """(type, flags, body) of every message of the root group's object header, in file order,
    continuation blocks included (walked iteratively, each block at most once)."""
    f, start = layout.f, layout.root
    head = f.read(start, min(f.size - start, 40), "root object header")
    if head[:1] == b"\x01":  # version, reserved, messages (2), references (4), size (4), padding
        version, header, at, width = 1, 8, 16, 0  # message header: type (2), size (2), flags, 3
        size = uint(head, 8, 4, "object header")
    elif head[:5] == b"OHDR\x02":  # then flags, [4 times (4)], [2 attribute thresholds (2)], size
        flags = uint(head, 5, 1, "object header")
        version, header = 2, 6 if flags & 0x04 else 4  # type, size (2), flags, [creation order (2)]
        at, width = 6 + (16 if flags & 0x20 else 0) + (4 if flags & 0x10 else 0), 1 << (flags & 3)
        size = uint(head, at, width, "object header")
    else:
        raise corrupt("no object header version 1 or 2 at the root group address")
    if size > cap:
        raise _over_header(size, cap)
    if version == 1:
        blocks = [f.read(start + at, size, "root object header")]
    else:
        chunk = f.read(start, at + width + size + 4, "root object header")
        if uint(chunk, len(chunk) - 4, 4, "object header") != lookup3(chunk[:-4]):
            raise corrupt("bad object header checksum")
        blocks = [chunk[at + width : -4]]
    messages: list[tuple[int, int, bytes]] = []
    seen, total = {start, start + at}, len(blocks[0])  # a block may not come back
    while blocks:
        block, pos = blocks.pop(0), 0
        while pos + header <= len(block):  # in version 2, fewer bytes left are a gap
            kind, size, flags = struct.unpack_from("<HHB" if version == 1 else "<BHB", block, pos)
            body = block[pos + header : pos + header + size]
            if len(body) != size or (version == 1 and size % 8):
                raise corrupt("a header message runs past the end of its block or is not aligned")
            pos += header + size
            messages.append((kind, flags, body))
            if len(messages) > MAX_MESSAGES:
                raise corrupt(f"more than {MAX_MESSAGES} messages in the root object header")
            if kind != 0x10:
                continue
            address = uint(body, 0, layout.asize, "continuation")
            where = layout.offset(address, "continuation address")
            length = uint(body, layout.asize, layout.lsize, "continuation")
            if where in seen or len(seen) > MAX_BLOCKS:
                raise corrupt("the root object header's continuation blocks loop or are too many")
            seen.add(where)
            total += length
            if total > cap:
                raise _over_header(total, cap)
            more = f.read(where, length, "continuation block")
            if version == 2:
                if more[:4] != b"OCHK" or length < 8:
                    raise corrupt("a continuation block without its OCHK signature")
                if uint(more, length - 4, 4, "continuation block") != lookup3(more[:-4]):
                    raise corrupt("bad continuation block checksum")
                more = more[4:-4]
            blocks.append(more)
    return messages


def heap_object(layout: Layout, address: int, index: int, length: int) -> bytes:
    """The bytes of object `index` of the global heap collection at `address`."""
    f, lsize = layout.f, layout.lsize
    header = align8(8 + lsize)  # collection: GCOL, version, 3 reserved, size; object: see below
    start = layout.offset(address, "global heap address")
    head = f.read(start, header, "global heap collection")
    if head[:5] != b"GCOL\x01":
        raise corrupt(f"no global heap collection at address {address}")
    end = start + uint(head, 8, lsize, "global heap collection")
    if end > f.size:
        raise corrupt(f"the global heap collection at address {address} runs past the end "
                      "of the file")
    # Walk the whole collection, checking every object header as libhdf5 does when it loads it.
    pos, found = start + header, None
    for _ in range(MAX_HEAP_OBJECTS):  # each object: index (2), references (2), reserved (4), size
        if pos + header > end:  # too small for an object header: free space, up to the end
            break
        obj = f.read(pos, header, "global heap object")
        number, size = (uint(obj, at, n, "global heap object") for at, n in ((0, 2), (8, lsize)))
        need = header + align8(size) if number else size  # the free space object counts its header
        if need < header or pos + need > end:
            raise corrupt(f"an object overruns the global heap collection at address {address}")
        if number == index:
            found = (pos + header, size)
        pos += need
    else:
        raise corrupt(f"more than {MAX_HEAP_OBJECTS} objects in a global heap collection")
    if found is None:
        raise corrupt(f"no object {index} in the global heap collection at address {address}")
    if found[1] != length:
        raise corrupt(f"global heap object {index} is {found[1]} bytes, its string {length}")
    return f.read(found[0], length, "global heap object")
