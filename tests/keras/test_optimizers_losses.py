"""Keras optimizers, losses and metrics against tf.keras (TF1 graph mode) values from
tests/fixtures/keras/training/make_keras_training_fixtures.py."""
import json
import os

import numpy as np
import pytest

import tensorweave as tf
from tensorweave.eager import context

keras = tf.keras
with open(os.path.join(os.path.dirname(__file__), "..", "fixtures", "keras", "training",
                       "training.json")) as f:
    FIX = json.load(f)
CLASSES = {"sgd": "SGD", "rmsprop": "RMSprop", "adagrad": "Adagrad", "adadelta": "Adadelta",
           "adam": "Adam", "adamax": "Adamax", "nadam": "Nadam"}


def _make(key):
    case = FIX["optimizers"][key]
    return getattr(keras.optimizers, CLASSES[key.split("_")[0]])(**case["kwargs"]), case


@pytest.mark.parametrize("key", sorted(FIX["optimizers"]))
def test_optimizer_trajectory_weights_and_config(key):
    with tf.Graph().as_default():
        w = tf.Variable([1.0, -2.0, 0.5])
        loss = tf.reduce_sum(tf.square(w) * [1.0, 2.0, 3.0])
        opt, case = _make(key)
        step = opt.get_updates(loss, [w])
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for want in case["trajectory"]:
                sess.run(step)
                np.testing.assert_allclose(sess.run(w), want, rtol=2e-6, atol=1e-7)
        assert [v.name for v in opt.weights] == case["weights"]
        assert opt.get_config() == case["config"]


@pytest.mark.parametrize("key", ["adam_decay_clip", "nadam", "sgd_nesterov"])
def test_eager_apply_gradients_follows_the_same_trajectory(key):
    with context.eager_mode():
        w = tf.Variable([1.0, -2.0, 0.5])
        opt, case = _make(key)
        for want in case["trajectory"]:
            with tf.GradientTape() as tape:
                loss = tf.reduce_sum(tf.square(w) * [1.0, 2.0, 3.0])
            grads = tape.gradient(loss, [w])
            opt.apply_gradients(zip(opt._clip_all(grads), [w]))
            np.testing.assert_allclose(w.numpy(), want, rtol=2e-6, atol=1e-7)


@pytest.mark.parametrize("name", sorted(FIX["losses"]))
def test_losses_and_metrics_match_tf_keras(name):
    inp = {k: np.array(v, np.float32) for k, v in FIX["inputs"].items()}
    L, M = keras.losses, keras.metrics
    cases = {
        "mse": lambda: L.mean_squared_error(inp["y_reg"], inp["y_prob"]),
        "mae": lambda: L.mean_absolute_error(inp["y_reg"], inp["y_prob"]),
        "mape": lambda: L.mean_absolute_percentage_error(inp["y_reg"], inp["y_prob"]),
        "msle": lambda: L.mean_squared_logarithmic_error(np.abs(inp["y_reg"]), inp["y_prob"]),
        "hinge": lambda: L.hinge(inp["y_bin"], inp["y_reg"]),
        "squared_hinge": lambda: L.squared_hinge(inp["y_bin"], inp["y_reg"]),
        "categorical_hinge": lambda: L.categorical_hinge(inp["y_true"], inp["y_reg"]),
        "logcosh": lambda: L.logcosh(inp["y_reg"], inp["y_prob"]),
        "huber": lambda: L.huber(inp["y_reg"], inp["y_prob"]),
        "categorical_crossentropy": lambda: L.categorical_crossentropy(inp["y_true"],
                                                                       inp["y_prob"]),
        "categorical_crossentropy_logits": lambda: L.categorical_crossentropy(
            inp["y_true"], inp["y_reg"], from_logits=True),
        "sparse_categorical_crossentropy": lambda: L.sparse_categorical_crossentropy(
            inp["y_true"].argmax(1), inp["y_prob"]),
        "binary_crossentropy": lambda: L.binary_crossentropy(inp["y_bin"], inp["y_prob"]),
        "binary_crossentropy_logits": lambda: L.binary_crossentropy(
            inp["y_bin"], inp["y_reg"], from_logits=True),
        "kld": lambda: L.kld(inp["y_true"], inp["y_prob"]),
        "poisson": lambda: L.poisson(inp["y_true"], inp["y_prob"]),
        "categorical_accuracy": lambda: M.categorical_accuracy(inp["y_true"], inp["y_prob"]),
        "sparse_categorical_accuracy": lambda: M.sparse_categorical_accuracy(
            inp["y_true"].argmax(1), inp["y_prob"]),
        "binary_accuracy": lambda: M.binary_accuracy(inp["y_bin"], inp["y_prob"]),
    }
    with tf.Graph().as_default(), tf.Session() as sess:
        got = sess.run(cases[name]())
    np.testing.assert_allclose(got, FIX["losses"][name], rtol=1e-5, atol=1e-6)
