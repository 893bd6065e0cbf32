"""tensorflow_recommenders (TFRS): `tfrs.Model` subclasses and the tasks that give their loss.

`tfrs.models.Model` (also `tfrs.Model`) is a `tf.keras.Model` whose `train_step` is
`loss = self.compute_loss(inputs, training=True)` plus the regularization losses, differentiated
(models/base.py): the loss given to `compile` is never applied; the user's `compute_loss` returns
the value of a task:

- `tfrs.tasks.Ranking(loss=None, metrics=None, prediction_metrics=None, ...)` applies its Keras
  loss (default `tf.keras.losses.BinaryCrossentropy()`, probabilities) as
  `self._loss(y_true=labels, y_pred=predictions, sample_weight=sample_weight)`, to the
  predictions exactly as given (tasks/ranking.py: its call() transforms nothing; the metrics
  only read them). So a ranking head is checked like a compile with that loss.
- `tfrs.tasks.Retrieval(loss=None, ...)` scores the query embeddings against the candidate
  embeddings (a matmul, an in-batch softmax: the default loss is
  `CategoricalCrossentropy(from_logits=True, reduction=SUM)` on those scores, tasks/retrieval.py):
  the towers' outputs are embeddings, not a head the rules could check.

Read from the library's source (tensorflow_recommenders v0.7.7: models/base.py, tasks/ranking.py,
tasks/retrieval.py); the library is not installed here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

LIBRARY = "tensorflow_recommenders"
# The paths `tfrs.Model` is reached by (`tfrs.Model = models.Model` in the package's __init__).
MODEL_PATHS = frozenset({
    "tensorflow_recommenders.Model", "tensorflow_recommenders.models.Model",
    "tensorflow_recommenders.models.base.Model",
})  # fmt: skip
TASKS_MODULES = ("tensorflow_recommenders.tasks", "tensorflow_recommenders.tasks.ranking",
                 "tensorflow_recommenders.tasks.retrieval")  # fmt: skip


@dataclass(frozen=True)
class TaskFacts:
    """What a task's call() does with its arguments."""

    name: str
    loss_position: int  # `loss` among the constructor's positional parameters
    default_loss: tuple[str, dict[str, Any]]  # the Keras loss class it uses when given none
    prediction: Optional[tuple[str, int]]  # the call() argument its loss is applied to, as
    # (keyword, position); None: the loss is applied to scores it computes itself
    why: str = ""  # why the head rules do not apply, when they do not


TASKS = {
    # tasks/ranking.py: `loss if loss is not None else tf.keras.losses.BinaryCrossentropy()`;
    # call(self, labels, predictions, sample_weight=None, training=False, compute_metrics=True)
    "Ranking": TaskFacts("Ranking", 0, ("BinaryCrossentropy", {}), ("predictions", 1)),
    # tasks/retrieval.py: `CategoricalCrossentropy(from_logits=True, reduction=SUM)` on
    # `tf.linalg.matmul(query_embeddings, candidate_embeddings, transpose_b=True)`
    "Retrieval": TaskFacts(
        "Retrieval", 0, ("CategoricalCrossentropy", {"from_logits": True, "reduction": "sum"}),
        None,
        why="a softmax over the similarities of its query and candidate embeddings (an in-batch "
        "retrieval loss): the towers output embeddings, not a head the head rules check",
    ),
}


# Retrieval.call(self, query_embeddings, candidate_embeddings, sample_weight=None, ...)
RETRIEVAL_EMBEDDINGS = ("query_embeddings", "candidate_embeddings")


def is_model(path: str) -> bool:
    """Whether `path` names `tfrs.Model`, the Keras model whose train_step runs compute_loss."""
    return path in MODEL_PATHS


def task(path: str) -> Optional[TaskFacts]:
    """The facts of the task class `path` names (`tensorflow_recommenders.tasks.Ranking`)."""
    module, _, name = path.rpartition(".")
    return TASKS.get(name) if module in TASKS_MODULES else None
