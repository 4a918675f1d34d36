"""Loop bodies that ``jit.compiled`` turns into one parallel pass (see ``jit.py``).

Plain Python over flat or channels-last arrays, written for Numba's ``nopython`` mode (no
tensorweave imports, no Python objects). Each has a NumPy twin elsewhere in ``kernels/`` that
defines its semantics; tests run both. Usage: ``jit.compiled(adam)(var, m, v, g, a, c1, c2, e)``.
"""
from __future__ import annotations

import math

# ---- optimizer updates (flat views of var, slots and gradient) ------------------------------
def gradient_descent(var, lr, grad):
    """var -= lr * grad."""
    for i in range(var.size):
        var[i] -= grad[i] * lr


def momentum(var, accum, lr, grad, mom, nesterov):
    """accum = accum * mom + grad; var -= lr * accum (Nesterov: lr * grad + lr * mom * accum)."""
    for i in range(var.size):
        g = grad[i]
        a = accum[i] * mom + g
        accum[i] = a
        if nesterov:
            var[i] -= g * lr + a * mom * lr
        else:
            var[i] -= a * lr


def adam(var, m, v, grad, alpha, c1, c2, eps):
    """m += (g - m) * c1; v += (g^2 - v) * c2; var -= alpha * m / (sqrt(v) + eps)."""
    for i in range(var.size):
        g = grad[i]
        mi = m[i] + (g - m[i]) * c1
        vi = v[i] + (g * g - v[i]) * c2
        m[i] = mi
        v[i] = vi
        var[i] -= (mi * alpha) / (math.sqrt(vi) + eps)


# ---- 2-D windows over channels-last (N, H, W, C) arrays ------------------------------------
# Geometry arguments: kernel (kh, kw), strides (sh, sw), dilations (dh, dw) and the padding
# before the first row/column (pt, pl). Taps that fall into padding are skipped by bounds
# checks, so no padded copy of the input is made. The innermost loops run over the channels
# of one pixel through 1-D row views.

def max_pool_2d(x, out, kh, kw, sh, sw, pt, pl):
    """out[n, i, j, c] = max over the window's real cells (NaN wins, as np.maximum)."""
    n_, h, w, c_ = x.shape
    ho, wo = out.shape[1], out.shape[2]
    for n in range(n_):
        for i in range(ho):
            for j in range(wo):
                dst = out[n, i, j]
                first = True
                for di in range(kh):
                    r = i * sh - pt + di
                    if r < 0 or r >= h:
                        continue
                    for dj in range(kw):
                        q = j * sw - pl + dj
                        if q < 0 or q >= w:
                            continue
                        src = x[n, r, q]
                        if first:
                            for c in range(c_):
                                dst[c] = src[c]
                            first = False
                        else:
                            for c in range(c_):
                                v = src[c]
                                o = dst[c]
                                dst[c] = v if (v > o or v != v) else o


def max_pool_grad_2d(x, y, g, dx, kh, kw, sh, sw, pt, pl, taken):
    """dx (zeroed by the caller) += g at each window's first cell, in row-major tap order,
    that equals the pooled maximum y (TF's rule); ``taken`` is a (C,) scratch row of x's
    dtype. Branch-free (0/1 masks) so the channel loop vectorizes."""
    n_, h, w, c_ = x.shape
    ho, wo = y.shape[1], y.shape[2]
    for n in range(n_):
        for i in range(ho):
            for j in range(wo):
                yv = y[n, i, j]
                gv = g[n, i, j]
                taken[:] = 0
                for di in range(kh):
                    r = i * sh - pt + di
                    if r < 0 or r >= h:
                        continue
                    for dj in range(kw):
                        q = j * sw - pl + dj
                        if q < 0 or q >= w:
                            continue
                        xv = x[n, r, q]
                        dv = dx[n, r, q]
                        for c in range(c_):
                            hit = (xv[c] == yv[c]) * (1 - taken[c])
                            dv[c] += gv[c] * hit
                            taken[c] += hit


def col2im_2d(cols, dx, n_, h, w, c_, ho, wo, kh, kw, sh, sw, dh, dw, pt, pl):
    """The adjoint of an im2col copy: dx (flat N*H*W*C; zeroed by the caller) += each entry of
    ``cols`` (flat N*ho*wo rows of kh*kw*C) at the input cell it was read from (padding
    dropped). Flat arrays and slice arithmetic: 3x faster than per-pixel views here."""
    k = kh * kw * c_
    for n in range(n_):
        for i in range(ho):
            for j in range(wo):
                co = ((n * ho + i) * wo + j) * k
                for di in range(kh):
                    r = i * sh - pt + di * dh
                    for dj in range(kw):
                        q = j * sw - pl + dj * dw
                        if r >= 0 and r < h and q >= 0 and q < w:
                            xo = ((n * h + r) * w + q) * c_
                            dst = dx[xo:xo + c_]
                            dst += cols[co:co + c_]
                        co += c_
