# Losses and metrics per output, bound as Keras binds them: a dict keyed by output layer names, a
# list in output order, loss_weights; a flat metrics list as long as the outputs is one per output.
import keras
from keras import layers

inp = keras.Input((16,))
h = layers.Dense(32, activation="relu")(inp)
price = layers.Dense(1, name="price")(h)  # expect: HC202, HC206
kind = layers.Dense(4, activation="softmax", name="kind")(h)  # expect: HC203
swapped = keras.Model(inp, [price, kind])
swapped.compile(loss={"kind": "mse", "price": "categorical_crossentropy"}, loss_weights={"price": 1.0, "kind": 0.2})

right = keras.Model(inp, [price, kind])
right.compile(
    loss={"price": "mse", "kind": "categorical_crossentropy"},
    loss_weights={"price": 1.0, "kind": 0.2},
    metrics=["mae", "accuracy"],  # Keras 3: "mae" for price, "accuracy" for kind
)
in_order = keras.Model(inp, [price, kind])
in_order.compile(loss=["mse", "categorical_crossentropy"], metrics={"price": ["mae"], "kind": ["accuracy"]})

# A loss held in a variable, assigned in the same scope.
def build():
    out = layers.Dense(1, activation="sigmoid")(h)  # expect: HC201
    model = keras.Model(inp, out)
    loss_fn = keras.losses.BinaryCrossentropy(from_logits=True)
    losses = [loss_fn]
    model.compile(optimizer="adam", loss=losses)
    return model


build()

# Metric rules never fire on an output that is already HC901.
hidden = layers.Lambda(lambda t: t ** 2)(layers.Dense(3)(h))  # expect: HC901
opaque = keras.Model(inp, hidden)
opaque.compile(loss="mse", metrics=["accuracy"])
seen = keras.Model(inp, layers.Dense(3)(h))
seen.compile(loss="mse", metrics=["accuracy"])  # expect: HC301
