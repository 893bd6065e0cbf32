"""The worst shapes for memory: configs just under both the byte and the value limits, made of the
JSON that parses to the most Python objects per counted value (empty lists, nested one-key
objects, one-character strings, floats), padded to the byte limit with one long string; in every
container. Written without Keras (h5py for the HDF5 files), for tests/test_memory_bound.py and the
fuzz campaign."""

from __future__ import annotations

import zipfile
from pathlib import Path

import h5py
import numpy as np

from hostile_corpus import _varint  # the same protobuf varint the hostile corpus writes
from keras_headcheck.readers.limits import DEFAULT_LIMITS, json_values

BYTES, VALUES = DEFAULT_LIMITS.max_config_bytes, DEFAULT_LIMITS.max_json_values
UNITS = {  # one item of the layer list, and how many values json_values counts for it
    "lists": b"[[[[[[[[]]]]]]]]",
    "objects": b'{"":{"":{"":{"":{}}}}}',
    "strings": b'"a"',
    "floats": b"0.5",
}


def worst_json(unit: str, size: int = BYTES, values: int = VALUES) -> bytes:
    """A model config of `size` bytes counted as `values` values at most."""
    item = UNITS[unit]
    head, middle, tail = b'{"class_name": "Sequential", "config": {"layers": [', b'], "pad": "', b'"}}'
    per_item = json_values(item + b",") - 1
    count = min((values - 16) // per_item, (size - 64) // (len(item) + 1))
    body = b",".join([item] * count)
    pad = size - len(head) - len(body) - len(middle) - len(tail)
    data = head + body + middle + b"x" * max(pad, 0) + tail
    assert len(data) <= size and json_values(data) <= values, (len(data), json_values(data))
    return data


def write_keras(path: Path, unit: str) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("config.json", worst_json(unit))
    return path


def write_h5(path: Path, unit: str, dense: bool = False, halves: bool = True) -> Path:
    """model_config and training_config sharing the budget (halves) or each at the limit (the
    shape that once peaked at twice the bound). Variable-length strings (what h5py writes for a
    str, as Keras does) are read by our own reader; fixed-length ones in dense storage
    (libver="latest") are left to libhdf5."""
    split = 2 if halves else 1
    texts = [worst_json(unit, BYTES // split - 8, VALUES // split - 8)] * 2
    with h5py.File(path, "w", libver="latest" if dense else "earliest") as handle:
        for key, text in zip(("model_config", "training_config"), texts):
            handle.attrs[key] = np.bytes_(text) if dense else text.decode()
    return path


def _field(number: int, data: bytes) -> bytes:
    return _varint(number << 3 | 2) + _varint(len(data)) + data


def write_savedmodel(path: Path, unit: str, halves: bool = True) -> Path:
    """A SavedModel whose root metadata holds a config and a training_config of `unit`s, the
    whole under the limits (halves) or each half at them."""
    split = 2 if halves else 1
    config = worst_json(unit, BYTES // split - 256, VALUES // split - 8)
    inner = config[len(b'{"class_name": "Sequential", "config": '):-1]
    metadata = b'{"class_name": "Sequential", "config": ' + inner + b', "training_config": ' + \
        config + b"}"
    node = _field(3, b"root") + _field(5, metadata)
    path.mkdir()
    (path / "saved_model.pb").write_bytes(b"")
    (path / "keras_metadata.pb").write_bytes(_field(1, node))
    return path
