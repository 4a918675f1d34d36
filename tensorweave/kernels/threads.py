"""Intra-op parallelism: large kernels split their work over a small pool of threads.

TensorFlow runs each op's work on its own thread pool (``intra_op_parallelism_threads``); so
does tensorweave. The pool lives in C (``_threads.c``): a kernel names a C *chunk* function
(``tw_chunk_<name>_<f32|f64>`` in ``_fused.c``) and its arguments, and one call into the
extension (``_fused.run``, which turns them into machine words; ctypes where it is missing)
runs the chunks of ``[0, n)`` on the pool's threads, the caller's included, with no GIL and
no Python in between. GEMMs run through the BLAS NumPy loaded.

While the pool has more than one thread, it is also BLAS's thread pool: NumPy's OpenBLAS is
set to one thread and kernels split their GEMMs themselves. (OpenBLAS's own workers spin for
a while after each GEMM; next to them the memory-bound loops that follow ran up to 1.8x
slower, and a GEMM split by rows runs about as fast as OpenBLAS's own split.)

``TENSORWEAVE_NUM_THREADS`` sets the pool size (default: the CPUs this process may use; 1
keeps every kernel serial and leaves OpenBLAS alone). Without the compiled C loops there is
no pool. Usage::

    from tensorweave.kernels import threads
    threads.run("bias_relu", x.dtype, [x, out, rows, c, bias], rows, cost=c)
"""
from __future__ import annotations

import ctypes
import os
import threading
from typing import Optional, Sequence

import numpy as np

from . import fused

__all__ = ["num_threads", "set_num_threads", "run", "parallel", "worth", "c_gemm", "MIN_PARALLEL_WORK"]

MIN_PARALLEL_WORK = 1 << 17  # element touches (~30 us of a memory-bound loop): below, serial
_WORKER_SPIN_S = 2e-3  # workers spin this long for the next chunk before sleeping
_REGION = threading.Lock()  # one parallel region at a time (other callers run serially)
_STATE: dict = {}


def _default_threads() -> int:
    env = os.environ.get("TENSORWEAVE_NUM_THREADS", "").strip()
    if env:
        return max(1, int(env))
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


# ---- NumPy's OpenBLAS -----------------------------------------------------------------------
_BLAS_NAMES = (("scipy_openblas_", "scipy_cblas_", "64_", 1),  # NumPy's wheels (ILP64)
               ("openblas_", "cblas_", "64_", 1), ("openblas_", "cblas_", "", 0))


def _openblas() -> Optional[dict]:
    """Thread controls and cblas GEMMs of the OpenBLAS loaded in this process, if any."""
    try:
        with open("/proc/self/maps") as maps:
            paths = sorted({line.split()[-1] for line in maps
                            if "openblas" in os.path.basename(line.split()[-1]).lower()})
    except OSError:
        return None
    for path in paths:
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for prefix, cblas, suffix, ilp64 in _BLAS_NAMES:
            names = [f"{prefix}get_num_threads{suffix}", f"{prefix}set_num_threads{suffix}",
                     f"{cblas}sgemm{suffix}", f"{cblas}dgemm{suffix}"]
            fns = [getattr(lib, name, None) for name in names]
            if all(fn is not None for fn in fns):
                get, put, sgemm, dgemm = fns
                get.argtypes, get.restype = [], ctypes.c_int
                put.argtypes, put.restype = [ctypes.c_int], None
                return {"get": get, "set": put, "ilp64": ilp64,
                        "gemm": [ctypes.cast(f, ctypes.c_void_p).value for f in (sgemm, dgemm)]}
    return None


# ---- the pool -------------------------------------------------------------------------------
def _size() -> int:
    """The pool's size, starting it on first use (1: serial)."""
    size = _STATE.get("started")
    if size is None:
        size = _STATE["started"] = 1
        blas = _openblas() if fused._library() else None
        if blas is not None:
            fused.function("set_blas")(*blas["gemm"], blas["ilp64"])
            _STATE["gemm"] = True
        wanted = _STATE.setdefault("size", _default_threads())
        if wanted > 1 and blas is not None:  # another BLAS keeps its own threads: no pool
            # (setter, OpenBLAS's own count); a forked child keeps its parent's, as its
            # OpenBLAS still has the one thread the parent's pool left it
            _STATE.setdefault("blas", (blas["set"], blas["get"]()))
            blas["set"](1)
            size = _STATE["started"] = int(fused.function("pool_start")(wanted, _WORKER_SPIN_S))
    return size


def num_threads() -> int:
    """How many threads kernels split their work over (1: serial)."""
    return _size()


def parallel() -> bool:
    """Whether kernels split their work, GEMMs included, over more than one thread."""
    return _size() > 1


def worth(work: float) -> bool:
    """Whether ``work`` element touches are worth splitting over the pool."""
    return work >= MIN_PARALLEL_WORK and _size() > 1


def c_gemm() -> bool:
    """Whether C chunks can call GEMMs (NumPy's BLAS is an OpenBLAS we found)."""
    _size()
    return "gemm" in _STATE


def set_num_threads(n: int) -> None:
    """Use ``n`` threads from now on (``n=1``: serial kernels, OpenBLAS back to its own
    threads). Extra workers are left sleeping; call it between steps, not during a run."""
    blas = _STATE.get("blas")
    if blas is not None:
        setter, count = blas
        setter(count)
    if _STATE.get("started", 1) > 1:
        fused.function("pool_start")(1, _WORKER_SPIN_S)
    _STATE.clear()
    _STATE["size"] = max(1, int(n))


def _chunk(name: str, dtype):
    key = (name, np.dtype(dtype))
    fn = _STATE.get(key)
    if fn is None:
        suffix = fused.DTYPES[np.dtype(dtype)][0]
        fn = _STATE[key] = ctypes.cast(getattr(fused._library(), f"tw_chunk_{name}_{suffix}"),
                                       ctypes.c_void_p).value
    return fn


def run(name: str, dtype, args: Sequence, n: int, cost: float = 1.0, grain: int = 1) -> int:
    """Run C chunk ``name`` over ``[0, n)``; in parallel when the work ``n * cost`` (element
    touches) is worth it. ``args``: arrays (passed as data pointers; C-contiguous), ints,
    floats. Chunk boundaries fall on multiples of ``grain``. Returns how many chunks ran
    (chunk ``part`` indexes per-chunk scratch in ``args``)."""
    size = _size()
    parallel_region = size > 1 and n * cost >= MIN_PARALLEL_WORK and \
        _REGION.acquire(blocking=False)  # busy: another thread's region is running
    parts, chunk = (size if parallel_region else 1), _chunk(name, dtype)
    try:
        module = fused.entry()
        if module is not None:  # one call converts the words and runs the region
            return module.run(chunk, args, n, parts, grain)
        words = (ctypes.c_int64 * len(args))(*map(fused.word, args))
        return fused.function("parallel")(chunk, words, n, parts, grain)
    finally:
        if parallel_region:
            _REGION.release()


def _after_fork() -> None:  # a forked child has none of the parent's workers
    if _STATE.get("started", 1) > 1:
        fused.function("pool_forget")()
        _STATE.pop("started", None)


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork)
