"""The one-pass C optimizer updates equal the NumPy update rules they replace."""
from __future__ import annotations

import numpy as np
import pytest

from tensorweave.kernels import fused, training_kernels as K

pytestmark = pytest.mark.skipif(not fused.available(), reason="C loops not built")

TOL = {np.float32: dict(rtol=2e-6, atol=1e-7), np.float64: dict(rtol=1e-14, atol=1e-15)}


def _state(dtype, shape, n, seed=0):
    rng = np.random.RandomState(seed)
    return [(rng.rand(*shape) + 0.1).astype(dtype) for _ in range(n)]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape", [(784, 512), (257,), (3, 5, 7)])
def test_adam(dtype, shape):
    var, m, v, g = _state(dtype, shape, 4)
    ref = [a.copy() for a in (var, m, v)]
    sc = [np.asarray(x, dtype) for x in (0.9 ** 3, 0.999 ** 3, 1e-3, 0.9, 0.999, 1e-7)]
    K.adam(*ref, *sc, g)
    assert K.fused_adam(var, m, v, *sc, g)
    for a, b in zip((var, m, v), ref):
        np.testing.assert_allclose(a, b, **TOL[dtype])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("nesterov", [False, True])
def test_momentum(dtype, nesterov):
    var, acc, g = _state(dtype, (300, 7), 3, seed=1)
    ref = [var.copy(), acc.copy()]
    lr, mom = np.asarray(0.05, dtype), np.asarray(0.9, dtype)
    K.momentum(*ref, lr, g, mom, use_nesterov=nesterov)
    assert K.fused_momentum(var, acc, lr, g, mom, use_nesterov=nesterov)
    for a, b in zip((var, acc), ref):
        np.testing.assert_allclose(a, b, **TOL[dtype])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_gradient_descent(dtype):
    var, g = _state(dtype, (1000,), 2, seed=2)
    ref = var.copy()
    K.gradient_descent(ref, np.asarray(0.1, dtype), g)
    assert K.fused_gradient_descent(var, np.asarray(0.1, dtype), g)
    np.testing.assert_allclose(var, ref, **TOL[dtype])


def test_declines_what_it_does_not_cover():
    var, m, v = _state(np.float32, (100,), 3)
    sc = [np.float32(x) for x in (0.5, 0.5, 1e-3, 0.9, 0.999, 1e-7)]
    assert not K.fused_adam(var, m, v, *sc, np.ones(100, np.float64))    # other dtype
    assert not K.fused_adam(var, m, v, *sc, np.ones(200, np.float32)[::2])  # strided gradient
    assert not K.fused_adam(var, m, v, *sc, var.copy(), use_nesterov=True)
    small = _state(np.float32, (3,), 4)
    assert not K.fused_adam(*small[:3], *sc, small[3])                   # too small to pay
    ints = np.arange(100)
    assert not K.fused_gradient_descent(ints, 1, ints)


def test_gradient_may_alias_the_variable():
    var = _state(np.float32, (500,), 1)[0]
    ref = var.copy()
    K.gradient_descent(ref, np.float32(0.5), ref)
    assert K.fused_gradient_descent(var, np.float32(0.5), var)
    np.testing.assert_allclose(var, ref, rtol=1e-6)


def test_switch_off_falls_back_to_numpy(monkeypatch):
    try:
        fused.set_enabled(False)
        assert fused.loop("adam", np.float32) is None
        var, m, v, g = _state(np.float32, (100,), 4)
        sc = [np.float32(x) for x in (0.5, 0.5, 1e-3, 0.9, 0.999, 1e-7)]
        assert not K.fused_adam(var, m, v, *sc, g)
    finally:
        fused.set_enabled(True)
    assert fused.available()
