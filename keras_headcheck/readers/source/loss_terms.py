"""Whether a term a train_step adds to a loss reads the output that loss is applied to.

A VAE's step sums its reconstruction loss with a KL term computed from the encoder's outputs:

    z_mean, z_log_var, z = self.encoder(data)
    reconstruction = self.decoder(z)
    reconstruction_loss = tf.reduce_mean(keras.losses.binary_crossentropy(data, reconstruction))
    kl_loss = -0.5 * (1 + z_log_var - tf.square(z_mean) - tf.exp(z_log_var))
    total_loss = reconstruction_loss + tf.reduce_mean(kl_loss)

The decoder's output gets its gradient from the crossentropy alone, so that is the loss it is
trained with (step_losses.py). A term is independent of the output when nothing it is computed
from, followed back through every assignment of each local name it reads, touches the sub-model
that produces it: no call or other use of `self.decoder` (or of `self(...)` when the output is the
model's own, or of a module name holding the same sub-model), and no call through `self` the
reader cannot see into (a helper method, which may run the decoder itself). Reading a plain
attribute (`self.beta`, `self.losses`) or calling another sub-model (`self.encoder`) is fine.
Anything unsure counts as dependent: the term is then one more use of the output and the loss
is not bound.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Optional

SELF = "(self)"  # `self(x)`: the model's own output, as a sub-model attribute
CODE = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)


@dataclass
class Output:
    """The output a loss is applied to: `model` is the sub-model attribute producing it (SELF
    for `self(x)`), `others` the instance's other sub-model attributes."""

    me: str
    model: str
    others: frozenset[str]
    sources: dict[str, list[ast.AST]] = field(default_factory=dict)  # name -> what it is made of
    stored: frozenset[str] = frozenset()  # `self.x` attributes the method assigns
    names: frozenset[str] = frozenset()  # module names holding `model` itself (`decoder`)


def output_of(fn: ast.AST, me: str, model: str, others: frozenset[str],
              names: frozenset[str] = frozenset()) -> Optional[Output]:
    """The dependency facts of method `fn` for terms summed with a loss on `model`'s output;
    None when the method defines code of its own (a closure may read the output unseen)."""
    if any(isinstance(n, CODE) for n in ast.walk(fn) if n is not fn):
        return None
    sources: dict[str, list[ast.AST]] = {}
    stored: set[str] = set()
    for node in ast.walk(fn):
        for target, value in _stores(node):
            for name in ast.walk(target):
                if isinstance(name, ast.Name):
                    sources.setdefault(name.id, []).append(value)
                elif (isinstance(name, ast.Attribute) and isinstance(name.value, ast.Name)
                      and name.value.id == me and isinstance(name.ctx, ast.Store)):  # fmt: skip
                    stored.add(name.attr)
    return Output(me, model, others - {model}, sources, frozenset(stored), names)


def _stores(node: ast.AST) -> list[tuple[ast.AST, ast.AST]]:
    """(target, what its value is made of) for each way a statement gives a name a value: the
    whole right side of an unpacking, a loop's iterable, a `with` item's context manager. An
    augmented assignment's target is read again, so its old values still count."""
    if isinstance(node, ast.Assign):
        return [(t, node.value) for t in node.targets]
    if isinstance(node, (ast.AugAssign, ast.AnnAssign, ast.NamedExpr)) and node.value is not None:
        return [(node.target, node.value)]
    if isinstance(node, (ast.For, ast.AsyncFor, ast.comprehension)):
        return [(node.target, node.iter)]
    if isinstance(node, ast.withitem) and node.optional_vars is not None:
        return [(node.optional_vars, node.context_expr)]
    return []


def independent(expr: ast.AST, output: Output) -> bool:
    """Whether nothing `expr` is computed from reads `output` (see the module docstring)."""
    seen: set[str] = set()
    todo: list[ast.AST] = [expr]
    while todo:
        node = todo.pop()
        parents = {c: p for p in ast.walk(node) for c in ast.iter_child_nodes(p)}
        for sub in ast.walk(node):
            if isinstance(sub, ast.Name) and sub.id == output.me:
                if not _plain_self_use(sub, parents.get(sub), parents, output):
                    return False
            elif isinstance(sub, ast.Name) and sub.id in output.names:
                return False  # the module's name for the same sub-model
            elif isinstance(sub, ast.Name) and sub.id not in seen:
                seen.add(sub.id)
                todo.extend(output.sources.get(sub.id, ()))
    return True


def _plain_self_use(me: ast.Name, parent: Optional[ast.AST], parents: dict[ast.AST, ast.AST],
                    output: Output) -> bool:
    """`self.encoder(...)` (another sub-model) or a plain read of an attribute the method does
    not set (`self.beta`); not `self(...)`, the output's own sub-model or a helper's call."""
    if not isinstance(parent, ast.Attribute) or parent.value is not me:
        return False  # `self(x)`, or `self` handed to a function
    attr = parent.attr
    if attr in output.others:
        return True
    if attr == output.model or attr in output.stored:
        return False
    above = parents.get(parent)
    called = isinstance(above, ast.Call) and above.func is parent
    through = isinstance(above, ast.Attribute) and isinstance(parents.get(above), ast.Call)
    return not (called or through)  # a helper method (`self.kl(z)`) may run the output's model
