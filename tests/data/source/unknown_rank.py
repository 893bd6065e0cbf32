# Unknown stays unknown: a tensor from something the reader cannot see (a pretrained backbone from
# another library, a `tf.*` op) has an unknown rank, so Flatten/Reshape of it have unknown sizes.
import keras
import tensorflow as tf
from keras import layers
from transformers import TFBertModel

MAX_LEN = 384


def create_model():
    encoder = TFBertModel.from_pretrained("bert-base-uncased")
    ids = layers.Input(shape=(MAX_LEN,), dtype=tf.int32)
    mask = layers.Input(shape=(MAX_LEN,), dtype=tf.int32)
    embedding = encoder(ids, attention_mask=mask)[0]  # (batch, 384, 768): the reader cannot know
    start = layers.Flatten()(layers.Dense(1, use_bias=False)(embedding))
    start_probs = layers.Activation(keras.activations.softmax)(start)  # softmax over the tokens
    qa = keras.Model([ids, mask], start_probs)
    loss = keras.losses.SparseCategoricalCrossentropy(from_logits=False)
    qa.compile(loss=[loss])
    return qa


model = create_model()
ids = layers.Input(shape=(MAX_LEN,), dtype=tf.int32)

tokens = tf.expand_dims(ids, -1)  # an op the reader does not follow
scores = layers.Reshape((-1,))(layers.Dense(1)(tokens))
op_model = keras.Model(ids, layers.Softmax()(scores))
op_model.compile(loss="sparse_categorical_crossentropy")

# The failing shape: the input is 2-D as written, so Flatten of Dense(1) is one unit.
inp = layers.Input(shape=(16,))
one = layers.Flatten()(layers.Dense(1)(inp))
wrong = keras.Model(inp, layers.Activation("softmax")(one))  # expect: HC101, HC207
wrong.compile(loss="sparse_categorical_crossentropy")
