"""keras-headcheck: catch mistakes in the output layer of Keras models before they waste a run."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the names below load on first use: `keras-headcheck` starts without them
    from .api import Findings, check
    from .callback import HeadCheck, HeadCheckError, HeadCheckWarning
    from .findings import Finding
    from .readers import ReadError
    from .rules import RULES

__version__ = "0.1.0"
__all__ = [
    "RULES", "Finding", "Findings", "HeadCheck", "HeadCheckError", "HeadCheckWarning", "ReadError", "check",
]

# name -> the module defining it (the callback imports Keras: it loads only when asked for)
_LAZY = {
    "check": "api", "Findings": "api", "Finding": "findings", "ReadError": "readers",
    "RULES": "rules", "HeadCheck": "callback", "HeadCheckError": "callback",
    "HeadCheckWarning": "callback",
}  # fmt: skip


def load_ipython_extension(ipython: Any) -> None:
    """`%load_ext keras_headcheck`: check each model a cell compiles; `%headcheck [model]`."""
    from .extension import load_ipython_extension as load

    load(ipython)


def unload_ipython_extension(ipython: Any) -> None:
    from .extension import unload_ipython_extension as unload

    unload(ipython)


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'keras_headcheck' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
