"""Keras regularization layers active only in training: ``GaussianNoise``, ``GaussianDropout``,
``AlphaDropout``, ``SpatialDropout1D`` and ``SpatialDropout2D``.

Usage::

    h = tf.keras.layers.GaussianNoise(0.1)(x)
    h = tf.keras.layers.SpatialDropout2D(0.2)(feature_maps)   # drops whole channels

With ``training=None`` the layers follow the learning phase (``K.learning_phase()``); outside
training they return their inputs unchanged.
"""
from __future__ import annotations

import numpy as np

from ...framework import ops
from ...framework.tensor_util import constant_value
from ...ops import array_ops, math_ops, nn_impl, random_ops
from ...ops.control_flow_ops import smart_cond
from .. import backend
from ..engine.base_layer import InputSpec, Layer

__all__ = ["GaussianNoise", "GaussianDropout", "AlphaDropout", "SpatialDropout1D",
           "SpatialDropout2D"]


def in_training(training, noisy, inputs):
    """``noisy()`` when training (``None`` -> the learning phase), else ``inputs``."""
    if training is None:
        training = backend.learning_phase()
    static = constant_value(training) if ops.is_tensor(training) else training
    if static is not None:
        return noisy() if bool(static) else inputs
    return smart_cond(training, noisy, lambda: array_ops.identity(inputs))


class _Noise(Layer):
    """Shape-preserving training-only layer that keeps masks."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def compute_output_shape(self, input_shape):
        return input_shape


class GaussianNoise(_Noise):
    """Add zero-mean normal noise of standard deviation ``stddev`` in training."""

    def __init__(self, stddev: float, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.stddev = stddev
        self.seed = seed

    def call(self, inputs, training=None):
        inputs = ops.convert_to_tensor(inputs)
        return in_training(training, lambda: inputs + random_ops.random_normal(
            array_ops.shape(inputs), stddev=self.stddev, dtype=inputs.dtype, seed=self.seed),
            inputs)

    def get_config(self) -> dict:
        return dict(super().get_config(), stddev=self.stddev, seed=self.seed)


class GaussianDropout(_Noise):
    """Multiply by normal noise of mean 1 and variance ``rate / (1 - rate)`` in training."""

    def __init__(self, rate: float, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.rate = rate
        self.seed = seed

    def call(self, inputs, training=None):
        inputs = ops.convert_to_tensor(inputs)
        if not 0 < self.rate < 1:
            return inputs
        stddev = float(np.sqrt(self.rate / (1.0 - self.rate)))
        return in_training(training, lambda: inputs * random_ops.random_normal(
            array_ops.shape(inputs), mean=1.0, stddev=stddev, dtype=inputs.dtype,
            seed=self.seed), inputs)

    def get_config(self) -> dict:
        return dict(super().get_config(), rate=self.rate, seed=self.seed)


class AlphaDropout(_Noise):
    """Dropout for self-normalizing (SELU) networks: dropped units take SELU's negative
    saturation value and an affine map restores the inputs' mean and variance."""

    _SELU_ALPHA = 1.6732632423543772848170429916717
    _SELU_SCALE = 1.0507009873554804934193349852946

    def __init__(self, rate: float, noise_shape=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.rate = rate
        self.noise_shape = noise_shape
        self.seed = seed

    def call(self, inputs, training=None):
        inputs = ops.convert_to_tensor(inputs)
        if not 0 < self.rate < 1:
            return inputs
        saturated = -self._SELU_ALPHA * self._SELU_SCALE
        scale = ((1 - self.rate) * (1 + self.rate * saturated ** 2)) ** -0.5
        shift = -scale * saturated * self.rate

        def dropped():
            shape = array_ops.shape(inputs) if self.noise_shape is None else self.noise_shape
            kept = math_ops.cast(math_ops.greater_equal(
                random_ops.random_uniform(shape, dtype=inputs.dtype, seed=self.seed),
                self.rate), inputs.dtype)
            return scale * (inputs * kept + saturated * (1 - kept)) + shift
        return in_training(training, dropped, inputs)

    def get_config(self) -> dict:
        return dict(super().get_config(), rate=self.rate, seed=self.seed)


class _SpatialDropout(_Noise):
    """Dropout of whole feature maps: one keep/drop decision per example and channel."""

    rank = 1

    def __init__(self, rate: float, data_format=None, seed=None, noise_shape=None, **kwargs):
        super().__init__(**kwargs)
        self.rate = min(1.0, max(0.0, rate))
        self.noise_shape = noise_shape  # kept for the config; the maps' shape decides
        self.seed = seed
        self.data_format = "channels_last" if self.rank == 1 else \
            (backend.image_data_format() if data_format is None else data_format)
        if self.data_format not in ("channels_last", "channels_first"):
            raise ValueError(f"{type(self).__name__} {self.name}: `data_format` must be in "
                             f"{{'channels_last', 'channels_first'}}, got {data_format!r}")
        self.input_spec = InputSpec(ndim=self.rank + 2)

    def _noise_shape(self, inputs):
        shape = array_ops.shape(inputs)
        ones = [1] * self.rank
        if self.data_format == "channels_first":
            return array_ops.stack([shape[0], shape[1], *ones])
        return array_ops.stack([shape[0], *ones, shape[-1]])

    def call(self, inputs, training=None):
        inputs = ops.convert_to_tensor(inputs)
        if not 0 < self.rate < 1:
            return inputs
        return in_training(training, lambda: nn_impl.dropout(
            inputs, rate=self.rate, noise_shape=self._noise_shape(inputs), seed=self.seed),
            inputs)

    def get_config(self) -> dict:
        return dict(super().get_config(), rate=self.rate, noise_shape=self.noise_shape,
                    seed=self.seed)


class SpatialDropout1D(_SpatialDropout):
    """Drop entire channels of ``[batch, steps, channels]`` inputs."""

    rank = 1


class SpatialDropout2D(_SpatialDropout):
    """Drop entire channels of images."""

    rank = 2
