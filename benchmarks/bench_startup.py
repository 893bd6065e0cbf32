"""Benchmark: the whole process of `keras-headcheck check` on one small file, against
`python -c pass` and `python -m pyflakes` on the same script, in the same run.

    python benchmarks/bench_startup.py [--runs N]

A pre-commit hook and an editor run the linter on every commit and every save, so what counts is
the wall time of one process, start-up and imports included. Four commands take turns (so load
on the machine hits all alike), --runs (40) times each after a warm-up; the median of each and its
ratio to `python -c pass` are printed, for wall time and for CPU time (user + system: steadier
when other work shares the machine):

    python -c pass
    python -m pyflakes train.py
    python -m keras_headcheck check train.py         (a training script)
    python -m keras_headcheck check model.keras      (a saved model, the default full format)
    python -m keras_headcheck check --output-format json model.keras

Target (issue 12): keras-headcheck within 3x `python -c pass` for one small file. The .keras file
is written by zipping a small config by hand (no Keras import here). This is a benchmark, not a
test: the numbers depend on the machine and on what else runs on it. Needs pyflakes.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile

SCRIPT = """import keras
from keras import layers

model = keras.Sequential([keras.Input((4,)), layers.Dense(8, activation="relu"),
                          layers.Dense(1, activation="softmax")])
model.compile(optimizer="adam", loss="mse")
"""


def dense(name: str, units: int, activation: str) -> dict:
    return {"module": "keras.layers", "class_name": "Dense", "registered_name": None,
            "config": {"name": name, "units": units, "activation": activation, "dtype": "float32"}}


def write_keras(path: str) -> None:
    """A minimal Keras 3 `.keras` file: config.json + metadata.json in a zip (data, not code)."""
    config = {
        "module": "keras", "class_name": "Sequential", "registered_name": None,
        "config": {"name": "sequential", "layers": [
            {"module": "keras.layers", "class_name": "InputLayer", "registered_name": None,
             "config": {"batch_shape": [None, 4], "dtype": "float32", "name": "input_layer"}},
            dense("dense", 8, "relu"), dense("dense_1", 1, "softmax"),
        ]},
        "compile_config": {"optimizer": "adam", "loss": "mse", "metrics": None,
                           "loss_weights": None, "weighted_metrics": None},
    }
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("config.json", json.dumps(config))
        archive.writestr("metadata.json", json.dumps({"keras_version": "3.15.1"}))


def commands(root: str) -> dict[str, list[str]]:
    py = sys.executable
    script, model = os.path.join(root, "train.py"), os.path.join(root, "model.keras")
    check = [py, "-m", "keras_headcheck", "check", "--isolated"]
    return {
        "python -c pass": [py, "-c", "pass"],
        "pyflakes train.py": [py, "-m", "pyflakes", script],
        "check train.py": [*check, script],
        "check model.keras": [*check, model],
        "check --output-format json model.keras": [*check, "--output-format", "json", model],
    }


# As installed: `pip install` compiles .pyc files, so the children may write and use them (the
# warm-up run writes them) even where the environment says PYTHONDONTWRITEBYTECODE.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def time_once(command: list[str], cwd: str) -> tuple[float, float]:
    """(wall, CPU) seconds of one whole process; CPU time is the steadier on a busy machine."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env=ENV, check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as root:
        with open(os.path.join(root, "train.py"), "w") as handle:
            handle.write(SCRIPT)
        write_keras(os.path.join(root, "model.keras"))
        todo = commands(root)
        for command in todo.values():  # warm-up: the file cache and .pyc files
            time_once(command, root)
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in todo}
        for _ in range(args.runs):
            for name, command in todo.items():
                times[name].append(time_once(command, root))
    wall = {name: statistics.median(t[0] for t in values) for name, values in times.items()}
    cpu = {name: statistics.median(t[1] for t in values) for name, values in times.items()}
    base_wall, base_cpu = wall["python -c pass"], cpu["python -c pass"]
    print(f"median of {args.runs} runs each, taking turns (Python {sys.version.split()[0]}, "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f})")
    print(f"  {'command':<40} {'wall':>9} {'ratio':>6}  {'CPU':>9} {'ratio':>6}")
    for name in todo:
        print(f"  {name:<40} {wall[name] * 1000:6.1f} ms {wall[name] / base_wall:5.2f}x"
              f"  {cpu[name] * 1000:6.1f} ms {cpu[name] / base_cpu:5.2f}x")


if __name__ == "__main__":
    main()
