"""Readers: turn saved files, Python sources and live models into Heads."""

from __future__ import annotations

import os
from typing import Any

from ..head import Head
from .errors import ReadError

SOURCE_SUFFIXES = (".py", ".ipynb")


def read_heads(path: str) -> list[Head]:
    """Heads of every model in `path`: a saved model file/directory or a Python source/notebook."""
    if path.endswith(SOURCE_SUFFIXES) and not os.path.isdir(path):
        from . import source  # imported only when a source is read

        return source.read_heads(path, load=_read_saved)
    return _read_saved(path)


def _read_saved(path: str) -> list[Head]:
    from .saved import read_saved_heads  # imported only when a saved model is read

    return read_saved_heads(path)


def __getattr__(name: str) -> Any:
    if name == "heads_from_config":  # the saved-model config walk, for the live reader
        from .saved import heads_from_config

        return heads_from_config
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["SOURCE_SUFFIXES", "ReadError", "heads_from_config", "read_heads"]
