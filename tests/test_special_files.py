"""Only regular files are opened: a FIFO (or a device) named like a lintable file never blocks.

A named pipe called `x.py` in a repository that a CI job lints used to block in `open()` forever,
and the good files beside it were never reported. Each case runs the real CLI in a fresh
interpreter with a timeout: a hang fails the test instead of stalling the suite.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hostile_corpus import run_linter

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes")

JSON = ("check", "--output-format", "json")
SOURCE = (
    "import keras\n"
    "model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1, activation='softmax')])\n"
)  # HC101: softmax over a single unit
NAMES = ("x.py", "x.ipynb", "x.keras", "x.h5")


def _good_files(directory: Path, count: int = 5) -> list[Path]:
    paths = []
    for n in range(count):
        path = directory / f"good{n}.py"
        path.write_text(SOURCE)
        paths.append(path)
    return paths


def _codes_by_file(stdout: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for finding in json.loads(stdout):
        found.setdefault(Path(finding["filename"]).name, []).append(finding["code"])
    return found


def test_fifos_in_a_linted_directory_are_skipped(tmp_path: Path) -> None:
    _good_files(tmp_path)
    for name in NAMES:
        os.mkfifo(tmp_path / name)  # opening any of them for reading would block until a writer
    (tmp_path / "model").mkdir()  # a SavedModel whose member is a FIFO
    (tmp_path / "model" / "saved_model.pb").write_bytes(b"")
    os.mkfifo(tmp_path / "model" / "keras_metadata.pb")
    run = run_linter(*JSON, str(tmp_path), timeout=60)
    assert _codes_by_file(run.stdout) == {f"good{n}.py": ["HC101"] for n in range(5)}
    assert run.code == 2, run.stderr_lines  # the SavedModel is named by its directory: refused
    assert run.stderr_lines == [
        f"keras-headcheck: error: {tmp_path / 'model'}: keras_metadata.pb: not a regular file"
    ]
    assert run.maxrss_mib < 200  # -1 where not measured


@pytest.mark.parametrize("name", NAMES)
def test_a_named_fifo_is_refused_in_one_line_and_the_rest_is_linted(tmp_path: Path,
                                                                     name: str) -> None:
    good = _good_files(tmp_path, 2)
    fifo = tmp_path / name
    os.mkfifo(fifo)
    run = run_linter(*JSON, str(good[0]), str(fifo), str(good[1]), timeout=60)
    assert run.code == 2
    assert run.stderr_lines == [f"keras-headcheck: error: {fifo}: not a regular file"]
    assert _codes_by_file(run.stdout) == {"good0.py": ["HC101"], "good1.py": ["HC101"]}
    assert run.maxrss_mib < 200  # -1 where not measured


@pytest.mark.parametrize("name", ["y.npy", "y.npz", "y.csv"])
def test_a_fifo_given_to_targets_is_refused(tmp_path: Path, name: str) -> None:
    (model,) = _good_files(tmp_path, 1)
    fifo = tmp_path / name
    os.mkfifo(fifo)
    run = run_linter(*JSON, str(model), "--targets", str(fifo), timeout=60)
    assert run.code == 2
    assert run.stderr_lines == [
        f"keras-headcheck: error: {fifo}: cannot read the targets (not a regular file)"
    ]
    assert run.maxrss_mib < 200


def test_a_device_is_refused_without_being_read(tmp_path: Path) -> None:
    link = tmp_path / "zero.py"
    link.symlink_to("/dev/zero")  # read to the end, it would never end
    run = run_linter(*JSON, str(link), timeout=60)
    assert run.code == 2
    assert run.stderr_lines == [f"keras-headcheck: error: {link}: not a regular file"]
