# Library functions and classes that return the model they are given, wrapped (its layers for
# pruning, quantization or clustering; a regulariser around it): the wrapped model has the given
# model's head, and its own compile is checked (the TF Model Optimization guides' pattern).
import keras
import neural_structured_learning as nsl
import tensorflow_model_optimization as tfmot
from tensorflow_model_optimization.sparsity.keras import strip_pruning

base = keras.Sequential([keras.Input((28, 28)), keras.layers.Flatten(), keras.layers.Dense(10)])  # expect: HC202
base.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
base.fit(x, y)

pruned = tfmot.sparsity.keras.prune_low_magnitude(base)
pruned.compile(optimizer="adam", loss="sparse_categorical_crossentropy")  # probabilities expected
pruned.fit(x, y)

quantized = tfmot.quantization.keras.quantize_model(base)
quantized.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
quantized.fit(x, y)
stripped = strip_pruning(pruned)
stripped.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))

adversarial = nsl.keras.AdversarialRegularization(base, label_keys=["label"])
adversarial.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
adversarial.fit({"feature": x, "label": y})

# Not a wrapper: another tfmot function, and a wrapper given something that is not a model.
schedule = tfmot.sparsity.keras.PolynomialDecay(0.5, 0.8, 0, 1000)
layer = tfmot.sparsity.keras.prune_low_magnitude(keras.layers.Dense(3))
