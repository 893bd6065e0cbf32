"""Readers: turn saved files (and, later, live models and sources) into Heads."""

from __future__ import annotations

import importlib
import os
from types import ModuleType
from typing import Optional

from ..head import Head
from .containers import ReadError
from .saved import heads_from_config, read_saved_heads

SOURCE_SUFFIXES = (".py", ".ipynb")


def source_reader() -> Optional[ModuleType]:
    """The Python source/notebook reader, when this build has one."""
    try:
        return importlib.import_module("keras_headcheck.readers.source")
    except ImportError:
        return None


def read_heads(path: str) -> list[Head]:
    """Heads of every model in `path`: a saved model file/directory or a Python source/notebook."""
    if path.endswith(SOURCE_SUFFIXES) and not os.path.isdir(path):
        reader = source_reader()
        if reader is None:
            raise ReadError("Python sources are not supported by this version")
        return reader.read_heads(path)
    return read_saved_heads(path)


__all__ = ["ReadError", "heads_from_config", "read_heads", "source_reader"]
