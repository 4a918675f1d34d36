"""Buffer forwarding in the compiled plan: an op overwrites its input only when no one else
can see that array (made by a fresh-output kernel, read once, not fed, not fetched)."""
import numpy as np

import tensorweave as tf


def _inplace_types(sess, fetches, feed_dict=None):
    before = set(id(p) for p in _all_plans(sess))
    sess.run(fetches, feed_dict)
    new = [p for p in _all_plans(sess) if id(p) not in before]
    assert len(new) == 1
    return sorted(op.type for op in new[0].inplace_ops)


def _all_plans(sess):
    return [compiled.plan for compiled in sess._cache.values()]


def test_relu_of_bias_add_of_matmul_runs_in_place_with_correct_values():
    rng = np.random.RandomState(0)
    xv = rng.randn(4, 3).astype(np.float32)
    wv = rng.randn(3, 5).astype(np.float32)
    bv = rng.randn(5).astype(np.float32)
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 3])
        w = tf.Variable(wv)
        y = tf.nn.relu(tf.nn.bias_add(tf.matmul(x, w), bv)) * 2.0 + 1.0
        with tf.Session() as sess:
            sess.run(w.initializer)
            # BiasAdd -> Relu run as one fused in-place kernel (client/fusion.py)
            assert _inplace_types(sess, y, {x: xv}) == ["AddV2", "BiasAdd", "Mul"]
            got = sess.run(y, {x: xv})
            np.testing.assert_allclose(got, np.maximum(xv @ wv + bv, 0) * 2 + 1, rtol=1e-6)
            np.testing.assert_array_equal(sess.run(w), wv)  # the variable is untouched


def test_no_forwarding_of_fed_fetched_shared_or_variable_arrays():
    xv = np.array([[-1.0, 2.0]], np.float32)
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [1, 2])
        v = tf.Variable([[-3.0, 4.0]])
        m = tf.matmul(x, [[1.0, 0.0], [0.0, 1.0]])
        with tf.Session() as sess:
            sess.run(v.initializer)
            # fed input, variable value: not private
            assert _inplace_types(sess, [tf.nn.relu(x), tf.nn.relu(v)], {x: xv}) == []
            np.testing.assert_array_equal(xv, [[-1.0, 2.0]])
            np.testing.assert_array_equal(sess.run(v), [[-3.0, 4.0]])
            # fetched, or read twice: the array must survive
            r = tf.nn.relu(m)
            assert _inplace_types(sess, [m, r], {x: xv}) == []
            got_m, got_r = sess.run([m, r], {x: xv})
            np.testing.assert_array_equal(got_m, [[-1.0, 2.0]])
            twice = tf.nn.relu(m) + m  # m is read twice: Relu copies; the sum reuses Relu's array
            assert _inplace_types(sess, twice, {x: xv}) == ["AddV2"]
            np.testing.assert_array_equal(sess.run(twice, {x: xv}), [[-1.0, 4.0]])
            # an output that is a view of its input (Reshape) is not fresh
            assert _inplace_types(sess, tf.nn.relu(tf.reshape(m, [2])), {x: xv}) == []


def test_broadcast_that_grows_the_result_and_dtype_changes_fall_back():
    with tf.Graph().as_default():
        a = tf.matmul([[1.0], [2.0]], [[3.0]])          # (2, 1), private
        grown = a + tf.constant([[1.0, 2.0, 3.0]])     # result (2, 3): cannot reuse a's buffer
        m = tf.matmul([[1.0, -2.0]], [[1.0], [1.0]])   # (1, 1) = -1
        with tf.Session() as sess:
            np.testing.assert_array_equal(sess.run(grown), [[4, 5, 6], [7, 8, 9]])
            assert sess.run(tf.cast(m, tf.int32) + 1) == [[0]]
