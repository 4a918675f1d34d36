"""Session.run: fetch structures, feeds, errors, caching, variables and defaults."""
import collections
import time

import numpy as np
import pytest

import tensorweave as tf


@pytest.fixture(autouse=True)
def fresh_graph():
    with tf.Graph().as_default() as g:
        yield g


def test_fetch_structures_come_back_in_shape():
    P = collections.namedtuple("P", "a b")
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    y = x * 2
    z = tf.identity(x)
    with tf.Session() as sess:
        r = sess.run({"k": [y, (y,)], "p": P(a=y, b=z.op)}, {x: [[1, 2, 3]]})
        assert isinstance(r["p"], P) and r["p"].b is None
        np.testing.assert_array_equal(r["k"][1][0], [[2, 4, 6]])
        assert isinstance(r["k"], list) and isinstance(r["k"][1], tuple)
        np.testing.assert_array_equal(sess.run("mul:0", {"x:0": [[1, 1, 1]]}), [[2, 2, 2]])
        assert sess.run(z.op, {x: [[1, 2, 3]]}) is None


def test_scalars_are_numpy_scalars_and_dtype_follows_tensor():
    with tf.Session() as sess:
        v = sess.run(tf.constant(3))
        assert type(v) is np.int32
        assert sess.run(tf.constant([1, 2])).dtype == np.int32
        out = sess.run(tf.constant([1.0, 2.0]))
        out[0] = 5.0  # fetched arrays are the caller's to modify
        assert sess.run(tf.constant([1.0, 2.0]))[0] == 1.0


def test_feed_any_tensor_and_conversion():
    a = tf.constant(2.0)
    b = a * 3.0
    c = b + 1.0
    with tf.Session() as sess:
        assert sess.run(c) == 7.0
        assert sess.run(c, {b: 10.0}) == 11.0
        assert sess.run(c, {a: np.float64(1.0)}) == 4.0


def test_feed_errors():
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    y = x * 2
    with tf.Session() as sess:
        with pytest.raises(ValueError, match=r"Cannot feed value of shape \(1, 2\) for Tensor x:0, which has shape \(\?, 3\)"):
            sess.run(y, {x: [[1, 2]]})
        with pytest.raises(ValueError):
            sess.run(y, {x: [["a", "b", "c"]]})
        with pytest.raises(TypeError, match="feed cannot be a tf.Tensor"):
            sess.run(y, {x: tf.constant([[1.0, 2.0, 3.0]])})
        with pytest.raises(TypeError, match="Cannot interpret feed_dict key"):
            sess.run(y, {"nope:0": 1})


def test_unfed_placeholder_error_names_it():
    x = tf.placeholder(tf.float32, [None, 3], name="inp")
    y = x + 1.0
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError) as e:
            sess.run(y)
    msg = str(e.value)
    assert "You must feed a value for placeholder tensor 'inp' with dtype float and shape [?,3]" in msg
    assert "test_session.py" in msg


def test_runtime_error_names_op_type_shapes_and_user_line():
    p = tf.placeholder(tf.float32)
    mm = tf.matmul(tf.ones([2, 3]), p, name="my_matmul")
    line = mm.op._creation_site[1]
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError) as e:
            sess.run(mm, {p: np.ones((4, 4))})
    msg = str(e.value)
    assert "my_matmul" in msg and "MatMul" in msg and "[2, 3]" in msg and "[4, 4]" in msg
    assert f"test_session.py:{line}" in msg
    assert e.value.op is mm.op


def test_uninitialized_variable_is_failed_precondition():
    v = tf.Variable(1.0, name="weights")
    with tf.Session() as sess:
        with pytest.raises(tf.errors.FailedPreconditionError, match="Attempting to use uninitialized value weights"):
            sess.run(v)
        sess.run(v.initializer)
        assert sess.run(v) == 1.0


def test_each_tensor_computed_once_per_run():
    calls = []

    def count(x):
        calls.append(1)
        return x
    from tensorweave.framework.registry import define_op, _OPS
    if "TestCounter" not in _OPS:
        define_op("TestCounter", lambda x: count(x), lambda i, a: [(i[0].dtype, i[0].shape)])
    from tensorweave.framework.ops import apply_op
    a = apply_op("TestCounter", [tf.constant(1.0)])
    b, c = a + 1.0, a * 2.0
    with tf.Session() as sess:
        sess.run([b, c, a, a])
    assert len(calls) == 1


def test_plans_are_cached_per_signature():
    x = tf.placeholder(tf.float32, [])
    y = x * 2.0
    with tf.Session() as sess:
        for i in range(5):
            assert sess.run(y, {x: float(i)}) == 2.0 * i
        assert len(sess._cache) == 1
        sess.run([y], {x: 1.0})
        assert len(sess._cache) == 2


def test_variables_live_in_the_session_not_the_graph():
    v = tf.Variable(1.0)
    inc = v.assign_add(1.0)
    s1, s2 = tf.Session(), tf.Session()
    s1.run(tf.global_variables_initializer())
    s2.run(tf.global_variables_initializer())
    s1.run(inc)
    s1.run(inc)
    assert s1.run(v) == 3.0 and s2.run(v) == 1.0


def test_fetched_variable_value_is_a_snapshot():
    v = tf.Variable([1.0, 2.0])
    inc = v.assign_add([1.0, 1.0])
    with tf.Session() as sess:
        sess.run(v.initializer)
        before = sess.run(v)
        sess.run(inc)
        assert before.tolist() == [1.0, 2.0]


def test_default_session_eval_run_and_interactive():
    c = tf.constant(4.0) * 2.0
    with tf.Session() as sess:
        assert tf.get_default_session() is sess
        assert c.eval() == 8.0
        tf.no_op().run()
    with pytest.raises(ValueError, match="No default session"):
        c.eval()
    sess = tf.InteractiveSession()
    try:
        assert c.eval() == 8.0
    finally:
        sess.close()
    with pytest.raises(RuntimeError, match="closed Session"):
        sess.run(c)


def test_make_callable_and_string_fetches():
    x = tf.placeholder(tf.float32, [], name="x")
    y = tf.identity(x * 3.0, name="y")
    with tf.Session() as sess:
        f = sess.make_callable(y, [x])
        assert f(2.0) == 6.0
        assert sess.run("y:0", {"x:0": 1.0}) == 3.0
        assert sess.run("y", {"x:0": 1.0}) is None


def test_sparse_fetch_and_feed():
    sp = tf.SparseTensor(indices=[[0, 1], [1, 0]], values=[3.0, 4.0], dense_shape=[2, 2])
    with tf.Session() as sess:
        v = sess.run(sp)
        assert isinstance(v, tf.SparseTensorValue)
        assert v.indices.tolist() == [[0, 1], [1, 0]] and v.values.tolist() == [3.0, 4.0]
    ph = tf.SparseTensor(tf.placeholder(tf.int64, [None, 2]), tf.placeholder(tf.float32, [None]),
                         tf.placeholder(tf.int64, [2]))
    doubled = ph.values * 2.0
    with tf.Session() as sess:
        fed = sess.run(doubled, {ph: tf.SparseTensorValue([[0, 0]], [9.0], [1, 1])})
        assert fed.tolist() == [18.0]
        fed = sess.run(doubled, {ph: tf.SparseTensorValue([[0, 0], [0, 1]], [1.0, 2.0], [1, 2])})
        assert fed.tolist() == [2.0, 4.0]


def test_deliberate_op_errors_are_not_decorated_with_input_shapes():
    x = tf.placeholder(tf.float32, [])
    check = tf.Assert(x > 0.0, [x])
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError) as e:
            sess.run(check, {x: -1.0})
    assert "assertion failed" in str(e.value)
    assert "input shapes" not in str(e.value)


def test_a_fed_tensor_used_as_control_input_counts_as_computed():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [])
        with tf.control_dependencies([x.op]):
            y = tf.constant(2.0) * 3.0
        with tf.Session() as sess:
            assert sess.run(y, {x: 1.0}) == 6.0
            with pytest.raises(tf.errors.InvalidArgumentError, match="must feed"):
                sess.run(y)
