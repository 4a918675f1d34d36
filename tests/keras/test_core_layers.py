"""Keras core layers, activations and config objects against tf.keras (fixtures from
tests/fixtures/keras/core/make_keras_core_fixtures.py): configs, weight names, values, output
shapes, masks and losses, in graph mode and eager mode."""
import json
import os

import numpy as np
import pytest

import tensorweave as tf
from tensorweave.eager import context

keras = tf.keras
HERE = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(HERE, "..", "fixtures", "keras", "core", "core.json")) as f:
    FIXTURES = json.load(f)
CASES = FIXTURES["layers"]
# the fixture script's cases, in its order (layer names depend on it)
ORDER = ["dense", "dense_options", "dense_3d", "activation_softmax", "dropout", "flatten",
         "flatten_channels_first", "reshape", "reshape_infer", "permute", "permute_3",
         "repeat_vector", "masking", "activity_regularization"]
CLASSES = {"dense": "Dense", "dense_options": "Dense", "dense_3d": "Dense",
           "activation_softmax": "Activation", "dropout": "Dropout", "flatten": "Flatten",
           "flatten_channels_first": "Flatten", "reshape": "Reshape", "reshape_infer": "Reshape",
           "permute": "Permute", "permute_3": "Permute", "repeat_vector": "RepeatVector",
           "masking": "Masking", "activity_regularization": "ActivityRegularization"}


def _layer_from_fixture(case: dict):
    """The layer built from tf.keras's config without its name (so names come from our uids)."""
    config = {k: v for k, v in case["config"].items() if k != "name"}
    return keras.layers.deserialize({"class_name": CLASSES[case["key"]], "config": config})


def _graph_results():
    out = {}
    with tf.Graph().as_default():
        sess = keras.backend.get_session()
        for key in ORDER:
            case = dict(CASES[key], key=key)
            x = np.asarray(case["x"], np.float32)
            layer = _layer_from_fixture(case)
            inp = tf.placeholder(tf.float32, (None,) + x.shape[1:])
            y = layer(inp)
            layer.set_weights([np.asarray(w, np.float32) for w in case["weights"]])
            fetch = {"y": y}
            if getattr(y, "_keras_mask", None) is not None:
                fetch["mask"] = y._keras_mask
            if layer.losses:
                fetch["loss"] = tf.add_n(layer.losses)
            got = sess.run(fetch, {inp: x})
            out[key] = dict(got, layer=layer, static_shape=y.shape.as_list(),
                            weight_names=[w.name for w in layer.weights],
                            output_shape=layer.compute_output_shape(
                                tf.TensorShape((None,) + x.shape[1:])).as_list())
    return out


@pytest.fixture(scope="module")
def graph_results():
    return _graph_results()


@pytest.mark.parametrize("key", ORDER)
def test_graph_mode_matches_tf_keras(graph_results, key):
    got, want = graph_results[key], CASES[key]
    assert json.loads(json.dumps(got["layer"].get_config())) == want["config"]
    assert got["weight_names"] == want["weight_names"]
    assert got["static_shape"] == want["static_shape"]
    assert got["output_shape"] == want["output_shape"]
    np.testing.assert_allclose(got["y"], want["y"], rtol=1e-5, atol=1e-6)
    assert ("mask" in got) == ("mask" in want)
    if "mask" in want:
        np.testing.assert_array_equal(got["mask"], want["mask"])
    assert ("loss" in got) == ("loss" in want)
    if "loss" in want:
        np.testing.assert_allclose(got["loss"], want["loss"], rtol=1e-5)


@pytest.mark.parametrize("key", ORDER)
def test_eager_mode_matches_tf_keras(key):
    case, want = dict(CASES[key], key=key), CASES[key]
    with context.eager_mode():
        layer = _layer_from_fixture(case)
        y = layer(tf.constant(np.asarray(case["x"], np.float32)))
        if case["weights"]:
            layer.set_weights([np.asarray(w, np.float32) for w in case["weights"]])
            y = layer(tf.constant(np.asarray(case["x"], np.float32)))
        np.testing.assert_allclose(y.numpy(), want["y"], rtol=1e-5, atol=1e-6)
        if "mask" in want:
            np.testing.assert_array_equal(y._keras_mask.numpy(), want["mask"])
        if "loss" in want:
            np.testing.assert_allclose(tf.add_n(layer.losses).numpy(), want["loss"],
                                       rtol=1e-5)


def test_dropout_in_training_zeroes_whole_noise_shape_slices():
    with tf.Graph().as_default():
        x = tf.ones([200, 5])
        y = keras.layers.Dropout(0.4, noise_shape=(None, 1), seed=3)(x, training=True)
        got = keras.backend.get_session().run(y)
    kept = got[:, 0] != 0
    assert np.all((got == 0) == ~kept[:, None])  # a row is dropped whole
    np.testing.assert_allclose(got[kept], 1 / 0.6, rtol=1e-6)
    assert 0.4 < kept.mean() < 0.8


def test_dropout_follows_the_learning_phase():
    with tf.Graph().as_default():
        y = keras.layers.Dropout(0.5)(tf.ones([50, 4]))
        sess = keras.backend.get_session()
        np.testing.assert_array_equal(sess.run(y), 1.0)
        trained = sess.run(y, {keras.backend.learning_phase(): True})
        assert set(np.unique(trained)) <= {0.0, 2.0} and (trained == 0).any()


@pytest.mark.parametrize("name", sorted(FIXTURES["activations"]))
def test_activations_match_tf_keras(name):
    want = FIXTURES["activations"][name]
    fn = keras.activations.get(name)
    assert keras.activations.serialize(fn) == want["serialized"]
    with tf.Graph().as_default(), tf.Session() as sess:
        got = sess.run(fn(tf.constant(np.asarray(FIXTURES["activations_x"], np.float32))))
    np.testing.assert_allclose(got, want["y"], rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name", sorted(FIXTURES["initializers"]))
def test_initializer_configs_match_tf_keras(name):
    want = FIXTURES["initializers"][name]
    init = keras.initializers.get(name)
    assert json.loads(json.dumps(keras.initializers.serialize(init))) == want
    again = keras.initializers.deserialize(want)
    assert json.loads(json.dumps(keras.initializers.serialize(again))) == want


def test_regularizer_and_constraint_configs_match_tf_keras():
    made = {"l1": keras.regularizers.l1(0.3), "l2": keras.regularizers.l2(),
            "l1_l2": keras.regularizers.l1_l2(0.01, 0.02)}
    for name, reg in made.items():
        assert keras.regularizers.serialize(reg) == FIXTURES["regularizers"][name]
    made = {"max_norm": keras.constraints.MaxNorm(3.0, axis=1),
            "non_neg": keras.constraints.NonNeg(), "unit_norm": keras.constraints.UnitNorm(),
            "min_max_norm": keras.constraints.MinMaxNorm(0.5, 2.0, rate=0.5)}
    for name, con in made.items():
        assert keras.constraints.serialize(con) == FIXTURES["constraints"][name]
        assert keras.constraints.serialize(keras.constraints.get(
            FIXTURES["constraints"][name])) == FIXTURES["constraints"][name]


def test_constraints_project_as_numpy_does():
    w = np.array([[3.0, -4.0], [4.0, 0.5]], np.float32)
    with tf.Graph().as_default(), tf.Session() as sess:
        max_norm, non_neg = sess.run([keras.constraints.MaxNorm(2.0)(tf.constant(w)),
                                      keras.constraints.NonNeg()(tf.constant(w))])
    norms = np.sqrt((w ** 2).sum(0))
    np.testing.assert_allclose(max_norm, w * np.minimum(norms, 2.0) / (1e-7 + norms), rtol=1e-5)
    np.testing.assert_array_equal(non_neg, np.maximum(w, 0))


def test_lambda_layer_with_arguments_masks_and_config():
    def scale(x, factor):
        return x * factor

    with tf.Graph().as_default():
        layer = keras.layers.Lambda(scale, arguments={"factor": 3.0}, output_shape=(4,))
        x = tf.placeholder(tf.float32, [None, 4])
        y = layer(x)
        got = keras.backend.get_session().run(y, {x: np.ones((2, 4))})
        np.testing.assert_allclose(got, 3.0)
        config = layer.get_config()
        assert config["function"] == "scale" and config["arguments"] == {"factor": 3.0}
        again = keras.layers.Lambda.from_config(config, custom_objects={"scale": scale})
        assert again.function is scale
        with pytest.raises(ValueError, match="anonymous function"):
            keras.layers.Lambda(lambda t: t).get_config()
        with pytest.raises(ValueError, match="bytecode"):
            keras.layers.Lambda.from_config(dict(config, function_type="lambda"))


def test_masking_mask_reaches_a_later_layer_in_a_model():
    with tf.Graph().as_default():
        inp = keras.Input((3, 2))
        seen = {}

        class Probe(keras.layers.Layer):
            def __init__(self):
                super().__init__()
                self.supports_masking = True

            def call(self, inputs, mask=None):
                seen["mask"] = mask
                return inputs

        out = Probe()(keras.layers.Masking()(inp))
        model = keras.Model(inp, out)
        x = np.array([[[1, 2], [0, 0], [3, 0]]], np.float32)
        sess = keras.backend.get_session()
        np.testing.assert_array_equal(sess.run(seen["mask"], {inp: x}), [[True, False, True]])
        np.testing.assert_array_equal(sess.run(model.outputs[0]._keras_mask, {inp: x}),
                                      [[True, False, True]])


def test_bad_arguments_raise_keras_errors():
    with pytest.raises(ValueError, match="Permute"):
        keras.layers.Permute((1, 3))
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="total size"):
            keras.layers.Reshape((4, 2))(tf.placeholder(tf.float32, [None, 6]))
        with pytest.raises(ValueError, match="should be defined"):
            keras.layers.Dense(2)(tf.placeholder(tf.float32, [None, None]))
        with pytest.raises(TypeError, match="not understood"):
            keras.layers.Dense(2, bogus=1)
