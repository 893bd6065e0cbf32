"""The pure-Python HDF5 attribute reader (keras_headcheck/readers/hdf5_attrs.py, hdf5_format.py).

- Parity: for every `.h5` file the test zoo writes (Keras 3 and tf_keras saves of every case, the
  keras.applications models, the weights-only extra) and for examples/*.h5, it returns exactly the
  strings h5py returns, for every attribute of the root group, and never needs libhdf5.
- Layouts h5py writes with other settings: superblocks 0 to 3, OHDR headers, user blocks,
  fixed-length strings of each padding, one-element arrays, creation order, attributes rewritten in
  place; dense attribute storage is left to libhdf5 (UnsupportedLayout), and the fallback answers.
- Broken files: truncated at every byte, continuation loops, heap IDs outside the file, giant
  declared lengths... each is an HDF5Error of one line, raised fast and without reading much.
"""

from __future__ import annotations

import glob
import os
import random
import struct
import subprocess
import sys
import time
import tracemalloc
from dataclasses import replace
from pathlib import Path
from typing import Any, Callable, Optional, Union

import h5py
import numpy as np
import pytest
import zoo

from keras_headcheck.readers import hdf5
from keras_headcheck.readers.containers import read_h5
from keras_headcheck.readers.hdf5_attrs import read_root_attributes
from keras_headcheck.readers.hdf5_format import HDF5Error, UnsupportedLayout, lookup3
from keras_headcheck.readers.limits import DEFAULT_LIMITS

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "keras2_seed000_softmax_one_unit_mse.h5"
KEYS = ("model_config", "training_config")
UNDEFINED = 2**64 - 1
Source = Union[bytes, str, Path]


def ours(source: Source, keys: tuple[str, ...] = KEYS) -> dict[str, Optional[str]]:
    if isinstance(source, bytes):
        return read_root_attributes(source, keys, DEFAULT_LIMITS)
    with open(source, "rb") as handle:
        return read_root_attributes(handle, keys, DEFAULT_LIMITS)


def with_h5py(path: Source, key: str) -> Union[Optional[str], HDF5Error]:
    """What the linter got from h5py for one attribute (its in-process libhdf5 reader)."""
    try:
        return hdf5._read_in_process(str(path), (key,), DEFAULT_LIMITS)[key]
    except HDF5Error as exc:
        return exc


def assert_same_as_h5py(path: Source) -> None:
    """Every root attribute: the same string as h5py, or (not a string for h5py) an HDF5Error."""
    with h5py.File(path, "r") as handle:
        names = list(handle.attrs)
    for name in names + ["no_such_attribute"]:
        expected = with_h5py(path, name)
        if isinstance(expected, HDF5Error):
            assert "not a string" in str(expected), (path, name, expected)
            with pytest.raises(HDF5Error, match="not a string"):
                ours(path, (name,))
        else:
            assert ours(path, (name,)) == {name: expected}, (path, name)


def refused(data: bytes, *words: str, keys: tuple[str, ...] = KEYS) -> str:
    """The reader refuses `data` with one printable line (naming `words`), fast."""
    started = time.monotonic()
    with pytest.raises(HDF5Error) as info:
        ours(data, keys)
    assert time.monotonic() - started < 1
    assert not isinstance(info.value, UnsupportedLayout), info.value
    message = str(info.value)
    assert message.isprintable() and "\n" not in message, message
    for word in words:
        assert word in message, message
    return message


# -- parity on every .h5 file the tests build -----------------------------------------------------
def test_every_zoo_and_application_file_reads_as_with_h5py(zoo_models: Any, applications: Any,
                                                           transfer_models: Any) -> None:
    # Every builder that writes into the root has finished (the transfer one too), so no file is
    # still being written when h5py opens it: libhdf5 refuses a file another process has locked.
    expected = {zoo_models.path(case.name, lib, "h5")
                for lib in zoo.FORMATS for case in zoo.cases_for(lib)
                if zoo_models.problem(case.name, lib, "h5") is None}
    expected |= {applications.path(name, "h5")
                 for name in zoo.APPLICATIONS if name not in applications.errors}
    found = set(glob.glob(os.path.join(zoo_models.root, "**", "*.h5"), recursive=True))
    assert len(expected) > 100 and expected <= found, sorted(expected - found)[:5]
    for path in sorted(found):
        assert_same_as_h5py(path)
    for path in expected:  # not weights-only: the reader found what the linter reads
        assert (ours(path)["model_config"] or "").startswith('{"class_name"'), path


def test_examples_read_as_with_h5py() -> None:
    paths = sorted((ROOT / "examples").glob("*.h5"))
    assert paths
    for path in paths:
        assert_same_as_h5py(path)
        assert (ours(path)["model_config"] or "").startswith('{"class_name"')


def test_the_pure_path_imports_no_h5py() -> None:
    code = ("import sys; from keras_headcheck.readers.containers import read_saved; read_saved(sys.argv[1]); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('h5py', 'numpy')))")
    proc = subprocess.run([sys.executable, "-c", code, str(EXAMPLE)], capture_output=True, text=True,
                          timeout=60, check=True)
    assert proc.stdout.strip() == "[]", proc.stdout + proc.stderr


def test_lookup3_is_jenkins_hashlittle() -> None:
    assert lookup3(b"") == 0xDEADBEEF
    assert lookup3(b"Four score and seven years ago") == 0x17770551  # lookup3.c's own test


# -- layouts h5py writes ------------------------------------------------------------------------------------
CONFIG = '{"class_name": "Sequential", "config": {"name": "é"}}'


def _write(path: Path, attrs: dict[str, Any], **kwargs: Any) -> Path:
    with h5py.File(path, "w", **kwargs) as handle:
        for name, value in attrs.items():
            handle.attrs[name] = value
    return path


def _fixed(path: Path, raw: bytes, padding: int, libver: str = "earliest") -> Path:
    """A fixed-length string attribute with the given padding (h5py itself writes null-padded)."""
    with h5py.File(path, "w", libver=libver) as handle:
        kind = h5py.h5t.C_S1.copy()
        kind.set_size(len(raw))
        kind.set_strpad(padding)
        attr = h5py.h5a.create(handle.id, b"model_config", kind, h5py.h5s.create(h5py.h5s.SCALAR))
        attr.write(np.array(raw, dtype=f"S{len(raw)}"), mtype=kind)
    return path


def _superblock_v1(path: Path) -> Path:
    """h5py cannot ask for a version 1 superblock (a non-default indexed-storage K): rewrite the
    version 0 one, keeping every address (the root entry's scratch pad overlaps the root header)."""
    data = bytearray(_write(path, {"model_config": CONFIG}).read_bytes())
    assert data[8] == 0 and struct.unpack_from("<Q", data, 64)[0] == 96
    eof = struct.unpack_from("<Q", data, 40)[0]
    block = (data[:8] + bytes([1, 0, 0, 0, 0, 8, 8, 0]) + struct.pack("<HHLHH", 4, 16, 0, 32, 0)
             + struct.pack("<4Q", 0, UNDEFINED, eof, UNDEFINED) + struct.pack("<QQLL", 0, 96, 0, 0) + bytes(12))
    data[:96] = block
    path.write_bytes(bytes(data))
    return path


def _rewritten(path: Path) -> Path:
    """Attributes deleted, re-added and grown in place: NIL messages and continuation blocks."""
    _write(path, {"backend": "tensorflow", "model_config": "{}", "training_config": "{}"})
    with h5py.File(path, "r+") as handle:
        for round_ in range(6):
            del handle.attrs["model_config"]
            handle.attrs[f"extra{round_}"] = np.bytes_(b"x" * 300 * (round_ + 1))
            handle.attrs["model_config"] = CONFIG + " " * round_
            handle.attrs["training_config"] = np.bytes_(b'{"loss": "mse"}' + b" " * 1000 * round_)
    return path


def _prepended(path: Path) -> Path:
    """A user block added by concatenation: the signature moves to 1024, the stored base stays 0."""
    data = _write(path, {"model_config": CONFIG}).read_bytes()
    path.write_bytes(b"U" * 1024 + data)
    return path


LAYOUTS: dict[str, Callable[[Path], Path]] = {
    "superblock 0, object header 1": lambda p: _write(p, {"model_config": CONFIG, "training_config": "{}"}),
    "superblock 1": _superblock_v1,
    "superblock 2 (v108)": lambda p: _write(p, {"model_config": CONFIG}, libver="v108"),
    "superblock 3, OHDR (latest)": lambda p: _write(p, {"model_config": CONFIG, "training_config": "t"},
                                                    libver="latest"),
    "user block 512": lambda p: _write(p, {"model_config": CONFIG}, userblock_size=512),
    "user block 4096, latest": lambda p: _write(p, {"model_config": CONFIG}, userblock_size=4096, libver="latest"),
    "user block by concatenation": _prepended,
    "fixed-length np.bytes_": lambda p: _write(p, {"model_config": np.bytes_(CONFIG.encode()),
                                                    "training_config": np.bytes_(b"")}),
    "fixed-length, latest": lambda p: _write(p, {"model_config": np.bytes_(CONFIG.encode())}, libver="latest"),
    "null-terminated with NULs": lambda p: _fixed(p, b"ab\0cd\0\0", h5py.h5t.STR_NULLTERM),
    "null-padded with NULs": lambda p: _fixed(p, b"ab\0cd\0\0", h5py.h5t.STR_NULLPAD),
    "space-padded": lambda p: _fixed(p, b"a b\0  ", h5py.h5t.STR_SPACEPAD, libver="latest"),
    "invalid UTF-8, fixed": lambda p: _fixed(p, b"\xff{}\xc3", h5py.h5t.STR_NULLPAD),
    "invalid UTF-8, variable": lambda p: _write(p, {"model_config": b'{"x": "\xff"}'}),
    "empty strings": lambda p: _write(p, {"model_config": "", "training_config": np.array(
        "", dtype=h5py.string_dtype("ascii"))}),
    "one-element arrays": lambda p: _write(p, {"model_config": np.array([CONFIG], dtype=h5py.string_dtype()),
                                               "training_config": np.array([b"t"])}),
    "creation order tracked": lambda p: _write(p, {"model_config": CONFIG, "training_config": "t"},
                                               libver="latest", track_order=True),
    "many attributes, version 1 header": lambda p: _write(
        p, {**{f"a{i}": "x" * 100 for i in range(300)}, "model_config": CONFIG}),
    "attributes rewritten in place": _rewritten,
    "4-byte addresses and lengths": lambda p: _sizes(p, 4),
    "2-byte addresses and lengths": lambda p: _sizes(p, 2),
    "not strings": lambda p: _write(p, {"model_config": 7, "training_config": np.zeros(3), "x": np.zeros((2, 2))}),
    "no attributes, a dataset": lambda p: _dataset(p),
}


def _sizes(path: Path, size: int) -> Path:
    fcpl = h5py.h5p.create(h5py.h5p.FILE_CREATE)
    fcpl.set_sizes(size, size)
    with h5py.File(h5py.h5f.create(str(path).encode(), h5py.h5f.ACC_TRUNC, fcpl=fcpl)) as handle:
        handle.attrs["model_config"] = CONFIG
    return path


def _dataset(path: Path) -> Path:
    with h5py.File(path, "w") as handle:
        handle.create_dataset("x", data=[1.0, 2.0])
    return path


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_layouts_read_as_with_h5py(tmp_path: Path, layout: str) -> None:
    path = LAYOUTS[layout](tmp_path / "f.h5")
    assert_same_as_h5py(path)


def test_the_layouts_are_what_they_say(tmp_path: Path) -> None:
    def data(layout: str) -> bytes:
        return LAYOUTS[layout](tmp_path / f"{len(os.listdir(tmp_path))}.h5").read_bytes()

    assert [data(f"superblock {n}")[8] for n in ("0, object header 1", "1", "2 (v108)", "3, OHDR (latest)")] == [
        0, 1, 2, 3]
    assert b"OHDR" in data("superblock 3, OHDR (latest)")[:256]
    assert data("user block 512")[512:520] == b"\x89HDF\r\n\x1a\n"
    rewritten = data("attributes rewritten in place")
    assert rewritten.count(b"GCOL") >= 1
    assert ours(rewritten)["model_config"] == CONFIG + " " * 5


def test_dense_attribute_storage_is_left_to_libhdf5(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    attrs = {**{f"a{i}": i for i in range(20)}, "model_config": CONFIG}
    path = _write(tmp_path / "dense.h5", attrs, libver="latest")
    with pytest.raises(UnsupportedLayout, match="dense storage"):
        ours(path)
    calls: list[str] = []
    fallback = hdf5.read_with_libhdf5

    def counted(*args: Any) -> Any:
        calls.append(args[-1])
        return fallback(*args)

    monkeypatch.setattr(hdf5, "read_with_libhdf5", counted)
    read = hdf5.read_attributes(str(path), KEYS, DEFAULT_LIMITS)
    assert read == {"model_config": CONFIG, "training_config": None}
    assert read_h5(str(path)).model["class_name"] == "Sequential"
    assert len(calls) == 2 and "dense storage" in calls[0]


def test_a_keras_file_never_falls_back(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(hdf5, "read_with_libhdf5", lambda *args: pytest.fail("libhdf5 was asked"))
    assert read_h5(str(EXAMPLE)).format == "h5"


def test_a_huge_attribute_is_refused_before_it_is_read(tmp_path: Path) -> None:
    size = DEFAULT_LIMITS.max_config_bytes + 1024
    path = _write(tmp_path / "huge.h5", {"model_config": np.array("[" + " " * (size - 2) + "]",
                                                                   dtype=h5py.string_dtype())})
    tracemalloc.start()
    try:
        with pytest.raises(HDF5Error, match=f"'model_config' is {size} bytes, over the 16777216-byte limit"):
            ours(path)
        assert tracemalloc.get_traced_memory()[1] < 1024 * 1024
    finally:
        tracemalloc.stop()


def test_the_wrong_shape_is_not_a_string(tmp_path: Path) -> None:
    path = _write(tmp_path / "array.h5", {"model_config": np.zeros(1000, dtype="S8")})
    refused(path.read_bytes(), "'model_config' is not a string", "shape (1000,)", "fixed-length string")


# -- broken files ---------------------------------------------------------------------------------------------
def _with_eof(data: bytes) -> bytes:
    """`data` with its (version 0 or 3) superblock's end-of-file address set to its length."""
    out = bytearray(data)
    if out[8] == 0:
        struct.pack_into("<Q", out, 40, len(out))
    else:
        struct.pack_into("<Q", out, 28, len(out))
        struct.pack_into("<L", out, 44, lookup3(bytes(out[:44])))
    return bytes(out)


def _needed(data: bytes) -> int:
    """How far into `data` the reader reads."""
    from keras_headcheck.readers import hdf5_format

    ends = [0]
    read = hdf5_format.File.read

    def spy(self: Any, offset: int, size: int, what: str) -> bytes:
        ends.append(offset + size)
        return read(self, offset, size, what)

    hdf5_format.File.read = spy  # type: ignore[method-assign]
    try:
        ours(data)
    finally:
        hdf5_format.File.read = read  # type: ignore[method-assign]
    return max(ends)


@pytest.mark.parametrize("kind", ["keras example (superblock 0)", "latest (superblock 3)"])
def test_truncated_at_every_byte(tmp_path: Path, kind: str) -> None:
    if kind.startswith("keras"):
        data = EXAMPLE.read_bytes()
    else:
        data = _write(tmp_path / "l.h5", {"backend": "x", "model_config": CONFIG, "training_config": "t"},
                      libver="latest").read_bytes()
    whole, needed = ours(data), _needed(data)
    started = time.monotonic()
    for cut in range(needed):
        truncated = data[:cut]
        refused(truncated)  # what the file declares is missing
        if cut >= 48:
            refused(_with_eof(truncated))  # the superblock agrees: a structure is cut short
    assert ours(_with_eof(data)) == whole
    assert time.monotonic() - started < 30


def _example() -> tuple[bytearray, int]:
    data = bytearray(EXAMPLE.read_bytes())
    return data, struct.unpack_from("<Q", data, 64)[0]  # the root object header's address


def test_continuation_loops(tmp_path: Path) -> None:
    data, root = _example()
    (where, length) = struct.unpack_from("<QQ", data, root + 24)  # chunk 0 holds one continuation
    assert struct.unpack_from("<HH", data, root + 16) == (0x10, 16)
    to_itself = bytearray(data)
    struct.pack_into("<Q", to_itself, root + 24, root + 16)
    refused(bytes(to_itself), "loop")
    to_its_block = bytearray(data)  # the block's first message becomes a continuation to the block
    struct.pack_into("<HHB3xQQ", to_its_block, where, 0x10, 16, 0, where, length)
    refused(bytes(to_its_block), "loop")
    chain = bytearray(data)  # a chain of 300 blocks, each pointing to the next
    start = len(chain)
    for i in range(300):
        chain += struct.pack("<HHB3xQQ", 0x10, 16, 0, start + 24 * (i + 1), 24)
    chain += bytes(24)
    struct.pack_into("<QQ", chain, root + 24, start, 24)
    refused(_with_eof(bytes(chain)), "too many")


def test_too_many_messages() -> None:
    data, root = _example()
    start = len(data)
    data += bytes(8 * 5000)  # NIL messages, of no size
    struct.pack_into("<QQ", data, root + 24, start, 8 * 5000)
    refused(_with_eof(bytes(data)), "more than 4096 messages")


def _heap_id(data: Union[bytes, bytearray], key: str) -> int:
    """Where the attribute's variable-length heap ID is: its length (4), collection address (8), index (4)."""
    with h5py.File(EXAMPLE, "r") as handle:
        size = len(handle.attrs[key].encode())
    at = bytes(data).find(struct.pack("<LQ", size, 2048))
    assert at > 0 and bytes(data).find(struct.pack("<LQ", size, 2048), at + 1) < 0
    return at


def test_heap_ids_pointing_outside_the_file_or_the_heap() -> None:
    data, _ = _example()
    at = _heap_id(data, "model_config")
    for address, words in ((2**40, "outside the file"), (UNDEFINED, "outside the file"),
                           (len(data) - 8, "runs past the end of the file"), (96, "no global heap collection"),
                           (len(data) - 100, "global heap")):
        broken = bytearray(data)
        struct.pack_into("<Q", broken, at + 4, address)
        refused(bytes(broken), words)
    for index, words in ((0, "free space"), (999, "no object 999"), (2, "is 10 bytes")):
        broken = bytearray(data)
        struct.pack_into("<L", broken, at + 12, index)
        refused(bytes(broken), words)


def test_giant_declared_lengths() -> None:
    data, root = _example()
    cases: list[tuple[Callable[[bytearray], None], str]] = [
        (lambda d: struct.pack_into("<L", d, _heap_id(d, "model_config"), 0xFFFFFFFF),
         "'model_config' is 4294967295 bytes, over the 16777216-byte limit"),
        (lambda d: struct.pack_into("<L", d, root + 8, 0xFFFFFFFF), "over the 16777216-byte limit"),
        (lambda d: struct.pack_into("<Q", d, root + 32, 2**62),
         "root object header of 4611686018427387928 bytes, over the"),
        (lambda d: struct.pack_into("<Q", d, 2048 + 8, 2**62), "runs past the end of the file"),
        (lambda d: struct.pack_into("<Q", d, 2048 + 16 + 8, 2**40), "overruns the global heap"),
        (lambda d: struct.pack_into("<Q", d, 40, 2**62), "truncated file"),
        (lambda d: struct.pack_into("<Q", d, 64, 2**50), "root group address"),
    ]
    for patch, words in cases:
        broken = bytearray(data)
        patch(broken)
        refused(bytes(broken), words)


def test_giant_fixed_length_string_and_dimensions(tmp_path: Path) -> None:
    data = bytearray(_write(tmp_path / "f.h5", {"model_config": np.bytes_(b"{}" * 8)}).read_bytes())
    at = bytes(data).find(b"model_config\0")
    dtype = bytes(data).find(struct.pack("<BBBBL", 0x13, 1, 0, 0, 16), at)  # class 3, version 1, null-padded
    assert dtype > at
    struct.pack_into("<L", data, dtype + 4, 0x7FFFFFFF)
    refused(bytes(data), "'model_config' is 2147483647 bytes, over the 16777216-byte limit")
    data = bytearray(_write(tmp_path / "g.h5", {"model_config": np.array([b"{}"])}).read_bytes())
    at = bytes(data).find(struct.pack("<BBBBLQ", 1, 1, 1, 0, 0, 1))  # dataspace version 1, rank 1, (1,)
    assert at > 0
    struct.pack_into("<Q", data, at + 8, 2**60)
    refused(bytes(data), "not a string (shape (1152921504606846976,)")


def test_not_hdf5_at_all() -> None:
    refused(b"", "no HDF5 signature")
    refused(b"\x89HDF\r\n\x1a\n", "truncated superblock")
    refused(b"\x89HDF\r\n\x1a\n" + bytes([9]) + bytes(100), "unknown superblock version 9")
    refused(bytes(600), "no HDF5 signature")


def test_a_broken_file_through_the_cli(tmp_path: Path, cli: Any) -> None:
    data, root = _example()
    struct.pack_into("<Q", data, root + 24, root + 16)
    path = tmp_path / "loop.h5"
    path.write_bytes(bytes(data))
    result = cli("check", "--output-format", "json", str(path))
    assert result.returncode == 2 and len(result.stderr_lines) == 1, result
    assert "loop.h5" in result.stderr_lines[0] and "loop" in result.stderr_lines[0].split("loop.h5")[1]


def test_mutated_files_read_as_by_libhdf5_or_are_refused(tmp_path: Path) -> None:
    """Flipped, overwritten, inserted and deleted bytes (tests/mutate.py) in the first 4 KiB: when
    both readers answer, they answer the same; our reader raises nothing but one-line HDF5Errors.
    (libhdf5 runs in its child process here: some of these files crash or hang it.)"""
    from mutate import mutate_bytes

    latest = _write(tmp_path / "latest.h5", {"backend": "x", "model_config": CONFIG, "training_config": "t"},
                    libver="latest").read_bytes()
    seeds = [EXAMPLE.read_bytes(), latest]
    agreed = 0
    for index in range(300):
        data = mutate_bytes(seeds[index % 2], random.Random(f"hdf5-attrs-{index}"), hot=4096)
        try:
            mine: Any = ours(data)
        except UnsupportedLayout:
            continue
        except HDF5Error as exc:
            assert str(exc).isprintable() and "\n" not in str(exc)
            continue
        path = tmp_path / "case.h5"
        path.write_bytes(data)
        try:
            theirs = hdf5.read_with_libhdf5(str(path), KEYS, replace(DEFAULT_LIMITS, hdf5_timeout=5))
        except HDF5Error:
            continue
        assert mine == theirs, index
        agreed += 1
    assert agreed > 20


def test_fields_libhdf5_also_checks() -> None:
    """Values libhdf5 refuses in fields our reader does not otherwise need (found by comparing the two
    on the fuzz campaign's inputs)."""
    data, root = _example()
    cases: list[tuple[Callable[[bytearray], None], str]] = [
        (lambda d: struct.pack_into("<L", d, 20, 0x100), "bad superblock status flags"),
        (lambda d: struct.pack_into("<L", d, 72, 3), "unknown symbol table entry cache type"),
        (lambda d: struct.pack_into("<H", d, root + 16 + 2, 12), "not aligned"),  # chunk 0's message
        (lambda d: struct.pack_into("<Q", d, 32, 4096), "superblock extension"),
        (lambda d: struct.pack_into("<Q", d, 48, 4096), "file driver"),
    ]
    for patch, words in cases:
        broken = bytearray(data)
        patch(broken)
        refused(bytes(broken), words)
    data[20] = 0x03  # written and closed cleanly: both fine
    assert ours(bytes(data)) == ours(EXAMPLE)
