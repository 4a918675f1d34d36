"""The Keras layer families (conv, pooling, normalization, merge, embeddings, recurrent, wrappers,
advanced activations, noise) against tf.keras fixtures, in graph and in eager mode.

For every fixture case (tests/fixtures/keras/layers/make_keras_layers_fixtures.py): the same
weights and inputs give tf.keras's outputs, gradients (of ``sum(output * cotangent)`` for the
inputs and trainable weights), output masks and (BatchNormalization) updated moving statistics;
``get_config`` has tf.keras's keys and values; weights have tf.keras's names and order (TF 1.x
naming: RNN weights sit directly under the layer, not under a ``*_cell`` scope). Functional models
built here and models saved by tf.keras as HDF5 predict what tf.keras predicts.
"""
import json
import os
import re

import numpy as np
import pytest

import tensorweave as tf
from tensorweave.eager import context

HERE = os.path.join(os.path.dirname(__file__), "..", "fixtures", "keras", "layers")
with open(os.path.join(HERE, "layers.json")) as f:
    CASES = json.load(f)
MODELS = {name: CASES.pop(name) for name in ("sequence_model", "image_model")}
ARRAYS = np.load(os.path.join(HERE, "layers.npz"))


def _arrays(case: str, what: str) -> list:
    out, i = [], 0
    while f"{case}/{what}{i}" in ARRAYS:
        out.append(ARRAYS[f"{case}/{what}{i}"])
        i += 1
    return out


def _make_layer(meta: dict):
    kwargs = dict(meta["kwargs"])
    if "layer" in kwargs:
        inner, inner_kwargs = kwargs["layer"]
        kwargs["layer"] = getattr(tf.keras.layers, inner)(**inner_kwargs)
    if "cell" in kwargs:
        kwargs["cell"] = [getattr(tf.keras.layers, name)(**cell_kwargs)
                          for name, cell_kwargs in kwargs["cell"]]
    return getattr(tf.keras.layers, meta["class_name"])(**kwargs)


def _as_list(x) -> list:
    return list(x) if isinstance(x, (list, tuple)) else [x]


def _tf1_name(name: str) -> str:
    """tf-keras 2.x puts RNN cell weights under ``<layer>/<cell>_cell/``; TF 1.x does not
    (stacked cells keep their own scopes, without ``stacked_rnn_cells/``)."""
    if "/stacked_rnn_cells/" in name:
        return name.replace("/stacked_rnn_cells/", "/")
    return re.sub(r"/[a-z_]*_cell/", "/", name)


def _dense(grad):
    return tf.convert_to_tensor(grad) if grad is not None else grad


class Run:
    """One case run in graph or eager mode: outputs, grads, mask, updated weights, layer."""

    def __init__(self, case: str, eager: bool):
        self.case, self.meta = case, CASES[case]
        self.inputs = _arrays(case, "input")
        self.weights = _arrays(case, "weight")
        self.cotangents = _arrays(case, "cotangent")
        self.mask = ARRAYS[f"{case}/mask"] if f"{case}/mask" in ARRAYS else None
        tf.keras.backend.clear_session()
        if eager:
            with context.eager_mode():
                self._run_eager()
        else:
            with tf.Graph().as_default():
                self._run_graph()

    def _call_kwargs(self, mask):
        kwargs = dict(self.meta["call_kwargs"])
        if mask is not None:
            kwargs["mask"] = mask
        return kwargs

    def _float_inputs(self) -> bool:
        return not self.meta["options"].get("int_inputs")

    def _run_graph(self):
        phs = [tf.placeholder(tf.as_dtype(x.dtype), (None,) + x.shape[1:]) for x in self.inputs]
        feed = dict(zip(phs, self.inputs))
        mask = None
        if self.mask is not None:
            mask = tf.placeholder(tf.bool, (None, self.mask.shape[1]))
            feed[mask] = self.mask
        self.layer = _make_layer(self.meta)
        inputs = phs if len(phs) > 1 else phs[0]
        outputs = _as_list(self.layer(inputs, **self._call_kwargs(mask)))
        self.static_shapes = [o.shape.as_list() for o in outputs]
        self.layer.set_weights(self.weights)
        loss = tf.add_n([tf.reduce_sum(o * c) for o, c in zip(outputs, self.cotangents)])
        sources = (phs if self._float_inputs() else []) + self.layer.trainable_weights
        grads = [_dense(g) for g in tf.gradients(loss, sources)]
        sess = tf.keras.backend.get_session()
        self.outputs, self.grads = sess.run([outputs, grads], feed)
        out_mask = self.layer.compute_mask(inputs, mask)
        self.out_mask = sess.run(out_mask, feed) if out_mask is not None and \
            not isinstance(out_mask, list) else None
        self.updated = None
        if self.meta["options"].get("updates"):
            sess.run(self.layer.updates, feed)
            self.updated = self.layer.get_weights()

    def _run_eager(self):
        xs = [tf.constant(x) for x in self.inputs]
        mask = None if self.mask is None else tf.constant(self.mask)
        self.layer = _make_layer(self.meta)
        inputs = xs if len(xs) > 1 else xs[0]
        self.layer(inputs)  # builds the weights (in inference mode: no BN update yet)
        self.layer.set_weights(self.weights)
        with tf.GradientTape(persistent=True) as tape:
            for x in xs:
                tape.watch(x)
            outputs = _as_list(self.layer(inputs, **self._call_kwargs(mask)))
            loss = tf.add_n([tf.reduce_sum(o * c) for o, c in zip(outputs, self.cotangents)])
        self.static_shapes = [o.shape.as_list() for o in outputs]
        sources = (xs if self._float_inputs() else []) + self.layer.trainable_weights
        self.grads = [_dense(g).numpy() for g in tape.gradient(loss, sources)]
        self.outputs = [o.numpy() for o in outputs]
        out_mask = self.layer.compute_mask(inputs, mask)
        self.out_mask = out_mask.numpy() if out_mask is not None and \
            not isinstance(out_mask, list) else None
        self.updated = self.layer.get_weights() if self.meta["options"].get("updates") else None


def _close(actual, expected, what: str):
    np.testing.assert_allclose(actual, expected, rtol=2e-4, atol=2e-5, err_msg=what)


def _check(run: Run):
    case, meta = run.case, run.meta
    expected = _arrays(case, "output")
    assert len(run.outputs) == len(expected)
    for i, (a, e) in enumerate(zip(run.outputs, expected)):
        _close(a, e, f"{case}: output {i}")
    grads = _arrays(case, "grad")
    assert len(run.grads) == len(grads), f"{case}: gradient count"
    for i, (a, e) in enumerate(zip(run.grads, grads)):
        _close(a, e, f"{case}: gradient {i}")
    if meta["has_output_mask"]:
        np.testing.assert_array_equal(run.out_mask, ARRAYS[f"{case}/output_mask"])
    if run.updated is not None:
        for i, (a, e) in enumerate(zip(run.updated, _arrays(case, "updated"))):
            _close(a, e, f"{case}: weight {i} after the update")


@pytest.mark.parametrize("case", sorted(CASES))
def test_graph_mode_matches_tf_keras(case):
    run = Run(case, eager=False)
    _check(run)
    expected_shapes = CASES[case]["output_shapes"]
    for static, expected in zip(run.static_shapes, expected_shapes):
        assert static == expected, f"{case}: static output shape"
    shapes = [tf.TensorShape([None] + s[1:]) for s in CASES[case]["input_shapes"]]
    computed = run.layer.compute_output_shape(shapes if len(shapes) > 1 else shapes[0])
    computed = computed if isinstance(computed, list) else [computed]
    assert [c.as_list() for c in computed] == expected_shapes, f"{case}: compute_output_shape"
    assert [w.name for w in run.layer.weights] == \
        [_tf1_name(n) for n in CASES[case]["weight_names"]]
    assert [w.name for w in run.layer.trainable_weights] == \
        [_tf1_name(n) for n in CASES[case]["trainable_names"]]


@pytest.mark.parametrize("case", sorted(CASES))
def test_eager_mode_matches_tf_keras(case):
    run = Run(case, eager=True)
    _check(run)
    assert [w.name for w in run.layer.weights] == \
        [_tf1_name(n) for n in CASES[case]["weight_names"]]


def _normalized(value):
    """JSON form with floats rounded; serialized objects (initializers ...) without their
    ``dtype`` entry (that one is the serializer's business, not the layer's)."""
    if isinstance(value, dict):
        if set(value) == {"class_name", "config"} and isinstance(value["config"], dict):
            config = {k: v for k, v in value["config"].items() if k != "dtype"}
            return {"class_name": value["class_name"], "config": _normalized(config)}
        return {k: _normalized(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_normalized(v) for v in value]
    if isinstance(value, float):
        return round(value, 6)
    return value


@pytest.mark.parametrize("case", sorted(CASES))
def test_get_config_matches_tf_keras(case):
    with tf.Graph().as_default():
        run_layer = _make_layer(CASES[case])
        shapes = [(None,) + tuple(s[1:]) for s in CASES[case]["input_shapes"]]
        dtype = tf.int32 if CASES[case]["options"].get("int_inputs") else tf.float32
        phs = [tf.placeholder(dtype, s) for s in shapes]
        run_layer(phs if len(phs) > 1 else phs[0])
        config = json.loads(json.dumps(run_layer.get_config()))
        again = type(run_layer).from_config(config).get_config()
    assert json.loads(json.dumps(again)) == config, "from_config(get_config()) round trip"
    expected = CASES[case]["config"]
    if "layer" in expected:  # the wrapped layer's own config is K1/K2's: compare its keys
        assert sorted(config["layer"]["config"]) == sorted(expected["layer"]["config"])
        config["layer"]["config"] = expected["layer"]["config"]
    assert _normalized(config) == _normalized(expected)


def _sequence_model(layers):
    ids = layers.Input(shape=(6,), dtype="int32")
    h = layers.Embedding(7, 4, mask_zero=True)(ids)
    h = layers.Bidirectional(layers.LSTM(3, return_sequences=True))(h)
    h = layers.TimeDistributed(layers.Dense(4, activation="tanh"))(h)
    h = layers.GRU(3, reset_after=True, recurrent_activation="sigmoid")(h)
    return ids, layers.Dense(2)(h)


def _image_model(layers):
    images = layers.Input(shape=(8, 8, 3))
    a = layers.Conv2D(4, 3, padding="same")(images)
    a = layers.BatchNormalization()(a)
    a = layers.LeakyReLU()(a)
    b = layers.SeparableConv2D(4, 3, padding="same", activation="relu")(images)
    h = layers.Add()([a, b])
    h = layers.MaxPooling2D()(h)
    h = layers.ZeroPadding2D(1)(h)
    h = layers.DepthwiseConv2D(3)(h)
    h = layers.Concatenate()([layers.GlobalAveragePooling2D()(h),
                              layers.GlobalMaxPooling2D()(h)])
    return images, layers.Dense(3, activation="softmax")(h)


def _set_layer_by_layer(model, weights: list) -> list:
    """Assign tf.keras's ``model.weights`` order (each layer's weights in turn); the names in
    that order."""
    names, weights = [], list(weights)
    for layer in model.layers:
        count = len(layer.weights)
        layer.set_weights(weights[:count])
        names += [w.name for w in layer.weights]
        weights = weights[count:]
    return names


@pytest.mark.parametrize("eager", [False, True], ids=["graph", "eager"])
@pytest.mark.parametrize("name, builder", [("sequence_model", _sequence_model),
                                           ("image_model", _image_model)])
def test_functional_models_match_tf_keras(name, builder, eager):
    """Masks flow from Embedding through the wrappers and RNNs; weights come in Keras's order."""
    x, expected = ARRAYS[f"{name}/input"], ARRAYS[f"{name}/output"]
    weights = _arrays(name, "weight")
    tf.keras.backend.clear_session()
    if eager:
        with context.eager_mode():
            model = tf.keras.Model(*builder(tf.keras.layers))
            _set_layer_by_layer(model, weights)
            out = model(tf.constant(x)).numpy()
    else:
        with tf.Graph().as_default():
            model = tf.keras.Model(*builder(tf.keras.layers))
            names = _set_layer_by_layer(model, weights)
            out = tf.keras.backend.get_session().run(model.output, {model.input: x})
            assert names == [_tf1_name(n) for n in MODELS[name]["weight_names"]]
    _close(out, expected, name)


@pytest.mark.parametrize("eager", [False, True], ids=["graph", "eager"])
@pytest.mark.parametrize("name", ["saved_sequence_model", "saved_image_model"])
def test_models_saved_by_tf_keras_load_and_predict_the_same(name, eager):
    """HDF5 files tf.keras wrote: every layer's config and weights load here."""
    pytest.importorskip("h5py")
    from tensorweave.keras.saving import load_model
    path = os.path.join(HERE, name + ".h5")
    x, expected = ARRAYS[f"{name}/input"], ARRAYS[f"{name}/output"]
    tf.keras.backend.clear_session()
    if eager:
        with context.eager_mode():
            out = load_model(path, compile=False)(tf.constant(x)).numpy()
    else:
        with tf.Graph().as_default():
            model = load_model(path, compile=False)
            out = tf.keras.backend.get_session().run(model.output, {model.input: x})
    _close(out, expected, name)
