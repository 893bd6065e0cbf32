"""How a finding's message names what it is about: the loss as the user wrote it, the targets,
and the numbers read from them. Shared by the loss and the target rules, so they say it alike."""

from __future__ import annotations

import math

from ..head import Head
from ..targets import TargetSummary


def loss_text(head: Head) -> str:
    return head.loss.written if head.loss else ""


def targets_text(t: TargetSummary) -> str:
    """Who the targets are: real arrays, or labels the source reader followed to where they came from."""
    return f"the labels from {t.source}" if t.source else "the targets"


def number(value: float) -> str:
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return str(int(value)) if float(value).is_integer() else f"{value:.4g}"
