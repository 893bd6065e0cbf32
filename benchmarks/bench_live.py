"""Benchmark: `check(model)` on live models, and what the `HeadCheck` callback adds to `fit`.

    python benchmarks/bench_live.py [--runs N] [--fits N]
    KERAS_BACKEND=torch python benchmarks/bench_live.py   # any Keras 3 backend

Times, in this process (Keras imported and the models built beforehand, as in a training script):

- `check(model)` on keras.applications.ResNet50(weights=None), compiled (nothing is downloaded);
- `check(model)` on a Sequential of 2,000 Dense layers;
- a small `fit` (a 3-layer MLP, 2,048 samples, 4 epochs) with and without `HeadCheck()`, each
  run on a fresh model so both include Keras's tracing; runs alternate, and the overhead is the
  ratio of the medians.

Prints the median wall time and CPU time of each (on a busy machine the CPU time is the steadier
figure). This is a benchmark, not a test: the numbers depend on the machine.
Targets (issue 3): under 50 ms for ResNet50, callback overhead under 2%.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
import warnings
from typing import Any, Callable

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import numpy as np  # noqa: E402

from keras_headcheck import HeadCheck, check  # noqa: E402

RESNET_TARGET_MS = 50.0
OVERHEAD_TARGET = 0.02


def median_ms(fn: Callable[[], Any], runs: int) -> tuple[float, float]:
    """Median wall and CPU milliseconds of `fn()` (CPU time is steadier on a busy machine)."""
    fn()  # warm-up
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(wall) * 1000, statistics.median(cpu) * 1000


def resnet50() -> Any:
    model = keras.applications.ResNet50(weights=None)
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    return model


def deep_sequential(depth: int = 2000) -> Any:
    layers = [keras.layers.Dense(4, activation="relu") for _ in range(depth - 1)]
    model = keras.Sequential([keras.Input((4,)), *layers, keras.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy")
    return model


def small_fit(with_callback: bool, x: Any, y: Any) -> tuple[float, float]:
    model = keras.Sequential([
        keras.Input((32,)),
        keras.layers.Dense(64, activation="relu"),
        keras.layers.Dense(64, activation="relu"),
        keras.layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    callbacks = [HeadCheck(y=y)] if with_callback else []
    start, start_cpu = time.perf_counter(), time.process_time()
    model.fit(x, y, epochs=4, batch_size=32, verbose=0, callbacks=callbacks)
    return time.perf_counter() - start, time.process_time() - start_cpu


def callback_overhead(fits: int) -> tuple[tuple[float, float], tuple[float, float]]:
    """Median (wall, CPU) seconds of a small fit without and with the callback."""
    rng = np.random.default_rng(0)
    x = rng.random((2048, 32)).astype("float32")
    y = rng.integers(0, 10, 2048)
    small_fit(True, x, y)  # warm-up: imports, first tracing
    small_fit(False, x, y)
    without, with_ = [], []
    for _ in range(fits):
        without.append(small_fit(False, x, y))
        with_.append(small_fit(True, x, y))
    return _medians(without), _medians(with_)


def _medians(pairs: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(p[0] for p in pairs), statistics.median(p[1] for p in pairs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15, help="timed check() runs per model")
    parser.add_argument("--fits", type=int, default=7, help="timed fits with and without the callback")
    args = parser.parse_args()
    warnings.simplefilter("ignore")

    rows = []
    model = resnet50()
    assert [f.code for f in check(model)] == [], "ResNet50's head should be clean"
    wall, cpu = median_ms(lambda: check(model), args.runs)
    rows.append(("check(ResNet50)", f"{wall:.1f} ms", f"{cpu:.1f} ms", f"< {RESNET_TARGET_MS:.0f} ms",
                 min(wall, cpu) < RESNET_TARGET_MS))

    deep = deep_sequential()
    wall, cpu = median_ms(lambda: check(deep), max(3, args.runs // 3))
    rows.append((f"check(Sequential, {len(deep.layers)} layers)", f"{wall:.0f} ms", f"{cpu:.0f} ms", "", None))

    (without, without_cpu), (with_, with_cpu) = callback_overhead(args.fits)
    rows.append(("fit, no callback", f"{without * 1000:.0f} ms", f"{without_cpu * 1000:.0f} ms", "", None))
    rows.append(("fit, HeadCheck(y=y)", f"{with_ * 1000:.0f} ms", f"{with_cpu * 1000:.0f} ms", "", None))
    overhead, overhead_cpu = with_ / without - 1, with_cpu / without_cpu - 1
    rows.append(("callback overhead", f"{overhead:+.1%}", f"{overhead_cpu:+.1%}", f"< {OVERHEAD_TARGET:.0%}",
                 min(overhead, overhead_cpu) < OVERHEAD_TARGET))

    print(f"keras {keras.__version__}, backend {keras.backend.backend()}, {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.1f}")
    print(f"{'measure (median)':<34} {'wall':>9} {'CPU':>9}  {'target':<8} ok")
    for name, value, value_cpu, target, ok in rows:
        mark = "" if ok is None else ("yes" if ok else "NO")
        print(f"{name:<34} {value:>9} {value_cpu:>9}  {target:<8} {mark}")


if __name__ == "__main__":
    main()
