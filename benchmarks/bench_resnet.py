"""Benchmark: `keras-headcheck check FILE` against `keras.models.load_model(FILE)` on ResNet50.

    python benchmarks/bench_resnet.py [--runs N] [--formats keras,h5] [--keep DIR]
                                      [--source DIR] [--no-bytecode-cache]

Builds keras.applications.ResNet50(weights=None) (nothing is downloaded), compiles it, saves it as
`.keras` and `.h5` in a temporary directory, then times both commands as whole processes, the way
a user (or CI) runs them: start-up and imports included. Each measurement runs in its own small
wrapper process (`python -S`), which reads the peak RSS and the CPU time (`ru_utime + ru_stime`,
less disturbed by other load on the machine than the wall time; the targets are judged on the wall
time) of that one command from `wait4()`. Runs alternate between the two tools, after one untimed warm-up run
each (so both find the file in the page cache and their bytecode compiled: children use a private
`PYTHONPYCACHEPREFIX`, as an installed package has its `.pyc` files; `--no-bytecode-cache` turns
that off). Prints the median wall time and the peak RSS.

This is a benchmark, not a test: it takes about a minute and the numbers depend on the machine.
Targets (issue 2): keras-headcheck at least 20x faster than load_model, and under 60 MiB peak.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SPEEDUP_TARGET = 20.0
MEMORY_TARGET_MIB = 60.0

# Runs one command and reports its wall time, CPU time and peak RSS, from wait4() on that one child.
# Run with `python -S` and only builtin modules: on Linux a child's ru_maxrss also counts the memory
# of the process it was spawned from (exec records the old address space's peak), so the wrapper
# must stay smaller than anything it measures (about 8 MiB; `python -c pass` alone is ~13 MiB).
WRAPPER = r"""
import os, sys, time
devnull = [(os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0)]
start = time.perf_counter()
pid = os.posix_spawnp(sys.argv[1], sys.argv[1:], os.environ, file_actions=devnull)
_, status, usage = os.wait4(pid, 0)
seconds = time.perf_counter() - start
scale = 1 if sys.platform == "darwin" else 1024  # bytes on macOS, KiB on Linux
print(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * scale,
      os.waitstatus_to_exitcode(status))
"""

LOAD_MODEL = "import sys, keras; keras.models.load_model(sys.argv[1])"


WORKDIR: str | None = None  # children run here, so `python -m` cannot pick up the checkout by cwd
PYCACHE: str | None = None  # set in main(): a bytecode cache inside the temporary directory


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    env.setdefault("KERAS_BACKEND", "tensorflow")
    if PYCACHE:
        # Installed packages run from cached bytecode; an editable install under
        # PYTHONDONTWRITEBYTECODE=1 would recompile keras_headcheck on every run (~20 ms).
        # A private cache (filled by the warm-up runs) keeps the checkout free of __pycache__.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = PYCACHE
    return env


SOURCE: str | None = None  # --source DIR: run keras_headcheck from DIR instead of the installed one


def headcheck_command() -> list[str]:
    """The installed `keras-headcheck` command, or the package from a source tree."""
    exe = None if SOURCE else shutil.which("keras-headcheck")
    if exe:
        return [exe, "check"]
    return [sys.executable, "-m", "keras_headcheck", "check"]


def headcheck_env() -> dict[str, str]:
    env = child_env()
    if SOURCE or not shutil.which("keras-headcheck"):  # not installed: run from the source tree
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [SOURCE or REPO, env.get("PYTHONPATH")]))
    return env


def build_models(directory: str, formats: list[str]) -> dict[str, str]:
    """Save a compiled ResNet50 in each format; done in a child so this process stays light."""
    script = r"""
import os, sys, warnings
import keras
warnings.filterwarnings("ignore")  # the legacy-.h5 warning
keras.utils.set_random_seed(0)
model = keras.applications.ResNet50(weights=None)
model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
for path in sys.argv[1:]:
    model.save(path)
"""
    paths = {fmt: os.path.join(directory, f"resnet50.{fmt}") for fmt in formats}
    subprocess.run(
        [sys.executable, "-c", script, *paths.values()],
        env=child_env(),
        cwd=WORKDIR,
        check=True,
        stderr=subprocess.DEVNULL,
    )
    return paths


def measure(command: list[str], env: dict[str, str], ok_codes: tuple[int, ...]) -> dict:
    out = subprocess.run(
        [sys.executable, "-S", "-c", WRAPPER, *command],
        env=env,
        cwd=WORKDIR,
        capture_output=True,
        text=True,
        check=True,
    )
    seconds, cpu_seconds, peak_bytes, returncode = out.stdout.split()
    if int(returncode) not in ok_codes:
        sys.exit(f"bench_resnet: {' '.join(command)} exited {returncode}:\n{out.stderr[-2000:]}")
    return {
        "seconds": float(seconds),
        "cpu_seconds": float(cpu_seconds),
        "peak_bytes": int(peak_bytes),
    }


def bench_file(path: str, runs: int) -> dict[str, dict]:
    tools = {
        "keras-headcheck": (headcheck_command() + [path], headcheck_env(), (0, 1)),
        "load_model": ([sys.executable, "-c", LOAD_MODEL, path], child_env(), (0,)),
    }
    samples: dict[str, list[dict]] = {name: [] for name in tools}
    for name, (command, env, ok) in tools.items():  # warm-up, untimed
        measure(command, env, ok)
    for _ in range(runs):
        for name, (command, env, ok) in tools.items():  # alternate, so drift hits both alike
            samples[name].append(measure(command, env, ok))
    return {
        name: {
            "median_s": statistics.median(s["seconds"] for s in runs_),
            "median_cpu_s": statistics.median(s["cpu_seconds"] for s in runs_),
            "peak_mib": max(s["peak_bytes"] for s in runs_) / 2**20,
        }
        for name, runs_ in samples.items()
    }


def findings_summary(path: str) -> str:
    proc = subprocess.run(
        headcheck_command() + ["--output-format", "json", path],
        env=headcheck_env(),
        cwd=WORKDIR,
        capture_output=True,
        text=True,
        check=False,
    )
    codes = [f["code"] for f in json.loads(proc.stdout or "[]")]
    return f"exit {proc.returncode}, findings: {', '.join(codes) or 'none'}"


def print_table(fmt: str, path: str, stats: dict[str, dict], runs: int) -> None:
    size = os.path.getsize(path) / 2**20
    hc, lm = stats["keras-headcheck"], stats["load_model"]
    print(f"\nResNet50 .{fmt} ({size:.0f} MiB), median of {runs} runs")
    print(f"  {'tool':<18} {'median s':>9} {'CPU s':>9} {'peak MiB':>9}")
    for name, s in stats.items():
        print(f"  {name:<18} {s['median_s']:>9.3f} {s['median_cpu_s']:>9.3f} {s['peak_mib']:>9.1f}")
    speedup = lm["median_s"] / hc["median_s"]
    cpu = lm["median_cpu_s"] / hc["median_cpu_s"]
    memory = lm["peak_mib"] / hc["peak_mib"]
    print(f"  {'ratio (load/hc)':<18} {speedup:>8.1f}x {cpu:>8.1f}x {memory:>8.1f}x")
    fast, small = speedup >= SPEEDUP_TARGET, hc["peak_mib"] < MEMORY_TARGET_MIB
    print(
        f"  targets: >= {SPEEDUP_TARGET:.0f}x faster: {'ok' if fast else 'MISSED'}; "
        f"< {MEMORY_TARGET_MIB:.0f} MiB peak: {'ok' if small else 'MISSED'}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs per tool (default 5)")
    parser.add_argument("--formats", default="keras,h5", help="comma-separated: keras, h5")
    parser.add_argument("--keep", metavar="DIR", help="save the models in DIR and keep them")
    parser.add_argument(
        "--no-bytecode-cache",
        action="store_true",
        help="leave PYTHONDONTWRITEBYTECODE/PYTHONPYCACHEPREFIX as they are in the environment",
    )
    parser.add_argument(
        "--source",
        metavar="DIR",
        help="run `python -m keras_headcheck` with DIR first on PYTHONPATH (e.g. a `git archive` "
        "of a commit) instead of the installed `keras-headcheck`",
    )
    args = parser.parse_args(argv)
    formats = [f.strip().lstrip(".") for f in args.formats.split(",") if f.strip()]
    if args.runs < 1 or not formats or set(formats) - {"keras", "h5"}:
        parser.error("--runs must be >= 1 and --formats a subset of keras,h5")

    directory = args.keep or tempfile.mkdtemp(prefix="bench_resnet_")
    os.makedirs(directory, exist_ok=True)
    global PYCACHE, SOURCE, WORKDIR
    WORKDIR = directory
    SOURCE = os.path.abspath(args.source) if args.source else None
    if not args.no_bytecode_cache:
        PYCACHE = os.path.join(directory, "pycache")
    try:
        where = f" (PYTHONPATH={SOURCE})" if SOURCE else ""
        print(
            f"python {sys.version.split()[0]}; keras-headcheck: {' '.join(headcheck_command())}{where}"
        )
        print(f"bytecode cache: {PYCACHE or 'as in the environment'}")
        print("building and saving ResNet50(weights=None) ...", flush=True)
        paths = build_models(directory, formats)
        for fmt, path in paths.items():
            print(f"keras-headcheck on resnet50.{fmt}: {findings_summary(path)}", flush=True)
            print_table(fmt, path, bench_file(path, args.runs), args.runs)
    finally:
        if not args.keep:
            shutil.rmtree(directory, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
