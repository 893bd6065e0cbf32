# TensorFlow Recommenders: a `tfrs.Model` subclass trains with what its compute_loss returns,
# usually a task's value; its compile takes only an optimizer. A Ranking task applies its Keras
# loss to its `predictions` as given (default BinaryCrossentropy), so that output is checked with
# it; a Retrieval task's towers output embeddings: HC901 naming it; anything unsure: HC901.
from typing import Dict

import tensorflow as tf
import tensorflow_recommenders as tfrs
from tensorflow_recommenders.tasks import Ranking


def rating_tower():
    return tf.keras.Sequential([
        tf.keras.layers.Dense(32, activation="relu"),
        tf.keras.layers.Dense(1),
    ])


class MeanSquared(tfrs.models.Model):
    """A linear rating under MSE, on the model's own output: clean."""

    def __init__(self):
        super().__init__()
        self.embed = tf.keras.layers.Embedding(50, 8)
        self.rating = tf.keras.layers.Dense(1)
        self.task: tf.keras.layers.Layer = tfrs.tasks.Ranking(
            loss=tf.keras.losses.MeanSquaredError(),
            metrics=[tf.keras.metrics.RootMeanSquaredError()],
        )

    def call(self, features: Dict[str, tf.Tensor]) -> tf.Tensor:
        return self.rating(tf.keras.layers.Flatten()(self.embed(features["user_id"])))

    def compute_loss(self, features, training=False):
        labels = features.pop("user_rating")
        rating_predictions = self(features)
        return self.task(labels=labels, predictions=rating_predictions)


clean = MeanSquared()
clean.compile(optimizer=tf.keras.optimizers.Adagrad(learning_rate=0.1))
clean.fit(train, epochs=3)


class Clicks(tfrs.Model):
    """A sigmoid click probability under a crossentropy that expects logits."""

    def __init__(self):
        super().__init__()
        self.net = tf.keras.Sequential([tf.keras.layers.Dense(16, activation="relu")])
        self.click = tf.keras.layers.Dense(1, activation="sigmoid")  # expect: HC201
        self.task = Ranking(loss=tf.keras.losses.BinaryCrossentropy(from_logits=True))

    def call(self, x):
        return self.click(self.net(x))

    def compute_loss(self, features, training=False):
        x, labels = features
        scores = self(x)
        return self.task(labels=labels, predictions=scores)


clicks = Clicks()
clicks.compile(optimizer="adagrad")
clicks.fit(train)


class DefaultLoss(tfrs.Model):
    """No loss given: the task's BinaryCrossentropy (probabilities), on a sub-model's softmax
    over one unit, trained in compute_loss (no call())."""

    def __init__(self):
        super().__init__()
        self.ranking_model = tf.keras.Sequential([
            tf.keras.layers.Dense(8, activation="relu"),
            tf.keras.layers.Dense(1, activation="softmax"),  # expect: HC101
        ])
        self.task = tfrs.tasks.Ranking()

    def compute_loss(self, features, training=False):
        rating_predictions = self.ranking_model(features["x"])
        return self.task(labels=features["label"], predictions=rating_predictions)


default = DefaultLoss()
default.compile(optimizer=tf.keras.optimizers.Adagrad(0.1))
default.fit(train)


class TwoTowers(tfrs.Model):
    """Retrieval: embeddings scored against each other, no head the rules check."""

    def __init__(self):
        super().__init__()
        self.user_model = tf.keras.Sequential([tf.keras.layers.Embedding(50, 8)])
        self.movie_model = tf.keras.Sequential([tf.keras.layers.Embedding(50, 8)])
        self.task = tfrs.tasks.Retrieval()

    def compute_loss(self, features, training=False):
        user_embeddings = self.user_model(features["user_id"])
        movie_embeddings = self.movie_model(features["movie_title"])
        return self.task(user_embeddings, movie_embeddings)


towers = TwoTowers()  # expect: HC901
towers.compile(optimizer=tf.keras.optimizers.Adagrad(0.1))
towers.fit(train)


class MultiTask(tfrs.models.Model):
    """A ranking and a retrieval task summed with weights: the rating head is trained by the
    ranking loss alone (the embeddings do not read it), here a softmax over one unit under MSE."""

    def __init__(self, rating_weight, retrieval_weight):
        super().__init__()
        self.user_model = tf.keras.Sequential([tf.keras.layers.Embedding(50, 8)])
        self.movie_model = tf.keras.Sequential([tf.keras.layers.Embedding(50, 8)])
        self.rating_model = tf.keras.Sequential([
            tf.keras.layers.Dense(16, activation="relu"),
            tf.keras.layers.Dense(1, activation="softmax"),  # expect: HC101, HC203
        ])
        self.rating_task = tfrs.tasks.Ranking(loss=tf.keras.losses.MeanSquaredError())
        self.retrieval_task = tfrs.tasks.Retrieval()
        self.rating_weight = rating_weight
        self.retrieval_weight = retrieval_weight

    def call(self, features):
        user_embeddings = self.user_model(features["user_id"])
        movie_embeddings = self.movie_model(features["movie_title"])
        return (
            user_embeddings,
            movie_embeddings,
            self.rating_model(tf.concat([user_embeddings, movie_embeddings], axis=1)),
        )

    def compute_loss(self, features, training=False):
        ratings = features.pop("user_rating")
        user_embeddings, movie_embeddings, rating_predictions = self(features)
        rating_loss = self.rating_task(labels=ratings, predictions=rating_predictions)
        retrieval_loss = self.retrieval_task(user_embeddings, movie_embeddings)
        return self.rating_weight * rating_loss + self.retrieval_weight * retrieval_loss


multi = MultiTask(rating_weight=1.0, retrieval_weight=1.0)
multi.compile(optimizer=tf.keras.optimizers.Adagrad(0.1))
multi.fit(train)
retrieval_only = MultiTask(rating_weight=0.0, retrieval_weight=1.0)  # expect: HC901
retrieval_only.compile(optimizer=tf.keras.optimizers.Adagrad(0.1))  # (the rating head untrained)
retrieval_only.fit(train)


class Squeezed(tfrs.Model):
    """The predictions transformed before the task sees them: not bound, named."""

    def __init__(self):
        super().__init__()
        self.score_model = rating_tower()
        self.task = tfrs.tasks.Ranking(loss=tf.keras.losses.MeanSquaredError())

    def call(self, features):
        return self.score_model(features["x"])

    def compute_loss(self, features, training=False):
        scores = self(features)
        return self.task(labels=features["y"], predictions=tf.squeeze(scores, axis=-1) * 2.0)


squeezed = Squeezed()  # expect: HC901
squeezed.compile(optimizer=tf.keras.optimizers.Adagrad(0.1))
squeezed.fit(train)


class ClickThrough(tfrs.Model):
    """Multi-task without call(): a layer's linear score under the Ranking task's default loss
    (BinaryCrossentropy, probabilities), summed with a retrieval task on other towers."""

    def __init__(self):
        super().__init__()
        self.query_model = tf.keras.layers.Dense(16)
        self.candidate_model = tf.keras.layers.Dense(16)
        self.ctr_model = tf.keras.layers.Dense(1)  # expect: HC202
        self.retrieval_task = tfrs.tasks.Retrieval()
        self.ctr_task = tfrs.tasks.Ranking(metrics=[tf.keras.metrics.AUC()])

    def compute_loss(self, inputs, training=False):
        query_features, candidate_features, clicks = inputs
        retrieval_loss = self.retrieval_task(
            query_embeddings=self.query_model(query_features),
            candidate_embeddings=self.candidate_model(candidate_features))
        pctr = self.ctr_model(tf.concat([query_features, candidate_features], axis=1))
        ctr_loss = self.ctr_task(predictions=pctr, labels=clicks)
        return retrieval_loss + ctr_loss


ctr = ClickThrough()
ctr.compile()
ctr.fit(data)


class Entangled(tfrs.Model):
    """The retrieval task reads the rating output itself: the rating head's gradient is not the
    ranking loss's alone, so it is not bound."""

    def __init__(self):
        super().__init__()
        self.user_model = tf.keras.Sequential([tf.keras.layers.Embedding(50, 8)])
        self.rating_model = tf.keras.Sequential([tf.keras.layers.Dense(8)])
        self.rating_task = tfrs.tasks.Ranking(loss=tf.keras.losses.MeanSquaredError())
        self.retrieval_task = tfrs.tasks.Retrieval()

    def call(self, features):
        users = self.user_model(features["user_id"])
        return users, self.rating_model(users)

    def compute_loss(self, features, training=False):
        users, ratings = self(features)
        return self.rating_task(labels=features["r"], predictions=ratings) + self.retrieval_task(
            users, ratings)


entangled = Entangled()  # expect: HC901
entangled.compile(optimizer="adam")
entangled.fit(data)
