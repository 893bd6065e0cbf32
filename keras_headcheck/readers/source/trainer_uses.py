"""What a trainer subclass's train_step does with its losses, as the source reader binds them:
the (loss, sub-model) pairs bound, and how its HC901 names them (trainers.py, step_applied.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .values import Model

KNOWN = "="  # prefix of the keys of known Keras losses the step applies itself (step_losses.py)


@dataclass
class Trainer:
    """What a trainer instance's train_step does with the losses given to its compile."""

    uses: tuple[tuple[str, str], ...]  # (compile parameter or KNOWN key, sub-model attribute)
    complete: bool  # every call of a compile-given loss in train_step was bound
    attrs: dict[str, Any]  # the instance's attributes after __init__
    applied: tuple[str, ...] = ()  # sub-models a loss is applied to (or, if none is seen, run)
    bound: list[Model] = field(default_factory=list)  # sub-models bound by its compiles so far
    known: dict[str, Any] = field(default_factory=dict)  # KNOWN key -> a known loss's config
    cls: Any = None  # the LocalClass, whose step step_applied.py runs at its compile

    def what(self, name: str) -> str:
        """How the trainer is named in its HC901."""
        if self.complete:
            checked = ", ".join(f"`{model}`" for _, model in self.uses)
            if all(p.startswith(KNOWN) for p, _ in self.uses):
                return (f"`{name}` trains in its own train_step; the Keras loss it applies to "
                        f"{checked} is checked there")
            return (f"`{name}` trains in its own train_step; the loss given to its compile is checked "
                    f"on {checked}, the model it is applied to")
        check = (", ".join(f"keras_headcheck.check(model.{p}, x=batch)" for p in self.applied)
                 if self.applied else "each sub-model it trains with keras_headcheck.check(sub_model, "
                 "x=batch)")
        named = [(self.known[p]["written"] if p in self.known else f"`{p}`", m)
                 for p, m in self.uses]  # fmt: skip
        bound = "; ".join(f"{loss} is checked on `{model}`" for loss, model in named)
        what = "the other losses it applies are" if bound else "the loss it applies is"
        return (f"`{name}` trains in its own train_step; {bound + '; ' if bound else ''}{what} not bound "
                f"to an output the reader can see: check {check}, or train with the HeadCheck callback")
