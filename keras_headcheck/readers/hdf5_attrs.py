"""Read string attributes of an HDF5 file's root group in pure Python: what Keras writes, no more.

A legacy Keras `.h5` keeps its configs as JSON strings in attributes of the root group. Reading
them takes, over the structures hdf5_format.py reads (superblock, root object header, global heap):
  - attribute messages (type 0x0C, versions 1 to 3): name, datatype, dataspace and data;
  - fixed-length strings (datatype class 3) and variable-length strings (class 9), whose bytes are
    an object in a global heap collection;
  - a scalar or one-element dataspace.
A valid file that keeps the attributes elsewhere (in dense storage, found through an Attribute Info
message 0x15 and a fractal heap, as h5py does past 8 attributes with `libver="latest"`; or in shared
messages or datatypes) raises `UnsupportedLayout`, naming what it met, and readers/hdf5.py then asks
libhdf5. A broken file raises `HDF5Error` with a one-line reason; so does an attribute that is not
a string, whatever its type (h5py would not return a string for it either).
"""

from __future__ import annotations

from typing import BinaryIO, Optional, Sequence, Union

from .hdf5_format import (
    HDF5Error, File, Layout, UnsupportedLayout, align8, corrupt, heap_object, root_messages, uint,
)  # fmt: skip
from .limits import Limits, env_name

_Attribute = tuple[bytes, int, bytes, bytes, bytes]  # name, flags, datatype, dataspace, data
_CLASSES = ("integer", "floating-point", "time", "string", "bitfield", "opaque", "compound",
            "reference", "enumeration", "variable-length sequence", "array")


def _shape(space: bytes, length_size: int) -> Optional[tuple[int, ...]]:
    """The dimensions of a dataspace message; None for a null dataspace (no data at all)."""
    version, rank = uint(space, 0, 1, "dataspace"), uint(space, 1, 1, "dataspace")
    if version == 1:
        kind, at = (1 if rank else 0), 8
    elif version == 2:
        kind, at = uint(space, 3, 1, "dataspace"), 4
    else:
        raise corrupt(f"unknown dataspace version {version}")
    if rank > 32 or kind > 2:
        raise corrupt("a bad dataspace")
    if kind == 2:
        return None
    size = length_size
    return tuple(uint(space, at + i * size, size, "dataspace") for i in range(rank * kind))


def _over(key: str, size: int, cap: int) -> HDF5Error:
    return HDF5Error(f"HDF5 attribute {key!r} is {size} bytes, over the {cap}-byte limit "
                     f"({env_name('max_config_bytes')})")


def _attribute(body: bytes, layout: Layout) -> _Attribute:
    """(name, flags, datatype, dataspace, data) of an attribute message, checked as libhdf5 checks
    every attribute message it decodes while looking one up by name."""
    version = uint(body, 0, 1, "attribute message")
    flags = uint(body, 1, 1, "attribute message") if version > 1 else 0
    if version not in (1, 2, 3) or flags & ~0x03:
        raise corrupt(f"an attribute message of unknown version {version} or flags {flags}")
    pos, fields = (8 if version < 3 else 9), []
    for at in (2, 4, 6):
        size = uint(body, at, 2, "attribute message")
        fields.append(body[pos : pos + size])
        if len(fields[-1]) != size:
            raise corrupt("an attribute message runs past its end")
        pos += align8(size) if version == 1 else size
    name, dtype, space = fields
    if not name or b"\0" in name[:-1]:  # (libhdf5 does not look at the last byte)
        raise corrupt("an attribute name does not have the length it declares")
    if not flags & 0x01:  # else the datatype is a shared message
        variable = uint(dtype, 0, 1, "datatype") & 0x0F == 9
        for at in (0, 8) if variable else (0,):  # and the base type of a variable-length one
            dtype_version, cls = uint(dtype, at, 1, "datatype") >> 4, dtype[at] & 0x0F
            size = uint(dtype, at + 4, 4, "datatype")
            if not 1 <= dtype_version <= 4 or cls >= len(_CLASSES) or size == 0:
                raise corrupt(f"a bad datatype in attribute {name[:-1]!r}")
    if not flags & 0x02:
        _shape(space, layout.lsize)
    return name[:-1], flags, dtype, space, body[pos:]


def _text(layout: Layout, key: str, attribute: _Attribute, cap: int) -> str:
    """The string value of the attribute named `key`, as h5py returns it."""
    _, flags, dtype, space, data = attribute
    if flags:
        raise UnsupportedLayout(f"HDF5 attribute {key!r} has a shared datatype or dataspace")
    shape, cls, what = _shape(space, layout.lsize), dtype[0] & 0x0F, _CLASSES[dtype[0] & 0x0F]
    bits, size = uint(dtype, 1, 3, "datatype"), uint(dtype, 4, 4, "datatype")
    if cls == 3 or (cls == 9 and bits & 0x0F == 1):
        what = "fixed-length string" if cls == 3 else "variable-length string"
        padding, charset = (bits & 0x0F, bits >> 4 & 0x0F) if cls == 3 else (0, bits >> 8 & 0x0F)
        if padding > 2 or charset > 1:
            raise corrupt(f"unknown string padding or character set in attribute {key!r}")
    if shape not in ((), (1,)) or "string" not in what:
        shown = "empty" if shape is None else f"shape {shape}"
        raise HDF5Error(f"HDF5 attribute {key!r} is not a string ({shown}, {what})")
    if cls == 3:
        if size > cap:
            raise _over(key, size, cap)
        raw = data[:size]
        if len(raw) != size:
            raise corrupt(f"attribute {key!r} holds less data than its datatype declares")
        # As h5py returns it: libhdf5 converts it to null-padded, numpy strips the trailing NULs.
        if padding == 0:  # null-terminated
            raw = raw.split(b"\0", 1)[0]
        return (raw.rstrip(b" ") if padding == 2 else raw).rstrip(b"\0").decode("utf-8", "replace")
    if uint(dtype, 12, 4, "datatype") != 1:  # the size of the base type: one-byte characters
        raise corrupt(f"attribute {key!r} is a variable-length string of wide characters")
    length = uint(data, 0, 4, f"attribute {key!r}")  # then the heap ID: collection address, index
    address = uint(data, 4, layout.asize, f"attribute {key!r}")
    index = uint(data, 4 + layout.asize, 4, f"attribute {key!r}")
    if length > cap:
        raise _over(key, length, cap)
    if address == 0:  # a null string (libhdf5 reads even an empty one from the heap)
        return ""
    if index == 0:
        raise corrupt(f"attribute {key!r} points at the free space of a global heap")
    raw = heap_object(layout, address, index, length)
    return raw.split(b"\0", 1)[0].decode("utf-8", "surrogateescape")  # h5py: a C string, decoded


def read_root_attributes(source: Union[bytes, bytearray, memoryview, BinaryIO], keys: Sequence[str],
                         limits: Limits) -> dict[str, Optional[str]]:
    """{key: text, or None if absent} for string attributes of the root group of an HDF5 file
    (its bytes, or a binary file open for reading). Raises HDF5Error, or UnsupportedLayout."""
    cap = limits.max_config_bytes
    layout = Layout(File(source, budget=(len(keys) + 2) * cap + (4 << 20)))
    wanted = {key.encode("utf-8"): key for key in keys}
    found: dict[str, _Attribute] = {}
    dense = shared = group = False
    for kind, flags, body in root_messages(layout, cap):
        group = group or kind in (0x02, 0x11)  # link info (new-style group), symbol table (old)
        if kind == 0x15:  # attribute info: version 0, flags, [max creation index], fractal heap...
            if uint(body, 0, 1, "attribute info") != 0:
                raise corrupt("an attribute info message of unknown version")
            at = 2 + (2 if uint(body, 1, 1, "attribute info") & 1 else 0)
            dense = dense or uint(body, at, layout.asize, "attribute info") != layout.undefined
        elif kind == 0x0C and flags & 0x02:
            shared = True  # its name is in a shared-message heap
        elif kind == 0x0C:
            attribute = _attribute(body, layout)
            key = wanted.get(attribute[0])
            if key is not None:
                found.setdefault(key, attribute)  # libhdf5 finds the first of two with one name
    if not group:
        raise corrupt("the root object is not a group")
    if dense:
        raise UnsupportedLayout("the HDF5 root group keeps its attributes in dense storage "
                                "(an attribute info message with a fractal heap)")
    if shared and len(found) < len(keys):
        raise UnsupportedLayout("the HDF5 root group has shared attribute messages")
    return {key: _text(layout, key, found[key], cap) if key in found else None for key in keys}
