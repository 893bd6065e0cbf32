"""A local layer or model called with a keyword argument its graph was not read with.

A subclass's graph is read once, when it is built (subclass.py): `call()` runs on symbolic inputs
with every other parameter at its default. A later call may steer `call()` down another branch:
Deep Learning with Python's `PositionalEmbedding` returns token embeddings, but
`embedding(x, reverse=True)` returns `x @ embeddings.T`, the tied output projection over the
vocabulary. When the arguments that may steer it (call_args.py says which) are constants given by
keyword, `call()` runs again on the same instance with them, as Keras runs it, and that call is a
call of the graph read then. Anything else (a value known only at run time, a positional
argument, a call() that then returns no tensor or its input) stays what call_args.py reports: an
unknown layer named with the arguments (HC901).
"""

from __future__ import annotations

from typing import Any, Optional

from .call_args import READ_WITH, unseen_arguments
from .layer_inputs import symbolic_inputs
from .local_classes import accepts
from .static import is_constant
from .values import Model, Tensor


class Rereads:
    """Mixin of the Interpreter (before Subclasses): `self.reread(target, kwargs)`."""

    def reread(self, target: Any, kwargs: dict[str, Any]) -> Optional[tuple[Model, dict[str, Any]]]:
        """The graph `call()` gives with the call's steering keyword arguments, and the keyword
        arguments left for it; None when the call needs no new reading or cannot get one."""
        if not isinstance(target, Model) or target.instance is None or target.traced is None:
            return None
        steering = {k: v for k, v in kwargs.items()
                    if k not in READ_WITH and k not in target.call_inputs}  # fmt: skip
        inputs = max(1, len(target.call_inputs))
        if not steering or unseen_arguments(target.traced, [], steering, inputs) is None:
            return None
        method = target.instance.get("call")
        if method is None or not all(is_constant(v) for v in steering.values()):
            return None
        sources = symbolic_inputs(inputs, target.span)
        extra = {"training": True} if accepts(method.function, "training") else {}
        mark = self.checkpoint()  # type: ignore[attr-defined]
        results = self.run_method(  # type: ignore[attr-defined]
            method, [Tensor(s, 0) for s in sources], {**extra, **steering})
        first = results[0] if results else None
        if (not isinstance(first, Tensor) or first.source in sources
                or any(r is not first for r in results)):  # fmt: skip
            # no one tensor computed by its layers: the HC901 naming the arguments stays, and the
            # file reads as if this run never happened (layers it built do not shift names)
            self.rollback(mark)  # type: ignore[attr-defined]
            return None
        number = len(target.nodes)
        target.nodes.append(([], {}))  # the call keeps its number: `positional_embedding#1`
        variant = self._as_model(  # type: ignore[attr-defined]
            (first, sources), f"{target.name}#{number}", target.span, target.what)
        variant.call_inputs, variant.nested = target.call_inputs, True
        rest = {k: v for k, v in kwargs.items() if k not in steering}
        return variant, rest
