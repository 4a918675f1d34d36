"""Loop bodies of the compiled batch-norm and ReLU-gradient kernels (see ``jit.py``).

Plain Python for Numba's ``nopython`` mode (no tensorweave imports). The batch-norm loops
take channels-last data as a C-contiguous ``(rows, C)`` array or its flat view, with
per-channel vectors of length ``C``; their NumPy twins in ``batch_norm_kernels.py`` define
the semantics and the tests run both. Usage::

    mean, var = np.empty(C), np.empty(C)
    jit.compiled(channel_moments)(x.reshape(-1, C), mean, var)

Short channel rows (C = 32) make short inner loops, so every loop folds ``U`` consecutive
rows into one "lane row" of ``L = U * C`` elements (lane ``j`` belongs to channel
``j % C``): inner loops then run over ~256 contiguous elements and vectorize.
"""
from __future__ import annotations

import numpy as np

_WIDTH = 256  # target elements per folded lane row (1 KiB of float32: a few SIMD strides)
_BLOCK = 32   # lane rows summed in the input precision before a float64 merge (stays in L1)


# ---- batch norm: statistics ---------------------------------------------------------------
def channel_moments(x, mean, var):
    """Per-channel mean and biased variance of a (rows, C) array into float64 ``mean``/``var``.

    One pass. Each block of ``_BLOCK`` lane rows sums ``x - k`` and ``(x - k)**2`` in the
    input precision, shifted by ``k`` = the running lane mean (for the first block, its own
    mean from an extra pass over it), and is merged into float64 lane moments with Chan's
    pairwise update; lanes are then merged per channel and the leftover rows (fewer than U)
    added one by one (Welford). The shift keeps the block sums' rounding proportional to the
    variance the merge accumulates, so a large mean does not cancel the variance away as in
    a plain sum of squares.
    """
    rows, C = x.shape
    U = max(1, _WIDTH // C)  # rows per lane row (compiled loops cannot share helpers)
    L = U * C
    full = rows // U  # complete lane rows
    flat = x.reshape(-1)
    s = np.empty(L, x.dtype)
    q = np.empty(L, x.dtype)
    lane_mean = np.zeros(L)
    lane_m2 = np.zeros(L)
    k = np.zeros(L, x.dtype)  # first shift: the first block's mean
    first = min(_BLOCK, full)
    for u in range(first):
        row = flat[u * L:(u + 1) * L]
        for j in range(L):
            k[j] += row[j]
    if first:
        for j in range(L):
            k[j] /= first
    for u0 in range(0, full, _BLOCK):
        nb = min(_BLOCK, full - u0)
        if u0:
            for j in range(L):
                k[j] = lane_mean[j]
        s[:] = 0
        q[:] = 0
        for u in range(u0, u0 + nb):
            row = flat[u * L:(u + 1) * L]
            for j in range(L):
                e = row[j] - k[j]
                s[j] += e
                q[j] += e * e
        n = u0 + nb
        w = u0 * nb / n
        for j in range(L):
            sj = np.float64(s[j])
            delta = np.float64(k[j]) + sj / nb - lane_mean[j]  # block mean - running mean
            lane_mean[j] += delta * nb / n
            lane_m2[j] += np.float64(q[j]) - sj * sj / nb + delta * delta * w
    for c in range(C):
        m = 0.0
        for u in range(U):
            m += lane_mean[u * C + c]
        m /= U
        m2 = 0.0
        for u in range(U):
            e = lane_mean[u * C + c] - m
            m2 += lane_m2[u * C + c] + full * e * e
        n = full * U
        for r in range(full * U, rows):
            v = np.float64(x[r, c])
            n += 1
            e = v - m
            m += e / n
            m2 += e * (v - m)
        mean[c] = m
        var[c] = max(m2 / rows, 0.0)


def grad_sums(dy, x, mean, sum_dy, sum_dyx):
    """Per-channel float64 sums of ``dy`` and ``dy * (x - mean)`` over (rows, C) arrays.

    Partial sums of ``_BLOCK`` lane rows are taken in the input precision, then added in
    float64 (NumPy's axis-0 reduction adds every row in the input precision).
    """
    rows, C = x.shape
    U = max(1, _WIDTH // C)  # rows per lane row (compiled loops cannot share helpers)
    L = U * C
    full = rows // U
    xf = x.reshape(-1)
    gf = dy.reshape(-1)
    mt = np.empty(L, x.dtype)
    for j in range(L):
        mt[j] = mean[j % C]
    ps = np.empty(L, x.dtype)
    pp = np.empty(L, x.dtype)
    ls = np.zeros(L)
    lp = np.zeros(L)
    for u0 in range(0, full, _BLOCK):
        ps[:] = 0
        pp[:] = 0
        for u in range(u0, min(u0 + _BLOCK, full)):
            xr = xf[u * L:(u + 1) * L]
            gr = gf[u * L:(u + 1) * L]
            for j in range(L):
                g = gr[j]
                ps[j] += g
                pp[j] += g * (xr[j] - mt[j])
        for j in range(L):
            ls[j] += ps[j]
            lp[j] += pp[j]
    for c in range(C):
        a = 0.0
        b = 0.0
        for u in range(U):
            a += ls[u * C + c]
            b += lp[u * C + c]
        for r in range(full * U, rows):
            g = np.float64(dy[r, c])
            a += g
            b += g * (np.float64(x[r, c]) - np.float64(mt[c]))
        sum_dy[c] = a
        sum_dyx[c] = b


# ---- batch norm: elementwise passes over flat channels-last data --------------------------
def scale_shift(x, a, b, y):
    """y = x * a + b, with ``a``/``b`` per channel (length C) and ``x``/``y`` flat."""
    C = a.size
    L = max(1, _WIDTH // C) * C
    at = np.empty(L, x.dtype)
    bt = np.empty(L, x.dtype)
    for j in range(L):
        at[j] = a[j % C]
        bt[j] = b[j % C]
    n = x.size
    for start in range(0, n, L):
        m = min(L, n - start)
        xs = x[start:start + m]
        ys = y[start:start + m]
        for j in range(m):
            ys[j] = xs[j] * at[j] + bt[j]


def batch_norm_dx(dy, x, mean, k, p, q, dx):
    """dx = dy * k + (x - mean) * p + q over flat arrays, ``mean``/``k``/``p``/``q`` per channel.

    The training gradient k * (dy - doffset / n - xhat * dscale / n), xhat = (x - mean) * inv,
    is this with p = -k * inv * dscale / n and q = -k * doffset / n (folded by the caller).
    """
    C = k.size
    L = max(1, _WIDTH // C) * C
    mt = np.empty(L, x.dtype)
    kt = np.empty(L, x.dtype)
    pt = np.empty(L, x.dtype)
    qt = np.empty(L, x.dtype)
    for j in range(L):
        c = j % C
        mt[j] = mean[c]
        kt[j] = k[c]
        pt[j] = p[c]
        qt[j] = q[c]
    n = x.size
    for start in range(0, n, L):
        m = min(L, n - start)
        xs = x[start:start + m]
        gr = dy[start:start + m]
        out = dx[start:start + m]
        for j in range(m):
            out[j] = gr[j] * kt[j] + (xs[j] - mt[j]) * pt[j] + qt[j]


# ---- activations --------------------------------------------------------------------------
def relu_grad(g, y, out):
    """out = g * (y > 0) over flat arrays (``out`` may be ``g``).

    ``g * 0`` rather than 0 where y <= 0: NaN and inf gradients give NaN and negative ones
    -0.0, as TF's ``gradients * (features > 0)`` does.
    """
    for i in range(g.size):
        gi = g[i]
        out[i] = gi if y[i] > 0 else gi * 0
