"""The answer every library table gives: the head a library builds, or why it is not known."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional, Sequence


class _Runtime:
    __slots__ = ()

    def __repr__(self) -> str:
        return "RUNTIME"


RUNTIME: Any = _Runtime()  # an argument only known when the script runs


@dataclass(frozen=True)
class KnownHead:
    """The output layer a library model ends in."""

    library: str  # "keras.applications", "keras_hub", "transformers"...
    constructor: str  # "ResNet50", "ImageClassifier"...
    output: str  # the output (head layer) name: "predictions", "logits"
    activation: Any  # the `activation=` argument as a config holds it ("softmax", None), or RUNTIME
    units: Optional[int]  # classes; None when not known
    default_loss: Any = None  # the loss config the library's own `compile` sets when given none
    features: bool = False  # no head of its own (include_top=False): the user's layers are the head
    unknown: str = "activation known only at run time"  # why, when `activation` is RUNTIME
    # the model's other outputs, each a head like `output` (a question answerer's `end_logits`);
    # a saved file's config-only model is read with its first output only (readers/known.py)
    more_outputs: tuple[str, ...] = ()

    @property
    def what(self) -> str:
        return f"{self.library}.{self.constructor}"


@dataclass(frozen=True)
class Unsupported:
    """A library model whose head keras-headcheck does not know (HC901 names it)."""

    library: str
    constructor: str
    why: str

    @property
    def what(self) -> str:
        return f"{self.library}.{self.constructor} ({self.why})"


def named_arguments(
    order: Sequence[str], args: Sequence[Any], kwargs: dict[str, Any]
) -> dict[str, Any]:
    """Positional and keyword arguments by parameter name."""
    named = dict(zip(order, args))
    named.update(kwargs)
    return named


def units_of(value: Any) -> Optional[int]:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


def sparse_crossentropy(from_logits: Any) -> dict[str, Any]:
    """SparseCategoricalCrossentropy as a saved compile config spells it."""
    return {
        "module": "keras.losses",
        "class_name": "SparseCategoricalCrossentropy",
        "config": {"from_logits": bool(from_logits)},
    }
