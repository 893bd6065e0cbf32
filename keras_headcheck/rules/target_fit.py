"""How the targets line up with the output, as Keras lines them up: their width along the unit
axis, and whether they are class ids. Facts the target rules share, not rules."""

from __future__ import annotations

from typing import Optional

from ..head import CATEGORICAL_LOSSES, CROSSENTROPY_LOSSES, HINGE_LOSSES, REGRESSION_LOSSES, Head
from ..targets import TargetSummary

SPARSE = "sparse_categorical_crossentropy"
# Losses whose targets have the output's shape (not CTC label sequences, not sparse class ids).
SAME_SHAPE_LOSSES = (
    (CROSSENTROPY_LOSSES - {SPARSE})
    | REGRESSION_LOSSES
    | HINGE_LOSSES
    | {"poisson", "kl_divergence", "cosine_similarity", "dice", "tversky"}
)


def output_rank(head: Head) -> Optional[int]:
    final = head.final
    return len(final.shape) if final is not None and final.shape else None


def target_width(head: Head, t: TargetSummary) -> Optional[int]:
    """The targets' size along the output's unit axis, as Keras lines them up (a missing last
    axis is added as size 1); None when the ranks do not say."""
    rank = output_rank(head)
    if t.shape is None:
        return None
    if rank is None:
        return t.shape[-1] if t.ndim >= 2 else 1
    if t.ndim == rank:
        try:
            return t.shape[head.axis]
        except IndexError:
            return None
    return 1 if t.ndim == rank - 1 else None


def class_ids(head: Head, t: TargetSummary) -> bool:
    """Integer labels, one per prediction (as sparse categorical crossentropy reads them)."""
    return t.numeric and t.integer_valued and target_width(head, t) == 1


def ids_with_categorical(head: Head, t: TargetSummary) -> bool:
    return (
        head.loss_name in CATEGORICAL_LOSSES
        and head.units != 1
        and class_ids(head, t)
        and t.minimum >= 0
    )
