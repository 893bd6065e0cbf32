"""Read the model and training configs out of saved files, as data.

Nothing here imports Keras or TensorFlow, deserialises objects, or runs code from the file:
a `.keras` file is a zip holding JSON, a legacy `.h5` holds JSON strings in HDF5 attributes,
and a Keras 2 SavedModel holds JSON strings in the protobuf `keras_metadata.pb`.
"""

from __future__ import annotations

import json
import os
import zipfile
from dataclasses import dataclass
from typing import Any, Optional

from .protobuf import iter_fields

# Bounds on what we read, so a hostile file cannot exhaust memory.
MAX_CONFIG_BYTES = 64 * 1024 * 1024


class ReadError(ValueError):
    """A path that cannot be read as a model; the message is one line, without the path."""


@dataclass(frozen=True)
class SavedConfig:
    model: dict[str, Any]  # {"class_name": ..., "config": {...}}
    training: Optional[dict[str, Any]]  # {"loss": ..., "metrics": ...} or None if not compiled
    format: str  # "keras", "h5", "savedmodel"


def _parse_json(data: bytes | str, what: str) -> Any:
    try:
        return json.loads(data)
    except (ValueError, RecursionError) as exc:
        raise ReadError(f"{what} is not valid JSON ({type(exc).__name__})") from None


def _as_dict(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ReadError(f"{what} is not a JSON object")
    return value


def read_keras_zip(path: str) -> SavedConfig:
    try:
        with zipfile.ZipFile(path) as archive:
            try:
                info = archive.getinfo("config.json")
            except KeyError:
                raise ReadError("zip archive has no config.json (not a .keras model file)") from None
            if info.file_size > MAX_CONFIG_BYTES:
                raise ReadError(
                    f"config.json is {info.file_size} bytes, over the {MAX_CONFIG_BYTES}-byte limit"
                )
            with archive.open(info) as member:
                data = member.read(MAX_CONFIG_BYTES + 1)
    except zipfile.BadZipFile as exc:
        raise ReadError(f"not a valid .keras zip archive ({exc})") from None
    except (OSError, EOFError, NotImplementedError, RuntimeError) as exc:
        raise ReadError(f"cannot read the zip archive ({exc})") from None
    if len(data) > MAX_CONFIG_BYTES:
        raise ReadError(f"config.json decompresses past the {MAX_CONFIG_BYTES}-byte limit")
    config = _as_dict(_parse_json(data, "config.json"), "config.json")
    training = config.get("compile_config")
    return SavedConfig(config, training if isinstance(training, dict) else None, "keras")


def _h5_attr(attrs: Any, key: str) -> Optional[str]:
    if key not in attrs:
        return None
    value = attrs[key]
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, str):
        return value
    raise ReadError(f"HDF5 attribute {key!r} is not a string")


def read_h5(path: str) -> SavedConfig:
    import h5py  # local: only needed for legacy files

    try:
        with h5py.File(path, "r") as handle:
            attrs = handle.attrs
            for key in ("model_config", "training_config"):
                if key in attrs and attrs.get_id(key).get_storage_size() > MAX_CONFIG_BYTES:
                    raise ReadError(f"HDF5 attribute {key!r} is over the {MAX_CONFIG_BYTES}-byte limit")
            model_json = _h5_attr(attrs, "model_config")
            training_json = _h5_attr(attrs, "training_config")
    except ReadError:
        raise
    except Exception as exc:  # h5py raises OSError, KeyError, TypeError... on broken files
        raise ReadError(f"not a readable HDF5 file ({type(exc).__name__}: {exc})") from None
    if model_json is None:
        raise ReadError("HDF5 file has no model_config attribute (a weights-only file?)")
    model = _as_dict(_parse_json(model_json, "model_config"), "model_config")
    training = _parse_json(training_json, "training_config") if training_json else None
    return SavedConfig(model, training if isinstance(training, dict) else None, "h5")


def _untuple(value: Any) -> Any:
    """Keras 2 metadata wraps tuples as {"class_name": "__tuple__", "items": [...]}."""
    if isinstance(value, dict):
        if value.get("class_name") == "__tuple__" and "items" in value:
            return [_untuple(v) for v in value["items"]]
        return {k: _untuple(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_untuple(v) for v in value]
    return value


def read_savedmodel(path: str) -> SavedConfig:
    meta_path = os.path.join(path, "keras_metadata.pb")
    if not os.path.isfile(meta_path):
        if os.path.isfile(os.path.join(path, "saved_model.pb")):
            raise ReadError(
                "SavedModel has no keras_metadata.pb (not written by Keras 2 `model.save`), "
                "so it holds no model config"
            )
        raise ReadError("directory is not a SavedModel")
    if os.path.islink(meta_path) or os.path.getsize(meta_path) > MAX_CONFIG_BYTES:
        raise ReadError("keras_metadata.pb is a link or over the size limit")
    with open(meta_path, "rb") as handle:
        data = handle.read(MAX_CONFIG_BYTES + 1)
    try:
        for number, node in iter_fields(data):  # SavedMetadata.nodes = 1
            if number != 1 or not isinstance(node, bytes):
                continue
            fields = dict(iter_fields(node))  # SavedObject: node_path = 3, metadata = 5
            if fields.get(3) == b"root":
                root = _as_dict(_parse_json(fields.get(5, b""), "root metadata"), "root metadata")
                break
        else:
            raise ReadError("keras_metadata.pb has no root object")
    except ValueError as exc:
        raise ReadError(f"keras_metadata.pb is not valid protobuf ({exc})") from None
    model = {"class_name": root.get("class_name"), "config": _untuple(root.get("config"))}
    training = root.get("training_config")
    return SavedConfig(model, _untuple(training) if isinstance(training, dict) else None, "savedmodel")


def read_saved(path: str) -> SavedConfig:
    """Dispatch on what the path is (by content where the suffix could lie)."""
    if os.path.isdir(path):
        return read_savedmodel(path)
    try:
        with open(path, "rb") as handle:
            magic = handle.read(8)
    except OSError as exc:
        raise ReadError(exc.strerror or str(exc)) from None
    if not magic:
        raise ReadError("file is empty")
    if magic.startswith(b"PK"):
        return read_keras_zip(path)
    if magic == b"\x89HDF\r\n\x1a\n":
        return read_h5(path)
    raise ReadError("not a Keras model file (neither a .keras zip nor an HDF5 file)")
