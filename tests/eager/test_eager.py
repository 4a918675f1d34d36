"""Eager execution: EagerTensor behaviour and GradientTape (watch, persistent, nesting, variables)."""
import numpy as np
import pytest

import tensorweave as tf
from tensorweave.eager import context


@pytest.fixture(autouse=True)
def eager():
    with context.eager_mode():
        yield


def test_eager_tensor_values_and_conversions():
    assert tf.executing_eagerly()
    t = tf.constant([1.0, 2.0]) * 2.0 + 1.0
    np.testing.assert_array_equal(t.numpy(), [3.0, 5.0])
    assert t.dtype == tf.float32 and t.shape.as_list() == [2]
    s = tf.reduce_sum(t)
    assert float(s) == 8.0 and int(s) == 8 and bool(s)
    assert str(s) == "tf.Tensor(8.0, shape=(), dtype=float32)"
    assert np.asarray(t).tolist() == [3.0, 5.0]
    assert [float(x) for x in t] == [3.0, 5.0]
    assert len(t) == 2
    assert f"{s:.1f}" == "8.0"
    with pytest.raises(AttributeError, match="meaningless"):
        t.name  # noqa: B018


def test_eager_errors_are_tf_errors():
    with pytest.raises(tf.errors.InvalidArgumentError, match="MatMul"):
        tf.matmul(tf.ones([2, 3]), tf.ones([4, 4]))
    with pytest.raises(RuntimeError, match="placeholder"):
        tf.placeholder(tf.float32)
    with pytest.raises(RuntimeError, match="GradientTape"):
        tf.gradients(tf.constant(1.0), tf.constant(1.0))


def test_tape_watch_and_persistent():
    x = tf.constant(3.0)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = x * x
        z = y * y
    assert float(tape.gradient(y, x)) == 6.0
    assert float(tape.gradient(z, x)) == 108.0
    with tf.GradientTape() as t2:
        t2.watch(x)
        y = x * x
    t2.gradient(y, x)
    with pytest.raises(RuntimeError, match="only be called once"):
        t2.gradient(y, x)


def test_unwatched_is_none_and_unconnected_zero():
    x = tf.constant(3.0)
    w = tf.constant(2.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * 2.0
    gx, gw = tape.gradient(y, [x, w])
    assert float(gx) == 2.0 and gw is None
    with tf.GradientTape() as tape:
        tape.watch([x, w])
        y = x * 2.0
    gw = tape.gradient(y, w, unconnected_gradients="zero")
    assert float(gw) == 0.0


def test_nested_tapes_higher_order():
    x = tf.constant(2.0)
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = x * x * x
        dy = inner.gradient(y, x)
    d2y = outer.gradient(dy, x)
    assert float(dy) == 12.0 and float(d2y) == 12.0


def test_stop_recording_and_stop_gradient():
    x = tf.constant(2.0)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        with tape.stop_recording():
            frozen = x * x
        y = x * frozen + tf.stop_gradient(x * x) * x
    assert float(tape.gradient(y, x)) == 8.0


def test_variables_are_watched_automatically_and_structures_kept():
    v = tf.Variable([1.0, 2.0], name="v")
    c = tf.Variable(5.0, trainable=False)
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(v * v) * c
    grads = tape.gradient(loss, {"v": v, "c": c})
    np.testing.assert_array_equal(grads["v"].numpy(), [10.0, 20.0])
    assert grads["c"] is None
    assert tape.watched_variables() == (v,)


def test_variable_assign_and_snapshot_semantics():
    v = tf.Variable([1.0, 2.0])
    before = v.read_value()
    v.assign_add([1.0, 1.0])
    np.testing.assert_array_equal(before.numpy(), [1.0, 2.0])
    np.testing.assert_array_equal(v.numpy(), [2.0, 3.0])
    v.assign([0.0, 0.0])
    assert (v + 1.0).numpy().tolist() == [1.0, 1.0]


def test_gradient_descent_in_eager_mode():
    v = tf.Variable([1.0, 2.0])
    opt = tf.train.GradientDescentOptimizer(0.1)
    target = tf.constant([3.0, -1.0])
    for _ in range(100):
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(tf.square(v - target))
        grads = tape.gradient(loss, [v])
        opt.apply_gradients(zip(grads, [v]))
    np.testing.assert_allclose(v.numpy(), [3.0, -1.0], atol=1e-5)


def test_graph_mode_tape_uses_graph_gradients():
    with context.graph_mode(), tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [])
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = x * x
        g = tape.gradient(y, x)
        with tf.Session() as sess:
            assert sess.run(g, {x: 3.0}) == 6.0


def test_tape_skips_gradients_no_source_needs(monkeypatch):
    """As TF's skip_input_indices: a conv on constant images computes only the filter's
    gradient (no Conv2DBackpropInput)."""
    from tensorweave.framework import registry
    calls = []
    for op_type in ("Conv2DBackpropInput", "Conv2DBackpropFilter", "MatMul"):
        od = registry._OPS[op_type]
        monkeypatch.setattr(od, "kernel",
                            lambda *a, _k=od.kernel, _t=op_type, **kw: calls.append(_t) or _k(*a, **kw))
    rng = np.random.RandomState(0)
    images = tf.constant(rng.rand(2, 5, 5, 3).astype(np.float32))
    f = tf.Variable(rng.rand(3, 3, 3, 4).astype(np.float32))
    w = tf.Variable(rng.rand(4, 2).astype(np.float32))
    with tf.GradientTape(persistent=True) as tape:
        h = tf.reduce_mean(tf.nn.conv2d(images, f, [1, 1, 1, 1], "SAME"), [1, 2])
        loss = tf.reduce_sum(tf.matmul(h, w))
    calls.clear()
    gf, gw = tape.gradient(loss, [f, w])
    assert sorted(calls) == ["Conv2DBackpropFilter", "MatMul", "MatMul"]  # no input gradient
    # the same tape, asked for the input too, computes it and agrees with the graph gradient
    gx = tape.gradient(loss, images)
    assert gx is None  # a constant is not watched
    with tf.GradientTape() as tape2:
        tape2.watch(images)
        loss2 = tf.reduce_sum(tf.matmul(tf.reduce_mean(
            tf.nn.conv2d(images, f, [1, 1, 1, 1], "SAME"), [1, 2]), w))
    calls.clear()
    gx2, gf2 = tape2.gradient(loss2, [images, f])
    assert "Conv2DBackpropInput" in calls and gx2.shape == images.shape
    np.testing.assert_allclose(gf2.numpy(), gf.numpy(), rtol=1e-6)
