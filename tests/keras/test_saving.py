"""Keras model saving end to end: tf-keras files load here with tf-keras's predictions (graph and
eager), and models saved here load back; by-name loading; clear errors for bad files."""
import json
import os

import numpy as np
import pytest

pytest.importorskip("h5py")

import tensorweave as tf  # noqa: E402
from tensorweave.eager import context  # noqa: E402

keras = tf.keras
FIXTURES = os.path.join(os.path.dirname(__file__), "..", "fixtures", "keras", "saving")
MODES = ["graph", "eager"]  # which tf.keras mode wrote the file
MODELS = ["mlp", "multi_io", "cnn_bn", "rnn"]


def _fixture(mode, name):
    return os.path.join(FIXTURES, mode, name)


def _expected(mode, model, kind):
    data = np.load(_fixture(mode, "expected.npz"))
    keys = [k for k in data if k.startswith(f"{model}/{kind}")]
    return [data[k] for k in sorted(keys, key=lambda k: int(k.split(kind)[1]))]


def _predict(model, inputs):
    out = model.predict(inputs if len(inputs) > 1 else inputs[0])
    return out if isinstance(out, list) else [out]


def _assert_predictions(model, mode, name):
    for got, want in zip(_predict(model, _expected(mode, name, "x")),
                         _expected(mode, name, "pred"), strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


@pytest.fixture(params=["graph_run", "eager_run"])
def run_mode(request):
    """Run each test in a fresh graph and in eager mode."""
    keras.backend.clear_session()
    scope = tf.Graph().as_default() if request.param == "graph_run" else context.eager_mode()
    with scope:
        yield request.param
    keras.backend.clear_session()


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name", MODELS)
def test_load_model_of_tf_keras_file_predicts_as_tf_keras(run_mode, mode, name):
    model = keras.models.load_model(_fixture(mode, name + ".h5"))
    _assert_predictions(model, mode, name)


def test_load_model_restores_compile_and_optimizer_state(run_mode):
    import h5py
    model = keras.models.load_model(_fixture("graph", "mlp.h5"))
    assert type(model.optimizer).__name__ == "Adam"
    assert np.isclose(model.optimizer.get_config()["learning_rate"], 0.01)
    with h5py.File(_fixture("graph", "mlp.h5"), "r") as f:
        group = f["optimizer_weights"]
        saved = [np.asarray(group[n]) for n in group.attrs["weight_names"]]
    got = keras.backend.batch_get_value(model.optimizer.weights)
    assert len(got) == len(saved) == 13  # iterations, then m and v of the 6 weights

    def key(value):
        return np.shape(value), np.asarray(value).tobytes()

    assert sorted(map(key, got)) == sorted(map(key, saved))


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name", MODELS)
@pytest.mark.parametrize("weights", ["_weights.h5", "_ckpt"])
def test_json_config_plus_weights_files_of_tf_keras(run_mode, mode, name, weights):
    if weights == "_ckpt" and name not in ("mlp", "rnn"):
        pytest.skip("tf.keras TF-format weights were made for the MLP and the RNN")
    model = keras.models.model_from_json(open(_fixture(mode, name + ".json")).read())
    model.load_weights(_fixture(mode, name + weights))
    _assert_predictions(model, mode, name)


@pytest.mark.parametrize("name", MODELS)
def test_save_then_load_model_here(run_mode, name, tmp_path):
    model = keras.models.load_model(_fixture("graph", name + ".h5"))
    model.save(str(tmp_path / "m.h5"))
    again = keras.models.load_model(str(tmp_path / "m.h5"))
    _assert_predictions(again, "graph", name)
    assert [layer.name for layer in again.layers] == [layer.name for layer in model.layers]


@pytest.mark.parametrize("fmt", ["h5", "tf"])
def test_save_weights_then_load_into_a_fresh_model(run_mode, fmt, tmp_path):
    model = keras.models.load_model(_fixture("graph", "cnn_bn.h5"), compile=False)
    path = str(tmp_path / ("w.h5" if fmt == "h5" else "w"))
    model.save_weights(path)
    fresh = keras.models.clone_model(model)
    fresh.load_weights(path)
    _assert_predictions(fresh, "graph", "cnn_bn")
    if fmt == "tf":
        assert os.path.exists(tmp_path / "checkpoint")
        assert tf.train.latest_checkpoint(str(tmp_path)) == path


class _Blocks(keras.Model):
    """The subclassed model of the fixture script (checkpoint keys by attribute name)."""

    def __init__(self):
        super().__init__()
        self.head = keras.layers.Dense(4, activation="relu")
        self.blocks = [keras.layers.Dense(4, activation="tanh"), keras.layers.Dense(3)]
        self.inner = keras.Sequential([keras.layers.Dense(2)])

    def call(self, x, training=None):
        x = self.head(x)
        for block in self.blocks:
            x = block(x)
        return self.inner(x)


@pytest.mark.parametrize("mode", MODES)
def test_subclassed_model_loads_tf_keras_checkpoint(run_mode, mode, tmp_path):
    [x], [want] = _expected(mode, "subclassed", "x"), _expected(mode, "subclassed", "pred")
    model = _Blocks()
    model(tf.zeros((1, 3)))
    model.load_weights(_fixture(mode, "subclassed_ckpt"))
    np.testing.assert_allclose(keras.backend.eval(model(tf.constant(x))), want, rtol=1e-5)
    model.save_weights(str(tmp_path / "sub"))
    twin = _Blocks()
    twin(tf.zeros((1, 3)))
    twin.load_weights(str(tmp_path / "sub"))
    np.testing.assert_allclose(keras.backend.eval(twin(tf.constant(x))), want, rtol=1e-5)


def test_load_weights_by_name_skips_unknown_layers(run_mode, tmp_path):
    layers = keras.layers
    source = keras.Sequential([layers.Dense(3, input_shape=(2,), name="a"),
                               layers.Dense(2, name="b")])
    source.save_weights(str(tmp_path / "w.h5"))
    target = keras.Sequential([layers.Dense(3, input_shape=(2,), name="a"),
                               layers.Dense(4, name="other"), layers.Dense(2, name="c")])
    before = keras.backend.batch_get_value(target.weights)
    target.load_weights(str(tmp_path / "w.h5"), by_name=True)
    after = keras.backend.batch_get_value(target.weights)
    np.testing.assert_array_equal(after[0], source.get_weights()[0])
    for b, a in zip(before[2:], after[2:]):
        np.testing.assert_array_equal(a, b)


def test_shape_mismatch_names_layer_and_weight(run_mode, tmp_path):
    layers = keras.layers
    keras.Sequential([layers.Dense(3, input_shape=(2,), name="a")]).save_weights(
        str(tmp_path / "w.h5"))
    target = keras.Sequential([layers.Dense(5, input_shape=(2,), name="a")])
    with pytest.raises(ValueError, match=r"layer 'a'.*kernel:0'.*\(2, 5\).*\(2, 3\)"):
        target.load_weights(str(tmp_path / "w.h5"))
    with pytest.raises(ValueError, match="kernel:0"):
        target.load_weights(str(tmp_path / "w.h5"), by_name=True)
    with pytest.warns(UserWarning, match="Skipping loading"):
        target.load_weights(str(tmp_path / "w.h5"), by_name=True, skip_mismatch=True)


def test_layer_count_mismatch_lists_both_sides(run_mode):
    model = keras.Sequential([keras.layers.Dense(3, input_shape=(8,))])
    with pytest.raises(ValueError, match="containing 3 layers.*with 1 layers"):
        model.load_weights(_fixture("graph", "mlp_weights.h5"))


def test_unknown_layer_class_is_named(run_mode, tmp_path):
    import h5py
    path = str(tmp_path / "m.h5")
    with open(_fixture("graph", "mlp.h5"), "rb") as src:
        open(path, "wb").write(src.read())
    with h5py.File(path, "r+") as f:
        f.attrs["model_config"] = f.attrs["model_config"].replace('"Dense"', '"FancyDense"')
    with pytest.raises(ValueError, match="FancyDense"):
        keras.models.load_model(path)


def test_lambda_layers_load_only_with_the_function_given(run_mode):
    with pytest.raises(ValueError, match="never done"):
        keras.models.load_model(_fixture("graph", "lambda.h5"))
    model = keras.models.load_model(_fixture("graph", "lambda.h5"),
                                    custom_objects={"lambda": lambda t: t * 2.0})
    _assert_predictions(model, "graph", "lambda")


def test_json_and_yaml_round_trips(run_mode):
    model = keras.models.load_model(_fixture("graph", "multi_io.h5"), compile=False)
    weights = model.get_weights()
    for text, load in ((model.to_json(), keras.models.model_from_json),
                       (model.to_yaml(), keras.models.model_from_yaml)):
        twin = load(text)
        twin.set_weights(weights)
        _assert_predictions(twin, "graph", "multi_io")
    assert json.loads(model.to_json())["config"]["output_layers"] == [["score", 0, 0],
                                                                      ["cls", 0, 0]]


def test_clone_model_has_same_architecture_and_fresh_weights(run_mode):
    model = keras.models.load_model(_fixture("graph", "mlp.h5"), compile=False)
    twin = keras.models.clone_model(model)
    assert json.loads(twin.to_json()) == json.loads(model.to_json())
    assert not np.allclose(twin.get_weights()[0], model.get_weights()[0])


def test_weights_only_file_is_not_a_model(run_mode):
    with pytest.raises(ValueError, match="No model found"):
        keras.models.load_model(_fixture("graph", "mlp_weights.h5"))


def _double(t):
    return t * 2.0


def test_lambda_with_named_function_round_trips_through_custom_objects(run_mode, tmp_path):
    model = keras.Sequential([keras.layers.Dense(2, input_shape=(3,)),
                              keras.layers.Lambda(_double)])
    model.save(str(tmp_path / "m.h5"))
    with pytest.raises(ValueError, match="_double"):
        keras.models.load_model(str(tmp_path / "m.h5"))
    again = keras.models.load_model(str(tmp_path / "m.h5"), custom_objects={"_double": _double})
    x = np.arange(6, dtype=np.float32).reshape(2, 3)
    np.testing.assert_allclose(again.predict(x), model.predict(x))
