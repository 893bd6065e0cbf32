"""The Python builtins the interpreter knows (interpreter.py looks names up in BUILTINS) and the
few it computes, for sizes: `len(CLASSES)`, `int(N / 2)`, `range(3)`, `max(...)`; and for loops
over known lists, as Python iterates them: `enumerate(units)`, `zip(weights, biases)`,
`reversed(filters)`."""

from __future__ import annotations

from typing import Any, Callable

from .static import is_constant
from .values import UNKNOWN, Placeholder

RANGE_KEPT = 32  # `range(n)` is kept as its numbers up to this many (a loop's or a list's length)
BUILTINS = frozenset(
    {
        "len",
        "int",
        "float",
        "str",
        "bool",
        "abs",
        "round",
        "min",
        "max",
        "sum",
        "tuple",
        "list",
        "dict",
        "sorted",
        "print",
        "range",
        "enumerate",
        "zip",
        "reversed",
        "isinstance",
        "super",
    }
)


# Progress bars that yield the elements of the iterable they wrap, unchanged: `for model in
# tqdm(models)` runs the loop over `models` (tqdm's documented use: `tqdm(iterable, **options)`;
# `trange(n)` is `tqdm(range(n))`), from each module tqdm offers them in.
TQDM_MODULES = ("tqdm", "tqdm.auto", "tqdm.autonotebook", "tqdm.notebook", "tqdm.std", "tqdm.rich")
PROGRESS_BARS = frozenset(f"{m}.{f}" for m in TQDM_MODULES for f in ("tqdm", "trange"))


def progress_bar(path: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
    """`tqdm(models, desc=...)` -> `models` (a known list or tuple), `trange(n)` -> `range(n)`;
    else UNKNOWN."""
    if path.endswith(".trange"):
        return builtin("range", args, {})
    iterable = args[0] if args else kwargs.get("iterable")
    return iterable if isinstance(iterable, (list, tuple)) else UNKNOWN


def _iterated(name: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
    """The elements `enumerate`/`zip`/`reversed` yield over known lists and tuples, as a tuple
    (so a loop over them unrolls as over the lists themselves); else UNKNOWN."""
    known = all(isinstance(a, (list, tuple)) and not any(isinstance(v, Placeholder) for v in a)
                for a in args)
    if not args or not known:
        return UNKNOWN
    if name == "enumerate":
        start = kwargs.get("start", args[1] if len(args) > 1 else 0)
        if len(args) > 2 or set(kwargs) - {"start"} or type(start) is not int:
            return UNKNOWN
        return tuple((start + i, v) for i, v in enumerate(args[0]))
    if name == "zip":
        return UNKNOWN if set(kwargs) - {"strict"} else tuple(zip(*args))
    return tuple(reversed(args[0])) if len(args) == 1 and not kwargs else UNKNOWN


def builtin(name: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
    """The few builtins that matter for sizes: len(CLASSES), int(N / 2), max(...)."""
    if name in ("list", "tuple") and len(args) == 1 and isinstance(args[0], (list, tuple)):
        return list(args[0]) if name == "list" else tuple(args[0])
    if name == "dict" and not args:
        return dict(kwargs)
    if name == "len" and len(args) == 1 and isinstance(args[0], (list, tuple, str, dict)):
        if any(isinstance(v, Placeholder) for v in args[0]):
            return UNKNOWN
        return len(args[0])
    if name == "print":
        return None
    if name in ("enumerate", "zip", "reversed"):
        return _iterated(name, args, kwargs)
    if name == "range" and not kwargs and 1 <= len(args) <= 3 and all(
        isinstance(a, int) and not isinstance(a, bool) for a in args
    ) and (len(args) < 3 or args[2] != 0):
        steps = range(*args)
        return tuple(steps) if len(steps) <= RANGE_KEPT else UNKNOWN
    simple: dict[str, Callable[..., Any]] = {
        "int": int,
        "float": float,
        "str": str,
        "bool": bool,
        "abs": abs,
        "round": round,
        "min": min,
        "max": max,
        "sum": sum,
        "sorted": sorted,
    }
    fn = simple.get(name)
    if fn is None or kwargs or not args or not all(is_constant(a) for a in args):
        return UNKNOWN
    try:
        return fn(*args)
    except (TypeError, ValueError, ArithmeticError):
        return UNKNOWN
