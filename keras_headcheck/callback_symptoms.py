"""What the HeadCheck callback reads in the losses Keras logs: a loss that will not move or turns
NaN, and which head finding explains it. Pure functions of numbers and findings; imports no
Keras."""

from __future__ import annotations

import math
from typing import Any, Optional, Sequence

from .findings import Finding

# Head findings that explain a symptom, most direct explanation first.
FLAT_EXPLAINERS = (
    "HC101", "HC206", "HC203", "HC405", "HC401", "HC402", "HC404", "HC403", "HC407",
    "HC202", "HC201", "HC102", "HC103", "HC104", "HC501",
)
NAN_EXPLAINERS = ("HC207", "HC403", "HC407", "HC209", "HC211", "HC501", "HC202", "HC404", "HC201")
FLAT_RTOL = 1e-5  # epoch losses closer than this (relative) did not move
FLAT_ATOL = 1e-6  # batch losses within this of each other (and of 0) did not move


def logged_loss(logs: Optional[dict[str, Any]]) -> Optional[float]:
    """The `loss` Keras logged, as a float; None when there is none (or it is not a number)."""
    value = (logs or {}).get("loss")
    try:
        return float(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def flat_batches(losses: Sequence[float]) -> Optional[str]:
    """What is wrong when the first batches' losses did not move; None when they did."""
    if len(losses) >= 3 and all(math.isfinite(v) for v in losses):
        # Exactly constant, or stuck at (nearly) 0 where backends differ in the last digits.
        if max(losses) - min(losses) <= 1e-7 * max(abs(v) for v in losses) + FLAT_ATOL:
            return (
                f"the loss stayed at {losses[0]:.6g} over the first {len(losses)} batches: "
                "the model is not learning"
            )
    return None


def flat_epochs(before: float, after: float, epoch: int) -> Optional[str]:
    """What is wrong when the loss of epoch `epoch` (from 0) is that of the epoch before it."""
    if not _same(before, after):
        return None
    return (
        f"the loss did not change from epoch {epoch} to epoch {epoch + 1} "
        f"({before:.6g} -> {after:.6g}): the model is not learning"
    )


def explanation(findings: Optional[Sequence[Finding]], kind: str) -> str:
    """The head findings that explain a symptom ("flat" or "nan"), most direct first; or why
    none does."""
    if findings is None:
        return "The head could not be checked, so no head rule can explain it."
    explainers = FLAT_EXPLAINERS if kind == "flat" else NAN_EXPLAINERS
    rank = {code: i for i, code in enumerate(explainers)}
    causes = sorted(
        (f for f in findings if f.code in rank and f.is_failure), key=lambda f: rank[f.code]
    )
    if not causes:
        return (
            "No head rule explains it: look at the learning rate, the data and the "
            "gradients (the head, loss and targets checked look right)."
        )
    return "Explained by " + " and by ".join(
        f"{f.code} ({f.message}; fix: {f.fix.rstrip('.')})" for f in causes[:2]
    ) + "."


def _same(a: float, b: float) -> bool:
    close = abs(a - b) <= FLAT_RTOL * max(abs(a), abs(b)) + FLAT_ATOL * 1e-3
    return math.isfinite(a) and math.isfinite(b) and close
