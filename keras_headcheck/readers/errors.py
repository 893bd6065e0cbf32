"""The one error every reader raises (its own module: a source run need not load the zip reader),
and how a caught exception is told in its message."""

from __future__ import annotations


class ReadError(ValueError):
    """A path that cannot be read as a model; the message is one line, without the path."""


def reason(exc: BaseException, with_type: bool = True) -> str:
    """An exception as the reason in a message (with its type), never an empty string."""
    text = str(exc)
    if not text:
        return type(exc).__name__
    return f"{type(exc).__name__}: {text}" if with_type else text
