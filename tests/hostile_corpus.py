"""A corpus of hostile model files, generated here (no downloaded payloads).

Each file carries one of the payload shapes that made `keras.models.load_model` run code from a
crafted file: Lambda bytecode (CVE-2024-3660, CVE-2025-9905 for `.h5`), a `module`/`class_name`
naming `os`/`builtins`/`subprocess` (CVE-2025-1550), Keras API gadgets reached through a Lambda
(`keras.utils.get_file`, `keras.config.enable_unsafe_deserialization`: CVE-2025-8747,
CVE-2025-9906), `TFSMLayer` loading an attacker's SavedModel (CVE-2026-1462) and
`TorchModuleWrapper` holding a pickle. Every payload creates a marker file `PWNED-<kind>` if it
ever runs, so a test can check that linting never runs one.

Two halves:
- `python tests/hostile_corpus.py OUTDIR` builds the real base models with Keras 3 and Keras 2
  (tf_keras) in that (sub)process: a two-output model whose output `a` ends in a Lambda with real
  marshalled bytecode and whose output `b` is a one-unit softmax (HC101), plus a few other
  shapes used as fuzzing seeds. Importing this module imports no Keras.
- `make_corpus(bases, out)` rewrites the bases' config.json / HDF5 attributes /
  keras_metadata.pb to inject each payload, with zipfile, h5py and a protobuf writer.
"""

from __future__ import annotations

import base64
import copy
import json
import os
import pickle
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Optional

HERE = Path(__file__).resolve().parent
QUIET = {"TF_CPP_MIN_LOG_LEVEL": "3", "PYTHONWARNINGS": "ignore", "KERAS_BACKEND": "tensorflow"}
MARKER_PREFIX = "PWNED-"
BUILD_TIMEOUT = 600

# The base files the builder writes (name -> what it is).
BASES = {
    "k3.keras": "Keras 3, functional, outputs a (Lambda with bytecode) and b (1-unit softmax)",
    "k3.h5": "the same, Keras 3 legacy HDF5",
    "k2.h5": "the same built with Keras 2 (tf_keras), HDF5",
    "k2_savedmodel": "the same built with Keras 2, SavedModel directory",
    "k3_seq.keras": "Keras 3 Sequential with a nested Sequential, Dropout and an Activation head",
    "k3_wrappers.keras": "Keras 3 TimeDistributed / Bidirectional / channels_first Conv heads",
    "k2_seq.h5": "Keras 2 Sequential with a tf.nn.softmax (TFOpLambda) head",
}
HOSTILE_BASES = ("k3.keras", "k3.h5", "k2.h5", "k2_savedmodel")
FUZZ_SEEDS = ("k3.keras", "k3.h5", "k2.h5", "k2_savedmodel", "k3_seq.keras", "k3_wrappers.keras", "k2_seq.h5")


# -- building the bases (runs with Keras imported, in its own process) ------------------------------
def _marker_lambda(marker: str) -> str:
    # Source of a lambda that creates `marker`: Keras marshals its bytecode into the config.
    return f"lambda t: (__import__('pathlib').Path({marker!r}).write_text('pwned'), t)[1]"


def _two_outputs(lib: Any, marker: str) -> Any:
    layers = lib.layers
    inp = lib.Input(shape=(4,), name="x")
    hidden = layers.Dense(8, activation="relu", name="hidden")(inp)
    a = layers.Dense(3, activation="softmax", name="a_dense")(hidden)
    a = layers.Lambda(eval(_marker_lambda(marker)), name="a")(a)
    b = layers.Dense(1, activation="softmax", name="b")(hidden)
    model = lib.Model(inp, {"a": a, "b": b} if lib.__name__ == "keras" else [a, b])
    loss = {"a": "categorical_crossentropy", "b": "binary_crossentropy"}
    model.compile(optimizer="adam", loss=loss if lib.__name__ == "keras" else list(loss.values()))
    return model


def _build(out: Path) -> None:
    import keras
    import tensorflow as tf

    marker = str(out / (MARKER_PREFIX + "lambda"))
    model = _two_outputs(keras, marker)
    model.save(out / "k3.keras")
    model.save(out / "k3.h5")

    inner = keras.Sequential([keras.Input(shape=(6,)), keras.layers.Dense(5, activation="relu")], name="inner")
    seq = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(6, name="d0"), inner,
                            keras.layers.Dropout(0.2), keras.layers.Dense(3, name="logits"),
                            keras.layers.Activation("softmax", name="probs")], name="seq")
    seq.compile(loss=keras.losses.CategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
    seq.save(out / "k3_seq.keras")

    inp = keras.Input(shape=(5, 4), name="seqin")
    td = keras.layers.TimeDistributed(keras.layers.Dense(2, activation="softmax"), name="td")(inp)
    bi = keras.layers.Bidirectional(keras.layers.LSTM(3), name="bi")(inp)
    img = keras.Input(shape=(3, 8, 8), name="img")
    conv = keras.layers.Conv2D(4, 3, data_format="channels_first", name="conv")(img)
    soft = keras.layers.Softmax(axis=1, name="conv_softmax")(conv)
    wrappers = keras.Model([inp, img], {"td": td, "bi": bi, "conv": soft})
    wrappers.compile(loss={"td": "sparse_categorical_crossentropy", "bi": "mse", "conv": "binary_crossentropy"},
                     metrics={"td": ["accuracy"], "bi": ["mae"], "conv": [keras.metrics.AUC()]})
    wrappers.save(out / "k3_wrappers.keras")

    class Evil(tf.Module):  # the attacker's SavedModel a TFSMLayer would load and call
        @tf.function(input_signature=[tf.TensorSpec([None, 3], tf.float32)])
        def serve(self, x: Any) -> Any:
            tf.io.write_file(str(out / (MARKER_PREFIX + "tfsm")), "pwned")
            return x

    evil = Evil()
    tf.saved_model.save(evil, str(out / "evil_tfsm"), signatures={"serve": evil.serve})

    import tf_keras

    model2 = _two_outputs(tf_keras, marker)
    model2.save(out / "k2.h5")
    model2.save(out / "k2_savedmodel", save_format="tf")
    seq2 = tf_keras.Sequential([tf_keras.Input(shape=(4,)), tf_keras.layers.Dense(3, name="logits")])
    out2 = tf.nn.softmax(seq2.output)
    seq2 = tf_keras.Model(seq2.input, out2)
    seq2.compile(loss="categorical_crossentropy", metrics=["accuracy"])
    seq2.save(out / "k2_seq.h5")
    Path(marker).unlink(missing_ok=True)  # building the model called the Lambda


_BUILT: dict[str, Path] = {}


def build_bases(root: Path) -> Path:
    """Build the base files under root/bases once per process (a subprocess imports Keras)."""
    if "bases" in _BUILT:
        return _BUILT["bases"]
    out = root / "bases"
    out.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, **QUIET, "PYTHONDONTWRITEBYTECODE": "1"}
    proc = subprocess.run([sys.executable, str(Path(__file__)), str(out)], env=env,
                          capture_output=True, text=True, timeout=BUILD_TIMEOUT)
    if proc.returncode != 0:
        raise RuntimeError(f"building the hostile corpus bases failed:\n{proc.stderr[-3000:]}")
    leftovers = list(out.glob(MARKER_PREFIX + "*"))
    if leftovers:
        raise RuntimeError(f"markers left after building: {leftovers}")
    _BUILT["bases"] = out
    return out


# -- reading and writing configs of each container (no Keras) ----------------------------------------
def read_keras_config(path: Path) -> dict[str, Any]:
    with zipfile.ZipFile(path) as archive:
        return json.loads(archive.read("config.json"))


def write_keras(base: Path, out: Path, config: Any = None, raw: Optional[bytes] = None,
                extra: Optional[dict[str, bytes]] = None) -> None:
    """Copy the .keras zip at `base` to `out` with config.json replaced (and extra members)."""
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "config.json":
                data = raw if raw is not None else json.dumps(config).encode()
            dst.writestr(item.filename, data)
        for name, data in (extra or {}).items():
            dst.writestr(name, data)


def read_h5_configs(path: Path) -> tuple[Any, Any]:
    import h5py

    with h5py.File(path, "r") as handle:
        model = json.loads(handle.attrs["model_config"])
        training = handle.attrs.get("training_config")
        return model, json.loads(training) if training is not None else None


def write_h5(base: Path, out: Path, model: Any, training: Any = None, raw: Optional[dict[str, Any]] = None) -> None:
    """Copy the .h5 at `base` to `out` with its JSON attributes replaced (h5py, in place)."""
    import h5py

    shutil.copyfile(base, out)
    with h5py.File(out, "r+") as handle:
        handle.attrs["model_config"] = json.dumps(model).encode()
        if training is not None:
            handle.attrs["training_config"] = json.dumps(training).encode()
        for key, value in (raw or {}).items():
            handle.attrs[key] = value


# The protobuf of keras_metadata.pb: SavedMetadata{nodes = 1: SavedObject{node_path = 3, metadata = 5}}.
def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def _fields(data: bytes) -> Iterator[tuple[int, int, Any]]:
    from keras_headcheck.readers.protobuf import iter_fields

    for number, value in iter_fields(data):
        yield number, (0 if isinstance(value, int) else 2), value


def _encode(fields: list[tuple[int, int, Any]]) -> bytes:
    out = bytearray()
    for number, wire, value in fields:
        out += _varint(number << 3 | wire)
        out += _varint(value) if wire == 0 else _varint(len(value)) + value
    return bytes(out)


def read_savedmodel_root(path: Path) -> dict[str, Any]:
    data = (path / "keras_metadata.pb").read_bytes()
    for number, _, node in _fields(data):
        fields = {n: v for n, _, v in _fields(node)}
        if number == 1 and fields.get(3) == b"root":
            return json.loads(fields[5])
    raise ValueError("no root node")


def write_savedmodel(base: Path, out: Path, root: Any) -> None:
    """Copy the SavedModel directory with the root object's metadata JSON replaced."""
    shutil.copytree(base, out)
    data = (base / "keras_metadata.pb").read_bytes()
    nodes = []
    for number, wire, node in _fields(data):
        if number == 1:
            fields = list(_fields(node))
            if any(n == 3 and v == b"root" for n, _, v in fields):
                fields = [(n, w, json.dumps(root).encode() if n == 5 else v) for n, w, v in fields]
            node = _encode(fields)
        nodes.append((number, wire, node))
    (out / "keras_metadata.pb").write_bytes(_encode(nodes))


# -- the payloads ---------------------------------------------------------------------------------
class _OpenForWriting:
    """Unpickling this calls open(marker, "w"): the file appears if the pickle is ever loaded."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, ...]:
        return (open, (self.marker, "w"))


def _gadget(module: str, name: str, config: Any = None) -> dict[str, Any]:
    return {"module": module, "class_name": name, "config": config if config is not None else {},
            "registered_name": name}


def _lambda_calling(module: str, function: str, arguments: dict[str, Any]) -> dict[str, Any]:
    """A Lambda whose function is a named Keras API function (no bytecode: passes safe_mode)."""
    return {"module": "keras.layers", "class_name": "Lambda", "registered_name": None,
            "config": {"function": {"module": module, "class_name": "function", "config": function,
                                    "registered_name": "function"},
                       "arguments": arguments, "output_shape": None}}


def payload_layer(kind: str, marker_dir: Path, evil_tfsm: Path) -> dict[str, Any]:
    """The layer entry (module/class_name/config) that replaces output a's Lambda for `kind`."""
    marker = str(marker_dir / (MARKER_PREFIX + kind))
    if kind == "os-system":
        return _gadget("os", "system", {"command": f"touch {marker}"})
    if kind == "builtins-exec":
        return _gadget("builtins", "exec", {"source": f"open({marker!r}, 'w')"})
    if kind == "subprocess-popen":
        return _gadget("subprocess", "Popen", {"args": ["touch", marker]})
    if kind == "get-file":
        source = marker_dir / "get_file_source.txt"
        return _lambda_calling("keras.utils", "get_file", {
            "fname": MARKER_PREFIX + kind, "origin": source.as_uri(), "cache_dir": str(marker_dir),
            "cache_subdir": "."})
    if kind == "tfsm":
        return {"module": "keras.layers", "class_name": "TFSMLayer", "registered_name": None,
                "config": {"filepath": str(evil_tfsm), "call_endpoint": "serve", "trainable": False}}
    if kind == "torch-pickle":
        blob = base64.b64encode(pickle.dumps(_OpenForWriting(marker))).decode()
        return {"module": "keras.layers", "class_name": "TorchModuleWrapper", "registered_name": None,
                "config": {"module": blob, "output_shape": None}}
    if kind == "custom-object":
        return {"module": "evil_package.layers", "class_name": "Backdoor",
                "registered_name": "Custom>Backdoor", "config": {"marker": marker}}
    raise ValueError(kind)


REPLACING_KINDS = ("os-system", "builtins-exec", "subprocess-popen", "get-file", "tfsm",
                   "torch-pickle", "custom-object")
# Kinds that change more than output a's layer; "lambda" is the base itself (real bytecode).
KINDS = ("lambda", *REPLACING_KINDS, "enable-unsafe", "activation-gadget", "gadgets-everywhere")


def _layers(model: dict[str, Any]) -> list[dict[str, Any]]:
    return model["config"]["layers"]


def _layer(model: dict[str, Any], name: str) -> dict[str, Any]:
    for entry in _layers(model):
        if entry.get("name", entry.get("config", {}).get("name")) == name:
            return entry
    raise KeyError(name)


def _replace_strings(value: Any, old: str, new: str) -> Any:
    if isinstance(value, str):
        return new if value == old else value
    if isinstance(value, list):
        return [_replace_strings(v, old, new) for v in value]
    if isinstance(value, dict):
        return {k: _replace_strings(v, old, new) for k, v in value.items()}
    return value


def inject(kind: str, model: dict[str, Any], training: Optional[dict[str, Any]], marker_dir: Path,
           evil_tfsm: Path) -> tuple[dict[str, Any], Optional[dict[str, Any]]]:
    """The model and training configs with the payload of `kind` injected."""
    model, training = copy.deepcopy(model), copy.deepcopy(training)
    marker = str(marker_dir / (MARKER_PREFIX + kind))
    a = _layer(model, "a")
    if kind in REPLACING_KINDS:
        payload = payload_layer(kind, marker_dir, evil_tfsm)
        a.update(payload)
        a["config"] = {"name": "a", **payload["config"]} if isinstance(payload["config"], dict) else payload["config"]
        if "module" not in payload:
            a.pop("module", None)
    elif kind == "enable-unsafe":  # a_dense -> Lambda(enable_unsafe_deserialization) -> a (bytecode)
        gadget = copy.deepcopy(_layer(model, "a_dense"))
        gadget.update(_lambda_calling("keras.config", "enable_unsafe_deserialization", {}))
        gadget["name"] = gadget["config"]["name"] = "a_gadget"
        gadget.pop("build_config", None)
        _layers(model).insert(_layers(model).index(a), gadget)
        a["inbound_nodes"] = _replace_strings(a["inbound_nodes"], "a_dense", "a_gadget")
    elif kind == "activation-gadget":  # output a: Dense whose activation is os.system
        dense = _layer(model, "a_dense")
        dense["config"]["activation"] = _gadget("os", "system", {"command": f"touch {marker}"})
        _layers(model).remove(a)
        _rename_output(model, "a", "a_dense")
    elif kind == "gadgets-everywhere":  # keep the Lambda, and put gadgets in every other object slot
        gadget = _gadget("subprocess", "Popen", {"args": ["touch", marker]})
        _layer(model, "hidden")["config"]["kernel_initializer"] = gadget
        _layer(model, "b")["config"]["bias_regularizer"] = gadget
        _layer(model, "b")["config"]["kernel_constraint"] = _gadget("builtins", "eval", {"source": "1"})
        if training is not None:
            loss = training.get("loss")
            gadget_loss = {"module": "builtins", "class_name": "function", "config": "exec",
                           "registered_name": "function"}
            training["loss"] = {**loss, "a": gadget_loss} if isinstance(loss, dict) else [gadget_loss, loss[1]]
            training["metrics"] = [[_gadget("os", "system", {"command": f"touch {marker}"})], []]
            training["optimizer_config"] = gadget
            training["optimizer"] = gadget
    elif kind != "lambda":
        raise ValueError(kind)
    return model, training


def _rename_output(model: dict[str, Any], old: str, new: str) -> None:
    outputs = model["config"]["output_layers"]
    model["config"]["output_layers"] = _replace_strings(outputs, old, new)


@dataclass(frozen=True)
class HostileFile:
    path: Path
    kind: str
    base: str
    # Expected findings: output name -> codes; outputs are named after the layer in Keras 2.
    expect: dict[str, set[str]]


def _expected(kind: str, base: str) -> dict[str, set[str]]:
    keras2 = base.startswith("k2")
    out_a = "a_dense" if kind == "activation-gadget" and keras2 else "a"
    a_codes = {"HC901"}
    if kind == "gadgets-everywhere":
        a_codes.add("HC902")
    return {out_a: a_codes, "b": {"HC101"}}


def _model_and_training(base: Path) -> tuple[dict[str, Any], Optional[dict[str, Any]], str]:
    if base.suffix == ".keras":
        config = read_keras_config(base)
        return config, config.get("compile_config"), "keras"
    if base.suffix == ".h5":
        model, training = read_h5_configs(base)
        return model, training, "h5"
    root = read_savedmodel_root(base)
    return root, root.get("training_config"), "savedmodel"


def make_corpus(bases: Path, out: Path) -> list[HostileFile]:
    """Write every payload kind into every hostile base; out/ also holds where markers would go."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "get_file_source.txt").write_text("pwned")
    files = []
    for base_name in HOSTILE_BASES:
        base = bases / base_name
        model, training, fmt = _model_and_training(base)
        for kind in KINDS:
            stem = base_name.replace(".", "_")
            target = out / (f"{kind}-{stem}" + {"keras": ".keras", "h5": ".h5", "savedmodel": ""}[fmt])
            if fmt == "savedmodel":
                root = model
                config = {"class_name": root["class_name"], "config": root["config"]}
                new_model, new_training = inject(kind, config, training, out, bases / "evil_tfsm")
                write_savedmodel(base, target, {**root, "config": new_model["config"],
                                                "training_config": new_training})
            else:
                new_model, new_training = inject(kind, model, training, out, bases / "evil_tfsm")
                if fmt == "keras":
                    write_keras(base, target, {**new_model, "compile_config": new_training})
                else:
                    write_h5(base, target, new_model, new_training)
            files.append(HostileFile(target, kind, base_name, _expected(kind, base_name)))
    return files


def markers(directory: Path) -> list[Path]:
    return sorted(directory.rglob(MARKER_PREFIX + "*"))


if __name__ == "__main__":
    _build(Path(sys.argv[1]).resolve())


# -- running the linter in a subprocess, measured ---------------------------------------------------
_MEASURED = r"""
import atexit, resource, runpy, sys
def _report():
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the process that exec'd us.
    try:
        with open("/proc/self/status") as status:
            usage = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    except OSError:  # not Linux: not measured
        usage = -1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    sys.stdout.write(f"\n@@MAXRSS {usage} {children}\n")
    sys.stdout.flush()
atexit.register(_report)
sys.argv = ["keras-headcheck", *sys.argv[1:]]
runpy.run_module("keras_headcheck", run_name="__main__")
"""


@dataclass(frozen=True)
class Run:
    code: int
    stdout: str
    stderr_lines: list[str]
    maxrss_mib: float  # peak resident memory of the linter process (-1: not measured here)
    children_maxrss_mib: float  # of its largest child (the HDF5 reader)
    seconds: float


def run_linter(*args: str, env: Optional[dict[str, str]] = None, timeout: float = 120) -> Run:
    """`keras-headcheck ARGS` in a fresh interpreter, with its peak memory (Linux: KiB -> MiB)."""
    import time

    started = time.monotonic()
    proc = subprocess.run([sys.executable, "-c", _MEASURED, *args], capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, **(env or {})}, cwd=HERE.parent)
    seconds = time.monotonic() - started
    stdout, _, measured = proc.stdout.rpartition("\n@@MAXRSS ")
    usage, children = (int(v) / 1024 for v in measured.split())
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    return Run(proc.returncode, stdout, lines, usage, children, seconds)
