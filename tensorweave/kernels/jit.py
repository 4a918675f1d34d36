"""Optional compiled loops: Numba turns a few hot kernels into one pass over memory.

NumPy stays the reference and the fallback. Where a kernel is a chain of elementwise steps
(Adam's ~12 passes) or a window loop with short channel rows (2x2 max pooling on 32 channels),
one fused, vectorized loop beats a sequence of ufunc passes several times. The loops live in
``fused_loops.py`` as plain Python; this module compiles them on first use and caches the
machine code on disk. They run single-threaded without the GIL: Numba's thread pools fight
OpenBLAS's spinning GEMM threads (a 401K-element Adam step after a GEMM took 0.3-7 ms instead
of 0.2 ms), and NumPy's error model (no zero-division checks) lets LLVM vectorize. Usage::

    from tensorweave.kernels import jit, fused_loops
    adam = jit.compiled(fused_loops.adam)   # None when Numba is missing or switched off
    if adam is not None:
        adam(var, m, v, grad, alpha, c1, c2, eps)

``pip install tensorweave[jit]`` brings Numba; ``TENSORWEAVE_JIT=0`` switches it off (the
kernels then take their NumPy path, with identical semantics).
"""
from __future__ import annotations

import os
import threading
from typing import Callable, Optional

__all__ = ["enabled", "compiled", "set_enabled", "DTYPES"]

DTYPES = ("float32", "float64")  # the loops are compiled for these element types only

_LOCK = threading.Lock()
_STATE: dict = {}  # "numba": module or False; fn -> compiled dispatcher


def _numba():
    nb = _STATE.get("numba")
    if nb is None:
        nb = False
        if os.environ.get("TENSORWEAVE_JIT", "1").lower() not in ("0", "false", "off", "no"):
            try:
                import numba as nb  # noqa: F811  (lazy: ~0.2 s, paid by the first fused kernel)
            except ImportError:
                nb = False
        _STATE["numba"] = nb
    return nb


def enabled() -> bool:
    """Whether compiled loops are in use (Numba importable and not switched off)."""
    return bool(_numba())


def compiled(fn: Callable) -> Optional[Callable]:
    """``fn`` compiled with Numba (``nopython``, no GIL, disk-cached), or None without Numba."""
    got = _STATE.get(fn)
    if got is None:
        nb = _numba()
        if not nb:
            return None
        with _LOCK:
            got = _STATE.get(fn)
            if got is None:
                got = _STATE[fn] = nb.njit(
                    cache=True, nogil=True, error_model="numpy")(fn)
    return got


def set_enabled(on: bool) -> None:
    """Switch compiled loops on or off for this process (tests compare both paths)."""
    _STATE.clear()
    if not on:
        _STATE["numba"] = False
