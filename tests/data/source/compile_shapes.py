# Compiles the reader knows as Keras's by their shape alone, on models it does not build: each is
# reported (an HC901 naming the model), never passed over in silence.
import keras
import keras_cv
from keras import optimizers
from lib import helpers, train

# Keras's positional order: an optimizer the reader cannot name, then a Keras loss.
model = helpers.get_model()
opt = optimizers.SGD(learning_rate=0.1)
model.compile(opt, "mse")  # expect: HC901
model.fit(x, y)
other = helpers.get_model()
other.compile(make_optimizer(), keras.losses.MeanSquaredError())  # expect: HC901
other.fit(x, y)

# A library trainer's own compile: keywords named for its optimizers and losses.
trainer = keras_cv.training.ContrastiveTrainer(encoder=encoder, augmenter=augmenter, projector=projector)  # expect: HC901
trainer.compile(encoder_optimizer=optimizers.Adam(), encoder_loss=keras_cv.losses.SimCLRLoss(temperature=0.5))
trainer.fit(images)

# A two-stage detector compiled with its region proposals' losses only.
detector = keras_cv.models.FasterRCNN(num_classes=20, bounding_box_format="xyxy", backbone=backbone)  # expect: HC901
detector.compile(rpn_box_loss="Huber", rpn_classification_loss="BinaryCrossentropy")
detector.fit(images, boxes)

# Not Keras compiles: a function of the user's own module given a model, a template engine
# given a name that is no loss, a pipeline compiler's own keywords.
train.compile(model, hyperparams)
template = environment.compile(source, "page.html")
helpers.compile(pipeline_func=pipeline, package_path="pipeline.json")
