# Library layers and models whose heads keras-headcheck's tables know (keras_headcheck/knowledge):
# keras_hub's MaskedLMHead, the Model Garden's RandomFeatureGaussianProcess and MovinetClassifier,
# keras_cv's DenseNets. Each is read as the projection it ends in; what the table does not cover
# is named (HC901).
import keras
import keras_cv
import keras_hub
import keras_nlp
import official.nlp.modeling.layers as nlp_layers
from official.projects.movinet.modeling import movinet_model

tokens = keras.Input((8,), dtype="int32")
positions = keras.Input((2,), dtype="int32")
encoded = keras.layers.Embedding(100, 16)(tokens)

# MaskedLMHead: logits by default (activation=None), probabilities with activation="softmax".
logits = keras_hub.layers.MaskedLMHead(vocabulary_size=100)(encoded, mask_positions=positions)
mlm = keras.Model([tokens, positions], logits)
mlm.compile(loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
probs = keras_nlp.layers.MaskedLMHead(vocabulary_size=100, activation="softmax")(encoded, positions)  # expect: HC201
wrong = keras.Model([tokens, positions], probs)
wrong.compile(loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
probs2 = keras_nlp.layers.MaskedLMHead(100, activation="softmax")(encoded, mask_positions=positions)
right = keras.Model([tokens, positions], probs2)
right.compile(loss="sparse_categorical_crossentropy")
unsure = keras_hub.layers.MaskedLMHead(vocabulary_size=100, activation=pick())(encoded, positions)  # expect: HC901
hidden = keras.Model([tokens, positions], unsure)
hidden.compile(loss="sparse_categorical_crossentropy")

# RandomFeatureGaussianProcess returns (logits, covariance matrix) by default.
features = keras.Input((4,))
gp_logits, covmat = nlp_layers.RandomFeatureGaussianProcess(units=3, gp_cov_momentum=-1)(features)
sngp = keras.Model(features, gp_logits)
sngp.compile(loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
gp_wrong, _ = nlp_layers.RandomFeatureGaussianProcess(3)(features)  # expect: HC202
wrong_gp = keras.Model(features, gp_wrong)
wrong_gp.compile(loss="sparse_categorical_crossentropy")
_, cov_only = nlp_layers.RandomFeatureGaussianProcess(3)(features)  # expect: HC901
cov_model = keras.Model(features, cov_only)
cov_model.compile(loss="mse")

# MovinetClassifier: logits over num_classes (its `activation` is the hidden layers').
backbone = None
video = movinet_model.MovinetClassifier(backbone=backbone, num_classes=10, activation="swish")
video.compile(loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
video_wrong = movinet_model.MovinetClassifier(backbone, 10)  # expect: HC202
video_wrong.compile(loss="sparse_categorical_crossentropy")

# keras_cv's DenseNet121: softmax by default.
cv = keras_cv.models.DenseNet121(include_rescaling=True, include_top=True, num_classes=5)  # expect: HC201
cv.compile(loss=keras.losses.CategoricalCrossentropy(from_logits=True))
cv_logits = keras_cv.models.DenseNet169(include_rescaling=True, include_top=True, num_classes=5,
                                        classifier_activation=None)
cv_logits.compile(loss=keras.losses.CategoricalCrossentropy(from_logits=True))
