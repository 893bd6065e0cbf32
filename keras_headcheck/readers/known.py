"""Models saved (or serialised live) as a constructor's config rather than a layer graph.

A keras_hub task or a transformers model saves its constructor's arguments, not its layers; its
head comes from keras_headcheck/knowledge. Any other such model is a subclass this reader cannot
see into: one output, named by its class, with a hint on how to check it (HC901). A library model
with several outputs (a question answerer's `start_logits` and `end_logits`) gets one head each,
on one shared backbone.
"""

from __future__ import annotations

from typing import Any, Optional, Union

from ..knowledge import KnownHead, Unsupported, config_head

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
