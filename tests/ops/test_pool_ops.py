"""Pooling: values and gradients against TensorFlow fixtures (max-pool ties go to the first
cell; SAME avg-pool counts only real cells), NCHW, 1-D/3-D variants, second order, shapes."""
import json
import os

import numpy as np
import pytest

import tensorweave as tf
from tensorweave.eager import context
from tests.op_testing import check_op

_FIX = np.load(os.path.join(os.path.dirname(__file__), "..", "fixtures", "conv_fixtures.npz"))
CASES = json.loads(str(_FIX["cases"]))


def cases(*kinds):
    return [c for c in CASES if c["kind"] in kinds]


def fix(case, key):
    return _FIX[f"{case['id']}_{key}"]


def run(fn, x, w):
    with tf.Graph().as_default():
        ph = tf.placeholder(tf.float32, x.shape)
        y = fn(ph)
        (g,) = tf.gradients(tf.reduce_sum(y * w), [ph])
        with tf.Session() as sess:
            return sess.run([y, g], {ph: x})


FNS = {"max_pool": tf.nn.max_pool, "avg_pool": tf.nn.avg_pool,
       "max_pool3d": tf.nn.max_pool3d, "avg_pool3d": tf.nn.avg_pool3d}


@pytest.mark.parametrize("case", cases(*FNS), ids=lambda c: c["id"] + c["kind"])
@pytest.mark.parametrize("channels_first", [False, True])
def test_pool_matches_tf(case, channels_first):
    x, y_ref, w, g_ref = (fix(case, k) for k in ("x", "y", "w", "d_x"))
    k, s = case["ksize"], case["strides"]
    fmt = "NDHWC" if "3d" in case["kind"] else "NHWC"
    if channels_first:
        move = lambda a: np.moveaxis(a, -1, 1)  # noqa: E731
        x, y_ref, w, g_ref = move(x), move(y_ref), move(w), move(g_ref)
        k, s = [k[0], k[-1]] + k[1:-1], [s[0], s[-1]] + s[1:-1]
        fmt = "NC" + fmt[1:-1]
    fn = FNS[case["kind"]]
    y, g = run(lambda t: fn(t, k, s, case["padding"], data_format=fmt), x, w)
    np.testing.assert_allclose(y, y_ref, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(g, g_ref, rtol=1e-5, atol=1e-6)


R = np.random.RandomState(3)


def distinct(*shape):
    """Values with no ties (finite differences of max pooling need a unique maximum)."""
    return (R.permutation(int(np.prod(shape))).reshape(shape) * 0.1).astype(np.float32)


@pytest.mark.parametrize("pad,k,s", [("SAME", 2, 2), ("VALID", 3, 2), ("SAME", 3, 1)])
def test_pools_check_op(pad, k, s):
    x = distinct(2, 5, 6, 2)
    check_op(lambda t: tf.nn.max_pool(t, [1, k, k, 1], [1, s, s, 1], pad), [x])
    check_op(lambda t: tf.nn.avg_pool(t, [1, k, k, 1], [1, s, s, 1], pad), [x])
    check_op(lambda t: tf.nn.max_pool(t, [1, 1, k, k], [1, 1, s, s], pad, data_format="NCHW"),
             [np.moveaxis(x, -1, 1)])


def test_pool_1d_and_3d_check_op():
    x = distinct(2, 7, 3)
    check_op(lambda t: tf.nn.max_pool1d(t, 2, 2, "SAME"), [x],
             reference=lambda a: np.maximum(a[:, 0:7:2], np.pad(a, [[0, 0], [0, 1], [0, 0]],
                                                                 constant_values=-9)[:, 1:8:2]))
    check_op(lambda t: tf.nn.avg_pool1d(t, 3, 2, "VALID"), [x],
             reference=lambda a: (a[:, 0:5:2] + a[:, 1:6:2] + a[:, 2:7:2]) / 3)
    check_op(lambda t: tf.nn.max_pool3d(t, 2, 2, "SAME"), [distinct(1, 3, 4, 3, 2)])
    check_op(lambda t: tf.nn.avg_pool3d(t, 2, 1, "VALID"), [distinct(1, 3, 4, 3, 2)])


def vjp(pool, t, g):
    """d sum(pool(t) * g) / dt in graph or eager mode (check_op runs both)."""
    if tf.executing_eagerly():
        with tf.GradientTape() as tape:
            tape.watch(t)
            y = tf.reduce_sum(pool(t) * g)
        return tape.gradient(y, t)
    return tf.gradients(tf.reduce_sum(pool(t) * g), [t])[0]


def test_pool_grads_second_order():
    """MaxPoolGrad and MaxPoolGradGrad have gradients; AvgPoolGrad's is AvgPool."""
    x = distinct(1, 5, 5, 2)
    g = R.standard_normal((1, 3, 3, 2)).astype(np.float32)
    check_op(lambda t, g: vjp(lambda a: tf.nn.max_pool(a, 2, 2, "SAME"), t, g), [x, g],
             grad_inputs=[1])
    check_op(lambda t, g: vjp(lambda a: tf.nn.avg_pool(a, 3, 2, "SAME"), t, g), [x, g],
             grad_inputs=[1])
    h = R.standard_normal((1, 5, 5, 2)).astype(np.float32)  # MaxPoolGradGrad, and its gradient
    check_op(lambda t, g, h: vjp(lambda gg: vjp(lambda a: tf.nn.max_pool(a, 2, 2, "SAME"),
                                                 t, gg), g, h), [x, g, h], grad_inputs=[2])


def test_max_pool_ties_first():
    x = np.array([[1, 1], [1, 1]], np.float32).reshape(1, 2, 2, 1)
    with context.eager_mode():
        xt = tf.constant(x)
        with tf.GradientTape() as tape:
            tape.watch(xt)
            y = tf.nn.max_pool(xt, 2, 2, "VALID")
        g = tape.gradient(y, xt).numpy()
    np.testing.assert_array_equal(g.reshape(-1), [1, 0, 0, 0])


def test_pool_shapes_and_names():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 7, 8, 3])
        m = tf.nn.max_pool(x, [1, 2, 2, 1], [1, 2, 2, 1], "SAME")
        assert m.name == "MaxPool:0" and m.shape.as_list() == [None, 4, 4, 3]
        a = tf.nn.avg_pool(x, [1, 3, 3, 1], [1, 2, 2, 1], "VALID")
        assert a.name == "AvgPool:0" and a.shape.as_list() == [None, 3, 3, 3]
        m1 = tf.nn.max_pool1d(tf.placeholder(tf.float32, [None, 9, 3]), 2, 2, "SAME")
        assert m1.name == "MaxPool1d/Squeeze:0" and m1.shape.as_list() == [None, 5, 3]
        (g,) = tf.gradients(tf.reduce_sum(m), [x])
        assert g.op.type == "MaxPoolGrad" and g.shape.as_list() == [None, 7, 8, 3]
        p = tf.nn.pool(x, [2, 2], "AVG", "SAME", strides=[2, 2])
        assert p.op.type == "AvgPool" and p.shape.as_list() == [None, 4, 4, 3]
        assert p.name == "avg_pool:0"
        with pytest.raises(ValueError, match="Negative dimension"):
            tf.nn.max_pool(x, [1, 9, 2, 1], [1, 1, 1, 1], "VALID")
        with pytest.raises(ValueError):
            tf.nn.max_pool(x, [1, 2, 1], [1, 1, 1, 1], "VALID")


@pytest.mark.parametrize("size,k", [((2, 6, 6, 3), 2), ((2, 7, 5, 2), 2), ((1, 9, 7, 2), 3)])
def test_max_pool_grad_tiling_windows_with_ties(size, k):
    """Windows that tile the input (stride = ksize; odd sizes leave cells no window covers):
    each window's gradient goes to its first maximal cell in row-major order, as TF."""
    rng = np.random.RandomState(1)
    x = np.maximum(rng.randint(-2, 2, size), 0).astype(np.float32)  # many tied windows
    xt = tf.constant(x)
    y = tf.nn.max_pool(xt, [1, k, k, 1], [1, k, k, 1], "VALID")
    g = rng.randn(*y.shape.as_list()).astype(np.float32)
    with tf.Session() as sess:
        dx = sess.run(tf.gradients(y, xt, grad_ys=g)[0])
    want = np.zeros_like(x)
    for n, i, j, c in np.ndindex(*g.shape):
        win = x[n, i * k:(i + 1) * k, j * k:(j + 1) * k, c]
        a, b = np.unravel_index(np.argmax(win), win.shape)  # argmax: first maximum
        want[n, i * k + a, j * k + b, c] += g[n, i, j, c]
    np.testing.assert_array_equal(dx, want)
