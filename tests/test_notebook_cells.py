"""A notebook's cells are read one way (readers/ipynb.py) by the reader, the snippet a finding
quotes and the fixer: the cell a finding names, the line the text formats quote from it and the
cell its fix edits are the same, whatever the notebook holds around them (markdown and raw cells,
list items that are not cells, code cells without a source or with null, a source as one string,
nbformat 3's worksheets). A notebook whose cells cannot be read gives nothing to quote or edit."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from keras_headcheck import check
from keras_headcheck.cli import main
from keras_headcheck.findings import Edit, Finding
from keras_headcheck.fixes import EditError, apply, apply_notebook
from keras_headcheck.output.snippet import snippet
from keras_headcheck.readers.errors import ReadError
from keras_headcheck.readers.ipynb import code_cells, split_lines

MODEL = ('one = keras.Sequential([keras.Input((4,)),\n'
         '                        layers.Dense(1, activation="softmax")])\n'
         'one.compile(loss="binary_crossentropy")\n')
FIXED = MODEL.replace('"softmax"', '"sigmoid"')
HEAD_LINE = 2  # of MODEL: the softmax layer HC101 points at
MODEL_CELL = 9


def code(source: Any, **extra: Any) -> dict[str, Any]:
    return {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
            **({} if source is ... else {"source": source}), **extra}


def cells(model: Any) -> list[Any]:
    return [
        {"cell_type": "markdown", "metadata": {}, "source": "# A title\nprose"},
        7,  # not a cell object: counted, holds no code
        code(...),  # no `source` at all: an empty code cell
        code(None),
        {"cell_type": "raw", "metadata": {}, "source": ["x = (\n"]},  # not Python, not read
        {"metadata": {}, "source": "import os\n"},  # no cell_type: no code
        code("import keras\nfrom keras import layers"),  # one string, no final newline
        {"cell_type": "markdown", "metadata": {}, "source": ["Between\n", "the cells\n"]},
        code(model),
    ]


def dump(notebook: Any) -> str:
    return json.dumps(notebook, indent=1, ensure_ascii=False) + "\n"  # nbformat's layout


def write(tmp_path: Path, notebook: Any, name: str = "odd.ipynb") -> Path:
    path = tmp_path / name
    path.write_text(dump(notebook), encoding="utf-8")
    return path


def v4(model: Any) -> dict[str, Any]:
    return {"cells": cells(model), "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


def v3(model: Any) -> dict[str, Any]:
    old = [{("input" if k == "source" else k): v for k, v in c.items()}
           if isinstance(c, dict) and c.get("cell_type") == "code" else c for c in cells(model)]
    return {"worksheets": [{"cells": old}], "metadata": {}, "nbformat": 3, "nbformat_minor": 0}


def the_finding(path: Path) -> Finding:
    (found,) = [f for f in check(str(path)) if f.code == "HC101"]
    return found


def cli(cwd: Path, *args: str, stdin: str | None = None) -> Any:
    return CliRunner().invoke(main, ["check", "--isolated", "--color", "never", *args],
                              input=stdin, env={"COLUMNS": "", "NO_COLOR": ""})


FORMS = {
    "lines": (v4, MODEL.splitlines(True), "source"),
    "one string": (v4, MODEL, "source"),
    "nbformat 3": (v3, MODEL.splitlines(True), "input"),
}


@pytest.mark.parametrize("form", FORMS)
def test_the_finding_its_snippet_and_its_fix_mean_one_cell(tmp_path: Path, form: str) -> None:
    build, model, key = FORMS[form]
    path = write(tmp_path, build(model))
    raw = path.read_text(encoding="utf-8")
    numbers = [c.number for c in code_cells(raw)]
    assert numbers == [3, 4, 7, MODEL_CELL]  # every cell counted, the code cells kept
    finding = the_finding(path)
    assert (finding.cell, finding.line) == (MODEL_CELL, HEAD_LINE)

    shown = snippet(finding, {})  # read again from disk, as the text formats quote it
    assert shown is not None and shown.lines == split_lines(MODEL)
    span = shown.span
    assert span.line == HEAD_LINE
    assert shown.lines[span.line - 1][span.column - 1:span.end_column - 1] == (
        'layers.Dense(1, activation="softmax")')
    assert snippet(finding, {str(path): raw}) == shown  # stdin: the same quote from its JSON

    fix = finding.applicable_fix
    assert fix is not None and {e.cell for e in fix.edits} == {MODEL_CELL}
    assert apply(MODEL, fix.edits, cell=MODEL_CELL) == FIXED
    expected = build(FIXED.splitlines(True) if isinstance(model, list) else FIXED)
    assert apply_notebook(raw, fix.edits) == dump(expected)  # that cell's text, nothing else
    assert cli(tmp_path, "--fix", str(path)).exit_code == 0
    assert path.read_text(encoding="utf-8") == dump(expected)
    cell = (expected.get("cells") or expected["worksheets"][0]["cells"])[MODEL_CELL - 1]
    assert cell[key] == (FIXED.splitlines(True) if isinstance(model, list) else FIXED)
    assert all(f.code != "HC101" for f in check(str(path)))


def test_a_notebook_from_stdin_is_quoted_from_its_cell(tmp_path: Path) -> None:
    path = write(tmp_path, v4(MODEL.splitlines(True)))
    from_file = cli(tmp_path, "--output-format", "full", str(path))
    from_stdin = cli(tmp_path, "--output-format", "full", "--stdin-filename", str(path), "-",
                     stdin=path.read_text(encoding="utf-8"))
    assert from_file.exit_code == from_stdin.exit_code == 1
    assert f"{path}:cell {MODEL_CELL}:{HEAD_LINE}:" in from_file.stdout
    assert 'layers.Dense(1, activation="softmax")' in from_file.stdout
    assert from_stdin.stdout == from_file.stdout  # not a line of the JSON text


def test_a_line_break_python_does_not_count_keeps_the_lines(tmp_path: Path) -> None:
    """A form feed (\\x0c) ends a line for str.splitlines, not for the parser: the line a
    finding names is the one quoted."""
    model = "x = 1  # page\x0c break\n" + MODEL
    path = write(tmp_path, v4(model.splitlines(True)))
    finding = the_finding(path)
    assert (finding.cell, finding.line) == (MODEL_CELL, HEAD_LINE + 1)
    shown = snippet(finding, {})
    assert shown is not None and 'activation="softmax"' in shown.lines[shown.span.line - 1]


def test_edits_aimed_at_a_cell_without_code_are_refused(tmp_path: Path) -> None:
    raw = dump(v4(MODEL))
    edit = Edit("x", 1, 1, 1, 1)
    for number, reason in [(1, "no code cell 1"), (2, "no code cell 2"), (None, "no code cell"),
                           (3, "cell 3 has no source"), (4, "cell 4 has no source"),
                           (10, "no code cell 10")]:
        with pytest.raises(EditError, match=reason):
            apply_notebook(raw, [replace(edit, cell=number)])


EMPTY = {"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


def test_an_empty_notebook_has_nothing_to_lint_quote_or_edit(tmp_path: Path) -> None:
    path = write(tmp_path, EMPTY)
    assert code_cells(path.read_bytes()) == [] and check(str(path)) == []
    somewhere = replace(the_finding(write(tmp_path, v4(MODEL), "ok.ipynb")), filename=str(path))
    assert snippet(somewhere, {}) is None
    assert snippet(somewhere, {str(path): dump(EMPTY)}) is None
    with pytest.raises(EditError, match="no code cell 9"):
        apply_notebook(dump(EMPTY), [Edit("x", 1, 1, 1, 1, cell=9)])


@pytest.mark.parametrize("content, reason", [
    ("", "the file is empty"),
    ("{not json", "invalid JSON"),
    ('{"cells": {}}', "no cells"),
    (dump(v4(["import keras\n", 3])), "cell 9: `source` is a list holding a number"),
    (dump(v4({"text": MODEL})), "cell 9: `source` is an object"),
], ids=["empty file", "not JSON", "cells not a list", "a line not a string", "source an object"])
def test_a_notebook_the_reader_refuses_is_neither_quoted_nor_edited(
    tmp_path: Path, content: str, reason: str
) -> None:
    path = tmp_path / "bad.ipynb"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ReadError, match=reason):
        code_cells(content)
    finding = replace(the_finding(write(tmp_path, v4(MODEL), "ok.ipynb")), filename=str(path))
    assert snippet(finding, {}) is None and snippet(finding, {str(path): content}) is None
    with pytest.raises(EditError):
        apply_notebook(content, [Edit("x", 1, 1, 1, 1, cell=MODEL_CELL)])
    result = cli(tmp_path, str(path))
    assert result.exit_code == 2 and reason in result.stderr
