"""A per-file time limit (`--timeout SECONDS`): a file that stalls the linter becomes one error line
for that file, and every other file is still linted and reported, serially and in the pool."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

import pytest
from hostile_corpus import run_linter

from keras_headcheck import runner
from keras_headcheck.rules import RULES

pytestmark = pytest.mark.skipif(not hasattr(__import__("signal"), "setitimer"), reason="no alarms")

SOURCE = "import keras\nmodel = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1, activation='softmax')])\n"


def _sources(directory: Path, count: int) -> list[str]:
    paths = []
    for n in range(count):
        path = directory / f"m{n:02d}.py"
        path.write_text(SOURCE)
        paths.append(str(path))
    return paths


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_stalled_file_is_an_error_and_the_rest_are_linted(tmp_path: Path, jobs: int,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    real = runner.lint_path

    def stalls(path: str, rules: Any, targets: Any = None) -> Any:
        if path.endswith("m03.py"):
            while True:  # a loop of the linter's own that never ends
                time.sleep(0.01)
        return real(path, rules, targets)

    monkeypatch.setattr(runner, "lint_path", stalls)  # forked pool workers inherit it
    monkeypatch.setattr(runner, "PARALLEL_AFTER_SECONDS", 0.0)
    paths = _sources(tmp_path, 8)
    real(paths[0], list(RULES.values()))  # the reader's modules imported: the limit times linting only
    started = time.monotonic()
    results = runner.lint_paths(paths, list(RULES.values()), jobs=jobs, timeout=1)
    assert time.monotonic() - started < 60
    assert [r.path for r in results] == paths
    broken = [r for r in results if r.error]
    assert [(os.path.basename(r.path), r.error) for r in broken] == [
        ("m03.py", "took more than 1 s to check (--timeout)")]
    assert all([f.code for f in r.findings] == ["HC101"] for r in results if not r.error)


def test_the_alarm_is_disarmed_after_each_file(tmp_path: Path) -> None:
    (path,) = _sources(tmp_path, 1)
    runner.lint_path(path, list(RULES.values()))  # warm: the limit times linting, not imports
    results = runner.lint_paths([path], list(RULES.values()), jobs=1, timeout=0.5)
    assert results[0].error is None
    time.sleep(0.7)  # an alarm left armed would raise here


def test_cli_timeout_on_a_slow_real_file(tmp_path: Path) -> None:
    good = _sources(tmp_path, 1)[0]
    slow = tmp_path / "slow.py"  # a long generated script: interpreting it takes seconds
    slow.write_text("import keras\nx = keras.Input((4,))\n" + "x = keras.layers.Dense(4)(x)\n" * 30000
                    + "model = keras.Model(x, x)\n")
    bigger = {"KERAS_HEADCHECK_MAX_SOURCE_BYTES": "2M", "KERAS_HEADCHECK_MAX_AST_NODES": "2000000"}
    # the slow file first: the good one is then linted with the reader's modules imported, in a
    # few milliseconds, far inside the limit even on a loaded machine
    run = run_linter("check", "--output-format", "json", "--timeout", "1", "-j", "1", str(slow), good,
                     env=bigger)
    assert run.code == 2
    assert run.stderr_lines == [
        f"keras-headcheck: error: {slow}: took more than 1 s to check (--timeout)"]
    assert [f["code"] for f in json.loads(run.stdout)] == ["HC101"]


def test_cli_refuses_a_timeout_that_is_not_positive(tmp_path: Path) -> None:
    run = run_linter("check", "--timeout", "0", *_sources(tmp_path, 1))
    assert run.code == 2
    assert any("--timeout" in line for line in run.stderr_lines)


# -- --fix: a file's fix passes (each a lint of the new text) run under the same limit -------------

FIXES = Path(__file__).parent / "data" / "fixes"


def test_fix_passes_that_run_out_of_time_leave_the_file_as_it_was(tmp_path: Path) -> None:
    from keras_headcheck.fixing import fix_results

    script = tmp_path / "train.py"
    script.write_bytes((FIXES / "hc206.py").read_bytes())  # two passes: HC206, then HC101
    rules = list(RULES.values())
    first = runner.lint_paths([str(script)], rules, jobs=1, timeout=None)
    assert any(f.applicable_fix for f in first[0].findings)

    def fix(timeout: Any) -> Any:
        return fix_results(first, rules, list, lambda path: None, False, write_back=True,
                           timeout=timeout)

    tiny = fix(1e-6)  # no lint of the fixed text finishes in a microsecond
    assert [(r.path, r.error) for r in tiny.results] == [
        (str(script), "took more than 1e-06 s to fix (--timeout); left unchanged")]
    assert tiny.changed == [] and script.read_bytes() == (FIXES / "hc206.py").read_bytes()
    time.sleep(0.05)  # the alarm is disarmed: one left armed would raise here
    enough = fix(60)
    assert enough.results[0].error is None
    assert script.read_bytes() == (FIXES / "hc206.fixed.py").read_bytes()


def test_cli_fix_reports_a_file_whose_passes_stall_and_fixes_the_rest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from keras_headcheck import fixing
    from keras_headcheck.cli import main

    for name in ("stalls.py", "fine.py"):
        (tmp_path / name).write_bytes((FIXES / "hc201.py").read_bytes())
    real = fixing.lint_source_bytes

    def relint(raw: bytes, path: str, *args: Any, **kwargs: Any) -> Any:
        ends = time.monotonic() + 60  # (so that a run without the limit fails, not hangs)
        while path.endswith("stalls.py") and time.monotonic() < ends:  # the re-lint stalls
            time.sleep(0.01)
        return real(raw, path, *args, **kwargs)

    monkeypatch.setattr(fixing, "lint_source_bytes", relint)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check", "--isolated", "--fix", "--timeout", "5", "-j", "1",
                                       "--output-format", "json", "stalls.py", "fine.py"])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "keras-headcheck: error: stalls.py: took more than 5 s to fix (--timeout); left unchanged"]
    assert json.loads(result.stdout) == []  # fine.py is clean after its fixes
    assert (tmp_path / "stalls.py").read_bytes() == (FIXES / "hc201.py").read_bytes()
    assert (tmp_path / "fine.py").read_bytes() == (FIXES / "hc201.fixed.py").read_bytes()
