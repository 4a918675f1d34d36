"""C 2-D window loops (max pooling, its gradient, the input gradient's col2im) equal the
NumPy kernels they replace, across geometries and layouts."""
from __future__ import annotations

import contextlib

import numpy as np
import pytest

from tensorweave.kernels import conv_kernels as K, fused

pytestmark = pytest.mark.skipif(not fused.available(), reason="C loops not built")


@contextlib.contextmanager
def numpy_only():
    fused.set_enabled(False)
    try:
        yield
    finally:
        fused.set_enabled(True)


def _both(fn, *args, **kwargs):
    got = fn(*args, **kwargs)
    with numpy_only():
        want = fn(*args, **kwargs)
    return got, want


POOLS = [((2, 7, 9, 3), 2, 2, "VALID"), ((2, 7, 9, 3), 3, 2, "SAME"), ((1, 6, 6, 33), 2, 2, "SAME"),
         ((3, 5, 8, 4), 3, 1, "SAME"), ((2, 9, 7, 5), 3, 3, "VALID"), ((1, 4, 4, 1), 1, 1, "VALID")]


@pytest.mark.parametrize("shape,k,s,padding", POOLS)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("data_format", ["NHWC", "NCHW"])
def test_max_pool_and_grad(shape, k, s, padding, dtype, data_format):
    rng = np.random.RandomState(sum(shape) + k)
    x = rng.randint(-3, 4, shape).astype(dtype)  # small integers: many ties inside windows
    if data_format == "NCHW":
        x = np.ascontiguousarray(x.transpose(0, 3, 1, 2))
        ks, st = [1, 1, k, k], [1, 1, s, s]
    else:
        ks, st = [1, k, k, 1], [1, s, s, 1]
    y, y_ref = _both(K.max_pool, x, ks, st, padding, data_format)
    np.testing.assert_array_equal(y, y_ref)
    g = rng.randn(*y.shape).astype(dtype)
    dx, dx_ref = _both(K.max_pool_grad, x, y, g, ks, st, padding, data_format)
    np.testing.assert_allclose(dx, dx_ref, rtol=1e-6, atol=1e-6)
    assert dx.dtype == dx_ref.dtype and dx.shape == x.shape


def test_max_pool_nan_wins_as_in_numpy():
    x = np.arange(16, dtype=np.float32).reshape(1, 4, 4, 1)
    x[0, 1, 0, 0] = np.nan
    y, y_ref = _both(K.max_pool, x, [1, 2, 2, 1], [1, 2, 2, 1], "VALID")
    np.testing.assert_array_equal(y, y_ref)
    assert np.isnan(y[0, 0, 0, 0])


CONVS = [((2, 7, 9, 3), (3, 3, 3, 4), 1, 1, "VALID"), ((2, 7, 9, 3), (3, 3, 3, 4), 2, 1, "SAME"),
         ((1, 8, 8, 5), (2, 3, 5, 6), 3, 1, "SAME"), ((2, 9, 9, 2), (3, 3, 2, 3), 1, 2, "SAME"),
         ((2, 6, 7, 4), (1, 1, 4, 8), 2, 1, "VALID"), ((1, 10, 10, 3), (5, 5, 3, 2), 2, 1, "SAME"),
         ((3, 9, 8, 1), (3, 3, 1, 4), 2, 1, "SAME"), ((1, 11, 10, 1), (3, 2, 1, 3), 1, 3, "SAME"),
         ((2, 6, 5, 1), (2, 2, 1, 2), 3, 1, "VALID")]  # 1-3 channels: tap-major patches


@pytest.mark.parametrize("xshape,fshape,s,d,padding", CONVS)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_conv_backprop_input(xshape, fshape, s, d, padding, dtype):
    rng = np.random.RandomState(xshape[1] * s + d)
    f = rng.randn(*fshape).astype(dtype)
    x = rng.randn(*xshape).astype(dtype)
    y = K.conv_forward(x, f, [1, s, s, 1], padding, [1, d, d, 1])
    dy = rng.randn(*y.shape).astype(dtype)
    dx, dx_ref = _both(K.conv_backprop_input, list(xshape), f, dy, [1, s, s, 1], padding,
                       [1, d, d, 1])
    tol = 1e-5 if dtype == np.float32 else 1e-12
    np.testing.assert_allclose(dx, dx_ref, rtol=tol, atol=tol)
    assert dx.dtype == dx_ref.dtype


def test_conv_backprop_input_nchw_and_explicit_padding():
    rng = np.random.RandomState(5)
    f = rng.randn(3, 3, 2, 4).astype(np.float32)
    dy = rng.randn(2, 4, 3, 7).astype(np.float32)  # NCHW: 4 channels, 3x7 outputs
    pads = [0, 0, 0, 0, 1, 2, 2, 0]
    args = ([2, 2, 5, 7], f, dy, [1, 1, 2, 1], "EXPLICIT", [1, 1, 1, 1], "NCHW", pads)
    dx, dx_ref = _both(K.conv_backprop_input, *args)
    np.testing.assert_allclose(dx, dx_ref, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("xshape,fshape,s,d,padding", CONVS + [
    ((2, 9, 9, 8), (3, 3, 8, 5), 2, 1, "SAME"), ((1, 7, 7, 16), (3, 3, 16, 4), 1, 2, "SAME")])
def test_conv_forward_and_filter_grad(xshape, fshape, s, d, padding):
    """Both take their patch matrix from a C loop (pixel-major for 4+ channels, tap-major
    for fewer) or from NumPy."""
    rng = np.random.RandomState(xshape[-1] + 11 * s)
    x = rng.randn(*xshape).astype(np.float32)
    f = rng.randn(*fshape).astype(np.float32)
    args = ([1, s, s, 1], padding, [1, d, d, 1])
    y, y_ref = _both(K.conv_forward, x, f, *args)
    np.testing.assert_allclose(y, y_ref, rtol=1e-5, atol=1e-5)
    dy = rng.randn(*y.shape).astype(np.float32)
    df, df_ref = _both(K.conv_backprop_filter, x, list(fshape), dy, *args)
    np.testing.assert_allclose(df, df_ref, rtol=1e-5, atol=1e-4)


@pytest.mark.parametrize("data_format", ["NHWC", "NCHW"])
def test_pointwise_convs_are_plain_gemms_with_the_same_values(data_format):
    """1x1 stride-1 convolutions skip im2col/col2im; values equal a NumPy einsum."""
    rng = np.random.RandomState(9)
    x = rng.randn(2, 5, 4, 6).astype(np.float64)  # NHWC
    f = rng.randn(1, 1, 6, 3).astype(np.float64)
    dy = rng.randn(2, 5, 4, 3).astype(np.float64)
    want_y = np.einsum("nhwc,co->nhwo", x, f[0, 0])
    want_dx = np.einsum("nhwo,co->nhwc", dy, f[0, 0])
    want_df = np.einsum("nhwc,nhwo->co", x, dy)[None, None]
    if data_format == "NCHW":
        x, dy = x.transpose(0, 3, 1, 2).copy(), dy.transpose(0, 3, 1, 2).copy()
        want_y, want_dx = want_y.transpose(0, 3, 1, 2), want_dx.transpose(0, 3, 1, 2)
    args = ([1, 1, 1, 1], "SAME", None, data_format)
    np.testing.assert_allclose(K.conv_forward(x, f, *args), want_y, rtol=1e-12)
    np.testing.assert_allclose(K.conv_backprop_input(list(x.shape), f, dy, *args), want_dx,
                               rtol=1e-12)
    np.testing.assert_allclose(K.conv_backprop_filter(x, [1, 1, 6, 3], dy, *args), want_df,
                               rtol=1e-12)


@pytest.mark.parametrize("xshape,fshape,s,d,padding", CONVS[:4])
def test_conv_paths_without_a_blas_the_c_loops_can_call(monkeypatch, xshape, fshape, s, d,
                                                        padding):
    """With NumPy on another BLAS than OpenBLAS (no GEMM for C chunks), convolutions still
    use the C im2col/col2im loops around np.matmul; values equal NumPy's."""
    from tensorweave.kernels import threads
    monkeypatch.setattr(threads, "c_gemm", lambda: False)
    rng = np.random.RandomState(xshape[2] + s)
    x, f = rng.randn(*xshape).astype(np.float32), rng.randn(*fshape).astype(np.float32)
    args = ([1, s, s, 1], padding, [1, d, d, 1])
    y, y_ref = _both(K.conv_forward, x, f, *args)
    np.testing.assert_allclose(y, y_ref, rtol=1e-5, atol=1e-5)
    dy = rng.randn(*y.shape).astype(np.float32)
    for got, want in [_both(K.conv_backprop_filter, x, list(fshape), dy, *args),
                      _both(K.conv_backprop_input, list(xshape), f, dy, *args)]:
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-4)
