"""Notebooks: code cells in order, IPython magics and shell escapes skipped.

A finding's `line` counts the lines of the code cells concatenated in order; its message ends with
"(cell N, line M)", N counting every cell of the notebook from 1 (markdown cells too).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from keras_headcheck import check

MARKDOWN = {"cell_type": "markdown", "metadata": {}, "source": ["# Training\n", "Some prose.\n"]}


def code_cell(source: str) -> dict[str, Any]:
    lines = source.splitlines(keepends=True)
    return {
        "cell_type": "code",
        "metadata": {},
        "outputs": [],
        "execution_count": None,
        "source": lines,
    }


def notebook(tmp_path: Path, *cells: dict[str, Any], name: str = "train.ipynb") -> str:
    path = tmp_path / name
    path.write_text(
        json.dumps({"cells": list(cells), "metadata": {}, "nbformat": 4, "nbformat_minor": 5})
    )
    return str(path)


SETUP = code_cell(
    "!pip install keras\n%matplotlib inline\nimport keras\nfrom keras import layers\nN = 1\n"
)
BASH = code_cell("%%bash\necho 'not python (\n")
MODEL = code_cell(
    "%%time\n"
    "model = keras.Sequential([\n"
    "    layers.Dense(16, activation='relu'),\n"
    "    layers.Dense(N, activation='softmax'),\n"
    "])\n"
    "model.summary?\n"
    "files = !ls\n"
)
COMPILE = code_cell("model.compile(optimizer='adam', loss='mse', metrics=['accuracy'])\n")


def test_findings_give_notebook_line_and_cell(tmp_path: Path) -> None:
    path = notebook(tmp_path, MARKDOWN, SETUP, BASH, MODEL, MARKDOWN, COMPILE)
    findings = {f.code: f for f in check(path)}
    assert set(findings) == {"HC101", "HC203", "HC301"}
    # SETUP has 5 lines and BASH 2, so MODEL's 4th line is line 11; COMPILE's first is line 15.
    assert findings["HC101"].line == 11 and findings["HC101"].message.endswith("(cell 4, line 4)")
    assert findings["HC203"].line == 11
    assert findings["HC301"].line == 15 and findings["HC301"].message.endswith("(cell 6, line 1)")


def test_cells_run_in_order(tmp_path: Path) -> None:
    late = code_cell("N = 3\nfixed = keras.Sequential([layers.Dense(N, activation='softmax')])\n")
    path = notebook(tmp_path, SETUP, MODEL, late)
    assert [(f.code, f.line) for f in check(path)] == [("HC101", 9)]


def test_suppression_in_a_cell(tmp_path: Path) -> None:
    cell = code_cell(
        "m = keras.Sequential([layers.Dense(1, activation='softmax')])  # headcheck: ignore[HC101]\n"
    )
    assert check(notebook(tmp_path, SETUP, cell)) == []


def test_cli_json_for_a_notebook(cli: Any, tmp_path: Path) -> None:
    path = notebook(tmp_path, SETUP, MODEL, COMPILE)
    result = cli("check", "--output-format", "json", path)
    assert result.returncode == 1
    assert [(f["code"], f["line"]) for f in result.findings] == [
        ("HC101", 9),
        ("HC203", 9),
        ("HC301", 13),
    ]


def test_notebook_without_keras_is_clean(cli: Any, tmp_path: Path) -> None:
    path = notebook(
        tmp_path, MARKDOWN, code_cell("import pandas as pd\ndf = pd.read_csv('x.csv')\ndf.head()\n")
    )
    result = cli("check", "--output-format", "json", path)
    assert (result.returncode, result.findings) == (0, [])


def test_nbformat3_worksheets(tmp_path: Path) -> None:
    cell = {
        "cell_type": "code",
        "input": [
            "import keras\n",
            "m = keras.Sequential([keras.layers.Dense(1, activation='softmax')])\n",
        ],
    }
    path = tmp_path / "old.ipynb"
    path.write_text(json.dumps({"worksheets": [{"cells": [cell]}], "nbformat": 3}))
    assert [(f.code, f.line) for f in check(str(path))] == [("HC101", 2)]


@pytest.mark.parametrize(
    "content, reason",
    [
        ("{not json", "invalid JSON"),
        ("[1, 2]", "no cells"),
        (
            json.dumps({"cells": [code_cell("model = keras.Sequential(\n")], "nbformat": 4}),
            "cell 1, line 1",
        ),
    ],
)
def test_unreadable_notebooks(cli: Any, tmp_path: Path, content: str, reason: str) -> None:
    path = tmp_path / "broken.ipynb"
    path.write_text(content)
    result = cli("check", "--output-format", "json", str(path))
    assert result.returncode == 2 and result.findings == []
    (line,) = [line for line in result.stderr_lines if "broken.ipynb" in line]
    assert reason in line


def test_percent_on_a_continuation_line_is_python(tmp_path: Path) -> None:
    cell = code_cell("N = (7\n% 3)\nm = keras.Sequential([layers.Dense(N, activation='softmax')])\n")
    assert [(f.code, f.line) for f in check(notebook(tmp_path, SETUP, cell))] == [("HC101", 8)]
