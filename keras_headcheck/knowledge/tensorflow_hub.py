"""tensorflow_hub: a `hub.KerasLayer` runs a saved module this linter cannot see into.

Its width is known only when `output_shape` is given; what it computes (logits, probabilities,
embeddings) is never known, so as the last layer of a model it is reported (HC901), and a head
the user puts on top of it is read as usual.
"""

from __future__ import annotations

from typing import Any, Optional, Union

from .heads import KnownHead, Unsupported

LIBRARY = "tensorflow_hub"


def from_call(
    constructor: str, factory: Optional[str], args: tuple[Any, ...], kwargs: dict[str, Any]
) -> Optional[Union[KnownHead, Unsupported]]:
    return None  # a KerasLayer is a layer, not a model: see `layer_note`


def from_config(class_name: str, module: str, config: dict[str, Any]) -> None:
    return None


def layer_note(path: str) -> Optional[str]:
    """How a layer from tensorflow_hub is named when it hides a head (HC901)."""
    if path.startswith("tensorflow_hub.") and path.endswith("KerasLayer"):
        return "tensorflow_hub.KerasLayer: what its module computes is not known"
    return None
