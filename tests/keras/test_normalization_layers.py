"""Keras BatchNormalization/LayerNormalization behaviour beyond the tf.keras fixtures: the
learning phase, when moving statistics move (graph updates, eager at once), fused == unfused,
and configs that round-trip. References are NumPy formulas."""
import numpy as np
import pytest

import tensorweave as tf
from tensorweave.eager import context

K = tf.keras.backend
RNG = np.random.RandomState(3)
X = RNG.normal(2.0, 3.0, size=(8, 3, 4, 5)).astype(np.float32)


def _batch_norm(x, mean, var, eps=1e-3):
    return (x - mean) / np.sqrt(var + eps)


def test_learning_phase_selects_statistics_and_updates_in_graph_mode():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 3, 4, 5])
        layer = tf.keras.layers.BatchNormalization(momentum=0.5)
        y = layer(x)  # training=None: follows K.learning_phase()
        assert len(layer.updates) == 2
        sess = K.get_session()
        mean, var = X.mean((0, 1, 2)), X.var((0, 1, 2))
        out = sess.run(y, {x: X, K.learning_phase(): True})
        np.testing.assert_allclose(out, _batch_norm(X, mean, var), rtol=1e-4, atol=1e-4)
        out = sess.run(y, {x: X})  # inference: moving statistics are still 0 and 1
        np.testing.assert_allclose(out, _batch_norm(X, 0.0, 1.0), rtol=1e-5, atol=1e-5)
        sess.run(layer.updates, {x: X})  # learning phase off: the updates move nothing
        np.testing.assert_allclose(sess.run(layer.moving_mean), np.zeros(5))
        sess.run(layer.updates, {x: X, K.learning_phase(): True})
        n = X.size / 5
        np.testing.assert_allclose(sess.run(layer.moving_mean), 0.5 * mean, rtol=1e-5)
        np.testing.assert_allclose(sess.run(layer.moving_variance),
                                   0.5 + 0.5 * var * n / (n - 1), rtol=1e-5)


def test_training_false_adds_no_updates():
    with tf.Graph().as_default():
        layer = tf.keras.layers.BatchNormalization()
        layer(tf.placeholder(tf.float32, [None, 4]), training=False)
        assert layer.updates == []


def test_eager_training_call_moves_statistics_at_once():
    with context.eager_mode():
        K.clear_session()
        layer = tf.keras.layers.BatchNormalization(momentum=0.9)
        x = tf.constant(X)
        layer(x, training=False)
        np.testing.assert_allclose(layer.moving_mean.numpy(), np.zeros(5))
        out = layer(x, training=True)
        np.testing.assert_allclose(out.numpy(), _batch_norm(X, X.mean((0, 1, 2)),
                                                            X.var((0, 1, 2))),
                                   rtol=1e-4, atol=1e-4)
        np.testing.assert_allclose(layer.moving_mean.numpy(), 0.1 * X.mean((0, 1, 2)),
                                   rtol=1e-5)


@pytest.mark.parametrize("axis", [-1, 1])
def test_fused_and_unfused_paths_agree(axis):
    with tf.Graph().as_default():
        x = tf.constant(X)
        fused = tf.keras.layers.BatchNormalization(axis=axis)
        plain = tf.keras.layers.BatchNormalization(axis=axis, fused=False)
        a, b = fused(x, training=True), plain(x, training=True)
        assert fused.fused and not plain.fused
        sess = K.get_session()
        np.testing.assert_allclose(*sess.run([a, b]), rtol=1e-4, atol=1e-4)


def test_layer_normalization_matches_numpy_and_round_trips():
    with tf.Graph().as_default():
        layer = tf.keras.layers.LayerNormalization(axis=[2, 3], epsilon=1e-5)
        y = layer(tf.constant(X))
        out = K.get_session().run(y)
    mean = X.mean((2, 3), keepdims=True)
    var = X.var((2, 3), keepdims=True)
    np.testing.assert_allclose(out, (X - mean) / np.sqrt(var + 1e-5), rtol=1e-4, atol=1e-4)
    config = layer.get_config()
    assert tf.keras.layers.LayerNormalization.from_config(config).get_config() == config


def test_batch_normalization_errors_name_the_layer():
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="bn_x.*axes"):
            tf.keras.layers.BatchNormalization(name="bn_x")(tf.placeholder(tf.float32,
                                                                          [None, None]))
        with pytest.raises(ValueError, match="fused"):
            tf.keras.layers.BatchNormalization(fused=True)(tf.placeholder(tf.float32, [2, 3]))
