"""NumPy kernels of TF's fused batch normalization (``FusedBatchNormV3`` and its gradient).

Usage: ``y, mean, var, r1, r2, r3 = fused_batch_norm(x, scale, offset, mean, var)``.
Statistics are taken over every axis but the channel axis ("NC..." or "N...C" layouts) and
accumulated in at least float32, as TF does for half-precision inputs.

Channels-last float32/float64 C-contiguous inputs take the C loops (``fused.py``): three
passes over memory forward and two back instead of NumPy's ~6 and ~10, with the statistics
accumulated in float64. The NumPy code below is the reference and the fallback; the
per-channel arithmetic on the (C,) vectors is shared.
"""
from __future__ import annotations

from typing import Optional

import numpy as np

from . import fused, threads
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
    rows = _compiled_rows(x, data_format, scale)
    xa = x.astype(acc, copy=False)
    if is_training:
        if rows is not None:
            m, var = _channel_moments(rows, acc)
        else:
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
    if rows is not None and a.shape == b.shape == scale.shape:
        y = _affine(x, a, b)
    else:
        y = (xa * a.reshape(bshape) + b.reshape(bshape)).astype(x.dtype, copy=False)
    sd = scale.dtype
    return (y, bm.astype(sd), bv.astype(sd), m.astype(sd), var.astype(sd), np.zeros(0, sd))


def fused_batch_norm_grad(dy, x, scale, reserve_1, reserve_2, reserve_3, epsilon=1e-4,
                          data_format="NHWC", is_training=True):
    """TF's FusedBatchNormGradV3: (dx, dscale, doffset, reserve_4, reserve_5)."""
    axes, bshape = _bn_layout(x, data_format)
    acc = np.result_type(x.dtype, np.float32)
    inv = 1.0 / np.sqrt(reserve_2.astype(acc) + epsilon)
    k = scale.astype(acc) * inv
    rows = _compiled_rows(x, data_format, scale, reserve_1, reserve_2)
    if rows is not None and np.shape(dy) == x.shape:
        dx, dscale, doffset = _batch_norm_grad_compiled(dy, x, rows, reserve_1.astype(acc), inv,
                                                         k, is_training)
    else:
        dya, xa = dy.astype(acc, copy=False), x.astype(acc, copy=False)
        xhat = (xa - reserve_1.astype(acc).reshape(bshape)) * inv.reshape(bshape)
        doffset = dya.sum(axis=axes)
        dscale = (dya * xhat).sum(axis=axes)
        kb = k.reshape(bshape)
        if is_training:
            n = x.size // scale.size
            dx = kb * (dya - (doffset / n).reshape(bshape) - xhat * (dscale / n).reshape(bshape))
        else:
            dx = dya * kb
    sd = scale.dtype
    return (dx.astype(x.dtype, copy=False), dscale.astype(sd), doffset.astype(sd),
            np.zeros(0, sd), np.zeros(0, sd))


# ---- C path (channels-last, float32/float64, C-contiguous) -------------------------------
def _compiled_rows(x, data_format, *vectors) -> Optional[np.ndarray]:
    """``x`` as a (rows, C) view when the C loops cover it (and are built), else None.

    ``vectors`` (scale, reserve means...) must hold one value per channel.
    """
    if (x.__class__ is not np.ndarray or x.ndim < 2 or x.size == 0 or not x.flags.c_contiguous
            or (channels_first(data_format) and x.ndim > 2)
            or fused.loop("channel_affine", x.dtype) is None):
        return None
    c = x.shape[-1]
    if any(np.ndim(v) != 1 or np.size(v) != c for v in vectors):
        return None
    return x.reshape(-1, c)


def _channel_moments(rows, acc):
    """Per-channel (mean, biased variance) of a (rows, C) view: two passes, float64 sums,
    split over the thread pool by rows (a row of partial sums per chunk)."""
    n, c = rows.shape
    parts = threads.num_threads()
    s1, s2 = np.empty((parts, c)), np.empty((parts, c))
    used = threads.run("channel_moments", rows.dtype, [rows, n, c, s1, 0, 0], n, cost=c)
    mean = s1[:used].sum(axis=0) / n
    used = threads.run("channel_moments", rows.dtype, [rows, n, c, s1, mean, s2], n, cost=c)
    return mean.astype(acc), (s2[:used].sum(axis=0) / n).astype(acc)


def _affine(u, a, b, v=None, vb=None):
    """u * a + b (+ v * vb) with per-channel (C,) vectors, channels-last contiguous ``u``/``v``."""
    t = u.dtype
    a, b = a.astype(t, copy=False), b.astype(t, copy=False)
    vb = None if v is None else vb.astype(t, copy=False)
    out = np.empty_like(u)
    rows, c = u.size // a.size, a.size
    threads.run("channel_affine", t, [u, 0 if v is None else v, out, rows, c, a, b,
                                      0 if v is None else vb], rows, cost=2 * c)
    return out


def _batch_norm_grad_compiled(dy, x, rows, mean, inv, k, is_training):
    """(dx, dscale, doffset) in two passes: float64 sums of dy and dy * (x - mean), then dx."""
    dy = np.ascontiguousarray(dy, x.dtype)
    n, c = rows.shape
    parts = threads.num_threads()
    sum_dy, sum_dyx = np.empty((parts, c)), np.empty((parts, c))  # a row per chunk
    mean64 = np.ascontiguousarray(mean, np.float64)
    used = threads.run("channel_grad_sums", x.dtype, [dy, rows, n, c, mean64, sum_dy, sum_dyx],
                       n, cost=2 * c)
    doffset = sum_dy[:used].sum(axis=0).astype(k.dtype)
    dscale = (sum_dyx[:used].sum(axis=0) * inv).astype(k.dtype)
    if not is_training:
        return _affine(dy, k, np.zeros_like(k)), dscale, doffset
    # dx = k * (dy - doffset/n - xhat * dscale/n) = dy * k + x * p + (q - p * mean)
    p, q = -k * inv * (dscale / n), -k * (doffset / n)
    return _affine(dy, k, q - p * mean, x, p), dscale, doffset
