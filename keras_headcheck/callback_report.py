"""How the HeadCheck callback reports: warnings that point at the user's `fit` line on every
backend, rich panels, and the error for a missing Keras. Imports no Keras."""

from __future__ import annotations

import os
import sys
import warnings
from types import FrameType
from typing import Any, NamedTuple, Optional, Sequence

BACKEND_EXTRAS = ("tensorflow", "jax", "torch")  # pyproject.toml's extras, one per Keras backend


def no_keras_error(exc: ImportError) -> ImportError:
    """One clear error for a missing Keras or backend, naming the extra that installs it."""
    import importlib.util

    def installed(name: str) -> bool:
        try:
            return importlib.util.find_spec(name) is not None
        except (ImportError, ValueError):
            return False

    wanted = os.environ.get("KERAS_BACKEND", "tensorflow")
    extras = sorted(BACKEND_EXTRAS, key=lambda extra: extra != wanted)
    present = [b for b in extras[1:] if installed(b)]
    switch = f", or set KERAS_BACKEND={present[0]} to train on the {present[0]} installed" if present else ""
    return ImportError(
        f"keras_headcheck.HeadCheck needs Keras and a backend to train with, and importing Keras "
        f"failed ({exc}). Install them: pip install 'keras-headcheck[{extras[0]}]' "
        f"(or [{extras[1]}], [{extras[2]}]){switch}"
    )


# Code a warning should not point into: this package, Keras (3 and 2), what Keras runs on, and
# the standard library (Keras's worker threads for asynchronous batch callbacks).
INTERNAL_MODULES = (__package__, "keras", "tf_keras", "tensorflow", "torch", "jax", "jaxlib", "optree", "threading")


class Site(NamedTuple):
    """Where a warning is reported: a frame of the user's code."""

    filename: str
    lineno: int
    module: str
    registry: dict[Any, Any]
    module_globals: dict[str, Any]


def _internal_paths() -> tuple[str, ...]:
    # Read each time: tf_keras or a backend may be imported after this module.
    modules = (sys.modules.get(name) for name in INTERNAL_MODULES)
    return tuple(
        os.path.dirname(str(module.__file__)) + os.sep
        for module in modules
        if module is not None and getattr(module, "__file__", None)
    )


def user_site() -> Optional[Site]:
    """The innermost frame of this thread that is not in this package, Keras or a backend."""
    internal = _internal_paths()
    frame: Optional[FrameType] = sys._getframe(1)
    while frame is not None:
        filename = frame.f_code.co_filename
        if not filename.startswith(internal) and not filename.startswith("<frozen "):
            globals_ = frame.f_globals
            return Site(
                filename, frame.f_lineno, str(globals_.get("__name__", "__main__")),
                globals_.setdefault("__warningregistry__", {}), globals_,
            )
        frame = frame.f_back
    return None


def warn_at(message: str, category: type[Warning], site: Optional[Site]) -> None:
    """Issue a warning attributed to `site` (the caller's caller when there is none)."""
    if site is None:
        warnings.warn(message, category, stacklevel=3)
        return
    warnings.warn_explicit(
        message, category, site.filename, site.lineno, site.module, site.registry, site.module_globals
    )


def panel(items: Sequence[Any], title: str) -> None:
    from rich.console import Console, Group
    from rich.panel import Panel

    Console(stderr=True).print(Panel(Group(*items), title=title, border_style="yellow", expand=False))
