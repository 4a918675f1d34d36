"""Gradients of the convolution and pooling ops, built from the backprop ops (which have
gradients themselves, so second derivatives work).

A convolution ``y = conv(x, f)`` is bilinear: its backprop-input op is ``conv``'s adjoint in
``x`` and its backprop-filter op the adjoint in ``f``; each gradient below is one of the three.
"""
from __future__ import annotations

from ..eager import context
from ..framework.ops import apply_op
from ..framework.registry import RegisterGradient
from ..ops import array_ops, math_ops

_CONV_FAMILIES = (("Conv2D", "Conv2DBackpropInput", "Conv2DBackpropFilter"),
                  ("Conv3D", "Conv3DBackpropInputV2", "Conv3DBackpropFilterV2"),
                  ("DepthwiseConv2dNative", "DepthwiseConv2dNativeBackpropInput",
                   "DepthwiseConv2dNativeBackpropFilter"))


def _register_conv(fwd: str, bp_input: str, bp_filter: str) -> None:
    @RegisterGradient(fwd)
    def _fwd_grad(op, grad):
        x, f = op.inputs
        skip = getattr(op, "skip_input_indices", None) or ()  # eager: e.g. the input images
        return [None if 0 in skip else apply_op(bp_input, [array_ops.shape(x), f, grad], op.attrs),
                None if 1 in skip else apply_op(bp_filter, [x, array_ops.shape(f), grad],
                                                op.attrs)]

    @RegisterGradient(bp_input)
    def _bp_input_grad(op, grad):
        _, f, dy = op.inputs
        return [None, apply_op(bp_filter, [grad, array_ops.shape(f), dy], op.attrs),
                apply_op(fwd, [grad, f], op.attrs)]

    @RegisterGradient(bp_filter)
    def _bp_filter_grad(op, grad):
        x, _, dy = op.inputs
        return [apply_op(bp_input, [array_ops.shape(x), grad, dy], op.attrs), None,
                apply_op(fwd, [x, grad], op.attrs)]


for _family in _CONV_FAMILIES:
    _register_conv(*_family)


def _register_pool(sfx: str) -> None:
    @RegisterGradient("MaxPool" + sfx)
    def _max_grad(op, grad):
        return apply_op("MaxPool" + sfx + "Grad", [op.inputs[0], op.outputs[0], grad], op.attrs)

    @RegisterGradient("MaxPool" + sfx + "Grad")
    def _max_grad_grad(op, grad):
        x, y, _ = op.inputs
        return [array_ops.zeros_like(x), array_ops.zeros_like(y),
                apply_op("MaxPool" + sfx + "GradGrad", [x, y, grad], op.attrs)]

    @RegisterGradient("MaxPool" + sfx + "GradGrad")
    def _max_grad_grad_grad(op, grad):
        x, y, _ = op.inputs
        return [array_ops.zeros_like(x), array_ops.zeros_like(y),
                apply_op("MaxPool" + sfx + "Grad", [x, y, grad], op.attrs)]

    @RegisterGradient("AvgPool" + sfx)
    def _avg_grad(op, grad):
        return apply_op("AvgPool" + sfx + "Grad", [array_ops.shape(op.inputs[0]), grad],
                        op.attrs)

    @RegisterGradient("AvgPool" + sfx + "Grad")
    def _avg_grad_grad(op, grad):
        return [None, apply_op("AvgPool" + sfx, [grad], op.attrs)]


for _sfx in ("", "3D"):
    _register_pool(_sfx)


# ---- fused batch norm ---------------------------------------------------------------------
_BN_ATTRS = ("epsilon", "data_format", "is_training")


@RegisterGradient("FusedBatchNormV3")
def _fused_batch_norm_grad(op, dy, *_):
    """Only ``y``'s gradient flows back (as in TF); mean/variance inputs get None."""
    x, scale = op.inputs[0], op.inputs[1]
    attrs = {k: op.attrs[k] for k in _BN_ATTRS}
    dx, dscale, doffset, _, _ = apply_op("FusedBatchNormGradV3",
                                         [dy, x, scale] + list(op.outputs[3:6]), attrs)
    return [dx, dscale, doffset, None, None]


def _bn_backprop_ops(dy, x, scale, mean, var, attrs):
    """FusedBatchNormGradV3's (dx, dscale, doffset) from ordinary, differentiable ops; in
    training ``mean``/``var`` are recomputed from ``x`` so that they depend on it."""
    nd = x.shape.ndims
    cf = attrs["data_format"].startswith("NC")
    axes = [0] + list(range(2, nd)) if cf else list(range(nd - 1))
    bshape = [1, -1] + [1] * (nd - 2) if cf else [-1]
    if attrs["is_training"]:
        mean = math_ops.reduce_mean(x, axes, keepdims=True)
        var = math_ops.reduce_mean(math_ops.square(x - mean), axes, keepdims=True)
    else:
        mean, var = array_ops.reshape(mean, bshape), array_ops.reshape(var, bshape)
    inv = math_ops.rsqrt(var + attrs["epsilon"])
    xhat = (x - mean) * inv
    doffset = math_ops.reduce_sum(dy, axes)
    dscale = math_ops.reduce_sum(dy * xhat, axes)
    k = array_ops.reshape(scale, bshape) * inv
    if attrs["is_training"]:
        dx = k * (dy - math_ops.reduce_mean(dy, axes, keepdims=True)
                  - xhat * math_ops.reduce_mean(dy * xhat, axes, keepdims=True))
    else:
        dx = dy * k
    return [dx, dscale, doffset]


@RegisterGradient("FusedBatchNormGradV3")
def _fused_batch_norm_grad_grad(op, ddx, ddscale, ddoffset, *_):
    """Second order: the vector-Jacobian product of the composed backprop formula."""
    dy, x, scale, mean, var = op.inputs[:5]
    attrs = {k: op.attrs[k] for k in _BN_ATTRS}
    cot = [g if g is not None else array_ops.zeros_like(t)
           for g, t in zip((ddx, ddscale, ddoffset), op.outputs[:3])]
    srcs = [dy, x, scale]
    if context.executing_eagerly():
        from ..eager.tape import GradientTape
        with GradientTape() as tape:
            for s in srcs:
                tape.watch(s)
            outs = _bn_backprop_ops(dy, x, scale, mean, var, attrs)
        grads = tape.gradient(outs, srcs, output_gradients=cot)
    else:
        from ..ops.gradients_impl import gradients
        outs = _bn_backprop_ops(dy, x, scale, mean, var, attrs)
        grads = gradients(outs, srcs, grad_ys=cot)
    return list(grads) + [None, None, None]
