# `model.compile(**train_config)`: the loss and metrics are read from the dict it unpacks (the
# SNGP tutorial's style); a dict the reader cannot see holds a loss it cannot interpret (HC902),
# never no loss at all.
import tensorflow as tf

loss = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=False)
metrics = (tf.keras.metrics.SparseCategoricalAccuracy(),)
train_config = dict(loss=loss, metrics=metrics, optimizer="adam")

inputs = tf.keras.Input((4,))
logits = tf.keras.Model(inputs, tf.keras.layers.Dense(2)(inputs))  # expect: HC202
logits.compile(**train_config)
probs = tf.keras.Model(inputs, tf.keras.layers.Dense(2, activation="softmax")(inputs))  # expect: HC203
probs.compile(**train_config)
probs.compile(optimizer="sgd", **{"loss": "mse"})
hidden = tf.keras.Model(inputs, tf.keras.layers.Dense(2, activation="softmax")(inputs))
hidden.compile(**load_options())  # expect: HC902
