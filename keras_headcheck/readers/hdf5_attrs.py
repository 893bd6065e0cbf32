"""Read string attributes of an HDF5 file's root group in pure Python: what Keras writes, no more.

A legacy Keras `.h5` keeps its configs as JSON strings in attributes of the root group, and reading
them needs only a few structures of the HDF5 File Format Specification (version 3.0):
  - the superblock, versions 0 to 3, at offset 0 or after a user block (512, 1024, 2048... bytes);
  - the root group's object header, version 1 or version 2 ("OHDR", whose checksum is verified),
    and the blocks its continuation messages (type 0x10) point to;
  - attribute messages (type 0x0C, versions 1 to 3): name, datatype, dataspace and data;
  - fixed-length strings (datatype class 3) and variable-length strings (class 9), whose bytes are
    an object in a global heap collection ("GCOL"), named by the collection's address and an index;
  - a scalar or one-element dataspace.
A valid file that keeps the attributes elsewhere (in dense storage, found through an Attribute Info
message 0x15 and a fractal heap, as h5py does past 8 attributes with `libver="latest"`; or in shared
messages or datatypes) raises `UnsupportedLayout`, naming what it met, and readers/hdf5.py then asks
libhdf5. A broken file raises `HDF5Error` with a one-line reason; so does an attribute that is not
a string, whatever its type (h5py would not return a string for it either).

The file is hostile until proven otherwise: every address and length read from it is checked
against the file's size (and sizes against `Limits.max_config_bytes`) before it is used, every loop
is bounded (messages, continuation blocks, heap objects), nothing recurses, and the file is only
read, one bounded positioned read per structure, within a budget for the whole file.
"""

from __future__ import annotations

import os
import struct
from typing import BinaryIO, Optional, Sequence, Union

from .limits import Limits, env_name

MAGIC = b"\x89HDF\r\n\x1a\n"
MAX_MESSAGES = 4096  # header messages in the root object header (a Keras file has about ten)
MAX_BLOCKS = 256  # its continuation blocks (a Keras file has one or two)
MAX_HEAP_OBJECTS = 65536  # a heap object's index is 16 bits
_M32 = 0xFFFFFFFF


class HDF5Error(Exception):
    """The HDF5 file cannot be read; the message is one line."""


class UnsupportedLayout(HDF5Error):
    """A valid HDF5 layout this reader does not parse (libhdf5 may); the message names it."""


def _corrupt(reason: str) -> HDF5Error:
    return HDF5Error(f"not a readable HDF5 file ({reason})")


def _uint(buf: bytes, pos: int, size: int, what: str) -> int:
    if pos < 0 or pos + size > len(buf):
        raise _corrupt(f"truncated {what}")
    return int.from_bytes(buf[pos : pos + size], "little")


def _align8(n: int) -> int:
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


class _File:
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
            raise _corrupt(f"{what} at byte {offset} runs past the end of the file "
                           f"({self.size} bytes)")
        self.budget -= size
        if self.budget < 0:
            raise _corrupt("reading its attributes needs more bytes than the size limits allow")
        if self.data is not None:
            return self.data[offset : offset + size]
        self.handle.seek(offset)
        chunk = self.handle.read(size)
        if len(chunk) != size:
            raise _corrupt(f"{what} at byte {offset} is cut short (the file changed while read)")
        return chunk


class _Layout:
    """What the superblock says: where HDF5 data starts, the sizes of addresses and lengths, and
    where the root group's object header is."""

    def __init__(self, f: _File) -> None:
        self.f = f
        for base in [0] + [1 << n for n in range(9, 64) if 1 << n < f.size]:
            if f.read(base, min(8, f.size - base), "signature") == MAGIC:
                break
        else:
            raise _corrupt("no HDF5 signature at byte 0, 512, 1024...")
        self.base = base  # addresses count from the signature, as libhdf5 counts them
        buf = f.read(base, min(f.size - base, 256), "superblock")
        version = _uint(buf, 8, 1, "superblock")
        if version not in (0, 1, 2, 3):
            raise _corrupt(f"unknown superblock version {version}")
        at = 13 if version < 2 else 9
        self.asize, self.lsize = (_uint(buf, at + i, 1, "superblock") for i in (0, 1))
        if self.asize not in (2, 4, 8, 16, 32) or self.lsize not in (2, 4, 8, 16, 32):
            raise _corrupt(f"the superblock declares {self.asize}-byte addresses and "
                           f"{self.lsize}-byte lengths")
        self.undefined = (1 << (8 * self.asize)) - 1
        pos = (24 if version == 0 else 28) if version < 2 else 12
        stored_base, extension, eof, fourth = (
            _uint(buf, pos + i * self.asize, self.asize, "superblock") for i in range(4))
        eof = (eof + base - stored_base) % (1 << 64)  # absolute, from where the file began then
        if eof > f.size:
            raise _corrupt(f"truncated file: {f.size} bytes, its superblock says {eof}")
        status = _uint(buf, *((20, 4) if version < 2 else (11, 1)), "superblock")
        if status & ~0x07:  # written, closed cleanly, SWMR
            raise _corrupt("bad superblock status flags")
        if version >= 2:
            end = pos + 4 * self.asize
            if _uint(buf, end, 4, "superblock") != lookup3(buf[:end]):
                raise _corrupt("bad superblock checksum")
            root = fourth
        elif extension != self.undefined:
            raise _corrupt("a superblock extension in a version 0 or 1 superblock")
        elif fourth != self.undefined:  # a driver information block (family or multi-file sets)
            raise _corrupt("its superblock names a file driver, which h5py does not use")
        else:  # the root group's symbol table entry: link name offset, object header address...
            root = _uint(buf, pos + 5 * self.asize, self.asize, "superblock")
            if _uint(buf, pos + 6 * self.asize, 4, "superblock") > 2:  # ... and cache type
                raise _corrupt("unknown symbol table entry cache type")
        self.root = self.offset(root, "root group address")

    def offset(self, address: int, what: str) -> int:
        """Where an address read from the file points, checked to be inside the file."""
        if address == self.undefined or self.base + address >= self.f.size:
            raise _corrupt(f"{what} {address} is outside the file")
        return self.base + address


def _over_header(size: int, cap: int) -> HDF5Error:
    return _corrupt(f"a root object header of {size} bytes, over the {cap}-byte limit "
                    f"({env_name('max_config_bytes')})")


def _root_messages(layout: _Layout, cap: int) -> list[tuple[int, int, bytes]]:
    """(type, flags, body) of every message of the root group's object header, in file order,
    continuation blocks included (walked iteratively, each block at most once)."""
    f, start = layout.f, layout.root
    head = f.read(start, min(f.size - start, 40), "root object header")
    if head[:1] == b"\x01":  # version, reserved, messages (2), references (4), size (4), padding
        version, header, at, width = 1, 8, 16, 0  # message header: type (2), size (2), flags, 3
        size = _uint(head, 8, 4, "object header")
    elif head[:5] == b"OHDR\x02":  # then flags, [4 times (4)], [2 attribute thresholds (2)], size
        flags = _uint(head, 5, 1, "object header")
        version, header = 2, 6 if flags & 0x04 else 4  # type, size (2), flags, [creation order (2)]
        at, width = 6 + (16 if flags & 0x20 else 0) + (4 if flags & 0x10 else 0), 1 << (flags & 3)
        size = _uint(head, at, width, "object header")
    else:
        raise _corrupt("no object header version 1 or 2 at the root group address")
    if size > cap:
        raise _over_header(size, cap)
    if version == 1:
        blocks = [f.read(start + at, size, "root object header")]
    else:
        chunk = f.read(start, at + width + size + 4, "root object header")
        if _uint(chunk, len(chunk) - 4, 4, "object header") != lookup3(chunk[:-4]):
            raise _corrupt("bad object header checksum")
        blocks = [chunk[at + width : -4]]
    messages: list[tuple[int, int, bytes]] = []
    seen, total = {start, start + at}, len(blocks[0])  # a block may not come back
    while blocks:
        block, pos = blocks.pop(0), 0
        while pos + header <= len(block):  # in version 2, fewer bytes left are a gap
            kind, size, flags = struct.unpack_from("<HHB" if version == 1 else "<BHB", block, pos)
            body = block[pos + header : pos + header + size]
            if len(body) != size or (version == 1 and size % 8):
                raise _corrupt("a header message runs past the end of its block or is not aligned")
            pos += header + size
            messages.append((kind, flags, body))
            if len(messages) > MAX_MESSAGES:
                raise _corrupt(f"more than {MAX_MESSAGES} messages in the root object header")
            if kind != 0x10:
                continue
            address = _uint(body, 0, layout.asize, "continuation")
            where = layout.offset(address, "continuation address")
            length = _uint(body, layout.asize, layout.lsize, "continuation")
            if where in seen or len(seen) > MAX_BLOCKS:
                raise _corrupt("the root object header's continuation blocks loop or are too many")
            seen.add(where)
            total += length
            if total > cap:
                raise _over_header(total, cap)
            more = f.read(where, length, "continuation block")
            if version == 2:
                if more[:4] != b"OCHK" or length < 8:
                    raise _corrupt("a continuation block without its OCHK signature")
                if _uint(more, length - 4, 4, "continuation block") != lookup3(more[:-4]):
                    raise _corrupt("bad continuation block checksum")
                more = more[4:-4]
            blocks.append(more)
    return messages


_Attribute = tuple[bytes, int, bytes, bytes, bytes]  # name, flags, datatype, dataspace, data
_CLASSES = ("integer", "floating-point", "time", "string", "bitfield", "opaque", "compound",
            "reference", "enumeration", "variable-length sequence", "array")


def _shape(space: bytes, length_size: int) -> Optional[tuple[int, ...]]:
    """The dimensions of a dataspace message; None for a null dataspace (no data at all)."""
    version, rank = _uint(space, 0, 1, "dataspace"), _uint(space, 1, 1, "dataspace")
    if version == 1:
        kind, at = (1 if rank else 0), 8
    elif version == 2:
        kind, at = _uint(space, 3, 1, "dataspace"), 4
    else:
        raise _corrupt(f"unknown dataspace version {version}")
    if rank > 32 or kind > 2:
        raise _corrupt("a bad dataspace")
    if kind == 2:
        return None
    size = length_size
    return tuple(_uint(space, at + i * size, size, "dataspace") for i in range(rank * kind))


def _over(key: str, size: int, cap: int) -> HDF5Error:
    return HDF5Error(f"HDF5 attribute {key!r} is {size} bytes, over the {cap}-byte limit "
                     f"({env_name('max_config_bytes')})")


def _heap_object(layout: _Layout, address: int, index: int, length: int) -> bytes:
    """The bytes of object `index` of the global heap collection at `address`."""
    f, lsize = layout.f, layout.lsize
    header = _align8(8 + lsize)  # collection: GCOL, version, 3 reserved, size; object: see below
    start = layout.offset(address, "global heap address")
    head = f.read(start, header, "global heap collection")
    if head[:5] != b"GCOL\x01":
        raise _corrupt(f"no global heap collection at address {address}")
    end = start + _uint(head, 8, lsize, "global heap collection")
    if end > f.size:
        raise _corrupt(f"the global heap collection at address {address} runs past the end "
                       "of the file")
    # Walk the whole collection, checking every object header as libhdf5 does when it loads it.
    pos, found = start + header, None
    for _ in range(MAX_HEAP_OBJECTS):  # each object: index (2), references (2), reserved (4), size
        if pos + header > end:  # too small for an object header: free space, up to the end
            break
        obj = f.read(pos, header, "global heap object")
        number, size = (_uint(obj, at, n, "global heap object") for at, n in ((0, 2), (8, lsize)))
        need = header + _align8(size) if number else size  # the free space object counts its header
        if need < header or pos + need > end:
            raise _corrupt(f"an object overruns the global heap collection at address {address}")
        if number == index:
            found = (pos + header, size)
        pos += need
    else:
        raise _corrupt(f"more than {MAX_HEAP_OBJECTS} objects in a global heap collection")
    if found is None:
        raise _corrupt(f"no object {index} in the global heap collection at address {address}")
    if found[1] != length:
        raise _corrupt(f"global heap object {index} is {found[1]} bytes, its string {length}")
    return f.read(found[0], length, "global heap object")


def _attribute(body: bytes, layout: _Layout) -> _Attribute:
    """(name, flags, datatype, dataspace, data) of an attribute message, checked as libhdf5 checks
    every attribute message it decodes while looking one up by name."""
    version = _uint(body, 0, 1, "attribute message")
    flags = _uint(body, 1, 1, "attribute message") if version > 1 else 0
    if version not in (1, 2, 3) or flags & ~0x03:
        raise _corrupt(f"an attribute message of unknown version {version} or flags {flags}")
    pos, fields = (8 if version < 3 else 9), []
    for at in (2, 4, 6):
        size = _uint(body, at, 2, "attribute message")
        fields.append(body[pos : pos + size])
        if len(fields[-1]) != size:
            raise _corrupt("an attribute message runs past its end")
        pos += _align8(size) if version == 1 else size
    name, dtype, space = fields
    if not name or b"\0" in name[:-1]:  # (libhdf5 does not look at the last byte)
        raise _corrupt("an attribute name does not have the length it declares")
    if not flags & 0x01:  # else the datatype is a shared message
        variable = _uint(dtype, 0, 1, "datatype") & 0x0F == 9
        for at in (0, 8) if variable else (0,):  # and the base type of a variable-length one
            dtype_version, cls = _uint(dtype, at, 1, "datatype") >> 4, dtype[at] & 0x0F
            size = _uint(dtype, at + 4, 4, "datatype")
            if not 1 <= dtype_version <= 4 or cls >= len(_CLASSES) or size == 0:
                raise _corrupt(f"a bad datatype in attribute {name[:-1]!r}")
    if not flags & 0x02:
        _shape(space, layout.lsize)
    return name[:-1], flags, dtype, space, body[pos:]


def _text(layout: _Layout, key: str, attribute: _Attribute, cap: int) -> str:
    """The string value of the attribute named `key`, as h5py returns it."""
    _, flags, dtype, space, data = attribute
    if flags:
        raise UnsupportedLayout(f"HDF5 attribute {key!r} has a shared datatype or dataspace")
    shape, cls, what = _shape(space, layout.lsize), dtype[0] & 0x0F, _CLASSES[dtype[0] & 0x0F]
    bits, size = _uint(dtype, 1, 3, "datatype"), _uint(dtype, 4, 4, "datatype")
    if cls == 3 or (cls == 9 and bits & 0x0F == 1):
        what = "fixed-length string" if cls == 3 else "variable-length string"
        padding, charset = (bits & 0x0F, bits >> 4 & 0x0F) if cls == 3 else (0, bits >> 8 & 0x0F)
        if padding > 2 or charset > 1:
            raise _corrupt(f"unknown string padding or character set in attribute {key!r}")
    if shape not in ((), (1,)) or "string" not in what:
        shown = "empty" if shape is None else f"shape {shape}"
        raise HDF5Error(f"HDF5 attribute {key!r} is not a string ({shown}, {what})")
    if cls == 3:
        if size > cap:
            raise _over(key, size, cap)
        raw = data[:size]
        if len(raw) != size:
            raise _corrupt(f"attribute {key!r} holds less data than its datatype declares")
        # As h5py returns it: libhdf5 converts it to null-padded, numpy strips the trailing NULs.
        if padding == 0:  # null-terminated
            raw = raw.split(b"\0", 1)[0]
        return (raw.rstrip(b" ") if padding == 2 else raw).rstrip(b"\0").decode("utf-8", "replace")
    if _uint(dtype, 12, 4, "datatype") != 1:  # the size of the base type: one-byte characters
        raise _corrupt(f"attribute {key!r} is a variable-length string of wide characters")
    length = _uint(data, 0, 4, f"attribute {key!r}")  # then the heap ID: collection address, index
    address = _uint(data, 4, layout.asize, f"attribute {key!r}")
    index = _uint(data, 4 + layout.asize, 4, f"attribute {key!r}")
    if length > cap:
        raise _over(key, length, cap)
    if address == 0:  # a null string (libhdf5 reads even an empty one from the heap)
        return ""
    if index == 0:
        raise _corrupt(f"attribute {key!r} points at the free space of a global heap")
    raw = _heap_object(layout, address, index, length)
    return raw.split(b"\0", 1)[0].decode("utf-8", "surrogateescape")  # h5py: a C string, decoded


def read_root_attributes(source: Union[bytes, bytearray, memoryview, BinaryIO], keys: Sequence[str],
                         limits: Limits) -> dict[str, Optional[str]]:
    """{key: text, or None if absent} for string attributes of the root group of an HDF5 file
    (its bytes, or a binary file open for reading). Raises HDF5Error, or UnsupportedLayout."""
    cap = limits.max_config_bytes
    layout = _Layout(_File(source, budget=(len(keys) + 2) * cap + (4 << 20)))
    wanted = {key.encode("utf-8"): key for key in keys}
    found: dict[str, _Attribute] = {}
    dense = shared = group = False
    for kind, flags, body in _root_messages(layout, cap):
        group = group or kind in (0x02, 0x11)  # link info (new-style group), symbol table (old)
        if kind == 0x15:  # attribute info: version 0, flags, [max creation index], fractal heap...
            if _uint(body, 0, 1, "attribute info") != 0:
                raise _corrupt("an attribute info message of unknown version")
            at = 2 + (2 if _uint(body, 1, 1, "attribute info") & 1 else 0)
            dense = dense or _uint(body, at, layout.asize, "attribute info") != layout.undefined
        elif kind == 0x0C and flags & 0x02:
            shared = True  # its name is in a shared-message heap
        elif kind == 0x0C:
            attribute = _attribute(body, layout)
            key = wanted.get(attribute[0])
            if key is not None:
                found.setdefault(key, attribute)  # libhdf5 finds the first of two with one name
    if not group:
        raise _corrupt("the root object is not a group")
    if dense:
        raise UnsupportedLayout("the HDF5 root group keeps its attributes in dense storage "
                                "(an attribute info message with a fractal heap)")
    if shared and len(found) < len(keys):
        raise UnsupportedLayout("the HDF5 root group has shared attribute messages")
    return {key: _text(layout, key, found[key], cap) if key in found else None for key in keys}
