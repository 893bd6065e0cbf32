"""neural_structured_learning (NSL): the models that train a base model with a regulariser.

`nsl.keras.AdversarialRegularization(base_model, label_keys=[...], adv_config=...)` and
`nsl.keras.GraphRegularization(base_model, graph_reg_config)` are Keras models whose outputs are
the base model's, and whose `compile(loss=...)` is applied to those outputs (the regulariser's
loss is added to it). So they have the base model's head. Read from NSL 1.4
(`neural_structured_learning/keras/adversarial_regularization.py`, `graph_regularization.py`).
"""

from __future__ import annotations

LIBRARY = "neural_structured_learning"
WRAPPING = frozenset({"AdversarialRegularization", "GraphRegularization"})

