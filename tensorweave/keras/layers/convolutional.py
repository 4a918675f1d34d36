"""Keras convolution layers: ``Conv1D``, ``Conv2D``, ``Conv3D``, ``Conv2DTranspose``,
``SeparableConv1D/2D``, ``DepthwiseConv2D`` and the shape layers ``ZeroPadding1D/2D``,
``Cropping1D/2D``, ``UpSampling1D/2D``.

Usage::

    h = tf.keras.layers.Conv2D(32, 3, padding="same", activation="relu")(images)
    h = tf.keras.layers.Conv1D(16, 2, padding="causal", dilation_rate=2)(sequence)

Weights are ``kernel`` (``kernel_size + (in_channels // groups, filters)``; transposed:
``kernel_size + (filters, in_channels)``), ``depthwise_kernel``/``pointwise_kernel`` and ``bias``,
in that order. The convolutions are ``tf.nn`` ops and the output-length rules are shared with
``tf.layers`` (``tensorweave.layers.convolutional``).
"""
from __future__ import annotations

import numpy as np

from ...framework import ops
from ...framework.tensor_shape import TensorShape
from ...layers.convolutional import _tuple, conv_output_length
from ...ops import array_ops, einsum_ops, nn_conv_ops, nn_ops
from .. import activations, backend, constraints, initializers, regularizers
from ..engine.base_layer import InputSpec, Layer

__all__ = ["Conv1D", "Conv2D", "Conv3D", "Conv2DTranspose", "SeparableConv2D",
           "DepthwiseConv2D", "ZeroPadding1D", "Cropping1D", "UpSampling1D", "ZeroPadding2D",
           "Cropping2D", "UpSampling2D", "Convolution1D", "Convolution2D", "Convolution3D",
           "Convolution2DTranspose", "SeparableConv1D", "SeparableConvolution1D",
           "SeparableConvolution2D"]


def normalize_data_format(value) -> str:
    """``value`` or the backend's ``image_data_format()``, checked."""
    value = backend.image_data_format() if value is None else str(value).lower()
    if value not in ("channels_last", "channels_first"):
        raise ValueError("The `data_format` argument must be one of \"channels_first\", "
                         f"\"channels_last\". Received: {value}")
    return value


def _padding(value, allowed=("valid", "same")) -> str:
    v = str(value).lower()
    if v not in allowed:
        raise ValueError(f"The `padding` argument must be one of {allowed}. Received: {value}")
    return v


def _nn_format(rank: int, data_format: str) -> str:
    return {1: ("NWC", "NCW"), 2: ("NHWC", "NCHW"),
            3: ("NDHWC", "NCDHW")}[rank][data_format == "channels_first"]


def _per_dim(values, data_format: str) -> list:
    """Per-spatial-axis values -> a per-axis list for the op (1 on batch and channels)."""
    return [1, 1, *values] if data_format == "channels_first" else [1, *values, 1]


def transposed_length(length, kernel: int, padding: str, stride: int, output_padding=None,
                      dilation: int = 1):
    """Output length of a transposed convolution (Keras's rule, ``output_padding`` included)."""
    if length is None:
        return None
    kernel = kernel + (kernel - 1) * (dilation - 1)
    if output_padding is None:
        if padding == "valid":
            return length * stride + max(kernel - stride, 0)
        return length * stride
    pad = kernel // 2 if padding == "same" else 0
    return (length - 1) * stride + kernel - 2 * pad + output_padding


class _Conv(Layer):
    """Convolution over ``rank`` spatial axes with optional bias and activation."""

    rank = 2

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, groups: int = 1, activation=None, use_bias: bool = True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(**kwargs)
        rank = self.rank
        self.filters = None if filters is None else int(filters)
        self.groups = int(groups or 1)
        if self.filters is not None and self.filters % self.groups:
            raise ValueError(f"Layer {self.name}: the number of filters ({filters}) must be "
                             f"divisible by groups ({groups})")
        self.kernel_size = _tuple(kernel_size, rank, "kernel_size")
        self.strides = _tuple(strides, rank, "strides")
        allowed = ("valid", "same", "causal") if rank == 1 else ("valid", "same")
        self.padding = _padding(padding, allowed)
        self.data_format = normalize_data_format(data_format)
        self.dilation_rate = _tuple(dilation_rate, rank, "dilation_rate")
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.activity_regularizer = regularizers.get(activity_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.input_spec = InputSpec(ndim=rank + 2)

    @property
    def _channel_axis(self) -> int:
        return 1 if self.data_format == "channels_first" else -1

    def _input_channels(self, input_shape) -> int:
        dims = TensorShape(input_shape).as_list()
        channels = dims[self._channel_axis]
        if channels is None:
            raise ValueError(f"The channel dimension of the inputs to layer {self.name} should "
                             f"be defined. Found `None` in shape {dims}")
        return channels

    def _kernel_shape(self, channels: int) -> list:
        if channels % self.groups:
            raise ValueError(f"Layer {self.name}: the number of input channels ({channels}) "
                             f"must be divisible by groups ({self.groups})")
        return [*self.kernel_size, channels // self.groups, self.filters]

    def _bias_size(self, channels: int) -> int:
        return self.filters

    def build(self, input_shape) -> None:
        channels = self._input_channels(input_shape)
        self._build_kernels(channels)
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(name="bias", shape=(self._bias_size(channels),),
                                        initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer,
                                        constraint=self.bias_constraint)
        self.input_spec = InputSpec(ndim=self.rank + 2,
                                    axes={self._channel_axis % (self.rank + 2): channels})
        self.built = True

    def _build_kernels(self, channels: int) -> None:
        self.kernel = self.add_weight(name="kernel", shape=self._kernel_shape(channels),
                                      initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint)

    def _convolve(self, inputs, kernel):
        fmt = _nn_format(self.rank, self.data_format)
        if self.rank == 1:
            padding = "VALID" if self.padding == "causal" else self.padding.upper()
            return nn_conv_ops.conv1d(inputs, kernel, stride=self.strides[0],
                                      padding=padding, data_format=fmt,
                                      dilations=self.dilation_rate[0])
        conv = nn_conv_ops.conv2d if self.rank == 2 else nn_conv_ops.conv3d
        return conv(inputs, kernel, strides=_per_dim(self.strides, self.data_format),
                    padding=self.padding.upper(), data_format=fmt,
                    dilations=_per_dim(self.dilation_rate, self.data_format))

    def _convolution(self, inputs):
        if self.padding == "causal":
            left = self.dilation_rate[0] * (self.kernel_size[0] - 1)
            pads = [[0, 0], [0, 0], [left, 0]] if self.data_format == "channels_first" \
                else [[0, 0], [left, 0], [0, 0]]
            inputs = array_ops.pad(inputs, pads)
        if self.groups == 1:
            return self._convolve(inputs, self.kernel)
        axis = self._channel_axis
        xs = array_ops.split(inputs, self.groups, axis=axis)
        ks = array_ops.split(self.kernel, self.groups, axis=-1)
        return array_ops.concat([self._convolve(x, k) for x, k in zip(xs, ks)], axis=axis)

    def call(self, inputs):
        outputs = self._convolution(inputs)
        if self.use_bias:
            if self.rank == 2 or self.data_format == "channels_last":
                outputs = nn_ops.bias_add(
                    outputs, self.bias,
                    data_format="NCHW" if self.data_format == "channels_first" else "NHWC")
            else:
                outputs = outputs + array_ops.reshape(self.bias, [1, -1] + [1] * self.rank)
        if self.activation is not None:
            return self.activation(outputs)
        return outputs

    def _spatial_out(self, dims: list) -> list:
        if self.padding == "causal":  # the left padding keeps every step: ceil(length / stride)
            return [conv_output_length(d, 1, "valid", self.strides[0]) for d in dims]
        return [conv_output_length(d, k, self.padding, s, r) for d, k, s, r in
                zip(dims, self.kernel_size, self.strides, self.dilation_rate)]

    def _out_channels(self, channels):
        return self.filters

    def compute_output_shape(self, input_shape) -> TensorShape:
        dims = TensorShape(input_shape).as_list()
        if self.data_format == "channels_first":
            return TensorShape([dims[0], self._out_channels(dims[1])] +
                               self._spatial_out(dims[2:]))
        return TensorShape([dims[0]] + self._spatial_out(dims[1:-1]) +
                           [self._out_channels(dims[-1])])

    def get_config(self) -> dict:
        return dict(super().get_config(), filters=self.filters, kernel_size=self.kernel_size,
                    strides=self.strides, padding=self.padding, data_format=self.data_format,
                    dilation_rate=self.dilation_rate, groups=self.groups,
                    activation=activations.serialize(self.activation), use_bias=self.use_bias,
                    kernel_initializer=initializers.serialize(self.kernel_initializer),
                    bias_initializer=initializers.serialize(self.bias_initializer),
                    kernel_regularizer=regularizers.serialize(self.kernel_regularizer),
                    bias_regularizer=regularizers.serialize(self.bias_regularizer),
                    activity_regularizer=regularizers.serialize(self.activity_regularizer),
                    kernel_constraint=constraints.serialize(self.kernel_constraint),
                    bias_constraint=constraints.serialize(self.bias_constraint))


class Conv1D(_Conv):
    """1-D convolution over ``[batch, steps, channels]``; ``padding="causal"`` pads on the left
    so that output ``t`` only sees inputs up to ``t``."""

    rank = 1

    def __init__(self, filters, kernel_size, strides=1, padding="valid",
                 data_format="channels_last", dilation_rate=1, **kwargs):
        super().__init__(filters, kernel_size, strides=strides, padding=padding,
                         data_format=data_format, dilation_rate=dilation_rate, **kwargs)


class Conv2D(_Conv):
    """2-D convolution over images ``[batch, rows, cols, channels]`` (or channels_first)."""

    rank = 2

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid", data_format=None,
                 dilation_rate=(1, 1), **kwargs):
        super().__init__(filters, kernel_size, strides=strides, padding=padding,
                         data_format=data_format, dilation_rate=dilation_rate, **kwargs)


class Conv3D(_Conv):
    """3-D convolution over volumes ``[batch, depth, rows, cols, channels]``."""

    rank = 3

    def __init__(self, filters, kernel_size, strides=(1, 1, 1), padding="valid",
                 data_format=None, dilation_rate=(1, 1, 1), **kwargs):
        super().__init__(filters, kernel_size, strides=strides, padding=padding,
                         data_format=data_format, dilation_rate=dilation_rate, **kwargs)


class Conv2DTranspose(Conv2D):
    """Transposed 2-D convolution (the gradient of ``Conv2D`` with respect to its input);
    ``output_padding`` adds rows/columns on the far side of the output."""

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid", output_padding=None,
                 data_format=None, dilation_rate=(1, 1), **kwargs):
        super().__init__(filters, kernel_size, strides=strides, padding=padding,
                         data_format=data_format, dilation_rate=dilation_rate, **kwargs)
        self.output_padding = None if output_padding is None else \
            _tuple(output_padding, 2, "output_padding")
        for p, s in zip(self.output_padding or (), self.strides):
            if p >= s:
                raise ValueError(f"Layer {self.name}: strides {self.strides} must be greater "
                                 f"than output padding {self.output_padding}")
        if self.dilation_rate != (1, 1):
            raise NotImplementedError(f"Conv2DTranspose {self.name}: dilation_rate "
                                      f"{self.dilation_rate} is not supported (only 1)")

    def _kernel_shape(self, channels: int) -> list:
        return [*self.kernel_size, self.filters, channels]

    def _spatial_out(self, dims: list) -> list:
        pads = self.output_padding or (None, None)
        return [transposed_length(d, k, self.padding, s, p)
                for d, k, s, p in zip(dims, self.kernel_size, self.strides, pads)]

    def _convolution(self, inputs):
        first = self.data_format == "channels_first"
        axes = (2, 3) if first else (1, 2)
        static = inputs.shape.as_list()
        dynamic = array_ops.shape(inputs)
        pads = self.output_padding or (None, None)
        spatial = []
        for axis, k, s, p in zip(axes, self.kernel_size, self.strides, pads):
            if static[axis] is not None:
                spatial.append(transposed_length(static[axis], k, self.padding, s, p))
            else:
                spatial.append(transposed_length(dynamic[axis], k, self.padding, s, p))
        shape = [dynamic[0], self.filters, *spatial] if first else \
            [dynamic[0], *spatial, self.filters]
        outputs = nn_conv_ops.conv2d_transpose(
            inputs, self.kernel, array_ops.stack(shape), _per_dim(self.strides, self.data_format),
            padding=self.padding.upper(), data_format=_nn_format(2, self.data_format))
        outputs.set_shape(self.compute_output_shape(inputs.shape))
        return outputs

    def get_config(self) -> dict:
        return dict(super().get_config(), output_padding=self.output_padding)


def _depthwise_kernel(layer, channels: int):
    """The (*kernel_size, channels, depth_multiplier) weight of a depthwise or separable conv."""
    return layer.add_weight(
        name="depthwise_kernel", shape=[*layer.kernel_size, channels, layer.depth_multiplier],
        initializer=layer.depthwise_initializer, regularizer=layer.depthwise_regularizer,
        constraint=layer.depthwise_constraint)


class SeparableConv2D(Conv2D):
    """Depthwise convolution (``depth_multiplier`` maps per input channel) followed by a 1x1
    pointwise convolution to ``filters`` channels."""

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid", data_format=None,
                 dilation_rate=(1, 1), depth_multiplier: int = 1, activation=None,
                 use_bias: bool = True, depthwise_initializer="glorot_uniform",
                 pointwise_initializer="glorot_uniform", bias_initializer="zeros",
                 depthwise_regularizer=None, pointwise_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, depthwise_constraint=None, pointwise_constraint=None,
                 bias_constraint=None, **kwargs):
        super().__init__(filters, kernel_size, strides=strides, padding=padding,
                         data_format=data_format, dilation_rate=dilation_rate,
                         activation=activation, use_bias=use_bias,
                         bias_initializer=bias_initializer, bias_regularizer=bias_regularizer,
                         activity_regularizer=activity_regularizer,
                         bias_constraint=bias_constraint, **kwargs)
        self.depth_multiplier = int(depth_multiplier)
        self.depthwise_initializer = initializers.get(depthwise_initializer)
        self.pointwise_initializer = initializers.get(pointwise_initializer)
        self.depthwise_regularizer = regularizers.get(depthwise_regularizer)
        self.pointwise_regularizer = regularizers.get(pointwise_regularizer)
        self.depthwise_constraint = constraints.get(depthwise_constraint)
        self.pointwise_constraint = constraints.get(pointwise_constraint)

    def _build_kernels(self, channels: int) -> None:
        self.depthwise_kernel = _depthwise_kernel(self, channels)
        self.pointwise_kernel = self.add_weight(
            name="pointwise_kernel",
            shape=[1] * self.rank + [channels * self.depth_multiplier, self.filters],
            initializer=self.pointwise_initializer, regularizer=self.pointwise_regularizer,
            constraint=self.pointwise_constraint)

    def _convolution(self, inputs):
        return nn_conv_ops.separable_conv2d(
            inputs, self.depthwise_kernel, self.pointwise_kernel,
            strides=_per_dim(self.strides, self.data_format), padding=self.padding.upper(),
            rate=self.dilation_rate, data_format=_nn_format(2, self.data_format))

    def get_config(self) -> dict:
        return dict(super().get_config(), depth_multiplier=self.depth_multiplier,
                    depthwise_initializer=initializers.serialize(self.depthwise_initializer),
                    pointwise_initializer=initializers.serialize(self.pointwise_initializer),
                    depthwise_regularizer=regularizers.serialize(self.depthwise_regularizer),
                    pointwise_regularizer=regularizers.serialize(self.pointwise_regularizer),
                    depthwise_constraint=constraints.serialize(self.depthwise_constraint),
                    pointwise_constraint=constraints.serialize(self.pointwise_constraint))


class SeparableConv1D(SeparableConv2D):
    """Separable convolution over ``[batch, steps, channels]`` (run as a 2-D one on an inserted
    unit axis); ``padding="causal"`` pads on the left."""

    rank = 1

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, **kwargs):
        super().__init__(filters, kernel_size, strides=strides, padding=padding,
                         data_format=data_format, dilation_rate=dilation_rate, **kwargs)

    def _convolution(self, inputs):
        first = self.data_format == "channels_first"
        if self.padding == "causal":
            left = self.dilation_rate[0] * (self.kernel_size[0] - 1)
            inputs = array_ops.pad(inputs, [[0, 0], [0, 0], [left, 0]] if first
                                   else [[0, 0], [left, 0], [0, 0]])
        axis = 2 if first else 1
        out = nn_conv_ops.separable_conv2d(
            array_ops.expand_dims(inputs, axis),
            array_ops.expand_dims(self.depthwise_kernel, 0),
            array_ops.expand_dims(self.pointwise_kernel, 0),
            strides=_per_dim((1, self.strides[0]), self.data_format),
            padding="VALID" if self.padding == "causal" else self.padding.upper(),
            rate=(1, self.dilation_rate[0]), data_format=_nn_format(2, self.data_format))
        return array_ops.squeeze(out, [axis])


class DepthwiseConv2D(Conv2D):
    """Per-channel 2-D convolution: ``depth_multiplier`` output maps for each input channel."""

    def __init__(self, kernel_size, strides=(1, 1), padding="valid", depth_multiplier: int = 1,
                 data_format=None, dilation_rate=(1, 1), activation=None, use_bias: bool = True,
                 depthwise_initializer="glorot_uniform", bias_initializer="zeros",
                 depthwise_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 depthwise_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(None, kernel_size, strides=strides, padding=padding,
                         data_format=data_format, dilation_rate=dilation_rate,
                         activation=activation, use_bias=use_bias,
                         bias_initializer=bias_initializer, bias_regularizer=bias_regularizer,
                         activity_regularizer=activity_regularizer,
                         bias_constraint=bias_constraint, **kwargs)
        self.depth_multiplier = int(depth_multiplier)
        self.depthwise_initializer = initializers.get(depthwise_initializer)
        self.depthwise_regularizer = regularizers.get(depthwise_regularizer)
        self.depthwise_constraint = constraints.get(depthwise_constraint)

    def _build_kernels(self, channels: int) -> None:
        self.depthwise_kernel = _depthwise_kernel(self, channels)

    def _bias_size(self, channels: int) -> int:
        return channels * self.depth_multiplier

    def _out_channels(self, channels):
        return None if channels is None else channels * self.depth_multiplier

    def _convolution(self, inputs):
        return nn_conv_ops.depthwise_conv2d(
            inputs, self.depthwise_kernel, strides=_per_dim(self.strides, self.data_format),
            padding=self.padding.upper(), rate=self.dilation_rate,
            data_format=_nn_format(2, self.data_format))

    def get_config(self) -> dict:
        config = super().get_config()
        for key in ("filters", "kernel_initializer", "kernel_regularizer", "kernel_constraint"):
            del config[key]
        return dict(config, depth_multiplier=self.depth_multiplier,
                    depthwise_initializer=initializers.serialize(self.depthwise_initializer),
                    depthwise_regularizer=regularizers.serialize(self.depthwise_regularizer),
                    depthwise_constraint=constraints.serialize(self.depthwise_constraint))


class _Temporal(Layer):
    """Base of the 1-D shape layers on ``[batch, steps, features]``."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.input_spec = InputSpec(ndim=3)

    def _map_steps(self, input_shape, fn) -> TensorShape:
        dims = TensorShape(input_shape).as_list()
        dims[1] = None if dims[1] is None else fn(dims[1])
        return TensorShape(dims)


class ZeroPadding1D(_Temporal):
    """Zero steps at the start and end: ``padding`` is an int or ``(start, end)``."""

    def __init__(self, padding=1, **kwargs):
        super().__init__(**kwargs)
        self.padding = _tuple(padding, 2, "padding") if not isinstance(padding, int) \
            else (padding, padding)

    def call(self, inputs):
        return array_ops.pad(inputs, [[0, 0], list(self.padding), [0, 0]])

    def compute_output_shape(self, input_shape) -> TensorShape:
        return self._map_steps(input_shape, lambda d: d + sum(self.padding))

    def get_config(self) -> dict:
        return dict(super().get_config(), padding=self.padding)


class Cropping1D(_Temporal):
    """Remove steps at the start and end: ``cropping`` is an int or ``(start, end)``."""

    def __init__(self, cropping=(1, 1), **kwargs):
        super().__init__(**kwargs)
        self.cropping = _tuple(cropping, 2, "cropping") if not isinstance(cropping, int) \
            else (cropping, cropping)

    def call(self, inputs):
        start, end = self.cropping
        return inputs[:, start:-end if end else None, :]

    def compute_output_shape(self, input_shape) -> TensorShape:
        return self._map_steps(input_shape, lambda d: d - sum(self.cropping))

    def get_config(self) -> dict:
        return dict(super().get_config(), cropping=self.cropping)


class UpSampling1D(_Temporal):
    """Repeat every step ``size`` times."""

    def __init__(self, size: int = 2, **kwargs):
        super().__init__(**kwargs)
        self.size = int(size)

    def call(self, inputs):
        static = inputs.shape.as_list()
        dynamic = array_ops.shape(inputs)
        dims = [d if d is not None else dynamic[i] for i, d in enumerate(static)]
        out = array_ops.tile(array_ops.expand_dims(inputs, 2), [1, 1, self.size, 1])
        out = array_ops.reshape(out, array_ops.stack([dims[0], dims[1] * self.size, dims[2]]))
        out.set_shape(self.compute_output_shape(inputs.shape))
        return out

    def compute_output_shape(self, input_shape) -> TensorShape:
        return self._map_steps(input_shape, lambda d: d * self.size)

    def get_config(self) -> dict:
        return dict(super().get_config(), size=self.size)


def _pairs(value, what: str) -> tuple:
    """An int, a pair of ints or a pair of pairs -> ``((top, bottom), (left, right))``."""
    if isinstance(value, int):
        return ((value, value), (value, value))
    if len(value) != 2:
        raise ValueError(f"`{what}` should have two elements. Received: {value}")
    return tuple(_tuple(v, 2, what) if not isinstance(v, int) else (v, v) for v in value)


class _Spatial2D(Layer):
    """Base of the 2-D shape layers (``data_format`` handling)."""

    def __init__(self, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = normalize_data_format(data_format)
        self.input_spec = InputSpec(ndim=4)

    def _spatial_axes(self) -> tuple:
        return (2, 3) if self.data_format == "channels_first" else (1, 2)

    def _map_spatial(self, input_shape, fn) -> TensorShape:
        dims = TensorShape(input_shape).as_list()
        for i, axis in enumerate(self._spatial_axes()):
            dims[axis] = None if dims[axis] is None else fn(i, dims[axis])
        return TensorShape(dims)


class ZeroPadding2D(_Spatial2D):
    """Zero rows/columns around images: ``padding`` is an int, ``(rows, cols)`` or
    ``((top, bottom), (left, right))``."""

    def __init__(self, padding=(1, 1), data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.padding = _pairs(padding, "padding")

    def call(self, inputs):
        pads = [[0, 0]] * 4
        for axis, pair in zip(self._spatial_axes(), self.padding):
            pads[axis] = list(pair)
        return array_ops.pad(inputs, pads)

    def compute_output_shape(self, input_shape) -> TensorShape:
        return self._map_spatial(input_shape, lambda i, d: d + sum(self.padding[i]))

    def get_config(self) -> dict:
        return dict(super().get_config(), padding=self.padding, data_format=self.data_format)


class Cropping2D(_Spatial2D):
    """Remove rows/columns at the image borders: ``cropping`` as for ``ZeroPadding2D``."""

    def __init__(self, cropping=((0, 0), (0, 0)), data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.cropping = _pairs(cropping, "cropping")

    def call(self, inputs):
        index = [slice(None)] * 4
        for axis, (lo, hi) in zip(self._spatial_axes(), self.cropping):
            index[axis] = slice(lo, -hi if hi else None)
        return inputs[tuple(index)]

    def compute_output_shape(self, input_shape) -> TensorShape:
        return self._map_spatial(input_shape, lambda i, d: d - sum(self.cropping[i]))

    def get_config(self) -> dict:
        return dict(super().get_config(), cropping=self.cropping, data_format=self.data_format)


def bilinear_matrix(size: int, factor: int) -> np.ndarray:
    """``[size * factor, size]`` weights of bilinear upsampling with half-pixel centers (as
    ``tf.image.resize``): output row ``y`` samples input ``(y + 0.5) / factor - 0.5``."""
    out = np.zeros((size * factor, size), np.float64)
    for y in range(size * factor):
        source = (y + 0.5) / factor - 0.5
        low = np.floor(source)
        weight = source - low
        out[y, int(max(low, 0))] += 1.0 - weight
        out[y, int(min(np.ceil(source), size - 1))] += weight
    return out


class UpSampling2D(_Spatial2D):
    """Repeat rows ``size[0]`` times and columns ``size[1]`` times (``interpolation="nearest"``)
    or interpolate bilinearly (``"bilinear"``, static image sizes)."""

    def __init__(self, size=(2, 2), data_format=None, interpolation: str = "nearest", **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.size = _tuple(size, 2, "size")
        if interpolation not in ("nearest", "bilinear"):
            raise NotImplementedError(f"UpSampling2D {self.name}: interpolation "
                                      f"{interpolation!r} is not supported (only 'nearest' "
                                      "and 'bilinear')")
        self.interpolation = interpolation

    def call(self, inputs):
        if self.interpolation == "bilinear":
            return self._bilinear(inputs)
        static = inputs.shape.as_list()
        dynamic = array_ops.shape(inputs)
        dims = [d if d is not None else dynamic[i] for i, d in enumerate(static)]
        (rows, cols), (fr, fc) = self._spatial_axes(), self.size
        # [.., rows, 1, cols, 1, ..] tiled to [.., rows, fr, cols, fc, ..], then merged.
        split = dims[:rows] + [dims[rows], 1, dims[cols], 1] + dims[cols + 1:]
        reps = [1] * rows + [1, fr, 1, fc] + [1] * (len(dims) - cols - 1)
        out = array_ops.tile(array_ops.reshape(inputs, array_ops.stack(split)), reps)
        merged = dims[:rows] + [dims[rows] * fr, dims[cols] * fc] + dims[cols + 1:]
        out = array_ops.reshape(out, array_ops.stack(merged))
        out.set_shape(self.compute_output_shape(inputs.shape))
        return out

    def _bilinear(self, inputs):
        rows, cols = self._spatial_axes()
        height, width = inputs.shape[rows].value, inputs.shape[cols].value
        if height is None or width is None:
            raise ValueError(f"UpSampling2D {self.name}: bilinear interpolation needs known "
                             f"image sizes, got input shape {inputs.shape}")
        dtype = inputs.dtype.as_numpy_dtype
        along_rows = ops.convert_to_tensor(bilinear_matrix(height, self.size[0]).astype(dtype))
        along_cols = ops.convert_to_tensor(bilinear_matrix(width, self.size[1]).astype(dtype))
        if self.data_format == "channels_first":
            out = einsum_ops.einsum("Hh,bchw->bcHw", along_rows, inputs)
            return einsum_ops.einsum("Ww,bchw->bchW", along_cols, out)
        out = einsum_ops.einsum("Hh,bhwc->bHwc", along_rows, inputs)
        return einsum_ops.einsum("Ww,bhwc->bhWc", along_cols, out)

    def compute_output_shape(self, input_shape) -> TensorShape:
        return self._map_spatial(input_shape, lambda i, d: d * self.size[i])

    def get_config(self) -> dict:
        return dict(super().get_config(), size=self.size, data_format=self.data_format,
                    interpolation=self.interpolation)


Convolution1D, Convolution2D, Convolution3D = Conv1D, Conv2D, Conv3D
Convolution2DTranspose, SeparableConvolution2D = Conv2DTranspose, SeparableConv2D
SeparableConvolution1D = SeparableConv1D
