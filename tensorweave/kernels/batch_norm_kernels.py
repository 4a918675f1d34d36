"""NumPy kernels of TF's fused batch normalization (``FusedBatchNormV3`` and its gradient).

Usage: ``y, mean, var, r1, r2, r3 = fused_batch_norm(x, scale, offset, mean, var)``.
Statistics are taken over every axis but the channel axis ("NC..." or "N...C" layouts) and
accumulated in at least float32, as TF does for half-precision inputs.
"""
from __future__ import annotations

import numpy as np

from .conv_kernels import channels_first

__all__ = ["fused_batch_norm", "fused_batch_norm_grad"]


def _bn_layout(x, data_format):
    c_axis = 1 if channels_first(data_format) else x.ndim - 1
    axes = tuple(a for a in range(x.ndim) if a != c_axis)
    bshape = [1] * x.ndim
    bshape[c_axis] = x.shape[c_axis]
    return axes, bshape


def fused_batch_norm(x, scale, offset, mean, variance, epsilon=1e-4, exponential_avg_factor=1.0,
                     data_format="NHWC", is_training=True):
    """TF's FusedBatchNormV3: (y, batch_mean, batch_variance, reserve_1, reserve_2, reserve_3).

    Training normalizes with the batch statistics and reports the Bessel-corrected variance
    (blended with ``mean``/``variance`` when ``exponential_avg_factor`` < 1); inference uses
    the given ``mean``/``variance``. Reserve 1/2 are the mean and (biased) variance used.
    """
    axes, bshape = _bn_layout(x, data_format)
    acc = np.result_type(x.dtype, np.float32)
    xa = x.astype(acc, copy=False)
    if is_training:
        m = xa.mean(axis=axes)
        var = np.maximum(np.square(xa - m.reshape(bshape)).mean(axis=axes), 0)
        n = x.size // max(scale.size, 1)
        unbiased = var * (n / max(n - 1, 1))
        bm, bv = m, unbiased
        f = exponential_avg_factor
        if f != 1.0:
            bm = (1 - f) * np.asarray(mean, acc) + f * m
            bv = (1 - f) * np.asarray(variance, acc) + f * unbiased
    else:
        m, var = np.asarray(mean, acc), np.asarray(variance, acc)
        bm, bv = m, var
    a = scale.astype(acc) / np.sqrt(var + epsilon)
    b = offset.astype(acc) - m * a
    y = (xa * a.reshape(bshape) + b.reshape(bshape)).astype(x.dtype, copy=False)
    sd = scale.dtype
    return (y, bm.astype(sd), bv.astype(sd), m.astype(sd), var.astype(sd), np.zeros(0, sd))


def fused_batch_norm_grad(dy, x, scale, reserve_1, reserve_2, reserve_3, epsilon=1e-4,
                          data_format="NHWC", is_training=True):
    """TF's FusedBatchNormGradV3: (dx, dscale, doffset, reserve_4, reserve_5)."""
    axes, bshape = _bn_layout(x, data_format)
    acc = np.result_type(x.dtype, np.float32)
    dya, xa = dy.astype(acc, copy=False), x.astype(acc, copy=False)
    inv = 1.0 / np.sqrt(reserve_2.astype(acc) + epsilon)
    xhat = (xa - reserve_1.astype(acc).reshape(bshape)) * inv.reshape(bshape)
    doffset = dya.sum(axis=axes)
    dscale = (dya * xhat).sum(axis=axes)
    k = (scale.astype(acc) * inv).reshape(bshape)
    if is_training:
        n = x.size // scale.size
        dx = k * (dya - (doffset / n).reshape(bshape) - xhat * (dscale / n).reshape(bshape))
    else:
        dx = dya * k
    sd = scale.dtype
    return (dx.astype(x.dtype, copy=False), dscale.astype(sd), doffset.astype(sd),
            np.zeros(0, sd), np.zeros(0, sd))
