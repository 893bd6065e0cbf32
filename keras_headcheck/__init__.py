"""keras-headcheck: catch mistakes in the output layer of Keras models before they waste a run."""

from __future__ import annotations

from typing import Any

from .api import Findings, check
from .findings import Finding
from .readers import ReadError
from .rules import RULES

__version__ = "0.1.0"
__all__ = [
    "RULES", "Finding", "Findings", "HeadCheck", "HeadCheckError", "HeadCheckWarning", "ReadError", "check",
]


def load_ipython_extension(ipython: Any) -> None:
    """`%load_ext keras_headcheck`: check each model a cell compiles; `%headcheck [model]`."""
    from .extension import load_ipython_extension as load

    load(ipython)


def unload_ipython_extension(ipython: Any) -> None:
    from .extension import unload_ipython_extension as unload

    unload(ipython)


def __getattr__(name: str) -> Any:
    # The callback imports Keras: load it only when asked for.
    if name in ("HeadCheck", "HeadCheckError", "HeadCheckWarning"):
        from . import callback

        return getattr(callback, name)
    raise AttributeError(f"module 'keras_headcheck' has no attribute {name!r}")
