"""Many files: a parallel run reports exactly what a serial run does, in the same order."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import headfiles
from keras_headcheck import runner
from keras_headcheck.cli import main
from keras_headcheck.lint import discover
from keras_headcheck.progress import ProgressBar
from keras_headcheck.rules import RULES

MAKERS = [
    headfiles.softmax_from_logits,
    headfiles.softmax_one_unit_mse,
    headfiles.clean_multilabel,
    headfiles.two_heads,
]


@pytest.fixture(scope="module")
def many(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """150 models in nested directories, plus one broken file in the middle."""
    root = tmp_path_factory.mktemp("many")
    for i in range(150):
        headfiles.write_keras(str(root / f"group{i % 7}" / f"m{i:03d}.keras"), MAKERS[i % 4]())
    (root / "group3" / "m050_broken.keras").write_bytes(b"PK\x03\x04 not really a zip")
    return root


@pytest.fixture
def pools(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Go parallel from the first path (not after PARALLEL_AFTER_SECONDS); record each pool."""
    made: list[Any] = []
    real_pool = runner.make_pool

    def counting_pool(jobs: int) -> Any:
        made.append(jobs)
        return real_pool(jobs)

    monkeypatch.setattr(runner, "PARALLEL_AFTER_SECONDS", 0.0)
    monkeypatch.setattr(runner, "make_pool", counting_pool)
    return made


def run(*args: str) -> Any:
    return CliRunner().invoke(main, ["check", *args, "--isolated", "--output-format", "json"])


def test_parallel_cli_output_equals_serial(many: Path, pools: list[Any]) -> None:
    serial = run(str(many), "--jobs", "1")
    assert pools == []
    parallel = run(str(many), "--jobs", "2")
    assert pools == [2]
    assert serial.exit_code == parallel.exit_code == 2  # the broken file
    assert parallel.stdout == serial.stdout
    assert parallel.stderr == serial.stderr
    assert len(json.loads(serial.stdout)) == 38 * 1 + 38 * 2 + 37 * 3  # by maker, 150 files
    assert [line for line in serial.stderr.splitlines() if "m050_broken" in line]


def test_runner_keeps_the_path_order_in_parallel(many: Path, pools: list[Any]) -> None:
    paths = list(discover([str(many)]))
    rules = list(RULES.values())
    serial = runner.lint_paths(paths, rules, jobs=1)
    parallel = runner.lint_paths(paths, rules, jobs=2)
    assert pools == [2]
    assert [r.path for r in parallel] == paths
    assert parallel == serial


def test_a_quick_run_stays_in_process(many: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runner, "PARALLEL_AFTER_SECONDS", 60.0)
    monkeypatch.setattr(runner, "make_pool", None)  # would fail if used
    paths = list(discover([str(many)]))
    assert len(runner.lint_paths(paths, list(RULES.values()), jobs=8)) == len(paths)


def test_a_crash_on_one_file_is_reported_for_that_file_and_the_rest_are_linted(
    many: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = runner.lint_path

    def flaky(path: str, rules: Any, targets: Any = None) -> Any:
        if path.endswith("m007.keras"):
            raise KeyError("boom")
        return real(path, rules, targets)

    monkeypatch.setattr(runner, "lint_path", flaky)
    paths = sorted(str(p) for p in (many / "group0").iterdir())
    results = runner.lint_paths(paths, list(RULES.values()), jobs=1)
    broken = [r for r in results if r.error]
    assert [os.path.basename(r.path) for r in broken] == ["m007.keras"]
    assert "internal error (KeyError" in broken[0].error


def test_duplicate_paths_are_linted_once(many: Path, cli: Any) -> None:
    model = str(many / "group0" / "m000.keras")
    result = cli("check", model, model, "--isolated", "--output-format", "json")
    assert len(result.findings) == len({json.dumps(f) for f in result.findings}) == 1


def test_progress_bar_stays_off_when_stderr_is_not_a_terminal() -> None:
    with ProgressBar(1000) as progress:
        for _ in range(1000):
            progress()
    assert not progress.enabled and progress._progress is None
