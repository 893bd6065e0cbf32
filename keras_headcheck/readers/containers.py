"""Read the model and training configs out of saved files, as data.

Nothing here imports Keras or TensorFlow, deserialises objects, or runs code from the file:
a `.keras` file is a zip holding JSON, a legacy `.h5` holds JSON strings in HDF5 attributes (read
by our own parser, hdf5_attrs.py; by libhdf5 in a child process only for layouts it does not
parse, see hdf5.py), and a Keras 2 SavedModel holds JSON strings in the protobuf
`keras_metadata.pb` (read by protobuf.py).

The file may be hostile, so every read is bounded (see limits.py): sizes are checked against
what the container declares before anything is read or decompressed, and again while reading;
only regular files are opened, read-only, and nothing is ever extracted or written.
"""

from __future__ import annotations

import json
import os
import struct
import zipfile
from dataclasses import dataclass
from typing import Any, BinaryIO, Optional

from .errors import ReadError, reason
from .files import open_regular
from .limits import Limits, LimitsError, current_limits, env_name, json_values
from .protobuf import iter_fields

HDF5_MAGIC = b"\x89HDF\r\n\x1a\n"


@dataclass(frozen=True)
class SavedConfig:
    model: dict[str, Any]  # {"class_name": ..., "config": {...}}
    training: Optional[dict[str, Any]]  # {"loss": ..., "metrics": ...} or None if not compiled
    format: str  # "keras", "h5", "savedmodel"


def _over(what: str, size: object, limits: Limits) -> ReadError:
    verb = "are" if " and " in what else "is"
    return ReadError(f"{what} {verb} {size} bytes, over the {limits.max_config_bytes}-byte limit "
                     f"({env_name('max_config_bytes')})")


def check_depth(value: Any, what: str, limits: Limits) -> None:
    """Refuse JSON nested deeper than the limit, level by level (never recursively)."""
    level, depth = [value], 0
    while level:
        depth += 1
        if depth > limits.max_depth:
            raise ReadError(f"{what} is nested more than {limits.max_depth} levels deep "
                            f"({env_name('max_depth')})")
        below: list[Any] = []
        for item in level:
            if isinstance(item, dict):
                below.extend(v for v in item.values() if isinstance(v, (dict, list)))
            elif isinstance(item, list):
                below.extend(v for v in item if isinstance(v, (dict, list)))
        level = below


def check_size(texts: dict[str, Any], limits: Limits) -> None:
    """Refuse, before parsing any, the JSON texts of one file over the file's budget together:
    in bytes, and in values (what parsing costs in memory)."""
    present = {what: text for what, text in texts.items() if text}
    what = " and ".join(present) + (" together" if len(present) > 1 else "")
    size = sum(len(text) for text in present.values())
    if size > limits.max_config_bytes:
        raise _over(what, size, limits)
    values = sum(json_values(text) for text in present.values() if isinstance(text, (bytes, str)))
    if values > limits.max_json_values:
        raise ReadError(f"{what} {'hold' if len(present) > 1 else 'holds'} up to {values} JSON "
                        f"values, over the {limits.max_json_values}-value limit "
                        f"({env_name('max_json_values')})")


def parse_json(data: Any, what: str, limits: Limits) -> Any:
    if not isinstance(data, (bytes, str)):
        raise ReadError(f"{what} is not a JSON string")
    check_size({what: data}, limits)
    try:
        value = json.loads(data)
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
        raise ReadError(f"{what} is not valid JSON ({type(exc).__name__})") from None
    check_depth(value, what, limits)
    return value


def _as_dict(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ReadError(f"{what} is not a JSON object")
    return value


_JSON_KINDS = {dict: "an object", list: "a list", str: "a string", bool: "a boolean",
               int: "a number", float: "a number"}


def _training(value: Any, what: str) -> Optional[dict[str, Any]]:
    """The training (compile) config: absent or null means not compiled; any other shape than an
    object is a broken file, said so rather than trusted."""
    if value is None or isinstance(value, dict):
        return value
    kind = _JSON_KINDS.get(type(value), type(value).__name__)
    raise ReadError(f"not a valid {what} ({kind}, expected a JSON object)")


# -- .keras zip ------------------------------------------------------------------------------------
_END = struct.Struct("<4s4H2LH")  # end of central directory record
_END64_LOCATOR = struct.Struct("<4sLQL")
_END64 = struct.Struct("<4sQ2H2L4Q")


def _central_directory(handle: BinaryIO) -> tuple[int, int]:
    """(entries, bytes) of the zip's central directory as its end records declare them, found the
    way `zipfile` finds them. `zipfile` holds the whole directory in memory, so bound it first."""
    size = handle.seek(0, os.SEEK_END)
    start = max(0, size - (_END.size + 0xFFFF))
    handle.seek(start)
    tail = handle.read()
    at = len(tail) - _END.size
    if tail[at : at + 4] != b"PK\x05\x06":  # not at the very end: there is a comment after it
        at = tail.rfind(b"PK\x05\x06")
    if at < 0 or at + _END.size > len(tail):
        raise ReadError("not a valid .keras zip archive (no end of central directory record)")
    entries, directory = _END.unpack_from(tail, at)[4:6]
    locator = start + at - _END64_LOCATOR.size
    if (entries == 0xFFFF or directory == 0xFFFFFFFF) and locator >= 0:
        handle.seek(locator)
        signature, _, offset, _ = _END64_LOCATOR.unpack(handle.read(_END64_LOCATOR.size))
        if signature == b"PK\x06\x07" and offset < size:
            handle.seek(offset)
            record = handle.read(_END64.size)
            if len(record) == _END64.size and record[:4] == b"PK\x06\x06":
                entries, directory = _END64.unpack(record)[6:8]
    return entries, directory


def _read_member(handle: BinaryIO, name: str, limits: Limits) -> bytes:
    entries, directory = _central_directory(handle)
    if entries > limits.max_zip_entries or directory > 256 * limits.max_zip_entries:
        raise ReadError(f"zip archive has {entries} entries in a {directory}-byte directory, over "
                        f"the {limits.max_zip_entries}-entry limit ({env_name('max_zip_entries')})")
    handle.seek(0)
    with zipfile.ZipFile(handle) as archive:
        try:
            info = archive.getinfo(name)
        except KeyError:
            raise ReadError(f"zip archive has no {name} (not a .keras model file)") from None
        if info.file_size > limits.max_config_bytes:
            raise _over(name, info.file_size, limits)
        with archive.open(info) as member:
            # file_size may lie: zipfile stops at it (and then fails the CRC), and we stop here.
            data = member.read(limits.max_config_bytes + 1)
    if len(data) > limits.max_config_bytes:
        raise ReadError(f"{name} decompresses past the {limits.max_config_bytes}-byte limit "
                        f"({env_name('max_config_bytes')})")
    return data


def read_keras_zip(path: str, limits: Optional[Limits] = None) -> SavedConfig:
    limits = limits or current_limits()
    with open_regular(path) as handle:
        try:
            data = _read_member(handle, "config.json", limits)
        except ReadError:
            raise
        except zipfile.BadZipFile as exc:
            raise ReadError(f"not a valid .keras zip archive ({reason(exc, False)})") from None
        except Exception as exc:  # zlib.error, lzma/bz2 errors, EOFError, encryption, struct.error
            raise ReadError(f"cannot read the zip archive ({reason(exc)})") from None
    config = _as_dict(parse_json(data, "config.json", limits), "config.json")
    return SavedConfig(config, _training(config.get("compile_config"), "compile_config"), "keras")


# -- legacy .h5 ----------------------------------------------------------------------------------
def read_h5(path: str, limits: Optional[Limits] = None) -> SavedConfig:
    from .hdf5 import HDF5Error, read_attributes  # local: a .keras or source lint need not load it

    limits = limits or current_limits()
    try:
        texts = read_attributes(path, ("model_config", "training_config"), limits)
    except HDF5Error as exc:
        raise ReadError(str(exc)) from None
    model_json, training_json = texts["model_config"], texts["training_config"]
    if model_json is None:
        raise ReadError("HDF5 file has no model_config attribute (a weights-only file?)")
    # one budget for the file, as for .keras and SavedModel: each under it is not enough
    check_size({"model_config": model_json, "training_config": training_json}, limits)
    model = _as_dict(parse_json(model_json, "model_config", limits), "model_config")
    training = parse_json(training_json, "training_config", limits) if training_json else None
    return SavedConfig(model, _training(training, "training_config"), "h5")


# -- Keras 2 SavedModel --------------------------------------------------------------------------
def _is_tuple(value: Any) -> bool:
    return (isinstance(value, dict) and value.get("class_name") == "__tuple__"
            and isinstance(value.get("items"), list))


def _untuple(value: Any) -> Any:
    """Keras 2 metadata wraps tuples as {"class_name": "__tuple__", "items": [...]}: unwrap them,
    in place and without recursion (a copy would double the memory of the largest configs)."""
    root = value["items"] if _is_tuple(value) else value
    stack = [root] if isinstance(root, (dict, list)) else []
    while stack:
        item = stack.pop()
        keys = item.keys() if isinstance(item, dict) else range(len(item))
        for key in keys:  # only values are replaced: the dict does not change size
            child = item[key]
            if _is_tuple(child):
                child = item[key] = child["items"]
            if isinstance(child, (dict, list)):
                stack.append(child)
    return root


def _root_metadata(data: bytes, limits: Limits) -> dict[str, Any]:
    try:
        for number, node in iter_fields(data):  # SavedMetadata.nodes = 1
            if number != 1 or not isinstance(node, bytes):
                continue
            fields = dict(iter_fields(node))  # SavedObject: node_path = 3, metadata = 5
            if fields.get(3) == b"root":
                metadata = parse_json(fields.get(5, b""), "root metadata", limits)
                return _as_dict(metadata, "root metadata")
    except ReadError:
        raise
    except ValueError as exc:
        raise ReadError(f"keras_metadata.pb is not valid protobuf ({reason(exc, False)})") from None
    raise ReadError("keras_metadata.pb has no root object")


def read_savedmodel(path: str, limits: Optional[Limits] = None) -> SavedConfig:
    limits = limits or current_limits()
    meta_path = os.path.join(path, "keras_metadata.pb")
    if os.path.islink(meta_path):
        raise ReadError("keras_metadata.pb is a symbolic link "
                        "(refused: it may point outside the SavedModel)")
    if not os.path.lexists(meta_path):
        if os.path.isfile(os.path.join(path, "saved_model.pb")):
            raise ReadError(
                "SavedModel has no keras_metadata.pb (not written by Keras 2 `model.save`), "
                "so it holds no model config"
            )
        raise ReadError("directory is not a SavedModel")
    try:
        opened = open_regular(meta_path, follow_links=False)
    except ReadError as exc:
        raise ReadError(f"keras_metadata.pb: {exc}") from None
    with opened as handle:
        size = os.fstat(handle.fileno()).st_size
        if size > limits.max_config_bytes:
            raise _over("keras_metadata.pb", size, limits)
        data = handle.read(limits.max_config_bytes + 1)
    root = _root_metadata(data, limits)
    model = {"class_name": root.get("class_name"), "config": _untuple(root.get("config"))}
    training = _untuple(root.get("training_config"))  # a tuple is unwrapped into a list: refused
    return SavedConfig(model, _training(training, "training_config"), "savedmodel")


def read_saved(path: str) -> SavedConfig:
    """Dispatch on what the path is (by content where the suffix could lie)."""
    try:
        limits = current_limits()
    except LimitsError as exc:
        raise ReadError(str(exc)) from None
    if os.path.isdir(path):
        return read_savedmodel(path, limits)
    with open_regular(path) as handle:
        try:
            start = handle.read(SNIFF_BYTES)
        except OSError as exc:
            raise ReadError(exc.strerror or str(exc)) from None
    if not start:
        raise ReadError("file is empty")
    if start.startswith(b"PK"):
        return read_keras_zip(path, limits)
    if start[:8] == HDF5_MAGIC:
        return read_h5(path, limits)
    raise ReadError(f"not a Keras model file ({_what_it_is(start)})")


SNIFF_BYTES = 512
LFS_POINTER = b"version https://git-lfs.github.com/spec/"


def _what_it_is(start: bytes) -> str:
    """What a file that is no model holds, when it is a common stand-in for one."""
    if start.startswith(LFS_POINTER):
        return "a Git LFS pointer: run `git lfs pull`"
    head = start.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"<!doctype html") or b"<html" in head[:256]:
        return "an HTML page, not the model: was it saved from a download link or a login page?"
    return "neither a .keras zip nor an HDF5 file"
