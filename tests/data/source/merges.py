"""Heads that end in a merge of tensors: read from their operands' heads when the merged kind is
certain (readers/merges.py), HC901 naming the merge and why otherwise."""
import keras
from keras import layers

user = keras.Input(shape=(), dtype="int32")
item = keras.Input(shape=(), dtype="int32")
user_vec = layers.Embedding(100, 8)(user)
item_vec = layers.Embedding(100, 8)(item)

# A recommender's score: a dot product of embeddings is a logit.
scores = layers.Dot(axes=1)([user_vec, item_vec])
logits_model = keras.Model([user, item], scores)
logits_model.compile(loss=keras.losses.BinaryCrossentropy(from_logits=True))

probs_scores = layers.Dot(axes=1)([user_vec, item_vec])  # expect: HC202
probs_model = keras.Model([user, item], probs_scores)
probs_model.compile(loss=keras.losses.BinaryCrossentropy())

product = user_vec * item_vec  # expect: HC202
product_model = keras.Model([user, item], product)
product_model.compile(loss="binary_crossentropy")

# A residual regression head: x + dense(x).
x = keras.Input(shape=(16,))
hidden = layers.Dense(16, activation="relu")(x)
residual = layers.Add()([hidden, layers.Dense(16)(hidden)])
residual_model = keras.Model(x, residual)
residual_model.compile(loss="mse")

shifted = hidden + layers.Dense(16)(hidden)
shifted_model = keras.Model(x, shifted)
shifted_model.compile(loss="mse")

# Bounded or unknown combinations are not guessed.
gate = layers.Dense(4, activation="sigmoid")(hidden)
score = layers.Dense(4, activation="sigmoid")(hidden)
gated = layers.Multiply()([gate, score])  # expect: HC901
gated_model = keras.Model(x, gated)
gated_model.compile(loss="binary_crossentropy")

nested = gated + layers.Dense(4, activation="tanh")(hidden)  # expect: HC901
nested_model = keras.Model(x, nested)
nested_model.compile(loss="mse")

cosine = layers.Dot(axes=1, normalize=True)([user_vec, item_vec])  # expect: HC901
cosine_model = keras.Model([user, item], cosine)
cosine_model.compile(loss="mse")

# A model input plus an unbounded output is unbounded (a residual forecast); plus a bounded one, not known.
input_residual = layers.Add()([x, layers.Dense(16)(hidden)])
input_residual_model = keras.Model(x, input_residual)
input_residual_model.compile(loss="mse")

skip = layers.Add()([x, layers.Dense(16, activation="sigmoid")(hidden)])  # expect: HC901
skip_model = keras.Model(x, skip)
skip_model.compile(loss="mse")

# Classes side by side are no longer one softmax; a mean of softmaxes is one.
left = layers.Dense(3, activation="softmax")(hidden)
right = layers.Dense(3, activation="softmax")(hidden)
sides = layers.Concatenate()([left, right])  # expect: HC901
sides_model = keras.Model(x, sides)
sides_model.compile(loss="categorical_crossentropy")

ensemble = layers.Average()([left, right])  # expect: HC203
ensemble_model = keras.Model(x, ensemble)
ensemble_model.compile(loss="mse")
