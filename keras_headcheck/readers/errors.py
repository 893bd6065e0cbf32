"""The one error every reader raises (its own module: a source run need not load the zip reader)."""

from __future__ import annotations


class ReadError(ValueError):
    """A path that cannot be read as a model; the message is one line, without the path."""
