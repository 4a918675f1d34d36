"""tf.keras.backend against tf.keras (fixture ``backend`` in
tests/fixtures/keras/core/core.json): learning phase, names, sessions, values, clear_session."""
import json
import os

import numpy as np
import pytest

import tensorweave as tf
from tensorweave.eager import context

K = tf.keras.backend
HERE = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(HERE, "..", "fixtures", "keras", "core", "core.json")) as f:
    WANT = json.load(f)["backend"]


def test_facts_match_tf_keras():
    with tf.Graph().as_default():
        phase = K.learning_phase()
        v = K.variable(np.ones((2, 3)), name="v")
        anon = K.variable(1.5)
        p = K.placeholder(shape=(None, 4), name="p")
        uids = [K.get_uid("thing") for _ in range(3)]
        names = [tf.keras.layers.Dense(1).name for _ in range(2)]
        sess = K.get_session()  # initializes v and anon
        values = K.batch_get_value([v, anon])
        K.set_value(v, np.full((2, 3), 2.0))
        got = {"learning_phase": [phase.name, phase.dtype.name, phase.op.type],
               "variable_names": [v.name, anon.name], "placeholder": [p.name, K.int_shape(p)],
               "int_shape_v": K.int_shape(v), "uids": uids, "dense_names": names,
               "values": [np.asarray(a).tolist() for a in values],
               "after_set": sess.run(v).tolist(), "floatx": K.floatx(),
               "epsilon": K.epsilon(), "image_data_format": K.image_data_format()}
    assert json.loads(json.dumps(got)) == WANT


def test_get_session_uses_the_default_session_and_initializes_only_new_variables():
    with tf.Graph().as_default():
        v = K.variable(np.zeros(3))
        with tf.Session() as sess:
            assert K.get_session() is sess
            sess.run(tf.assign(v, [1.0, 2.0, 3.0]))
            w = K.variable(np.full(2, 7.0))
            assert K.get_session() is sess
            np.testing.assert_array_equal(sess.run(v), [1, 2, 3])  # not re-initialized
            np.testing.assert_array_equal(sess.run(w), [7, 7])
        own = K.get_session()
        assert own is not sess and own is K.get_session()
        mine = tf.Session()
        K.set_session(mine)
        assert K.get_session() is mine


def test_set_learning_phase_fixes_dropout():
    with tf.Graph().as_default():
        K.set_learning_phase(1)
        y = tf.keras.layers.Dropout(0.5, seed=1)(tf.ones([40, 5]))
        got = K.get_session().run(y)
        assert (got == 0).any() and set(np.unique(got)) <= {0.0, 2.0}
        with pytest.raises(ValueError, match="0 or 1"):
            K.set_learning_phase(2)


def test_clear_session_restarts_names_and_graph():
    graph = tf.get_default_graph()
    tf.keras.layers.Dense(1)
    K.clear_session()
    assert tf.get_default_graph() is not graph
    assert tf.keras.layers.Dense(1).name == "dense"
    K.clear_session()


def test_eager_values_and_learning_phase():
    with context.eager_mode():
        K.clear_session()
        v = K.variable([[1.0, 2.0]])
        K.set_value(v, [[3.0, 4.0]])
        np.testing.assert_array_equal(K.get_value(v), [[3.0, 4.0]])
        assert K.learning_phase() == 0
        K.set_learning_phase(1)
        assert K.learning_phase() == 1
        K.clear_session()
        assert K.learning_phase() == 0
        with pytest.raises(ValueError, match="shape"):
            K.set_value(v, np.zeros(3))


def test_function_runs_outputs_and_updates():
    with tf.Graph().as_default():
        x = K.placeholder(shape=(None, 2))
        counter = K.variable(0.0)
        f = K.function([x], [K.sum(x)], updates=[(counter, counter + 1.0)])
        assert f([np.ones((3, 2))]) == [6.0]
        f([np.ones((1, 2))])
        assert K.get_value(counter) == 2.0
