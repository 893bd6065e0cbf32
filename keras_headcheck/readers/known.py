"""Models saved (or serialised live) as a constructor's config rather than a layer graph.

A keras_hub task or a transformers model saves its constructor's arguments, not its layers; its
head comes from keras_headcheck/knowledge. Any other such model is a subclass this reader cannot
see into: one output, named by its class, with a hint on how to check it (HC901). A library model
with several outputs (a question answerer's `start_logits` and `end_logits`) gets one head each,
on one shared backbone.

A library layer the tables know (keras_hub's `MaskedLMHead`, the Model Garden's
`RandomFeatureGaussianProcess`) is read as the Keras layer it ends in, a Dense of its width and
activation, keeping its own name and class for the report; one whose arguments do not say is an
opaque layer named by its library and class (HC901).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional, Union

from ..knowledge import RUNTIME, KnownHead, Unsupported, config_head, layer_head
from .layers import CUSTOM, canonical_activation, config_of

LIVE_HINT = (
    "load it and run keras_headcheck.check(model, x=batch), or train with the HeadCheck callback"
)


def library_head(model: dict[str, Any]) -> Optional[Union[KnownHead, Unsupported]]:
    """What the library tables say of a model saved as its constructor's config (None: no table
    knows its class)."""
    module = model.get("module") if isinstance(model.get("module"), str) else None
    config = model["config"] if isinstance(model.get("config"), dict) else {}
    return config_head(str(model.get("class_name")), module, config)


def add_known_heads(graph: Any, model: dict[str, Any], name: str) -> list[int]:
    """Nodes for a config-only model's outputs: its library heads, or one opaque node."""
    class_name = str(model.get("class_name"))
    module = model.get("module") if isinstance(model.get("module"), str) else None
    config = model["config"] if isinstance(model.get("config"), dict) else {}
    known = library_head(model)
    if not isinstance(known, KnownHead) or known.features or not isinstance(known.activation, (str, type(None))):
        what = known.what if known is not None else (
            class_name if module == "<unknown>"  # already described by the live reader
            else f"subclassed model `{class_name}` saved without its layers: {LIVE_HINT}"
        )
        return [graph.add(name, {"class_name": what, "module": "<unknown>", "config": config}, [], {})]
    source = graph.add(f"{name}/inputs", {"class_name": "InputLayer", "config": {}}, [], {})
    backbone = graph.add(
        f"{name}/backbone", {"class_name": f"{known.what} backbone", "module": "<unknown>"}, [source], {}
    )
    heads = []
    for output in (known.output, *known.more_outputs):
        head = {
            "class_name": "Dense",
            "module": "keras.layers",
            "config": {"units": known.units, "activation": known.activation, "name": output},
        }
        heads.append(graph.add(output, head, [backbone], {}))
    return heads


@dataclass(frozen=True)
class ReadAs:
    """How the walker reads a library layer: as the Keras layer it computes like (a Dense), or,
    when its arguments do not say, as an unknown layer whose class name says why."""

    class_name: str
    config: dict[str, Any]
    module: str = "keras.layers"
    rank: Optional[int] = None  # its output's rank, when fixed whatever its input's
    more_outputs: tuple[str, ...] = ()  # what its outputs after the first are
    shown: Optional[str] = None  # how the report names it, when not by its own class

    @staticmethod
    def unknown(why: str) -> "ReadAs":
        return ReadAs(why, {}, CUSTOM, shown=why)


def library_layer(entry: dict[str, Any]) -> Optional[ReadAs]:
    """How to read a layer entry of a library table (None: not one; any layer else)."""
    class_name = str(entry.get("class_name") or "")
    module = entry.get("module")
    if not isinstance(module, str):  # Keras 2 files name a registered class "package>Name"
        module = class_name.split(">")[0] if ">" in class_name else None
    if module is None:
        return None
    known = layer_head(class_name, module, config_of(entry))
    if known is None:
        return None
    if isinstance(known, Unsupported):
        return ReadAs.unknown(known.what)
    if known.activation is RUNTIME:
        return ReadAs.unknown(f"{known.what}: activation known only at run time")
    if canonical_activation(known.activation) is None:
        return ReadAs.unknown(f"{known.what}: its activation is not a Keras one")
    dense = {"units": known.units, "activation": known.activation}
    return ReadAs("Dense", dense, rank=known.rank, more_outputs=known.more_outputs)
