"""Golden tests of the full (default) format: a script, a notebook and a saved file, each printed
by a real run and compared with tests/golden/*.txt. After a deliberate change of the format,
`UPDATE_GOLDEN=1 python -m pytest tests/test_full_format.py` rewrites them (then read the diff)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any, Callable

import pytest

GOLDEN = Path(__file__).parent / "golden"
SEED = "seed000_softmax_one_unit_mse"

SCRIPT = '''"""Two models in one script: the report names which one each finding is about."""
import keras
from keras import layers


def classifier():
    model = keras.Sequential([
        keras.Input((4,)),
        layers.Dense(1, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="mse")
    return model


clf = keras.Sequential([keras.Input((8,)), layers.Dense(10, activation="softmax")])
clf.compile(loss="binary_crossentropy", metrics=["accuracy"])
'''

NOTEBOOK_CELLS = [
    ("markdown", "# A notebook\nThe head is in the third cell."),
    ("code", "import keras\nfrom keras import layers"),
    ("code", "model = keras.Sequential([keras.Input((4,)), layers.Dense(1, activation='softmax')])\n"
             "model.compile(loss='mse')"),
]


def notebook(cells: list[tuple[str, str]]) -> str:
    return json.dumps({
        "cells": [{"cell_type": kind, "metadata": {}, "source": text.splitlines(keepends=True),
                   **({"outputs": [], "execution_count": None} if kind == "code" else {})}
                  for kind, text in cells],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5,
    })


def compare(name: str, result: Any) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(result.stdout)
    assert result.stdout == path.read_text()


def full(cli: Callable[..., Any], cwd: Path, *args: str, **env: str) -> Any:
    return cli("check", "--isolated", "--color", "never", *args, cwd=cwd,
               env={"COLUMNS": "", "NO_COLOR": "", **env})


def test_golden_script(tmp_path: Path, cli: Callable[..., Any]) -> None:
    (tmp_path / "train.py").write_text(SCRIPT)
    compare("script.txt", full(cli, tmp_path, "train.py"))


def test_golden_notebook(tmp_path: Path, cli: Callable[..., Any]) -> None:
    (tmp_path / "explore.ipynb").write_text(notebook(NOTEBOOK_CELLS))
    compare("notebook.txt", full(cli, tmp_path, "explore.ipynb"))


def test_golden_saved_file(tmp_path: Path, zoo_models: Any, cli: Callable[..., Any]) -> None:
    shutil.copy(zoo_models.path(SEED, "keras3", "keras"), tmp_path / "clf.keras")
    compare("saved.txt", full(cli, tmp_path, "clf.keras"))


def test_text_wraps_at_words_to_the_width(tmp_path: Path, cli: Callable[..., Any]) -> None:
    (tmp_path / "train.py").write_text(SCRIPT)
    result = full(cli, tmp_path, "train.py", COLUMNS="60")
    prose = [line for line in result.stdout.splitlines() if not line.lstrip()[:1].isdigit()
             and "|" not in line]
    assert max(len(line) for line in prose) <= 60
    words = " ".join(result.stdout.split())
    assert "Use categorical crossentropy for exclusive classes, or sigmoid outputs for multi-label." in words
    wrapped = [line for line in result.stdout.splitlines() if line.startswith("      ")]
    assert wrapped, "a help line this long wraps"


@pytest.mark.parametrize("fmt", ["full", "concise"])
def test_findings_in_line_order_within_a_file(fmt: str, tmp_path: Path, cli: Callable[..., Any]) -> None:
    (tmp_path / "train.py").write_text(SCRIPT)
    result = full(cli, tmp_path, "--output-format", fmt, "train.py")
    heads = [line.split(":")[1] for line in result.stdout.splitlines() if line.startswith("train.py:")]
    assert heads == sorted(heads, key=int) and len(set(heads)) > 1


def test_a_hostile_source_line_cannot_drive_the_terminal(tmp_path: Path, cli: Callable[..., Any]) -> None:
    (tmp_path / "evil.py").write_text(SCRIPT.replace('layers.Dense(1, activation="softmax")',
                                                     'layers.Dense(1, activation="softmax", name="a\x1b[2Jb")'))
    result = full(cli, tmp_path, "evil.py")
    assert "HC101" in result.stdout and "\x1b" not in result.stdout
    assert "a\\x1b[2Jb" in result.stdout


def test_a_finding_with_a_cell_is_located_and_quoted_from_that_cell(tmp_path: Path) -> None:
    """Notebook findings carrying `cell` (and `line` within it): `path:cell N:line:col:` and the
    cell's own source line, in the full and concise formats."""
    import io
    from dataclasses import replace

    from keras_headcheck import check
    from keras_headcheck.output import Context, get_reporter

    path = tmp_path / "explore.ipynb"
    path.write_text(notebook(NOTEBOOK_CELLS))
    findings = [replace(f, cell=3, line=1) for f in check(str(path))]
    for fmt, expected in (("full", f"{path}:cell 3:1:46: HC101"), ("concise", f"{path}:cell 3:1:46: HC101")):
        stream = io.StringIO()
        get_reporter(fmt)(findings, stream, Context(color="never"))
        assert stream.getvalue().startswith(expected), stream.getvalue()
    stream = io.StringIO()
    get_reporter("full")(findings, stream, Context(color="never"))
    assert "1 | model = keras.Sequential(" in stream.getvalue()


FIXABLE = '''import keras
from keras import layers

probs = keras.Sequential([keras.Input((8,)), layers.Dense(10, activation="softmax")])
probs.compile(loss=keras.losses.CategoricalCrossentropy(from_logits=True))

regress = keras.Sequential([keras.Input((8,)), layers.Dense(3, activation="softmax")])
regress.compile(loss="mse")
'''


def _blocks(text: str) -> dict[str, list[str]]:
    """code -> the lines of its finding's block in the full format."""
    return {block.split()[1]: block.splitlines() for block in text.strip().split("\n\n")}


def test_help_says_what_the_fix_does_and_an_unsafe_one_is_noted(
    tmp_path: Path, cli: Callable[..., Any]
) -> None:
    (tmp_path / "train.py").write_text(FIXABLE)
    shown = _blocks(full(cli, tmp_path, "train.py").stdout)
    assert shown["HC201"][0].startswith("train.py:4:") and " HC201 [*] " in shown["HC201"][0]
    assert shown["HC201"][-1] == "help: Remove `from_logits=True` from the loss"  # safe: no note
    assert " HC203 [*] " not in shown["HC203"][0]  # --fix would not apply it
    assert shown["HC203"][-2:] == [
        "help: Use a sigmoid output (for targets in [0, 1]; unbounded ones need linear)",
        "note: This is an unsafe fix and may change what the program means (--unsafe-fixes applies it)",
    ]
    enabled = _blocks(full(cli, tmp_path, "--unsafe-fixes", "train.py").stdout)
    assert " HC203 [*] " in enabled["HC203"][0]
    assert enabled["HC203"][-1] == "note: This is an unsafe fix and may change what the program means"
    data = json.loads(full(cli, tmp_path, "--output-format", "json", "train.py").stdout)
    from keras_headcheck.rules import RULES

    assert {f["code"]: f["fix"] for f in data} == {c: RULES[c].fix for c in ("HC201", "HC203")}


def test_a_finding_quotes_the_file_as_it_is_now(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """In one process (the language server, a notebook kernel), the same relative name in another
    directory, or a file changed since it was last quoted, is read again, never a stale text."""
    from keras_headcheck import check
    from keras_headcheck.output.snippet import snippet

    one_unit = "import keras\nm = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1, activation='softmax')])\n"
    padded = "import keras\n\nm = keras.Sequential([\n    keras.Input((4,)),\n    keras.layers.Dense(1, activation='softmax'),\n])\n"
    for folder, text in (("a", one_unit), ("b", padded)):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "train.py").write_text(text)
    shown = []
    for folder in ("a", "b"):
        monkeypatch.chdir(tmp_path / folder)
        (finding,) = [f for f in check("train.py") if f.code == "HC101"]
        quoted = snippet(finding, {})
        shown.append(quoted.lines[quoted.span.line - 1].strip())
    assert shown == [one_unit.splitlines()[1], "keras.layers.Dense(1, activation='softmax'),"]
    (tmp_path / "b" / "train.py").write_text(one_unit + "# edited\n")  # another size: read again
    (finding,) = [f for f in check("train.py") if f.code == "HC101"]
    quoted = snippet(finding, {})
    assert quoted.lines[quoted.span.line - 1] == one_unit.splitlines()[1]
