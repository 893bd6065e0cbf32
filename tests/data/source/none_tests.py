# `if vectorizer is not None:` on a layer the script passed in is decided, as Python decides it
# (the TF text tutorial's `create_model(..., vectorizer=None)` builder); a name that is None on
# one path and a layer on another stays undecided, and the head it leads to is not guessed.
import random

import tensorflow as tf
from tensorflow.keras import layers


def create_model(num_labels, vectorizer=None):
    my_layers = []
    if vectorizer is not None:
        my_layers = [vectorizer]
    my_layers.extend([
        layers.Dense(8, activation="relu"),
        layers.Dense(num_labels, activation="softmax"),  # expect: HC101
    ])
    return tf.keras.Sequential(my_layers)  # expect: HC901 (the `unsure` model's layers)


vectorize = layers.TextVectorization(max_tokens=100)
given = create_model(1, vectorizer=vectorize)
given.compile(loss="binary_crossentropy")
given.fit(None, None)

maybe = vectorize if random.random() > 0.5 else None
unsure = create_model(1, vectorizer=maybe)
unsure.compile(loss="binary_crossentropy")
unsure.fit(None, None)
