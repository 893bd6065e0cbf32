"""Resource bounds: hostile files are refused with one line and exit 2, in bounded time and memory.

Each case runs the real CLI in a fresh interpreter and measures its peak memory. The limits are in
keras_headcheck/readers/limits.py.
"""

from __future__ import annotations

import json
import os
import signal
import struct
import sys
import time
import zipfile
from pathlib import Path
from typing import Any

import h5py
import numpy as np
import pytest
from hostile_corpus import build_bases, read_keras_config, run_linter, write_keras

from keras_headcheck.readers import hdf5
from keras_headcheck.readers.containers import ReadError, read_h5, read_saved
from keras_headcheck.readers.limits import DEFAULT_LIMITS, Limits, LimitsError, current_limits

MiB = 1024 * 1024
MEMORY_BUDGET_MIB = 100
JSON = ("check", "--output-format", "json")
BOMB_BYTES = 2 * 1024 * MiB  # what the bomb's config.json decompresses to


def refused(run: Any, *words: str) -> str:
    """The run exited 2 with exactly one stderr line, which contains `words`; returns it."""
    assert run.code == 2, (run.code, run.stderr_lines)
    assert len(run.stderr_lines) == 1, run.stderr_lines
    line = run.stderr_lines[0]
    assert line.startswith("keras-headcheck: error: "), line
    assert "Traceback" not in line
    for word in words:
        assert word in line, line
    return line


@pytest.fixture(scope="module")
def bases(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_bases(tmp_path_factory.mktemp("hostile"))


# -- zip bombs ----------------------------------------------------------------------------------------
def _declare_size(path: Path, size: int) -> None:
    """Make the central directory lie: config.json's uncompressed size becomes `size` (zip64)."""
    data = bytearray(path.read_bytes())
    at = data.rfind(b"PK\x01\x02")
    name_len, extra_len = struct.unpack_from("<HH", data, at + 28)
    if struct.unpack_from("<L", data, at + 24)[0] != 0xFFFFFFFF:  # else the size is in the zip64 extra
        struct.pack_into("<L", data, at + 24, size)
        path.write_bytes(bytes(data))
        return
    pos = at + 46 + name_len
    while pos < at + 46 + name_len + extra_len:
        tag, length = struct.unpack_from("<HH", data, pos)
        if tag == 1:
            struct.pack_into("<Q", data, pos + 4, size)
            path.write_bytes(bytes(data))
            return
        pos += 4 + length
    raise AssertionError("no zip64 extra field")


@pytest.fixture(scope="module")
def bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A .keras whose config.json inflates to 2 GiB, written in chunks (never held in memory)."""
    path = tmp_path_factory.mktemp("bomb") / "bomb.keras"
    chunk = b'{"class_name": "Sequential", "config": {"layers": [' + b" " * (8 * MiB - 49)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        with archive.open("config.json", "w", force_zip64=True) as member:
            for _ in range(BOMB_BYTES // len(chunk) + 1):
                member.write(chunk)
    return path


def test_zip_bomb_is_refused_from_its_declared_size(bomb: Path) -> None:
    assert bomb.stat().st_size < 20 * MiB
    run = run_linter(*JSON, str(bomb))
    refused(run, "bomb.keras", "config.json is", "16777216-byte limit")
    assert run.maxrss_mib < MEMORY_BUDGET_MIB  # -1 where not measured
    assert run.seconds < 30


@pytest.mark.parametrize("declared", [1000, DEFAULT_LIMITS.max_config_bytes - 1])
def test_zip_bomb_lying_about_its_size_stops_at_the_declared_size(bomb: Path, tmp_path: Path,
                                                                  declared: int) -> None:
    liar = tmp_path / "liar.keras"
    liar.write_bytes(bomb.read_bytes())
    _declare_size(liar, declared)
    run = run_linter(*JSON, str(liar))
    refused(run, "liar.keras", "CRC")  # zipfile stops at the declared size, and the CRC fails
    assert run.maxrss_mib < MEMORY_BUDGET_MIB  # -1 where not measured
    assert run.seconds < 30


def test_lower_config_limit_from_the_environment(bases: Path) -> None:
    run = run_linter(*JSON, str(bases / "k3.keras"), env={"KERAS_HEADCHECK_MAX_CONFIG_BYTES": "2K"})
    refused(run, "config.json is", "2048-byte limit", "KERAS_HEADCHECK_MAX_CONFIG_BYTES")


def test_zip_with_a_huge_central_directory_is_refused_before_loading_it(bases: Path, tmp_path: Path) -> None:
    path = tmp_path / "entries.keras"
    extra = {f"assets/{i}": b"" for i in range(DEFAULT_LIMITS.max_zip_entries + 1)}
    write_keras(bases / "k3.keras", path, read_keras_config(bases / "k3.keras"), extra=extra)
    refused(run_linter(*JSON, str(path)), "entries", "KERAS_HEADCHECK_MAX_ZIP_ENTRIES")


# -- deep nesting ---------------------------------------------------------------------------------------
def _nested_sequential(depth: int) -> bytes:
    """Sequential(Input, Sequential(Sequential(...(Dense(1, softmax))))), as JSON text (json.dumps
    itself recurses too deep for the deepest)."""
    model = '{"class_name": "Dense", "config": {"name": "head", "units": 1, "activation": "softmax"}}'
    for level in range(depth):
        layers = '{"class_name": "InputLayer", "config": {"batch_shape": [null, 4]}}, ' if level == depth - 1 else ""
        model = f'{{"class_name": "Sequential", "config": {{"name": "s{level}", "layers": [{layers}{model}]}}}}'
    return model.encode()


def _keras_file(tmp_path: Path, bases: Path, name: str, config: Any = None, raw: bytes = b"") -> Path:
    path = tmp_path / name
    write_keras(bases / "k3.keras", path, config, raw=raw or None)
    return path


def test_json_nested_past_the_recursion_limit(bases: Path, tmp_path: Path) -> None:
    path = _keras_file(tmp_path, bases, "deep.keras", raw=b"[" * 200_000 + b"]" * 200_000)
    refused(run_linter(*JSON, str(path)), "not valid JSON (RecursionError)")


def test_json_nested_past_the_depth_limit(bases: Path, tmp_path: Path) -> None:
    deep: Any = 1
    for _ in range(DEFAULT_LIMITS.max_depth + 10):
        deep = [deep]
    config = {**read_keras_config(bases / "k3.keras"), "junk": deep}
    path = _keras_file(tmp_path, bases, "deep.keras", config)
    refused(run_linter(*JSON, str(path)), "nested more than 256 levels", "KERAS_HEADCHECK_MAX_DEPTH")


def test_models_nested_past_the_nesting_limit(bases: Path, tmp_path: Path) -> None:
    path = _keras_file(tmp_path, bases, "russian_doll.keras", raw=_nested_sequential(40))
    refused(run_linter(*JSON, str(path)), "models nested more than 32 levels deep")
    shallow = _keras_file(tmp_path, bases, "doll.keras", raw=_nested_sequential(20))
    run = run_linter(*JSON, str(shallow))
    assert run.code == 1 and "HC101" in {f["code"] for f in json.loads(run.stdout)}


def test_raised_limits_still_never_give_a_traceback(bases: Path, tmp_path: Path) -> None:
    """With the depth limits lifted, Python's recursion limit is the last guard: still one line."""
    lifted = {"KERAS_HEADCHECK_MAX_DEPTH": "100000", "KERAS_HEADCHECK_MAX_MODEL_NESTING": "100000"}
    for depth in (300, 2000):
        path = _keras_file(tmp_path, bases, f"doll{depth}.keras", raw=_nested_sequential(depth))
        run = run_linter(*JSON, str(path), env=lifted)
        if run.code != 1:  # too deep for Python: refused, not a crash
            refused(run, f"doll{depth}.keras")
    root = {"class_name": "Sequential", "config": {"layers": []}}
    savedmodel = tmp_path / "deep_savedmodel"
    savedmodel.mkdir()
    deep: Any = 1
    for _ in range(450):  # parses, but unwrapping the tuples recurses past Python's limit
        deep = {"class_name": "__tuple__", "items": [deep]}
    root["config"]["junk"] = deep
    from hostile_corpus import _encode  # a SavedMetadata with one root node

    node = _encode([(3, 2, b"root"), (5, 2, json.dumps(root).encode())])
    (savedmodel / "keras_metadata.pb").write_bytes(_encode([(1, 2, node)]))
    refused(run_linter(*JSON, str(savedmodel), env=lifted), "deep_savedmodel")


# -- many layers ---------------------------------------------------------------------------------------
def _functional_chain(n: int, reverse: bool) -> dict[str, Any]:
    layers = [{"class_name": "InputLayer", "name": "in", "config": {"batch_shape": [None, 4]}, "inbound_nodes": []}]
    for i in range(n):
        prev = layers[-1]["name"]
        layers.append({"class_name": "Dense", "name": f"d{i}", "config": {"units": 4, "activation": "relu"},
                       "inbound_nodes": [[[prev, 0, 0, {}]]]})
    layers[-1]["config"] = {"units": 1, "activation": "softmax"}
    last = layers[-1]["name"]
    return {"class_name": "Functional", "config": {
        "layers": layers[::-1] if reverse else layers, "input_layers": [["in", 0, 0]],
        "output_layers": [[last, 0, 0]]}}


def test_millions_of_layers_are_refused_by_the_layer_cap(bases: Path, tmp_path: Path) -> None:
    # 900,000 layers: just under the JSON value limit (each "{}," counts as two)
    raw = b'{"class_name": "Sequential", "config": {"layers": [' + b",".join([b"{}"] * 900_000) + b"]}}"
    path = _keras_file(tmp_path, bases, "wide.keras", raw=raw)
    run = run_linter(*JSON, str(path))
    refused(run, "900000 layers", "KERAS_HEADCHECK_MAX_LAYERS")
    assert run.seconds < 30


def test_layers_listed_backwards_take_linear_time(bases: Path, tmp_path: Path) -> None:
    path = _keras_file(tmp_path, bases, "backwards.keras", _functional_chain(40_000, reverse=True))
    run = run_linter(*JSON, str(path))
    assert run.code == 1, run.stderr_lines
    assert "HC101" in {f["code"] for f in json.loads(run.stdout)}
    assert run.seconds < 30


def test_shared_submodel_blowup_hits_the_layer_cap(bases: Path, tmp_path: Path) -> None:
    """A sub-model called twice inside a sub-model called twice...: 2**30 layers once flattened."""
    model = {"class_name": "Dense", "config": {"units": 2, "activation": "softmax"}}
    inner: dict[str, Any] = {"class_name": "Sequential", "config": {"name": "m0", "layers": [
        {"class_name": "InputLayer", "config": {"batch_shape": [None, 2]}}, model]}}
    for level in range(1, 30):
        name = f"m{level - 1}"
        inner = {"class_name": "Functional", "name": name, "config": {
            "name": f"m{level}", "input_layers": [["i", 0, 0]], "output_layers": [[name, 1, 0]],
            "layers": [{"class_name": "InputLayer", "name": "i", "config": {"batch_shape": [None, 2]},
                        "inbound_nodes": []},
                       {**inner, "name": name, "inbound_nodes": [[["i", 0, 0, {}]], [["i", 0, 0, {}]]]}]}}
    path = _keras_file(tmp_path, bases, "blowup.keras", inner)
    run = run_linter(*JSON, str(path))
    refused(run, "more than 50000 layers", "KERAS_HEADCHECK_MAX_LAYERS")
    assert run.seconds < 30


# -- HDF5 attributes -------------------------------------------------------------------------------------
def _h5_with(tmp_path: Path, name: str, value: Any) -> Path:
    path = tmp_path / name
    with h5py.File(path, "w", libver="latest") as handle:  # dense attribute storage: no 64 KiB cap
        handle.attrs.create("model_config", value)
    return path


@pytest.mark.parametrize("kind", ["fixed", "variable"])
def test_absurdly_large_hdf5_attribute(tmp_path: Path, kind: str) -> None:
    size = DEFAULT_LIMITS.max_config_bytes + MiB
    text = "[" + " " * (size - 2) + "]"
    value = np.bytes_(text.encode()) if kind == "fixed" else np.array(text, dtype=h5py.string_dtype())
    path = _h5_with(tmp_path, "huge.h5", value)
    run = run_linter(*JSON, str(path))
    refused(run, "huge.h5", "'model_config' is", "16777216-byte limit")
    assert run.maxrss_mib < MEMORY_BUDGET_MIB  # -1 where not measured
    assert run.children_maxrss_mib < MEMORY_BUDGET_MIB + DEFAULT_LIMITS.hdf5_memory / MiB


def test_hdf5_attribute_of_the_wrong_shape_is_refused_before_reading(tmp_path: Path) -> None:
    path = _h5_with(tmp_path, "array.h5", np.zeros(100_000, dtype="S8"))
    refused(run_linter(*JSON, str(path)), "not a string", "shape (100000,)")


# The HDF5 child process: crashes, hangs, memory hogs and writes are contained and reported. Our own
# reader reads k3.h5, so make it meet a layout it leaves to libhdf5: the child runs as it then would.
def _unsupported(*args: Any) -> Any:
    raise hdf5.UnsupportedLayout("a layout for libhdf5")


def _sabotage(monkeypatch: pytest.MonkeyPatch, action: Any) -> None:
    monkeypatch.setattr(hdf5, "read_root_attributes", _unsupported)
    monkeypatch.setattr(hdf5, "_read_in_process", lambda *args: action())


@pytest.mark.parametrize("action, words", [
    (lambda: os.kill(os.getpid(), signal.SIGSEGV), "crashed reading the file (SIGSEGV)"),
    (lambda: time.sleep(60), "took more than 1 s"),
    (lambda: bytearray(4 * DEFAULT_LIMITS.hdf5_memory), "reader failed (MemoryError"),
    (lambda: open(os.path.join(os.environ["HEADCHECK_TEST_DIR"], "written"), "wb", buffering=0).write(b"x"),
     "File too large"),
])
def test_hdf5_child_is_contained(bases: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                 action: Any, words: str) -> None:
    if not hasattr(os, "fork"):
        pytest.skip("no fork: the HDF5 reader runs in-process here")
    monkeypatch.setenv("KERAS_HEADCHECK_HDF5_TIMEOUT", "1")
    monkeypatch.setenv("HEADCHECK_TEST_DIR", str(tmp_path))
    _sabotage(monkeypatch, action)
    started = time.monotonic()
    with pytest.raises(ReadError, match=words.replace("(", r"\(").replace(")", r"\)")):
        read_h5(str(bases / "k3.h5"))
    assert time.monotonic() - started < 10
    assert not (tmp_path / "written").exists() or (tmp_path / "written").stat().st_size == 0


# -- what is opened --------------------------------------------------------------------------------------
def test_symlink_in_savedmodel_pointing_outside_is_refused(bases: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keras_metadata.pb").write_bytes((bases / "k2_savedmodel" / "keras_metadata.pb").read_bytes())
    savedmodel = tmp_path / "linked_savedmodel"
    savedmodel.mkdir()
    (savedmodel / "saved_model.pb").write_bytes(b"")
    (savedmodel / "keras_metadata.pb").symlink_to(outside / "keras_metadata.pb")
    refused(run_linter(*JSON, str(savedmodel)), "keras_metadata.pb is a symbolic link")
    run = run_linter(*JSON, str(tmp_path))  # found while scanning a directory: the same
    assert run.code == 2 and any("symbolic link" in line for line in run.stderr_lines)


def test_symlink_loops(bases: Path, tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "good.keras").write_bytes((bases / "k3.keras").read_bytes())
    (tree / "self").symlink_to(tree, target_is_directory=True)  # a directory loop
    (tree / "sub").mkdir()
    (tree / "sub" / "up").symlink_to(tree, target_is_directory=True)
    (tree / "a.keras").symlink_to(tree / "b.keras")  # a file loop
    (tree / "b.keras").symlink_to(tree / "a.keras")
    run = run_linter(*JSON, str(tree), timeout=60)
    assert run.code == 2 and run.seconds < 30
    assert sorted(run.stderr_lines) == [
        f"keras-headcheck: error: {tree / 'a.keras'}: Too many levels of symbolic links",
        f"keras-headcheck: error: {tree / 'b.keras'}: Too many levels of symbolic links",
    ]
    assert {f["filename"] for f in json.loads(run.stdout)} == {str(tree / "good.keras")}
    refused(run_linter(*JSON, str(tree / "a.keras")), "Too many levels of symbolic links")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes")
def test_named_pipe_and_devices_are_not_opened_for_reading(tmp_path: Path) -> None:
    fifo = tmp_path / "model.keras"
    os.mkfifo(fifo)  # opening it for reading would block until a writer came
    (tmp_path / "zero.h5").symlink_to("/dev/zero")
    refused(run_linter(*JSON, str(fifo), timeout=30), "model.keras: not a regular file")
    refused(run_linter(*JSON, str(tmp_path / "zero.h5"), timeout=30), "zero.h5: not a regular file")


# -- configuring the limits ------------------------------------------------------------------------------
def test_limits_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    assert current_limits() == Limits()
    monkeypatch.setenv("KERAS_HEADCHECK_MAX_CONFIG_BYTES", "64M")
    monkeypatch.setenv("KERAS_HEADCHECK_MAX_LAYERS", "10")
    monkeypatch.setenv("KERAS_HEADCHECK_HDF5_TIMEOUT", "2.5")
    assert current_limits() == Limits(max_config_bytes=64 * MiB, max_layers=10, hdf5_timeout=2.5)
    monkeypatch.setenv("KERAS_HEADCHECK_MAX_LAYERS", "lots")
    with pytest.raises(LimitsError, match="KERAS_HEADCHECK_MAX_LAYERS must be a positive number"):
        current_limits()


def test_invalid_limit_is_one_line_and_exit_2(bases: Path) -> None:
    run = run_linter(*JSON, str(bases / "k3.keras"), env={"KERAS_HEADCHECK_MAX_DEPTH": "-1"})
    refused(run, "KERAS_HEADCHECK_MAX_DEPTH must be a positive number, got '-1'")


def test_layer_cap_applies(bases: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KERAS_HEADCHECK_MAX_LAYERS", "3")
    from keras_headcheck.lint import lint_path
    from keras_headcheck.rules import selected_rules

    result = lint_path(str(bases / "k3.keras"), selected_rules())
    assert result.error == "model has 5 layers, more than 3 (KERAS_HEADCHECK_MAX_LAYERS)"
    monkeypatch.delenv("KERAS_HEADCHECK_MAX_LAYERS")
    assert read_saved(str(bases / "k3.keras")).format == "keras"
    assert sys.getrecursionlimit() >= 1000  # the depth limit assumes Python's default
