"""Mutations of real saved models, for the fuzz test (tests/test_fuzz.py) and the long campaign
(benchmarks/fuzz_campaign.py). Every choice comes from a `random.Random`, so hypothesis can drive
(and shrink) them through `st.randoms()`, and the campaign can replay a case from its seed.

A case starts from a seed file built by tests/hostile_corpus.py and changes it at one level:
- bytes: truncation, flipped/overwritten/inserted/deleted/duplicated bytes of the whole file;
- json: the model or training config parsed, then structurally mutated (type swaps, missing keys,
  wrong shapes and axes, layers shuffled or duplicated, dangling references, deeper nesting...) and
  written back into a valid container;
- text: the config's JSON text mutated as bytes, inside a valid container;
- container: a valid config in a broken container (zip members missing, doubled, stored,
  encrypted-flagged; HDF5 attributes of the wrong type; protobuf fields of the wrong wire type).
"""

from __future__ import annotations

import json
import random
import shutil
import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

from hostile_corpus import (
    FUZZ_SEEDS,
    _encode,
    read_h5_configs,
    read_keras_config,
    read_savedmodel_root,
)

MODES = ("bytes", "json", "text", "container")

# Values that exercise every type check: the JSON types, edge numbers, strings the readers
# compare against, hostile text (control characters, terminal escapes) and Keras-shaped objects.
INTERESTING: list[Any] = [
    None, True, False, 0, 1, -1, 2, 3, 6, 2**31, 2**63, -(2**63), 10**30, 0.5, -0.0, float("nan"),
    float("inf"), float("-inf"), 1e308, "", "softmax", "sigmoid", "linear", "relu", "float16",
    "mixed_float16", "channels_first", "Sequential", "Functional", "Model", "InputLayer", "Dense",
    "Softmax", "Activation", "Lambda", "TimeDistributed", "Bidirectional", "Concatenate", "Reshape",
    "Permute", "Flatten", "TFOpLambda", "nn.softmax", "__tuple__", "__keras_tensor__", "function",
    "builtins", "keras.src.ops.nn", "categorical_crossentropy", "accuracy", "Custom>X", "a", "b",
    "x" * 5000, "\x00", "\n\r", "\x1b[2J\x1b[31mred", "\u202e", "\ud800", [], [None], [1, 2, 3],
    [None, None, 1], [[]], ["a", 0, 0], ["a", 0, 0, {}], ["b", -1, -7], ["a", 2**63, "0"], {},
    {"class_name": "__tuple__", "items": []}, {"class_name": "__tuple__", "items": [1, "a"]},
    {"class_name": "__keras_tensor__", "config": {"keras_history": ["a", 0, 0]}},
    {"class_name": "__keras_tensor__", "config": {"keras_history": ["a", "0", None]}},
    {"class_name": "__keras_tensor__", "config": []}, {"class_name": "Sequential", "config": {"layers": []}},
    {"class_name": "Functional", "config": {"layers": [], "input_layers": [], "output_layers": []}},
    {"class_name": "Dense", "config": {"units": 1, "activation": "softmax"}},
    {"class_name": "function", "config": "softmax", "module": "keras.activations"},
    {"module": "os", "class_name": "system", "config": "echo"},
]


@dataclass(frozen=True)
class Seed:
    name: str
    path: Path
    kind: str  # "keras", "h5", "savedmodel"
    data: bytes  # the file (for a SavedModel: keras_metadata.pb)
    model: Any
    training: Any


def load_seeds(bases: Path, names: tuple[str, ...] = FUZZ_SEEDS) -> list[Seed]:
    seeds = []
    for name in names:
        path = bases / name
        if name.endswith(".keras"):
            config = read_keras_config(path)
            training = config.pop("compile_config", None)
            seeds.append(Seed(name, path, "keras", path.read_bytes(), config, training))
        elif name.endswith(".h5"):
            model, training = read_h5_configs(path)
            seeds.append(Seed(name, path, "h5", path.read_bytes(), model, training))
        else:
            root = read_savedmodel_root(path)
            seeds.append(Seed(name, path, "savedmodel", (path / "keras_metadata.pb").read_bytes(), root, None))
    return seeds


# -- bytes ---------------------------------------------------------------------------------------------
def mutate_bytes(data: bytes, rnd: random.Random, hot: Optional[int] = None) -> bytes:
    """A few byte-level edits; `hot` bytes at the start (headers) are hit more often."""
    out = bytearray(data)
    for _ in range(rnd.randint(1, 6)):
        if not out:
            out += bytes([rnd.randrange(256)])
        limit = min(len(out), hot) if hot and rnd.random() < 0.6 else len(out)
        at = rnd.randrange(limit)
        op = rnd.randrange(7)
        if op == 0:
            del out[rnd.randrange(len(out)):]  # truncate
        elif op == 1:
            out[at] ^= 1 << rnd.randrange(8)
        elif op == 2:
            out[at] = rnd.choice((0, 0xFF, 0x7F, 0x80, rnd.randrange(256)))
        elif op == 3:
            out[at:at] = bytes(rnd.randrange(256) for _ in range(rnd.randint(1, 16)))
        elif op == 4:
            del out[at : at + rnd.randint(1, 64)]
        elif op == 5:
            size = rnd.randint(1, 256)
            out[at:at] = out[at : at + size]
        else:  # an integer field set to an extreme
            value = rnd.choice((0, 1, 0xFFFF, 0xFFFFFFFF, 0x7FFFFFFF, 0x80000000))
            out[at : at + 4] = struct.pack("<L", value)[: len(out) - at]
    return bytes(out)


# -- json ----------------------------------------------------------------------------------------------
def _slots(value: Any, limit: int = 20000) -> list[tuple[Any, Any]]:
    """Every (container, key or index) in the JSON value, breadth first."""
    slots: list[tuple[Any, Any]] = []
    level = [value]
    while level and len(slots) < limit:
        below = []
        for item in level:
            keys = list(item) if isinstance(item, dict) else range(len(item)) if isinstance(item, list) else ()
            for key in keys:
                slots.append((item, key))
                if isinstance(item[key], (dict, list)):
                    below.append(item[key])
        level = below
    return slots


def random_value(rnd: random.Random, depth: int = 0) -> Any:
    roll = rnd.random()
    if roll < 0.6 or depth > 2:
        return json.loads(json.dumps(rnd.choice(INTERESTING)))  # a fresh copy
    if roll < 0.8:
        return [random_value(rnd, depth + 1) for _ in range(rnd.randint(0, 4))]
    keys = ("class_name", "config", "name", "layers", "units", "activation", "axis", "inbound_nodes",
            "keras_history", "layer", "module", "batch_shape", "loss", "from_logits", "x")
    return {rnd.choice(keys): random_value(rnd, depth + 1) for _ in range(rnd.randint(0, 4))}


def _mutate_slot(container: Any, key: Any, rnd: random.Random, root: Any) -> None:
    value = container[key]
    op = rnd.randrange(12)
    if op == 0 and isinstance(container, dict):
        del container[key]  # a missing key
    elif op == 0:
        container.pop(key)
    elif op == 1:
        container[key] = random_value(rnd)  # a type swap
    elif op == 2:
        container[key] = [value]  # wrapped
    elif op == 3 and isinstance(value, list) and value:
        container[key] = value[0]  # unwrapped
    elif op == 3 and isinstance(value, dict) and value:
        container[key] = list(value.values())  # object -> array
    elif op == 4 and isinstance(value, list):
        container[key] = {str(i): v for i, v in enumerate(value)}  # array -> object
    elif op == 5 and isinstance(value, list) and value:
        value.insert(rnd.randrange(len(value) + 1), json.loads(json.dumps(rnd.choice(value))))  # duplicated
    elif op == 6 and isinstance(value, list):
        rnd.shuffle(value)
    elif op == 7 and isinstance(value, (int, float)) and not isinstance(value, bool):
        container[key] = rnd.choice((0, -1, -value, value + 1, value - 1, value * 1000, 2**64))
    elif op == 8 and isinstance(value, str):
        names = [s for s in _strings(root) if len(s) < 40] or [""]
        container[key] = rnd.choice((rnd.choice(names), value[:-1], value + "_", value.upper(), ""))
    elif op == 9 and isinstance(container, dict):
        container[rnd.choice(("class_name", "config", "name", "layers", "x"))] = container.pop(key)  # renamed
    elif op == 10:
        for _ in range(rnd.randint(1, 40)):  # nested deeper (within the depth limit, mostly)
            value = [value]
        container[key] = value
    else:
        container[key] = json.loads(json.dumps(rnd.choice(INTERESTING)))


def _strings(value: Any) -> list[str]:
    return [c[k] for c, k in _slots(value, 2000) if isinstance(c[k], str)]


def mutate_json(value: Any, rnd: random.Random) -> Any:
    """A few structural edits of a parsed config (in place); returns the new root."""
    for _ in range(rnd.randint(1, 4)):
        slots = _slots(value)
        if not slots or rnd.random() < 0.02:
            return random_value(rnd)
        # Shapes, axes, names and references are where the readers look hardest: hit them often.
        hot = [s for s in slots if isinstance(s[1], str) and s[1] in (
            "units", "axis", "batch_shape", "shape", "input_shape", "target_shape", "keras_history",
            "inbound_nodes", "output_layers", "input_layers", "activation", "class_name", "layers",
            "layer", "name", "loss", "metrics", "from_logits", "dims", "data_format", "dtype")]
        container, key = rnd.choice(hot) if hot and rnd.random() < 0.6 else rnd.choice(slots)
        _mutate_slot(container, key, rnd, value)
    return value


def dumps(value: Any) -> bytes:
    return json.dumps(value).encode("utf-8", "surrogatepass")


# -- writing one case ------------------------------------------------------------------------------------
def _write_keras(seed: Seed, out: Path, config: Optional[bytes], rnd: Optional[random.Random] = None) -> None:
    """The seed's zip with config.json replaced; with `rnd`, the zip itself is broken somehow."""
    with zipfile.ZipFile(seed.path) as src:
        members = [(i.filename, src.read(i)) for i in src.infolist()]
    members = [(n, config if n == "config.json" and config is not None else d) for n, d in members]
    method, flag = zipfile.ZIP_DEFLATED, None
    if rnd is not None:
        op = rnd.randrange(5)
        if op == 0:
            members = [(n, d) for n, d in members if n != "config.json"]
        elif op == 1:
            members.append(("config.json", dumps(random_value(rnd))))
        elif op == 2:
            method = rnd.choice((zipfile.ZIP_STORED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA))
        elif op == 3:
            flag = rnd.choice((0x1, 0x8, 0x40, 0x2000))  # encrypted / data descriptor / strong / masked
        else:
            members.insert(0, (rnd.choice(("../config.json", "/config.json", "config.json/", "")), b"{}"))
    with zipfile.ZipFile(out, "w", method) as dst:
        for name, data in members:
            info = zipfile.ZipInfo(name or "x")
            info.compress_type = method
            dst.writestr(info, data)
    if flag is not None:  # zipfile writes its own flags: set ours in the central directory after
        raw = bytearray(out.read_bytes())
        at = raw.find(b"PK\x01\x02")
        while at >= 0:
            raw[at + 8] |= flag & 0xFF
            raw[at + 9] |= flag >> 8
            at = raw.find(b"PK\x01\x02", at + 4)
        out.write_bytes(bytes(raw))


def _write_h5(seed: Seed, out: Path, model: Any, training: Any) -> None:
    import h5py

    shutil.copyfile(seed.path, out)
    with h5py.File(out, "r+") as handle:
        for key, value in (("model_config", model), ("training_config", training)):
            if value is _ABSENT:
                handle.attrs.pop(key, None)
            elif value is not None:
                _set_attribute(handle.attrs, key, value)


def _set_attribute(attrs: Any, key: str, value: Any) -> None:
    """As h5py would store it; else as fixed-length bytes (h5py's variable-length strings refuse
    NUL bytes); else (too big for the object header) left as it was."""
    import numpy as np

    for attempt in (value, np.bytes_(value) if isinstance(value, (bytes, str)) else None):
        if attempt is None:
            return
        try:
            attrs[key] = attempt
            return
        except (ValueError, TypeError, OSError, RuntimeError, UnicodeError):
            continue


_ABSENT = object()


def _h5_attribute(rnd: random.Random, good: bytes) -> Any:
    import numpy as np

    return rnd.choice([
        _ABSENT, np.int64(7), np.zeros(3), np.array([good, good]), np.array([good]), good[: len(good) // 2],
        b"\xff\xfe" + good, good.decode("utf-8", "replace"), np.float32("nan"), b"",
    ])


def _write_savedmodel(out: Path, metadata: bytes) -> None:
    out.mkdir(exist_ok=True)
    (out / "saved_model.pb").write_bytes(b"")
    (out / "keras_metadata.pb").write_bytes(metadata)


def _metadata(root: Any, version_field: bool = False) -> bytes:
    node = _encode([(2, 0, 0), (3, 2, b"root"), (5, 2, dumps(root))] + ([(6, 0, 1)] if version_field else []))
    return _encode([(1, 2, node)])


def write_case(seed: Seed, rnd: random.Random, directory: Path, mode: Optional[str] = None) -> Path:
    """Write one mutated case of `seed` into `directory`; return the path to lint."""
    mode = mode or rnd.choice(MODES)
    suffix = {"keras": ".keras", "h5": ".h5", "savedmodel": ""}[seed.kind]
    out = directory / f"case-{seed.kind}{suffix}"
    if seed.kind == "savedmodel" and out.exists():
        shutil.rmtree(out)
    model = json.loads(json.dumps(seed.model))
    training = json.loads(json.dumps(seed.training)) if seed.training is not None else None
    on_training = training is not None and rnd.random() < 0.25
    if mode == "json":
        if on_training:
            training = mutate_json(training, rnd)
        else:
            model = mutate_json(model, rnd)
    model_text = dumps(model)
    if mode == "text":
        model_text = mutate_bytes(model_text, rnd)
    if seed.kind == "keras":
        if mode == "bytes":
            out.write_bytes(mutate_bytes(seed.data, rnd, hot=64))
            return out
        config = model_text if mode == "text" else dumps({**model, "compile_config": training}) if isinstance(
            model, dict) else model_text
        _write_keras(seed, out, config, rnd if mode == "container" else None)
    elif seed.kind == "h5":
        if mode == "bytes":
            out.write_bytes(mutate_bytes(seed.data, rnd, hot=4096))
            return out
        training_text = dumps(training) if training is not None else None
        if mode == "container":
            if rnd.random() < 0.5:
                _write_h5(seed, out, _h5_attribute(rnd, model_text), None)
            else:
                _write_h5(seed, out, model_text, _h5_attribute(rnd, training_text or b"{}"))
        else:
            _write_h5(seed, out, model_text, training_text)
    else:
        if mode == "bytes":
            _write_savedmodel(out, mutate_bytes(seed.data, rnd, hot=64))
        elif mode == "container":
            node = _encode([(3, 0, 7), (5, 0, 1)]) if rnd.random() < 0.5 else b"\x1a\x04root\x2a\xff\xff\xff\xff\x0f"
            _write_savedmodel(out, _encode([(1, 2, node)]) if rnd.random() < 0.5 else _encode([(1, 0, 5)]))
        else:
            root = model if isinstance(model, dict) else {"class_name": "Sequential", "config": model}
            metadata = _metadata(root)
            if mode == "text":
                metadata = _encode([(1, 2, _encode([(3, 2, b"root"), (5, 2, model_text)]))])
            _write_savedmodel(out, metadata)
    return out

