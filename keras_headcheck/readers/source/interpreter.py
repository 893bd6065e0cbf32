"""A small abstract interpreter for training scripts: runs the statements of a module in order,
tracking constants, imports and the Keras objects they build, with the standard-library `ast` only.

It never executes user code. Branches and loops whose outcome is not known statically are followed
on every path, then merged: what the paths disagree on becomes UNKNOWN, and a model that received
layers in such a branch or loop gets a placeholder where those layers went.
"""

from __future__ import annotations

import ast
from bisect import bisect_right
from typing import Any, Optional

from ...knowledge.applications import CONSTRUCTORS as APPLICATIONS
from .budget import Budget
from .library import Libraries
from .methods import Methods
from .names import kind_of
from .outside import Outside
from .plain_classes import PlainClasses
from .predict_only import kept_compiles
from .python_builtins import BUILTINS
from .recommenders import Recommenders
from .scopes import Fork, Scope, bind_arguments
from .rereads import Rereads
from .statements import Statements
from .step_applied import StepApplied
from .step_forward import StepForward
from .static import dispatch, same
from .subclass import Subclasses
from .tensor_code import TensorCode
from .unknowns import Unbound
from .trainers import Trainers
from .weights import Weights
from .values import (
    MISSING,
    UNKNOWN,
    Bound,
    Function,
    Layer,
    LocalClass,
    Model,
    Ref,
    Span,
)

MAX_DEPTH = 12  # nested calls of functions defined in the file
MAX_STEPS = 200_000  # statements and calls interpreted per file


class OutOfSteps(Exception):
    pass


class Interpreter(
    Outside, Libraries, Recommenders, Trainers, StepApplied, StepForward, Rereads, PlainClasses,
    Subclasses, Methods, Weights, TensorCode, Statements,
):
    def __init__(self, path: Optional[str] = None) -> None:
        self.filename = path  # the file being read, for imports of its own modules (outside.py)
        self.unparsed = False  # whether parts of the file were skipped as not valid Python (HC903)
        self.importing: list[str] = []  # modules of the script's tree being run (outside.py)
        self.imported: dict[str, Optional[Scope]] = {}  # ... and those run, by path
        self.search: list[str] = []  # directories `sys.path.append("..")` added (outside.py)
        self.saved_here: dict[str, Any] = {}  # paths this file saved a model to (outside.py)
        self.models: list[Model] = []
        self.policy: Optional[str] = None
        self.name_counts: dict[str, int] = {}
        self.forks: list[Fork] = []
        self.functions: list[Function] = []
        self.called: set[int] = set()  # ids of function nodes that ran
        self.imported_defs: set[int] = set()  # ... defined by modules it imports (outside.py)
        self.active: set[int] = set()
        self.methods: list[Bound] = []  # methods of local subclasses being run (subclass.py)
        self.frames: list[tuple[Any, str]] = []  # ... their scopes and `self.` prefixes
        self.depth = 0
        self.steps = 0
        self.budget = Budget()  # how big the values built for this file may get (budget.py)
        self.unrolled = 0  # loop bodies run once per element so far (do_For)
        self.skipped: list[tuple[Span, str, str]] = []  # compiles in branches that do not run
        # `helper.compile()` calls of a plain class's own method: (where, receiver, class, the
        # lines of the Keras compiles it ran)
        self.delegated: list[tuple[Span, str, str, tuple[int, ...]]] = []
        self.foreign_models: dict[int, tuple[Layer, Model]] = {}  # a library layer compiled as a model
        self.plain_classes: list[LocalClass] = []  # the file's plain classes (plain_classes.py)
        self.plain_instances: dict[int, dict[str, Any]] = {}  # ... the last instance of each
        self.lambdas: dict[int, tuple[Any, Any]] = {}  # Lambda layers' functions (tensor_code.py)
        self.in_class = 0  # running a method of a custom Layer/Model: the models built are blocks

    # --- running -------------------------------------------------------------------------------
    def run(self, tree: ast.Module) -> list[Model]:
        module = Scope()
        module.vars["__name__"] = "__main__"
        self.kept = frozenset(kept_compiles(tree))
        try:
            for statements in by_cell(tree.body, self.cells):
                self.block(statements, module)
                module.stopped = module.exited = False  # a cell that raised: Jupyter runs on
            self.run_uncalled_functions()
        except OutOfSteps:
            pass
        return self.models

    def run_uncalled_functions(self) -> None:
        """Functions nothing in the file calls are still read, with parameters unknown."""
        done: set[int] = set()
        while True:  # functions first: one may make the instance a plain class's methods run on
            methods = self.plain_methods()
            pending = [f for f in self.functions
                       if id(f.node) not in self.called | done | methods]  # fmt: skip
            if not pending and self.run_uncalled_methods(done):
                continue
            pending = pending or [f for f in self.functions if id(f.node) not in self.called | done]
            if not pending:
                return
            for fn in pending:
                done.add(id(fn.node))
                self.call_function(fn, [], {}, opaque=True, outside=True)

    def register(self, model: Model) -> Model:
        if self.in_class:  # built inside a custom layer or model: a block of it, not an output
            model.nested = True
        self.models.append(model)
        return model

    def checkpoint(self) -> tuple[dict[str, int], int]:
        """What a trial run (a trainer's step, a call() read again) may change in the file's
        reading: the default-name counters and the models made so far."""
        return dict(self.name_counts), len(self.models)

    def rollback(self, mark: tuple[dict[str, int], int]) -> None:
        """Undo a trial run that gave nothing: its layers do not shift later default names, and
        the models it made are not the file's."""
        names, first_model = mark
        self.name_counts.clear()
        self.name_counts.update(names)
        del self.models[first_model:]

    def step(self) -> None:
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise OutOfSteps

    def lookup(self, name: str, scope: Scope) -> Any:
        value = scope.find(name)
        if value is not MISSING:
            return value
        if name in BUILTINS:
            return Ref("builtins." + name)
        stars = scope.module.stars  # of the module the code is in: a function of an imported
        # module looks its names up there, however late it is called
        found = [(ref, kind_of(ref.path)[0]) for ref in (Ref(f"{m}.{name}") for m in stars)]
        found = [(ref, kind) for ref, kind in found if kind != "other"]
        # `from tensorflow.keras.layers import *` beside `...applications.vgg16 import *`: VGG16
        # is the application's, Conv2D the layers' (each name is exported by the one that has it)
        exported = [ref for ref, kind in found
                    if kind not in ("application", "layer")
                    or (kind == "application") == (name in APPLICATIONS)]  # fmt: skip
        if found:
            return exported[0] if exported else found[0][0]
        return UNKNOWN if stars else Unbound(name, self.unparsed)  # a star import may define it

    def block(self, statements: list[ast.stmt], scope: Scope) -> None:
        for statement in statements:
            if scope.stopped:
                return
            self.step()
            handler = dispatch(type(self), "do_", type(statement))
            if handler is None:
                continue
            try:
                handler(self, statement, scope)
            except RecursionError:  # an expression nested too deeply to follow: leave it unknown
                continue

    # --- functions -----------------------------------------------------------------------------
    def call_function(
        self,
        fn: Function,
        args: list[Any],
        kwargs: dict[str, Any],
        opaque: bool = False,
        outside: bool = False,
    ) -> Any:
        if self.depth >= MAX_DEPTH or id(fn.node) in self.active:
            return UNKNOWN
        self.step()
        if not outside:
            self.called.add(id(fn.node))
        scope = Scope(parent=fn.scope, module=fn.scope.module)
        scope.function = fn.name
        bind_arguments(fn, scope, args, kwargs, unknown=opaque or outside, uncalled=outside)
        self.active.add(id(fn.node))
        self.depth += 1
        method = fn.owner in ("layer", "model")
        self.in_class += method
        policy = self.policy
        if outside and fn.policy != policy:
            # called by code outside the file (a tuner, a framework) at some time between its
            # definition and the end, while the policy changed: which one applies is unknown
            self.policy = None
        try:
            if isinstance(fn.node, ast.Lambda):
                return self.ev(fn.node.body, scope)
            self.block(fn.node.body, scope)
        finally:
            self.depth -= 1
            self.in_class -= method
            if outside:
                self.policy = policy
            self.active.discard(id(fn.node))
        results = scope.results + ([] if scope.returned else [None])
        first = results[0]
        return first if all(first is r or same(first, r) for r in results[1:]) else UNKNOWN


def by_cell(statements: list[ast.stmt], cells: tuple[tuple[int, int], ...]) -> list[list[ast.stmt]]:
    """A module's statements cell by cell (one group for a script). A `raise` ends its cell only,
    as in a notebook whose next cells the user still runs."""
    starts = [first for first, _ in cells]
    groups: dict[int, list[ast.stmt]] = {}
    for statement in statements:
        groups.setdefault(bisect_right(starts, statement.lineno), []).append(statement)
    return list(groups.values())
