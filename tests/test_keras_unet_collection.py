"""keras_unet_collection's models, built for real (small filter lists, no weights) and saved: the
head its table gives a script is the head read from the saved file."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path
from typing import Any

import pytest

import keras_headcheck
from keras_headcheck.readers import read_heads

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
pytest.importorskip("keras_unet_collection")  # a test dependency: installed by `.[test]`

SHAPE = "(32, 32, 3)"
CALLS = {  # the call as people write it -> the head read (output, activation, units)
    "unet_2d": f"models.unet_2d({SHAPE}, [8, 16], 3)",
    "att_unet_2d": f"models.att_unet_2d({SHAPE}, filter_num=[8, 16], n_labels=1, "
                   "output_activation='Sigmoid', name='att')",
    "r2_unet_2d": f"models.r2_unet_2d({SHAPE}, [8, 16], 2, output_activation=None)",
    "unet_plus_2d": f"models.unet_plus_2d({SHAPE}, [8, 16], 4, output_activation='ReLU')",
    "u2net_2d": f"models.u2net_2d({SHAPE}, 2, [8, 16], [8, 16], [8, 16], [8, 16], [16], [16])",
    "unet_3plus_2d": f"models.unet_3plus_2d({SHAPE}, 2, [8, 16, 32])",
}


def _head(head: Any) -> tuple[Any, ...]:
    return (head.output, head.activation, head.units)


@pytest.mark.parametrize("name", CALLS)
def test_a_script_reads_the_head_the_saved_model_has(name: str, tmp_path: Path) -> None:
    script, saved = tmp_path / "train.py", tmp_path / "model.keras"
    script.write_text(textwrap.dedent(f"""
        from keras_unet_collection import models
        model = {CALLS[name]}
        model.compile(optimizer="adam", loss="mse")
        """))
    namespace: dict[str, Any] = {}
    exec(compile(script.read_text(), str(script), "exec"), namespace)  # noqa: S102 - our own
    namespace["model"].save(str(saved))
    (source,) = read_heads(str(script))
    (from_file,) = read_heads(str(saved))
    assert _head(source) == _head(from_file)
    assert source.unknown is None and source.activation is not None


@pytest.mark.parametrize("call, codes", [
    (f"models.unet_2d({SHAPE}, [8, 16], 1)", ["HC101"]),  # softmax, its default, over one label
    (f"models.unet_2d({SHAPE}, [8, 16], 1, output_activation='Sigmoid')", []),
    (f"models.unet_plus_2d({SHAPE}, [8, 16], 2, deep_supervision=True)", ["HC901"]),
    # deep_supervision is unet_plus_2d's eleventh parameter: by position, it is read too
    (f"models.unet_plus_2d({SHAPE}, [8, 16], 2, 2, 2, 'ReLU', 'Sigmoid', False, True, True,"
     " True)", ["HC901"]),
    (f"models.unet_plus_2d({SHAPE}, [8, 16], 2, 2, 2, 'ReLU', 'Sigmoid', False, True, True,"
     " False)", []),
    (f"models.unet_2d({SHAPE}, [8, 16], 2, output_activation='Snake')", ["HC901"]),
])
def test_library_defaults_and_what_the_table_leaves(
    call: str, codes: list[str], tmp_path: Path
) -> None:
    script = tmp_path / "train.py"
    script.write_text("from keras_unet_collection import models\n"
                      f"model = {call}\n"
                      "model.compile(optimizer='adam', loss='binary_crossentropy')\n")
    assert [f.code for f in keras_headcheck.check(str(script))] == codes


def test_the_table_has_every_parameter_where_the_library_declares_it() -> None:
    import inspect

    from keras_unet_collection import models

    from keras_headcheck.knowledge.keras_unet_collection import ORDERS

    for name, order in ORDERS.items():
        assert order == tuple(inspect.signature(getattr(models, name)).parameters), name
