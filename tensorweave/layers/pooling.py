"""TF1 pooling layers: ``MaxPooling1D/2D/3D``, ``AveragePooling1D/2D/3D``, functional forms.

Usage: ``h = tf.layers.max_pooling2d(h, pool_size=2, strides=2)``.
1-D pooling inserts a unit spatial axis and runs the 2-D pooling op, as TF does.
"""
from __future__ import annotations

from ..framework import ops
from ..framework.tensor_shape import TensorShape, as_shape
from ..ops import array_ops
from .base import Layer
from .convolutional import _padding, _tuple, conv_output_length
from .core import _normalize_data_format

__all__ = ["MaxPooling1D", "MaxPooling2D", "MaxPooling3D", "AveragePooling1D",
           "AveragePooling2D", "AveragePooling3D", "max_pooling1d", "max_pooling2d",
           "max_pooling3d", "average_pooling1d", "average_pooling2d", "average_pooling3d",
           "MaxPool1D", "MaxPool2D", "MaxPool3D", "AveragePool1D", "AveragePool2D",
           "AveragePool3D"]


def pool_op(inputs, kind: str, pool, strides, padding: str, data_format: str):
    """``tf.nn`` 2-D or 3-D max (``kind='max'``) or average pooling over ``pool`` windows of
    channels-last or channels-first inputs (shared by tf.layers and Keras pooling layers)."""
    from .. import nn
    first = data_format == "channels_first"
    volume = len(pool) == 3
    fmt = ("NCDHW" if volume else "NCHW") if first else ("NDHWC" if volume else "NHWC")
    ksize = [1, 1] + list(pool) if first else [1] + list(pool) + [1]
    stride = [1, 1] + list(strides) if first else [1] + list(strides) + [1]
    if volume:
        fn = nn.max_pool3d if kind == "max" else nn.avg_pool3d
    else:
        fn = nn.max_pool if kind == "max" else nn.avg_pool
    return fn(inputs, ksize=ksize, strides=stride, padding=padding.upper(), data_format=fmt)


def pooled_shape(input_shape, pool_size, strides, padding: str, data_format: str) -> TensorShape:
    """The static output shape of pooling ``input_shape`` (the conv output-length rule)."""
    dims = as_shape(input_shape).as_list()
    first = data_format == "channels_first"
    spatial = dims[2:] if first else dims[1:-1]
    out = [conv_output_length(d, k, padding, s) for d, k, s in zip(spatial, pool_size, strides)]
    return TensorShape(dims[:2] + out if first else dims[:1] + out + dims[-1:])


class _Pooling(Layer):
    rank = 2
    kind = "max"

    def __init__(self, pool_size, strides, padding="valid", data_format="channels_last",
                 name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        if strides is None:
            raise ValueError("Argument `strides` must not be None.")
        self.pool_size = _tuple(pool_size, self.rank, "pool_size")
        self.strides = _tuple(strides, self.rank, "strides")
        self.padding = _padding(padding)
        self.data_format = _normalize_data_format(data_format)

    def _pool2d(self, inputs, pool, strides):
        return pool_op(inputs, self.kind, pool, strides, self.padding, self.data_format)

    def call(self, inputs):
        inputs = ops.convert_to_tensor(inputs)
        if inputs.shape.ndims is not None and inputs.shape.ndims != self.rank + 2:
            raise ValueError(f"Input 0 of layer {self.name} is incompatible with the layer: "
                             f"expected ndim={self.rank + 2}, found ndim={inputs.shape.ndims}. "
                             f"Full shape received: {inputs.shape}")
        if self.rank >= 2:
            return self._pool2d(inputs, self.pool_size, self.strides)
        axis = 2 if self.data_format == "channels_first" else 1
        expanded = array_ops.expand_dims(inputs, axis)
        out = self._pool2d(expanded, (1,) + self.pool_size, (1,) + self.strides)
        return array_ops.squeeze(out, [axis])

    def compute_output_shape(self, input_shape) -> TensorShape:
        return pooled_shape(input_shape, self.pool_size, self.strides, self.padding,
                            self.data_format)


class MaxPooling1D(_Pooling):
    """Max over windows of ``pool_size`` steps of ``[batch, steps, channels]``."""
    rank, kind = 1, "max"


class AveragePooling1D(_Pooling):
    """Mean over windows of ``pool_size`` steps (SAME padding averages valid cells only)."""
    rank, kind = 1, "avg"


class MaxPooling2D(_Pooling):
    """Max over ``pool_size`` windows of ``[batch, h, w, channels]``."""
    rank, kind = 2, "max"


class AveragePooling2D(_Pooling):
    """Mean over ``pool_size`` windows (SAME padding averages valid cells only)."""
    rank, kind = 2, "avg"


class MaxPooling3D(_Pooling):
    """Max over ``pool_size`` windows of volumes ``[batch, d, h, w, channels]``."""
    rank, kind = 3, "max"


class AveragePooling3D(_Pooling):
    """Mean over ``pool_size`` windows of volumes (SAME padding averages valid cells only)."""
    rank, kind = 3, "avg"


def _functional(cls, fname: str):
    def fn(inputs, pool_size, strides, padding="valid", data_format="channels_last", name=None):
        return cls(pool_size, strides, padding=padding, data_format=data_format,
                   name=name)(inputs)
    fn.__name__ = fn.__qualname__ = fname
    fn.__doc__ = f"Functional ``{cls.__name__}``: ``tf.layers.{fname}(x, 2, 2)``."
    return fn


max_pooling1d = _functional(MaxPooling1D, "max_pooling1d")
max_pooling2d = _functional(MaxPooling2D, "max_pooling2d")
average_pooling1d = _functional(AveragePooling1D, "average_pooling1d")
average_pooling2d = _functional(AveragePooling2D, "average_pooling2d")
max_pooling3d = _functional(MaxPooling3D, "max_pooling3d")
average_pooling3d = _functional(AveragePooling3D, "average_pooling3d")
MaxPool1D, MaxPool2D, MaxPool3D = MaxPooling1D, MaxPooling2D, MaxPooling3D
AveragePool1D, AveragePool2D, AveragePool3D = AveragePooling1D, AveragePooling2D, AveragePooling3D
