"""keras-rl (and keras-rl2, the same `rl.agents` modules): agents that train a model the user
builds as the Q-values of a discrete action space.

`DQNAgent(model=..., nb_actions=n, ...)` and `SARSAAgent(model, nb_actions, ...)` check that the
model has one output of shape (None, nb_actions), and their `compile(optimizer, metrics=[...])`
trains it through a Lambda computing `huber_loss(y_true, y_pred, delta_clip)` masked to the action
taken (squared error below `delta_clip`, absolute above; `delta_clip=np.inf` by default, plain
squared error): a regression of each output unit on its action's return, which is what the head
rules read for `loss="huber"`. `agent.fit(env, nb_steps=...)` trains it. With
`enable_dueling_network=True`, DQNAgent replaces the model's last layer by its own linear Dense
and a combination of value and advantages, so the model's head is not the one trained.
keras-rl is not installed here (it needs Keras 2): read from its source (`rl/agents/dqn.py`,
`rl/agents/sarsa.py`, keras-rl 0.4.2).
"""

from __future__ import annotations

from typing import Any, Optional

PACKAGE = "rl.agents"
AGENTS = frozenset({"DQNAgent", "SARSAAgent", "SarsaAgent"})  # SarsaAgent: SARSAAgent's alias
LOSS = "huber"  # what their compile trains the model's Q-values with (masked)
DUELING = ("its `enable_dueling_network` replaces the model's last layer by the agent's own "
           "linear head, so the model's head is not the one trained")


def is_agent(path: str) -> bool:
    """Whether `path` names one of the keras-rl agents this table knows."""
    module, _, name = path.rpartition(".")
    return (module == PACKAGE or module.startswith(PACKAGE + ".")) and name in AGENTS


def trained_model(path: str, args: list[Any], kwargs: dict[str, Any]) -> tuple[Any, Optional[str]]:
    """(the model an agent's constructor call trains, or None; why its head is not checked)."""
    model = kwargs.get("model", args[0] if args else None)
    dueling = kwargs.get("enable_dueling_network", args[4] if len(args) > 4 else False)
    if path.endswith(".DQNAgent") and dueling is not False:
        return None, DUELING
    return model, None
