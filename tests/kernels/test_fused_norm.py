"""The C batch-norm and ReluGrad loops equal the NumPy kernels they replace."""
from __future__ import annotations

import numpy as np
import pytest

from tensorweave.kernels import batch_norm_kernels as BN, fused, nn_kernels as K

pytestmark = pytest.mark.skipif(not fused.available(), reason="C loops not built")

# NumPy sums float32 rows one by one in float32; the loops accumulate in float64
TOL = {np.float32: dict(rtol=2e-5, atol=2e-5), np.float64: dict(rtol=1e-11, atol=1e-12)}
SHAPES = [(4, 6, 5, 3), (2, 9, 7, 7), (3, 5, 4, 33), (37, 11, 13, 7), (8, 16, 16, 32), (300, 7),
          (5, 1)]


def _numpy_and_compiled(fn, *args, **kwargs):
    """``fn``'s result with the compiled loops switched off, then on."""
    try:
        fused.set_enabled(False)
        ref = fn(*args, **kwargs)
    finally:
        fused.set_enabled(True)
    return ref, fn(*args, **kwargs)


def _assert_outputs_match(ref, got, dtype):
    assert len(ref) == len(got)
    for r, g in zip(ref, got):
        assert r.dtype == g.dtype and r.shape == g.shape
        np.testing.assert_allclose(g, r, **TOL[dtype])


def _inputs(shape, dtype, seed=0):
    rng = np.random.RandomState(seed)
    c = shape[-1]
    x = (rng.randn(*shape) * 2 + 3).astype(dtype)
    vec = [rng.rand(c).astype(dtype) + 0.5 for _ in range(4)]  # scale, offset, mean, var
    return x, vec


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("training, factor", [(True, 1.0), (True, 0.3), (False, 1.0)])
def test_forward(dtype, shape, training, factor):
    x, (scale, offset, mean, var) = _inputs(shape, dtype)
    assert BN._compiled_rows(x, "NHWC", scale) is not None
    ref, got = _numpy_and_compiled(BN.fused_batch_norm, x, scale, offset, mean, var, 1e-3,
                                   exponential_avg_factor=factor, is_training=training)
    _assert_outputs_match(ref, got, dtype)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("training", [True, False])
def test_gradient(dtype, shape, training):
    x, (scale, offset, mean, var) = _inputs(shape, dtype, seed=1)
    dy = np.random.RandomState(2).randn(*shape).astype(dtype)
    _, _, _, r1, r2, r3 = BN.fused_batch_norm(x, scale, offset, mean, var, 1e-3,
                                              is_training=training)
    ref, got = _numpy_and_compiled(BN.fused_batch_norm_grad, dy, x, scale, r1, r2, r3, 1e-3,
                                   is_training=training)
    _assert_outputs_match(ref, got, dtype)


def test_gradient_converts_a_strided_or_other_dtype_dy():
    x, (scale, offset, mean, var) = _inputs((4, 5, 6, 7), np.float32)
    _, _, _, r1, r2, r3 = BN.fused_batch_norm(x, scale, offset, mean, var, 1e-3)
    dy = np.random.RandomState(3).randn(4, 5, 6, 14)[..., ::2]  # float64, not contiguous
    ref, got = _numpy_and_compiled(BN.fused_batch_norm_grad, dy, x, scale, r1, r2, r3, 1e-3)
    _assert_outputs_match(ref, got, np.float32)


def test_statistics_survive_a_large_mean():
    """Shifted block sums merged in float64 keep the variance of data far from zero (a
    float32 sum of squares would cancel it away)."""
    rng = np.random.RandomState(4)
    x = (rng.randn(64, 16, 16, 8) + 1e4).astype(np.float32)
    x[0, 0, 0] += 1e3  # an outlier in the very first row
    scale, offset, e = np.ones(8, np.float32), np.zeros(8, np.float32), np.zeros(0, np.float32)
    _, _, _, mean, var, _ = BN.fused_batch_norm(x, scale, offset, e, e, 1e-3)
    x64 = x.astype(np.float64).reshape(-1, 8)
    np.testing.assert_allclose(mean, x64.mean(0), rtol=1e-7)
    np.testing.assert_allclose(var, x64.var(0), rtol=1e-5)


@pytest.mark.parametrize("x, fmt", [
    (np.ones((2, 3, 4, 5), np.float32), "NCHW"),                # channels first
    (np.ones((2, 3, 4, 10), np.float32)[..., ::2], "NHWC"),     # not contiguous
    (np.ones((2, 3, 4, 5), np.float16), "NHWC"),                # other dtype
    (np.ones((0, 3, 4, 5), np.float32), "NHWC"),                # empty
])
def test_declines_what_it_does_not_cover(x, fmt):
    c = x.shape[1] if fmt == "NCHW" else x.shape[-1]
    scale = np.ones(c, np.float32)
    assert BN._compiled_rows(x, fmt, scale) is None
    if x.size:
        y = BN.fused_batch_norm(x, scale, scale, scale, scale, data_format=fmt)[0]
        assert y.shape == x.shape and y.dtype == x.dtype


def test_declines_mismatched_channel_vectors():
    x = np.ones((2, 3, 4, 5), np.float32)
    assert BN._compiled_rows(x, "NHWC", np.ones(4, np.float32)) is None


def test_switch_off_falls_back_to_numpy():
    try:
        fused.set_enabled(False)
        x = np.ones((2, 3, 4, 5), np.float32)
        assert BN._compiled_rows(x, "NHWC", np.ones(5, np.float32)) is None
        assert K._relu_grad_loop(x, x) is None
    finally:
        fused.set_enabled(True)


# ---- ReluGrad ----------------------------------------------------------------------------
def _relu_grad_inputs(dtype, shape=(4, 9, 9, 7)):
    rng = np.random.RandomState(5)
    g = rng.randn(*shape).astype(dtype)
    y = np.maximum(rng.randn(*shape), 0).astype(dtype)  # about half exactly zero
    y.flat[::5] = -1
    g.flat[:12] = [np.nan, np.inf, -np.inf, -0.0] * 3
    y.flat[:12] = [0, 0, 0, 0, 1, 1, 1, 1, -1, -1, -1, -1]
    return g, y


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_relu_grad(dtype):
    g, y = _relu_grad_inputs(dtype)
    assert K._relu_grad_loop(g, y) is not None
    ref, got = _numpy_and_compiled(K.relu_grad, g, y)
    assert got.dtype == ref.dtype and got.shape == ref.shape
    np.testing.assert_array_equal(got, ref)  # NaN where g is NaN or +-inf and y <= 0
    np.testing.assert_array_equal(np.signbit(got), np.signbit(ref))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_relu_grad_inplace(dtype):
    g, y = _relu_grad_inputs(dtype)
    ref = K.relu_grad(g, y)
    out = K.relu_grad_inplace(g, y)
    assert out is g
    np.testing.assert_array_equal(out, ref)


def test_relu_grad_declines_what_it_does_not_cover():
    g = np.ones((6, 8), np.float32)
    assert K._relu_grad_loop(g[:, ::2], g[:, ::2]) is None        # strided
    assert K._relu_grad_loop(g, g.astype(np.float64)) is None     # mixed dtypes
    assert K._relu_grad_loop(g, g[0]) is None                     # broadcast features
    assert K._relu_grad_loop(g.astype(np.float16), g.astype(np.float16)) is None
    y = np.arange(8, dtype=np.float32) - 4
    np.testing.assert_array_equal(K.relu_grad(g[:, ::2], y[::2]),
                                  np.multiply(g[:, ::2], y[::2] > 0))
