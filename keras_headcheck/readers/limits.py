"""The bounds on what a saved model file may make the reader do: the one place they are defined.

A model file may come from anywhere, so reading one must finish in bounded time and memory
whatever the file says. Real configs are far inside these bounds (NASNetLarge, 1041 layers:
1 MB of JSON, nesting depth ~20), so they only ever stop hostile or broken files.

Each bound can be changed with an environment variable, read on every call so that a test or a
CI job can set it (byte sizes take a K, M or G suffix: `KERAS_HEADCHECK_MAX_CONFIG_BYTES=64M`):

| Limits field        | environment variable                   | default |
|---------------------|----------------------------------------|---------|
| max_config_bytes    | KERAS_HEADCHECK_MAX_CONFIG_BYTES       | 16 MiB  |
| max_layers          | KERAS_HEADCHECK_MAX_LAYERS             | 50,000  |
| max_depth           | KERAS_HEADCHECK_MAX_DEPTH              | 256     |
| max_model_nesting   | KERAS_HEADCHECK_MAX_MODEL_NESTING      | 32      |
| max_zip_entries     | KERAS_HEADCHECK_MAX_ZIP_ENTRIES        | 10,000  |
| hdf5_timeout        | KERAS_HEADCHECK_HDF5_TIMEOUT (seconds) | 30      |
| max_json_values     | KERAS_HEADCHECK_MAX_JSON_VALUES        | 2,000,000 |
| max_source_bytes    | KERAS_HEADCHECK_MAX_SOURCE_BYTES       | 256 KiB |
| max_ast_nodes       | KERAS_HEADCHECK_MAX_AST_NODES          | 100,000 |
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace
from typing import Any

ENV_PREFIX = "KERAS_HEADCHECK_"
_SUFFIXES = {"K": 1024, "M": 1024**2, "G": 1024**3}


class LimitsError(ValueError):
    """An environment variable holds a value that is not a valid limit."""


@dataclass(frozen=True)
class Limits:
    # Bytes of the JSON configs of one file (config.json; an HDF5 file's two attributes together;
    # keras_metadata.pb; a notebook), checked against the sizes the container declares before
    # reading and again while reading.
    max_config_bytes: int = 16 * 1024 * 1024
    # JSON values (objects, lists, strings, numbers...) in the configs of one file together,
    # counted before parsing (an upper bound: commas, colons and brackets). A value takes ~85
    # bytes once parsed at worst (a config of empty lists), so this bounds the parsed configs to
    # ~170 MiB whatever their byte size. NASNetLarge's 1 MB config has 105,226 values.
    max_json_values: int = 2_000_000
    # Layers in one model, nested models' layers included (and counted once per call of a shared
    # sub-model): the graph walk is linear in this.
    max_layers: int = 50_000
    # Nesting depth of the JSON (objects and lists): every recursive walk over a config stays
    # below Python's recursion limit.
    max_depth: int = 256
    # Models used as layers inside models inside models...
    max_model_nesting: int = 32
    # Members of a `.keras` zip: the zip module holds the whole central directory in memory.
    max_zip_entries: int = 10_000
    # Seconds the HDF5 library may take to read a `.h5` file's attributes (in a child process), when
    # our own reader (hdf5_attrs.py) leaves the file's layout to it.
    hdf5_timeout: float = 30.0
    # Bytes of Python code in one source (a notebook's code cells together) and nodes of its
    # syntax tree. Python's parser takes up to ~750 bytes of memory per byte of code (a file of
    # `a,b=c,d` lines), so the byte bound is what bounds memory; the node bound bounds the time
    # spent interpreting it. The largest keras-io / TensorFlow docs source is 41 KB of code and
    # 5,534 nodes (benchmarks/source_bounds.py). A notebook's JSON is bounded by max_config_bytes
    # and max_json_values before it is parsed.
    max_source_bytes: int = 256 * 1024
    max_ast_nodes: int = 100_000

    @property
    def hdf5_memory(self) -> int:
        """Address space the HDF5 child may add: the config twice over, plus the library's own."""
        return 256 * 1024 * 1024 + 4 * self.max_config_bytes


DEFAULT_LIMITS = Limits()


def env_name(field_name: str) -> str:
    return ENV_PREFIX + field_name.upper()


def json_values(data: Any) -> int:
    """An upper bound on the values in a JSON text, counted without parsing it: each value but
    the first follows a comma, a colon or an opening bracket (in a string or not)."""
    marks = (b",", b":", b"[", b"{") if isinstance(data, bytes) else (",", ":", "[", "{")
    return 1 + sum(data.count(mark) for mark in marks)


def _parse(name: str, text: str, kind: type) -> float:
    raw = text.strip()
    scale = 1
    if kind is int and raw[-1:].upper() in _SUFFIXES:
        raw, scale = raw[:-1], _SUFFIXES[raw[-1:].upper()]
    try:
        value = kind(raw) * scale
    except ValueError:
        value = 0
    if not value > 0:
        raise LimitsError(f"{name} must be a positive number, got {text!r}")
    return value


def current_limits() -> Limits:
    """The default limits, with any KERAS_HEADCHECK_* environment variable applied."""
    changes: dict[str, Any] = {}
    for f in fields(Limits):
        text = os.environ.get(env_name(f.name))
        if text:
            kind = float if f.type in (float, "float") else int
            changes[f.name] = _parse(env_name(f.name), text, kind)
    return replace(DEFAULT_LIMITS, **changes) if changes else DEFAULT_LIMITS
