"""Fuzzing: mutated real model files either lint (findings) or are refused with one line; nothing
else, ever: no exception out of `lint_path`, no multi-line or "internal error" message, no hang.

In-process through `lint_path` for speed (a few hundred cases), plus a few CLI runs for the exit
status and stderr contract. The mutations are in tests/mutate.py; benchmarks/fuzz_campaign.py
runs the same ones by the hundred thousand.
"""

from __future__ import annotations

import json
import random
import signal
import tempfile
from pathlib import Path
from typing import Any, Iterator

import pytest
from hostile_corpus import build_bases, run_linter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mutate import MODES, Seed, load_seeds, write_case
from mutate_structure import STRUCTURE_MODES, load_source_seeds, write_source_case, write_structure_case

from keras_headcheck.lint import lint_path
from keras_headcheck.rules import selected_rules

HANG_SECONDS = 20
RULES = selected_rules()
FUZZ = settings(deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> list[Seed]:
    return load_seeds(build_bases(tmp_path_factory.mktemp("hostile")))


@pytest.fixture(scope="module")
def scratch() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="headcheck-fuzz-") as directory:
        yield Path(directory)


@pytest.fixture(autouse=True)
def fast_hdf5_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KERAS_HEADCHECK_HDF5_TIMEOUT", "5")


class Hang(Exception):
    pass


def check_one(path: Path) -> None:
    """The property: findings, or one printable line of error; never an exception or a hang."""
    fired: list[int] = []

    def alarm(signum: int, frame: Any) -> None:
        fired.append(signum)  # recorded, since the exception can be raised where it is swallowed (a gc callback)
        raise Hang(f"linting {path.name} took more than {HANG_SECONDS} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(HANG_SECONDS)
    try:
        result = lint_path(str(path), RULES)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert not fired, f"linting {path.name} took more than {HANG_SECONDS} s"
    if result.error is not None:
        assert result.error and result.error.isprintable(), repr(result.error)
        assert "internal error" not in result.error and "Traceback" not in result.error
        assert not result.findings
    json.dumps([f.to_dict() for f in result.findings], allow_nan=False)  # every field is plain data
    for finding in result.findings:
        assert all(isinstance(getattr(finding, k), str) for k in ("code", "output", "layer", "message"))


def _case(seeds: list[Seed], kind: str, which: int) -> Seed:
    of_kind = [s for s in seeds if s.kind == kind]
    return of_kind[which % len(of_kind)]


CASE = {"rnd": st.randoms(use_true_random=False), "mode": st.sampled_from(MODES), "which": st.integers(0, 10)}


# A case takes ~2 ms (an .h5 case: h5py writes it; our own reader reads it, and libhdf5, in a child
# process, only when the file uses a layout our reader leaves to it).
@settings(FUZZ, max_examples=600)
@given(**CASE)
def test_mutated_keras_files(seeds: list[Seed], scratch: Path, rnd: random.Random, mode: str, which: int) -> None:
    check_one(write_case(_case(seeds, "keras", which), rnd, scratch, mode))


@settings(FUZZ, max_examples=300)
@given(**CASE)
def test_mutated_savedmodels(seeds: list[Seed], scratch: Path, rnd: random.Random, mode: str, which: int) -> None:
    check_one(write_case(_case(seeds, "savedmodel", which), rnd, scratch, mode))


@settings(FUZZ, max_examples=200)
@given(**CASE)
def test_mutated_h5_files(seeds: list[Seed], scratch: Path, rnd: random.Random, mode: str, which: int) -> None:
    check_one(write_case(_case(seeds, "h5", which), rnd, scratch, mode))


STRUCTURE_CASE = {"rnd": st.randoms(use_true_random=False), "mode": st.sampled_from(STRUCTURE_MODES),
                  "which": st.integers(0, 10)}


@settings(FUZZ, max_examples=200)
@given(**STRUCTURE_CASE)
def test_structure_mutations(seeds: list[Seed], scratch: Path, rnd: random.Random, mode: str,
                             which: int) -> None:
    """Training configs of other types, protobuf fields of other wire types, HDF5 attribute types."""
    check_one(write_structure_case(seeds[which % len(seeds)], rnd, scratch, mode))


@settings(FUZZ, max_examples=150)
@given(rnd=st.randoms(use_true_random=False), which=st.integers(0, 100))
def test_grown_sources_and_notebooks(scratch: Path, rnd: random.Random, which: int) -> None:
    """Sources grown by repeated and value-doubling statements, as .py and as notebooks."""
    sources = load_source_seeds()
    check_one(write_source_case(sources[which % len(sources)], rnd, scratch))


def test_mutated_files_through_the_cli(seeds: list[Seed], tmp_path: Path) -> None:
    """The exit status and stderr contract, on a few fixed mutated cases of every seed and mode."""
    paths = []
    for index, seed in enumerate(seeds):
        for mode in MODES:
            case_dir = tmp_path / f"{index}-{mode}"
            case_dir.mkdir()
            paths.append(write_case(seed, random.Random(f"{seed.name}-{mode}"), case_dir, mode))
    for path in paths[:: max(1, len(paths) // 8)]:  # a handful of single-path runs
        run = run_linter("check", "--output-format", "json", str(path), env={"KERAS_HEADCHECK_HDF5_TIMEOUT": "5"})
        assert run.code in (0, 1, 2), run
        if run.code == 2:
            assert len(run.stderr_lines) == 1 and str(path) in run.stderr_lines[0], run.stderr_lines
        else:
            assert run.stderr_lines == []
            json.loads(run.stdout)
    run = run_linter("check", "--output-format", "json", "--jobs", "1", *map(str, paths),
                     env={"KERAS_HEADCHECK_HDF5_TIMEOUT": "5"})
    unreadable = [line for line in run.stderr_lines if line.startswith("keras-headcheck: error: ")]
    assert len(unreadable) == len(run.stderr_lines)  # one line per unreadable path, nothing else
    assert all("internal error" not in line and "Traceback" not in line for line in unreadable)
    assert run.code == (2 if unreadable else run.code)
    json.loads(run.stdout)


def _found_by_fuzzing() -> dict[str, Any]:
    """Configs that once raised out of lint_path (each found by the fuzzers), as edits of k3.keras."""
    def layer(config: dict[str, Any], name: str) -> dict[str, Any]:
        return next(e for e in config["config"]["layers"] if e.get("name") == name)

    def class_name_list(c: dict[str, Any]) -> None:
        layer(c, "b")["class_name"] = ["Sequential"]  # unhashable in a frozenset test

    def module_list(c: dict[str, Any]) -> None:
        layer(c, "b").update(module=["keras.src.ops"], class_name="Sigmoid")

    def smoothing_list(c: dict[str, Any]) -> None:
        c["compile_config"]["loss"]["a"] = {"class_name": "CategoricalCrossentropy",
                                            "config": {"label_smoothing": [0.1]}}

    def nested_without_outputs(c: dict[str, Any]) -> None:
        inner = {"class_name": "Functional", "config": {"layers": [], "input_layers": [], "output_layers": []}}
        c["config"] = {"name": "outer", "layers": [{"class_name": "InputLayer", "config": {"batch_shape": [None, 4]}},
                                                   inner]}
        c["class_name"] = "Sequential"

    def no_dict_layers(c: dict[str, Any]) -> None:
        c["class_name"], c["config"] = "Sequential", {"layers": [1, "x", None]}

    def history_of_strings(c: dict[str, Any]) -> None:
        node = layer(c, "b")["inbound_nodes"][0]["args"][0]
        node["config"]["keras_history"] = ["hidden", "0", None]

    return {f.__name__: f for f in (class_name_list, module_list, smoothing_list, nested_without_outputs,
                                    no_dict_layers, history_of_strings)}


@pytest.mark.parametrize("name", sorted(_found_by_fuzzing()))
def test_former_crashers(seeds: list[Seed], tmp_path: Path, name: str) -> None:
    from hostile_corpus import read_keras_config, write_keras

    base = next(s for s in seeds if s.name == "k3.keras").path
    config = read_keras_config(base)
    _found_by_fuzzing()[name](config)
    path = tmp_path / f"{name}.keras"
    write_keras(base, path, config)
    check_one(path)
