"""Fixes as data, `check --fix`, `--unsafe-fixes` and `--diff`, driven through the CLI as a user
runs it. Each fixable rule has a fixture before and after `--fix` in tests/data/fixes/ (the
`.fixed` file is what the fix must write, byte for byte); the fixed file parses and lints clean
for that rule; `--diff` applied by `patch` gives the same bytes; a second run changes nothing."""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import jsonschema
import nbformat
import numpy as np
import pytest
from click.testing import CliRunner

from keras_headcheck.cli import main
from keras_headcheck.findings import Edit, Finding, Fix
from keras_headcheck.fixes import EditError, apply, apply_notebook
from keras_headcheck.fixing import apply_fixes
from keras_headcheck.rules import RULES

DATA = Path(__file__).parent / "data" / "fixes"
EXAMPLES = Path(__file__).parent.parent / "examples"
SARIF_SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text())
# The JSON findings' `applicable_fix`: null, or ruff's `fix` shape (+ `cell` for a notebook edit).
POSITION = {"type": "object", "required": ["row", "column"], "additionalProperties": False,
            "properties": {"row": {"type": "integer", "minimum": 1},
                           "column": {"type": "integer", "minimum": 1}}}
FIX_SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["code", "fix", "applicable_fix"],
        "properties": {
            "fix": {"type": "string"},
            "applicable_fix": {"oneOf": [{"type": "null"}, {
                "type": "object",
                "required": ["applicability", "message", "edits"],
                "additionalProperties": False,
                "properties": {
                    "applicability": {"enum": ["safe", "unsafe"]},
                    "message": {"type": "string", "minLength": 1},
                    "edits": {"type": "array", "minItems": 1, "items": {
                        "type": "object",
                        "required": ["content", "location", "end_location"],
                        "additionalProperties": False,
                        "properties": {
                            "content": {"type": "string"},
                            "location": POSITION,
                            "end_location": POSITION,
                            "cell": {"type": "integer", "minimum": 1},
                        },
                    }},
                },
            }]},
        },
    },
}
PATCH = shutil.which("patch")


def run(cwd: Path, *args: str, stdin: str | None = None) -> Any:
    """The CLI in this process, from `cwd`, without configuration."""
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(main, ["check", "--isolated", *args], input=stdin)
    finally:
        os.chdir(old)


def findings(cwd: Path, *args: str) -> list[dict[str, Any]]:
    result = run(cwd, "--output-format", "json", *args)
    assert result.exit_code in (0, 1), result.stderr
    return json.loads(result.stdout)


def copy(tmp_path: Path, name: str, as_name: str | None = None) -> Path:
    target = tmp_path / (as_name or name)
    shutil.copyfile(DATA / name, target)
    return target


# --- every fixable rule: before and after ------------------------------------------------------

# (fixture, the code it fixes, the options that fix it)
FIXABLE = [
    ("hc201.py", "HC201", ()),
    ("hc202.py", "HC202", ()),
    ("hc101.py", "HC101", ()),
    ("hc206.py", "HC206", ()),
    ("hc401.py", "HC401", ()),
    ("hc402.py", "HC402", ()),
    ("hc203.py", "HC203", ("--unsafe-fixes",)),
    ("hc501.py", "HC501", ()),
    ("call_forms.py", "HC201", ()),  # and HC202
]


@pytest.mark.parametrize("name,code,options", FIXABLE, ids=[f[0] for f in FIXABLE])
def test_fix_writes_the_expected_file(tmp_path: Path, name: str, code: str, options: tuple) -> None:
    path = copy(tmp_path, name, "train.py")
    before = findings(tmp_path, *options, "train.py")
    assert before and all(f["code"] == code and f["applicable_fix"] for f in before if f["code"] == code)
    result = run(tmp_path, "--fix", *options, "train.py")
    assert result.exit_code == 0, result.stdout + result.stderr
    after = path.read_bytes()
    assert after == (DATA / name.replace(".py", ".fixed.py")).read_bytes()
    ast.parse(after)
    assert code not in {f["code"] for f in findings(tmp_path, "train.py")}
    assert "fixed" in result.stderr
    again = run(tmp_path, "--fix", *options, "train.py")  # idempotent
    assert path.read_bytes() == after and again.exit_code == 0


@pytest.mark.parametrize("name,code,options", FIXABLE, ids=[f[0] for f in FIXABLE])
@pytest.mark.skipif(PATCH is None, reason="patch is not installed")
def test_diff_applied_by_patch_gives_what_fix_writes(tmp_path: Path, name: str, code: str, options: tuple) -> None:
    fixed, patched = tmp_path / "fixed", tmp_path / "patched"
    fixed.mkdir(), patched.mkdir()
    copy(fixed, name, "train.py")
    copy(patched, name, "train.py")
    diff = run(patched, "--diff", *options, "train.py")
    assert diff.exit_code == 1 and diff.stdout.startswith("--- train.py\n+++ train.py\n"), diff.stderr
    assert (patched / "train.py").read_bytes() == (DATA / name).read_bytes()  # --diff changes nothing
    assert "Would fix" in diff.stderr
    subprocess.run([PATCH, "-s", "-p0"], input=diff.stdout, text=True, cwd=patched, check=True)
    run(fixed, "--fix", *options, "train.py")
    assert (patched / "train.py").read_bytes() == (fixed / "train.py").read_bytes()
    nothing = run(fixed, "--diff", *options, "train.py")
    assert (nothing.exit_code, nothing.stdout) == (0, "")


# --- the public apply function -----------------------------------------------------------------


def test_apply_replaces_inserts_and_deletes_in_code_points() -> None:
    text = "é = f(a, b=1)\r\nx = 'ü'\n"
    edits = [
        Edit("", 1, 8, 1, 13),  # ", b=1" after "a"
        Edit("z", 2, 1, 2, 2),
        Edit("  # ok", 2, 8, 2, 8),
    ]
    assert apply(text, edits) == "é = f(a)\r\nz = 'ü'  # ok\n"
    assert apply(text, [Edit("y", 1, 1, 1, 2, cell=3)], cell=3) == "y = f(a, b=1)\r\nx = 'ü'\n"
    assert apply(text, [Edit("y", 1, 1, 1, 2, cell=3)]) == text  # another cell's edit
    with pytest.raises(EditError):
        apply(text, [Edit("", 1, 2, 1, 5), Edit("", 1, 4, 1, 6)])
    with pytest.raises(EditError):
        apply(text, [Edit("", 9, 1, 9, 2)])


# --- safety: unsafe fixes, what cannot be located, what is never touched -----------------------


def test_unsafe_fixes_wait_for_the_option(tmp_path: Path) -> None:
    path = copy(tmp_path, "hc203.py", "train.py")
    shown = run(tmp_path, "train.py")
    assert "[*]" not in shown.stdout  # `[*]`: what --fix would apply, and it would not
    assert shown.stderr.strip().endswith("; 3 fixes available with --unsafe-fixes.")
    assert "[*]" in run(tmp_path, "--unsafe-fixes", "train.py").stdout
    assert {f["applicable_fix"]["applicability"] for f in findings(tmp_path, "train.py")} == {"unsafe"}
    result = run(tmp_path, "--fix", "train.py")
    assert result.exit_code == 1 and path.read_bytes() == (DATA / "hc203.py").read_bytes()
    assert "3 more fixes available with --unsafe-fixes" in result.stderr
    diff = run(tmp_path, "--diff", "train.py")
    assert (diff.exit_code, diff.stdout) == (0, "")


def test_what_cannot_be_located_exactly_gets_no_fix_and_is_not_touched(tmp_path: Path) -> None:
    path = copy(tmp_path, "not_located.py", "train.py")
    found = findings(tmp_path, "--unsafe-fixes", "train.py")
    assert {f["code"] for f in found} >= {"HC101", "HC201", "HC202", "HC206", "HC501"}
    assert [f for f in found if f["applicable_fix"]] == []
    result = run(tmp_path, "--fix", "--unsafe-fixes", "train.py")
    assert result.exit_code == 1 and "fixed" not in result.stderr
    assert path.read_bytes() == (DATA / "not_located.py").read_bytes()
    assert run(tmp_path, "--diff", "--unsafe-fixes", "train.py").stdout == ""


def test_saved_model_files_are_never_touched(tmp_path: Path) -> None:
    source = EXAMPLES / "seed000_softmax_one_unit_mse.keras"
    if not source.exists():
        pytest.skip("examples/ not present")
    model = tmp_path / "model.keras"
    shutil.copyfile(source, model)
    assert all(f["applicable_fix"] is None for f in findings(tmp_path, "model.keras"))
    result = run(tmp_path, "--fix", "--unsafe-fixes", "model.keras")
    assert result.exit_code == 1 and model.read_bytes() == source.read_bytes()


def test_overlapping_fixes_apply_one_and_leave_the_other() -> None:
    text = b"x = f(1)\n"
    first = _finding(Edit("g", 1, 5, 1, 6))
    clash = _finding(Edit("h(2)", 1, 5, 1, 9))
    same = _finding(Edit("g", 1, 5, 1, 6))  # one edit asked for by two findings: applied once
    assert apply_fixes(text, "a.py", [first, clash, same]) == (b"x = g(1)\n", 2)


def _finding(edit: Edit) -> Finding:
    rule = RULES["HC101"]
    return Finding("HC101", rule.name, "error", "a.py", "o", "o", 1, "m", rule.fix, rule.url,
                   applicable_fix=Fix("change", "safe", (edit,)))


# --- bytes kept: encoding, newlines ------------------------------------------------------------


def test_encoding_and_newlines_are_kept(tmp_path: Path) -> None:
    source = (DATA / "hc201.py").read_text().replace("# HC201:", "# -*- coding: latin-1 -*-\n# É HC201:")
    raw = source.replace("\n", "\r\n").rstrip("\r\n").encode("latin-1")  # CRLF, no final newline
    path = tmp_path / "train.py"
    path.write_bytes(raw)
    assert run(tmp_path, "--fix", "train.py").exit_code == 0
    fixed = path.read_bytes()
    expected = (DATA / "hc201.fixed.py").read_text().replace("# HC201:", "# -*- coding: latin-1 -*-\n# É HC201:")
    assert fixed == expected.replace("\n", "\r\n").rstrip("\r\n").encode("latin-1")


@pytest.mark.skipif(PATCH is None, reason="patch is not installed")
def test_diff_of_a_file_without_final_newline_applies(tmp_path: Path) -> None:
    text = "import keras\nm = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1, activation='softmax')])\nm.compile(loss='binary_crossentropy')"
    (tmp_path / "a.py").write_text(text)
    diff = run(tmp_path, "--diff", "a.py")
    assert "\\ No newline at end of file" in diff.stdout
    subprocess.run([PATCH, "-s", "-p0"], input=diff.stdout, text=True, cwd=tmp_path, check=True)
    assert (tmp_path / "a.py").read_text() == text.replace("'softmax'", "'sigmoid'")


# --- stdin ---------------------------------------------------------------------------------------


def test_stdin_with_fix_prints_the_fixed_source(tmp_path: Path) -> None:
    result = run(tmp_path, "--fix", "-", "--stdin-filename", "train.py",
                 stdin=(DATA / "hc201.py").read_text())
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (DATA / "hc201.fixed.py").read_text()
    assert "no problems left (3 fixed)" in result.stderr
    assert not (tmp_path / "train.py").exists()


# --- targets given on the command line ----------------------------------------------------------


def test_targets_given_make_the_loss_swap(tmp_path: Path) -> None:
    (tmp_path / "train.py").write_text(
        "import keras\n"
        "model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation='softmax')])\n"
        "model.compile(loss='categorical_crossentropy')\n"
        "model.fit(x, y)\n"
    )
    np.save(tmp_path / "y.npy", np.array([0, 1, 2, 1]))
    result = run(tmp_path, "--fix", "--targets", "y.npy", "train.py")
    assert result.exit_code == 0, result.stderr
    assert "model.compile(loss='sparse_categorical_crossentropy')" in (tmp_path / "train.py").read_text()


# --- notebooks: cell by cell, the JSON layout kept ------------------------------------------------

CELLS = [
    ("markdown", "# A classifier\nWith a softmax head."),
    ("code", "%matplotlib inline\nimport keras\nfrom keras import layers"),
    ("code", 'model = keras.Sequential([\n    keras.Input((20,)),\n    layers.Dense(10, activation="softmax"),\n])\nmodel.summary()'),
    ("code", 'model.compile(optimizer="adam",\n              loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))\n'),
    ("code", 'one = keras.Sequential([keras.Input((4,)), layers.Dense(1, activation="softmax")])\none.compile(loss="binary_crossentropy")'),
]
FIXED_CELLS = {
    4: 'model.compile(optimizer="adam",\n              loss=keras.losses.SparseCategoricalCrossentropy())\n',
    5: 'one = keras.Sequential([keras.Input((4,)), layers.Dense(1, activation="sigmoid")])\none.compile(loss="binary_crossentropy")',
}


def notebook(cells: dict[int, str] | None = None) -> Any:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    for number, (kind, text) in enumerate(CELLS, 1):
        text = (cells or {}).get(number, text)
        if kind == "markdown":
            nb.cells.append(nbformat.v4.new_markdown_cell(text, id=f"cell-{number}"))
            continue
        cell = nbformat.v4.new_code_cell(text, id=f"cell-{number}", execution_count=number)
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=f"out {number}\n")]
        nb.cells.append(cell)
    return nb


def test_notebook_written_by_nbformat_is_fixed_cell_by_cell(tmp_path: Path) -> None:
    path = tmp_path / "explore.ipynb"
    nbformat.write(notebook(), str(path))
    found = findings(tmp_path, "explore.ipynb")
    edits = {f["code"]: f["applicable_fix"]["edits"] for f in found}
    assert edits["HC201"][0]["cell"] == 4 and edits["HC101"][0]["cell"] == 5
    jsonschema.validate(found, FIX_SCHEMA)
    patched = tmp_path / "patched"
    patched.mkdir()
    shutil.copyfile(path, patched / "explore.ipynb")
    diff = run(patched, "--diff", "explore.ipynb")
    result = run(tmp_path, "--fix", "explore.ipynb")
    assert result.exit_code == 0, result.stdout + result.stderr
    expected = tmp_path / "expected.ipynb"
    nbformat.write(notebook(FIXED_CELLS), str(expected))
    assert path.read_bytes() == expected.read_bytes()  # only the two cells' sources changed
    assert run(tmp_path, "--diff", "explore.ipynb").stdout == ""
    if PATCH is not None:
        subprocess.run([PATCH, "-s", "-p0"], input=diff.stdout, text=True, cwd=patched, check=True)
        assert (patched / "explore.ipynb").read_bytes() == path.read_bytes()


@pytest.mark.parametrize("indent,newline", [(2, False), (4, True)])
def test_notebook_layout_and_string_sources_are_kept(tmp_path: Path, indent: int, newline: bool) -> None:
    nb = json.loads(nbformat.writes(notebook()))
    for cell in nb["cells"]:
        cell["source"] = "".join(cell["source"])  # one string, as some tools write it
    dump = lambda n: json.dumps(n, indent=indent, ensure_ascii=True) + ("\n" if newline else "")  # noqa: E731
    path = tmp_path / "nb.ipynb"
    path.write_text(dump(nb))
    assert run(tmp_path, "--fix", "nb.ipynb").exit_code == 0
    for number, text in FIXED_CELLS.items():
        nb["cells"][number - 1]["source"] = text
    assert path.read_text() == dump(nb)


def test_a_notebook_layout_that_cannot_be_written_back_is_not_touched(tmp_path: Path) -> None:
    path = tmp_path / "odd.ipynb"
    path.write_text(json.dumps(json.loads(nbformat.writes(notebook())), indent=3))
    before = path.read_bytes()
    assert all(f["applicable_fix"] is None for f in findings(tmp_path, "odd.ipynb"))
    assert run(tmp_path, "--fix", "odd.ipynb").exit_code == 1
    assert path.read_bytes() == before
    with pytest.raises(EditError):
        apply_notebook(before.decode(), [Edit("x", 1, 1, 1, 2, cell=2)])


# --- the machine formats carry the edits ----------------------------------------------------------


def test_json_carries_the_edits_beside_the_one_sentence_fix(tmp_path: Path) -> None:
    copy(tmp_path, "hc201.py", "train.py")
    found = findings(tmp_path, "train.py")
    jsonschema.validate(found, FIX_SCHEMA)
    first = found[0]
    assert first["fix"] == RULES["HC201"].fix  # CONTRACT.md: `fix` stays one sentence
    assert first["applicable_fix"] == {
        "applicability": "safe",
        "message": "Remove `from_logits=True` from the loss",
        "edits": [{"content": "", "location": {"row": 12, "column": 53},
                   "end_location": {"row": 12, "column": 69}}],
    }
    lines = run(tmp_path, "--output-format", "json-lines", "train.py").stdout.splitlines()
    assert [json.loads(line) for line in lines] == found


def test_sarif_carries_fixes_that_validate(tmp_path: Path) -> None:
    copy(tmp_path, "hc201.py", "train.py")
    log = json.loads(run(tmp_path, "--output-format", "sarif", "train.py").stdout)
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(log)
    results = log["runs"][0]["results"]
    assert len(results) == 3 and all(len(r["fixes"]) == 1 for r in results)
    change = results[0]["fixes"][0]["artifactChanges"][0]
    assert change["artifactLocation"]["uri"] == "train.py"
    assert change["replacements"] == [{
        "deletedRegion": {"startLine": 12, "startColumn": 53, "endLine": 12, "endColumn": 69},
        "insertedContent": {"text": ""},
    }]
    assert results[0]["fixes"][0]["properties"] == {"applicability": "safe"}


def test_concise_marks_fixable_findings(tmp_path: Path) -> None:
    copy(tmp_path, "hc201.py", "train.py")
    lines = run(tmp_path, "--output-format", "concise", "train.py").stdout.splitlines()
    assert lines[0] == ("train.py:8:5: HC201 [*] softmax output of `dense_1` goes into "
                        "SparseCategoricalCrossentropy with from_logits=True")


# --- how a written loss class is spelt ------------------------------------------------------------


def test_a_loss_class_is_spelt_through_the_framework_of_the_head_layer(tmp_path: Path) -> None:
    (tmp_path / "train.py").write_text(
        "import keras\n"
        "import tensorflow as tf\n"
        "a = tf.keras.Sequential([tf.keras.Input((4,)), tf.keras.layers.Dense(3)])\n"
        "a.compile(loss='sparse_categorical_crossentropy')\n"
        "b = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])\n"
        "b.compile(loss='sparse_categorical_crossentropy')\n"
    )
    assert run(tmp_path, "--fix", "train.py").exit_code == 0
    lines = (tmp_path / "train.py").read_text().splitlines()
    assert lines[3] == "a.compile(loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))"
    assert lines[5] == "b.compile(loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))"


def test_a_loss_dict_entry_is_fixed_for_its_output_only(tmp_path: Path) -> None:
    (tmp_path / "train.py").write_text(
        "import keras\n"
        "from keras import layers, losses\n"
        "inputs = keras.Input((8,))\n"
        "a = layers.Dense(3, name='a')(inputs)\n"
        "b = layers.Dense(1, activation='sigmoid', name='b')(inputs)\n"
        "model = keras.Model(inputs, [a, b])\n"
        "model.compile(loss={'a': 'sparse_categorical_crossentropy', 'b': 'binary_crossentropy'})\n"
    )
    assert run(tmp_path, "--fix", "train.py").exit_code == 0
    assert (tmp_path / "train.py").read_text().splitlines()[-1] == (
        "model.compile(loss={'a': losses.SparseCategoricalCrossentropy(from_logits=True), "
        "'b': 'binary_crossentropy'})"
    )


def test_no_spelling_without_a_keras_import_to_spell_it_with(tmp_path: Path) -> None:
    text = (
        "from keras.models import Sequential\n"
        "from keras.layers import Dense, Input\n"
        "m = Sequential([Input((4,)), Dense(3)])\n"
        "m.compile(loss='sparse_categorical_crossentropy')\n"
    )
    (tmp_path / "train.py").write_text(text)
    found = findings(tmp_path, "train.py")
    assert [f["code"] for f in found] == ["HC202"] and found[0]["applicable_fix"] is None


# --- only what is reported is fixed ---------------------------------------------------------------


def test_silenced_and_unselected_findings_are_not_fixed(tmp_path: Path) -> None:
    text = (DATA / "hc201.py").read_text().replace(
        'layers.Dense(10, activation="softmax"),', 'layers.Dense(10, activation="softmax"),  # noqa: HC201')
    path = tmp_path / "train.py"
    path.write_text(text)
    unselected = run(tmp_path, "--fix", "--select", "HC202", "train.py")
    assert unselected.exit_code == 0 and "fixed" not in unselected.stderr
    assert path.read_text() == text
    assert run(tmp_path, "--fix", "train.py").exit_code == 0
    fixed = path.read_text()
    assert "SparseCategoricalCrossentropy(from_logits=True)" in fixed  # the silenced one is left
    assert "BinaryCrossentropy(label_smoothing=0.1))" in fixed


# --- the summary line ------------------------------------------------------------------------------


def test_summary_says_what_was_fixed_and_what_could_be(tmp_path: Path) -> None:
    copy(tmp_path, "hc206.py", "train.py")  # 4 safe fixes now, 1 more (HC101) only after them
    assert run(tmp_path, "train.py").stderr.strip() == (
        "Checked 4 heads in 1 file: 5 errors; 4 fixable with --fix (1 more with --unsafe-fixes).")
    diff = run(tmp_path, "--diff", "train.py")
    assert diff.stderr.strip() == "Would fix 5 findings."  # the second pass makes HC101 safe
    fixed = run(tmp_path, "--fix", "train.py")
    assert fixed.stderr.strip() == "Checked 4 heads in 1 file: no problems left (5 fixed)."
    copy(tmp_path, "hc203.py", "regress.py")
    partly = run(tmp_path, "--fix", "--select", "HC101,HC203", "regress.py", "--unsafe-fixes")
    assert partly.stderr.strip() == "Checked 2 heads in 1 file: no problems left (3 fixed)."
    copy(tmp_path, "hc203.py", "regress.py")
    left = run(tmp_path, "--fix", "regress.py")
    assert left.stderr.strip() == (
        "Checked 2 heads in 1 file: 2 errors, 1 warning; 3 more fixes available with --unsafe-fixes.")
    mixed = (DATA / "hc201.py").read_text() + (
        "loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)\n"
        "held = keras.Sequential([keras.Input((8,)), layers.Dense(10, activation='softmax')])\n"
        "held.compile(loss=loss_fn)\n"
    )
    (tmp_path / "mixed.py").write_text(mixed)
    some = run(tmp_path, "--fix", "mixed.py")
    assert some.exit_code == 1
    assert some.stderr.strip() == "Checked 4 heads in 1 file: 1 error (3 fixed, 1 remaining)."


# --- --show-fixes ----------------------------------------------------------------------------------


def test_show_fixes_lists_what_was_fixed_would_be_and_could_be(tmp_path: Path) -> None:
    copy(tmp_path, "hc206.py", "train.py")  # 4 × HC206, then HC101 once they are fixed
    copy(tmp_path, "hc203.py", "regress.py")  # unsafe only
    listed = ["- train.py:", "    4 × HC206 (categorical-crossentropy-on-single-unit)"]
    could = run(tmp_path, "--show-fixes", "--output-format", "concise", "train.py", "regress.py")
    assert could.stdout.splitlines()[-3:] == ["4 findings fixable with --fix:"] + listed
    both = listed + ["    1 × HC101 (softmax-on-single-unit)"]
    would = run(tmp_path, "--diff", "--show-fixes", "train.py", "regress.py")
    assert would.stdout.startswith("--- train.py\n")  # the diff alone on stdout
    assert would.stderr.splitlines() == ["Would fix 5 findings:"] + both + [
        "Would fix 5 findings (3 more with --unsafe-fixes)."]
    fixed = run(tmp_path, "--fix", "--show-fixes", "--output-format", "json", "train.py", "regress.py")
    assert [f["filename"] for f in json.loads(fixed.stdout)] == ["regress.py"] * 3  # stdout: JSON only
    assert fixed.stderr.splitlines()[:4] == ["Fixed 5 findings:"] + both
    again = run(tmp_path, "--fix", "--show-fixes", "--output-format", "concise", "train.py")
    assert again.exit_code == 0 and again.stdout == ""  # nothing fixed: nothing listed


def test_checking_fixes_is_bounded_per_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each fix is checked by parsing the whole text it edits, so a script with a thousand
    fixable findings would be parsed a thousand times (a fuzzed source took a minute): past
    MAX_CHECKED characters, the findings are still reported, without a fix."""
    from keras_headcheck import fixes

    line = 'm = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1, activation="softmax")])\n'
    text = "import keras\n" + line * 50
    path = tmp_path / "many.py"
    path.write_text(text)
    monkeypatch.setattr(fixes, "MAX_CHECKED", len(text) * 10)  # room for about ten checks
    result = CliRunner().invoke(main, ["check", "--output-format", "json", "--exit-zero",
                                       "--unsafe-fixes", str(path)])
    found = json.loads(result.stdout)
    assert [f["code"] for f in found].count("HC101") == 50
    offered = [f for f in found if f.get("applicable_fix")]
    assert 5 <= len(offered) <= 10
