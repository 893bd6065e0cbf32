"""Benchmark: one file against `keras.models.load_model`, 1,000 files in one run, and huge configs.

    python benchmarks/bench_many.py [--runs N] [--models N] [--layers 1000,10000,100000]
                                    [--skip-load-model] [--keep DIR]

1. One small saved model (an MLP classifier written by `model.save`): `keras-headcheck check FILE`
   against `python -c "keras.models.load_model(FILE)"`, whole processes (start-up and imports
   included, as CI runs them); median wall time of --runs runs after one warm-up each; the ratio.
2. --models (1,000) saved models in one `keras-headcheck check DIR` run (default --jobs, --jobs 1).
   The files are copies of the saved one with config.json rewritten (head width, activation, loss
   and layer names vary), so they are real `.keras` zips with real weights, made in a second.
   Target: under 10 s on 2 cores.
3. Synthetic `.keras` files whose config.json holds a Sequential or a Functional model of 1k, 10k
   and 100k layers (written directly, no Keras), linted in this process: time and time per layer.
   Linear means the time per layer stays flat as the layer count grows 10x ("exponent" ~1.0;
   2.0 would be quadratic). The Functional model is also written with its layers listed in
   reverse order, which a resolver that retries pending layers pass after pass makes quadratic.

This is a benchmark, not a test: numbers depend on the machine and on what else runs on it.
Needs keras (the test extra) for step 1 and to write the template model; nothing is downloaded.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from typing import Any, Callable, Optional

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MANY_TARGET_SECONDS = 10.0
# The synthetic configs go past the reader's default bounds on purpose (readers/limits.py).
BIG_LIMITS = {"KERAS_HEADCHECK_MAX_LAYERS": "1000000", "KERAS_HEADCHECK_MAX_CONFIG_BYTES": "1G"}

SAVE_TEMPLATE = r"""
import sys, keras
from keras import layers
model = keras.Sequential([keras.Input(shape=(16,)), layers.Dense(32, activation="relu"),
                          layers.Dense(32, activation="relu"),
                          layers.Dense(10, activation="softmax", name="head")])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.save(sys.argv[1])
"""
LOAD_MODEL = "import sys, keras; keras.models.load_model(sys.argv[1])"


def env(**extra: str) -> dict[str, str]:
    result = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", KERAS_BACKEND="tensorflow", **extra)
    result["PYTHONPATH"] = os.pathsep.join(filter(None, [REPO, os.environ.get("PYTHONPATH")]))
    return result


def headcheck(*args: str) -> list[str]:
    return [sys.executable, "-m", "keras_headcheck", "check", *args, "--isolated"]


def timed(command: list[str], expect: tuple[int, ...] = (0, 1)) -> float:
    start = time.perf_counter()
    proc = subprocess.run(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env(), cwd=REPO
    )
    seconds = time.perf_counter() - start
    if proc.returncode not in expect:
        sys.exit(
            f"{' '.join(command[:6])}... failed ({proc.returncode}):\n"
            f"{proc.stderr.decode(errors='replace')[-2000:]}"
        )
    return seconds


def median_of(runs: int, command: list[str]) -> float:
    timed(command)  # warm-up: page cache, bytecode
    return statistics.median(timed(command) for _ in range(runs))


# -- step 2: many real .keras files from one template ------------------------------------------

HEADS = [
    (10, "softmax", "sparse_categorical_crossentropy"),
    (1, "softmax", "mse"),
    (1, "sigmoid", "binary_crossentropy"),
    (5, "sigmoid", "categorical_crossentropy"),
    (10, "linear", "categorical_crossentropy"),
    (3, "softmax", "binary_crossentropy"),
    (1, "linear", "mse"),
    (4, "softmax", "kl_divergence"),
]


def variant(config: dict[str, Any], index: int) -> dict[str, Any]:
    """The template's config with another head (width, activation, loss) and new layer names."""
    config = json.loads(json.dumps(config))
    units, activation, loss = HEADS[index % len(HEADS)]
    layers = config["config"]["layers"]
    head = layers[-1]["config"]
    head.update(units=units, activation=activation, name=f"head_{index}")
    for number, layer in enumerate(layers[1:-1]):
        layer["config"]["name"] = f"dense_{index}_{number}"
    config["compile_config"]["loss"] = loss
    return config


def write_variants(template: str, directory: str, count: int) -> None:
    with zipfile.ZipFile(template) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    config = json.loads(members["config.json"])
    for index in range(count):
        subdir = os.path.join(directory, f"team{index % 10}")
        os.makedirs(subdir, exist_ok=True)
        members["config.json"] = json.dumps(variant(config, index)).encode()
        with zipfile.ZipFile(os.path.join(subdir, f"model_{index:04d}.keras"), "w") as out:
            for name, data in members.items():
                out.writestr(name, data)


# -- step 3: huge synthetic configs ------------------------------------------------------------


def _dense(name: str, activation: str = "relu", units: int = 8) -> dict[str, Any]:
    return {
        "module": "keras.layers",
        "class_name": "Dense",
        "registered_name": None,
        "config": {"name": name, "units": units, "activation": activation},
    }


def sequential(n: int) -> dict[str, Any]:
    layers = [{"class_name": "InputLayer", "config": {"batch_shape": [None, 8], "name": "in"}}]
    layers += [_dense(f"dense_{i}") for i in range(n - 2)] + [_dense("head", "softmax", 1)]
    return {
        "class_name": "Sequential",
        "config": {"name": "deep", "layers": layers},
        "compile_config": {"loss": "mse"},
    }


def functional(n: int, reverse: bool = False) -> dict[str, Any]:
    def called_on(source: str) -> list[dict[str, Any]]:
        tensor = {
            "class_name": "__keras_tensor__",
            "config": {"shape": [None, 8], "dtype": "float32", "keras_history": [source, 0, 0]},
        }
        return [{"args": [tensor], "kwargs": {}}]

    layers = [
        {
            "class_name": "InputLayer",
            "name": "in",
            "inbound_nodes": [],
            "config": {"batch_shape": [None, 8], "name": "in"},
        }
    ]
    previous = "in"
    for i in range(n - 1):
        name = f"dense_{i}" if i < n - 2 else "head"
        layer = _dense(name, "relu" if i < n - 2 else "softmax", 8 if i < n - 2 else 1)
        layers.append({**layer, "name": name, "inbound_nodes": called_on(previous)})
        previous = name
    if reverse:
        layers = layers[:1] + layers[:0:-1]
    return {
        "class_name": "Functional",
        "config": {
            "name": "deep",
            "layers": layers,
            "input_layers": [["in", 0, 0]],
            "output_layers": [["head", 0, 0]],
        },
        "compile_config": {"loss": "mse"},
    }


SHAPES: dict[str, Callable[[int], dict[str, Any]]] = {
    "Sequential": sequential,
    "Functional": functional,
    "Functional, layers reversed": lambda n: functional(n, reverse=True),
}


def lint_seconds(path: str, repeat: int) -> tuple[float, Optional[str]]:
    from keras_headcheck.lint import lint_path
    from keras_headcheck.rules import RULES

    best, error = math.inf, None
    for _ in range(repeat):
        start = time.perf_counter()
        result = lint_path(path, list(RULES.values()))
        best = min(best, time.perf_counter() - start)
        error = result.error
    return best, error


def scaling(directory: str, sizes: list[int]) -> list[tuple[str, int, float, str]]:
    os.environ.update(BIG_LIMITS)
    rows = []
    for shape, build in SHAPES.items():
        previous: Optional[tuple[int, float]] = None
        for n in sizes:
            if previous and previous[1] * (n / previous[0]) ** 2 > 600:
                rows.append((shape, n, math.nan, "skipped: could take over 10 minutes"))
                continue
            path = os.path.join(directory, f"{shape.split(',')[0]}_{n}.keras")
            with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
                archive.writestr("config.json", json.dumps(build(n)))
            seconds, error = lint_seconds(path, repeat=3 if n <= 10_000 else 1)
            note = error or ""
            if previous:
                exponent = math.log(seconds / previous[1]) / math.log(n / previous[0])
                note = note or f"exponent {exponent:.2f} vs {previous[0]:,} layers"
            rows.append((shape, n, seconds, note))
            previous = (n, seconds)
            os.remove(path)
    return rows


# -- main ---------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--models", type=int, default=1000)
    parser.add_argument("--layers", default="1000,10000,100000")
    parser.add_argument("--skip-load-model", action="store_true")
    parser.add_argument("--keep", help="write the models here and keep them")
    args = parser.parse_args()
    sys.path.insert(0, REPO)
    work = args.keep or tempfile.mkdtemp(prefix="bench-many-")
    os.makedirs(work, exist_ok=True)
    try:
        template = os.path.join(work, "template.keras")
        if not os.path.exists(template):
            saved = subprocess.run(
                [sys.executable, "-c", SAVE_TEMPLATE, template],
                env=env(),
                capture_output=True,
                text=True,
            )
            if saved.returncode != 0:
                sys.exit(f"could not save the template model with keras:\n{saved.stderr[-2000:]}")
        load = f", load average {os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else ""
        print(f"machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}{load}")

        print("\n1. One saved model, whole process (median of %d runs)" % args.runs)
        ours = median_of(args.runs, headcheck(template))
        print(f"   keras-headcheck check        {ours:8.3f} s")
        if not args.skip_load_model:
            theirs = median_of(args.runs, [sys.executable, "-c", LOAD_MODEL, template])
            print(f"   keras.models.load_model      {theirs:8.3f} s")
            print(f"   ratio                        {theirs / ours:8.1f}x faster")

        many = os.path.join(work, "many")
        if not os.path.isdir(many):
            write_variants(template, many, args.models)
        runs = max(1, min(args.runs, 3))
        print(f"\n2. {args.models:,} saved models in one run (median of {runs} runs)")
        for label, extra in (("default --jobs", ()), ("--jobs 1", ("--jobs", "1"))):
            seconds = median_of(runs, headcheck(many, "--output-format", "json", *extra))
            verdict = "ok" if seconds < MANY_TARGET_SECONDS else "OVER TARGET"
            print(
                f"   check DIR, {label:<15} {seconds:8.3f} s   {args.models / seconds:8.0f} "
                f"files/s   target < {MANY_TARGET_SECONDS:.0f} s: {verdict}"
            )

        sizes = [int(n) for n in args.layers.split(",")]
        print("\n3. One config of N layers, lint_path in this process (best of 3; 1 run >10k)")
        print(f"   {'model':<28} {'layers':>8} {'seconds':>9} {'us/layer':>9}  growth")
        for shape, n, seconds, note in scaling(work, sizes):
            per_layer = seconds / n * 1e6
            print(f"   {shape:<28} {n:>8,} {seconds:>9.3f} {per_layer:>9.1f}  {note}")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
