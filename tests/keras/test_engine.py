"""The Keras engine against tf.keras (TF1 graph mode): weight names, layer order, summaries,
configs (fixtures from tests/fixtures/keras/engine/make_keras_engine_fixtures.py), and
functional/Sequential/subclassed models computing what NumPy computes, in graph and eager."""
import json
import os

import numpy as np
import pytest

import tensorweave as tf
from tensorweave.eager import context

keras = tf.keras
HERE = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(HERE, "..", "fixtures", "keras", "engine", "engine.json")) as f:
    FIXTURES = json.load(f)


def _models():
    """The fixture script's models, built the same way (same layer names in a fresh graph)."""
    seq = keras.Sequential([keras.layers.Dense(64, activation="relu", input_shape=(32,)),
                            keras.layers.Dropout(0.5),
                            keras.layers.Dense(10, activation="softmax")])
    a = keras.Input(shape=(3,), name="a")
    b = keras.Input(shape=(3,), name="b")
    shared = keras.layers.Dense(5, activation="relu")
    h = keras.layers.Dense(2)(keras.layers.Activation("tanh")(shared(a)))
    h2 = keras.layers.Reshape((5, 1))(shared(b))
    functional = keras.Model([a, b], [h, keras.layers.Flatten()(h2)], name="two_heads")
    inner = keras.Sequential([keras.layers.Dense(3, activation="relu", input_shape=(2,)),
                              keras.layers.Dense(3)], name="inner")
    x = keras.Input((2,), name="x")
    y = keras.layers.Dense(1, name="head")(keras.layers.Masking()(inner(x)))
    nested = keras.Model(x, y, name="outer")

    class Sub(keras.Model):
        def __init__(self):
            super().__init__()
            self.by_key = {"a": keras.layers.Dense(2)}
            self.blocks = [keras.layers.Dense(3), keras.layers.Dense(1)]

        def call(self, inputs):
            return self.blocks[1](self.blocks[0](self.by_key["a"](inputs)))

    subclassed = Sub()
    subclassed(tf.placeholder(tf.float32, [None, 4]))
    return {"sequential": seq, "functional": functional, "nested": nested,
            "subclassed": subclassed}


SUMMARY_ARGS = {"nested": dict(line_length=80, positions=[.3, .6, .8, 1.])}


@pytest.fixture()
def models():
    with tf.Graph().as_default():
        yield _models()


@pytest.mark.parametrize("name", ["sequential", "functional", "nested", "subclassed"])
def test_names_summary_and_config_match_tf_keras(models, name):
    model, want = models[name], FIXTURES[name]
    assert model.name == want["name"]
    assert [w.name for w in model.weights] == want["weights"]
    assert [layer.name for layer in model.layers] == want["layers"]
    lines = []
    model.summary(print_fn=lines.append, **SUMMARY_ARGS.get(name, {}))
    assert "\n".join(lines).split("\n") == want["summary"]
    if want["config"] is None:
        with pytest.raises(NotImplementedError):
            model.get_config()
    else:
        assert json.loads(json.dumps(model.get_config())) == want["config"]


def test_functional_model_from_config_computes_the_same(models):
    model = models["functional"]
    rng = np.random.RandomState(0)
    xa, xb = rng.rand(4, 3).astype(np.float32), rng.rand(4, 3).astype(np.float32)
    sess = keras.backend.get_session()
    want = sess.run(model.outputs, {model.inputs[0]: xa, model.inputs[1]: xb})
    clone = keras.Model.from_config(model.get_config())
    clone.set_weights(model.get_weights())
    got = sess.run(clone.outputs, {clone.inputs[0]: xa, clone.inputs[1]: xb})
    for g, w in zip(got, want):
        np.testing.assert_allclose(g, w, rtol=1e-6)
    k1, b1 = model.get_layer("dense_2").get_weights()
    k2, b2 = model.get_layer("dense_3").get_weights()
    np.testing.assert_allclose(want[0], np.tanh(np.maximum(xa @ k1 + b1, 0)) @ k2 + b2,
                               rtol=1e-5)
    np.testing.assert_allclose(want[1], np.maximum(xb @ k1 + b1, 0), rtol=1e-5)


def test_sequential_from_config_and_calls_on_new_tensors(models):
    model = models["sequential"]
    again = keras.Sequential.from_config(model.get_config())
    assert [type(layer).__name__ for layer in again.layers] == ["Dense", "Dropout", "Dense"]
    x = tf.placeholder(tf.float32, [None, 32])
    y = model(x)
    assert y.shape.as_list() == [None, 10]
    xv = np.random.RandomState(1).rand(2, 32).astype(np.float32)
    probs = keras.backend.get_session().run(y, {x: xv})  # dropout off: learning phase 0
    k1, b1, k2, b2 = model.get_weights()
    h = np.maximum(xv @ k1 + b1, 0) @ k2 + b2
    np.testing.assert_allclose(probs, np.exp(h) / np.exp(h).sum(1, keepdims=True), rtol=1e-5)


def test_subclassed_model_tracks_layers_and_trains_eagerly():
    class Block(keras.Model):
        def __init__(self):
            super().__init__(name="block")
            self.dense = keras.layers.Dense(4, activation="relu")
            self.heads = [keras.layers.Dense(1), keras.layers.Dense(1)]

        def call(self, x):
            h = self.dense(x)
            return self.heads[0](h) + self.heads[1](h)

    with context.eager_mode():
        keras.backend.clear_session()  # eager layer names count per process
        model = Block()
        x = tf.constant(np.random.RandomState(2).rand(3, 5).astype(np.float32))
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(model(x))
        grads = tape.gradient(loss, model.trainable_weights)
        assert [w.name for w in model.weights] == [
            "block/dense/kernel:0", "block/dense/bias:0", "block/dense_1/kernel:0",
            "block/dense_1/bias:0", "block/dense_2/kernel:0", "block/dense_2/bias:0"]
        assert all(g is not None for g in grads)
        with pytest.raises(NotImplementedError):
            model.get_config()


def test_graph_and_eager_dense_agree():
    rng = np.random.RandomState(3)
    x = rng.rand(2, 3).astype(np.float32)
    kernel, bias = rng.rand(3, 4).astype(np.float32), rng.rand(4).astype(np.float32)
    with tf.Graph().as_default():
        layer = keras.layers.Dense(4, activation="sigmoid", weights=[kernel, bias])
        graph_out = keras.backend.get_session().run(layer(tf.constant(x)))
    with context.eager_mode():
        layer = keras.layers.Dense(4, activation="sigmoid", weights=[kernel, bias])
        eager_out = layer(tf.constant(x)).numpy()
    want = 1 / (1 + np.exp(-(x @ kernel + bias)))
    np.testing.assert_allclose(graph_out, want, rtol=1e-6)
    np.testing.assert_allclose(eager_out, want, rtol=1e-6)


def test_errors_name_the_layer():
    with tf.Graph().as_default():
        layer = keras.layers.Dense(2)
        layer(tf.placeholder(tf.float32, [None, 3]))
        with pytest.raises(ValueError, match="dense"):
            layer(tf.placeholder(tf.float32, [None, 4]))
        with pytest.raises(ValueError, match="expecting 2 weights"):
            layer.set_weights([np.zeros((3, 2))])


def test_eager_losses_are_fresh_each_call_and_differentiable():
    with context.eager_mode():
        layer = keras.layers.Dense(2, kernel_regularizer=keras.regularizers.l2(0.5),
                                   activity_regularizer=keras.regularizers.l1(0.1))
        x = tf.constant(np.ones((4, 3), np.float32))
        layer(x)
        layer(x)
        assert len(layer.losses) == 2  # the kernel penalty and the latest activity penalty
        layer.kernel.assign(np.full((3, 2), 2.0, np.float32))
        with tf.GradientTape() as tape:
            y = layer(x)
            total = tf.add_n(layer.losses)
        kernel_grad = tape.gradient(total, layer.kernel).numpy()
        bias = layer.bias.numpy()
        activity = 0.1 * np.abs(np.ones((4, 3)) @ np.full((3, 2), 2.0) + bias).sum() / 4
        np.testing.assert_allclose(total.numpy(), 0.5 * 4.0 * 6 + activity, rtol=1e-5)
        np.testing.assert_allclose(kernel_grad, 0.5 * 2 * 2.0 + 0.1 * 4 / 4, rtol=1e-5)
        np.testing.assert_allclose(y.numpy(), np.full((4, 2), 6.0) + bias, rtol=1e-6)


def test_nested_model_from_config_computes_the_same(models):
    model = models["nested"]
    x = np.random.RandomState(4).randn(3, 2).astype(np.float32)
    sess = keras.backend.get_session()
    want = sess.run(model.outputs[0], {model.inputs[0]: x})
    clone = keras.Model.from_config(model.get_config())
    assert [type(layer).__name__ for layer in clone.layers] == [
        "InputLayer", "Sequential", "Masking", "Dense"]
    clone.set_weights(model.get_weights())
    got = sess.run(clone.outputs[0], {clone.inputs[0]: x})
    k1, b1, k2, b2, k3, b3 = model.get_weights()
    h = np.maximum(x @ k1 + b1, 0) @ k2 + b2
    h = h * (h != 0).any(-1, keepdims=True)  # Masking(0.)
    np.testing.assert_allclose(want, h @ k3 + b3, rtol=1e-5)
    np.testing.assert_allclose(got, want, rtol=1e-6)


def test_functional_model_runs_eagerly_with_shared_layers():
    with context.eager_mode():
        a, b = keras.Input((3,)), keras.Input((3,))
        shared = keras.layers.Dense(2, activation="relu")
        model = keras.Model([a, b], [shared(a), shared(b)])
        xa, xb = np.ones((2, 3), np.float32), -np.ones((2, 3), np.float32)
        ya, yb = model([tf.constant(xa), tf.constant(xb)])
        kernel, bias = shared.get_weights()
        np.testing.assert_allclose(ya.numpy(), np.maximum(xa @ kernel + bias, 0), rtol=1e-6)
        np.testing.assert_allclose(yb.numpy(), np.maximum(xb @ kernel + bias, 0), rtol=1e-6)
        assert len(model.weights) == 2 and model.layers[-1] is shared
        keras.backend.clear_session()
        inner = keras.Sequential([keras.layers.Dense(3, input_shape=(2,))])
        outer = keras.Sequential([inner, keras.layers.Dense(1)])
        assert [w.name for w in outer.weights] == [  # as tf.keras names them eagerly
            "dense/kernel:0", "dense/bias:0", "dense_1/kernel:0", "dense_1/bias:0"]
        assert [layer.name for layer in outer.layers] == ["sequential", "dense_1"]


def test_sequential_built_on_first_call_add_and_pop():
    with tf.Graph().as_default():
        model = keras.Sequential()
        model.add(keras.layers.Dense(4))
        model.add(keras.layers.Dense(2))
        assert not model.built and model.weights == []
        x = tf.placeholder(tf.float32, [None, 3])
        y = model(x)
        assert y.shape.as_list() == [None, 2]
        assert [w.shape.as_list() for w in model.weights] == [[3, 4], [4], [4, 2], [2]]
        model.pop()
        assert [layer.name for layer in model.layers] == ["dense"]
        assert model.outputs[0].shape.as_list() == [None, 4]
        model.add(keras.layers.Activation("relu"))
        xv = np.random.RandomState(5).randn(2, 3).astype(np.float32)
        k, b = model.get_layer(index=0).get_weights()
        got = keras.backend.get_session().run(model.outputs[0], {model.inputs[0]: xv})
        np.testing.assert_allclose(got, np.maximum(xv @ k + b, 0), rtol=1e-6)
        with pytest.raises(ValueError, match="No such layer"):
            model.get_layer("missing")
        with pytest.raises(TypeError, match="instance of class Layer"):
            model.add("dense")
