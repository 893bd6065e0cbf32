"""The nodes of a layer graph (graph.py builds it from a saved or source config), and the error
a config that is not a Keras model's raises."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

from .known import ReadAs
from .layers import Shape


class ConfigError(ValueError):
    """The model config does not have the structure of a Keras model; `layers` names the layers
    whose calls could not be connected, when that is the reason."""

    def __init__(self, message: str, layers: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.layers = layers


@dataclass
class Node:
    key: int
    name: str  # display path: "outer/inner/dense_3"
    class_name: str
    module: Optional[str]
    config: dict[str, Any]
    inputs: list[int]
    call_kwargs: dict[str, Any] = field(default_factory=dict)
    build_shape: Shape = None
    shape: Shape = None
    class_axis: Optional[int] = None  # where a channels_first conv put the classes, if kept so far
    read_as: Optional[ReadAs] = None  # a library layer: the Keras layer it computes like (known.py)
