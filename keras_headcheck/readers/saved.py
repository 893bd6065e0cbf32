"""Read a saved model file into Heads: container -> config graph -> one Head per output."""

from __future__ import annotations

from typing import Any, Optional

from ..head import NO_LOSS, NOT_COMPILED, Head, LossSpec, Source
from ..knowledge import KnownHead, trained_loss
from .compiled import bind_losses, bind_metrics
from .containers import ReadError, SavedConfig, read_saved
from .graph import ConfigError, model_outputs
from .known import library_head


def heads_from_config(
    model: dict[str, Any], training: Optional[dict[str, Any]], source: Source
) -> list[Head]:
    """The shared config walk: used for saved files and for live models' serialised configs."""
    try:
        graph, outputs = model_outputs(model)
    except RecursionError:
        raise ReadError("model config is nested too deeply") from None
    except ConfigError as exc:
        raise ReadError(str(exc)) from None
    names = [name for name, _ in outputs]
    training = _library_training(model, training or {})
    if training.get("loss") is None:  # an empty training config: never compiled
        written = NO_LOSS if training else NOT_COMPILED
        losses: list[Optional[LossSpec]] = [LossSpec(None, written)] * len(names)
    else:
        losses = bind_losses(training.get("loss"), names)
    metrics = bind_metrics(training.get("metrics"), names)
    return [
        Head(output=name, chain=graph.chain(key), loss=loss, metrics=metric, source=source)
        for (name, key), loss, metric in zip(outputs, losses, metrics)
    ]


def _library_training(model: dict[str, Any], training: dict[str, Any]) -> dict[str, Any]:
    """A compiled library model (saved as its constructor's config) trains with the library's own
    loss where its compile was given none."""
    config = model.get("config")
    if not training or (isinstance(config, dict) and "layers" in config):
        return training
    known = library_head(model)
    if not isinstance(known, KnownHead):
        return training
    return {**training, "loss": trained_loss(known, training.get("loss"))}


def read_saved_heads(path: str) -> list[Head]:
    saved: SavedConfig = read_saved(path)
    return heads_from_config(saved.model, saved.training, Source(path))
