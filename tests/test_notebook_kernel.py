"""The notebook experience, in a real Jupyter kernel (nbclient + ipykernel): `%load_ext
keras_headcheck` checks each model a cell compiles and shows the findings under that cell;
`%headcheck` checks on demand; `check(model)` renders as an HTML report.

One kernel, one small model (recompiled), executed once for the module.
"""

from __future__ import annotations

import html
import os
import re
from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbclient import NotebookClient

from keras_headcheck import RULES, Finding, Findings

ROOT = Path(__file__).resolve().parent.parent
CELLS = [
    # 1: a model compiled before the extension is loaded is not reported later.
    "import os\nos.environ['TF_CPP_MIN_LOG_LEVEL'] = '3'\nimport keras\n"
    "early = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1, activation='softmax')])\n"
    "early.compile(loss='mse')\n"
    "%load_ext keras_headcheck",
    # 2: the seed mistake: softmax on one unit, MSE, accuracy.
    "model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1, activation='softmax')])\n"
    "model.compile(optimizer='adam', loss='mse', metrics=['accuracy'])",
    # 3: nothing compiled: nothing shown.
    "x = 1",
    # 4: recompiled: checked again, with the new loss.
    "model.compile(optimizer='adam', loss='binary_crossentropy')",
    # 5: the fixed model: a short all-clear.
    "model.layers[-1].activation = keras.activations.sigmoid\n"
    "fixed = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1, activation='sigmoid')])\n"
    "fixed.compile(optimizer='adam', loss='binary_crossentropy')",
    # 6, 7: on demand.
    "%headcheck model",
    "%headcheck",
    # 8: check() as the cell's value renders as HTML.
    "from keras_headcheck import check\ncheck(model)",
]


@pytest.fixture(scope="module")
def executed(tmp_path_factory: pytest.TempPathFactory) -> list[Any]:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in CELLS]
    path = tmp_path_factory.mktemp("kernel")
    env = {"PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    old = {key: os.environ.get(key) for key in env}
    os.environ.update(env)  # the kernel inherits it: it imports this checkout
    try:
        client = NotebookClient(
            notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path)}}
        )
        client.execute()
    finally:
        for key, value in old.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return [cell.outputs for cell in notebook.cells]


def shown(outputs: list[Any], mime: str = "text/plain") -> str:
    return "\n".join(o.get("data", {}).get(mime, "") + o.get("text", "") for o in outputs)


def as_text(page: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def codes(text: str) -> list[str]:
    return sorted({code for code in RULES if f"{code} [" in text})


def test_the_cell_that_compiles_shows_its_findings(executed: list[Any]) -> None:
    assert shown(executed[0]).strip() == ""  # `early` was compiled before the extension
    text = shown(executed[1])
    assert codes(text) == ["HC101", "HC203", "HC301"] and "model `model`" in text
    assert "early" not in text
    assert shown(executed[2]).strip() == ""


def test_the_html_under_the_cell_links_each_rule_and_gives_the_fix(executed: list[Any]) -> None:
    page = shown(executed[1], "text/html")
    for code in ("HC101", "HC203", "HC301"):
        rule = RULES[code]
        assert f'href="{rule.url}"' in page and rule.fix.replace("`", "") in as_text(page)
    assert "color: #c62828" in page  # errors in red


def test_a_recompile_is_checked_again(executed: list[Any]) -> None:
    assert codes(shown(executed[3])) == ["HC101"]  # bce fits the one unit; softmax still wrong
    text = shown(executed[4])
    assert "model `fixed`" in text and "no findings" in text and "model `model`" not in text


def test_on_demand(executed: list[Any]) -> None:
    assert codes(shown(executed[5])) == []  # its activation was fixed in cell 5
    assert "model `model`" in shown(executed[5])
    everything = shown(executed[6])
    assert all(f"model `{name}`" in everything for name in ("early", "model", "fixed"))
    assert codes(everything) == ["HC101", "HC203"]  # `early`: softmax on one unit, and mse


def test_check_renders_as_html(executed: list[Any]) -> None:
    (result,) = [o for o in executed[7] if o.output_type == "execute_result"]
    assert "text/html" in result.data and "keras-headcheck" in result.data["text/html"]


def test_html_escapes_names_from_the_model() -> None:
    finding = Finding(
        code="HC101", name="softmax-on-single-unit", severity="error", filename="<model>",
        output="<script>alert(1)</script>", layer="a&b", line=None,
        message="softmax over `<b>`", fix=RULES["HC101"].fix, url=RULES["HC101"].url,
    )
    page = Findings([finding])._repr_html_()
    assert "<script>" not in page and "&lt;script&gt;" in page and "a&amp;b" in page
    assert "no findings" in Findings()._repr_html_()
