"""Regression losses a loss function writes out as math, read as the Keras loss they are.

    def custom_mean_squared_error(y_true, y_pred):
        return tf.reduce_mean(tf.square(y_true - y_pred), axis=-1)

is mean_squared_error for the head rules (a softmax under it is HC203, whatever it is called).
The forms read, on the function's own two parameters as given (either order of the difference;
`tf`/`tf.math`/`keras.ops`/`keras.backend`/NumPy spellings, `reduce_mean`, `** 2`), inside any
means or sums and scaled by positive constants:

- `square(y_true - y_pred)` -> mean_squared_error, and its root (RMSE: the same minimiser);
- `abs(y_true - y_pred)` -> mean_absolute_error, and Charbonnier's `sqrt(square(y_true -
  y_pred) + eps**2)`, a smooth L1 (named as written, so the message does not call it MAE);
- either of them plus a penalty pulling the predictions towards a constant, scaled by a
  constant (`reg * self.regularization_factor`, reg = `mean(square(0.5 - y_pred))`): the
  loss still measures a distance between predictions and targets value by value, which is all
  the rules that read "regression loss" ask of it (HC203: a softmax ties the values together;
  HC301: accuracy does not measure a distance), and the penalty is itself a regression of the
  predictions on a constant;
- Huber's `where(abs(d) < c, square(d) / 2, c * abs(d) - c ** 2 / 2)` -> huber (squared
  below a constant threshold, absolute above it).

The body may name its steps (`mse = ...; return mse + reg`), each name assigned once, and print
tracing messages; nothing else may run in it (no `if`, loop or call of the file's). Anything
else (a transformed `y_pred` or `y_true`, a product with `y_true`, a contrastive or triplet form,
berHu's absolute-then-squared `where`) is not read: HC902.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Any, Callable, Optional

from .names import kind_of
from .values import Function, Ref

Eval = Callable[[ast.expr, Any], Any]
SQUARE, ABS, SQRT = frozenset({"square"}), frozenset({"abs", "absolute"}), frozenset({"sqrt"})
WHERE = frozenset({"where"})
REDUCE = frozenset({"mean", "reduce_mean", "sum", "reduce_sum"})
ARRAY_MODULES = ("numpy.", "jax.numpy.", "torch.")
MAX_DEPTH = 12  # nested calls and inlined names followed before giving up


@dataclass
class _Reading:
    """What the reader needs while matching: the parameters and the steps named once."""

    true: str
    pred: str
    steps: dict[str, ast.expr]
    fn: Function
    ev: Eval

    def resolve(self, node: ast.expr, depth: int = 0) -> ast.expr:
        """A name the body assigned once, as what it was assigned."""
        while isinstance(node, ast.Name) and node.id in self.steps and depth < MAX_DEPTH:
            node, depth = self.steps[node.id], depth + 1
        return node

    def op(self, node: ast.expr, names: frozenset[str]) -> Optional[ast.expr]:
        """The one tensor argument of `tf.square(x)` / `ops.mean(x, axis=-1)` when the callee
        is an op of a tensor module named in `names`."""
        node = self.resolve(node)
        if not self.calls(node, names):
            return None
        assert isinstance(node, ast.Call)
        if names is not REDUCE and (len(node.args) > 1 or node.keywords):
            return None
        if any(not self.constant(a) for a in node.args[1:]) or any(
            k.arg not in ("axis", "keepdims") or not self.constant(k.value) for k in node.keywords
        ):
            return None
        return node.args[0]

    def calls(self, node: ast.expr, names: frozenset[str]) -> bool:
        """Whether `node` is a call, with plain positional arguments, of an op of a tensor
        module named in `names`."""
        if not isinstance(node, ast.Call) or not node.args or isinstance(node.args[0], ast.Starred):
            return False
        ref = self.ev(node.func, self.fn.scope)
        if not isinstance(ref, Ref) or ref.path.rsplit(".", 1)[-1] not in names:
            return False
        return (kind_of(ref.path)[0] == "op" or ref.path.startswith(ARRAY_MODULES)
                or ref.path == "builtins.abs")  # fmt: skip  (Python's abs() works on tensors)

    def constant(self, node: ast.expr, depth: int = 0) -> bool:
        """An expression of constants (`1e-3`, `eps ** 2`, `tf.square(1e-3)`, `self.eps`) that
        reads neither tensor and calls nothing but tensor ops on constants."""
        if depth > MAX_DEPTH:
            return False
        node = self.resolve(node)
        if isinstance(node, ast.Constant):
            return isinstance(node.value, (int, float)) and not isinstance(node.value, bool)
        if isinstance(node, (ast.Tuple, ast.List)):
            return all(self.constant(e, depth + 1) for e in node.elts)
        if isinstance(node, ast.UnaryOp):
            return self.constant(node.operand, depth + 1)
        if isinstance(node, ast.BinOp):
            return self.constant(node.left, depth + 1) and self.constant(node.right, depth + 1)
        if isinstance(node, ast.Name):  # a step is resolved: a parameter or a global is left
            return node.id not in (self.true, self.pred)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            return node.value.id not in (self.true, self.pred)  # `self.eps`, `np.pi`
        if isinstance(node, ast.Call) and len(node.args) == 1 and not node.keywords:
            ref = self.ev(node.func, self.fn.scope)
            return (isinstance(ref, Ref) and kind_of(ref.path)[0] == "op"
                    and self.constant(node.args[0], depth + 1))  # fmt: skip
        return False

    def positive(self, node: ast.expr) -> bool:
        """A scale: a positive number, or a constant name or attribute (`self.factor`)."""
        node = self.resolve(node)
        if isinstance(node, ast.Constant):
            return self.constant(node) and node.value > 0
        return isinstance(node, (ast.Name, ast.Attribute)) and self.constant(node)

    def difference(self, node: ast.expr, against: Optional[str] = None) -> bool:
        """`y_true - y_pred` or `y_pred - y_true`; with `against`, `c - y_pred` for a constant c."""
        node = self.resolve(node)
        if not (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Sub)):
            return False
        sides = [self.resolve(node.left), self.resolve(node.right)]
        names = [s.id if isinstance(s, ast.Name) else None for s in sides]
        if against is None:
            return sorted(n or "" for n in names) == sorted((self.true, self.pred))
        if self.pred not in names:
            return False
        return self.constant(sides[1 - names.index(self.pred)])

    def elementwise(self, node: ast.expr, against: Optional[str] = None) -> Optional[str]:
        """The loss of one value: "mean_squared_error" for `square(d)` / `d ** 2`,
        "mean_absolute_error" for `abs(d)`, "charbonnier" for `sqrt(square(d) + c)`."""
        node = self.resolve(node)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow):
            exponent = self.resolve(node.right)
            if isinstance(exponent, ast.Constant) and exponent.value == 2:
                return "mean_squared_error" if self.difference(node.left, against) else None
            return None
        for names, loss in ((SQUARE, "mean_squared_error"), (ABS, "mean_absolute_error")):
            inner = self.op(node, names)
            if inner is not None:
                return loss if self.difference(inner, against) else None
        if against is None and self.huber(node):
            return "huber"
        inner = self.op(node, SQRT)
        inner = self.resolve(inner) if inner is not None else None
        if against is None and isinstance(inner, ast.BinOp) and isinstance(inner.op, ast.Add):
            for term, eps in ((inner.left, inner.right), (inner.right, inner.left)):
                if self.elementwise(term) == "mean_squared_error" and self.constant(eps):
                    return "charbonnier"
        return None

    def huber(self, node: ast.expr) -> bool:
        """`where(abs(d) < c, square(d) / 2, c * abs(d) - c ** 2 / 2)`: squared below a constant
        threshold, absolute above it (either side of the comparison, either order of the
        branches with the comparison turned round), each scaled by positive constants."""
        if not (self.calls(node, WHERE) and len(node.args) == 3 and not node.keywords):
            return False
        assert isinstance(node, ast.Call)
        test, first, second = (self.resolve(a) for a in node.args)
        if not (isinstance(test, ast.Compare) and len(test.ops) == 1):
            return False
        left, right, op = self.resolve(test.left), self.resolve(test.comparators[0]), test.ops[0]
        if self.constant(left):
            left, right = right, left
            op = {ast.Gt: ast.Lt(), ast.GtE: ast.LtE(), ast.Lt: ast.Gt(), ast.LtE: ast.GtE()}.get(
                type(op), op)
        if not (self.constant(right) and self.reduced(left, reduce=False) == "mean_absolute_error"):
            return False
        if isinstance(op, (ast.Gt, ast.GtE)):
            first, second = second, first
        elif not isinstance(op, (ast.Lt, ast.LtE)):
            return False
        return self.reduced(first, reduce=False) == "mean_squared_error" and self.shifted(second)

    def shifted(self, node: ast.expr) -> bool:
        """A scaled absolute difference minus a constant (`c * abs(d) - c ** 2 / 2`)."""
        node = self.resolve(node)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Sub) and self.constant(
                node.right):  # fmt: skip
            node = node.left
        return self.reduced(node, reduce=False) == "mean_absolute_error"

    def reduced(self, node: ast.expr, against: Optional[str] = None, depth: int = 0,
                reduce: bool = True) -> Optional[str]:
        """An elementwise loss inside means/sums, scaled by positive constants; its root too.
        With `reduce` False, only scaled: one value's loss."""
        node = self.resolve(node)
        if depth > MAX_DEPTH:
            return None
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Mult, ast.Div)):
            scaled = [(node.left, node.right)]
            if isinstance(node.op, ast.Mult):
                scaled.append((node.right, node.left))
            for term, scale in scaled:
                if self.positive(scale):
                    return self.reduced(term, against, depth + 1, reduce)
            return None
        if not reduce:
            return self.elementwise(node, against)
        inner = self.op(node, REDUCE)
        if inner is not None:
            return self.reduced(inner, against, depth + 1)
        if against is None:
            root = self.op(node, SQRT)
            if root is not None and self.reduced(root, None, depth + 1) == "mean_squared_error":
                return "root_mean_squared_error"
        return self.elementwise(node, against)

    def loss(self, node: ast.expr) -> Optional[tuple[str, bool]]:
        """(the form, whether a penalty is added) of the returned expression."""
        node = self.resolve(node)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            for main, extra in ((node.left, node.right), (node.right, node.left)):
                found = self.reduced(main)
                if found is not None and self.penalty(extra):
                    return found, True
        found = self.reduced(node)
        return (found, False) if found is not None else None

    def penalty(self, node: ast.expr) -> bool:
        """`mean(square(0.5 - y_pred))`, scaled by a constant: the predictions pulled to a value."""
        return self.reduced(node, against=self.pred) is not None


def _steps(fn: Function, ev: Eval) -> Optional[tuple[dict[str, ast.expr], ast.expr]]:
    """A body of single-name assignments (each name once) and a final `return`, docstring and
    `print`/`tf.print` calls aside (they change no value): the assignments by name and the
    returned expression. None for anything else."""
    if isinstance(fn.node, ast.Lambda):
        return {}, fn.node.body
    body = [s for s in fn.node.body
            if not (isinstance(s, ast.Expr) and (isinstance(s.value, ast.Constant)
                                                 or _prints(s.value, fn, ev)))]  # fmt: skip
    if not body or not isinstance(body[-1], ast.Return) or body[-1].value is None:
        return None
    steps: dict[str, ast.expr] = {}
    for statement in body[:-1]:
        if not (isinstance(statement, ast.Assign) and len(statement.targets) == 1
                and isinstance(statement.targets[0], ast.Name)):  # fmt: skip
            return None
        name = statement.targets[0].id
        if name in steps:
            return None  # assigned twice: which value is returned is not plain
        steps[name] = statement.value
    return steps, body[-1].value


PRINTS = frozenset({"builtins.print", "tensorflow.print"})


def _prints(node: ast.expr, fn: Function, ev: Eval) -> bool:
    """A call of Python's or TensorFlow's print (tracing messages in the tutorials' losses)."""
    if not isinstance(node, ast.Call):
        return False
    if any(isinstance(n, ast.Call) for a in node.args + [k.value for k in node.keywords]
           for n in ast.walk(a)):  # fmt: skip
        return False  # what it prints is computed by a call, which may do anything
    ref = ev(node.func, fn.scope)
    return isinstance(ref, Ref) and ref.path in PRINTS


# How each form is named in messages (the function's own name comes first, as written).
SHOWN = {
    "mean_squared_error": "mean_squared_error",
    "mean_absolute_error": "mean_absolute_error",
    "root_mean_squared_error": "the root of mean_squared_error",
    "charbonnier": "Charbonnier, a smooth mean_absolute_error",
    "huber": "huber",
}
LOSS_OF = {"root_mean_squared_error": "mean_squared_error", "charbonnier": "mean_absolute_error"}


def written_loss(fn: Function, true: str, pred: str, ev: Eval,
                 shown: str) -> Optional[dict[str, Any]]:
    """The Keras regression loss `fn` writes out on its parameters `true`, `pred`, as a loss
    config whose `written` names the function (`shown`) and the form; None when it is not one."""
    parsed = _steps(fn, ev)
    if parsed is None or {true, pred} & set(parsed[0]) or true == pred:
        return None
    steps, returned = parsed
    found = _Reading(true, pred, steps, fn, ev).loss(returned)
    if found is None:
        return None
    form, penalised = found
    text = SHOWN[form] + (", plus a penalty on the predictions" if penalised else "")
    config = {"fn": LOSS_OF.get(form, form)}
    return {"class_name": "LossFunctionWrapper", "config": config, "module": "keras.losses",
            "written": f"{shown} ({text})"}  # fmt: skip
