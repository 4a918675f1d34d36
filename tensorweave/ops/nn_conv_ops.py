"""Convolution and pooling ops: ``Conv2D``/``Conv3D`` and their backprop ops, depthwise and
separable convolutions, ``conv2d_transpose``, max/avg pooling (1-D, 2-D, 3-D).

Usage::

    h = tf.nn.relu(tf.nn.conv2d(images, kernel, strides=[1, 1, 1, 1], padding="SAME"))
    h = tf.nn.max_pool(h, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="VALID")

Op types, input order and attrs are TensorFlow's (the backprop ops are real ops, so gradients of
gradients and ``conv2d_transpose`` work); kernels are in ``kernels/conv_kernels.py`` and
gradients in ``gradients/conv_grad.py``. ``NC...`` data formats are supported on the CPU here
(TensorFlow's own CPU kernels refuse them).
"""
from __future__ import annotations

from typing import Optional

from ..framework import dtypes
from ..framework.ops import apply_op, convert_to_tensor, name_scope
from ..framework.registry import define_op
from ..framework.tensor_shape import TensorShape
from ..framework.tensor_util import constant_value_as_shape
from ..kernels import batch_norm_kernels as BN
from ..kernels import conv_kernels as K
from . import array_ops

__all__ = ["conv1d", "conv2d", "conv3d", "convolution", "conv2d_backprop_input",
           "conv2d_backprop_filter", "conv2d_transpose", "conv1d_transpose", "conv3d_transpose",
           "depthwise_conv2d", "depthwise_conv2d_native", "depthwise_conv2d_native_backprop_input",
           "depthwise_conv2d_native_backprop_filter", "separable_conv2d", "atrous_conv2d",
           "max_pool", "max_pool_v2", "avg_pool_v2",
           "max_pool1d", "max_pool2d", "max_pool3d", "avg_pool", "avg_pool1d", "avg_pool2d",
           "avg_pool3d", "pool"]

_CONV_TYPES = (dtypes.float16, dtypes.bfloat16, dtypes.float32, dtypes.float64, dtypes.int32)


# ---- shape rules --------------------------------------------------------------------------
def _layout(rank: int, data_format: str):
    """(batch axis, spatial axes, channel axis) for a ``rank``-D tensor."""
    if K.channels_first(data_format):
        return 0, list(range(2, rank)), 1
    return 0, list(range(1, rank - 1)), rank - 1


def _dims(shape: TensorShape, rank: int, what: str):
    if shape.ndims is None:
        return [None] * rank
    if shape.ndims != rank:
        raise ValueError(f"Shape must be rank {rank} but is rank {shape.ndims} ({what})")
    return list(shape.as_tuple())


def _spatial_out(in_dims, k_dims, attrs, nd):
    fmt = attrs.get("data_format", "NHWC")
    strides = K.spatial(attrs["strides"], fmt, nd)
    dil = K.spatial(attrs.get("dilations") or [1] * (nd + 2), fmt, nd)
    padding = attrs["padding"]
    pairs = [(0, 0)] * nd
    if padding == "EXPLICIT":
        flat = list(attrs.get("explicit_paddings", ()))
        allp = [flat[i:i + 2] for i in range(0, len(flat), 2)]
        pairs = allp[2:2 + nd] if K.channels_first(fmt) else allp[1:1 + nd]
    out = []
    for n, k, s, d, p in zip(in_dims, k_dims, strides, dil, pairs):
        if n is None or k is None:
            out.append(None)
            continue
        try:
            out.append(K.out_size(n, k, s, d, padding, p)[0])
        except ValueError:
            raise ValueError(f"Negative dimension size caused by subtracting {(k - 1) * d + 1} "
                             f"from {n + p[0] + p[1]}") from None
    return out


def _assemble(rank, fmt, batch, sp, channels):
    _, sp_axes, c_axis = _layout(rank, fmt)
    dims = [None] * rank
    dims[0] = batch
    for a, v in zip(sp_axes, sp):
        dims[a] = v
    dims[c_axis] = channels
    return TensorShape(dims)


def _conv_rule(nd, depthwise=False):
    def rule(inputs, attrs):
        x, f = inputs
        fmt = attrs.get("data_format", "NHWC")
        xd, fd = _dims(x.shape, nd + 2, "input"), _dims(f.shape, nd + 2, "filter")
        _, sp_axes, c_axis = _layout(nd + 2, fmt)
        cin = xd[c_axis]
        if cin is not None and fd[-2] is not None and cin != fd[-2]:
            raise ValueError(f"input depth ({cin}) must equal filter in-depth ({fd[-2]})")
        sp = _spatial_out([xd[a] for a in sp_axes], fd[:nd], attrs, nd)
        if depthwise:
            cout = None if fd[-2] is None or fd[-1] is None else fd[-2] * fd[-1]
        else:
            cout = fd[-1]
        return [(x.dtype, _assemble(nd + 2, fmt, xd[0], sp, cout))]
    return rule


def _backprop_input_rule(nd):
    def rule(inputs, attrs):
        sizes, f, dy = inputs
        shape = constant_value_as_shape(sizes)
        if shape.ndims is None:
            shape = TensorShape([None] * (nd + 2))
        return [(f.dtype, shape)]
    return rule


def _backprop_filter_rule(nd):
    def rule(inputs, attrs):
        x, sizes, dy = inputs
        shape = constant_value_as_shape(sizes)
        if shape.ndims is None:
            shape = TensorShape([None] * (nd + 2))
        return [(x.dtype, shape)]
    return rule


def _pool_rule(inputs, attrs):
    x = inputs[0]
    fmt = attrs.get("data_format", "NHWC")
    rank = len(attrs["ksize"])
    nd = rank - 2
    xd = _dims(x.shape, rank, "input")
    _, sp_axes, c_axis = _layout(rank, fmt)
    k = K.spatial(attrs["ksize"], fmt, nd)
    sp = _spatial_out([xd[a] for a in sp_axes], k, dict(attrs, dilations=None), nd)
    return [(x.dtype, _assemble(rank, fmt, xd[0], sp, xd[c_axis]))]


def _like_input(index):
    def rule(inputs, attrs):
        return [(inputs[index].dtype, inputs[index].shape)]
    return rule


def _avg_grad_rule(inputs, attrs):
    shape = constant_value_as_shape(inputs[0])
    if shape.ndims is None:
        shape = TensorShape([None] * len(attrs["ksize"]))
    return [(inputs[1].dtype, shape)]


# ---- op definitions -----------------------------------------------------------------------
for _nd, _fwd, _bi, _bf in ((2, "Conv2D", "Conv2DBackpropInput", "Conv2DBackpropFilter"),
                            (3, "Conv3D", "Conv3DBackpropInputV2", "Conv3DBackpropFilterV2")):
    define_op(_fwd, K.conv_forward, _conv_rule(_nd), fresh=True)
    define_op(_bi, K.conv_backprop_input, _backprop_input_rule(_nd), fresh=True)
    define_op(_bf, K.conv_backprop_filter, _backprop_filter_rule(_nd))
define_op("DepthwiseConv2dNative", K.depthwise_forward, _conv_rule(2, depthwise=True))
define_op("DepthwiseConv2dNativeBackpropInput", K.depthwise_backprop_input,
          _backprop_input_rule(2))
define_op("DepthwiseConv2dNativeBackpropFilter", K.depthwise_backprop_filter,
          _backprop_filter_rule(2))
for _sfx in ("", "3D"):
    define_op("MaxPool" + _sfx, K.max_pool, _pool_rule)
    define_op("MaxPool" + _sfx + "Grad", K.max_pool_grad, _like_input(0), fresh=True)
    define_op("MaxPool" + _sfx + "GradGrad", K.max_pool_grad_grad, _like_input(1))
    define_op("AvgPool" + _sfx, K.avg_pool, _pool_rule)
    define_op("AvgPool" + _sfx + "Grad", K.avg_pool_grad, _avg_grad_rule)


def _bn_rule(inputs, attrs):
    x, scale = inputs[0], inputs[1]
    if x.shape.ndims is not None and x.shape.ndims not in (4, 5):
        raise ValueError(f"Shape must be rank 4 but is rank {x.shape.ndims}")
    c = None
    if x.shape.ndims is not None:
        c = x.shape[1 if K.channels_first(attrs["data_format"]) else -1].value
    if scale.shape.ndims is not None:
        if scale.shape.ndims != 1:
            raise ValueError(f"Shape must be rank 1 but is rank {scale.shape.ndims} (scale)")
        sc = scale.shape[0].value
        if c is not None and sc is not None and c != sc:
            raise ValueError(f"scale must have the channel dimension {c}, got {sc}")
        c = c if c is not None else sc
    vec = (scale.dtype, TensorShape([c]))
    return [(x.dtype, x.shape), vec, vec, vec, vec, (scale.dtype, TensorShape([0]))]


def _bn_grad_rule(inputs, attrs):
    dy, x, scale = inputs[:3]
    empty = (scale.dtype, TensorShape([0]))
    return [(x.dtype, x.shape), (scale.dtype, scale.shape), (scale.dtype, scale.shape), empty,
            empty]


define_op("FusedBatchNormV3", BN.fused_batch_norm, _bn_rule, num_outputs=6)
define_op("FusedBatchNormGradV3", BN.fused_batch_norm_grad, _bn_grad_rule, num_outputs=5)


# ---- argument helpers ---------------------------------------------------------------------
def _format(data_format, nd: int) -> str:
    if data_format is None:
        return "NWC" if nd == 1 else ("NHWC" if nd == 2 else "NDHWC")
    if isinstance(data_format, bytes):
        data_format = data_format.decode()
    if not (data_format.startswith("N") and len(data_format) == nd + 2
            and (data_format.startswith("NC") or data_format.endswith("C"))):
        raise ValueError(f"Invalid data_format '{data_format}' for a {nd}-D op")
    return data_format


def _full(values, nd: int, fmt: str, what: str, default: int = 1) -> list:
    """A full-rank attr (batch and channel entries 1) from an int or a list of 1, nd or nd+2."""
    if values is None:
        return [1] * (nd + 2) if default == 1 else None
    if isinstance(values, int):
        values = [values]
    values = [int(v) for v in values]
    if len(values) == nd + 2:
        return values
    if len(values) == 1:
        values = values * nd
    if len(values) != nd:
        raise ValueError(f"{what} should be of length 1, {nd} or {nd + 2}; got {len(values)}")
    return [1, 1] + values if K.channels_first(fmt) else [1] + values + [1]


def _padding(padding, nd: int, fmt: str):
    """(padding attr, explicit_paddings) from "SAME"/"VALID" or a list of (before, after)."""
    if isinstance(padding, bytes):
        padding = padding.decode()
    if isinstance(padding, str):
        padding = padding.upper()
        if padding not in ("SAME", "VALID"):
            raise ValueError(f"padding must be 'SAME', 'VALID' or explicit, got '{padding}'")
        return padding, []
    pairs = [[int(a), int(b)] for a, b in padding]
    if len(pairs) != nd + 2:
        raise ValueError(f"explicit padding needs {nd + 2} (before, after) pairs")
    return "EXPLICIT", [v for p in pairs for v in p]


def _float_input(t, param):
    t = convert_to_tensor(t)
    if t.dtype not in _CONV_TYPES:
        raise TypeError(f"Value passed to parameter '{param}' has DataType {t.dtype.name} not in "
                        f"list of allowed values: " + ", ".join(d.name for d in _CONV_TYPES))
    return t


def _conv_attrs(nd, strides, padding, data_format, dilations):
    fmt = _format(data_format, nd)
    pad, explicit = _padding(padding, nd, fmt)
    attrs = {"strides": _full(strides, nd, fmt, "strides"), "padding": pad,
             "data_format": fmt, "dilations": _full(dilations, nd, fmt, "dilations")}
    if nd == 2:
        attrs["explicit_paddings"] = explicit
    elif pad == "EXPLICIT":
        raise ValueError("explicit padding is only supported by 2-D convolutions")
    return attrs


# ---- convolutions -------------------------------------------------------------------------
def conv2d(input, filter=None, strides=None, padding=None, use_cudnn_on_gpu: bool = True,  # noqa: A002
           data_format: str = "NHWC", dilations=None, name: Optional[str] = None, filters=None):
    """2-D cross-correlation of ``input`` [N, H, W, C] with ``filter`` [kh, kw, C, O].

    Usage: ``tf.nn.conv2d(x, w, strides=[1, 2, 2, 1], padding="SAME")``.
    """
    filter = filters if filter is None else filter  # noqa: A001
    x, f = _float_input(input, "input"), _float_input(filter, "filter")
    return apply_op("Conv2D", [x, f], _conv_attrs(2, strides, padding, data_format, dilations),
                    name=name or "Conv2D")


def conv3d(input, filter=None, strides=None, padding=None, data_format: str = "NDHWC",  # noqa: A002
           dilations=None, name: Optional[str] = None, filters=None):
    """3-D cross-correlation; ``filter`` is [kd, kh, kw, C, O]."""
    filter = filters if filter is None else filter  # noqa: A001
    x, f = _float_input(input, "input"), _float_input(filter, "filter")
    return apply_op("Conv3D", [x, f], _conv_attrs(3, strides, padding, data_format, dilations),
                    name=name or "Conv3D")


def conv1d(value=None, filters=None, stride=None, padding=None, use_cudnn_on_gpu=None,
           data_format: Optional[str] = None, name: Optional[str] = None, input=None,  # noqa: A002
           dilations=None):
    """1-D convolution of [N, W, C] with [k, C, O], computed by ``Conv2D`` on an inserted axis
    (as TF does). Usage: ``tf.nn.conv1d(x, w, stride=1, padding="SAME")``."""
    value = input if value is None else value
    with name_scope(name, "conv1d", [value, filters]) as scope:
        fmt = "NWC" if data_format in (None, "NWC", "NHWC") else "NCW"
        if data_format not in (None, "NWC", "NHWC", "NCW", "NCHW"):
            raise ValueError(f"data_format must be 'NWC' or 'NCW', got {data_format}")
        x = _float_input(value, "input")
        f = _float_input(filters, "filter")
        s = _full(stride, 1, fmt, "stride")
        d = _full(dilations, 1, fmt, "dilations")
        if fmt == "NWC":
            axis, fmt2 = 1, "NHWC"
            s, d = [1, 1, s[1], 1], [1, 1, d[1], 1]
        else:
            axis, fmt2 = 2, "NCHW"
            s, d = [1, 1, 1, s[2]], [1, 1, 1, d[2]]
        x = array_ops.expand_dims(x, axis, name="ExpandDims")
        f = array_ops.expand_dims(f, 0, name="ExpandDims_1")
        pad, explicit = _padding(padding, 1, fmt)
        if pad == "EXPLICIT":
            raise ValueError("conv1d does not take explicit padding")
        y = apply_op("Conv2D", [x, f], {"strides": s, "padding": pad, "data_format": fmt2,
                                        "dilations": d, "explicit_paddings": []}, name=scope)
        return array_ops.squeeze(y, [axis], name="Squeeze")


def convolution(input, filter, padding, strides=None, dilation_rate=None,  # noqa: A002
                name: Optional[str] = None, data_format: Optional[str] = None, filters=None,
                dilations=None):
    """N-D convolution (N = 1, 2, 3 from the filter's rank), TF1's ``tf.nn.convolution``."""
    filter = filters if filter is None else filter  # noqa: A001
    f = convert_to_tensor(filter)
    rank = f.shape.ndims if f.shape.ndims is not None else convert_to_tensor(input).shape.ndims
    nd = rank - 2
    dil = dilation_rate if dilation_rate is not None else dilations
    if nd == 1:
        return conv1d(input, f, strides or 1, padding, data_format=data_format, name=name,
                      dilations=dil)
    if nd == 2:
        return conv2d(input, f, strides or 1, padding, data_format=data_format or "NHWC",
                      dilations=dil, name=name or "convolution")
    if nd == 3:
        return conv3d(input, f, strides or 1, padding, data_format=data_format or "NDHWC",
                      dilations=dil, name=name or "convolution")
    raise ValueError(f"convolution supports 1-3 spatial dims, got {nd}")


def _shape_tensor(shape, name):
    return convert_to_tensor(shape, dtype=dtypes.int32, name=name) \
        if not hasattr(shape, "dtype") else shape


def conv2d_backprop_input(input_sizes, filter=None, out_backprop=None, strides=None,  # noqa: A002
                          padding=None, use_cudnn_on_gpu: bool = True,
                          data_format: str = "NHWC", dilations=None,
                          name: Optional[str] = None, filters=None):
    """Gradient of ``conv2d`` w.r.t. its input, given the input's shape ``input_sizes``."""
    filter = filters if filter is None else filter  # noqa: A001
    attrs = _conv_attrs(2, strides, padding, data_format, dilations)
    return apply_op("Conv2DBackpropInput",
                    [_shape_tensor(input_sizes, "input_sizes"), _float_input(filter, "filter"),
                     _float_input(out_backprop, "out_backprop")], attrs,
                    name=name or "Conv2DBackpropInput")


def conv2d_backprop_filter(input, filter_sizes, out_backprop, strides, padding,  # noqa: A002
                           use_cudnn_on_gpu: bool = True, data_format: str = "NHWC",
                           dilations=None, name: Optional[str] = None):
    """Gradient of ``conv2d`` w.r.t. its filter, given the filter's shape ``filter_sizes``."""
    attrs = _conv_attrs(2, strides, padding, data_format, dilations)
    return apply_op("Conv2DBackpropFilter",
                    [_float_input(input, "input"), _shape_tensor(filter_sizes, "filter_sizes"),
                     _float_input(out_backprop, "out_backprop")], attrs,
                    name=name or "Conv2DBackpropFilter")


def _transpose(op_type, nd, scope_name, value, filter, output_shape, strides, padding,  # noqa: A002
               data_format, dilations, name):
    with name_scope(name, scope_name, [value, filter, output_shape]) as scope:
        x, f = _float_input(value, "value"), _float_input(filter, "filter")
        attrs = _conv_attrs(nd, strides, padding, data_format, dilations)
        c_axis = 1 if K.channels_first(attrs["data_format"]) else nd + 1
        cin = x.shape[c_axis].value if x.shape.ndims is not None else None
        if cin is not None and f.shape.ndims is not None and f.shape[-1].value not in (None, cin):
            raise ValueError(f"input channels ({cin}) must match the filter's last dimension "
                             f"({f.shape[-1].value})")
        out_t = _shape_tensor(output_shape, "output_shape")
        static = constant_value_as_shape(out_t)
        if static.ndims is not None and f.shape.ndims is not None:
            oc, fc = static[c_axis].value, f.shape[-2].value
            if oc is not None and fc is not None and oc != fc:
                raise ValueError(f"output_shape channels ({oc}) must match the filter's "
                                 f"output channels ({fc})")
        return apply_op(op_type, [out_t, f, x], attrs, name=scope)


def conv2d_transpose(value=None, filter=None, output_shape=None, strides=None,  # noqa: A002
                     padding: str = "SAME", data_format: str = "NHWC",
                     name: Optional[str] = None, input=None, filters=None, dilations=None):
    """The transpose (gradient) of ``conv2d``: ``filter`` is [kh, kw, out_C, in_C].

    Usage: ``tf.nn.conv2d_transpose(x, w, [n, 28, 28, 16], [1, 2, 2, 1], "SAME")``.
    """
    value = input if value is None else value
    filter = filters if filter is None else filter  # noqa: A001
    return _transpose("Conv2DBackpropInput", 2, "conv2d_transpose", value, filter, output_shape,
                      strides, padding, data_format, dilations, name)


def conv1d_transpose(input, filters, output_shape, strides, padding: str = "SAME",  # noqa: A002
                     data_format: str = "NWC", dilations=None, name: Optional[str] = None):
    """The transpose of ``conv1d`` (via ``Conv2DBackpropInput`` on an inserted axis)."""
    with name_scope(name, "conv1d_transpose", [input, filters, output_shape]):
        cf = data_format in ("NCW", "NCHW")
        axis = 2 if cf else 1
        x = array_ops.expand_dims(_float_input(input, "input"), axis)
        f = array_ops.expand_dims(_float_input(filters, "filters"), 0)
        out = _shape_tensor(output_shape, "output_shape")
        out = array_ops.concat([out[:axis], [1], out[axis:]], 0)
        s = _full(strides, 1, "NCW" if cf else "NWC", "strides")
        d = _full(dilations, 1, "NCW" if cf else "NWC", "dilations")
        s2 = s[:axis] + [1] + s[axis:]
        d2 = d[:axis] + [1] + d[axis:]
        y = _transpose("Conv2DBackpropInput", 2, "conv1d_transpose", x, f, out, s2, padding,
                       "NCHW" if cf else "NHWC", d2, None)
        return array_ops.squeeze(y, [axis])


def conv3d_transpose(value=None, filter=None, output_shape=None, strides=None,  # noqa: A002
                     padding: str = "SAME", data_format: str = "NDHWC",
                     name: Optional[str] = None, input=None, filters=None, dilations=None):
    """The transpose of ``conv3d``: ``filter`` is [kd, kh, kw, out_C, in_C]."""
    value = input if value is None else value
    filter = filters if filter is None else filter  # noqa: A001
    return _transpose("Conv3DBackpropInputV2", 3, "conv3d_transpose", value, filter,
                      output_shape, strides, padding, data_format, dilations, name)


def depthwise_conv2d_native(input, filter, strides, padding, data_format: str = "NHWC",  # noqa: A002
                            dilations=None, name: Optional[str] = None):
    """Per-channel 2-D convolution: ``filter`` [kh, kw, C, M] gives C * M output channels."""
    x, f = _float_input(input, "input"), _float_input(filter, "filter")
    attrs = _conv_attrs(2, strides, padding, data_format, dilations)
    return apply_op("DepthwiseConv2dNative", [x, f], attrs, name=name or "DepthwiseConv2dNative")


def depthwise_conv2d(input, filter, strides, padding, rate=None, name: Optional[str] = None,  # noqa: A002
                     data_format: Optional[str] = None, dilations=None):
    """Depthwise convolution (TF1 signature; ``rate`` is the dilation).

    Usage: ``tf.nn.depthwise_conv2d(x, w, [1, 1, 1, 1], "SAME")``.
    """
    with name_scope(name, "depthwise", [input, filter]) as scope:
        rate = rate if rate is not None else dilations
        return depthwise_conv2d_native(input, filter, strides, padding,
                                       data_format=data_format or "NHWC", dilations=rate,
                                       name=scope)


def depthwise_conv2d_native_backprop_input(input_sizes, filter, out_backprop, strides,  # noqa: A002
                                           padding, data_format: str = "NHWC", dilations=None,
                                           name: Optional[str] = None):
    """Gradient of ``depthwise_conv2d_native`` w.r.t. its input."""
    attrs = _conv_attrs(2, strides, padding, data_format, dilations)
    return apply_op("DepthwiseConv2dNativeBackpropInput",
                    [_shape_tensor(input_sizes, "input_sizes"), _float_input(filter, "filter"),
                     _float_input(out_backprop, "out_backprop")], attrs,
                    name=name or "DepthwiseConv2dNativeBackpropInput")


def depthwise_conv2d_native_backprop_filter(input, filter_sizes, out_backprop, strides,  # noqa: A002
                                            padding, data_format: str = "NHWC", dilations=None,
                                            name: Optional[str] = None):
    """Gradient of ``depthwise_conv2d_native`` w.r.t. its filter."""
    attrs = _conv_attrs(2, strides, padding, data_format, dilations)
    return apply_op("DepthwiseConv2dNativeBackpropFilter",
                    [_float_input(input, "input"), _shape_tensor(filter_sizes, "filter_sizes"),
                     _float_input(out_backprop, "out_backprop")], attrs,
                    name=name or "DepthwiseConv2dNativeBackpropFilter")


def atrous_conv2d(value, filters, rate: int, padding: str, name: Optional[str] = None):
    """Dilated ("atrous") 2-D convolution with stride 1: ``conv2d`` with dilations ``rate``."""
    if int(rate) < 1:
        raise ValueError(f"rate {rate} cannot be less than one")
    return conv2d(value, filters, [1, 1, 1, 1], padding, dilations=[1, rate, rate, 1],
                  name=name or "convolution")


def separable_conv2d(input, depthwise_filter, pointwise_filter, strides, padding,  # noqa: A002
                     rate=None, name: Optional[str] = None, data_format: Optional[str] = None,
                     dilations=None):
    """A depthwise convolution followed by a 1x1 (pointwise) ``conv2d``."""
    with name_scope(name, "separable_conv2d",
                    [input, depthwise_filter, pointwise_filter]) as scope:
        fmt = data_format or "NHWC"
        rate = rate if rate is not None else dilations
        pw = convert_to_tensor(pointwise_filter)
        if pw.shape.ndims is not None and tuple(pw.shape.as_tuple()[:2]) not in ((1, 1),
                                                                               (None, None)):
            raise ValueError(f"pointwise_filter must be 1x1, got shape {pw.shape}")
        dw = depthwise_conv2d_native(input, depthwise_filter, strides, padding, data_format=fmt,
                                     dilations=rate, name="depthwise")
        return conv2d(dw, pointwise_filter, [1, 1, 1, 1], "VALID", data_format=fmt, name=scope)


# ---- pooling ------------------------------------------------------------------------------
def _pool(op_type, nd, value, ksize, strides, padding, data_format, name, default_name):
    fmt = _format(data_format, nd)
    x = _float_input(value, "input")
    pad, _ = _padding(padding, nd, fmt)
    if pad == "EXPLICIT":
        raise ValueError("pooling takes 'SAME' or 'VALID' padding")
    attrs = {"ksize": _full(ksize, nd, fmt, "ksize"), "strides": _full(strides, nd, fmt, "strides"),
             "padding": pad, "data_format": fmt}
    return apply_op(op_type, [x], attrs, name=name or default_name)


def max_pool(value=None, ksize=None, strides=None, padding=None, data_format: str = "NHWC",
             name: Optional[str] = None, input=None):  # noqa: A002
    """Maximum over ``ksize`` windows.

    Usage: ``tf.nn.max_pool(x, [1, 2, 2, 1], [1, 2, 2, 1], "SAME")``.
    """
    value = input if value is None else value
    return _pool("MaxPool", 2, value, ksize, strides, padding, data_format, name, "MaxPool")


def avg_pool(value=None, ksize=None, strides=None, padding=None, data_format: str = "NHWC",
             name: Optional[str] = None, input=None):  # noqa: A002
    """Mean over ``ksize`` windows; SAME windows at the border average only real cells."""
    value = input if value is None else value
    return _pool("AvgPool", 2, value, ksize, strides, padding, data_format, name, "AvgPool")


max_pool2d = max_pool
avg_pool2d = avg_pool
max_pool_v2 = max_pool
avg_pool_v2 = avg_pool


def max_pool3d(input, ksize, strides, padding, data_format: str = "NDHWC",  # noqa: A002
               name: Optional[str] = None):
    """3-D max pooling."""
    return _pool("MaxPool3D", 3, input, ksize, strides, padding, data_format, name, "MaxPool3D")


def avg_pool3d(input, ksize, strides, padding, data_format: str = "NDHWC",  # noqa: A002
               name: Optional[str] = None):
    """3-D average pooling."""
    return _pool("AvgPool3D", 3, input, ksize, strides, padding, data_format, name, "AvgPool3D")


def _pool1d(op_type, scope_name, input, ksize, strides, padding, data_format, name):  # noqa: A002
    with name_scope(name, scope_name, [input]) as scope:
        cf = data_format in ("NCW", "NCHW")
        fmt1 = "NCW" if cf else "NWC"
        k, s = _full(ksize, 1, fmt1, "ksize"), _full(strides, 1, fmt1, "strides")
        axis = 2 if cf else 1
        x = array_ops.expand_dims(_float_input(input, "input"), axis, name="ExpandDims")
        k2, s2 = k[:axis] + [1] + k[axis:], s[:axis] + [1] + s[axis:]
        y = _pool(op_type, 2, x, k2, s2, padding, "NCHW" if cf else "NHWC", scope, op_type)
        return array_ops.squeeze(y, [axis], name="Squeeze")


def max_pool1d(input, ksize, strides, padding, data_format: str = "NWC",  # noqa: A002
               name: Optional[str] = None):
    """1-D max pooling over [N, W, C] (a 2-D ``MaxPool`` on an inserted axis, as TF)."""
    return _pool1d("MaxPool", "MaxPool1d", input, ksize, strides, padding, data_format, name)


def avg_pool1d(input, ksize, strides, padding, data_format: str = "NWC",  # noqa: A002
               name: Optional[str] = None):
    """1-D average pooling over [N, W, C]."""
    return _pool1d("AvgPool", "AvgPool1D", input, ksize, strides, padding, data_format, name)


def pool(input, window_shape, pooling_type, padding, dilation_rate=None, strides=None,  # noqa: A002
         name: Optional[str] = None, data_format: Optional[str] = None, dilations=None):
    """``tf.nn.pool``: "MAX" or "AVG" pooling over 1-3 spatial dims (no dilation)."""
    nd = len(window_shape)
    if any(int(r) != 1 for r in (dilation_rate or dilations or [1])):
        raise ValueError("pool: dilation_rate other than 1 is not supported")
    kind = {"MAX": "max", "AVG": "avg"}.get(str(pooling_type).upper())
    if kind is None:
        raise ValueError(f"pooling_type must be 'MAX' or 'AVG', got {pooling_type}")
    strides = strides or [1] * nd
    name = name or f"{kind}_pool"
    if nd == 1:
        fn = max_pool1d if kind == "max" else avg_pool1d
        return fn(input, window_shape, strides, padding, data_format or "NWC", name)
    if nd == 2:
        fn = max_pool if kind == "max" else avg_pool
        return fn(input, window_shape, strides, padding, data_format or "NHWC", name)
    fn = max_pool3d if kind == "max" else avg_pool3d
    return fn(input, window_shape, strides, padding, data_format or "NDHWC", name)


from ..gradients import conv_grad as _conv_grad  # noqa: E402,F401 - registers the gradients
