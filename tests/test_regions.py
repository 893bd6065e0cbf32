"""A script with a slip: the broken top-level statement is skipped (HC903), the rest is linted.

A file that is mostly not Python stays unreadable (exit 2, one line), as before.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

SOFTMAX_1 = 'm = keras.Sequential([keras.layers.Dense(1, activation="softmax")])\n'


def script(tmp_path: Path, text: str, name: str = "train.py") -> str:
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def found(result: Any) -> list[tuple[str, Any, Any]]:
    return [(f["code"], f["line"], f["cell"]) for f in result.findings]


def test_a_broken_function_is_skipped_and_the_model_after_it_checked(cli: Any, tmp_path: Path) -> None:
    text = (
        "import keras\n"
        "import numpy as np\n"
        "x = np.zeros((8, 4))\n"
        "\n"
        "@tool.register\n"
        "def helper(x):\n"
        "    return x +\n"
        "\n" + SOFTMAX_1
    )
    result = cli("check", "--output-format", "json", script(tmp_path, text))
    assert result.returncode == 1, result.stderr
    assert found(result) == [("HC903", 5, None), ("HC101", 9, None)]  # the decorator goes with it
    message = result.findings[0]["message"]
    assert message == "lines 5-8 skipped: not valid Python (line 7: invalid syntax)"


def test_an_unclosed_bracket_does_not_swallow_the_rest(cli: Any, tmp_path: Path) -> None:
    text = "import keras\nsizes = dict(a=1,\n\nfor_later = 2\n" + SOFTMAX_1
    result = cli("check", "--output-format", "json", script(tmp_path, text))
    assert found(result) == [("HC903", 2, None), ("HC101", 5, None)]
    assert "'(' was never closed" in result.findings[0]["message"]


def test_strings_are_never_cut(cli: Any, tmp_path: Path) -> None:
    text = (
        'import keras\nDOC = """\nmodel = not code(\n"""\n'
        "def broken(:\n    pass\n" + SOFTMAX_1 + "y = 1\nz = 2\n"
    )
    result = cli("check", "--output-format", "json", script(tmp_path, text))
    assert found(result) == [("HC903", 5, None), ("HC101", 7, None)]


def test_a_file_mostly_not_python_stays_unreadable(cli: Any, tmp_path: Path) -> None:
    prose = script(tmp_path, "This is a README\nsaved with the wrong name.\n", "notes.py")
    python2 = script(tmp_path, "import keras\n" + 'print "a"\n' * 12, "old.py")
    result = cli("check", "--output-format", "json", prose, python2)
    assert (result.returncode, result.findings) == (2, [])
    assert len([line for line in result.stderr_lines if "not valid Python" in line]) == 2
