"""Notebooks: code cells in order, read as IPython runs them; one bad cell never loses a notebook.

A finding names its cell: `cell` counts every cell of the notebook from 1 (markdown cells too, as
Jupyter and VS Code do) and `line` is the line within that cell.
"""

from __future__ import annotations

import json
import subprocess
import sys
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


def where(findings: Any) -> list[tuple[str, Any, Any]]:
    return [(f.code, f.cell, f.line) for f in findings]


def test_findings_give_cell_and_line_within_it(tmp_path: Path) -> None:
    path = notebook(tmp_path, MARKDOWN, SETUP, BASH, MODEL, MARKDOWN, COMPILE)
    findings = {f.code: f for f in check(path)}
    assert set(findings) == {"HC101", "HC203", "HC301"}
    # Cells count from 1 among all cells, markdown included; lines count within the cell.
    assert (findings["HC101"].cell, findings["HC101"].line) == (4, 4)
    assert (findings["HC203"].cell, findings["HC203"].line) == (4, 4)
    assert (findings["HC301"].cell, findings["HC301"].line) == (6, 1)
    assert "(cell" not in findings["HC101"].message  # the location says it, not the message


def test_text_formats_locate_the_cell(cli: Any, tmp_path: Path) -> None:
    path = notebook(tmp_path, MARKDOWN, SETUP, BASH, MODEL, MARKDOWN, COMPILE)
    concise = cli("check", "--output-format", "concise", path).stdout
    assert f"{path}:cell 4:4:5: HC101" in concise and f"{path}:cell 6:1:45: HC301" in concise
    assert f"{path}:cell 4:4" in cli("check", path).stdout


def test_cells_run_in_order(tmp_path: Path) -> None:
    late = code_cell("N = 3\nfixed = keras.Sequential([layers.Dense(N, activation='softmax')])\n")
    path = notebook(tmp_path, SETUP, MODEL, late)
    assert where(check(path)) == [("HC101", 2, 4)]


def test_a_cell_that_raises_ends_itself_only(tmp_path: Path) -> None:
    # "Run the cell for your backend": a cell that raises at its top stops that cell, and the
    # user runs the next ones (a script's top-level raise does end the script).
    other = code_cell("raise Exception('Use the TensorFlow version!')\nimport theano\n")
    path = notebook(tmp_path, SETUP, other, MARKDOWN, MODEL)
    assert where(check(path)) == [("HC101", 4, 4)]
    script = tmp_path / "train.py"
    script.write_text("import keras\nfrom keras import layers\nN = 1\nraise SystemExit\n"
                      "model = keras.Sequential([layers.Dense(N, activation='softmax')])\n")
    assert check(str(script)) == []


def test_suppression_in_a_cell(tmp_path: Path) -> None:
    cell = code_cell(
        "m = keras.Sequential([layers.Dense(1, activation='softmax')])  # headcheck: ignore[HC101]\n"
    )
    assert check(notebook(tmp_path, SETUP, cell)) == []


def test_cli_json_for_a_notebook(cli: Any, tmp_path: Path) -> None:
    path = notebook(tmp_path, SETUP, MODEL, COMPILE)
    result = cli("check", "--output-format", "json", path)
    assert result.returncode == 1
    assert [(f["code"], f["cell"], f["line"]) for f in result.findings] == [
        ("HC101", 2, 4),
        ("HC203", 2, 4),
        ("HC301", 3, 1),
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
    assert where(check(str(path))) == [("HC101", 1, 2)]


@pytest.mark.parametrize(
    "content, reason",
    [
        ("{not json", "invalid JSON"),
        ("[1, 2]", "no cells"),
        ("", "the file is empty"),  # as a failed download leaves it
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
    assert where(check(notebook(tmp_path, SETUP, cell))) == [("HC101", 2, 3)]


# --- cells IPython accepts that plain Python does not (each one lost a dev-set notebook) ---------

SOFTMAX_1 = "m = keras.Sequential([layers.Dense(1, activation='softmax')])"


@pytest.mark.parametrize(
    "source, line",
    [
        # A cell indented as a whole (tfdocs guide/data, extension_type, hub boundless...): IPython
        # dedents it. Failing shape: " for ...\n   ..." was "unexpected indent".
        (f" for x in range(3):\n   print(x)\n {SOFTMAX_1}\n", 3),
        # A shell command continued with `\` (tfdocs migrate/upgrade, saved_model).
        (f"!tf_upgrade_v2 \\\n  --infile a.py \\\n  --outfile b.py\n{SOFTMAX_1}\n", 4),
        (f"%pip install -q \\\n  keras\n{SOFTMAX_1}\n", 3),
        # An automagic command on its own (tfdocs hub wav2vec2: `ls ./data/train/`), and one
        # on a line of a longer cell.
        ("ls ./data/train/\n" + SOFTMAX_1 + "\n", 2),
        (f"pip install -q keras\n{SOFTMAX_1}\n", 2),
        # Help, shell captures and magic assignments, inside blocks too.
        (f"keras.layers.Dense?\nfiles = !ls\nnow = %pwd\nif files:\n    !echo hi\n    {SOFTMAX_1}\n", 6),
        # A cell magic whose body is Python: the body is read, on its own lines.
        (f"%%time\n{SOFTMAX_1}\n", 2),
        (f"%%capture out\n\n{SOFTMAX_1}\n", 3),
        (f"\n\n%%timeit -n1\n{SOFTMAX_1}\n", 4),
        # `%time stmt` runs stmt: it is read.
        (f"%time {SOFTMAX_1}\n", 1),
    ],
)
def test_ipython_syntax_is_read_as_ipython_runs_it(tmp_path: Path, source: str, line: int) -> None:
    path = notebook(tmp_path, MARKDOWN, SETUP, code_cell(source))
    assert where(check(path)) == [("HC101", 3, line)]


def test_cells_of_another_language_are_skipped_without_a_word(tmp_path: Path) -> None:
    cells = [code_cell(f"%%{magic}\n{SOFTMAX_1}\n") for magic in ("bash", "writefile m.py", "script python")]
    assert check(notebook(tmp_path, SETUP, *cells)) == []


def test_an_unparsable_cell_is_reported_and_the_rest_linted(cli: Any, tmp_path: Path) -> None:
    # DLwP chapter 14: no-break spaces pasted into the code. IPython refuses the cell too.
    bad = code_cell("x = 1\nmodel.compile(optimizer='adam',\u00a0loss='mse')\n")
    path = notebook(tmp_path, MARKDOWN, SETUP, bad, code_cell(SOFTMAX_1 + "\n"), code_cell("y = (\n"))
    result = cli("check", "--output-format", "json", path)
    assert result.returncode == 1, result.stderr  # linted: HC101 in cell 4 still found
    found = [(f["code"], f["cell"], f["line"], f["severity"]) for f in result.findings]
    assert sorted(found) == [("HC101", 4, 1, "error"), ("HC903", 3, 2, "info"), ("HC903", 5, 1, "info")]
    (nbsp,) = [f for f in result.findings if f["code"] == "HC903" and f["cell"] == 3]
    assert "cell 3" in nbsp["message"] and "U+00A0" in nbsp["message"]
    assert nbsp["url"].endswith("#unparsable-source-part-hc903")
    assert f"{path}:cell 3:2:1: HC903" in cli("check", "--output-format", "concise", path).stdout


def test_an_unparsable_cell_alone_is_info(cli: Any, tmp_path: Path) -> None:
    path = notebook(tmp_path, SETUP, code_cell("model = keras.Sequential(\n"))
    result = cli("check", "--output-format", "json", path)
    assert result.returncode == 0 and [f["code"] for f in result.findings] == ["HC903"]
    ignored = cli("check", "--output-format", "json", "--ignore", "HC903", path)
    assert (ignored.returncode, ignored.findings) == (0, [])


def test_a_model_a_skipped_cell_builds_is_named_with_that_possibility(tmp_path: Path) -> None:
    """A workshop's cell with a `??` blank for the reader to fill is skipped (HC903); the model it
    builds is compiled in a later cell: the HC901 there says a skipped part may assign it."""
    blank = code_cell("model_a = keras.Sequential([keras.layers.Dense(??)])\n")
    later = code_cell("model_a.compile(loss='mse')\nmodel_a.fit(x, y)\n")
    path = notebook(tmp_path, SETUP, blank, later)
    hc901 = [f.message for f in check(path) if f.code == "HC901"]
    assert len(hc901) == 1 and ("(`model_a`, which no code read before this line assigns; a part "
                                "skipped as not valid Python (HC903) may)") in hc901[0], hc901


def test_a_bad_cell_keeps_the_lines_of_the_cells_after_it(tmp_path: Path) -> None:
    bad = code_cell("def f(:\n    pass\n# headcheck: ignore\n")  # its comment must not leak
    path = notebook(tmp_path, SETUP, bad, code_cell("x = 0\n" + SOFTMAX_1 + "\n"))
    assert where(check(path)) == [("HC903", 2, 1), ("HC101", 3, 2)]


FALLBACK = """
import json, sys
sys.modules["IPython"] = None  # as on a machine without IPython: `import IPython` fails
from keras_headcheck import check
from keras_headcheck.readers.source import magics
assert magics._manager() is None
print(json.dumps([(f.code, f.cell, f.line) for f in check(sys.argv[1])]))
"""


def test_without_ipython_the_same_cells_are_read(tmp_path: Path) -> None:
    cells = [
        code_cell(f" for x in range(3):\n   print(x)\n {SOFTMAX_1}\n"),
        code_cell(f"!pip install \\\n  keras\nfiles = !ls\nkeras.Model?\n%time {SOFTMAX_1}\n"),
        code_cell(f"%%capture\nls data/\n{SOFTMAX_1}\n"),
        code_cell("y = (\n"),
    ]
    path = notebook(tmp_path, SETUP, *cells)
    expected = [("HC101", 2, 3), ("HC101", 3, 5), ("HC101", 4, 3), ("HC903", 5, 1)]
    assert where(check(path)) == expected
    proc = subprocess.run(
        [sys.executable, "-c", FALLBACK, path], capture_output=True, text=True, timeout=120, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert [tuple(f) for f in json.loads(proc.stdout)] == expected


def test_ci_formats_name_the_cell_in_the_message(cli: Any, tmp_path: Path) -> None:
    # A notebook's lines count within a cell, not in its JSON: annotations go on the file and the
    # message says where.
    path = notebook(tmp_path, MARKDOWN, SETUP, BASH, MODEL)
    github = cli("check", "--output-format", "github", "--select", "HC101", path).stdout
    (annotation,) = github.splitlines()
    assert ",line=" not in annotation and "::cell 4, line 4: softmax over a single unit" in annotation
    sarif = json.loads(cli("check", "--output-format", "sarif", "--select", "HC101", path).stdout)
    (result,) = sarif["runs"][0]["results"]
    assert result["locations"][0]["physicalLocation"]["region"]["startLine"] == 1
    assert result["message"]["text"].startswith("cell 4, line 4: softmax over a single unit")
