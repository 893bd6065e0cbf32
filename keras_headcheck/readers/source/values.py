"""What the source interpreter knows about a value.

Plain Python constants (int, str, tuple, list, dict...) stand for themselves. Everything else is one
of the small classes below. `UNKNOWN` is anything the interpreter cannot resolve statically (a
command-line argument, a computed size, a foreign call): it is carried along, never guessed.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any, NamedTuple, Optional

from .predict_only import only_predicted

_births = itertools.count()


def next_birth() -> int:
    """A number ordering object creations against the start of branches and loops."""
    return next(_births)


class Unknown:
    """A value only known at run time."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN = Unknown()
MISSING = object()  # a name that is not bound at all


class Returned(Unknown):
    """What a function of another library (or of a module not in the linted tree) returned:
    unknown, but a compile on it can say where it came from (`by`, the dotted path called)."""

    __slots__ = ("by",)

    def __init__(self, by: str) -> None:
        self.by = by


UNKNOWN_FUNCTION = "unknown function"  # a Layer's `opaque` for what an unknown call computed


class Span(NamedTuple):
    """First and last source line of a call."""

    first: int
    last: int


@dataclass(frozen=True)
class Ref:
    """A dotted import path: `tf.keras.layers.Dense` -> Ref("tensorflow.keras.layers.Dense")."""

    path: str

    def attr(self, name: str) -> "Ref":
        return Ref(f"{self.path}.{name}")

    @property
    def tail(self) -> str:
        return self.path.rsplit(".", 1)[-1]


class Mutable:
    """An object the interpreted code can change; `birth` orders it against branches and loops."""

    def __init__(self) -> None:
        self.birth = next_birth()


class Layer(Mutable):
    """A layer instance: the config it was built with, and every call on tensors (its nodes)."""

    def __init__(
        self, class_name: str, module: Optional[str], config: dict[str, Any], span: Span, name: str
    ) -> None:
        super().__init__()
        self.class_name = class_name
        self.module = module  # "keras.layers" for Keras layers, else where it was imported from
        self.config = config
        self.span = span
        self.name = name
        self.nodes: list[tuple[list[Any], dict[str, Any]]] = []  # (input tensors, call kwargs)
        self.agent: Any = None  # a keras-rl agent's (model it trains, why not) (calls.py)
        self.opaque: Optional[str] = None  # why its config cannot be interpreted, if it cannot
        self.instance: Optional[dict[str, Any]] = None  # a plain class's attributes (plain_classes.py)


@dataclass(frozen=True, eq=False)
class Weight:
    """A trainable weight (`self.add_weight(...)`, `tf.Variable(...)`, a Dense's kernel): values
    learned in training, of a range not known. `shape` is None when not known (a dimension given
    at run time is None). `layer` is its node in the model's graph (weights.py makes one), so a
    product with a tensor can be read as the affine map it is (readers/merges.py)."""

    shape: Optional[tuple[Optional[int], ...]]
    layer: Layer


# The key under which a model call's kwargs record the arguments its graph was not read with.
UNSEEN = "unseen arguments"


@dataclass(frozen=True, eq=False)
class Tensor:
    """Output `index` of call number `node` of a layer or model."""

    source: Any  # Layer | Model
    node: int
    index: int = 0


@dataclass(frozen=True)
class Placeholder:
    """Layers a model received in a loop or a branch: what they are is not known statically."""

    span: Span
    why: str
    name: str = ""  # how reports name it, when the code does (a parameter's name)


@dataclass(frozen=True)
class Compile:
    loss: Any
    metrics: Any
    span: Span
    layers: tuple[Any, ...]  # a Sequential's layers when it was compiled
    depth: int = 0  # branches and loops around the call: a compile in one may not have run

    def same_as(self, other: "Compile") -> bool:
        """The same call compiling the same layers with the same loss and metrics (a loop that
        compiles the model again each time round): one head to check, not one per run."""
        return (self.span == other.span and len(self.layers) == len(other.layers)
                and all(a is b for a, b in zip(self.layers, other.layers))
                and self.loss == other.loss and self.metrics == other.metrics)  # fmt: skip


class Model(Mutable):
    """A model: a Sequential (its layer list), a functional Model (inputs, outputs) or opaque."""

    def __init__(
        self,
        kind: str,
        name: str,
        span: Span,
        layers: Optional[list[Any]] = None,
        outputs: Any = None,
        what: str = "",
    ) -> None:
        super().__init__()
        self.kind = kind  # "sequential" | "functional" | "opaque" | "loaded" (from a saved file)
        self.name = name
        self.span = span
        self.layers: list[Any] = layers if layers is not None else []
        self.input_shape: Any = None  # Sequential.build(...) / an Input first layer
        self.inputs: Any = None
        self.call_inputs: list[str] = []  # a subclass's call() parameters read as its inputs
        self.outputs = outputs
        self.what = (
            what  # for opaque models: "subclassed model `Net`", "keras.applications.ResNet50"
        )
        self.compiles: list[Compile] = []
        self.in_force: set[int] = set()  # indices of the compiles in force when it was trained
        self.trained = False  # fit/evaluate/train_on_batch... ran on it
        self.trained_upto = 0  # how many compiles it had when it was last trained
        self.predicted = False  # predict ran on it (predict_only.py)
        self.handed_on = False  # a compile's receiver left its scope (predict_only.py)
        self.nested = False  # used as a layer of another model, or built inside a custom layer
        self.compile_override: Any = None  # the class's own `compile` method, if it defines one
        self.variable: Optional[str] = None  # the first name it was assigned to
        self.nodes: list[tuple[list[Any], dict[str, Any]]] = []  # calls on tensors
        self.fits: list[Any] = []  # `fit` calls and their labels (fits.py)
        self.loss_note: Optional[str] = None  # a subclass trains it with a loss of its own
        self.step_loss: Any = None  # ...a known Keras loss its train_step applies (trainers.py)
        self.library: Any = None  # a library model's KnownHead: its own loss when `compile` gives none
        self.loaded: Optional[str] = None  # kind "loaded": the saved file it is loaded from
        self.carried: Optional[Compile] = None  # the compile it was saved with, loaded in this file
        self.trainer: Any = None  # a subclass training its sub-models in train_step (trainers.py)
        self.traced: Any = None  # the LocalClass whose call() its graph was read from, if any
        self.own_labels = False  # its train_step makes the labels its loss sees (step_forward.py)
        self.instance: Optional[dict[str, Any]] = None  # a local subclass's attributes (subclass.py)

    def mark_trained(self, depth: int) -> None:
        """fit/evaluate/train_on_batch ran on it, inside `depth` branches and loops: the compiles
        in force then are the ones checked (program order)."""
        self.trained = True
        self.trained_upto = len(self.compiles)
        self.in_force |= in_force(self.compiles, depth)

    def checked_compiles(self) -> list[Compile]:
        """The compiles in force when it was trained (program order), and the ones in force at
        the end when it was compiled again after its last training (or never trained here);
        none when it is only used to predict (predict_only.py: its head is read uncompiled)."""
        if only_predicted(self):
            return []
        checked = set(self.in_force)
        if len(self.compiles) > self.trained_upto:  # compiled again after its last training
            checked |= in_force(self.compiles, 0)
        return [self.compiles[i] for i in sorted(checked)]

    def snapshot(self) -> tuple[Any, ...]:
        return (list(self.layers), self.input_shape)

    def restore(self, state: tuple[Any, ...]) -> None:
        self.layers, self.input_shape = list(state[0]), state[1]


def in_force(compiles: list[Compile], depth: int) -> set[int]:
    """The compiles that may be in force now, at `depth` branches deep: the last one, and the
    ones before it while the later ones sat in branches that may not have run."""
    found: set[int] = set()
    for index in range(len(compiles) - 1, -1, -1):
        found.add(index)
        if compiles[index].depth <= depth:
            break
    return found


@dataclass(frozen=True)
class KerasObject:
    """An instance of a Keras loss or metric class, as its serialised config."""

    kind: str  # "losses" | "metrics"
    class_name: str
    config: Any  # dict, or UNKNOWN when an argument that matters is only known at run time


@dataclass(frozen=True)
class Written:
    """A compile argument that could not be resolved, with the source text it was written as."""

    text: str


@dataclass(eq=False)
class Function:
    """A function or lambda defined in the file, run when it is called."""

    node: Any  # ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
    scope: Any  # the scope it was defined in
    name: str
    defaults: dict[str, Any] = field(default_factory=dict)
    owner: str = "other"  # the kind of class it is a method of: "model" | "layer" | "other"
    policy: Optional[str] = None  # the dtype policy when it was defined


@dataclass(eq=False)
class LocalModule:
    """A module of the script's tree imported as a name (`from lib import gan`, `import models`):
    `gan.discriminator` is what running it defined (outside.py)."""

    names: dict[str, Any]  # its module scope's variables

    def attr(self, name: str) -> Any:
        """`gan.discriminator`, as `Ref.attr` is for a library's module."""
        return self.names.get(name, UNKNOWN)


@dataclass(eq=False)
class LocalClass:
    """A class defined in the file; subclass.py runs the methods of Keras model/layer subclasses."""

    name: str
    kind: str  # "model" | "layer" | "other"
    namespace: dict[str, Any] = field(default_factory=dict)  # the class body's names (methods)
    bases: list[Any] = field(default_factory=list)  # evaluated base classes (LocalClass | Ref)
    node: Any = None  # the ast.ClassDef


@dataclass(frozen=True, eq=False)
class Partial:
    """`functools.partial(layers.Dense, activation="relu")`: a callee with arguments bound ahead."""

    func: Any
    args: tuple[Any, ...]
    kwargs: dict[str, Any]


@dataclass(eq=False)
class LossInstance:
    """An instance of a `keras.losses.Loss` subclass of the file (loss_classes.py reads it)."""

    cls: LocalClass


@dataclass(frozen=True, eq=False)
class Bound:
    """A method of a local class bound to an instance being built: `self.encode` in `call()`."""

    function: Function
    attrs: Any  # the instance's attributes (dict, shared by its methods)
    owner: Any = None  # the LocalClass defining the method (where `super()` starts looking)


@dataclass(frozen=True, eq=False)
class Property:
    """A `@property` of a plain class of the file on an instance (`net.model`, returning
    `self._model`): reading it runs its getter (plain_classes.py)."""

    getter: Bound


@dataclass(eq=False)
class Task:
    """An instance of a tensorflow_recommenders task (`tfrs.tasks.Ranking(loss=...)`): the loss
    it applies, as given (None: its default), for recommenders.py."""

    facts: Any  # knowledge.tensorflow_recommenders.TaskFacts
    loss: Any
    opaque: bool  # `**kwargs` the reader cannot see: the loss may be in there
