"""Keras recurrent layers beyond the tf.keras fixtures: the generic ``RNN`` with built-in and
user cells (NumPy loop references), masks reaching an RNN through ``Embedding(mask_zero)``,
``Bidirectional`` outputs/weights, dropout, stateful layers (tf.keras fixture), gradients
against central differences, configs that round-trip, and clear errors."""
import os

import numpy as np
import pytest

import tensorweave as tf
from tensorweave.eager import context

K = tf.keras.backend
RNG = np.random.RandomState(5)


def _run(tensors):
    return K.get_session().run(tensors)


def _run_feed(tensors, feed):
    return K.get_session().run(tensors, feed)


class MinimalCell(tf.keras.layers.Layer):
    """A user cell: ``h = tanh(x @ w + h_prev)``."""

    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.state_size = units

    def build(self, input_shape):
        self.w = self.add_weight(name="w", shape=(int(input_shape[-1]), self.units),
                                 initializer="ones")
        self.built = True

    def call(self, inputs, states):
        h = tf.tanh(tf.matmul(inputs, self.w) + states[0])
        return h, [h]


def test_rnn_with_a_user_cell_matches_a_numpy_loop():
    x = RNG.normal(size=(2, 4, 3)).astype(np.float32)
    with tf.Graph().as_default():
        layer = tf.keras.layers.RNN(MinimalCell(2), return_sequences=True, go_backwards=True)
        out = _run(layer(tf.constant(x)))
        assert [w.name for w in layer.weights] == ["rnn/w:0"]
    h, expected = np.zeros((2, 2)), []
    for t in reversed(range(4)):
        h = np.tanh(x[:, t] @ np.ones((3, 2)) + h)
        expected.append(h)
    np.testing.assert_allclose(out, np.stack(expected, 1), rtol=1e-5)


def test_rnn_of_an_lstm_cell_equals_the_lstm_layer():
    x = RNG.normal(size=(3, 5, 2)).astype(np.float32)
    with tf.Graph().as_default():
        lstm = tf.keras.layers.LSTM(4)
        generic = tf.keras.layers.RNN(tf.keras.layers.LSTMCell(4))
        a, b = lstm(tf.constant(x)), generic(tf.constant(x))
        generic.set_weights(lstm.get_weights())
        np.testing.assert_allclose(*_run([a, b]), rtol=1e-6)


def test_embedding_mask_zero_reaches_the_rnn():
    ids = np.array([[3, 1, 0, 0], [2, 2, 2, 1]], np.int32)
    with tf.Graph().as_default():
        embedding = tf.keras.layers.Embedding(5, 3, mask_zero=True)
        rnn = tf.keras.layers.SimpleRNN(2, return_sequences=True)
        vectors = embedding(tf.constant(ids))
        out = _run(rnn(vectors, mask=embedding.compute_mask(tf.constant(ids))))
    np.testing.assert_array_equal(out[0, 2], out[0, 1])   # masked steps repeat the last output
    np.testing.assert_array_equal(out[0, 3], out[0, 1])
    assert not np.allclose(out[1, 3], out[1, 2])


def test_bidirectional_merge_none_and_states():
    x = RNG.normal(size=(2, 3, 2)).astype(np.float32)
    with tf.Graph().as_default():
        layer = tf.keras.layers.Bidirectional(
            tf.keras.layers.GRU(2, return_sequences=True, return_state=True), merge_mode=None)
        outs = layer(tf.constant(x))
        assert len(outs) == 4
        assert [o.shape.as_list() for o in outs] == [[2, 3, 2], [2, 3, 2], [2, 2], [2, 2]]
        assert [w.name for w in layer.weights] == [
            "bidirectional/forward_gru/kernel:0", "bidirectional/forward_gru/recurrent_kernel:0",
            "bidirectional/forward_gru/bias:0", "bidirectional/backward_gru/kernel:0",
            "bidirectional/backward_gru/recurrent_kernel:0",
            "bidirectional/backward_gru/bias:0"]
        forward, backward, h_forward, h_backward = _run(outs)
    np.testing.assert_array_equal(forward[:, -1], h_forward)  # forward ends at the last step
    np.testing.assert_array_equal(backward[:, 0], h_backward)  # backward ends at the first


@pytest.mark.parametrize("make", [
    lambda: tf.keras.layers.LSTM(3, return_sequences=True, unit_forget_bias=False),
    lambda: tf.keras.layers.GRU(2, reset_after=True, go_backwards=True),
    lambda: tf.keras.layers.SimpleRNN(4, activation="relu", return_state=True),
    lambda: tf.keras.layers.Bidirectional(tf.keras.layers.LSTM(2), merge_mode="ave"),
    lambda: tf.keras.layers.TimeDistributed(tf.keras.layers.Dense(3)),
])
def test_configs_round_trip(make):
    with tf.Graph().as_default():
        layer = make()
        config = layer.get_config()
        again = type(layer).from_config(config).get_config()
    assert again == config


@pytest.mark.parametrize("make", [
    lambda: tf.keras.layers.LSTM(3, return_sequences=True, go_backwards=True),
    lambda: tf.keras.layers.GRU(2, return_state=True, reset_after=True),
    lambda: tf.keras.layers.SimpleRNN(2, return_sequences=True),
])
def test_unknown_time_length_runs_a_while_loop_equal_to_the_unrolled_graph(make):
    x = RNG.normal(size=(3, 5, 2)).astype(np.float32)
    mask = np.array([[1, 1, 1, 1, 1], [0, 1, 1, 0, 1], [1, 1, 0, 0, 0]], bool)
    with tf.Graph().as_default():
        layer = make()
        known = tf.placeholder(tf.float32, [None, 5, 2])
        unknown = tf.placeholder(tf.float32, [None, None, 2])
        m = tf.placeholder(tf.bool, [None, None])
        unrolled, looped = [layer(t, mask=m) for t in (known, unknown)]
        assert any(op.type in ("While", "StatelessWhile")
                   for op in tf.get_default_graph().get_operations())

        def grads(outs, x_in):
            outs = outs if isinstance(outs, list) else [outs]
            loss = tf.add_n([tf.reduce_sum(o * o) for o in outs])
            return outs + tf.gradients(loss, [x_in] + layer.trainable_weights)
        a, b = _run_feed([grads(unrolled, known), grads(looped, unknown)],
                         {known: x, unknown: x, m: mask})
    for u, v in zip(a, b):
        np.testing.assert_allclose(u, v, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("cls, options", [
    (tf.keras.layers.SimpleRNN, {}), (tf.keras.layers.LSTM, {}),
    (tf.keras.layers.GRU, {}), (tf.keras.layers.GRU, {"reset_after": True}),
])
def test_dropout_only_in_training(cls, options):
    x = RNG.normal(size=(4, 5, 3)).astype(np.float32)
    with tf.Graph().as_default():
        tf.set_random_seed(1)
        inputs = tf.placeholder(tf.float32, [None, 5, 3])
        noisy = cls(4, dropout=0.4, recurrent_dropout=0.3, return_sequences=True, **options)
        plain = cls(4, return_sequences=True, **options)
        a, b = noisy(inputs), plain(inputs)
        grads = tf.gradients(tf.reduce_sum(a * a), noisy.trainable_weights)
        plain.set_weights(noisy.get_weights())
        sess = K.get_session()
        test_a, test_b = sess.run([a, b], {inputs: x})
        train_a, train_grads = sess.run([a, grads], {inputs: x, K.learning_phase(): True})
    np.testing.assert_allclose(test_a, test_b, rtol=1e-6)
    assert not np.allclose(train_a, test_a)
    assert all(np.isfinite(g).all() and np.abs(g).sum() > 0 for g in train_grads)


def test_regularizers_of_cells_and_wrapped_layers_reach_the_layer_losses():
    with tf.Graph().as_default():
        lstm = tf.keras.layers.LSTM(2, kernel_regularizer=tf.keras.regularizers.l2(0.1),
                                    activity_regularizer="l1")
        both = tf.keras.layers.Bidirectional(tf.keras.layers.GRU(2, recurrent_regularizer="l2"))
        lstm(tf.ones([1, 3, 2]))
        both(tf.ones([1, 3, 2]))
        assert len(lstm.losses) == 2 and len(both.losses) == 2
        penalty, kernel = _run([lstm.cell.losses[0], lstm.cell.kernel])
    np.testing.assert_allclose(penalty, 0.1 * np.sum(kernel ** 2), rtol=1e-5)


def _stateful_fixture():
    path = os.path.join(os.path.dirname(__file__), "..", "fixtures", "keras", "layers",
                        "layers.npz")
    arrays = np.load(path)
    return {k.split("/")[1]: arrays[k] for k in arrays.files if k.startswith("stateful_lstm/")}


@pytest.mark.parametrize("eager", [False, True], ids=["graph", "eager"])
def test_stateful_lstm_carries_states_across_batches_as_tf_keras(eager):
    data = _stateful_fixture()
    weights = [data[f"weight{i}"] for i in range(3)]
    K.clear_session()
    if eager:
        with context.eager_mode():
            layer = tf.keras.layers.LSTM(3, stateful=True, return_sequences=True)
            layer(tf.zeros([2, 4, 2]))
            layer.set_weights(weights)
            layer.reset_states()
            outs = [layer(tf.constant(data[f"input{i}"])).numpy() for i in range(2)]
            layer.reset_states()
            again = layer(tf.constant(data["input0"])).numpy()
    else:
        with tf.Graph().as_default():
            layer = tf.keras.layers.LSTM(3, stateful=True, return_sequences=True)
            x = tf.placeholder(tf.float32, (2, 4, 2))
            y = layer(x)
            layer.set_weights(weights)
            assert len(layer.states) == 2 and len(layer.weights) == 3  # states are not weights
            sess = K.get_session()
            outs = [sess.run([y] + layer.updates, {x: data[f"input{i}"]})[0] for i in range(2)]
            layer.reset_states()
            again = sess.run(y, {x: data["input0"]})
    for i, out in enumerate(outs):
        np.testing.assert_allclose(out, data[f"output{i}"], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(again, data["output_after_reset"], rtol=1e-5, atol=1e-6)


def test_stateful_needs_a_batch_size():
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="gru.*batch size"):
            tf.keras.layers.GRU(2, stateful=True)(tf.placeholder(tf.float32, [None, 3, 2]))


@pytest.mark.parametrize("time_steps", [3, None], ids=["unrolled", "while_loop"])
def test_lstm_gradients_match_float64_central_differences(time_steps):
    x = RNG.normal(size=(2, 3, 2))
    mask = np.array([[1, 1, 1], [1, 0, 1]], bool)
    with tf.Graph().as_default():
        inputs = tf.placeholder(tf.float64, [None, time_steps, 2])
        m = tf.placeholder(tf.bool, [None, time_steps])
        layer = tf.keras.layers.LSTM(2, return_sequences=True, dtype="float64",
                                     recurrent_activation="sigmoid")
        loss = tf.reduce_sum(tf.sin(layer(inputs, mask=m)))
        kernel = layer.cell.kernel
        grads = tf.gradients(loss, [inputs, kernel])
        sess = K.get_session()
        analytic = sess.run(grads, {inputs: x, m: mask})
        weights = sess.run(kernel)

        def numeric(value_of, base, eps=1e-6):
            out = np.zeros_like(base)
            for i in np.ndindex(base.shape):
                step = np.zeros_like(base)
                step[i] = eps
                out[i] = (value_of(base + step) - value_of(base - step)) / (2 * eps)
            return out

        d_inputs = numeric(lambda v: sess.run(loss, {inputs: v, m: mask}), x)
        d_kernel = numeric(lambda v: sess.run(loss, {inputs: x, m: mask, kernel: v}), weights)
    np.testing.assert_allclose(analytic[0], d_inputs, rtol=1e-5, atol=1e-8)
    np.testing.assert_allclose(analytic[1], d_kernel, rtol=1e-5, atol=1e-8)
