"""NumPy kernels of the neural-network ops (activations, softmax, losses, bias, top-k).

Pure NumPy, no tensorweave types. Every kernel keeps its input dtype (float32 stays float32) and
never writes into its inputs. Several sit on the hot path of training loops, so they avoid
temporaries where NumPy allows.
"""
from __future__ import annotations

import numpy as np

from . import fused, threads

SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


# ---- activations and their gradients -------------------------------------------------------
def relu(x):
    return np.maximum(x, 0)


def relu_inplace(x):
    return np.maximum(x, 0, out=x) if x.__class__ is np.ndarray and x.ndim else relu(x)


def relu_grad(g, y):
    """ReluGrad(gradients, features): ``g`` where the output is positive, else 0 (``g * 0``)."""
    loop = _relu_grad_loop(g, y)
    if loop is not None:
        out = np.empty_like(g)
        loop(g.size, fused.ptr(g), fused.ptr(y), fused.ptr(out))
        return out
    return np.multiply(g, y > 0, dtype=g.dtype)


def relu_grad_inplace(g, y):
    loop = _relu_grad_loop(g, y)
    if loop is not None:
        loop(g.size, fused.ptr(g), fused.ptr(y), fused.ptr(g))
        return g
    if g.__class__ is np.ndarray and g.shape == y.shape:
        return np.multiply(g, y > 0, out=g)
    return relu_grad(g, y)


def _c_loop(name, a, b):
    """The C loop ``name`` (``fused.py``) for non-empty C-contiguous ndarrays ``a`` and ``b`` of
    one float dtype, else None."""
    if (a.__class__ is np.ndarray and b.__class__ is np.ndarray and a.size and
            a.dtype == b.dtype and a.flags.c_contiguous and b.flags.c_contiguous):
        return fused.loop(name, a.dtype)
    return None


def _relu_grad_loop(g, y):
    """The one-pass C ReluGrad loop when it covers (g, y), else None. NumPy's form makes a
    boolean temporary and a second pass (~1.4x the time on 1M float32 elements)."""
    return _c_loop("relu_grad", g, y) if np.shape(g) == np.shape(y) else None


def relu6(x):
    return np.clip(x, 0, 6).astype(x.dtype, copy=False)


def relu6_grad(g, x):
    return np.multiply(g, (x > 0) & (x < 6), dtype=g.dtype)


def elu(x):
    neg = np.expm1(np.minimum(x, 0))
    return np.where(x < 0, neg, x).astype(x.dtype, copy=False)


def elu_grad(g, y):
    """EluGrad(gradients, outputs): ``g * (y + 1)`` where ``y < 0``, else ``g``."""
    return np.where(y < 0, g * (y + 1), g).astype(g.dtype, copy=False)


def selu(x):
    dt = x.dtype.type
    neg = dt(SELU_SCALE * SELU_ALPHA) * np.expm1(np.minimum(x, 0))
    return np.where(x < 0, neg, dt(SELU_SCALE) * x).astype(x.dtype, copy=False)


def selu_grad(g, y):
    dt = g.dtype.type
    return np.where(y < 0, g * (y + dt(SELU_SCALE * SELU_ALPHA)), g * dt(SELU_SCALE)).astype(
        g.dtype, copy=False)


def leaky_relu(x, alpha=0.2):
    a = x.dtype.type(alpha)
    return np.where(x > 0, x, x * a).astype(x.dtype, copy=False)


def leaky_relu_grad(g, x, alpha=0.2):
    a = g.dtype.type(alpha)
    return np.where(x > 0, g, g * a).astype(g.dtype, copy=False)


def softplus(x):
    return np.logaddexp(x, x.dtype.type(0))


def softplus_grad(g, x):
    # g * sigmoid(x), written to stay finite for large |x|
    e = np.exp(-np.abs(x))
    sig = np.where(x >= 0, 1 / (1 + e), e / (1 + e))
    return (g * sig).astype(g.dtype, copy=False)


def softsign(x):
    return (x / (1 + np.abs(x))).astype(x.dtype, copy=False)


def softsign_grad(g, x):
    d = 1 + np.abs(x)
    return (g / (d * d)).astype(g.dtype, copy=False)


# ---- softmax family ------------------------------------------------------------------------
def softmax(x):
    """Softmax over the last axis (max-shifted, so it never overflows)."""
    e = x - x.max(axis=-1, keepdims=True)
    np.exp(e, out=e)
    e /= e.sum(axis=-1, keepdims=True)
    return e


def log_softmax(x):
    shifted = x - x.max(axis=-1, keepdims=True)
    lse = np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
    shifted -= lse
    return shifted


def softmax_cross_entropy(features, labels):
    """SoftmaxCrossEntropyWithLogits: (per-row loss, softmax - labels) for 2-D inputs.

    Like TF's op, ``labels`` may broadcast against ``features``.
    """
    if features.ndim != 2 or np.ndim(labels) != 2:
        raise ValueError(f"logits and labels must be 2-dimensional: logits_size="
                         f"{list(features.shape)} labels_size={list(np.shape(labels))}")
    try:
        labels = np.broadcast_to(labels, features.shape)
    except ValueError:
        raise ValueError(f"logits and labels must be broadcastable: logits_size="
                         f"{list(features.shape)} labels_size={list(labels.shape)}") from None
    shifted = features - features.max(axis=1, keepdims=True)
    e = np.exp(shifted)
    s = e.sum(axis=1, keepdims=True)
    log_probs = shifted - np.log(s)
    loss = -(labels * log_probs).sum(axis=1)
    e /= s
    e -= labels
    return loss.astype(features.dtype, copy=False), e


def sparse_softmax_cross_entropy(features, labels):
    """SparseSoftmaxCrossEntropyWithLogits: (loss [batch], backprop [batch, classes])."""
    if features.ndim != 2:
        raise ValueError(f"logits must be 2-D, but got shape {list(features.shape)}")
    if labels.ndim != 1 or labels.shape[0] != features.shape[0]:
        raise ValueError(f"logits and labels must have the same first dimension, got logits "
                         f"shape {list(features.shape)} and labels shape {list(labels.shape)}")
    n, classes = features.shape
    if n and (labels.min() < 0 or labels.max() >= classes):
        bad = labels[(labels < 0) | (labels >= classes)][0]
        shown = " ".join(str(v) for v in labels.ravel()[:10])
        raise ValueError(f"Received a label value of {bad} which is outside the valid range of "
                         f"[0, {classes}).  Label values: {shown}")
    rows = np.arange(n)
    e = features - features.max(axis=1, keepdims=True)
    picked = e[rows, labels]
    np.exp(e, out=e)
    s = e.sum(axis=1)
    loss = np.log(s)
    loss -= picked
    e /= s[:, None]
    e[rows, labels] -= 1
    return loss, e


# ---- bias ----------------------------------------------------------------------------------
def _channel_shape(ndim, data_format):
    if data_format == "NCHW" or data_format == "NCW" or data_format == "NCDHW":
        return (1, -1) + (1,) * (ndim - 2)
    return None


def _bias_for(value, bias, data_format):
    """``bias`` shaped to broadcast over ``value``'s channel axis, after TF's checks."""
    if data_format == "NCHW" and value.ndim < 3:
        raise ValueError(f"Input tensor must be at least 3D for NCHW, got {list(value.shape)}")
    shape = _channel_shape(value.ndim, data_format)
    axis = 1 if shape is not None else -1
    if value.ndim < 2 or bias.ndim != 1 or value.shape[axis] != bias.shape[0]:
        raise ValueError(f"Must provide as many biases as the {'channel' if axis == 1 else 'last'}"
                         f" dimension of the input tensor: {list(bias.shape)} vs. "
                         f"{list(value.shape)}")
    return bias if shape is None else bias.reshape(shape)


def bias_add(value, bias, data_format="NHWC"):
    return value + _bias_for(value, bias, data_format)


def bias_add_inplace(value, bias, data_format="NHWC"):
    """``bias_add`` writing into ``value`` when the dtypes agree."""
    b = _bias_for(value, bias, data_format)
    if value.__class__ is np.ndarray and value.dtype == b.dtype:
        return np.add(value, b, out=value)
    return value + b


_ONES: dict = {}


def _ones(n: int, dtype) -> np.ndarray:
    """A cached read-only vector of ``n`` ones (a slice of the longest one made so far)."""
    have = _ONES.get(dtype)
    if have is None or have.size < n:
        have = _ONES[dtype] = np.ones(max(n, 1024), dtype)
        have.flags.writeable = False
    return have[:n]


def bias_add_grad(out_backprop, data_format="NHWC"):
    """Sum over every axis but the channel one. Channels-last float input is summed as a
    ones-vector GEMV, which BLAS runs ~4x faster than ``ndarray.sum`` over the leading axes."""
    g = out_backprop
    if _channel_shape(g.ndim, data_format) is not None:
        return g.sum(axis=(0,) + tuple(range(2, g.ndim)), dtype=g.dtype)
    if g.dtype in (np.float32, np.float64) and g.flags.c_contiguous and g.size:
        rows = g.reshape(-1, g.shape[-1])
        return _ones(rows.shape[0], g.dtype) @ rows
    return g.sum(axis=tuple(range(g.ndim - 1)), dtype=g.dtype)


# ---- fused pairs (the session plan's fusions, client/fusion.py) ------------------------------
def _channels_last_loop(name, a, b, data_format):
    """``_c_loop`` for a channels-last ``a`` of rank 2 or more."""
    if np.ndim(a) < 2 or _channel_shape(a.ndim, data_format) is not None:
        return None
    return _c_loop(name, a, b)


def _bias_relu(value, bias, data_format, out):
    loop = _channels_last_loop("bias_relu", value, bias, data_format)
    if loop is None or bias.shape != (value.shape[-1],):
        y = bias_add_inplace(out, bias, data_format) if out is value else \
            bias_add(value, bias, data_format)
        return relu_inplace(y)
    if out is None:
        out = np.empty_like(value)
    rows = value.size // bias.size
    threads.run("bias_relu", value.dtype, [value, out, rows, bias.size, bias], rows,
                cost=bias.size)
    return out


def bias_relu(value, bias, data_format="NHWC"):
    """Relu(BiasAdd(value, bias)) in one pass. Usage: ``y = bias_relu(x, b)``."""
    return _bias_relu(value, bias, data_format, None)


def bias_relu_inplace(value, bias, data_format="NHWC"):
    return _bias_relu(value, bias, data_format, value)


def _relu_grad_bias_grad(g, y, data_format, out):
    loop = _channels_last_loop("relu_grad_bias", g, y, data_format)
    if loop is None or g.shape != y.shape:
        dz = relu_grad_inplace(g, y) if out is g else relu_grad(g, y)
        return dz, bias_add_grad(dz, data_format)
    if out is None:
        out = np.empty_like(g)
    c = g.shape[-1]
    rows = g.size // c
    sums = np.empty((threads.num_threads(), c))  # a row of per-channel sums per chunk
    used = threads.run("relu_grad_bias", g.dtype, [g, y, out, rows, c, sums], rows, cost=2 * c)
    return out, sums[:used].sum(axis=0).astype(g.dtype)


def relu_grad_bias_grad(g, y, data_format="NHWC"):
    """(ReluGrad(g, y), BiasAddGrad of it) in one pass. Usage: ``dz, db = ...(g, y)``."""
    return _relu_grad_bias_grad(g, y, data_format, None)


def relu_grad_bias_grad_inplace(g, y, data_format="NHWC"):
    return _relu_grad_bias_grad(g, y, data_format, g)


# ---- losses ------------------------------------------------------------------------------
def l2_loss(t):
    flat = t.reshape(-1)
    return np.asarray(np.dot(flat, flat) / 2, dtype=t.dtype)


# ---- top-k ---------------------------------------------------------------------------------
def _descending_order(x):
    """Stable descending argsort along the last axis; NaN counts as the largest value."""
    if x.dtype.kind == "f":
        key = np.where(np.isnan(x), -np.inf, -x)
        nan_first = np.isnan(x)
        order = np.lexsort((np.broadcast_to(np.arange(x.shape[-1]), x.shape), key, ~nan_first),
                           axis=-1) if nan_first.any() else np.argsort(key, axis=-1, kind="stable")
        return order
    if x.dtype.kind == "u" or x.dtype.kind == "b":
        return np.argsort(-x.astype(np.int64), axis=-1, kind="stable")
    return np.argsort(-x.astype(np.int64) if x.dtype.itemsize < 8 else -x, axis=-1, kind="stable")


def top_k(x, k, sorted=True):  # noqa: A002 - TF's attr name
    k = int(k)
    if k < 0:
        raise ValueError(f"Need k >= 0, got {k}")
    if x.ndim < 1:
        raise ValueError("input must be at least 1-D")
    if x.shape[-1] < k:
        raise ValueError(f"input must have at least k columns. Had {x.shape[-1]}, needed {k}")
    idx = _descending_order(x)[..., :k].astype(np.int32)
    return np.take_along_axis(x, idx, axis=-1), idx


def in_top_k(predictions, targets, k):
    k = int(k)
    batch, classes = predictions.shape
    t = np.asarray(targets).astype(np.int64)
    valid = (t >= 0) & (t < classes)
    safe_t = np.where(valid, t, 0)
    target_pred = predictions[np.arange(batch), safe_t]
    finite_row = np.isfinite(predictions).all(axis=1)
    more = (predictions > target_pred[:, None]).sum(axis=1)
    return valid & finite_row & (more < k)


# ---- local response normalization ----------------------------------------------------------
def _window_sum(v, radius):
    """Sum over the window [d - radius, d + radius] of the last axis (clipped at the edges)."""
    depth = v.shape[-1]
    c = np.cumsum(v, axis=-1, dtype=np.float64)
    c = np.concatenate([np.zeros(v.shape[:-1] + (1,)), c], axis=-1)
    hi = np.minimum(np.arange(depth) + radius + 1, depth)
    lo = np.maximum(np.arange(depth) - radius, 0)
    return c[..., hi] - c[..., lo]


def lrn(x, depth_radius=5, bias=1.0, alpha=1.0, beta=0.5):
    """LRN: x / (bias + alpha * sum of squares over a window of channels) ** beta."""
    if x.ndim != 4:
        raise ValueError(f"input must be 4-dimensional, got shape {list(x.shape)}")
    norm = bias + alpha * _window_sum(x.astype(np.float64) ** 2, depth_radius)
    return (x * norm ** -beta).astype(x.dtype, copy=False)


def lrn_grad(grads, x, y, depth_radius=5, bias=1.0, alpha=1.0, beta=0.5):
    """Gradient of LRN w.r.t. its input (``y`` unused: recomputed in float64 for accuracy)."""
    x64 = x.astype(np.float64)
    g64 = grads.astype(np.float64)
    norm = bias + alpha * _window_sum(x64 ** 2, depth_radius)
    inner = _window_sum(g64 * x64 * norm ** (-beta - 1), depth_radius)
    out = g64 * norm ** -beta - 2 * alpha * beta * x64 * inner
    return out.astype(grads.dtype, copy=False)
