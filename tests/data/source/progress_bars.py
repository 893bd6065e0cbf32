# Loops over a progress bar run over what it wraps: `for model in tqdm(models)` trains each model
# in `models`, `trange(n)` is `range(n)` (an ensemble trained in a list comprehension).
import tqdm
from tqdm.auto import tqdm as auto_tqdm, trange

import keras


def create_model(units, activation):
    inputs = keras.Input((8,))
    outputs = keras.layers.Dense(units, activation=activation)(inputs)  # expect: HC204
    return keras.Model(inputs, outputs)


def train(model):
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    model.fit(None, None)
    return model


models = [create_model(3, "sigmoid") for _ in trange(2)]
trained = [train(model) for model in auto_tqdm(models, desc="training")]

head = keras.layers.Dense(1, activation="softmax")  # expect: HC101
single = keras.Sequential([keras.Input((8,)), head])
for model in tqdm.tqdm([single]):
    model.compile(loss="binary_crossentropy")
    model.fit(None, None)
