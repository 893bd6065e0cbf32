"""IPython's cell syntax as Python, line for line, with IPython's transformer and with our own.

Both must give the same Python (compared as ASTs) and keep one line per line of the cell.
"""

from __future__ import annotations

import ast

import pytest

from keras_headcheck.readers.source import magics
from keras_headcheck.readers.source.magics import python_code, split_lines, without_automagic

CELLS = [
    "!pip install keras\nimport keras\n",
    "!pip install -q \\\n    keras \\\n    tf_keras\nimport keras\n",
    "%pip install -q \\\n  keras\nx = 1\n",
    "!!ls\n%matplotlib inline\n",
    "files = !ls -la\nn = len(files)\n",
    "here = %pwd\nprint(here)\n",
    "keras.layers.Dense?\nkeras.Model??\n",
    "?keras.Model\n??keras\n",
    "if True:\n    !echo hi\n    y = 2\n",
    "for i in range(2):\n    %time f(i)\n",
    "  x = 1\n  if x:\n    y = 2\n",
    "\tx = 1\n\ty = 2\n",
    "%time model.fit(x, y)\n",
    "history = %time model.fit(x, y)\n",
    "%timeit -n1 model.predict(x)\n",
    "%load_ext tensorboard\n%tensorboard --logdir logs\n",
    "x = 1\n\n!echo a \\\n b\n\ny = 2\n",
    "/print 1 2\n",
    ",print a b\n",
    ";print a b\n",
]


@pytest.fixture(scope="module", autouse=True)
def ipython_is_there() -> None:
    assert magics._manager() is not None, "IPython must be importable for the parity tests"


@pytest.mark.parametrize("cell", CELLS)
def test_both_transformers_give_the_same_python_line_for_line(cell: str) -> None:
    with_ipython, ours = python_code(cell), python_code(cell, use_ipython=False)
    lines = len(split_lines(cell))
    assert len(split_lines(with_ipython)) == lines == len(split_lines(ours))
    assert ast.dump(ast.parse(with_ipython)) == ast.dump(ast.parse(ours))


@pytest.mark.parametrize("use_ipython", [True, False])
def test_lines_keep_their_numbers(use_ipython: bool) -> None:
    cell = "!pip install \\\n  a \\\n  b\nmodel = build()\n"
    tree = ast.parse(python_code(cell, use_ipython))
    assigns = [node for node in ast.walk(tree) if isinstance(node, ast.Assign)]
    assert [node.lineno for node in assigns] == [4]


@pytest.mark.parametrize("use_ipython", [True, False])
def test_timed_statements_are_kept(use_ipython: bool) -> None:
    assert python_code("%time model.fit(x)\n", use_ipython) == "model.fit(x)\n"
    assert python_code("h = %time model.fit(x)\n", use_ipython) == "h = model.fit(x)\n"
    # Options in front: a magic call we do not follow.
    assert "run_line_magic" in python_code("%timeit -n1 f()\n", use_ipython)


@pytest.mark.parametrize("use_ipython", [True, False])
@pytest.mark.parametrize(
    "cell, python",
    [
        ("%%time\nx = 1\n", True),
        ("%%capture captured\nx = 1\n", True),
        ("%%bash\necho hi\n", False),
        ("%%writefile train.py\nimport keras\n", False),
        ("%%html\n<b>hi</b>\n", False),
    ],
)
def test_cell_magics(use_ipython: bool, cell: str, python: bool) -> None:
    code = python_code(cell, use_ipython)
    assert code == ("\nx = 1\n" if python else "\n\n")


def test_automagic_only_where_the_line_is_not_python() -> None:
    code = "import os\npip install keras\nls = 3\n"
    assert without_automagic(code, 2) == "import os\nget_ipython()\nls = 3\n"
    assert without_automagic(code, 3) is None  # an assignment: Python, wrong for another reason
    assert without_automagic("model.fit(x y)\n", 1) is None  # not a magic name
    assert without_automagic("ls (x\n", 1) is None


def test_a_cell_too_big_for_ipython_s_rewriting_loop_gets_ours() -> None:
    # IPython re-tokenises the whole cell after each of up to 500 rewrites: 6000 `!x` lines take
    # it nearly a minute. Past the budget, our linear transformer reads it, to the same Python.
    cell = "!x\n" * 6000 + "y = 1\n"
    lines = split_lines(cell)
    assert magics._ipython(lines) is None
    assert python_code(cell) == python_code(cell, use_ipython=False)
    assert magics._ipython(split_lines("!x\ny = 1\n")) is not None  # small cells: IPython's


@pytest.mark.parametrize("use_ipython", [True, False])
def test_hostile_cells_stay_linear(use_ipython: bool) -> None:
    # Cell magics nested deeper than Python's recursion limit.
    deep = "%%time\n" * 5000 + "x = 1\n"
    assert python_code(deep, use_ipython) == "\n" * 5000 + "x = 1\n"
    # A long line ending in `?` that is no help request: a regex search from every position
    # would take hours; the line is kept as it is (and then fails to parse, as in IPython).
    line = "a" * 200_000 + "!?"
    assert python_code(line, use_ipython) == line + "\n"
    assert python_code("keras.Model??\n", use_ipython) == (
        "get_ipython().run_line_magic('pinfo2', 'keras.Model')\n"
    )
