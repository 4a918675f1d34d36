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
