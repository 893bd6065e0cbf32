"""The IPython extension: `%load_ext keras_headcheck`.

After each cell, every Keras model that the cell compiled (or compiled again) is checked and its
findings are shown under the cell. `%headcheck [model ...]` checks on demand (with no argument,
every compiled model in the namespace).

Cheap by design: after a cell, only the top-level names of the user namespace are looked at; a
value is a model when a class of its MRO is Keras's or tf_keras's `Model` (no import needed), and
it was compiled in the cell when the object its `compile` left behind (`_compile_config`, new on
every call in Keras 3 and tf_keras) is not the one seen before. Those objects are held (not their
ids, which Python reuses) so a recompile is never mistaken for the old one. A failure of the check
is reported in one line and never breaks the user's cell.
"""

from __future__ import annotations

import weakref
from typing import Any, Iterator, Optional

KERAS_PACKAGES = ("keras", "tf_keras", "tensorflow")
NOT_COMPILED = object()


def is_model(value: Any, cache: dict[type, bool]) -> bool:
    kind = type(value)
    known = cache.get(kind)
    if known is None:
        known = any(
            base.__name__ == "Model" and base.__module__.split(".")[0] in KERAS_PACKAGES
            for base in kind.__mro__
        )
        cache[kind] = known
    return known


def compile_token(model: Any) -> Any:
    """What the model's latest `compile` left behind (a new object on every compile)."""
    try:
        if not (getattr(model, "compiled", False) or getattr(model, "_is_compiled", False)):
            return NOT_COMPILED
        token = getattr(model, "_compile_config", None)
        return token if token is not None else getattr(model, "optimizer", NOT_COMPILED)
    except Exception:  # a model whose attributes raise: treat as not compiled
        return NOT_COMPILED


class Watcher:
    """Remembers each model's compile, to tell which ones a cell compiled."""

    def __init__(self, shell: Any) -> None:
        self.shell = shell
        self.seen: dict[int, tuple[Any, Any]] = {}  # id(model) -> (weak or strong ref, token)
        self.types: dict[type, bool] = {}
        list(self.changed())  # models compiled before the extension was loaded are not re-checked

    def models(self) -> Iterator[tuple[str, Any]]:
        for name, value in list(self.shell.user_ns.items()):
            if not name.startswith("_") and is_model(value, self.types):
                yield name, value

    def changed(self) -> Iterator[tuple[str, Any]]:
        """(name, model) for every model compiled since the last call, each once."""
        done: set[int] = set()
        for name, model in self.models():
            if id(model) in done:
                continue
            done.add(id(model))
            token = compile_token(model)
            ref, before = self.seen.get(id(model), (None, NOT_COMPILED))
            if ref is None or _deref(ref) is not model:
                before = NOT_COMPILED  # a new model (or a new one where a dead one lived)
            self.seen[id(model)] = (_ref(model), token)
            if token is not NOT_COMPILED and token is not before:
                yield name, model
        for key in [key for key, (ref, _) in self.seen.items() if _deref(ref) is None]:
            del self.seen[key]  # a model that is gone: forget its compile (and free it)

    def post_run_cell(self, result: Any = None) -> None:
        try:
            changed = list(self.changed())
        except Exception as exc:  # never break the user's cell
            _show_error("could not look for compiled models", exc)
            return
        for name, model in changed:
            show(name, model)


def show(name: str, model: Any) -> None:
    from IPython.display import display

    from .api import Findings, check

    try:
        findings = Findings(check(model))
    except Exception as exc:
        _show_error(f"could not check `{name}`", exc)
        return
    findings.title = f"model `{name}`"
    display(findings)


def _show_error(what: str, exc: BaseException) -> None:
    print(f"keras-headcheck: {what}: {type(exc).__name__}: {exc}")


def _ref(model: Any) -> Any:
    try:
        return weakref.ref(model)
    except TypeError:
        return lambda: model


def _deref(ref: Any) -> Optional[Any]:
    return ref()


def headcheck_magic(shell: Any, watcher: Watcher, line: str) -> None:
    """`%headcheck [model ...]`: check the named models, or every compiled one."""
    names = line.split()
    if not names:
        targets = [(n, m) for n, m in watcher.models() if compile_token(m) is not NOT_COMPILED]
        if not targets:
            print("keras-headcheck: no compiled Keras model in the namespace")
        for name, model in targets:
            show(name, model)
        return
    for name in names:
        try:
            model = eval(name, shell.user_ns)  # an expression of the user's, in the user's namespace
        except Exception as exc:
            _show_error(f"cannot evaluate `{name}`", exc)
            continue
        show(name, model)


def load_ipython_extension(shell: Any) -> None:
    unload_ipython_extension(shell)  # loading twice must not check every model twice
    watcher = Watcher(shell)
    shell.events.register("post_run_cell", watcher.post_run_cell)

    def headcheck(line: str) -> None:
        """%headcheck [model ...]: check these models (default: every compiled Keras model)."""
        headcheck_magic(shell, watcher, line)

    shell.register_magic_function(headcheck, "line", "headcheck")
    _WATCHERS[id(shell)] = watcher


def unload_ipython_extension(shell: Any) -> None:
    watcher = _WATCHERS.pop(id(shell), None)
    if watcher is not None:
        try:
            shell.events.unregister("post_run_cell", watcher.post_run_cell)
        except ValueError:
            pass


_WATCHERS: dict[int, Watcher] = {}
