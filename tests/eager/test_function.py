"""tf.function / tf.contrib.eager.defun: tracing per signature, variables by reference,
stateful ops, gradients under GradientTape, input_signature, methods, Keras models; values
against NumPy references."""
import numpy as np
import pytest

import tensorweave as tf
from tensorweave.eager import context

tfe = tf.contrib.eager


@pytest.fixture(autouse=True)
def eager():
    with context.eager_mode():
        yield


def _relu_net(x, w):
    return np.maximum(x @ w, 0.0)


def test_traces_once_per_signature_and_computes_the_values():
    traces = []

    @tfe.defun
    def f(x, scale=2.0):
        traces.append(1)  # a Python side effect: runs only while tracing
        return tf.reduce_sum(x * x) * scale

    x = np.arange(6, dtype=np.float32).reshape(2, 3)
    assert float(f(tf.constant(x))) == pytest.approx(2.0 * (x * x).sum())
    assert float(f(tf.constant(x + 1))) == pytest.approx(2.0 * ((x + 1) ** 2).sum())
    assert len(traces) == 1
    assert float(f(tf.constant(x), 3.0)) == pytest.approx(3.0 * (x * x).sum())   # new value
    f(tf.constant(x[:1]))                                                         # new shape
    f(tf.constant(x.astype(np.float64)))                                          # new dtype
    assert len(traces) == 4
    out = f(x, scale=0.5)   # NumPy arrays count as tensors
    assert float(out) == pytest.approx(0.5 * (x * x).sum())


def test_nested_results_python_values_and_operations():
    @tf.function
    def f(x):
        return {"double": x * 2.0, "pair": (x + 1.0, "label")}

    out = f(tf.constant([1.0, 2.0]))
    np.testing.assert_array_equal(out["double"].numpy(), [2.0, 4.0])
    np.testing.assert_array_equal(out["pair"][0].numpy(), [2.0, 3.0])
    assert out["pair"][1] == "label"


def test_variables_are_captured_by_reference_and_stateful_ops_run():
    w = tf.Variable(np.ones((3, 2), np.float32), name="w")
    counter = tf.Variable(0.0, trainable=False, name="counter")

    @tfe.defun
    def f(x):
        counter.assign_add(1.0)   # output unused: runs anyway, in program order
        return tf.matmul(x, w)

    x = np.arange(6, dtype=np.float32).reshape(2, 3)
    np.testing.assert_allclose(f(x).numpy(), x @ np.ones((3, 2)))
    w.assign(np.full((3, 2), 2.0, np.float32))   # seen by the traced graph
    np.testing.assert_allclose(f(x).numpy(), x @ np.full((3, 2), 2.0))
    assert counter.numpy() == 2.0

    @tfe.defun
    def read_after_write(v):
        counter.assign(v)
        return counter.read_value() * 10.0

    assert float(read_after_write(tf.constant(4.0))) == 40.0


def test_gradients_through_a_defun_call_equal_the_numpy_reference():
    rng = np.random.RandomState(0)
    x = rng.randn(4, 3).astype(np.float32)
    w0 = rng.randn(3, 2).astype(np.float32)
    w = tf.Variable(w0, name="w")
    steps = tf.Variable(0.0, trainable=False, name="steps")

    @tfe.defun
    def loss_fn(inputs):
        steps.assign_add(1.0)
        return tf.reduce_sum(tf.nn.relu(tf.matmul(inputs, w)) ** 2)

    xt = tf.constant(x)
    for _ in range(2):   # the first recorded call builds the gradient; the second reuses it
        with tf.GradientTape() as tape:
            tape.watch(xt)
            loss = loss_fn(xt)
        gw, gx = tape.gradient(loss, [w, xt])
        h = x @ w0
        dh = 2.0 * np.maximum(h, 0.0) * (h > 0)
        np.testing.assert_allclose(loss.numpy(), (np.maximum(h, 0.0) ** 2).sum(), rtol=1e-5)
        np.testing.assert_allclose(gw.numpy(), x.T @ dh, rtol=1e-5)
        np.testing.assert_allclose(gx.numpy(), dh @ w0.T, rtol=1e-5)
    assert steps.numpy() == 2.0   # the gradient did not re-run the forward pass


def test_gradient_composes_with_ops_around_the_call():
    @tf.function
    def square(t):
        return t * t

    x = tf.constant([1.0, -2.0, 3.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_sum(tf.sin(square(x)))
    np.testing.assert_allclose(tape.gradient(y, x).numpy(),
                               np.cos(np.array([1.0, 4.0, 9.0])) * 2 * np.array([1.0, -2.0, 3.0]),
                               rtol=1e-5)


def test_input_signature_allows_unknown_dimensions_and_checks_arguments():
    traces = []

    @tfe.defun(input_signature=[tf.TensorSpec(shape=[None, 2], dtype=tf.float32)])
    def f(x):
        traces.append(x.shape.as_list())
        return tf.reduce_sum(x, axis=1)

    np.testing.assert_array_equal(f(np.ones((3, 2), np.float32)).numpy(), [2.0] * 3)
    np.testing.assert_array_equal(f(np.ones((5, 2), np.float32)).numpy(), [2.0] * 5)
    assert traces == [[None, 2]]
    with pytest.raises(ValueError, match="not compatible"):
        f(np.ones((3, 4), np.float32))
    with pytest.raises(TypeError, match="input_signature"):
        f(np.ones((3, 2), np.float32), np.ones((3, 2), np.float32))


def test_method_decorator_traces_per_instance():
    class Scaler:
        def __init__(self, k):
            self.k = tf.Variable(k)

        @tfe.defun
        def __call__(self, x):
            return x * self.k

    a, b = Scaler(2.0), Scaler(3.0)
    assert float(a(tf.constant(1.5))) == 3.0
    assert float(b(tf.constant(1.5))) == 4.5


def test_graph_mode_calls_the_function_into_the_graph():
    with context.graph_mode(), tf.Graph().as_default():
        f = tfe.defun(lambda x: x * 3.0)
        y = f(tf.constant(2.0))
        with tf.Session() as sess:
            assert sess.run(y) == 6.0


def test_keras_model_call_traced_creates_variables_eagerly():
    tf.keras.backend.clear_session()
    rng = np.random.RandomState(1)
    model = tf.keras.Sequential([tf.keras.layers.Dense(4, activation="relu", input_shape=(3,)),
                                 tf.keras.layers.Dense(1)])
    call = tfe.defun(model.call)
    x = rng.randn(5, 3).astype(np.float32)
    out = call(tf.constant(x))
    k1, b1, k2, b2 = [v.numpy() for v in model.weights]
    np.testing.assert_allclose(out.numpy(), np.maximum(x @ k1 + b1, 0) @ k2 + b2, rtol=1e-5)
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(call(tf.constant(x)))
    grads = tape.gradient(loss, model.trainable_weights)
    np.testing.assert_allclose(grads[3].numpy(), [1.0], rtol=1e-6)
    np.testing.assert_allclose(grads[2].numpy(), np.maximum(x @ k1 + b1, 0).mean(0)[:, None],
                               rtol=1e-5)


def test_contrib_eager_names():
    assert tfe.num_gpus() == 0
    assert tfe.GradientTape is tf.GradientTape and tfe.Variable is tf.Variable
    (g,) = tfe.gradients_function(lambda t: t * t * t)(2.0)
    assert float(g) == 12.0
    v = tf.Variable(3.0)
    value, pairs = tfe.implicit_value_and_gradients(lambda t: v * t)(5.0)
    assert float(value) == 15.0 and float(pairs[0][0]) == 5.0 and pairs[0][1] is v
    with pytest.raises(ValueError, match="No trainable variables"):
        tfe.implicit_gradients(lambda t: t * 2.0)(1.0)


def test_keras_model_built_inside_the_trace_updates_batch_norm_once_per_call():
    tf.keras.backend.clear_session()
    model = tf.keras.Sequential([tf.keras.layers.BatchNormalization(momentum=0.5)])
    forward = tf.function(lambda t: model(t, training=True))
    x = np.array([[1.0, 2.0], [3.0, 6.0]], np.float32)
    out = forward(tf.constant(x))   # the Sequential builds on its own Input inside the trace
    mean, var = x.mean(0), x.var(0)
    np.testing.assert_allclose(out.numpy(), (x - mean) / np.sqrt(var + 1e-3), rtol=1e-4)
    forward(tf.constant(x))
    moving_mean = [w for w in model.weights if "moving_mean" in w.name][0]
    np.testing.assert_allclose(moving_mean.numpy(), mean * 0.75, rtol=1e-5)  # two updates
