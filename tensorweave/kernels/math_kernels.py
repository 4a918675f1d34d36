"""Pure NumPy kernels for math ops (no tensorweave types here).

Each returns arrays of the TensorFlow output dtype: integer reductions stay integer, integer
division floors or truncates exactly like TF, float edge cases give inf/nan quietly, and so on.
"""
from __future__ import annotations

import math

import numpy as np

from . import gemm


def _axes(axis, ndim):
    if axis is None:
        return None
    a = np.asarray(axis).reshape(-1)
    return tuple(int(i) + ndim if i < 0 else int(i) for i in a)


def _acc_dtype(dt):
    """Accumulator dtype: float16/bfloat16 sums run in float32, like TF's CPU kernels."""
    return np.float32 if dt.kind == "f" and dt.itemsize < 4 else dt


# ---- reductions ---------------------------------------------------------------------------
def reduce_sum(x, axis, keep_dims=False):
    out = np.sum(x, axis=_axes(axis, x.ndim), keepdims=keep_dims, dtype=_acc_dtype(x.dtype))
    return np.asarray(out).astype(x.dtype, copy=False)


def reduce_prod(x, axis, keep_dims=False):
    out = np.prod(x, axis=_axes(axis, x.ndim), keepdims=keep_dims, dtype=_acc_dtype(x.dtype))
    return np.asarray(out).astype(x.dtype, copy=False)


def _identity_for(x, largest):
    if x.dtype.kind == "f":
        return np.inf if largest else -np.inf
    if x.dtype.kind in "iu":
        info = np.iinfo(x.dtype)
        return info.max if largest else info.min
    return None


def reduce_max(x, axis, keep_dims=False):
    init = _identity_for(x, largest=False) if x.size == 0 else None
    kw = {} if init is None else {"initial": init}
    return np.asarray(np.amax(x, axis=_axes(axis, x.ndim), keepdims=keep_dims, **kw))


def reduce_min(x, axis, keep_dims=False):
    init = _identity_for(x, largest=True) if x.size == 0 else None
    kw = {} if init is None else {"initial": init}
    return np.asarray(np.amin(x, axis=_axes(axis, x.ndim), keepdims=keep_dims, **kw))


def reduce_any(x, axis, keep_dims=False):
    return np.asarray(np.any(x, axis=_axes(axis, x.ndim), keepdims=keep_dims))


def reduce_all(x, axis, keep_dims=False):
    return np.asarray(np.all(x, axis=_axes(axis, x.ndim), keepdims=keep_dims))


def reduce_mean(x, axis, keep_dims=False):
    """Mean; on integers the sum is divided with truncation toward zero (TF), 0 when empty."""
    axes = _axes(axis, x.ndim)
    if x.dtype.kind in "iu":
        wide = np.uint64 if x.dtype.kind == "u" else np.int64
        total = np.asarray(np.sum(x, axis=axes, keepdims=keep_dims, dtype=wide))
        count = x.size // max(total.size, 1) if x.size else 0
        if count == 0:
            return np.zeros(total.shape, x.dtype)
        q = np.abs(total) // count if x.dtype.kind == "i" else total // count
        return (np.sign(total) * q if x.dtype.kind == "i" else q).astype(x.dtype)
    total = np.sum(x, axis=axes, keepdims=keep_dims, dtype=_acc_dtype(x.dtype))
    count = x.size // max(np.size(total), 1) if x.size else 0
    return np.asarray(np.true_divide(total, count)).astype(x.dtype, copy=False)


def arg_max(x, dimension, output_type):
    """Index of the largest value; NaNs never win (TF's comparison-based scan)."""
    if x.dtype.kind == "f":
        x = np.where(np.isnan(x), -np.inf, x)
    return np.argmax(x, axis=int(dimension)).astype(output_type.as_numpy_dtype)


def arg_min(x, dimension, output_type):
    if x.dtype.kind == "f":
        x = np.where(np.isnan(x), np.inf, x)
    return np.argmin(x, axis=int(dimension)).astype(output_type.as_numpy_dtype)


def _scan(fn, identity, x, axis, exclusive, reverse):
    axis = int(axis)
    if x.ndim == 0:
        raise ValueError("Cumulative ops need an input of rank >= 1")
    if reverse:
        x = np.flip(x, axis)
    out = fn(x, axis=axis, dtype=x.dtype)
    if exclusive:
        pad = np.full_like(np.take(out, [0], axis=axis), identity)
        out = np.concatenate([pad, np.delete(out, -1, axis=axis)], axis=axis) if out.shape[axis] \
            else out
    if reverse:
        out = np.flip(out, axis)
    return np.ascontiguousarray(out)


def cumsum(x, axis, exclusive=False, reverse=False):
    return _scan(np.cumsum, 0, x, axis, exclusive, reverse)


def cumprod(x, axis, exclusive=False, reverse=False):
    return _scan(np.cumprod, 1, x, axis, exclusive, reverse)


def logsumexp(x, axis, keep_dims=False):
    axes = _axes(axis, x.ndim)
    m = np.amax(x, axis=axes, keepdims=True)
    m = np.where(np.isfinite(m), m, 0)
    out = np.log(np.sum(np.exp(x - m), axis=axes, keepdims=True)) + m
    if not keep_dims:
        out = np.squeeze(out, axis=axes if axes is not None else None)
    return np.asarray(out, dtype=x.dtype)


# ---- segment reductions ---------------------------------------------------------------------
def _check_segments(data, ids):
    if data.shape[:ids.ndim] != ids.shape:
        raise ValueError(f"data.shape = {list(data.shape)} does not start with segment_ids.shape "
                         f"= {list(ids.shape)}")


def unsorted_segment(reducer: str, data, segment_ids, num_segments):
    """Reduce rows of ``data`` into ``num_segments`` buckets; negative ids are dropped."""
    ids = np.asarray(segment_ids)
    _check_segments(data, ids)
    n = int(num_segments)
    flat_ids = ids.reshape(-1)
    bad = flat_ids >= n
    if np.any(bad):
        i = int(np.argmax(bad))
        raise ValueError(f"segment_ids[{i}] = {flat_ids[i]} is out of range [0, {n})")
    rows = data.reshape((flat_ids.size,) + data.shape[ids.ndim:])
    keep = flat_ids >= 0
    if not np.all(keep):
        rows, flat_ids = rows[keep], flat_ids[keep]
    return _segment_reduce(reducer, rows, flat_ids, n, data.dtype)


def _finite_limit(dtype, largest):
    info = np.finfo(dtype) if np.dtype(dtype).kind == "f" else np.iinfo(dtype)
    return info.max if largest else info.min


def _segment_reduce(reducer, rows, ids, n, dtype):
    shape = (n,) + rows.shape[1:]
    if reducer == "sum":
        out = np.zeros(shape, _acc_dtype(dtype))
        np.add.at(out, ids, rows)
    elif reducer == "prod":
        out = np.ones(shape, dtype)
        np.multiply.at(out, ids, rows)
    elif reducer == "max":  # empty segments hold the lowest finite value, like TF
        out = np.full(shape, _finite_limit(dtype, largest=False), dtype)
        np.maximum.at(out, ids, rows)
    elif reducer == "min":
        out = np.full(shape, _finite_limit(dtype, largest=True), dtype)
        np.minimum.at(out, ids, rows)
    else:
        raise ValueError(f"unknown segment reducer {reducer}")
    return out.astype(dtype, copy=False)


def sorted_segment(reducer: str, data, segment_ids):
    """Segment reduction with sorted ids; empty segments give 0 (as TF's Segment* ops)."""
    ids = np.asarray(segment_ids).reshape(-1)
    if data.ndim == 0 or data.shape[0] != ids.size:
        raise ValueError("segment_ids should be the same size as dimension 0 of input.")
    if ids.size and (np.any(np.diff(ids) < 0) or ids[0] < 0):
        raise ValueError("segment ids are not increasing")
    n = int(ids[-1]) + 1 if ids.size else 0
    if reducer == "mean":
        total = _segment_reduce("sum", data, ids, n, data.dtype)
        counts = np.bincount(ids, minlength=n).reshape((n,) + (1,) * (data.ndim - 1))
        out = total / np.maximum(counts, 1)
        return out.astype(data.dtype) if data.dtype.kind == "f" else (
            np.trunc(out).astype(data.dtype))
    out = _segment_reduce(reducer, data, ids, n, data.dtype)
    if reducer in ("max", "min"):
        empty = np.bincount(ids, minlength=n) == 0
        out[empty] = 0
    return out


# ---- elementwise --------------------------------------------------------------------------
def _raise_if_zero(y):
    if np.any(y == 0):
        raise ZeroDivisionError("Integer division by zero")


def truncate_div(x, y):
    """Division rounding toward zero (TF's TruncateDiv; on floats: trunc(x / y))."""
    if x.dtype.kind in "iu":
        _raise_if_zero(y)
        q = np.floor_divide(x, y)
        fix = (np.remainder(x, y) != 0) & ((x < 0) != (y < 0))
        return (q + fix).astype(x.dtype)
    return np.trunc(np.true_divide(x, y)).astype(x.dtype, copy=False)


def truncate_mod(x, y):
    if x.dtype.kind in "iu":
        _raise_if_zero(y)
    return np.fmod(x, y)


def floor_div(x, y):
    if x.dtype.kind in "iu":
        _raise_if_zero(y)
        return np.floor_divide(x, y)
    return np.floor(np.true_divide(x, y)).astype(x.dtype, copy=False)


def floor_mod(x, y):
    if x.dtype.kind in "iu":
        _raise_if_zero(y)
    return np.mod(x, y)


def real_div(x, y):
    if x.dtype.kind in "iu":
        return truncate_div(x, y)
    return np.true_divide(x, y).astype(x.dtype, copy=False)


def div_no_nan(x, y):
    out = np.true_divide(x, np.where(y == 0, np.ones_like(y), y)).astype(x.dtype, copy=False)
    return np.where(y == 0, np.zeros_like(out), out)


def pow_(x, y):
    if x.dtype.kind in "iu" and np.any(y < 0):
        raise ValueError("Integers to negative integer powers are not allowed")
    return np.power(x, y)


def safe(fn):
    """Wrap a float kernel so its result keeps the input's dtype (IEEE edge cases give inf/nan
    quietly, as in TF: see ``kernels/__init__.py``)."""
    def kernel(*xs):
        return np.asarray(fn(*xs)).astype(xs[0].dtype, copy=False)
    kernel.__name__ = getattr(fn, "__name__", "kernel")
    return kernel


def sigmoid(x):
    return (1.0 / (1.0 + np.exp(-x))).astype(x.dtype, copy=False)


def rsqrt(x):
    return (1.0 / np.sqrt(x)).astype(x.dtype, copy=False)


def _special(name, fallback=None):
    """A scipy.special function (imported on first use) or a per-element ``math`` fallback."""
    def kernel(*xs):
        try:
            from scipy import special
            fn = getattr(special, name)
        except ImportError:
            if fallback is None:
                raise NotImplementedError(f"{name} needs SciPy") from None
            fn = np.vectorize(fallback)
        return np.asarray(fn(*xs)).astype(xs[-1].dtype, copy=False)
    kernel.__name__ = name
    return kernel


erf = _special("erf", math.erf)
erfc = _special("erfc", math.erfc)
lgamma = _special("gammaln", math.lgamma)
digamma = _special("digamma")
polygamma = _special("polygamma")


def round_half_even(x):
    return np.round(x) if x.dtype.kind == "f" else x


def sign(x):
    return np.sign(x)


def xlogy(x, y):
    out = x * np.log(y)
    return np.where(x == 0, np.zeros_like(out), out).astype(x.dtype, copy=False)


def xdivy(x, y):
    out = np.true_divide(x, y)
    return np.where(x == 0, np.zeros_like(out), out).astype(x.dtype, copy=False)


def cast(x, DstT, Truncate=False):
    npdt = DstT.as_numpy_dtype
    if x.dtype.kind == "f" and np.dtype(npdt).kind in "iu":
        return np.trunc(x).astype(npdt)
    if x.dtype.kind == "c" and np.dtype(npdt).kind != "c":
        return np.real(x).astype(npdt)
    return x.astype(npdt, copy=False)


def add_n(*xs):
    out = xs[0] + xs[1] if len(xs) > 1 else xs[0].copy()
    for x in xs[2:]:
        out += x
    return out


def matmul(a, b, transpose_a=False, transpose_b=False, adjoint_a=False, adjoint_b=False):
    if a.ndim < 2 or b.ndim < 2:
        raise ValueError("In[0] and In[1] must have rank >= 2")
    if transpose_a or adjoint_a:
        a = np.swapaxes(a, -1, -2)
        if adjoint_a:
            a = np.conj(a)
    if transpose_b or adjoint_b:
        b = np.swapaxes(b, -1, -2)
        if adjoint_b:
            b = np.conj(b)
    return gemm.matmul(a, b)


def einsum(*xs, equation):
    """NumPy einsum; contraction-path optimisation (BLAS) only where it pays off."""
    optimize = len(xs) > 2 or (len(xs) == 2 and xs[0].size * xs[1].size > 1 << 16)
    out = np.einsum(equation, *xs, optimize=optimize)
    return np.asarray(out).astype(xs[0].dtype, copy=False)


# ---- linear algebra -----------------------------------------------------------------------
def matrix_inverse(x, adjoint=False):
    if adjoint:
        x = np.conj(np.swapaxes(x, -1, -2))
    try:
        return np.linalg.inv(x).astype(x.dtype, copy=False)
    except np.linalg.LinAlgError:
        raise ValueError("Input is not invertible.") from None


def matrix_determinant(x):
    return np.asarray(np.linalg.det(x)).astype(x.dtype, copy=False)


def matrix_solve(a, rhs, adjoint=False):
    if adjoint:
        a = np.conj(np.swapaxes(a, -1, -2))
    try:
        return np.linalg.solve(a, rhs).astype(a.dtype, copy=False)
    except np.linalg.LinAlgError:
        raise ValueError("Input matrix is not invertible.") from None


def matrix_diag(d):
    n = d.shape[-1]
    out = np.zeros(d.shape + (n,), d.dtype)
    idx = np.arange(n)
    out[..., idx, idx] = d
    return out


def matrix_diag_part(x):
    return np.ascontiguousarray(np.diagonal(x, axis1=-2, axis2=-1))


def matrix_set_diag(x, diagonal):
    out = np.array(x, copy=True)
    k = min(x.shape[-2], x.shape[-1])
    idx = np.arange(k)
    out[..., idx, idx] = diagonal
    return out


def matrix_band_part(x, num_lower, num_upper):
    m, n = x.shape[-2], x.shape[-1]
    i = np.arange(m)[:, None]
    j = np.arange(n)[None, :]
    lo, up = int(num_lower), int(num_upper)
    if lo > m - 1 or up > n - 1:
        raise ValueError(f"num_lower ({lo}) must be < rows ({m}) and num_upper ({up}) < cols ({n})")
    keep = np.ones((m, n), dtype=bool)
    if lo >= 0:
        keep &= (i - j) <= lo
    if up >= 0:
        keep &= (j - i) <= up
    return np.where(keep, x, np.zeros((), x.dtype))


def cholesky(x):
    try:
        return np.linalg.cholesky(x).astype(x.dtype, copy=False)
    except np.linalg.LinAlgError:
        raise ValueError("Cholesky decomposition was not successful. The input might not be "
                         "valid.") from None


def matrix_triangular_solve(a, rhs, lower=True, adjoint=False):
    tri = np.tril(a) if lower else np.triu(a)
    if adjoint:
        tri = np.conj(np.swapaxes(tri, -1, -2))
    if a.ndim > 2 or rhs.ndim > 2:
        batch = np.broadcast_shapes(a.shape[:-2], rhs.shape[:-2])
        tri = np.broadcast_to(tri, batch + tri.shape[-2:])
        rhs = np.broadcast_to(rhs, batch + rhs.shape[-2:])
    try:
        return np.linalg.solve(tri, rhs).astype(a.dtype, copy=False)
    except np.linalg.LinAlgError:
        raise ValueError("Input matrix is not invertible.") from None


def log_matrix_determinant(x):
    sign, logdet = np.linalg.slogdet(x)
    return np.asarray(sign).astype(x.dtype), np.asarray(logdet).astype(x.real.dtype)
