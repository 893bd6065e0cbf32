"""Heads built outside the file: a builder imported from another module of the script's tree
(`from models import build_model`), and a model loaded from a saved file next to the script.

Modules are looked up from the script's directory, then from the directories the script adds
to `sys.path` with a relative literal path (`sys.path.append("..")`, `sys.path.insert(0,
"../lib")`: a book's scripts sharing a `lib` package), taken relative to the script's
directory, as when it is run from there; an absolute or computed path is not followed.

An imported module is parsed and run in the same interpreter, once, as Python runs it once (its
`if __name__ == "__main__":` block does not run), and the names imported from it are bound to
what it defines, in every later import too (the same module, whatever its functions changed
since); what it builds at import time is not reported here (it is linted as its own file). Every
line of the imported code is numbered as its first import statement, so a finding in a head built
there points at the line of this file that brought it in.

`load_model("model.keras")` with a literal path that exists relative to the script becomes a
model whose heads are that file's (read by the saved-file reader the dispatcher hands in), bound
to this file's `compile`. A path this file saved a model to earlier (`model.save(path)`, then
`load_model(path)`, as tutorials show saving) loads that model: the same layers, compiled as it was
saved. Any other loaded model stays opaque, saying where it came from.
"""

from __future__ import annotations

import ast
import os
from dataclasses import replace
from typing import Any, Iterator, Optional

from ...head import Head, Source
from ..compiled import bind_losses, bind_metrics
from .build import model_heads
from .names import kind_of
from .scopes import Scope
from .values import Compile, LocalModule, Model, Ref, Span

MAX_IMPORT_BYTES = 2 * 1024 * 1024
MAX_IMPORT_DEPTH = 3


def module_file(directory: str, module: str, level: int) -> Optional[str]:
    """The `.py` file a `from module import ...` names, looked up from the importing file."""
    base = directory
    for _ in range(max(0, level - 1)):
        base = os.path.dirname(base)
    parts = [p for p in module.split(".") if p]
    if not parts:
        return None
    stem = os.path.join(base, *parts)
    for candidate in (stem + ".py", os.path.join(stem, "__init__.py")):
        if os.path.isfile(candidate) and os.path.getsize(candidate) <= MAX_IMPORT_BYTES:
            return os.path.realpath(candidate)
    return None


def _parse_at(path: str, line: int) -> Optional[ast.Module]:
    try:
        with open(path, "rb") as handle:
            tree = ast.parse(handle.read())
    except (OSError, SyntaxError, ValueError, MemoryError, RecursionError):
        return None
    for node in ast.walk(tree):  # every line of the imported code is the import's line
        if hasattr(node, "lineno"):
            node.lineno = node.end_lineno = line  # type: ignore[attr-defined]
    return tree


class Outside:
    """Mixin of the Interpreter: imports of the script's own modules, and models loaded by path."""

    filename: Optional[str]
    importing: list[str]
    imported: dict[str, Optional[Scope]]  # path -> the module as its first import ran it
    search: list[str]  # directories added to sys.path, relative to the script's
    models: list[Model]
    saved_here: dict[str, tuple[Model, Optional[Compile]]]  # path -> the model saved there, as compiled
    functions: list[Any]

    def import_local(self, node: ast.ImportFrom, scope: Scope) -> None:
        """Bind the names imported from a module of the script's own tree to what it defines; a
        name that is a module of it (`from lib import gan`, `from . import model`) to that module."""
        if self.filename is None or any(a.name == "*" for a in node.names):
            return
        module = self.local_module(node.module or "", node.level, node.lineno)
        for alias in node.names:
            if module is not None and alias.name in module.vars:
                scope.set(alias.asname or alias.name, module.vars[alias.name])
                continue
            dotted = f"{node.module}.{alias.name}" if node.module else alias.name
            inner = self.local_module(dotted, node.level, node.lineno)
            if inner is not None:
                scope.set(alias.asname or alias.name, LocalModule(inner.vars))

    def import_module(self, node: ast.Import, scope: Scope) -> None:
        """`import models` (no dots, no other name for a package's part) of a module of the tree."""
        if self.filename is None:
            return
        for alias in node.names:
            if "." not in alias.name:
                found = self.local_module(alias.name, 0, node.lineno)
                if found is not None:
                    scope.set(alias.asname or alias.name, LocalModule(found.vars))

    def local_module(self, dotted: str, level: int, line: int) -> Optional[Scope]:
        """The module a name of the script's tree is, run once (as Python's sys.modules); None if
        there is none, it is this file, or imports nest too deep."""
        assert self.filename is not None
        here = os.path.dirname(self.filename)
        roots = [here] if level else [here, *(os.path.join(here, d) for d in self.search)]
        found = next((f for f in (module_file(r, dotted, level) for r in roots) if f), None)
        importing = self.importing
        if found is None or found in importing or len(importing) >= MAX_IMPORT_DEPTH:
            return None
        if found == os.path.realpath(self.filename):
            return None
        if found not in self.imported:  # run once, as Python does (sys.modules)
            self.imported[found] = self.run_module(found, line, importing)
        return self.imported[found]

    def run_module(self, path: str, line: int, importing: list[str]) -> Optional[Scope]:
        tree = _parse_at(path, line)
        if tree is None:
            return None
        module = Scope()
        module.vars["__name__"] = os.path.splitext(os.path.basename(path))[0]
        models, functions = len(self.models), len(self.functions)
        plain = len(self.plain_classes)  # type: ignore[attr-defined]
        importing.append(path)
        try:
            self.block(tree.body, module)  # type: ignore[attr-defined]
        finally:
            importing.pop()
            del self.models[models:]  # built at import time: linted as their own file
            self.imported_defs.update(id(f.node) for f in self.functions[functions:])
            del self.functions[functions:]
            del self.plain_classes[plain:]  # type: ignore[attr-defined]
        return module

    # --- loaded models ---------------------------------------------------------------------------
    def keras_call(
        self, ref: Ref, args: list[Any], kwargs: dict[str, Any], opaque: bool, where: Span
    ) -> Any:
        if ref.path in ("sys.path.append", "sys.path.insert"):
            added = args[-1] if len(args) == (1 if ref.tail == "append" else 2) else None
            if isinstance(added, str) and added and not os.path.isabs(added):
                self.search.append(added)
            return None
        kind = kind_of(ref.path)[0]
        if kind == "saver" and args and isinstance(args[0], Model):  # keras.models.save_model(m, path)
            self.save_model(args[0], args[1:], kwargs)
            return None
        if kind != "loader":
            return super().keras_call(ref, args, kwargs, opaque, where)  # type: ignore[misc]
        given = _path_argument(args, kwargs)
        if isinstance(given, str) and os.path.normpath(given) in self.saved_here:
            return self.reload(self.saved_here[os.path.normpath(given)], kwargs, where)
        saved = self.saved_path(given)
        if saved is not None:
            model = Model("loaded", os.path.basename(saved), where, what=f"loaded from {given!r}")
            model.loaded = saved
            return self.register(model)  # type: ignore[attr-defined]
        what = (
            f"a model loaded from {given!r}, not found next to the script"
            if isinstance(given, str)
            else "a model loaded at run time"
        )
        return self.register(Model("opaque", ref.tail, where, what=what))  # type: ignore[attr-defined]

    def save_model(self, model: Model, args: list[Any], kwargs: dict[str, Any]) -> None:
        """`model.save(path)`: a later `load_model(path)` in this file loads this model, compiled
        as it is now (a path known only at run time is not followed)."""
        given = _path_argument(args, kwargs)
        if isinstance(given, str) and given:
            self.saved_here[os.path.normpath(given)] = (model, model.compiles[-1] if model.compiles else None)

    def reload(self, saved: tuple[Model, Optional[Compile]], kwargs: dict[str, Any], where: Span) -> Model:
        """The model this file saved at that path: the same layers, under a new name, compiled as
        it was saved unless loaded with `compile=False`. A later compile replaces that one."""
        model, compiled = saved
        copy: Model = self.clone(model, where)  # type: ignore[attr-defined]
        if compiled is not None and kwargs.get("compile", True) is not False:
            copy.compiles.append(compiled)
            copy.carried = compiled  # not a compile of this copy's own (unchecked.py)
        return copy

    def saved_path(self, given: Any) -> Optional[str]:
        if not isinstance(given, str) or self.filename is None or not given:
            return None
        candidate = os.path.join(os.path.dirname(os.path.abspath(self.filename)), given)
        return candidate if os.path.exists(candidate) else None


def _path_argument(args: list[Any], kwargs: dict[str, Any]) -> Any:
    """The path `load_model(path)`, `model.save(path)` and `save_model(model, path)` are given."""
    return args[0] if args else kwargs.get("filepath", kwargs.get("path"))


def loaded_heads(model: Model, filename: str, lines: Any, load: Any) -> Iterator[Head]:
    """The heads of the saved file a script loads, bound to each of the script's compiles (a
    compile without a loss keeps the file's own), reported at the compile (or load) line."""
    try:
        heads = load(model.loaded)
    except Exception as exc:  # a file we cannot read: say so where the script loads it
        model.kind, model.what = "opaque", f"{model.what}, which cannot be read ({exc})"
        yield from model_heads(model, filename, lines)
        return
    names = [head.output for head in heads]
    for compiled in model.compiles or [None]:
        where = compiled.span if compiled is not None else model.span
        losses: list[Any] = [head.loss for head in heads]
        metrics: list[Any] = [head.metrics for head in heads]
        if compiled is not None and compiled.loss is not None:
            losses = bind_losses(compiled.loss, names)
        if compiled is not None and compiled.metrics is not None:
            metrics = bind_metrics(compiled.metrics, names)
        source = Source(
            filename,
            line=where.first,
            compile_line=compiled.span.first if compiled is not None else None,
            suppressed=lines.suppressed([model.span, where]),
            cells=lines.cells,
        )
        for head, loss, metric in zip(heads, losses, metrics):
            yield replace(head, loss=loss, metrics=metric, source=source)
