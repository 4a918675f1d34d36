"""Matrix products split over the kernel thread pool (``threads.py``).

While the pool runs, NumPy's OpenBLAS has one thread, so a large product is cut into one
block per thread: rows of ``a`` when it has enough of them, else columns of ``b``; each block
is one BLAS GEMM into its slice of the result, called from C. Usage::

    y = gemm.matmul(x, w)              # 2-D float operands; anything else is np.matmul
"""
from __future__ import annotations

from typing import Optional

import numpy as np

from . import threads

__all__ = ["matmul", "blas_operand", "MACS_PER_TOUCH"]

MACS_PER_TOUCH = 8  # a GEMM does ~8 multiply-adds in the time a memory loop touches one value
_FLOATS = (np.dtype(np.float32), np.dtype(np.float64))


def blas_operand(a: np.ndarray):
    """(array, leading dimension, transposed) for BLAS: ``a`` itself when its rows or its
    columns are contiguous, else a C-contiguous copy."""
    s = a.itemsize
    rows, cols = a.shape
    if a.strides[1] == s and a.strides[0] % s == 0 and a.strides[0] >= max(cols, 1) * s:
        return a, a.strides[0] // s, 0
    if a.strides[0] == s and a.strides[1] % s == 0 and a.strides[1] >= max(rows, 1) * s:
        return a, a.strides[1] // s, 1
    a = np.ascontiguousarray(a)
    return a, max(cols, 1), 0


def matmul(a: np.ndarray, b: np.ndarray, out: Optional[np.ndarray] = None) -> np.ndarray:
    """``np.matmul(a, b, out=out)``, in parallel blocks for large 2-D float products."""
    if a.ndim != 2 or b.ndim != 2 or a.dtype != b.dtype or a.dtype not in _FLOATS \
            or 0 in a.shape or 0 in b.shape or a.shape[1] != b.shape[0] \
            or (out is not None and (out.dtype != a.dtype or out.shape != (a.shape[0], b.shape[1])
                                     or not out.flags.c_contiguous)) \
            or a.shape[0] * a.shape[1] * b.shape[1] < threads.MIN_PARALLEL_WORK * MACS_PER_TOUCH \
            or not threads.parallel():
        return np.matmul(a, b) if out is None else np.matmul(a, b, out=out)
    (m, k), n = a.shape, b.shape[1]
    if out is None:
        out = np.empty((m, n), a.dtype)
    a, lda, ta = blas_operand(a)
    b, ldb, tb = blas_operand(b)
    by_rows = m >= n or m >= 256
    threads.run("gemm", a.dtype, [ta, tb, m, n, k, a, lda, b, ldb, out, n, 0 if by_rows else 1],
                m if by_rows else n, cost=(n if by_rows else m) * k / MACS_PER_TOUCH,
                grain=1 if by_rows else 16)
    return out
