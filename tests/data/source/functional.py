# The functional API: x = Layer(...)(x), outputs = ..., Model(inputs, outputs) / Model(inputs=, outputs=).
import tensorflow as tf

inputs = tf.keras.Input(shape=(32,))
x = tf.keras.layers.Dense(64, activation="relu")(inputs)
x = tf.keras.layers.Dropout(0.2)(x)
outputs = tf.keras.layers.Dense(10, activation="softmax")(x)  # expect: HC201
model = tf.keras.Model(inputs, outputs)
model.compile(
    optimizer="adam",
    loss=tf.keras.losses.CategoricalCrossentropy(from_logits=True),
    metrics=["accuracy"],
)

inp = tf.keras.layers.Input(shape=(32,))
hidden = tf.keras.layers.Dense(64, activation="relu")(inp)
logits = tf.keras.layers.Dense(10)(hidden)
good = tf.keras.models.Model(inputs=inp, outputs=logits)
good.compile(loss=tf.keras.losses.CategoricalCrossentropy(from_logits=True), metrics=["accuracy"])

i2 = tf.keras.Input((8,))
probabilities = tf.keras.layers.Dense(3)(i2)  # expect: HC202
wrong = tf.keras.Model(inputs=[i2], outputs=[probabilities])
wrong.compile(loss="categorical_crossentropy")

# Keras 1's keywords, which Keras 2.0 to 2.2 still took (older books write them)
i3 = tf.keras.Input((8,))
single = tf.keras.layers.Dense(1, activation="softmax")(i3)  # expect: HC101, HC206
legacy = tf.keras.Model(input=i3, output=single)
legacy.compile(loss="categorical_crossentropy")
