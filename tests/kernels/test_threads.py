"""The kernel thread pool: chunks cover the range in order, errors reach the caller, and the
kernels that split their work give what they give serially."""
from __future__ import annotations

import os

import numpy as np
import pytest

from tensorweave.kernels import conv_kernels as C, fused, gemm, nn_kernels as N, threads

pytestmark = pytest.mark.skipif(not fused.available(), reason="C loops not built")


@pytest.fixture
def pool_of(monkeypatch):
    """``pool_of(n)``: kernels split over n threads, even for tiny work; default pool after."""
    monkeypatch.setattr(threads, "MIN_PARALLEL_WORK", 0)

    def use(n):
        threads.set_num_threads(n)
        return threads.num_threads()
    yield use
    threads.set_num_threads(threads._default_threads())


def _bias_relu_parts(x, b, out):
    rows = x.size // b.size
    return threads.run("bias_relu", x.dtype, [x, out, rows, b.size, b], rows, cost=b.size)


def test_a_region_runs_one_chunk_per_thread_and_covers_every_row(pool_of):
    assert pool_of(3) == 3
    x = np.random.RandomState(0).randn(7, 5).astype(np.float32)
    b = np.arange(5, dtype=np.float32)
    out = np.full_like(x, np.nan)
    assert _bias_relu_parts(x, b, out) == 3
    np.testing.assert_array_equal(out, np.maximum(x + b, 0))
    out[:] = np.nan  # fewer rows than threads: one chunk per row
    assert _bias_relu_parts(x[:2], b, out[:2]) == 2
    np.testing.assert_array_equal(out[:2], np.maximum(x[:2] + b, 0))


def test_small_work_and_one_thread_stay_serial(pool_of, monkeypatch):
    x, b = np.ones((8, 4), np.float32), np.zeros(4, np.float32)
    pool_of(2)
    monkeypatch.setattr(threads, "MIN_PARALLEL_WORK", 1000)
    assert _bias_relu_parts(x, b, np.empty_like(x)) == 1
    monkeypatch.setattr(threads, "MIN_PARALLEL_WORK", 0)
    assert _bias_relu_parts(x, b, np.empty_like(x)) == 2
    assert pool_of(1) == 1 and not threads.parallel()
    assert _bias_relu_parts(x, b, np.empty_like(x)) == 1


def test_arguments_become_words():
    a = np.zeros(3, np.float32)
    assert fused.word(a) == a.ctypes.data
    assert fused.word(np.array(2.5)) == fused.word(2.5)  # 0-d arrays go by value
    assert fused.word(np.float32(0.5)) == fused.word(0.5)
    assert fused.word(np.array(7)) == 7


@pytest.mark.parametrize("name", ["gradient_descent", "momentum", "adam"])
def test_split_optimizer_updates_equal_serial(pool_of, name):
    from tensorweave.kernels import training_kernels as T
    rng = np.random.RandomState(1)
    var, s1, s2, grad = (rng.rand(1000).astype(np.float32) for _ in range(4))
    update = {"gradient_descent": lambda v: T.fused_gradient_descent(v[0], np.array(0.1, np.float32), grad),
              "momentum": lambda v: T.fused_momentum(v[0], v[1], 0.1, grad, 0.9, True),
              "adam": lambda v: T.fused_adam(v[0], v[1], v[2], 0.9, 0.99, 0.01, 0.9, 0.999,
                                             np.array(1e-7, np.float32), grad)}[name]
    runs = []
    for n in (1, 2):
        pool_of(n)
        state = [var.copy(), s1.copy(), s2.copy()]
        assert update(state)
        runs.append(state)
    for got, want in zip(*runs):
        np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("shape", [(300, 7, 5), (5, 7, 300), (40, 40, 40)])
def test_gemm_blocks_equal_one_matmul(pool_of, shape):
    m, k, n = shape
    rng = np.random.RandomState(m)
    a, b = rng.randn(m, k).astype(np.float32), rng.randn(k, n).astype(np.float32)
    pool_of(2)  # blocks may round differently from one call (BLAS picks kernels by size)
    np.testing.assert_allclose(gemm.matmul(a, b), np.matmul(a, b), rtol=1e-5, atol=1e-5)
    out = np.empty((m, n), np.float32)
    assert gemm.matmul(a, b, out=out) is out
    np.testing.assert_allclose(out, np.matmul(a, b), rtol=1e-5, atol=1e-5)
    np.testing.assert_array_equal(gemm.matmul(a.astype(int), b.astype(int)),
                                  a.astype(int) @ b.astype(int))


def _serial_and_parallel(pool_of, fn):
    pool_of(1)
    want = fn()
    pool_of(2)
    return fn(), want


CONVS = [((5, 9, 8, 6), (3, 3, 6, 4), [1, 1, 1, 1], "SAME"),
         ((4, 11, 10, 1), (3, 3, 1, 8), [1, 2, 2, 1], "VALID"),
         ((3, 6, 6, 5), (1, 1, 5, 7), [1, 1, 1, 1], "VALID")]


@pytest.mark.parametrize("xshape,fshape,strides,padding", CONVS)
def test_split_convolutions_match_serial(pool_of, xshape, fshape, strides, padding):
    rng = np.random.RandomState(sum(xshape))
    x, f = rng.randn(*xshape).astype(np.float32), rng.randn(*fshape).astype(np.float32)
    close = dict(rtol=1e-5, atol=1e-5)  # GEMMs of other sizes may round differently
    got, want = _serial_and_parallel(pool_of, lambda: C.conv_forward(x, f, strides, padding))
    np.testing.assert_allclose(got, want, **close)
    dy = rng.randn(*want.shape).astype(np.float32)
    got, want = _serial_and_parallel(pool_of, lambda: C.conv_backprop_input(
        list(xshape), f, dy, strides, padding))
    np.testing.assert_allclose(got, want, **close)
    got, want = _serial_and_parallel(pool_of, lambda: C.conv_backprop_filter(
        x, list(fshape), dy, strides, padding))
    np.testing.assert_allclose(got, want, **close)  # and partial sums per thread


def test_split_pooling_and_relu_pairs_match_serial(pool_of):
    rng = np.random.RandomState(0)
    x = rng.randint(-3, 4, (5, 8, 6, 3)).astype(np.float32)
    pool = ([1, 2, 2, 1], [1, 2, 2, 1], "SAME")
    got, want = _serial_and_parallel(pool_of, lambda: C.max_pool(x, *pool))
    np.testing.assert_array_equal(got, want)
    g = rng.randn(*want.shape).astype(np.float32)
    got, want = _serial_and_parallel(pool_of, lambda: C.max_pool_grad(x, want, g, *pool))
    np.testing.assert_array_equal(got, want)
    b = rng.randn(3).astype(np.float32)
    got, want = _serial_and_parallel(pool_of, lambda: N.bias_relu(x, b))
    np.testing.assert_array_equal(got, want)
    dy = rng.randn(*x.shape).astype(np.float32)
    (dz, db), (dz0, db0) = _serial_and_parallel(pool_of, lambda: N.relu_grad_bias_grad(dy, x))
    np.testing.assert_array_equal(dz, dz0)
    np.testing.assert_allclose(db, db0, rtol=1e-6)


def test_split_batch_norm_matches_serial(pool_of):
    from tensorweave.kernels import batch_norm_kernels as B
    rng = np.random.RandomState(3)
    x = rng.randn(6, 5, 4, 7).astype(np.float32)
    scale, offset = rng.rand(7).astype(np.float32) + 0.5, rng.randn(7).astype(np.float32)
    dy = rng.randn(*x.shape).astype(np.float32)
    zeros = np.zeros(7, np.float32)

    def forward_and_back():
        y, _, _, m, v, r3 = B.fused_batch_norm(x, scale, offset, zeros, zeros)
        return (y, m, v) + B.fused_batch_norm_grad(dy, x, scale, m, v, r3)[:3]
    got, want = _serial_and_parallel(pool_of, forward_and_back)
    for g, w in zip(got, want):
        np.testing.assert_allclose(g, w, rtol=1e-5, atol=1e-5)  # partial sums per thread


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_forked_child_starts_its_own_pool_and_gives_openblas_back_its_count(pool_of):
    blas = threads._openblas()
    if blas is None:
        pytest.skip("NumPy's BLAS is not an OpenBLAS")
    pool_of(1)  # OpenBLAS at its own count; make that 2 whatever the environment said
    original = blas["get"]()
    blas["set"](2)
    try:
        assert pool_of(2) == 2 and blas["get"]() == 1
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: a split region must run, then OpenBLAS gets 2 back
            code = 1
            try:
                x, b = np.ones((8, 4), np.float32), np.ones(4, np.float32)
                out = np.empty_like(x)
                parts = _bias_relu_parts(x, b, out)
                threads.set_num_threads(1)
                os.write(write, f"{parts} {float(out.sum())} {blas['get']()}".encode())
                code = 0
            finally:
                os._exit(code)
        os.close(write)
        reply = os.read(read, 100).decode()
        os.close(read)
        assert os.waitpid(pid, 0)[1] == 0
        assert reply == "2 64.0 2"
    finally:
        pool_of(1)
        blas["set"](original)


def test_the_c_entry_reads_words_as_python_does():
    module = fused.entry()
    if module is None:
        pytest.skip("no C entry")
    block = np.arange(24.0).reshape(4, 6)
    for a in (block, block[1:, 2:], block.T, np.zeros((), np.float32), np.ones(3, np.int64)):
        assert module.address(a) == a.__array_interface__["data"][0] == fused.ptr(a)
    with pytest.raises(TypeError):
        module.address([1.0])
    # integers: bias_relu's row length, as a list or a tuple of arguments
    x = np.array([[-1.0, 2.0], [3.0, -4.0]], np.float32)
    bias = np.array([0.5, -0.5], np.float32)
    for c in (2, np.int64(2), np.int32(2), np.array(2)):
        for pack in (list, tuple):
            out = np.full_like(x, np.nan)
            args = pack([x, out, 2, c, bias])
            assert module.run(threads._chunk("bias_relu", x.dtype), args, 2, 1, 1) == 1
            np.testing.assert_array_equal(out, np.maximum(x + bias, 0))
    # floats: gradient descent's learning rate (var = 0 - (-1) * lr)
    for lr in (2.5, -7.0, np.float32(0.25), np.float64(-1.5), np.array(0.75)):
        var = np.zeros(1)
        module.run(threads._chunk("gradient_descent", var.dtype), [1, var, lr, -np.ones(1)],
                   1, 1, 1)
        assert var[0] == float(lr), lr
    with pytest.raises(ValueError):
        module.run(threads._chunk("bias_relu", x.dtype), [0] * 65, 1, 1, 1)
    with pytest.raises(TypeError):
        module.run(threads._chunk("bias_relu", x.dtype), [x, out, 2, None, bias], 2, 1, 1)


def test_regions_run_through_ctypes_without_the_c_entry(pool_of, monkeypatch):
    pool_of(2)
    monkeypatch.setitem(fused._STATE, "entry", None)
    x = np.random.RandomState(1).randn(6, 3).astype(np.float32)
    b, out = np.ones(3, np.float32), np.empty((6, 3), np.float32)
    assert _bias_relu_parts(x, b, out) == 2
    np.testing.assert_array_equal(out, np.maximum(x + b, 0))
