"""Keras conv, pooling, shape and merge layers beyond the tf.keras fixtures: channels_first
(= channels_last on transposed data, which the fixtures pin down), unknown spatial sizes, grouped
convolution (NumPy reference), merge broadcasting and errors."""
import numpy as np
import pytest

import tensorweave as tf

K = tf.keras.backend
L = tf.keras.layers
RNG = np.random.RandomState(11)
IMAGES = RNG.normal(size=(2, 6, 7, 4)).astype(np.float32)


def _nchw(x):
    return np.transpose(x, (0, 3, 1, 2))


def _apply(make, x, weights_from=None):
    """Output of ``make()`` on ``x``; weights copied from ``weights_from`` when given."""
    layer = make()
    y = layer(tf.constant(x))
    if weights_from is not None:
        layer.set_weights(weights_from.get_weights())
    return layer, K.get_session().run(y)


@pytest.mark.parametrize("make", [
    lambda fmt: L.Conv2D(3, (3, 2), strides=(2, 1), padding="same", data_format=fmt),
    lambda fmt: L.Conv2DTranspose(2, 3, strides=2, data_format=fmt),
    lambda fmt: L.SeparableConv2D(3, 2, depth_multiplier=2, data_format=fmt),
    lambda fmt: L.DepthwiseConv2D(3, padding="same", data_format=fmt),
    lambda fmt: L.MaxPooling2D(3, 2, padding="same", data_format=fmt),
    lambda fmt: L.AveragePooling2D(2, data_format=fmt),
    lambda fmt: L.GlobalMaxPooling2D(data_format=fmt, keepdims=True),
    lambda fmt: L.ZeroPadding2D(((1, 0), (2, 3)), data_format=fmt),
    lambda fmt: L.Cropping2D(((1, 2), (0, 3)), data_format=fmt),
    lambda fmt: L.UpSampling2D((3, 2), data_format=fmt),
    lambda fmt: L.UpSampling2D((2, 3), data_format=fmt, interpolation="bilinear"),
])
def test_channels_first_equals_channels_last_on_transposed_data(make):
    with tf.Graph().as_default():
        last, expected = _apply(lambda: make("channels_last"), IMAGES)
        first, out = _apply(lambda: make("channels_first"), _nchw(IMAGES), weights_from=last)
        assert first.compute_output_shape(_nchw(IMAGES).shape).as_list() == list(out.shape)
    np.testing.assert_allclose(out, _nchw(expected), rtol=1e-5, atol=1e-5)


def test_unknown_spatial_sizes():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, None, None, 4])
        outs = [L.Conv2D(5, 3, strides=2)(x), L.Conv2DTranspose(2, 3, strides=2)(x),
                L.UpSampling2D(2)(x), L.MaxPooling2D()(x), L.Cropping2D(1)(x)]
        assert [o.shape.as_list() for o in outs] == [[None, None, None, 5],
                                                     [None, None, None, 2],
                                                     [None, None, None, 4],
                                                     [None, None, None, 4],
                                                     [None, None, None, 4]]
        values = K.get_session().run(outs, {x: IMAGES})
    assert [v.shape for v in values] == [(2, 2, 3, 5), (2, 13, 15, 2), (2, 12, 14, 4),
                                         (2, 3, 3, 4), (2, 4, 5, 4)]


def test_grouped_convolution_matches_numpy():
    with tf.Graph().as_default():
        layer = L.Conv2D(6, 2, groups=2, use_bias=False)
        y = layer(tf.constant(IMAGES))
        out = K.get_session().run(y)
        kernel = layer.get_weights()[0]
    assert kernel.shape == (2, 2, 2, 6)
    expected = np.zeros((2, 5, 6, 6), np.float32)
    for g in range(2):
        x = IMAGES[..., 2 * g:2 * g + 2]
        k = kernel[..., 3 * g:3 * g + 3]
        for i in range(5):
            for j in range(6):
                expected[:, i, j, 3 * g:3 * g + 3] = np.einsum(
                    "bhwc,hwco->bo", x[:, i:i + 2, j:j + 2], k)
    np.testing.assert_allclose(out, expected, rtol=1e-4, atol=1e-5)


def test_causal_conv1d_never_sees_the_future():
    x = RNG.normal(size=(1, 8, 2)).astype(np.float32)
    changed = x.copy()
    changed[:, 5:] += 10.0
    with tf.Graph().as_default():
        layer = L.Conv1D(3, 3, padding="causal", dilation_rate=2)
        a = layer(tf.constant(x))
        b = layer(tf.constant(changed))
        out_a, out_b = K.get_session().run([a, b])
    np.testing.assert_array_equal(out_a[:, :5], out_b[:, :5])
    assert not np.allclose(out_a[:, 5:], out_b[:, 5:])


def test_merge_layers_broadcast_lower_ranks_after_the_batch_axis():
    a = RNG.normal(size=(2, 3)).astype(np.float32)
    b = RNG.normal(size=(2, 4, 3)).astype(np.float32)
    with tf.Graph().as_default():
        y = L.Add()([tf.constant(a), tf.constant(b)])
        z = L.Maximum()([tf.constant(b), tf.constant(b[:, :1])])
        assert y.shape.as_list() == [2, 4, 3]
        added, biggest = K.get_session().run([y, z])
    np.testing.assert_allclose(added, a[:, None, :] + b, rtol=1e-6)
    np.testing.assert_allclose(biggest, np.maximum(b, b[:, :1]))


def test_merge_errors_name_the_layer():
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="subtract_me.*exactly 2"):
            L.Subtract(name="subtract_me")([tf.zeros([2, 3])] * 3)
        with pytest.raises(ValueError, match="cat.*matching shapes"):
            L.Concatenate(axis=1, name="cat")([tf.zeros([2, 3, 4]), tf.zeros([2, 3, 5])])
        with pytest.raises(ValueError, match="incompatibility.*dot"):
            L.Dot(axes=1)([tf.zeros([2, 3]), tf.zeros([2, 4])])
        with pytest.raises(ValueError, match="merge layer"):
            L.Add()(tf.zeros([2, 3]))


def test_global_average_pooling1d_averages_unmasked_steps_only():
    ids = np.array([[1, 2, 0, 0], [3, 1, 2, 4]], np.int32)
    with tf.Graph().as_default():
        inputs = tf.keras.Input(shape=(4,), dtype="int32")
        embedding = L.Embedding(5, 3, mask_zero=True)
        vectors = embedding(inputs)
        model = tf.keras.Model(inputs, L.GlobalAveragePooling1D()(vectors))
        table, out = K.get_session().run([embedding.embeddings, model.output],
                                         {inputs: ids})
    np.testing.assert_allclose(out[0], table[[1, 2]].mean(0), rtol=1e-6)
    np.testing.assert_allclose(out[1], table[[3, 1, 2, 4]].mean(0), rtol=1e-6)
