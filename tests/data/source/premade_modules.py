# tf_keras's premade models named through the modules that define them, as tf_keras's own code
# and tests import them: the heads `tf.keras.experimental.LinearModel` and `WideDeepModel` have.
from tf_keras.optimizers.legacy import gradient_descent
from tf_keras.premade_models import linear, wide_deep

model = linear.LinearModel(units=3, activation="softmax")  # expect: HC203
model.compile(gradient_descent.SGD(0.1), "mse")
model.fit(x, y)
combined = wide_deep.WideDeepModel(linear.LinearModel(), dnn)  # expect: HC202
combined.compile(loss="binary_crossentropy", optimizer="sgd")
combined.fit(x, y)
