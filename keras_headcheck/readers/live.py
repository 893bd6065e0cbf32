"""Read a live `keras.Model` into Heads, through the same config walk as saved files.

A live model is serialised with Keras's own API (`model.to_json()`, which is exactly the
`config.json` that `model.save("m.keras")` writes, compile config included; `tf_keras` models give
their Keras 2 config the same way), then handed to `heads_from_config`. So a live model and its
saved file are read by one walker and give the same findings. Only the public Keras API is used,
so it works under every Keras 3 backend (TensorFlow, JAX, PyTorch).

Keras cannot serialise everything: a custom layer, loss or subclassed model created with
arguments it cannot describe raises `NotImplementedError`. Those parts are described by class and
name only (reported as uninterpretable, HC901/HC902) rather than failing the whole model.
"""

from __future__ import annotations

import json
import warnings
from contextlib import contextmanager
from dataclasses import replace
from typing import Any, Iterator, Optional

from ..head import NOT_COMPILED, Head, LossSpec, Source
from .compiled import bind_losses, bind_metrics
from .errors import ReadError
from .known import library_head
from .pass_through import passes_input, relabel
from .saved import heads_from_config
from .trace import traced_config, value_heads


def is_live_model(obj: Any) -> bool:
    """A Keras 3 or tf_keras model, recognised without importing either."""
    return any(
        cls.__name__ in ("Model", "Functional", "Sequential")
        and cls.__module__.startswith(("keras.", "tf_keras.", "tensorflow.python.keras"))
        for cls in type(obj).__mro__
    )


def read_live_heads(model: Any, x: Any = None) -> list[Head]:
    """One Head per output of a Keras 3 (any backend) or tf_keras model held in memory; `x`, a
    sample batch, lets a subclassed model that was never built be traced."""
    if not is_live_model(model):
        raise TypeError(
            "Expected a keras.Model (or a path to a saved model). "
            f"Received: {type(model).__name__}"
        )
    config = _model_config(model)
    if not isinstance(config.get("module"), str) and not _has_layers(config):
        # tf_keras's to_json() names no module; a library model (transformers) is known by it
        config["module"] = type(model).__module__
    training = config.get("compile_config") if isinstance(config.get("compile_config"), dict) else None
    if training is None:
        training = _compile_config(model)
    source = Source(f"<model {model.name!r}>")
    if _is_subclassed(config):
        heads = _subclassed_heads(model, x, config, training, source)
    else:
        heads = _read_config(model, config, training, source)
    if not _is_compiled(model, training):
        heads = [_without_loss(head) for head in heads]
    return heads


def _read_config(model: Any, config: dict[str, Any], training: Optional[dict[str, Any]], source: Source
                 ) -> list[Head]:
    """The model's Heads; a config the walker cannot read gives one uninterpretable output that
    says why (HC901), since a live check must never raise into the user's training code.
    Custom layers that return their input unchanged are read as Keras's Identity."""
    try:
        passing = _pass_through_names(model)
        return heads_from_config(relabel(config, passing) if passing else config, training, source)
    except ReadError as exc:
        reason = str(exc)
    except Exception as exc:  # a reader bug: still never break the user's code
        reason = f"internal error, {type(exc).__name__}: {exc}"
    described = {"class_name": f"{type(model).__name__}, whose config could not be read: {reason}",
                 "config": {"name": model.name}}
    return heads_from_config(described, training, source)


def _has_layers(config: dict[str, Any]) -> bool:
    inner = config.get("config")
    return isinstance(inner, dict) and isinstance(inner.get("layers"), list)


def _is_subclassed(config: dict[str, Any]) -> bool:
    """A model whose config holds no layer graph (and is not a library model the tables know)."""
    return not _has_layers(config) and library_head(config) is None


def _subclassed_heads(
    model: Any, x: Any, config: dict[str, Any], training: Optional[dict[str, Any]], source: Source
) -> list[Head]:
    """What call() runs, traced; else what its outputs say; else one output we cannot see into."""
    traced = traced_config(model, x)
    if traced is not None:
        return _read_config(model, traced, training, source)
    by_values = value_heads(model, x, source)
    if by_values is not None:
        names = [head.output for head in by_values]
        loss = (training or {}).get("loss")
        losses = bind_losses(loss, names) if loss is not None else [LossSpec(None, NOT_COMPILED)] * len(names)
        metrics = bind_metrics((training or {}).get("metrics"), names)
        return [replace(h, loss=l, metrics=m) for h, l, m in zip(by_values, losses, metrics)]
    hint = "its call() cannot be traced" if x is not None else "pass a sample batch: check(model, x=batch)"
    name = str(getattr(model, "name", "model"))
    opaque = {"class_name": f"subclassed model `{type(model).__name__}` ({hint})", "module": "<unknown>",
              "config": {"name": name}}
    return heads_from_config(opaque, training, source)


def _is_compiled(model: Any, training: Optional[dict[str, Any]]) -> bool:
    return bool(getattr(model, "compiled", False) or getattr(model, "_is_compiled", False) or training)


def _without_loss(head: Head) -> Head:
    return Head(head.output, head.chain, LossSpec(None, NOT_COMPILED), head.metrics, head.source)


def _compile_config(model: Any) -> Optional[dict[str, Any]]:
    """Training config of a model whose serialised config does not carry it (tf_keras)."""
    getter = getattr(model, "get_compile_config", None)
    if getter is None:
        return None
    try:
        with _quiet():
            config = getter()
        return _jsonable(config) if config else None
    except Exception:  # an unserialisable custom loss: say it cannot be interpreted (HC902)
        loss = getattr(model, "loss", None)
        return {"loss": {"module": "<custom>", "class_name": type(loss).__name__, "config": {}}}


def _model_config(model: Any) -> dict[str, Any]:
    """The model's config as a saved file would hold it."""
    try:
        return _to_json(model)
    except Exception:
        pass
    try:
        with _describe_unserialisable(model):
            return _to_json(model)
    except Exception:
        return {"class_name": type(model).__name__, "config": {"name": model.name}}


def _to_json(model: Any) -> dict[str, Any]:
    with _quiet():
        config = json.loads(model.to_json())
    if not isinstance(config, dict):
        raise ReadError("model.to_json() did not return a JSON object")
    return config


@contextmanager
def _quiet() -> Iterator[None]:
    # Keras warns that serialising a `lambda` is unsafe; we only read the result.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def _fails(method: Any) -> bool:
    try:
        with _quiet():
            method()
    except Exception:
        return True
    return False


@contextmanager
def _describe_unserialisable(model: Any) -> Iterator[None]:
    """Temporarily stub what Keras cannot serialise, so the rest of the model still reads.

    A layer whose `get_config()` raises gets a config naming only the layer (the walker then
    reports it as uninterpretable, HC901); a compile config that cannot be serialised is left
    out (and read separately, HC902); a subclassed model that cannot describe itself is named
    only. Each stub is an instance attribute, removed on exit: the classes are untouched.
    """
    patched: list[tuple[Any, str]] = []

    def stub(obj: Any, method: str, value: Any) -> None:
        object.__setattr__(obj, method, lambda: value)
        patched.append((obj, method))

    try:
        for layer in _sublayers(model):
            if _fails(layer.get_config):
                stub(layer, "get_config", {"name": layer.name, "trainable": layer.trainable})
        if hasattr(model, "get_compile_config") and _fails(model.get_compile_config):
            stub(model, "get_compile_config", None)
        if _fails(model.get_config):
            stub(model, "get_config", {"name": model.name})
        yield
    finally:
        for obj, method in patched:
            object.__delattr__(obj, method)


def _sublayers(model: Any) -> Iterator[Any]:
    """Every layer inside `model`, depth first, each once."""
    seen: set[int] = set()
    stack = list(getattr(model, "layers", []) or [])
    while stack:
        layer = stack.pop()
        if id(layer) in seen:
            continue
        seen.add(id(layer))
        yield layer
        stack.extend(getattr(layer, "layers", []) or [])
        inner = getattr(layer, "layer", None)  # wrappers: TimeDistributed, Bidirectional
        if inner is not None:
            stack.append(inner)


def _pass_through_names(model: Any) -> set[str]:
    """The names of the model's custom layers whose call() returns its input (pass_through.py),
    when no other layer of the model has the same name."""
    by_name: dict[str, list[Any]] = {}
    for layer in _sublayers(model):
        by_name.setdefault(str(getattr(layer, "name", "")), []).append(layer)
    return {name for name, found in by_name.items() if len(found) == 1 and passes_input(found[0])}


def _jsonable(value: Any) -> Any:
    """Tuples to lists and anything exotic to a string, as in a saved file."""
    return json.loads(json.dumps(value, default=str))
