"""Readers: turn saved files (and, later, live models and sources) into Heads."""

from .containers import ReadError
from .saved import heads_from_config, read_heads

__all__ = ["ReadError", "heads_from_config", "read_heads"]
