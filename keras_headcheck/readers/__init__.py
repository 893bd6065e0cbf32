"""Readers: turn saved files, Python sources and live models into Heads."""

from __future__ import annotations

import os

from ..head import Head
from .containers import ReadError
from .saved import heads_from_config, read_saved_heads

SOURCE_SUFFIXES = (".py", ".ipynb")


def read_heads(path: str) -> list[Head]:
    """Heads of every model in `path`: a saved model file/directory or a Python source/notebook."""
    if path.endswith(SOURCE_SUFFIXES) and not os.path.isdir(path):
        from . import source  # imported only when a source is read

        return source.read_heads(path, load=read_saved_heads)
    return read_saved_heads(path)


__all__ = ["SOURCE_SUFFIXES", "ReadError", "heads_from_config", "read_heads"]
