"""Structure-aware mutations, beside tests/mutate.py's byte and JSON ones: each aims at a shape a
reader must check before it uses it (issue 15). Every choice comes from a `random.Random`, so the
campaign (benchmarks/fuzz_campaign.py) can replay a case from its seed.

- types: the training config (`training_config`, `compile_config`) and its `loss`/`metrics`
  replaced by a JSON value of another type (lists, Keras 2 tuples, strings, numbers...);
- protobuf: `keras_metadata.pb` rebuilt with fields of the wrong wire type, lengths that lie,
  overlong varints, repeated or missing fields;
- hdf5: the `.h5` attributes written with other HDF5 types (integers, arrays, empty dataspaces,
  fixed-length and variable-length strings holding JSON of another type);
- notebook: a notebook whose cells, sources and metadata get JSON values of other types, and whose
  code grows by repeated statements;
- source: a Python source grown by repeating its statements and by value-doubling statements.
"""

from __future__ import annotations

import json
import random
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hostile_corpus import _encode, _varint
from mutate import INTERESTING, Seed, _metadata, _set_attribute, _write_keras, _write_savedmodel
from mutate import dumps, mutate_json, random_value

HERE = Path(__file__).resolve().parent
STRUCTURE_MODES = ("types", "protobuf", "hdf5")
DOUBLINGS = ("{x} = {x} + {x}", "{x} += {x}", "{x} = [*{x}, *{x}]", "{x} = f'{{{x}}}{{{x}}}'",
             "{x} = {x} * 2", "{x}.extend({x})", "{x} = [{x}, {x}]", "{x} = ({x}, {x})",
             "{x} = {{'a': {x}, 'b': {x}}}", "{x}.append({x})", "{x} = {x} ** 64", "{x} *= {x}",
             "{x}[0] = {x}", "{x} = '%s%s' % ({x}, {x})", "{x} = {{**{x}, **{x}}}")
ODD_LINES = ("y = 1if x else 2", "z = '\\d'", "w = 10 ** 64", "v = [" + "[" * 40 + "]" * 40 + "]",
             "u = " + "-" * 2000 + "1", "t = (" * 50 + ")" * 50, "%matplotlib inline", "!ls",
             "s = 'x' * 10**9", "r = [0] * 10**9", "q = '%9999999d' % 1")


def _any_type(rnd: random.Random) -> Any:
    """A JSON value, often of a container type (the shapes readers forget to check)."""
    return rnd.choice([
        random_value(rnd), [random_value(rnd)], {"class_name": "__tuple__", "items": [random_value(rnd)]},
        "mse", 3, 2.5, True, None, [], {}, [["mse"]], {"loss": random_value(rnd)},
    ])


def mutate_types(seed: Seed, rnd: random.Random, out: Path) -> Path:
    """The seed with its training config, or a part of it, of another JSON type."""
    from mutate import _write_h5

    model = json.loads(json.dumps(seed.model))
    training = json.loads(json.dumps(seed.training)) if seed.training is not None else {}
    where = rnd.randrange(4)
    if where == 0 or not isinstance(training, dict):
        training = _any_type(rnd)
    elif where == 1:
        training["loss"] = _any_type(rnd)
    elif where == 2:
        training["metrics"] = _any_type(rnd)
    else:
        training = mutate_json(training, rnd)
    if seed.kind == "keras":
        _write_keras(seed, out, dumps({**model, "compile_config": training}))
    elif seed.kind == "h5":
        _write_h5(seed, out, dumps(model), dumps(training))
    else:  # a SavedModel's root metadata holds its training_config
        _write_savedmodel(out, _metadata({**model, "training_config": training}))
    return out


def _field(number: int, wire: int, value: Any) -> bytes:
    key = _varint(number << 3 | wire)
    if wire == 0:
        return key + _varint(value if isinstance(value, int) else len(value))
    if wire == 1:
        return key + (value if isinstance(value, bytes) else b"")[:8].ljust(8, b"\0")
    if wire == 5:
        return key + (value if isinstance(value, bytes) else b"")[:4].ljust(4, b"\0")
    data = value if isinstance(value, bytes) else _varint(value)
    return key + _varint(len(data)) + data


def mutate_protobuf(seed: Seed, rnd: random.Random, out: Path) -> Path:
    """keras_metadata.pb with the root node's fields of other wire types and lying lengths."""
    root = json.loads(json.dumps(seed.model)) if seed.kind == "savedmodel" else {
        "class_name": "Sequential", "config": {"layers": []}}
    fields: list[tuple[int, int, Any]] = [(2, 0, 0), (3, 2, b"root"), (5, 2, dumps(root))]
    for _ in range(rnd.randint(1, 3)):
        at = rnd.randrange(len(fields))
        number, wire, value = fields[at]
        op = rnd.randrange(6)
        if op == 0:
            fields[at] = (number, rnd.choice((0, 1, 5, 2)), value)  # another wire type
        elif op == 1:
            fields.insert(rnd.randrange(len(fields) + 1), fields[at])  # repeated
        elif op == 2:
            del fields[at]
        elif op == 3:
            fields[at] = (rnd.choice((1, 3, 5, 7, 2**29 - 1)), wire, value)  # renumbered
        elif op == 4 and isinstance(value, bytes):
            fields[at] = (number, wire, value[: rnd.randrange(len(value) + 1)])
        else:
            fields[at] = (number, 2, dumps(_any_type(rnd)))
    node = b"".join(_field(n, w, v) for n, w, v in fields)
    data = _field(1, rnd.choice((2, 2, 2, 0, 1, 5)), node)
    op = rnd.randrange(4)
    if op == 0:  # a length that lies: past the end, or overlong
        data = _varint(1 << 3 | 2) + _varint(len(node) + rnd.choice((1, 1000, 2**40))) + node
    elif op == 1:
        data = _varint(1 << 3 | 2) + b"\xff" * rnd.randint(9, 12) + b"\x01" + node  # overlong varint
    elif op == 2:
        data = data * rnd.randint(2, 4) + _encode([(1, 2, b"")])
    _write_savedmodel(out, data)
    return out


def _h5_value(rnd: random.Random, good: bytes) -> Any:
    import h5py
    import numpy as np

    vlen = h5py.string_dtype()
    other = dumps(_any_type(rnd))
    return rnd.choice([
        np.int32(1), np.array([1, 2, 3]), np.array([[good]]), h5py.Empty("S10"), np.bool_(True),
        np.array([good.decode("utf-8", "replace")], dtype=vlen), np.array(other.decode(), dtype=vlen),
        np.bytes_(other), other.decode(), np.array([1.5]), np.void(b"\x00\x01"),
        np.array([(1, 2.0)], dtype=[("a", "i4"), ("b", "f8")]),
    ])


def mutate_hdf5(seed: Seed, rnd: random.Random, out: Path) -> Path:
    """The .h5 with its attributes of other HDF5 types, or holding JSON of other types."""
    import h5py

    shutil.copyfile(seed.path, out)
    with h5py.File(out, "r+") as handle:
        for key in ("model_config", "training_config"):
            if rnd.random() < 0.5:
                good = dumps(seed.model if key == "model_config" else seed.training or {})
                _set_attribute(handle.attrs, key, _h5_value(rnd, good))
    return out


# -- sources and notebooks -----------------------------------------------------------------------
@dataclass(frozen=True)
class SourceSeed:
    name: str
    text: str


def load_source_seeds() -> list[SourceSeed]:
    """The project's own source fixtures (tests/data/source)."""
    return [SourceSeed(p.name, p.read_text()) for p in sorted((HERE / "data" / "source").glob("*.py"))]


def _names(text: str) -> list[str]:
    import re

    return sorted(set(re.findall(r"^([A-Za-z_]\w*)\s*=", text, re.M))) or ["x"]


def grow_source(text: str, rnd: random.Random) -> str:
    """Statements repeated (up to thousands of times), doubling statements on the file's names,
    odd lines (parser warnings, huge literals), lines deleted."""
    lines = text.splitlines()
    names = _names(text)
    for _ in range(rnd.randint(1, 4)):
        op = rnd.randrange(5)
        at = rnd.randrange(len(lines) + 1)
        if op == 0 and lines:
            line = rnd.choice([ln for ln in lines if not ln.startswith((" ", "\t"))] or lines)
            lines[at:at] = [line] * rnd.choice((2, 10, 100, 1000, 5000))
        elif op == 1:
            statement = rnd.choice(DOUBLINGS).format(x=rnd.choice(names))
            lines[at:at] = [statement] * rnd.choice((1, 20, 40, 64))
        elif op == 2:
            lines.insert(at, rnd.choice(ODD_LINES))
        elif op == 3 and lines:
            del lines[rnd.randrange(len(lines))]
        else:
            lines.insert(at, f"{rnd.choice(names)} = {json.dumps(rnd.choice(INTERESTING))}")
    return "\n".join(lines) + "\n"


def write_source_case(seed: SourceSeed, rnd: random.Random, directory: Path) -> Path:
    """A grown source, or (half the time) a notebook of it with JSON of other types inside."""
    text = grow_source(seed.text, rnd)
    if rnd.random() < 0.5:
        out = directory / "case.py"
        out.write_text(text, encoding="utf-8", errors="surrogatepass")
        return out
    out = directory / "case.ipynb"
    out.write_bytes(dumps(_notebook(text, rnd)))
    return out


def _notebook(text: str, rnd: random.Random) -> Any:
    lines = text.splitlines(keepends=True)
    cut = sorted(rnd.sample(range(len(lines) + 1), min(3, len(lines) + 1)))
    parts = [lines[a:b] for a, b in zip([0, *cut], [*cut, len(lines)]) if lines[a:b]]
    cells: list[Any] = [{"cell_type": "code", "source": p if rnd.random() < 0.5 else "".join(p),
                         "metadata": {}, "outputs": [], "execution_count": None} for p in parts]
    notebook: Any = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    for _ in range(rnd.randint(0, 3)):
        op = rnd.randrange(6)
        dicts = [c for c in cells if isinstance(c, dict) and "source" in c]
        cell = rnd.choice(dicts) if dicts else {"source": ""}
        if op == 0:
            source = cell["source"]
            if isinstance(source, list) and source:
                source[rnd.randrange(len(source))] = _any_type(rnd)
            else:
                cell["source"] = _any_type(rnd)
        elif op == 1:
            cell["cell_type"] = _any_type(rnd)
        elif op == 2 and cells:
            cells[rnd.randrange(len(cells))] = _any_type(rnd)
        elif op == 3 and isinstance(notebook, dict):
            notebook["cells"] = _any_type(rnd)
        elif op == 4:
            notebook = {"worksheets": rnd.choice(([{"cells": cells}], [_any_type(rnd)], _any_type(rnd))),
                        "nbformat": 3}
        else:
            notebook = mutate_json(notebook, rnd)
    return notebook


def write_structure_case(seed: Seed, rnd: random.Random, directory: Path, mode: str) -> Path:
    """One structure-aware case of a model seed (the mode must fit: hdf5 needs an .h5 seed)."""
    suffix = {"keras": ".keras", "h5": ".h5", "savedmodel": ""}[seed.kind]
    out = directory / f"case-{mode}-{seed.kind}{suffix if mode != 'protobuf' else ''}"
    if out.is_dir():
        shutil.rmtree(out)
    elif out.exists():
        out.unlink()
    if mode == "protobuf":
        return mutate_protobuf(seed, rnd, out)
    if mode == "hdf5" and seed.kind == "h5":
        return mutate_hdf5(seed, rnd, out)
    return mutate_types(seed, rnd, out)
