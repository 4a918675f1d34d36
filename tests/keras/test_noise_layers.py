"""Keras noise layers in training (statistics and structure of the noise) and their identity
outside training, in graph mode (learning phase) and eager mode."""
import numpy as np
import pytest

import tensorweave as tf
from tensorweave.eager import context

K = tf.keras.backend
L = tf.keras.layers


def _graph_values(layer, x):
    """(inference output, training output) through the learning phase."""
    with tf.Graph().as_default():
        tf.set_random_seed(7)
        inputs = tf.placeholder(tf.float32, x.shape)
        y = layer(inputs)
        sess = K.get_session()
        return sess.run(y, {inputs: x}), sess.run(y, {inputs: x, K.learning_phase(): True})


def test_gaussian_noise_statistics():
    x = np.zeros((200, 100), np.float32)
    test, train = _graph_values(L.GaussianNoise(0.5), x)
    np.testing.assert_array_equal(test, x)
    assert abs(train.mean()) < 0.02 and abs(train.std() - 0.5) < 0.02


def test_gaussian_dropout_statistics():
    x = np.ones((200, 100), np.float32)
    test, train = _graph_values(L.GaussianDropout(0.2), x)
    np.testing.assert_array_equal(test, x)
    assert abs(train.mean() - 1.0) < 0.02 and abs(train.std() - 0.5) < 0.02


def test_alpha_dropout_keeps_standard_normal_statistics():
    x = np.random.RandomState(0).normal(size=(300, 200)).astype(np.float32)
    test, train = _graph_values(L.AlphaDropout(0.3), x)
    np.testing.assert_array_equal(test, x)
    assert abs(train.mean()) < 0.02 and abs(train.std() - 1.0) < 0.02
    _, counts = np.unique(train, return_counts=True)
    assert 0.25 < counts.max() / x.size < 0.35  # the dropped units share one value


@pytest.mark.parametrize("layer, shape, channel_axis, map_axes", [
    (lambda: L.SpatialDropout1D(0.5), (64, 5, 16), 2, (1,)),
    (lambda: L.SpatialDropout2D(0.5), (64, 3, 4, 16), 3, (1, 2)),
    (lambda: L.SpatialDropout2D(0.5, data_format="channels_first"), (64, 16, 3, 4), 1, (2, 3)),
])
def test_spatial_dropout_drops_whole_feature_maps(layer, shape, channel_axis, map_axes):
    x = np.ones(shape, np.float32)
    test, train = _graph_values(layer(), x)
    np.testing.assert_array_equal(test, x)
    lo, hi = train.min(axis=map_axes), train.max(axis=map_axes)
    np.testing.assert_array_equal(lo, hi)               # one decision per example and channel
    assert set(np.unique(lo)) == {0.0, 2.0}
    assert 0.4 < (lo == 0).mean() < 0.6
    assert lo.shape == (shape[0], shape[channel_axis])


def test_eager_noise_follows_the_training_argument():
    with context.eager_mode():
        x = tf.ones([50, 40])
        layer = L.GaussianNoise(1.0)
        np.testing.assert_array_equal(layer(x).numpy(), np.ones((50, 40)))
        assert layer(x, training=True).numpy().std() > 0.9
