"""Op chains the plan runs as one kernel (client/fusion.py): same values as the ops one by one,
and no fusion where a program could tell the difference."""
import numpy as np
import pytest

import tensorweave as tf
from tensorweave.kernels import fused


def _new_plan(sess, fetches, feed_dict=None):
    before = {id(c.plan) for c in sess._cache.values()}
    out = sess.run(fetches, feed_dict)
    plans = [c.plan for c in sess._cache.values() if id(c.plan) not in before]
    assert len(plans) == 1
    return out, [tuple(op.type for op in group) for group in plans[0].fused_groups]


def _conv_net(data_format="NHWC"):
    rng = np.random.RandomState(0)
    shape = [2, 6, 6, 3] if data_format == "NHWC" else [2, 3, 6, 6]
    x = tf.placeholder(tf.float32, shape)
    f = tf.Variable(rng.randn(3, 3, 3, 4).astype(np.float32))
    b = tf.Variable(rng.randn(4).astype(np.float32))
    conv = tf.nn.bias_add(tf.nn.conv2d(x, f, [1, 1, 1, 1], "SAME", data_format=data_format), b,
                          data_format=data_format)
    h = tf.nn.relu(conv)
    loss = tf.reduce_sum(tf.square(h))
    grads = tf.gradients(loss, [f, b])
    return x, rng.randn(*shape).astype(np.float32), conv, h, grads


@pytest.mark.parametrize("use_c_loops", [True, False])
def test_fused_pairs_give_the_unfused_values(use_c_loops):
    fused.set_enabled(use_c_loops)
    try:
        with tf.Graph().as_default():
            x, xv, conv, h, grads = _conv_net()
            with tf.Session() as sess:
                sess.run(tf.global_variables_initializer())
                (hv, gf, gb), pairs = _new_plan(sess, [h, *grads], {x: xv})
                assert sorted(pairs) == [("BiasAdd", "Relu"), ("ReluGrad", "BiasAddGrad")]
                # fetching the BiasAdd output too makes it visible: nothing fused forward
                (cv, hv2, gf2, gb2), pairs2 = _new_plan(sess, [conv, h, *grads], {x: xv})
                assert pairs2 == [("ReluGrad", "BiasAddGrad")]
        np.testing.assert_allclose(hv, np.maximum(cv, 0), rtol=1e-6)
        np.testing.assert_allclose(hv2, hv, rtol=1e-6)
        dz = 2 * hv * (cv > 0)
        np.testing.assert_allclose(gb, dz.sum(axis=(0, 1, 2)), rtol=1e-5)
        np.testing.assert_allclose(gb2, gb, rtol=1e-6)
        np.testing.assert_allclose(gf2, gf, rtol=1e-6)
    finally:
        fused.set_enabled(True)


def test_no_fusion_for_channels_first_or_an_extra_reader_or_control_inputs():
    with tf.Graph().as_default():
        x, xv, conv, h, grads = _conv_net("NCHW")
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            _, pairs = _new_plan(sess, [h, *grads], {x: xv})
            assert pairs == []
    with tf.Graph().as_default():
        v = tf.constant(np.array([[-1.0, 2.0]], np.float32))
        s = tf.nn.bias_add(v, tf.constant([0.5, -3.0]))
        with tf.Session() as sess:
            _, pairs = _new_plan(sess, [tf.nn.relu(s) + s])  # s has a second reader
            assert pairs == []
            marker = tf.no_op()
            with tf.control_dependencies([marker]):
                r = tf.nn.relu(s)
            out, pairs = _new_plan(sess, r)
            assert pairs == [] and out.tolist() == [[0.0, 0.0]]


def test_nan_and_negative_zero_pass_through_as_unfused():
    with tf.Graph().as_default():
        v = tf.placeholder(tf.float32, [1, 3])
        r = tf.nn.relu(tf.nn.bias_add(v, tf.constant([0.0, 1.0, -1.0])))
        with tf.Session() as sess:
            out, pairs = _new_plan(sess, r, {v: [[np.nan, -2.0, 0.5]]})
    assert pairs == [("BiasAdd", "Relu")]
    assert np.isnan(out[0, 0]) and out[0, 1:].tolist() == [0.0, 0.0]


@pytest.mark.parametrize("use_c_loops", [True, False])
@pytest.mark.parametrize("pool", [(2, 2, "VALID"), (3, 2, "SAME"), (2, 3, "SAME")])
def test_max_pool_grad_relu_grad_bias_grad_chain(use_c_loops, pool):
    """The backward pass of conv -> bias -> relu -> max_pool runs as one kernel (C loop for
    disjoint windows, the three kernels otherwise) with the values of the ops one by one."""
    k, s, padding = pool
    fused.set_enabled(use_c_loops)
    try:
        with tf.Graph().as_default():
            rng = np.random.RandomState(k + s)
            x = tf.placeholder(tf.float32, [3, 9, 8, 2])
            f = tf.Variable(rng.randn(3, 3, 2, 5).astype(np.float32))
            b = tf.Variable(rng.randn(5).astype(np.float32))
            h = tf.nn.relu(tf.nn.bias_add(tf.nn.conv2d(x, f, [1, 1, 1, 1], "SAME"), b))
            p = tf.nn.max_pool(h, [1, k, k, 1], [1, s, s, 1], padding)
            loss = tf.reduce_sum(tf.square(p) * rng.randn(*p.shape.as_list()))
            *grads, dh = tf.gradients(loss, [f, b, x, h])  # dh: the MaxPoolGrad output
            xv = rng.randint(-2, 3, [3, 9, 8, 2]).astype(np.float32)  # ties inside windows
            with tf.Session() as sess:
                sess.run(tf.global_variables_initializer())
                got, groups = _new_plan(sess, grads, {x: xv})
                assert ("MaxPoolGrad", "ReluGrad", "BiasAddGrad") in groups
                want_and_dh, groups2 = _new_plan(sess, grads + [dh], {x: xv})  # dh fetched
                assert ("MaxPoolGrad", "ReluGrad", "BiasAddGrad") not in groups2
        for g, w in zip(got, want_and_dh[:3]):
            np.testing.assert_allclose(g, w, rtol=1e-5, atol=1e-5)
    finally:
        fused.set_enabled(True)


def test_no_chain_when_the_relu_reads_features_made_later():
    """A ReluGrad whose features come after the MaxPoolGrad in the plan is not pulled ahead."""
    from tensorweave.framework.ops import apply_op
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [1, 4, 4, 1])
        y = tf.nn.max_pool(x, [1, 2, 2, 1], [1, 2, 2, 1], "VALID")
        dx = apply_op("MaxPoolGrad", [x, y, tf.ones_like(y)], y.op.attrs)
        with tf.control_dependencies([dx]):
            later = tf.identity(tf.square(x) - 1.0)
        dz = apply_op("ReluGrad", [dx, later])
        db = apply_op("BiasAddGrad", [dz], {"data_format": "NHWC"})
        xv = np.arange(16, dtype=np.float32).reshape(1, 4, 4, 1)
        with tf.Session() as sess:
            (got,), groups = _new_plan(sess, [db], {x: xv})
    assert ("MaxPoolGrad", "ReluGrad", "BiasAddGrad") not in groups
    assert got.tolist() == [4.0]  # windows' maxima 5, 7, 13, 15; features > 0 at all four
