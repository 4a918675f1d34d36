"""Keras activation layers with parameters: ``LeakyReLU``, ``ReLU``, ``ELU``, ``ThresholdedReLU``,
``Softmax`` and the learned ``PReLU``.

Usage::

    h = tf.keras.layers.LeakyReLU(alpha=0.1)(h)
    h = tf.keras.layers.PReLU(shared_axes=[1, 2])(conv_out)   # one slope per channel

Scalar parameters are kept as float32 values (Keras casts them to floatx), so ``get_config``
reports e.g. ``alpha=0.20000000298023224`` for ``LeakyReLU(0.2)`` exactly as tf.keras does.
"""
from __future__ import annotations

from typing import Optional

import numpy as np

from ...framework import ops
from ...framework.tensor_shape import TensorShape
from ...ops import array_ops, math_ops, nn_ops
from .. import constraints, initializers, regularizers
from ..engine.base_layer import InputSpec, Layer

__all__ = ["LeakyReLU", "ReLU", "ELU", "ThresholdedReLU", "Softmax", "PReLU"]


def _floatx(value: Optional[float]) -> Optional[float]:
    """``value`` rounded to float32, as Keras stores scalar layer parameters."""
    return None if value is None else float(np.float32(value))


class _Elementwise(Layer):
    """Shape-preserving activation layer that keeps masks."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def compute_output_shape(self, input_shape):
        return input_shape


class LeakyReLU(_Elementwise):
    """``x`` for ``x >= 0``, ``alpha * x`` otherwise."""

    def __init__(self, alpha: float = 0.3, **kwargs):
        super().__init__(**kwargs)
        self.alpha = _floatx(alpha)

    def call(self, inputs):
        return nn_ops.leaky_relu(inputs, alpha=self.alpha)

    def get_config(self) -> dict:
        return dict(super().get_config(), alpha=self.alpha)


class ReLU(_Elementwise):
    """``x`` above ``threshold`` (clipped to ``[0, max_value]``), ``negative_slope * (x -
    threshold)`` below it."""

    def __init__(self, max_value: Optional[float] = None, negative_slope: float = 0.0,
                 threshold: float = 0.0, **kwargs):
        super().__init__(**kwargs)
        if max_value is not None and max_value < 0.0:
            raise ValueError(f"max_value of a ReLU layer cannot be negative, got {max_value}")
        if negative_slope < 0.0:
            raise ValueError(f"negative_slope of a ReLU layer cannot be negative, "
                             f"got {negative_slope}")
        self.max_value = _floatx(max_value)
        self.negative_slope = _floatx(negative_slope)
        self.threshold = _floatx(threshold)

    def call(self, inputs):
        x = ops.convert_to_tensor(inputs)
        if self.threshold != 0.0:
            out = x * math_ops.cast(math_ops.greater(x, self.threshold), x.dtype)
        elif self.max_value == 6.0:
            out = nn_ops.relu6(x)
        else:
            out = nn_ops.relu(x)
        if self.max_value is not None and (self.max_value != 6.0 or self.threshold != 0.0):
            out = math_ops.minimum(math_ops.maximum(out, 0.0), self.max_value)
        if self.negative_slope != 0.0:
            out = out - self.negative_slope * nn_ops.relu(self.threshold - x)
        return out

    def get_config(self) -> dict:
        return dict(super().get_config(), max_value=self.max_value,
                    negative_slope=self.negative_slope, threshold=self.threshold)


class ELU(_Elementwise):
    """``x`` for ``x > 0``, ``alpha * (exp(x) - 1)`` otherwise."""

    def __init__(self, alpha: float = 1.0, **kwargs):
        super().__init__(**kwargs)
        self.alpha = _floatx(alpha)

    def call(self, inputs):
        out = nn_ops.elu(inputs)
        if self.alpha == 1.0:
            return out
        return array_ops.where(math_ops.greater(inputs, 0.0), out, out * self.alpha)

    def get_config(self) -> dict:
        return dict(super().get_config(), alpha=self.alpha)


class ThresholdedReLU(_Elementwise):
    """``x`` where ``x > theta``, else 0."""

    def __init__(self, theta: float = 1.0, **kwargs):
        super().__init__(**kwargs)
        if theta is None or theta < 0:
            raise ValueError(f"theta of a ThresholdedReLU layer must be >= 0, got {theta}")
        self.theta = _floatx(theta)

    def call(self, inputs):
        x = ops.convert_to_tensor(inputs)
        return x * math_ops.cast(math_ops.greater(x, self.theta), x.dtype)

    def get_config(self) -> dict:
        return dict(super().get_config(), theta=self.theta)


class Softmax(_Elementwise):
    """Softmax along ``axis``."""

    def __init__(self, axis: int = -1, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis

    def call(self, inputs):
        return nn_ops.softmax(inputs, axis=self.axis)

    def get_config(self) -> dict:
        return dict(super().get_config(), axis=self.axis)


class PReLU(_Elementwise):
    """Leaky ReLU with a learned slope ``alpha`` per input element (shared over
    ``shared_axes``, e.g. the spatial axes of an image)."""

    def __init__(self, alpha_initializer="zeros", alpha_regularizer=None, alpha_constraint=None,
                 shared_axes=None, **kwargs):
        super().__init__(**kwargs)
        self.alpha_initializer = initializers.get(alpha_initializer)
        self.alpha_regularizer = regularizers.get(alpha_regularizer)
        self.alpha_constraint = constraints.get(alpha_constraint)
        if shared_axes is None or isinstance(shared_axes, (list, tuple)):
            self.shared_axes = None if shared_axes is None else list(shared_axes)
        else:
            self.shared_axes = [shared_axes]

    def build(self, input_shape) -> None:
        full = TensorShape(input_shape).as_list()
        dims = full[1:]
        for axis in self.shared_axes or []:
            dims[axis - 1] = 1
        if None in dims:
            raise ValueError(f"PReLU layer {self.name}: input shape {full} has unknown "
                             "dimensions that are not in shared_axes")
        self.alpha = self.add_weight(name="alpha", shape=dims, initializer=self.alpha_initializer,
                                     regularizer=self.alpha_regularizer,
                                     constraint=self.alpha_constraint)
        axes = {i: d for i, d in enumerate(full) if i and i not in (self.shared_axes or [])}
        self.input_spec = InputSpec(ndim=len(full), axes=axes)
        self.built = True

    def call(self, inputs):
        positive = nn_ops.relu(inputs)
        negative = -self.alpha * nn_ops.relu(-inputs)
        return positive + negative

    def get_config(self) -> dict:
        return dict(super().get_config(),
                    alpha_initializer=initializers.serialize(self.alpha_initializer),
                    alpha_regularizer=regularizers.serialize(self.alpha_regularizer),
                    alpha_constraint=constraints.serialize(self.alpha_constraint),
                    shared_axes=self.shared_axes)
