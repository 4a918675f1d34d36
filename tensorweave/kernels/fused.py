"""Optional C loops (``_fused.c``) for memory-bound kernels, called through ctypes.

NumPy stays the reference and the fallback. Where a kernel is a chain of whole-array passes
(Adam's ~12) or a window loop with short channel rows (2x2 max pooling on 32 channels), one
loop that touches each element once is several times faster. The extension is built by
``pip install`` when a C compiler is present (it is optional); ``TENSORWEAVE_FUSED=0`` switches
it off. ctypes releases the GIL during each call. Usage::

    from tensorweave.kernels import fused
    loop = fused.loop("adam", var.dtype)    # None: no library, or a dtype without a loop
    if loop is not None:
        loop(var.size, fused.ptr(var), fused.ptr(m), ...)
"""
from __future__ import annotations

import ctypes
import os
import struct
from typing import Callable, Optional

import numpy as np

__all__ = ["available", "loop", "function", "ptr", "word", "entry", "set_enabled", "DTYPES"]

DTYPES = {np.dtype(np.float32): ("f32", ctypes.c_float),
          np.dtype(np.float64): ("f64", ctypes.c_double)}

_I, _P, _INT = ctypes.c_int64, ctypes.c_void_p, ctypes.c_int
_WINDOW = [_I] * 14  # n, h, w, c, ho, wo, kh, kw, sh, sw, dh, dw, pt, pl
_POOL = [_I] * 12    # the same without dilations

# argument types per loop; "T" is the element type of the dtype asked for
_SIGNATURES = {
    "gradient_descent": [_I, _P, "T", _P],
    "momentum": [_I, _P, _P, "T", _P, "T", _INT],
    "adam": [_I, _P, _P, _P, _P, "T", "T", "T", "T"],
    "max_pool": [_P, _P] + _POOL,
    "max_pool_grad": [_P, _P, _P, _P, _P] + _POOL + [_INT],
    "max_pool_relu_grad": [_P, _P, _P, _P, _P, _P, _P] + _POOL,
    "patches": [_P, _P] + _WINDOW + [_INT],  # im2col (last argument 0) and col2im (1)
    "channel_moments": [_P, _I, _I, _P, _P, _P],
    "channel_grad_sums": [_P, _P, _I, _I, _P, _P, _P],
    "channel_affine": [_P, _P, _P, _I, _I, _P, _P, _P],
    "relu_grad": [_I, _P, _P, _P],
    "bias_relu": [_P, _P, _I, _I, _P],
    "relu_grad_bias": [_P, _P, _P, _I, _I, _P],
}
# untyped functions (the thread pool, _threads.c): (argument types, result type)
_UNTYPED = {
    "pool_start": ([_I, ctypes.c_double], _I),
    "pool_forget": ([], None),
    "parallel": ([_P, _P, _I, _I, _I], _I),
    "set_blas": ([_P, _P, _INT], None),
}

_STATE: dict = {}


def _library():
    lib = _STATE.get("lib")
    if lib is None:
        lib = False
        if os.environ.get("TENSORWEAVE_FUSED", "1").lower() not in ("0", "false", "off", "no"):
            try:
                from . import _fused
                lib = ctypes.CDLL(_fused.__file__)
            except (ImportError, OSError):
                lib = False
            else:
                _STATE["entry"] = _checked_entry(_fused)
        _STATE["lib"] = lib
    return lib


def _checked_entry(module):
    """The module's own ``run``/``address`` entry if it reads arrays' data addresses as NumPy
    reports them (it reads NumPy's struct directly), else None (ctypes everywhere)."""
    init = getattr(module, "init", None)
    if init is None:
        return None
    init(np.ndarray, word)
    probe = np.arange(6.0).reshape(2, 3)[1:, ::2]
    scalar = np.zeros((), np.float32)
    if module.address(probe) != _interface_address(probe) or \
            module.address(scalar) != _interface_address(scalar):
        return None
    return module


def entry():
    """The C extension's ``run(chunk, args, n, parts, grain)`` / ``address(array)`` entry
    (one call, no ctypes conversions; see ``_fused.c``), or None."""
    _library()
    return _STATE.get("entry")


def available() -> bool:
    """Whether the C loops are built and switched on."""
    return bool(_library())


def loop(name: str, dtype) -> Optional[Callable]:
    """The C loop ``name`` for elements of ``dtype`` (float32/float64), or None."""
    key = (name, dtype)
    fn = _STATE.get(key)
    if fn is None:
        lib, kind = _library(), DTYPES.get(np.dtype(dtype))
        if not lib or kind is None:
            return None
        suffix, ctype = kind
        fn = getattr(lib, f"tw_{name}_{suffix}")
        fn.argtypes = [ctype if a == "T" else a for a in _SIGNATURES[name]]
        fn.restype = None
        _STATE[key] = fn
    return fn


def function(name: str) -> Optional[Callable]:
    """The C function ``tw_<name>`` that has no element type (see ``_UNTYPED``), or None."""
    fn = _STATE.get(name)
    if fn is None:
        lib = _library()
        if not lib:
            return None
        fn = getattr(lib, f"tw_{name}")
        fn.argtypes, fn.restype = _UNTYPED[name]
        _STATE[name] = fn
    return fn


def _interface_address(a: np.ndarray) -> int:
    return a.__array_interface__["data"][0]


def ptr(a: np.ndarray) -> int:
    """The data address of a C-contiguous array (the caller checks contiguity)."""
    module = _STATE.get("entry")
    return module.address(a) if module is not None else _interface_address(a)


def word(a) -> int:
    """An argument of a C chunk as a machine word: arrays by data address (0-d ones by
    value), floats by their double's bits, integers as they are."""
    if isinstance(a, np.ndarray):
        if a.ndim:
            return _interface_address(a)
        a = a[()]
    if isinstance(a, (float, np.floating)):
        return struct.unpack("<q", struct.pack("<d", float(a)))[0]
    return int(a)


def set_enabled(on: bool) -> None:
    """Switch the C loops on or off for this process (tests compare both paths)."""
    _STATE.clear()
    if not on:
        _STATE["lib"] = False
