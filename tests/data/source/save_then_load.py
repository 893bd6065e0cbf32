# A model saved, then loaded back from the same path (as tutorials show saving): the loaded
# model is the saved one, compiled as it was saved; a later compile replaces that.
import tensorflow as tf

model = tf.keras.Sequential([tf.keras.Input((4,)), tf.keras.layers.Dense(10)])  # expect: HC202
model.compile(loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True), optimizer="adam")
model.fit(x, y)
model.save("saved_model/")

restored = tf.keras.models.load_model("saved_model")  # the same path, spelt without its slash
restored.evaluate(x, y)  # compiled as saved: from_logits=True, clean
restored.compile(loss="sparse_categorical_crossentropy", optimizer="adam")  # linear into probabilities
restored.evaluate(x, y)

probabilities = tf.keras.Sequential([tf.keras.Input((4,)), tf.keras.layers.Dense(3, activation="softmax")])  # expect: HC203
probabilities.compile(loss="categorical_crossentropy", optimizer="adam")
tf.keras.models.save_model(probabilities, "probabilities.keras")
plain = tf.keras.models.load_model("probabilities.keras", compile=False)
plain.compile(loss="mse", optimizer="adam")  # loaded without its compile: this one is checked
plain.fit(x, y)

elsewhere = tf.keras.models.load_model("never_saved_here.keras")  # expect: HC901
elsewhere.compile(loss="mse", optimizer="adam")
elsewhere.fit(x, y)
