"""tf.keras.applications.ResNet50 against tf.keras's (fixtures/keras/applications/resnet50.json:
layer names, classes, connections, weight names/shapes, parameter counts, layer configs), and
an eager forward/backward pass on a small input."""
import json
import os

import numpy as np
import pytest

import tensorweave as tf
from tensorweave.eager import context

FIXTURE = os.path.join(os.path.dirname(__file__), "..", "fixtures", "keras", "applications",
                       "resnet50.json")
CASES = {
    "top": dict(weights=None),
    "avg_64": dict(weights=None, include_top=False, input_shape=(64, 64, 3), pooling="avg"),
    "max_64": dict(weights=None, include_top=False, input_shape=(64, 64, 3), pooling="max"),
    "features": dict(weights=None, include_top=False),
    "top_10": dict(weights=None, classes=10),
}


@pytest.fixture(scope="module")
def expected():
    with open(FIXTURE) as f:
        return json.load(f)


def _inbound(layer):
    if not layer._inbound_nodes:
        return []
    return [x.name for x in layer._inbound_nodes[0].inbound_layers]


def _normalized(config):
    return json.loads(json.dumps(config, default=lambda o: list(o) if isinstance(o, tuple)
                                 else repr(o)))


@pytest.mark.parametrize("case", sorted(CASES))
def test_resnet50_matches_tf_keras(case, expected):
    want = expected[case]
    with tf.Graph().as_default():
        model = tf.keras.applications.ResNet50(**CASES[case])
        assert model.name == want["name"]
        assert model.count_params() == want["params"]
        assert list(model.output_shape) == want["output_shape"]
        assert [[layer.name, type(layer).__name__, _inbound(layer)] for layer in model.layers] \
            == want["layers"]
        assert [[w.name, w.shape.as_list()] for w in model.weights] == want["weights"]
        for name, config in want["configs"].items():
            assert _normalized(model.get_layer(name).get_config()) == config, name


def test_resnet50_argument_errors():
    with pytest.raises(ValueError, match="pretrained"):
        tf.keras.applications.ResNet50(weights="imagenet")
    with pytest.raises(ValueError, match="include_top"):
        tf.keras.applications.ResNet50(weights=None, input_shape=(64, 64, 3))
    with pytest.raises(ValueError, match="at least 32"):
        tf.keras.applications.ResNet50(weights=None, include_top=False, input_shape=(16, 16, 3))
    with pytest.raises(ValueError, match="pooling"):
        tf.keras.applications.ResNet50(weights=None, include_top=False, pooling="sum")


def test_resnet50_eager_forward_and_gradients():
    with context.eager_mode():
        tf.keras.backend.clear_session()
        model = tf.keras.applications.ResNet50(weights=None, include_top=False,
                                               input_shape=(32, 32, 3), pooling="avg")
        x = tf.constant(np.random.RandomState(0).rand(2, 32, 32, 3).astype(np.float32))
        with tf.GradientTape() as tape:
            features = model(x, training=True)
            loss = tf.reduce_mean(features)
        assert features.shape.as_list() == [2, 2048]
        assert np.all(features.numpy() >= 0)   # after the last ReLU
        grads = tape.gradient(loss, model.trainable_weights)
        assert len(grads) == 212 and all(g is not None for g in grads)
