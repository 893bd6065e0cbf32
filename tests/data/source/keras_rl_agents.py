# keras-rl's agents compile and train the model they are given, as Q-values under a (masked)
# Huber loss (knowledge/keras_rl.py); DQN's dueling network replaces the model's last layer.
from keras.layers import Activation, Dense, Flatten
from keras.models import Sequential
from keras.optimizers import Adam
from rl.agents import SARSAAgent
from rl.agents.dqn import DQNAgent
from rl.memory import SequentialMemory

env = make_env()
nb_actions = 4
memory = SequentialMemory(limit=50000, window_length=1)

q_values = Sequential([Flatten(input_shape=(1, 8)), Dense(16, activation="relu"),
                       Dense(nb_actions), Activation("softmax")])  # expect: HC203
dqn = DQNAgent(model=q_values, nb_actions=nb_actions, memory=memory, nb_steps_warmup=10)
dqn.compile(Adam(learning_rate=1e-3), metrics=["mae"])
dqn.fit(env, nb_steps=50000)

linear = Sequential([Flatten(input_shape=(1, 8)), Dense(nb_actions, activation="linear")])
sarsa = SARSAAgent(linear, nb_actions=nb_actions, nb_steps_warmup=10)
sarsa.compile(Adam(learning_rate=1e-3), ["accuracy"])  # expect: HC301
sarsa.fit(env, nb_steps=50000)

dueling = Sequential([Flatten(input_shape=(1, 8)), Dense(nb_actions, activation="softmax")])
agent = DQNAgent(model=dueling, nb_actions=nb_actions, memory=memory,  # expect: HC901
                 enable_dueling_network=True)
agent.compile(Adam(learning_rate=1e-3), metrics=["mae"])
agent.fit(env, nb_steps=50000)
