"""Keras pooling layers: ``MaxPooling1D/2D/3D``, ``AveragePooling1D/2D/3D`` and the global
``GlobalMaxPooling1D/2D/3D``, ``GlobalAveragePooling1D/2D/3D`` (with ``keepdims``).

Usage::

    h = tf.keras.layers.MaxPooling2D(pool_size=2)(h)          # strides default to pool_size
    v = tf.keras.layers.GlobalAveragePooling2D()(h)           # [batch, channels]

Windows use ``tf.nn`` pooling ops; output lengths follow the shared conv rule of
``tensorweave.layers.convolutional``. ``GlobalAveragePooling1D`` averages only unmasked steps.
"""
from __future__ import annotations

from ...framework import ops
from ...framework.tensor_shape import TensorShape
from ...layers.convolutional import _padding, _tuple
from ...layers.pooling import pool_op, pooled_shape
from ...ops import array_ops, math_ops, nn_conv_ops
from ..engine.base_layer import InputSpec, Layer
from .convolutional import normalize_data_format

__all__ = ["MaxPooling1D", "MaxPooling2D", "MaxPooling3D", "AveragePooling1D",
           "AveragePooling2D", "AveragePooling3D", "GlobalMaxPooling1D", "GlobalMaxPooling2D",
           "GlobalMaxPooling3D", "GlobalAveragePooling1D", "GlobalAveragePooling2D",
           "GlobalAveragePooling3D", "MaxPool1D", "MaxPool2D", "MaxPool3D", "AvgPool1D",
           "AvgPool2D", "AvgPool3D", "GlobalMaxPool1D", "GlobalMaxPool2D", "GlobalMaxPool3D",
           "GlobalAvgPool1D", "GlobalAvgPool2D", "GlobalAvgPool3D"]


class _Pooling(Layer):
    """Max or average pooling over ``rank`` spatial axes."""

    rank = 2
    kind = "max"

    def __init__(self, pool_size=2, strides=None, padding="valid", data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.pool_size = _tuple(pool_size, self.rank, "pool_size")
        self.strides = self.pool_size if strides is None else _tuple(strides, self.rank,
                                                                     "strides")
        self.padding = _padding(padding)
        self.data_format = normalize_data_format(data_format)
        self.input_spec = InputSpec(ndim=self.rank + 2)

    def call(self, inputs):
        first = self.data_format == "channels_first"
        if self.rank == 1:
            fn = nn_conv_ops.max_pool1d if self.kind == "max" else nn_conv_ops.avg_pool1d
            return fn(inputs, list(self.pool_size), list(self.strides), self.padding.upper(),
                      data_format="NCW" if first else "NWC")
        return pool_op(inputs, self.kind, self.pool_size, self.strides, self.padding,
                       self.data_format)

    def compute_output_shape(self, input_shape) -> TensorShape:
        return pooled_shape(input_shape, self.pool_size, self.strides, self.padding,
                            self.data_format)

    def get_config(self) -> dict:
        return dict(super().get_config(), pool_size=self.pool_size, padding=self.padding,
                    strides=self.strides, data_format=self.data_format)


class MaxPooling1D(_Pooling):
    """Maximum over windows of ``pool_size`` steps of ``[batch, steps, channels]``."""
    rank, kind = 1, "max"


class AveragePooling1D(_Pooling):
    """Mean over windows of ``pool_size`` steps (SAME windows average only real steps)."""
    rank, kind = 1, "avg"


class MaxPooling2D(_Pooling):
    """Maximum over ``pool_size`` windows of images."""
    rank, kind = 2, "max"


class AveragePooling2D(_Pooling):
    """Mean over ``pool_size`` windows of images (SAME windows average only real cells)."""
    rank, kind = 2, "avg"


class MaxPooling3D(_Pooling):
    """Maximum over ``pool_size`` windows of volumes."""
    rank, kind = 3, "max"


class AveragePooling3D(_Pooling):
    """Mean over ``pool_size`` windows of volumes (SAME windows average only real cells)."""
    rank, kind = 3, "avg"


class _GlobalPooling(Layer):
    """Max or mean over all spatial axes (``keepdims`` keeps them as size 1)."""

    rank = 2
    kind = "max"

    def __init__(self, data_format=None, keepdims: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.data_format = normalize_data_format(data_format)
        self.keepdims = keepdims
        self.input_spec = InputSpec(ndim=self.rank + 2)

    @property
    def _axes(self) -> list:
        start = 2 if self.data_format == "channels_first" else 1
        return list(range(start, start + self.rank))

    def call(self, inputs):
        reducer = math_ops.reduce_max if self.kind == "max" else math_ops.reduce_mean
        return reducer(inputs, axis=self._axes, keepdims=self.keepdims)

    def compute_output_shape(self, input_shape) -> TensorShape:
        dims = TensorShape(input_shape).as_list()
        if self.keepdims:
            return TensorShape([1 if i in self._axes else d for i, d in enumerate(dims)])
        return TensorShape([d for i, d in enumerate(dims) if i not in self._axes])

    def get_config(self) -> dict:
        return dict(super().get_config(), data_format=self.data_format, keepdims=self.keepdims)


class GlobalMaxPooling1D(_GlobalPooling):
    """Maximum over the steps of ``[batch, steps, channels]``."""
    rank, kind = 1, "max"


class GlobalAveragePooling1D(_GlobalPooling):
    """Mean over the steps of ``[batch, steps, channels]``; with a mask, over unmasked steps."""
    rank, kind = 1, "avg"

    def __init__(self, data_format="channels_last", **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.supports_masking = True

    def call(self, inputs, mask=None):
        if mask is None:
            return super().call(inputs)
        inputs = ops.convert_to_tensor(inputs)
        axis = self._axes[0]
        weights = math_ops.cast(mask, inputs.dtype)
        weights = array_ops.expand_dims(weights, 1 if axis == 2 else 2)
        total = math_ops.reduce_sum(inputs * weights, axis=axis, keepdims=self.keepdims)
        return total / math_ops.reduce_sum(weights, axis=axis, keepdims=self.keepdims)

    def compute_mask(self, inputs, mask=None):
        return None


class GlobalMaxPooling2D(_GlobalPooling):
    """Maximum over the spatial axes of images."""
    rank, kind = 2, "max"


class GlobalAveragePooling2D(_GlobalPooling):
    """Mean over the spatial axes of images."""
    rank, kind = 2, "avg"


class GlobalMaxPooling3D(_GlobalPooling):
    """Maximum over the spatial axes of volumes."""
    rank, kind = 3, "max"


class GlobalAveragePooling3D(_GlobalPooling):
    """Mean over the spatial axes of volumes."""
    rank, kind = 3, "avg"


MaxPool1D, MaxPool2D, MaxPool3D = MaxPooling1D, MaxPooling2D, MaxPooling3D
AvgPool1D, AvgPool2D, AvgPool3D = AveragePooling1D, AveragePooling2D, AveragePooling3D
GlobalMaxPool1D, GlobalMaxPool2D, GlobalMaxPool3D = \
    GlobalMaxPooling1D, GlobalMaxPooling2D, GlobalMaxPooling3D
GlobalAvgPool1D, GlobalAvgPool2D, GlobalAvgPool3D = \
    GlobalAveragePooling1D, GlobalAveragePooling2D, GlobalAveragePooling3D
