"""NumPy kernels for convolution and pooling (any number of spatial dims: 1-D, 2-D, 3-D).

Usage: ``conv_forward(x, f, strides=[1, 1, 1, 1], padding="SAME")``.

Convolutions are one GEMM over an im2col copy taken from a strided window view of the padded
input, so BLAS does the arithmetic; gradients w.r.t. the input scatter the GEMM result back
with one slice-add per kernel tap (a loop over the window, never over pixels or examples).
Pooling loops over the window taps with vectorized ``maximum``/``add``. All arrays are handled
channels-last inside; ``data_format`` "NC..." inputs are transposed in and out.
Large temporaries (im2col matrices, padded copies, masks) live in per-thread scratch buffers
that are reused from call to call: a fresh multi-megabyte allocation costs a page fault per
4 KiB on every call, which measurably slows a training step. Scratch never escapes a kernel.
When the optional C loops are built (``fused.py``), 2-D max pooling, its gradient, and the
im2col copy and col2im scatter of 2-D convolutions use them for float32/float64; everything
else, and every case without them, takes the NumPy path below, which defines the semantics.
1x1 stride-1 convolutions skip both copies: they are one GEMM over the pixels.
"""
from __future__ import annotations

import itertools
import threading

import numpy as np
from numpy.lib.stride_tricks import as_strided

from . import fused, gemm, threads
from .nn_kernels import relu_grad_bias_grad

__all__ = ["out_size", "conv_forward", "conv_backprop_input", "conv_backprop_filter",
           "depthwise_forward", "depthwise_backprop_input", "depthwise_backprop_filter",
           "max_pool", "max_pool_grad", "max_pool_grad_grad", "max_pool_grad_relu_bias_grad",
           "avg_pool", "avg_pool_grad"]


_LOCAL = threading.local()
_SCRATCH_MAX = 1 << 26  # bytes; larger temporaries are allocated per call


def _scratch(slot: str, shape, dtype) -> np.ndarray:
    """An uninitialized per-thread temporary for ``slot`` (reused; never returned to callers)."""
    dtype = np.dtype(dtype)
    nbytes = int(np.prod(shape)) * dtype.itemsize
    if nbytes > _SCRATCH_MAX:
        return np.empty(shape, dtype)
    bufs = _LOCAL.__dict__.setdefault("bufs", {})
    buf = bufs.get(slot)
    if buf is None or buf.nbytes < nbytes:
        buf = bufs[slot] = np.empty(max(nbytes, 64), np.uint8)
    return buf[:nbytes].view(dtype).reshape(shape)


# ---- geometry -----------------------------------------------------------------------------
def channels_first(data_format: str) -> bool:
    return data_format.startswith("NC")


def spatial(values, data_format: str, nd: int):
    """The spatial entries of a full-rank attr list (strides, dilations, ksize)."""
    values = list(values)
    return values[2:2 + nd] if channels_first(data_format) else values[1:1 + nd]


def out_size(size: int, k: int, s: int, d: int, padding: str, explicit=(0, 0)):
    """(output size, pad_before, pad_after) of one spatial dim, TF's rule (SAME pads the extra
    cell after)."""
    eff = (k - 1) * d + 1
    if padding == "SAME":
        out = -(-size // s)
        total = max((out - 1) * s + eff - size, 0)
        return out, total // 2, total - total // 2
    lo, hi = (0, 0) if padding == "VALID" else (int(explicit[0]), int(explicit[1]))
    padded = size + lo + hi
    if padded < eff:
        raise ValueError(f"Computed output size would be negative: {(padded - eff) // s + 1} "
                         f"[input_size: {size}, effective_filter_size: {eff}, stride: {s}]")
    return (padded - eff) // s + 1, lo, hi


def _geometry(in_sp, k_sp, s_sp, d_sp, padding, explicit_paddings, data_format):
    nd = len(in_sp)
    if padding == "EXPLICIT":
        pairs = np.reshape(np.asarray(explicit_paddings, dtype=np.int64), [-1, 2])
        pairs = pairs[2:2 + nd] if channels_first(data_format) else pairs[1:1 + nd]
    else:
        pairs = [(0, 0)] * nd
    geo = [out_size(n, k, s, d, padding, p) for n, k, s, d, p in
           zip(in_sp, k_sp, s_sp, d_sp, pairs)]
    return [g[0] for g in geo], [(g[1], g[2]) for g in geo]


def _to_last(x, data_format):
    return np.moveaxis(x, 1, -1) if channels_first(data_format) else x


def _from_last(x, data_format):
    return np.ascontiguousarray(np.moveaxis(x, -1, 1)) if channels_first(data_format) else x


def _pad(x, pads, value=0, slot=None):
    """Pad the spatial dims of a channels-last array (no copy when there is no padding); with
    ``slot`` the result is a scratch temporary."""
    if not any(lo or hi for lo, hi in pads):
        return x
    shape = (x.shape[0],) + tuple(n + lo + hi for n, (lo, hi) in zip(x.shape[1:-1], pads)) + \
        (x.shape[-1],)
    out = np.empty(shape, x.dtype) if slot is None else _scratch(slot, shape, x.dtype)
    out.fill(value)
    out[(slice(None),) + tuple(slice(lo, lo + n) for n, (lo, _) in zip(x.shape[1:-1], pads))] = x
    return out


def _crop(xp, in_sp, pads):
    return xp[(slice(None),) + tuple(slice(lo, lo + n) for n, (lo, _) in zip(in_sp, pads))]


def _windows(xp, out_sp, k_sp, s_sp, d_sp):
    """Read-only view (N, *out, *k, C) of every window of the padded channels-last ``xp``."""
    st = xp.strides
    sp = st[1:-1]
    shape = (xp.shape[0], *out_sp, *k_sp, xp.shape[-1])
    strides = (st[0], *[a * s for a, s in zip(sp, s_sp)], *[a * d for a, d in zip(sp, d_sp)],
               st[-1])
    return as_strided(xp, shape, strides, writeable=False)


def _tap_slices(k_sp, out_sp, s_sp, d_sp):
    """(tap index, slice tuple into the padded input) for every kernel tap, in row-major order."""
    for tap in itertools.product(*[range(k) for k in k_sp]):
        yield tap, (slice(None),) + tuple(
            slice(t * d, t * d + s * (o - 1) + 1, s) for t, o, s, d in zip(tap, out_sp, s_sp, d_sp))


def _prepare(x, k_sp, strides, padding, dilations, data_format, explicit_paddings=()):
    nd = len(k_sp)
    x = _to_last(x, data_format)
    s_sp = spatial(strides, data_format, nd)
    d_sp = spatial(dilations, data_format, nd) if dilations else [1] * nd
    out_sp, pads = _geometry(x.shape[1:-1], k_sp, s_sp, d_sp, padding, explicit_paddings,
                             data_format)
    return x, s_sp, d_sp, out_sp, pads


_TAP_MAJOR_MAX_C = 4  # below this many channels, window-major copies have too short rows


def _im2col_blocks(x, k_sp, s_sp, d_sp, out_sp, pads):
    """(example slice, (n * out pixels, taps * C) patch matrix) per block of examples; the
    patch matrix lives in a scratch buffer of at most about ``_SCRATCH_MAX`` bytes. With few
    channels it is built tap-major (one long-row copy per tap) and returned transposed; 2-D
    ones with more channels use the C loop when built (no padded copy: 2x on SAME convs)."""
    c = x.shape[-1]
    if _pointwise(k_sp, s_sp, pads) and x.flags.c_contiguous:  # 1x1 stride 1: x is the matrix
        yield slice(0, x.shape[0]), x.reshape(-1, c)
        return
    im2col = fused.loop("patches", x.dtype) if len(k_sp) == 2 and c >= _TAP_MAJOR_MAX_C \
        else None
    if im2col is not None:
        x = np.ascontiguousarray(x)
        width, rows = int(np.prod(k_sp)) * c, out_sp[0] * out_sp[1]
        step = max(1, _SCRATCH_MAX // max(rows * width * x.itemsize, 1))
        for i in range(0, x.shape[0], step):
            m = min(step, x.shape[0] - i)
            cols = _scratch("cols", (m * rows, width), x.dtype)
            im2col(fused.ptr(x[i:i + m]), fused.ptr(cols), m, *x.shape[1:], *out_sp, *k_sp,
                   *s_sp, *d_sp, pads[0][0], pads[1][0], 0)
            yield slice(i, i + m), cols
        return
    xp = _pad(x, pads, slot="pad")
    view = _windows(xp, out_sp, k_sp, s_sp, d_sp)
    per = max(view[:1].size * view.itemsize, 1)
    step = max(1, _SCRATCH_MAX // per)
    width = int(np.prod(k_sp)) * c
    taps = list(_tap_slices(k_sp, out_sp, s_sp, d_sp)) if c < _TAP_MAJOR_MAX_C else None
    for i in range(0, x.shape[0], step):
        b = slice(i, i + step)
        if taps is not None:
            n = len(range(*b.indices(x.shape[0])))
            cols_t = _scratch("cols", (len(taps), c, n, *out_sp), x.dtype)
            for t, (_, sl) in enumerate(taps):
                np.copyto(cols_t[t], np.moveaxis(xp[sl][b], -1, 0))
            yield b, cols_t.reshape(width, -1).T
            continue
        part = view[b]
        cols = _scratch("cols", part.shape, x.dtype)
        np.copyto(cols, part)
        yield b, cols.reshape(-1, width)


def _pointwise(k_sp, s_sp, pads) -> bool:
    """A 1x1 (x1) convolution with stride 1 and no padding: a plain GEMM over the pixels."""
    return all(k == 1 for k in k_sp) and all(s == 1 for s in s_sp) and \
        not any(lo or hi for lo, hi in pads)


_BLOCK_BYTES = 1 << 19  # im2col rows per GEMM in the C path: a block of examples this large


def _c_conv(k_sp, s_sp, pads, a, b) -> bool:
    """Whether a convolution runs as C chunks (2-D, not 1x1/stride 1, one float dtype, C loops
    and a BLAS they can call)."""
    return len(k_sp) == 2 and not _pointwise(k_sp, s_sp, pads) and a.dtype == b.dtype \
        and fused.loop("patches", a.dtype) is not None and threads.c_gemm()


def _conv2d_chunks(name, image_shape, out_sp, k_sp, s_sp, d_sp, pads, o, dtype, arrays) -> int:
    """Run C chunk ``conv_<name>`` over the examples: im2col GEMMs, a block of examples at a
    time through per-thread scratch (patches tap-major for few channels). Returns how many
    chunks ran."""
    n, h, w, c = image_shape
    rows, width = out_sp[0] * out_sp[1], k_sp[0] * k_sp[1] * c
    itemsize = np.dtype(dtype).itemsize
    block = max(1, min(n, _BLOCK_BYTES // max(rows * width * itemsize, 1)))
    scratch = _scratch("cols", (threads.num_threads() * block * rows * width,), dtype)
    return threads.run(f"conv_{name}", dtype,
                       [n, h, w, c, *out_sp, *k_sp, *s_sp, *d_sp, pads[0][0], pads[1][0], o,
                        block, scratch, *arrays, int(c < _TAP_MAJOR_MAX_C)], n,
                       cost=rows * width * o / gemm.MACS_PER_TOUCH)


def _sizes(sizes, data_format):
    """A full input shape from a backprop op's ``*_sizes`` input, channels-last."""
    sizes = [int(v) for v in np.reshape(sizes, [-1])]
    return [sizes[0]] + sizes[2:] + [sizes[1]] if channels_first(data_format) else sizes


# ---- convolution --------------------------------------------------------------------------
def conv_forward(x, f, strides, padding, dilations=None, data_format="NHWC",
                 explicit_paddings=()):
    """Cross-correlation of ``x`` (N, *spatial, C) with ``f`` (*k, C, O)."""
    k_sp = f.shape[:-2]
    x, s_sp, d_sp, out_sp, pads = _prepare(x, k_sp, strides, padding, dilations, data_format,
                                           explicit_paddings)
    if x.shape[-1] != f.shape[-2]:
        raise ValueError(f"input depth {x.shape[-1]} does not match filter in-depth {f.shape[-2]}")
    o = f.shape[-1]
    f2 = f.reshape(-1, o)
    out = np.empty((x.shape[0], *out_sp, o), np.result_type(x, f))
    if _c_conv(k_sp, s_sp, pads, x, f) and x.shape[0]:
        _conv2d_chunks("forward", x.shape, out_sp, k_sp, s_sp, d_sp, pads, o, x.dtype,
                       [np.ascontiguousarray(x), np.ascontiguousarray(f2), out])
        return _from_last(out, data_format)
    for b, cols in _im2col_blocks(x, k_sp, s_sp, d_sp, out_sp, pads):
        np.matmul(cols, f2, out=out[b].reshape(-1, o))
    return _from_last(out, data_format)


def conv_backprop_filter(x, filter_sizes, dy, strides, padding, dilations=None,
                         data_format="NHWC", explicit_paddings=()):
    """Gradient of ``conv_forward`` w.r.t. the filter: im2col(x)^T @ dy."""
    fshape = [int(v) for v in np.reshape(filter_sizes, [-1])]
    k_sp = fshape[:-2]
    x, s_sp, d_sp, out_sp, pads = _prepare(x, k_sp, strides, padding, dilations, data_format,
                                           explicit_paddings)
    dy = _to_last(dy, data_format)
    if _c_conv(k_sp, s_sp, pads, x, dy) and x.shape[0]:
        width, o = int(np.prod(fshape[:-1])), fshape[-1]
        parts = np.empty((threads.num_threads(), width, o), x.dtype)
        used = _conv2d_chunks("filter", x.shape, out_sp, k_sp, s_sp, d_sp, pads, o, x.dtype,
                              [np.ascontiguousarray(x), np.ascontiguousarray(dy), parts])
        df = parts[0]
        for part in parts[1:used]:
            df += part
        return df.reshape(fshape)
    df = None
    for b, cols in _im2col_blocks(x, k_sp, s_sp, d_sp, out_sp, pads):
        part = np.matmul(cols.T, dy[b].reshape(-1, fshape[-1]))
        df = part if df is None else df + part
    if df is None:  # no examples
        df = np.zeros((int(np.prod(fshape[:-1])), fshape[-1]), np.result_type(x, dy))
    return df.reshape(fshape).astype(np.result_type(x, dy), copy=False)


def conv_backprop_input(input_sizes, f, dy, strides, padding, dilations=None,
                        data_format="NHWC", explicit_paddings=()):
    """Gradient of ``conv_forward`` w.r.t. the input (also ``conv2d_transpose``)."""
    shape = _sizes(input_sizes, data_format)
    k_sp = f.shape[:-2]
    nd = len(k_sp)
    s_sp = spatial(strides, data_format, nd)
    d_sp = spatial(dilations, data_format, nd) if dilations else [1] * nd
    out_sp, pads = _geometry(shape[1:-1], k_sp, s_sp, d_sp, padding, explicit_paddings,
                             data_format)
    dy = _to_last(dy, data_format)
    n, c, o = shape[0], f.shape[-2], f.shape[-1]
    dy2 = dy.reshape(-1, o)
    dtype = np.result_type(dy, f)
    if _pointwise(k_sp, s_sp, pads):  # 1x1 stride 1: dx = dy @ f^T, nothing to scatter
        dx = gemm.matmul(dy2, f.reshape(c, o).T.astype(dtype, copy=False))
        return _from_last(dx.reshape(shape), data_format)
    if _c_conv(k_sp, s_sp, pads, dy, f) and n > 0:
        dx = np.zeros(shape, dtype)
        _conv2d_chunks("input", shape, out_sp, k_sp, s_sp, d_sp, pads, o, dtype,
                       [dx, np.ascontiguousarray(f.reshape(-1, o)), np.ascontiguousarray(dy)])
        return _from_last(dx, data_format)
    col2im = fused.loop("patches", dtype) if nd == 2 and n > 0 else None
    if col2im is not None:
        return _from_last(_backprop_input_col2im(col2im, shape, f.astype(dtype, copy=False),
                                                 dy2, out_sp, s_sp, d_sp, pads), data_format)
    padded = (n,) + tuple(m + lo + hi for m, (lo, hi) in zip(shape[1:-1], pads)) + (c,)
    if any(lo or hi for lo, hi in pads):
        dxp = _scratch("pad", padded, dtype)
        dxp.fill(0)
    else:
        dxp = np.zeros(padded, dtype)
    tmp = _scratch("tap", (dy2.shape[0], c), dtype)
    for tap, sl in _tap_slices(k_sp, out_sp, s_sp, d_sp):  # one small GEMM per tap: faster
        np.matmul(dy2, f[tap].T, out=tmp)                    # than one GEMM + col2im
        dxp[sl] += tmp.reshape(n, *out_sp, c)
    dx = _crop(dxp, shape[1:-1], pads).copy() if dxp.base is not None else dxp
    return _from_last(dx, data_format)


def _backprop_input_col2im(col2im, shape, f, dy2, out_sp, s_sp, d_sp, pads):
    """2-D input gradient as one GEMM per block of examples, dy @ f^T -> patch rows, then
    a C col2im scatter-add (one wide GEMM instead of one narrow GEMM per tap)."""
    n, h, w, c = shape
    (kh, kw), o = f.shape[:2], f.shape[-1]
    ft = f.reshape(-1, o).T
    dx = np.zeros(shape, ft.dtype)
    rows = out_sp[0] * out_sp[1]
    step = max(1, _SCRATCH_MAX // max(rows * ft.shape[1] * ft.itemsize, 1))
    for i in range(0, n, step):
        m = min(step, n - i)
        cols = _scratch("cols", (m * rows, ft.shape[1]), ft.dtype)
        np.matmul(dy2[i * rows:(i + m) * rows], ft, out=cols)
        col2im(fused.ptr(dx[i:i + m]), fused.ptr(cols), m, h, w, c, out_sp[0], out_sp[1],
               kh, kw, s_sp[0], s_sp[1], d_sp[0], d_sp[1], pads[0][0], pads[1][0], 1)
    return dx


def _blocks(a, target_bytes: int = 1 << 19):
    """Slices of ``a``'s first axis with about ``target_bytes`` each (cache blocking)."""
    per = max(a[:1].size * a.itemsize, 1)
    step = max(1, target_bytes // per)
    return [slice(i, i + step) for i in range(0, a.shape[0], step)]


# ---- depthwise convolution ----------------------------------------------------------------
def depthwise_forward(x, f, strides, padding, dilations=None, data_format="NHWC",
                      explicit_paddings=()):
    """Per-channel convolution: ``f`` is (*k, C, M); output has C * M channels (c-major)."""
    k_sp = f.shape[:-2]
    x, s_sp, d_sp, out_sp, pads = _prepare(x, k_sp, strides, padding, dilations, data_format,
                                           explicit_paddings)
    xp = _pad(x, pads, slot="pad")
    c, m = f.shape[-2:]
    dtype = np.result_type(x, f)
    out = np.empty((x.shape[0], *out_sp, c, m), dtype)
    taps = list(_tap_slices(k_sp, out_sp, s_sp, d_sp))
    for b in _blocks(out[..., 0]):  # cache-sized blocks of examples: every tap while resident
        tmp = _scratch("tap", out[b, ..., 0].shape, dtype)
        for j in range(m):
            o = out[b, ..., j]
            for t, (tap, sl) in enumerate(taps):
                xs = xp[sl][b]
                if t == 0:
                    np.multiply(xs, f[tap][:, j], out=o)
                else:
                    np.multiply(xs, f[tap][:, j], out=tmp)
                    o += tmp
    return _from_last(out.reshape(x.shape[0], *out_sp, c * m), data_format)


def depthwise_backprop_input(input_sizes, f, dy, strides, padding, dilations=None,
                             data_format="NHWC", explicit_paddings=()):
    """Gradient of ``depthwise_forward`` w.r.t. its input."""
    shape = _sizes(input_sizes, data_format)
    k_sp = f.shape[:-2]
    nd = len(k_sp)
    s_sp = spatial(strides, data_format, nd)
    d_sp = spatial(dilations, data_format, nd) if dilations else [1] * nd
    out_sp, pads = _geometry(shape[1:-1], k_sp, s_sp, d_sp, padding, explicit_paddings,
                             data_format)
    c, m = f.shape[-2:]
    dy = _to_last(dy, data_format).reshape(shape[0], *out_sp, c, m)
    dtype = np.result_type(dy, f)
    padded = (shape[0],) + tuple(a + lo + hi for a, (lo, hi) in zip(shape[1:-1], pads)) + (c,)
    if any(lo or hi for lo, hi in pads):
        dxp = _scratch("pad", padded, dtype)
        dxp.fill(0)
    else:
        dxp = np.zeros(padded, dtype)
    taps = list(_tap_slices(k_sp, out_sp, s_sp, d_sp))
    for b in _blocks(dy[..., 0]):  # cache blocking over examples
        tmp = _scratch("tap", dy[b, ..., 0].shape, dtype)
        for j in range(m):
            for tap, sl in taps:
                np.multiply(dy[b, ..., j], f[tap][:, j], out=tmp)
                dxp[sl][b] += tmp
    dx = _crop(dxp, shape[1:-1], pads).copy() if dxp.base is not None else dxp
    return _from_last(dx, data_format)


def depthwise_backprop_filter(x, filter_sizes, dy, strides, padding, dilations=None,
                              data_format="NHWC", explicit_paddings=()):
    """Gradient of ``depthwise_forward`` w.r.t. its filter."""
    fshape = [int(v) for v in np.reshape(filter_sizes, [-1])]
    k_sp = fshape[:-2]
    x, s_sp, d_sp, out_sp, pads = _prepare(x, k_sp, strides, padding, dilations, data_format,
                                           explicit_paddings)
    xp = _pad(x, pads, slot="pad")
    c, m = fshape[-2:]
    dy = _to_last(dy, data_format).reshape(x.shape[0], *out_sp, c, m)
    df = np.zeros(fshape, dtype=np.result_type(x, dy))
    taps = list(_tap_slices(k_sp, out_sp, s_sp, d_sp))
    for b in _blocks(dy[..., 0]):  # cache blocking over examples
        tmp = _scratch("tap", dy[b, ..., 0].shape, df.dtype)
        axes = tuple(range(tmp.ndim - 1))
        for j in range(m):
            for tap, sl in taps:
                np.multiply(xp[sl][b], dy[b, ..., j], out=tmp)
                df[tap + (slice(None), j)] += tmp.sum(axis=axes)
    return df


# ---- pooling ------------------------------------------------------------------------------
def _pool_setup(x, ksize, strides, padding, data_format):
    nd = x.ndim - 2
    x = _to_last(x, data_format)
    k_sp = spatial(ksize, data_format, nd)
    s_sp = spatial(strides, data_format, nd)
    out_sp, pads = _geometry(x.shape[1:-1], k_sp, s_sp, [1] * nd, padding, (), data_format)
    return x, k_sp, s_sp, out_sp, pads


def _lowest(dtype):
    return -np.inf if np.dtype(dtype).kind == "f" else np.iinfo(dtype).min


def max_pool(x, ksize, strides, padding, data_format="NHWC"):
    """Maximum over each window (padding never wins)."""
    x, k_sp, s_sp, out_sp, pads = _pool_setup(x, ksize, strides, padding, data_format)
    loop = _pool_loop("max_pool", x)
    if loop is not None:
        x = np.ascontiguousarray(x)
        out = np.empty((x.shape[0], *out_sp, x.shape[-1]), x.dtype)
        threads.run("max_pool", x.dtype, [x, out, *x.shape, *out_sp, *k_sp, *s_sp, pads[0][0],
                                          pads[1][0]], x.shape[0], cost=x[0].size)
        return _from_last(out, data_format)
    xp = _pad(x, pads, _lowest(x.dtype), slot="pad")
    out = None
    for _, sl in _tap_slices(k_sp, out_sp, s_sp, [1] * len(k_sp)):
        out = xp[sl].copy() if out is None else np.maximum(out, xp[sl], out=out)
    return _from_last(out, data_format)


def _pool_loop(name, x):
    """The C 2-D window loop ``name`` when it applies to the channels-last ``x``."""
    if x.ndim != 4 or x.size == 0:
        return None
    return fused.loop(name, x.dtype)


def _first_max_masks(x, y, k_sp, s_sp, out_sp, pads):
    """(tap slice, mask) per kernel tap: the mask marks windows whose first maximal cell
    (row-major tap order, as TF) is that tap; ``y`` is the pooled maximum."""
    xp = _pad(x, pads, _lowest(x.dtype), slot="pad")
    taken = None
    taps = list(_tap_slices(k_sp, out_sp, s_sp, [1] * len(k_sp)))
    hit = _scratch("hit", y.shape, bool)
    for t, (_, sl) in enumerate(taps):
        np.equal(xp[sl], y, out=hit)
        if taken is None:
            taken = _scratch("taken", y.shape, bool)
            np.copyto(taken, hit)
        else:
            np.greater(hit, taken, out=hit)  # hit and not yet taken
            if t + 1 < len(taps):
                taken |= hit
        yield sl, hit


def max_pool_grad(orig_input, orig_output, grad, ksize, strides, padding, data_format="NHWC"):
    """Gradient of ``max_pool``: each window's gradient goes to its first maximal cell."""
    x, k_sp, s_sp, out_sp, pads = _pool_setup(orig_input, ksize, strides, padding, data_format)
    y, g = _to_last(orig_output, data_format), _to_last(grad, data_format)
    loop = _pool_loop("max_pool_grad", x)
    if loop is not None and y.dtype == x.dtype == g.dtype:
        x, y, g = (np.ascontiguousarray(a) for a in (x, y, g))
        disjoint = all(s >= k for s, k in zip(s_sp, k_sp))
        covered = disjoint and all(  # every input cell in exactly one window: no zero fill
            s == k and o * k == n and lo == 0
            for s, k, o, n, (lo, _) in zip(s_sp, k_sp, y.shape[1:3], x.shape[1:3], pads))
        dx = np.empty(x.shape, x.dtype) if covered else np.zeros(x.shape, x.dtype)
        threads.run("max_pool_grad", x.dtype,
                    [x, y, g, dx, *x.shape, *y.shape[1:3], *k_sp, *s_sp, pads[0][0], pads[1][0],
                     int(disjoint)], x.shape[0], cost=2 * x[0].size)
        return _from_last(dx, data_format)
    padded = (x.shape[0],) + tuple(a + lo + hi for a, (lo, hi) in
                                   zip(x.shape[1:-1], pads)) + (x.shape[-1],)
    if len(k_sp) == 2 and list(s_sp) == list(k_sp) and not any(map(any, pads)):
        return _from_last(_tiled_max_pool_grad(x, y, g, k_sp), data_format)
    disjoint = all(s >= k for s, k in zip(s_sp, k_sp))  # windows never overlap: plain writes
    tiled = all(s == k and o * k == a for s, k, o, a in zip(s_sp, k_sp, out_sp, padded[1:-1]))
    dxp = np.empty(padded, g.dtype) if tiled else np.zeros(padded, g.dtype)  # tiled: all written
    for sl, hit in _first_max_masks(x, y, k_sp, s_sp, out_sp, pads):
        if disjoint:
            np.multiply(g, hit, out=dxp[sl])
        else:
            dxp[sl] += g * hit
    return _from_last(np.ascontiguousarray(_crop(dxp, x.shape[1:-1], pads)), data_format)


def max_pool_grad_relu_bias_grad(orig_input, orig_output, grad, features, ksize, strides,
                                 padding, data_format="NHWC"):
    """``(dz, db)``: ``dz = ReluGrad(MaxPoolGrad(orig_input, orig_output, grad), features)``
    and ``db = BiasAddGrad(dz)``, the backward pass of bias -> relu -> max_pool. With the C
    loops, channels-last 2-D windows that never overlap take one pass; otherwise the three
    kernels run in turn. Usage: ``dz, db = max_pool_grad_relu_bias_grad(x, y, g, x, ...)``."""
    x, k_sp, s_sp, out_sp, pads = _pool_setup(orig_input, ksize, strides, padding, data_format)
    loop = _pool_loop("max_pool_relu_grad", x)
    if loop is None or channels_first(data_format) or features.shape != x.shape \
            or not all(s >= k for s, k in zip(s_sp, k_sp)) \
            or not x.dtype == orig_output.dtype == grad.dtype == features.dtype:
        dx = max_pool_grad(orig_input, orig_output, grad, ksize, strides, padding, data_format)
        return relu_grad_bias_grad(dx, features, data_format)
    x, y, g, feat = (np.ascontiguousarray(a) for a in (x, orig_output, grad, features))
    covered = all(s == k and o * k == n and lo == 0  # every cell in a window: no zero fill
                  for s, k, o, n, (lo, _) in zip(s_sp, k_sp, y.shape[1:3], x.shape[1:3], pads))
    dz = np.empty(x.shape, x.dtype) if covered else np.zeros(x.shape, x.dtype)
    sums = np.empty((threads.num_threads(), x.shape[-1]))  # a row per chunk
    used = threads.run("max_pool_relu_grad", x.dtype,
                       [x, y, g, feat, dz, sums, *x.shape, *y.shape[1:3], *k_sp, *s_sp,
                        pads[0][0], pads[1][0]], x.shape[0], cost=3 * x[0].size)
    return dz, sums[:used].sum(axis=0).astype(x.dtype)


def _tiled_max_pool_grad(x, y, g, k_sp):
    """``max_pool_grad`` for 2-D windows that tile the input (stride = ksize, no padding): one
    equality over a (N, Ho, kh, Wo, kw, C) view, then first-maximum masks per tap."""
    (kh, kw), (ho, wo) = k_sp, y.shape[1:3]
    n, h, w, c = x.shape
    x6 = x[:, :ho * kh, :wo * kw].reshape(n, ho, kh, wo, kw, c)
    eq = _scratch("hit", x6.shape, bool)
    np.equal(x6, y[:, :, None, :, None, :], out=eq)
    taken = None
    taps = [(i, j) for i in range(kh) for j in range(kw)]
    for t, (i, j) in enumerate(taps):
        hit = eq[:, :, i, :, j, :]
        if taken is None:
            taken = _scratch("taken", hit.shape, bool)
            np.copyto(taken, hit)
            continue
        np.greater(hit, taken, out=hit)  # equal to the max and no earlier tap was
        if t + 1 < len(taps):
            taken |= hit
    cropped = (ho * kh, wo * kw) != (h, w)
    dx = np.zeros(x.shape, g.dtype) if cropped else np.empty(x.shape, g.dtype)
    dx6 = dx[:, :ho * kh, :wo * kw].reshape(x6.shape)
    np.multiply(eq, g[:, :, None, :, None, :], out=dx6)
    return dx


def max_pool_grad_grad(orig_input, orig_output, grad, ksize, strides, padding,
                       data_format="NHWC"):
    """Gradient of ``max_pool_grad`` w.r.t. its ``grad``: ``grad`` read at each window's argmax."""
    x, k_sp, s_sp, out_sp, pads = _pool_setup(orig_input, ksize, strides, padding, data_format)
    y = _to_last(orig_output, data_format)
    gp = _pad(_to_last(grad, data_format), pads)
    out = np.zeros(y.shape, gp.dtype)
    for sl, hit in _first_max_masks(x, y, k_sp, s_sp, out_sp, pads):
        np.copyto(out, gp[sl], where=hit)
    return _from_last(out, data_format)


def _window_counts(in_sp, k_sp, s_sp, out_sp, pads, dtype):
    """How many real (non-padding) cells each window covers, shaped (1, *out, 1)."""
    if not any(lo or hi for lo, hi in pads):
        return np.asarray(np.prod(k_sp), dtype)
    ones = _pad(np.ones((1, *in_sp, 1), dtype), pads)
    cnt = np.zeros((1, *out_sp, 1), dtype)
    for _, sl in _tap_slices(k_sp, out_sp, s_sp, [1] * len(k_sp)):
        cnt += ones[sl]
    return cnt


def avg_pool(x, ksize, strides, padding, data_format="NHWC"):
    """Mean over each window, counting only real cells (TF's SAME rule)."""
    x, k_sp, s_sp, out_sp, pads = _pool_setup(x, ksize, strides, padding, data_format)
    xp = _pad(x, pads, slot="pad")
    out = np.zeros((x.shape[0], *out_sp, x.shape[-1]), x.dtype)
    for _, sl in _tap_slices(k_sp, out_sp, s_sp, [1] * len(k_sp)):
        out += xp[sl]
    out /= _window_counts(x.shape[1:-1], k_sp, s_sp, out_sp, pads, x.dtype)
    return _from_last(out, data_format)


def avg_pool_grad(orig_input_shape, grad, ksize, strides, padding, data_format="NHWC"):
    """Gradient of ``avg_pool``: each window spreads grad / count over its real cells."""
    shape = _sizes(orig_input_shape, data_format)
    nd = len(shape) - 2
    k_sp = spatial(ksize, data_format, nd)
    s_sp = spatial(strides, data_format, nd)
    out_sp, pads = _geometry(shape[1:-1], k_sp, s_sp, [1] * nd, padding, (), data_format)
    g = _to_last(grad, data_format)
    g = g / _window_counts(shape[1:-1], k_sp, s_sp, out_sp, pads, g.dtype)
    dxp = np.zeros((shape[0],) + tuple(a + lo + hi for a, (lo, hi) in zip(shape[1:-1], pads))
                   + (shape[-1],), g.dtype)
    for _, sl in _tap_slices(k_sp, out_sp, s_sp, [1] * nd):
        dxp[sl] += g
    return _from_last(np.ascontiguousarray(_crop(dxp, shape[1:-1], pads)), data_format)
