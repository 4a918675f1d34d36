"""Stateful Keras metrics (Mean, accuracy wrappers, Precision, Recall, AUC) accumulate, weigh,
reset and configure as tf.keras's do (fixtures: make_keras_metric_fixtures.py), in graph and
eager mode."""
import json
import os

import numpy as np
import pytest

import tensorweave as tf
from tensorweave.eager import context

M = tf.keras.metrics
FIXTURE = os.path.join(os.path.dirname(__file__), os.pardir, "fixtures", "keras", "training",
                       "metrics.json")
with open(FIXTURE) as f:
    REF = json.load(f)
IN = {k: np.asarray(v, np.float32) for k, v in REF["inputs"].items()}
MAKE = {
    "mean": lambda: M.Mean(),
    "binary_accuracy": lambda: M.BinaryAccuracy(threshold=0.4),
    "categorical_accuracy": lambda: M.CategoricalAccuracy(),
    "sparse_categorical_accuracy": lambda: M.SparseCategoricalAccuracy(),
    "precision": lambda: M.Precision(),
    "precision_thresholds": lambda: M.Precision(thresholds=[0.2, 0.5, 0.8]),
    "precision_top_k": lambda: M.Precision(top_k=1),
    "recall_class_id": lambda: M.Recall(class_id=2, name="recall_2"),
    "auc": lambda: M.AUC(),
    "auc_pr": lambda: M.AUC(num_thresholds=20, curve="PR"),
    "auc_minoring": lambda: M.AUC(num_thresholds=7, summation_method="minoring"),
    "auc_pr_majoring": lambda: M.AUC(num_thresholds=9, curve="PR", summation_method="majoring"),
    "auc_logits": lambda: M.AUC(num_thresholds=50, from_logits=True),
}


def _args(kind, i):
    return {"values": (IN["y_prob"][i],), "binary": (IN["y_bin"][i], IN["y_prob"][i]),
            "logits": (IN["y_bin"][i], IN["y_logit"][i]),
            "sparse": (IN["y_int"][i], IN["y_prob"][i])}[kind]


def _close(actual, expected):
    np.testing.assert_allclose(np.ravel(actual), expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("key", sorted(MAKE))
def test_graph_mode_updates_results_and_config(key):
    ref = REF["cases"][key]
    with tf.Graph().as_default(), tf.Session() as sess:
        m = MAKE[key]()
        first = m.update_state(*_args(ref["kind"], 0))
        second = m.update_state(*_args(ref["kind"], 1), sample_weight=IN["weight"])
        sess.run(tf.local_variables_initializer())
        sess.run(first)
        _close(sess.run(m.result()), ref["after_one"])
        sess.run(second)
        _close(sess.run(m.result()), ref["after_two"])
        assert [v.name for v in m.variables] == ref["variables"]
        assert m.get_config() == ref["config"]
        m.reset_states()
        assert all(not np.any(sess.run(v)) for v in m.variables)


@pytest.mark.parametrize("key", ["mean", "precision_thresholds", "auc_pr", "auc_logits"])
def test_eager_mode_calls_accumulate_and_reset(key):
    ref = REF["cases"][key]
    with context.eager_mode():
        m = MAKE[key]()
        _close(m(*_args(ref["kind"], 0)).numpy(), ref["after_one"])
        _close(m(*_args(ref["kind"], 1), sample_weight=IN["weight"]).numpy(), ref["after_two"])
        m.reset_states()
        _close(m(*_args(ref["kind"], 0)).numpy(), ref["after_one"])


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="curve"):
        M.AUC(curve="DET")
    with pytest.raises(NotImplementedError, match="multi_label"):
        M.AUC(multi_label=True)


def _fit_with_stateful_metrics():
    rng = np.random.RandomState(3)
    x = rng.rand(40, 3).astype(np.float32)
    y = (x[:, :1] > 0.5).astype(np.float32)
    model = tf.keras.Sequential([tf.keras.layers.Dense(1, activation="sigmoid",
                                                       input_shape=(3,))])
    model.set_weights([np.array([[1.0], [-0.5], [0.3]], np.float32), np.zeros(1, np.float32)])
    model.compile("sgd", "binary_crossentropy", metrics=[M.Precision(), M.AUC(num_thresholds=11)])
    history = model.fit(x, y, batch_size=16, epochs=2, shuffle=False, verbose=0)
    assert model.metrics_names == ["loss", "precision", "auc"]
    evaluated = model.evaluate(x, y, batch_size=7, verbose=0)
    # the epoch value is the metric over all samples, not an average of batch values
    pred = model.predict(x)
    tp = np.sum((pred > 0.5) & (y > 0.5))
    np.testing.assert_allclose(evaluated[1], tp / np.sum(pred > 0.5), rtol=1e-6)
    # as in tf.keras, evaluate leaves its state for the next *_on_batch, which resets after
    model.test_on_batch(x[:10], y[:10])
    once = model.test_on_batch(x[:10], y[:10])
    np.testing.assert_allclose(model.test_on_batch(x[:10], y[:10]), once, rtol=1e-6)
    hits = (pred[:10] > 0.5) & (y[:10] > 0.5)
    np.testing.assert_allclose(once[1], hits.sum() / np.sum(pred[:10] > 0.5), rtol=1e-6)
    return history.history, evaluated


@pytest.mark.parametrize("mode", [pytest.param(lambda: tf.Graph().as_default(), id="graph"),
                                  pytest.param(context.eager_mode, id="eager")])
def test_compile_with_stateful_metrics_matches_tf_keras(mode):
    with open(FIXTURE.replace("metrics.json", "fit.json")) as f:
        ref = json.load(f)["stateful"]
    with mode():
        history, evaluated = _fit_with_stateful_metrics()
    assert sorted(history) == sorted(ref["history"])
    for key, values in ref["history"].items():
        _close(history[key], values)
    _close(evaluated, ref["evaluate"])


def test_metrics_get_by_class_name_and_config():
    auc = M.get({"class_name": "AUC", "config": REF["cases"]["auc_pr"]["config"]})
    assert isinstance(auc, M.AUC) and auc.get_config() == REF["cases"]["auc_pr"]["config"]
    assert isinstance(M.get("Precision"), M.Precision)
    with pytest.raises(ValueError, match="Unknown metric function: precision"):
        M.get("precision")  # as tf.keras: class names only
