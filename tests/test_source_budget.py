"""The source interpreter and the source reader are bounded: a tiny script that doubles a value 40
times, or a huge generated file, is read in bounded memory, with one line (or its findings).

Each case runs the real CLI in a fresh interpreter and measures its peak memory. The budgets are in
keras_headcheck/readers/source/budget.py (values) and keras_headcheck/readers/limits.py (files).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hostile_corpus import run_linter

from keras_headcheck.readers.limits import DEFAULT_LIMITS
from keras_headcheck.readers.source import budget as value_budget

JSON = ("check", "--output-format", "json")
SOURCE_MEMORY_MIB = 300  # the worst 256 KiB source parses in ~200 MiB; a doubling script in ~25
START = "import keras\nL = [1, 2]\nT = (1, 2)\ns = 'ab'\nd = {'a': 1}\nn = 3\nS = {1}\n"
HEAD = "m = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1, activation='softmax')])\n"
DOUBLINGS = [
    "L = L + L", "L += L", "L = [*L, *L]", "L.extend(L)", "L = L * 2", "L = [L, L]",
    "L.append(L)", "L[0] = L", "T = T + T", "T = (*T, *T)", "T = (T, T)", "s = f'{s}{s}'",
    "s = s * 2", "s = s + s", "s += s", "s = '%s%s' % (s, s)", "d = {'a': d, 'b': d}",
    "d = {**d, str(len(d)): d}", "d[str(len(d))] = d", "n = n * n", "n = n ** 64", "n *= n",
    "S = S | S", "S = {*S, *S}",
]


def _lints_like_a_small_script(run: object, line: int) -> None:
    assert run.code == 1, (run.code, run.stderr_lines)  # type: ignore[attr-defined]
    assert run.stderr_lines == []  # type: ignore[attr-defined]
    findings = json.loads(run.stdout)  # type: ignore[attr-defined]
    assert [(f["code"], f["line"]) for f in findings] == [("HC101", line)]
    assert run.maxrss_mib < SOURCE_MEMORY_MIB  # type: ignore[attr-defined]  # -1: not measured


@pytest.mark.parametrize("statement", DOUBLINGS)
def test_doubling_a_value_forty_times_stays_small(tmp_path: Path, statement: str) -> None:
    path = tmp_path / "double.py"
    path.write_text(START + f"{statement}\n" * 40 + HEAD)
    assert len(path.read_bytes()) < 1200
    run = run_linter(*JSON, str(path), timeout=60)
    _lints_like_a_small_script(run, START.count("\n") + 41)


def test_doubling_inside_a_function_called_many_times(tmp_path: Path) -> None:
    path = tmp_path / "calls.py"
    body = "def grow(x):\n    return x + x\n" + "L = grow(grow(grow(grow(L))))\n" * 12
    path.write_text(START + body + HEAD)
    _lints_like_a_small_script(run_linter(*JSON, str(path), timeout=60), START.count("\n") + 15)


def test_a_list_near_the_cap_grown_on_every_line(tmp_path: Path) -> None:
    """Found by fuzzing: a list near the value cap that every later line asks to grow. Each ask
    measured the whole list (these 6,000 lines took 75 s); the walks are charged now."""
    path = tmp_path / "grow.py"
    grow = "L.extend(L)\n" * 17 + "L.append(1)\n" * 6000
    path.write_text("import keras\nL = [[]]\n" + grow + HEAD)
    _lints_like_a_small_script(run_linter(*JSON, str(path), timeout=60), 6020)


def test_measuring_is_charged() -> None:
    big = [[]] * 40_000
    budget = value_budget.Budget(measured=400_000)
    asked = [budget.room(big, [1]) for _ in range(20)]
    assert asked[0] and not asked[-1]  # the walks spent what the file may measure
    assert budget.measuring < 2 * len(big)  # too little left to measure `big` once more


def test_the_budget_on_values() -> None:
    shared: list = [1, 2]
    for _ in range(40):
        shared = [shared, shared]  # 2**40 elements as a tree, 80 lists in memory
    assert value_budget.size_of(shared) is None  # counted as a tree, the walk stops at the cap
    assert value_budget.size_of([[[]]]) == 5 and value_budget.size_of("abc") == 4  # 1 + len, nested
    deep: list = []
    for _ in range(value_budget.MAX_VALUE_DEPTH + 1):
        deep = [deep]
    assert value_budget.size_of(deep) is None
    assert value_budget.size_of(2**5000) is None
    cycle: list = [1]
    budget = value_budget.Budget(total=20)
    assert not budget.room(cycle, [cycle]) and not budget.room(cycle, [[cycle]])  # no cycles
    assert budget.room(cycle, [2, 3])
    unknown = value_budget.UNKNOWN
    assert budget.admit(list(range(30))) is unknown  # over what is left of the file's 20
    assert budget.admit([1, 2, 3, 4, 5]) == [1, 2, 3, 4, 5]
    budget.left = 0  # spent: containers and long strings are unknown, numbers and names are not
    assert budget.admit([1]) is unknown and budget.admit("x" * 65) is unknown
    assert budget.admit(7) == 7 and budget.admit("softmax") == "softmax"


def _refused(run: object, *words: str) -> str:
    assert run.code == 2, (run.code, run.stderr_lines)  # type: ignore[attr-defined]
    (line,) = run.stderr_lines  # type: ignore[attr-defined]
    assert line.startswith("keras-headcheck: error: ") and "Traceback" not in line
    for word in words:
        assert word in line, line
    assert run.maxrss_mib < SOURCE_MEMORY_MIB  # type: ignore[attr-defined]
    return line


def test_a_source_over_the_byte_limit_is_too_large(tmp_path: Path) -> None:
    path = tmp_path / "generated.py"
    path.write_text("import keras\n" + "x = 1\n" * (DEFAULT_LIMITS.max_source_bytes // 6))
    _refused(run_linter(*JSON, str(path)), "generated.py: too large", "262144-byte limit",
             "KERAS_HEADCHECK_MAX_SOURCE_BYTES")


def test_the_worst_source_under_the_byte_limit_is_refused_by_its_node_count(tmp_path: Path) -> None:
    path = tmp_path / "tuples.py"  # ~750 bytes of syntax tree per byte: the parser's worst
    count = (DEFAULT_LIMITS.max_source_bytes - 13) // 8
    path.write_text("import keras\n" + "a,b=c,d\n" * count)
    _refused(run_linter(*JSON, str(path)), "tuples.py: too large", "100000 syntax-tree nodes",
             "KERAS_HEADCHECK_MAX_AST_NODES")


def test_a_big_file_that_never_mentions_keras_is_skipped_unparsed(tmp_path: Path) -> None:
    path = tmp_path / "data.py"
    path.write_text("x = [" + "1," * (3 * DEFAULT_LIMITS.max_source_bytes) + "]\n")
    run = run_linter(*JSON, str(path))
    assert (run.code, run.stderr_lines, json.loads(run.stdout)) == (0, [], [])
    assert run.maxrss_mib < 100


def _notebook(path: Path, sources: list[str], padding: int = 0) -> Path:
    cells = [{"cell_type": "code", "source": s, "metadata": {}, "outputs": []} for s in sources]
    notebook = {"cells": cells, "metadata": {"pad": "x" * padding}, "nbformat": 4,
                "nbformat_minor": 5}
    path.write_text(json.dumps(notebook))
    return path


def test_a_notebook_over_the_json_limit_is_refused_before_parsing(tmp_path: Path) -> None:
    path = _notebook(tmp_path / "big.ipynb", ["import keras\n"], DEFAULT_LIMITS.max_config_bytes)
    _refused(run_linter(*JSON, str(path)), "big.ipynb: too large", "16777216-byte limit",
             "KERAS_HEADCHECK_MAX_CONFIG_BYTES")


def test_a_notebook_with_too_much_code_is_refused_before_parsing_it(tmp_path: Path) -> None:
    cell = "a,b=c,d\n" * 4096
    path = _notebook(tmp_path / "code.ipynb", ["import keras\n"] + [cell] * 10)
    _refused(run_linter(*JSON, str(path)), "code.ipynb: too large", "bytes of code",
             "262144-byte limit", "KERAS_HEADCHECK_MAX_SOURCE_BYTES")


def test_source_limits_from_the_environment(tmp_path: Path) -> None:
    path = tmp_path / "small.py"
    path.write_text(START + HEAD)
    run = run_linter(*JSON, str(path), env={"KERAS_HEADCHECK_MAX_AST_NODES": "20"})
    _refused(run, "small.py: too large", "more than 20 syntax-tree nodes")


def _nested_loops(depth: int) -> str:
    """`depth` loops over an 8-element list, nested: 8**depth runs of the innermost body."""
    lines = ["import keras", "L = [1, 2, 3, 4, 5, 6, 7, 8]", "m = keras.Sequential([keras.Input((4,))])"]
    for level in range(depth):
        lines.append("    " * level + f"for v{level} in L:")
    lines.append("    " * depth + "m.add(keras.layers.Dense(v0))")
    return "\n".join(lines) + "\nm.add(keras.layers.Dense(1, activation='softmax'))\n"


def test_unrolled_loops_are_bounded_per_file(tmp_path: Path) -> None:
    """Loops over short known lists run once per element (branches.py, `unrolls`), but nested
    ones multiply: past MAX_UNROLLED_RUNS bodies per file, loops are read once, as forks."""
    import ast

    from keras_headcheck.readers.source import branches
    from keras_headcheck.readers.source import interpreter as source_interpreter

    text = _nested_loops(7)  # 8**7 = 2,097,152 innermost runs if every loop were unrolled
    reader = source_interpreter.Interpreter(str(tmp_path / "nested.py"))
    tree = ast.parse(text)
    reader.read_with(tree, ())
    reader.run(tree)
    assert 0 < reader.unrolled <= branches.MAX_UNROLLED_RUNS
    path = tmp_path / "nested.py"
    path.write_text(text)
    run = run_linter(*JSON, str(path))
    _lints_like_a_small_script(run, text.count("\n"))
