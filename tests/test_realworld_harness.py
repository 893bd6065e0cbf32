"""benchmarks/realworld.py: compile sites found without the linter, and how each was handled."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = """\
import re
import keras
from keras import layers

pattern = re.compile("x")  # not a model
wrong = keras.Sequential([keras.Input((4,)), layers.Dense(1, activation="softmax")])
wrong.compile(loss="mse")
clean = keras.Sequential([keras.Input((4,)), layers.Dense(3, activation="softmax")])
clean.compile(loss="categorical_crossentropy")
custom = keras.Sequential([keras.Input((4,)), layers.Lambda(lambda t: abs(t))])
custom.compile(loss=my_loss)
clean.compile(loss="mse")  # it and line 9 are replaced before `fit`: not checked, and said so
clean.compile(loss="categorical_crossentropy")
clean.fit(x, y)


class GAN(keras.Model):
    def compile(self, d_optimizer, g_optimizer):
        super().compile()  # part of the override: not a site
"""


def _notebook(*cells: str) -> str:
    return json.dumps({
        "cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
                   "source": c} for c in cells],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5,
    })


def test_harness_counts_sites_and_lists_alarms(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    (tree / "ipynb").mkdir(parents=True)
    (tree / "train.py").write_text(SCRIPT)
    (tree / "ipynb" / "train.ipynb").write_text(_notebook("x = 1"))  # a generated copy: skipped
    (tree / "nb.ipynb").write_text(_notebook(
        "!pip install keras\nimport keras\nm = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])",
        "m.compile(loss='binary_crossentropy')",
    ))
    (tree / "broken.py").write_text("def (:\n")
    out = tmp_path / "summary.json"
    proc = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "realworld.py"), str(tree), "--json", str(out)],
        capture_output=True, text=True, timeout=300, check=True, cwd=ROOT,
    )
    (summary,) = json.loads(out.read_text())
    assert summary["files"] == 3
    counts = ("compile_sites", "analysed", "hc9_only", "not_checked", "silent")
    assert tuple(summary[k] for k in counts) == (6, 3, 1, 2, 0)
    assert summary["not_checked_sites"] == ["train.py:9", "train.py:12"]  # replaced before fit
    assert summary["causes"] == {"HC901 Lambda + custom loss (HC902)": 1}  # what --causes groups
    assert summary["loss_only"] == 0  # its head could not be read either
    assert summary["unreadable"] == ["broken.py: not valid Python (line 1: invalid syntax)"]
    alarms = [line.split(" [")[0] for line in summary["alarms"]]
    assert alarms[1:] == ["train.py:6 HC101", "train.py:6 HC203"]
    # notebook findings say their cell once they carry a `cell` field (CONTRACT.md)
    assert alarms[0] in ("nb.ipynb:cell 1:3 HC202", "nb.ipynb:3 HC202")
    assert "errors and warnings: 3" in proc.stdout


def test_sites_in_a_file_the_linter_refused_are_counted_apart_from_silent(tmp_path: Path) -> None:
    """The linter refuses a file too large to read, saying so: its compile sites are not silent
    (the refusal is what the linter said about them), and they are counted as such."""
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "large.py").write_text(SCRIPT + "# padding\n" * 100)
    out = tmp_path / "summary.json"
    subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "realworld.py"), str(tree), "--json", str(out)],
        capture_output=True, text=True, timeout=300, check=True, cwd=ROOT,
        env={**os.environ, "KERAS_HEADCHECK_MAX_SOURCE_BYTES": "600"},
    )
    (summary,) = json.loads(out.read_text())
    assert (summary["compile_sites"], summary["silent"], summary["unread_sites"]) == (5, 0, 5)
    assert summary["unreadable"][0].startswith("large.py: too large")
