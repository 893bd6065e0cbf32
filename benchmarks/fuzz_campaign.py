"""A long fuzz campaign over mutated real model files (not run in CI; tests/test_fuzz.py is the
short version of it):

    python benchmarks/fuzz_campaign.py                 # 100,000 inputs
    python benchmarks/fuzz_campaign.py -n 5000 --seed 7 --out fuzz-out

Inputs take turns: half are one of the seed models (built with Keras 3 and Keras 2 by
tests/hostile_corpus.py) mutated once by tests/mutate.py (bytes, JSON structure, JSON text or
container); a quarter are seed models mutated by tests/mutate_structure.py (JSON values of other
types in the training config, protobuf fields of other wire types and lying lengths, HDF5
attributes of other types); a quarter are the project's source fixtures grown by repeated and
value-doubling statements, as `.py` files or as notebooks with JSON of other types in their cells.
Each is linted in-process through `keras_headcheck.lint.lint_path`. Outcomes:

- findings / clean: linted;
- refused: a one-line error (what the CLI reports with exit status 2); among them, the times
  libhdf5 crashed or hung in its child process and was contained are counted apart;
- fallback_libhdf5 (counted besides the outcome): an `.h5` input our own HDF5 reader left to
  libhdf5 (a valid layout it does not parse, such as dense attribute storage), by reason;
- crash: an exception out of lint_path, or an error that is not one printable line or says
  "internal error";
- hang: linting took longer than --timeout seconds;
- memory: the process's peak resident memory while linting the input (reset before each input
  through /proc/self/clear_refs, Linux) went over --memory MiB (the documented bound); the
  largest peak is printed as peak_rss_mib.

Crashes and hangs are saved under --out with their traceback, and the case is replayable:
input N is `write_case(seeds[N % len(seeds)], random.Random(f"{seed}-{N}"), ...)`.
Prints the counts at the end (and progress every 1,000 inputs on stderr); SIGINT or SIGTERM stops
after the current input and prints the counts so far.
"""

from __future__ import annotations

import argparse
import collections
import os
import random
import shutil
import signal
import sys
import tempfile
import time
import traceback
import warnings
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT)]

from hostile_corpus import build_bases
from mutate import load_seeds, write_case
from mutate_structure import STRUCTURE_MODES, load_source_seeds, write_source_case, write_structure_case

from keras_headcheck.lint import lint_path
from keras_headcheck.readers import hdf5
from keras_headcheck.rules import selected_rules


class Hang(Exception):
    pass


_stop: list[int] = []


def _interrupt(signum: int, frame: Any) -> None:
    _stop.append(signum)  # finish the current input, then print the summary so far


def _alarm(signum: int, frame: Any) -> None:
    raise Hang()


def _where(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    last = frames[-1] if frames else None
    if last is None:
        return type(exc).__name__
    return f"{type(exc).__name__} at {Path(last.filename).name}:{last.lineno}"


def _reset_peak() -> bool:
    try:
        with open("/proc/self/clear_refs", "w") as handle:
            handle.write("5")  # resets VmHWM to the current resident size
        return True
    except OSError:
        return False


def _peak_mib() -> float:
    try:
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:")) / 1024
    except (OSError, StopIteration):
        return -1.0


def _write(index: int, seeds: list[Any], sources: list[Any], rnd: random.Random,
           scratch: Path) -> tuple[str, Path]:
    """Input `index`: (the seed's name, the case written)."""
    turn = index % 4
    if turn == 3:
        source = sources[(index // 4) % len(sources)]
        return source.name, write_source_case(source, rnd, scratch)
    model = seeds[index % len(seeds)]
    if turn == 2:
        return model.name, write_structure_case(model, rnd, scratch, rnd.choice(STRUCTURE_MODES))
    return model.name, write_case(model, rnd, scratch)


def _bad(error: str) -> bool:
    """An error that breaks the contract: not one printable line, internal, or without a reason."""
    empty_reason = error.rstrip().endswith((":", "()")) or ": )" in error or "( " in error
    return not error.isprintable() or "internal error" in error or empty_reason or (
        "MemoryError: " in error)


def run(count: int, seed: int, timeout: int, out: Path, bases: Path,
        memory_mib: float) -> dict[str, Any]:
    warnings.filterwarnings("ignore", "Duplicate name", UserWarning)  # mutate.py's doubled members
    seeds = load_seeds(bases)
    sources = load_source_seeds()
    measured = _reset_peak()
    peak = 0.0
    rules = selected_rules()
    outcomes: collections.Counter[str] = collections.Counter()
    sites: collections.Counter[str] = collections.Counter()
    fallback = hdf5.read_with_libhdf5

    def counted_fallback(path: str, keys: Any, limits: Any, why: str = "") -> Any:
        outcomes["fallback_libhdf5"] += 1
        sites[f"fallback to libhdf5: {why}"] += 1
        return fallback(path, keys, limits, why)

    hdf5.read_with_libhdf5 = counted_fallback  # type: ignore[assignment]
    signal.signal(signal.SIGALRM, _alarm)
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    os.environ.setdefault("KERAS_HEADCHECK_HDF5_TIMEOUT", str(max(1, timeout // 2)))
    started = time.monotonic()
    tried = 0
    with tempfile.TemporaryDirectory(prefix="headcheck-campaign-") as scratch:
        for index in range(count):
            if _stop:
                break
            tried = index + 1
            rnd = random.Random(f"{seed}-{index}")
            try:
                name, path = _write(index, seeds, sources, rnd, Path(scratch))
            except Exception as exc:  # a bug of the mutators, not of the linter: note it, go on
                outcomes["not_generated"] += 1
                sites[f"mutator failed: {_where(exc)}"] += 1
                continue
            if measured:
                _reset_peak()
            signal.alarm(timeout)
            problem = None
            try:
                result = lint_path(str(path), rules)
                signal.alarm(0)
                if result.error is not None:
                    bad = _bad(result.error)
                    problem = f"bad error: {result.error[:120]}" if bad else None
                    outcome = "crash" if bad else "refused"
                    if "HDF5 library" in result.error:  # libhdf5 crashed or hung, contained
                        what = "crashes" if "crashed" in result.error else "hangs"
                        outcomes[f"contained_hdf5_{what}"] += 1
                else:
                    outcome = "findings" if result.findings else "clean"
            except Hang:
                outcome, problem = "hang", f"took more than {timeout} s"
            except Exception as exc:  # a crash: what the campaign is looking for
                signal.alarm(0)
                outcome, problem = "crash", _where(exc) + "\n" + traceback.format_exc()
            if measured:
                used = _peak_mib()
                peak = max(peak, used)
                if used > memory_mib and problem is None:
                    outcome, problem = "memory", f"peak {used:.0f} MiB over the {memory_mib:g} MiB bound"
            outcomes[outcome] += 1
            if problem is not None:
                sites[problem.splitlines()[0]] += 1
                _save(out, index, name, path, problem)
            if (index + 1) % 1000 == 0:
                rate = (index + 1) / (time.monotonic() - started)
                print(f"[{index + 1}/{count}] {dict(outcomes)} ({rate:.0f}/s)", file=sys.stderr,
                      flush=True)
    seconds = round(time.monotonic() - started, 1)
    return {"tried": tried, "seconds": seconds, **outcomes, "peak_rss_mib": round(peak),
            "sites": sites}


def _save(out: Path, index: int, seed_name: str, path: Path, problem: str) -> None:
    case = out / f"{index:07d}-{seed_name}"
    case.mkdir(parents=True, exist_ok=True)
    target = case / path.name
    if path.is_dir():
        shutil.copytree(path, target, dirs_exist_ok=True)
    else:
        shutil.copyfile(path, target)
    (case / "problem.txt").write_text(problem)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--count", type=int, default=100_000, help="inputs to try")
    parser.add_argument("--seed", type=int, default=0, help="campaign seed (cases are replayable)")
    parser.add_argument("--timeout", type=int, default=20,
                        help="seconds before an input counts as a hang")
    parser.add_argument("--memory", type=float, default=512,
                        help="MiB of peak resident memory an input may take (the documented bound)")
    parser.add_argument("--out", type=Path, default=Path("fuzz-out"),
                        help="where crashes and hangs go")
    parser.add_argument("--bases", type=Path,
                        help="seed models already built (default: build them)")
    args = parser.parse_args()
    bases = args.bases or build_bases(Path(tempfile.mkdtemp(prefix="headcheck-bases-")))
    summary = run(args.count, args.seed, args.timeout, args.out, bases, args.memory)
    sites = summary.pop("sites")
    print(" ".join(f"{k}={v}" for k, v in summary.items()))
    for site, n in sites.most_common():
        print(f"  {n:6d}  {site}")
    sys.exit(1 if summary.get("crash") or summary.get("hang") or summary.get("memory") else 0)


if __name__ == "__main__":
    main()
