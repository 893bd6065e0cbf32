"""Benchmark: `keras-headcheck check DIR` on 1,000 training scripts, against `python -m pyflakes DIR`.

    python benchmarks/bench_sources.py [--scripts N] [--runs N] [--keep DIR]

Writes --scripts (1,000) Keras training scripts into a temporary directory: argument parsing, data
loading and preprocessing, a model (Sequential lists, `.add`, functional with one or several
outputs, models built by functions, nested models; every import style), compile, callbacks, fit,
evaluation and plots, 100-200 lines each, a third of them with a head mistake. Then times, as whole
processes (start-up and imports included, as pre-commit and CI run them), the median wall time of
--runs runs after one warm-up each, the three commands taking turns:

    keras-headcheck check DIR           (default --jobs: every CPU)
    keras-headcheck check --jobs 1 DIR  (one process, like pyflakes)
    python -m pyflakes DIR

Target: keras-headcheck no slower than pyflakes. This is a benchmark, not a test: numbers depend
on the machine and on what else runs on it. Needs pyflakes (`pip install pyflakes`).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Any, Optional

IMPORTS = [
    (
        "import tensorflow as tf\n",
        "tf.keras.",
        "tf.keras.layers.",
        "tf.keras.losses.",
        "tf.keras.metrics.",
    ),
    (
        "import keras\nfrom keras import layers\n",
        "keras.",
        "layers.",
        "keras.losses.",
        "keras.metrics.",
    ),
    (
        "from tensorflow import keras\nfrom tensorflow.keras import layers\n",
        "keras.",
        "layers.",
        "keras.losses.",
        "keras.metrics.",
    ),
    ("import keras as K\n", "K.", "K.layers.", "K.losses.", "K.metrics."),
]
PREAMBLE = '''"""Training script {index}: {task}."""
import argparse
import json
import os

import numpy as np
import matplotlib.pyplot as plt
{imports}
SEED = {seed}
BATCH_SIZE = {batch}
EPOCHS = {epochs}
LEARNING_RATE = {lr}
NUM_FEATURES = {features}
HIDDEN = [{hidden}]
CLASS_NAMES = [{names}]
NUM_CLASSES = len(CLASS_NAMES)


def parse_args():
    parser = argparse.ArgumentParser(description="{task}")
    parser.add_argument("--data", default="data/train_{index}.npz")
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)
    parser.add_argument("--out", default="runs/{index}")
    return parser.parse_args()


def load_data(path):
    if not os.path.exists(path):
        rng = np.random.default_rng(SEED)
        x = rng.normal(size=(512, NUM_FEATURES)).astype("float32")
        y = rng.integers(0, max(NUM_CLASSES, 2), size=(512,))
        return x, y
    data = np.load(path)
    return data["x"], data["y"]


def standardise(x, eps=1e-7):
    mean = x.mean(axis=0, keepdims=True)
    std = x.std(axis=0, keepdims=True)
    return (x - mean) / (std + eps)


def split(x, y, fraction=0.2):
    n = int(len(x) * (1 - fraction))
    order = np.random.default_rng(SEED).permutation(len(x))
    x, y = x[order], y[order]
    return (x[:n], y[:n]), (x[n:], y[n:])


def plot_history(history, out):
    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    for ax, key in zip(axes, ["loss", "val_loss"]):
        values = history.history.get(key, [])
        ax.plot(range(1, len(values) + 1), values, label=key)
        ax.set_xlabel("epoch")
        ax.legend()
    os.makedirs(out, exist_ok=True)
    fig.savefig(os.path.join(out, "history.png"))
    plt.close(fig)

'''
SEQUENTIAL_LIST = """
def build_model():
    model = {k}Sequential([
        {k}Input(shape=(NUM_FEATURES,)),
{hidden_layers}        {l}Dense({units}, activation="{act}"),
    ])
    return model
"""
SEQUENTIAL_ADD = """
def build_model():
    model = {k}Sequential()
    model.add({l}Dense(HIDDEN[0], input_shape=(NUM_FEATURES,), activation="relu"))
    for width in HIDDEN[1:]:
        model.add({l}Dense(width, activation="relu"))
        model.add({l}Dropout(0.2))
    model.add({l}Dense({units}))
    model.add({l}Activation("{act}"))
    return model
"""
FUNCTIONAL = """
def block(x, width, rate=0.1):
    x = {l}Dense(width)(x)
    x = {l}BatchNormalization()(x)
    x = {l}Activation("relu")(x)
    return {l}Dropout(rate)(x)


def build_model():
    inputs = {k}Input(shape=(NUM_FEATURES,), name="features")
    x = inputs
    for width in HIDDEN:
        x = block(x, width)
    outputs = {l}Dense({units}, activation="{act}", name="head")(x)
    return {k}Model(inputs=inputs, outputs=outputs, name="model_{index}")
"""
MULTI_OUTPUT = """
def build_model():
    inputs = {k}Input(shape=(NUM_FEATURES,))
    shared = {l}Dense(HIDDEN[0], activation="relu")(inputs)
    shared = {l}Dense(HIDDEN[-1], activation="relu")(shared)
    label = {l}Dense({units}, activation="{act}", name="label")(shared)
    score = {l}Dense(1, name="score")(shared)
    return {k}Model(inputs, {{"label": label, "score": score}})
"""
COMPILE_SINGLE = """
def compile_model(model):
    model.compile(
        optimizer={k}optimizers.Adam(learning_rate=LEARNING_RATE),
        loss={loss},
        metrics={metrics},
    )
    return model
"""
COMPILE_MULTI = """
def compile_model(model):
    model.compile(
        optimizer={k}optimizers.Adam(learning_rate=LEARNING_RATE),
        loss={{"label": {loss}, "score": "mse"}},
        metrics={{"label": {metrics}, "score": ["mae"]}},
    )
    return model
"""
MAIN = """

def evaluate(model, data, out):
    results = model.evaluate(*data, verbose=0, return_dict=True)
    with open(os.path.join(out, "metrics.json"), "w") as handle:
        json.dump({{k: float(v) for k, v in results.items()}}, handle, indent=2)
    return results


def main():
    args = parse_args()
    x, y = load_data(args.data)
    x = standardise(x)
    train, val = split(x, y)
    model = compile_model(build_model())
    model.summary()
    callbacks = [
        {k}callbacks.EarlyStopping(patience=5, restore_best_weights=True),
        {k}callbacks.ReduceLROnPlateau(factor=0.5, patience=2),
    ]
    history = model.fit(*train, validation_data=val, epochs=args.epochs,
                        batch_size=args.batch_size, callbacks=callbacks, verbose=2)
    plot_history(history, args.out)
    print(evaluate(model, val, args.out))
    model.save(os.path.join(args.out, "model.keras"))


if __name__ == "__main__":
    main()
"""
# (units, activation, loss, metrics): a third of the heads are wrong.
HEADS = [
    ("NUM_CLASSES", "softmax", '"sparse_categorical_crossentropy"', '["accuracy"]'),
    ("NUM_CLASSES", "softmax", "{lo}CategoricalCrossentropy()", '["accuracy"]'),
    ("1", "sigmoid", '"binary_crossentropy"', '[{me}AUC(), "accuracy"]'),
    ("1", "linear", "{lo}BinaryCrossentropy(from_logits=True)", "[{me}AUC(from_logits=True)]"),
    (
        "NUM_CLASSES",
        "linear",
        "{lo}SparseCategoricalCrossentropy(from_logits=True)",
        '["accuracy"]',
    ),
    ("1", "linear", '"mse"', '["mae"]'),
    ("1", "softmax", '"mse"', '["mae"]'),  # seed 000
    ("NUM_CLASSES", "softmax", "{lo}CategoricalCrossentropy(from_logits=True)", '["accuracy"]'),
    ("NUM_CLASSES", "softmax", '"binary_crossentropy"', '["accuracy"]'),
    ("1", "sigmoid", '"categorical_crossentropy"', '["accuracy"]'),
    ("NUM_CLASSES", "linear", '"categorical_crossentropy"', '["accuracy"]'),
    ("1", "linear", "{lo}BinaryCrossentropy(from_logits=True)", "[{me}AUC()]"),
]
TASKS = [
    "churn prediction",
    "digit classification",
    "sentiment",
    "price regression",
    "defect detection",
    "species identification",
    "fraud scoring",
    "topic tagging",
]
NAMES = ["cat", "dog", "bird", "fish", "horse", "frog", "deer", "ship", "truck", "plane"]


def training_script(index: int, rng: random.Random) -> str:
    imports, keras, layers, losses, metrics_module = rng.choice(IMPORTS)
    units, act, loss, metrics = rng.choice(HEADS)
    hidden = [rng.choice([16, 32, 64, 128, 256]) for _ in range(rng.randint(1, 4))]
    names = ", ".join(f'"{n}"' for n in rng.sample(NAMES, rng.randint(2, len(NAMES))))
    text = PREAMBLE.format(
        index=index,
        task=rng.choice(TASKS),
        imports=imports,
        seed=rng.randint(0, 9999),
        batch=rng.choice([16, 32, 64, 128]),
        epochs=rng.randint(5, 100),
        lr=rng.choice([1e-2, 1e-3, 3e-4]),
        features=rng.randint(4, 512),
        hidden=", ".join(map(str, hidden)),
        names=names,
    )
    kind = rng.choice(["list", "add", "functional", "multi"])
    hidden_layers = "".join(f'        {layers}Dense({w}, activation="relu"),\n' for w in hidden)
    template = {
        "list": SEQUENTIAL_LIST,
        "add": SEQUENTIAL_ADD,
        "functional": FUNCTIONAL,
        "multi": MULTI_OUTPUT,
    }[kind]
    text += template.format(
        k=keras, l=layers, units=units, act=act, index=index, hidden_layers=hidden_layers
    )
    compile_template = COMPILE_MULTI if kind == "multi" else COMPILE_SINGLE
    text += compile_template.format(
        k=keras, loss=loss.format(lo=losses), metrics=metrics.format(me=metrics_module)
    )
    return text + MAIN.format(k=keras)


def write_scripts(root: str, count: int) -> int:
    rng = random.Random(0)
    lines = 0
    for index in range(count):
        folder = os.path.join(root, f"project_{index // 100:02d}")
        os.makedirs(folder, exist_ok=True)
        text = training_script(index, rng)
        lines += text.count("\n")
        with open(os.path.join(folder, f"train_{index:04d}.py"), "w") as handle:
            handle.write(text)
    return lines


def timed(commands: dict[str, list[str]], runs: int) -> dict[str, tuple[list[float], Any]]:
    """Wall times of each command, the commands interleaved run by run so that a change in the
    machine's load (other processes) weighs on all of them alike."""
    results: dict[str, tuple[list[float], Any]] = {label: ([], None) for label in commands}
    for command in commands.values():  # warm-up: disk cache, .pyc files
        subprocess.run(command, capture_output=True, text=True, check=False)
    for _ in range(runs):
        for label, command in commands.items():
            start = time.perf_counter()
            proc = subprocess.run(command, capture_output=True, text=True, check=False)
            results[label][0].append(time.perf_counter() - start)
            results[label] = (results[label][0], proc)
    return results


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scripts", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", help="write the scripts here and keep them")
    args = parser.parse_args(argv)
    if subprocess.run(
        [sys.executable, "-m", "pyflakes", "--version"], capture_output=True
    ).returncode:
        print("pyflakes is not installed: pip install pyflakes", file=sys.stderr)
        return 2
    root = args.keep or tempfile.mkdtemp(prefix="headcheck-sources-")
    try:
        lines = write_scripts(root, args.scripts)
        print(f"{args.scripts} training scripts, {lines} lines, in {root}")
        print(
            f"median of {args.runs} runs (after one warm-up), whole processes, {os.cpu_count()} CPUs\n"
        )
        headcheck = [sys.executable, "-m", "keras_headcheck", "check", "--output-format", "json"]
        commands = {
            "keras-headcheck check DIR": headcheck + [root],
            "keras-headcheck check --jobs 1 DIR": headcheck + ["--jobs", "1", root],
            "python -m pyflakes DIR": [sys.executable, "-m", "pyflakes", root],
        }
        rows = []
        for label, (times, result) in timed(commands, args.runs).items():
            if label.startswith("keras"):
                found = json.loads(result.stdout)
                detail = f"{len(found)} findings in {len({f['filename'] for f in found})} files"
                if result.returncode not in (0, 1):
                    detail += f" (exit {result.returncode}: {result.stderr.strip()[:200]})"
            else:
                detail = f"{len(result.stdout.splitlines())} messages"
            rows.append((label, statistics.median(times), min(times), detail))
        width = max(len(r[0]) for r in rows)
        print(f"{'command':<{width}}  {'median s':>9}  {'min s':>7}  {'ms/file':>8}  result")
        for label, median, fastest, detail in rows:
            print(
                f"{label:<{width}}  {median:>9.2f}  {fastest:>7.2f}  "
                f"{1000 * median / args.scripts:>8.2f}  {detail}"
            )
        pyflakes = rows[-1][1]
        for label, median, _, _ in rows[:-1]:
            verdict = "meets" if median <= pyflakes else "MISSES"
            print(f"\n{label}: {median / pyflakes:.2f}x pyflakes ({verdict} the target)", end="")
        print()
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
