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
    # the model's other outputs, each a head like `output` (a question answerer's `end_logits`)
    more_outputs: tuple[str, ...] = ()
    # what the library's compile puts in place of a loss it was given none of, to mean "my own"
    # (transformers: its `dummy_loss` function), so a saved or live model holds that name
    placeholder_loss: Optional[str] = None
    # the head layer's class: a Dense over features, or a per-pixel Conv2D (segmentation_models)
    layer: str = "Dense"

    @property
    def what(self) -> str:
        return f"{self.library}.{self.constructor}"


@dataclass(frozen=True)
class KnownLayer:
    """A library layer that ends in a dense projection: `units` outputs with `activation`."""

    library: str  # "keras_hub.layers", "official.nlp.modeling.layers"
    constructor: str  # "MaskedLMHead"
    activation: Any  # as a config holds it ("softmax", None), or RUNTIME
    units: Optional[int]  # None when not known
    rank: Optional[int] = None  # the output's rank when fixed whatever the input's (MaskedLMHead: 3)
    # what the layer's other outputs are, when it returns a tuple (index 0 is the projection)
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


def trained_loss(known: KnownHead, loss: Any) -> Any:
    """The loss a library model trains with when its compile was given `loss`: the library's own
    when it was given none (or the library's placeholder for none), else `loss` itself."""
    if known.default_loss is None:
        return loss
    if loss in (None, "auto"):
        return known.default_loss
    if known.placeholder_loss is not None:
        named = loss.get("config") if isinstance(loss, dict) and loss.get("class_name") == "function" else loss
        if named == known.placeholder_loss:
            return known.default_loss
    return loss


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
