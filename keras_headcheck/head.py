"""The one intermediate form: a frozen description of each model output ("head").

Every reader (saved file, live model, Python source) produces `Head` objects; every rule reads them.
Nothing here knows about Keras objects, JSON configs or AST nodes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Optional, Tuple

# Role of a layer on the walk back from an output.
PASS = "pass"  # value-preserving: Reshape, Flatten, Permute, Cropping, Identity...
NEUTRAL = "neutral"  # changes values but applies no activation: Dropout, BatchNormalization...
ACTIVATION = "activation"  # a pure activation: Activation, Softmax, ReLU, ops.softmax, tf.nn.softmax
WEIGHTED = "weighted"  # a layer with weights and an `activation` argument: Dense, Conv2D, LSTM...
# (and a merge of tensors whose values have a known kind: readers/merges.py)
UNKNOWN = "unknown"  # cannot be interpreted: Lambda, custom layers, unknown ops
INPUT = "input"  # a model input

INF = math.inf

# Value range of each canonical activation: (low, high, low_inclusive, high_inclusive).
ACTIVATION_RANGES: dict[str, tuple[float, float]] = {
    "linear": (-INF, INF),
    "softmax": (0.0, 1.0),
    "sigmoid": (0.0, 1.0),
    "hard_sigmoid": (0.0, 1.0),
    "hard_silu": (-0.375, INF),
    "tanh": (-1.0, 1.0),
    "hard_tanh": (-1.0, 1.0),
    "softsign": (-1.0, 1.0),
    "relu": (0.0, INF),
    "relu6": (0.0, 6.0),
    "softplus": (0.0, INF),
    "exponential": (0.0, INF),
    "elu": (-1.0, INF),
    "selu": (-1.7581, INF),
    "celu": (-1.0, INF),
    "leaky_relu": (-INF, INF),
    "gelu": (-0.17, INF),
    "silu": (-0.2785, INF),
    "mish": (-0.3088, INF),
    "log_softmax": (-INF, 0.0),
    "log_sigmoid": (-INF, 0.0),
    "sparsemax": (0.0, 1.0),
    "squareplus": (0.0, INF),
    "glu": (-INF, INF),
    "tanh_shrink": (-INF, INF),
    "soft_shrink": (-INF, INF),
    "hard_shrink": (-INF, INF),
    "threshold": (-INF, INF),
}

# Activations whose output can be read as probabilities.
PROBABILITY_ACTIVATIONS = frozenset({"softmax", "sigmoid", "hard_sigmoid", "sparsemax"})
# Activations that produce a normalised distribution over the axis.
NORMALISED_ACTIVATIONS = frozenset({"softmax", "sparsemax"})
# Activations bounded on both sides ("squashing"), for HC102.
SQUASHING_ACTIVATIONS = frozenset(
    name for name, (lo, hi) in ACTIVATION_RANGES.items() if lo > -INF and hi < INF
)

PROBABILISTIC_LOSSES = frozenset(
    {
        "binary_crossentropy",
        "binary_focal_crossentropy",
        "categorical_crossentropy",
        "categorical_focal_crossentropy",
        "sparse_categorical_crossentropy",
        "kl_divergence",
    }
)
CROSSENTROPY_LOSSES = PROBABILISTIC_LOSSES - {"kl_divergence"}
CATEGORICAL_LOSSES = frozenset(
    {"categorical_crossentropy", "categorical_focal_crossentropy"}
)
BINARY_LOSSES = frozenset({"binary_crossentropy", "binary_focal_crossentropy"})
REGRESSION_LOSSES = frozenset(
    {
        "mean_squared_error",
        "mean_absolute_error",
        "mean_absolute_percentage_error",
        "mean_squared_logarithmic_error",
        "huber",
        "log_cosh",
    }
)
HINGE_LOSSES = frozenset({"hinge", "squared_hinge", "categorical_hinge"})


# The loss of an output whose model was never compiled, or compiled with `loss=None` (a loss added
# with `add_loss` or computed in a custom `train_step`): loss rules are skipped and HC902 says
# which, for saved files and live models alike.
NOT_COMPILED = "(none: the model is not compiled)"
NO_LOSS = "(none: compiled with loss=None)"


def activation_range(name: Optional[str]) -> Optional[tuple[float, float]]:
    return ACTIVATION_RANGES.get(name or "")


@dataclass(frozen=True)
class Link:
    """One layer on the walk back from an output towards the model's inputs."""

    name: str  # layer path, e.g. "classifier/dense_3"
    class_name: str
    role: str
    activation: Optional[str] = None  # canonical activation for ACTIVATION / WEIGHTED links
    axis: Optional[int] = None  # activation axis (negative = from the end), when not the last
    shape: Optional[Tuple[Optional[int], ...]] = None  # static output shape, batch axis included
    class_axis: Optional[int] = None  # axis holding the channels/classes, when the layer knows
    dtype: Optional[str] = None  # dtype policy name ("float32", "mixed_float16"...)


@dataclass(frozen=True)
class LossSpec:
    """The loss bound to one output."""

    name: Optional[str]  # canonical name ("categorical_crossentropy"), None when not interpretable
    written: str  # how the file/code spelt it, for messages
    from_logits: bool = False
    label_smoothing: float = 0.0
    axis: int = -1


@dataclass(frozen=True)
class MetricSpec:
    """One compiled metric of an output."""

    name: str  # canonical: "accuracy" (auto-resolved), "binary_accuracy", "auc", "precision"...
    written: str
    from_logits: bool = False
    threshold: Optional[float] = None  # None = the Keras default (0.5)


@dataclass(frozen=True)
class Source:
    """Where a head was found."""

    filename: str
    line: Optional[int] = None  # 1-based line of the head layer (source files only)
    compile_line: Optional[int] = None
    layer_lines: Tuple[Tuple[str, int], ...] = ()  # (layer name, line) along the chain
    suppressed: Tuple[str, ...] = ()  # codes/prefixes of `# headcheck: ignore[...]` ("" = all)
    cells: Tuple[Tuple[int, int], ...] = ()  # notebooks: (first line, cell number) per code cell
    model: Optional[str] = None  # sources: the model's variable (or Keras) name, for reports
    position: Optional[int] = None  # sources: the output's position among its model's outputs
    when: Optional[str] = None  # sources: the run-time test's outcome it is built for, "`n == 2`"

    def line_of(self, layer: str) -> Optional[int]:
        return dict(self.layer_lines).get(layer, self.line)

    def is_suppressed(self, code: str) -> bool:
        return any(code.startswith(prefix) for prefix in self.suppressed)

    def cell_of(self, line: int) -> Optional[Tuple[int, int]]:
        """(cell number, line within the cell) of a notebook line."""
        found = None
        for first, number in self.cells:
            if first > line:
                break
            found = (number, line - first + 1)
        return found


@dataclass(frozen=True)
class Unparsed:
    """A part of a source that could not be parsed and was skipped (reported as HC903)."""

    filename: str
    line: int  # 1-based; for a notebook, the line within the cell
    cell: Optional[int]  # notebooks: the cell's position among all the notebook's cells
    reason: str  # the parser's
    last_line: Optional[int] = None  # scripts: the last line of the statement skipped


@dataclass(frozen=True)
class Unchecked:
    """A `compile` of a source that is deliberately not checked (RULES.md, program order: it is
    replaced before the model is trained, or the model is never trained by itself), and why."""

    filename: str
    line: int  # 1-based; for a notebook, the line within the cell
    cell: Optional[int]  # notebooks: the cell's position among all the notebook's cells
    model: str  # the model's variable (or Keras) name
    why: str  # "compiled again at line 12 before it was trained"


class Heads(list):  # type: ignore[type-arg]
    """The heads of one source, with the parts of it that were skipped as unparsable and the
    compiles that are not checked."""

    unparsed: Tuple[Unparsed, ...] = ()
    unchecked: Tuple[Unchecked, ...] = ()


@dataclass(frozen=True)
class Head:
    """Everything the rules need to know about one model output."""

    output: str
    chain: Tuple[Link, ...]  # from the output back to the first non-linear activation (inclusive)
    loss: Optional[LossSpec] = None  # None: the model was not compiled (or no loss for this output)
    metrics: Tuple[MetricSpec, ...] = ()
    source: Source = field(default_factory=lambda: Source(""))
    # Target facts a reader found for this output (`keras_headcheck.targets.TargetSummary`, one per
    # `fit` of a source file); targets given by the user (`--targets`, `check(y=...)`) win.
    targets: Tuple[Any, ...] = ()

    # --- derived views used by the rules -------------------------------------------------------
    def _first(self, *roles: str) -> Optional[Link]:
        """The first link, from the output back, whose role is one of `roles`."""
        return next((link for link in self.chain if link.role in roles), None)

    @property
    def final(self) -> Optional[Link]:
        """The layer whose activation produces the output values (None if not interpretable)."""
        link = self._first(ACTIVATION, WEIGHTED, UNKNOWN, INPUT)
        return link if link is not None and link.role in (ACTIVATION, WEIGHTED) else None

    @property
    def unknown(self) -> Optional[Link]:
        """The uninterpretable layer that hides the final activation, if any."""
        link = self._first(ACTIVATION, WEIGHTED, UNKNOWN)
        return link if link is not None and link.role == UNKNOWN else None

    @property
    def passed_input(self) -> Optional[Link]:
        """The model input the output is, when only layers passing values on lie between them
        (`keras.Model(x, x)`, a custom layer returning its input): no layer computes the output."""
        link = self._first(ACTIVATION, WEIGHTED, UNKNOWN, INPUT)
        return link if link is not None and link.role == INPUT else None

    @property
    def activation(self) -> Optional[str]:
        final = self.final
        return final.activation if final else None

    @property
    def layer(self) -> str:
        final = self.final
        return final.name if final else (self.chain[0].name if self.chain else self.output)

    @property
    def axis(self) -> int:
        final = self.final
        return final.axis if final and final.axis is not None else -1

    @property
    def units(self) -> Optional[int]:
        """Static size of the axis the final activation works on."""
        final = self.final
        if final is None or final.shape is None or not final.shape:
            return None
        try:
            return final.shape[self.axis]
        except IndexError:
            return None

    @property
    def inner(self) -> Optional[Link]:
        """The activation feeding a pure final activation layer (for softmax-on-tanh etc.)."""
        final = self.final
        if final is None or final.role != ACTIVATION:
            return None
        index = self.chain.index(final)
        for link in self.chain[index + 1 :]:
            if link.role == PASS:
                continue
            if link.role in (ACTIVATION, WEIGHTED):
                return link
            return None
        return None

    @property
    def squash(self) -> Optional[Link]:
        """The output's softmax/sigmoid when only value-changing layers without an activation of
        their own (Dropout, BatchNormalization...) follow it. The first activation or weighted
        layer from the output decides: a Dense after a sigmoid makes that sigmoid a hidden one
        (RULES.md HC104), and the head is the Dense, linear when it has no activation."""
        for link in self.chain:
            if link.role in (ACTIVATION, WEIGHTED):
                return link if link.activation in ("softmax", "sigmoid") else None
            if link.role in (UNKNOWN, INPUT):
                return None
        return None

    @property
    def after_squash(self) -> Tuple[Link, ...]:
        """Value-changing layers between the output's softmax/sigmoid and the output."""
        squash = self.squash
        if squash is None:
            return ()
        index = self.chain.index(squash)
        return tuple(link for link in self.chain[:index] if link.role == NEUTRAL)

    @property
    def dtype(self) -> Optional[str]:
        final = self.final
        return final.dtype if final else None

    @property
    def loss_name(self) -> Optional[str]:
        return self.loss.name if self.loss else None
