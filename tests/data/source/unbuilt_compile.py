# Models made by code the reader does not follow, compiled and trained here: each compile is
# reported (HC901 "a model this file does not build"), never passed over in silence.
import re

import keras
from keras.optimizers import legacy as optimizer_legacy
from lib import gan, helpers
from kfp import compiler

# A builder from another module, applied to a tensor (Advanced Deep Learning with Keras' GANs).
inputs = keras.Input((28, 28, 1))
discriminator = gan.discriminator(inputs, num_labels=10)
discriminator.compile(loss="binary_crossentropy", optimizer="rmsprop", metrics=["accuracy"])  # expect: HC901
discriminator.fit(x, y)

# Compiled with positional arguments only: an optimizer first is Keras's signature.
model = helpers.get_model_from_layers([keras.layers.Dense(1)], input_shape=(1,))
model.compile("rmsprop", "mse")  # expect: HC901
model.train_on_batch(x, y)
other = helpers.model_data().model
other.compile(optimizer_legacy.SGD(0.1), run_eagerly=True)  # expect: HC901
other.fit(x, y)

# Not Keras compiles: a regex, a template engine, a pipeline compiler without Keras's keywords.
pattern = re.compile("a+", re.I)
template = environment.compile(source)
helpers.compile(pipeline, "pipeline.json")


def training_pipeline():
    pass


# kfp's pipeline compiler, an instance of another library's class: not a model's compile.
compiler.Compiler().compile(pipeline_func=training_pipeline, package_path="pipeline.json")
compiler.Compiler().compile(training_pipeline, "pipeline.yaml")
# ...while a library model's own compile with positional arguments is (segmentation_models,
# whose head its table knows: the loss is the library's own).
import segmentation_models as sm

unet = sm.Unet("resnet34", classes=4, activation="softmax")
optim = keras.optimizers.Adam(0.001)
unet.compile(optim, sm.losses.DiceLoss(), ["accuracy"])  # expect: HC902
unet.fit(x, y)

# Compiled with Keras's defaults, or with arguments passed on: a model's compile all the same.
import tensorflow_recommenders as tfrs


class Ranker(tfrs.Model):
    def compute_loss(self, features, training=False):
        return self.task(labels=features["rating"], predictions=self(features))


ranker = Ranker()  # expect: HC901 (a tfrs.Model whose `self.task` is not set: tfrs_models.py)
ranker.compile()
ranker.fit(data)
settings = {"optimizer": "adam", "loss": "mse"}
passed_on = helpers.model_data().model
passed_on.compile(**settings)  # expect: HC901
passed_on.fit(x, y)
