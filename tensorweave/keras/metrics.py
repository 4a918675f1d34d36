"""Keras metrics: per-sample functions ``fn(y_true, y_pred)`` (averaged over the batch by the
training loop, and over batches weighted by their size), resolved by name as Keras does.

Usage: ``model.compile(..., metrics=["accuracy", "mae"])``; "accuracy"/"acc" becomes the
categorical, sparse categorical or binary accuracy that fits the loss, reported as ``acc``.
Stateful metric objects (``Precision()``, ``AUC()``...) live in ``metric_classes`` and are
re-exported here.
"""
from __future__ import annotations

from ..framework import ops
from ..ops import array_ops, math_ops, nn_ops
from . import losses as losses_module
from .metric_classes import (AUC, Accuracy, BinaryAccuracy, CategoricalAccuracy, Mean,
                             MeanMetricWrapper, Metric, Precision, Recall,
                             SparseCategoricalAccuracy)
from .utils.generic_utils import deserialize_keras_object, object_from_identifier

__all__ = ["binary_accuracy", "categorical_accuracy", "sparse_categorical_accuracy",
           "top_k_categorical_accuracy", "sparse_top_k_categorical_accuracy", "get",
           "serialize", "deserialize", "resolve", "Metric", "Mean", "MeanMetricWrapper",
           "Accuracy", "BinaryAccuracy", "CategoricalAccuracy", "SparseCategoricalAccuracy",
           "Precision", "Recall", "AUC"]


def binary_accuracy(y_true, y_pred, threshold=0.5):
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = math_ops.cast(y_true, y_pred.dtype)
    hit = math_ops.equal(y_true, math_ops.cast(y_pred > threshold, y_pred.dtype))
    return math_ops.reduce_mean(math_ops.cast(hit, y_pred.dtype), axis=-1)


def categorical_accuracy(y_true, y_pred):
    y_pred = ops.convert_to_tensor(y_pred)
    hit = math_ops.equal(math_ops.argmax(y_true, -1), math_ops.argmax(y_pred, -1))
    return math_ops.cast(hit, y_pred.dtype)


def sparse_categorical_accuracy(y_true, y_pred):
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true)
    if y_true.shape.ndims is not None and y_true.shape.ndims == y_pred.shape.ndims:
        y_true = array_ops.squeeze(y_true, [-1])
    predicted = math_ops.cast(math_ops.argmax(y_pred, -1), y_pred.dtype)
    return math_ops.cast(math_ops.equal(math_ops.cast(y_true, y_pred.dtype), predicted),
                         y_pred.dtype)


def top_k_categorical_accuracy(y_true, y_pred, k=5):
    y_pred = ops.convert_to_tensor(y_pred)
    hit = nn_ops.in_top_k(y_pred, math_ops.argmax(y_true, -1), k)
    return math_ops.cast(hit, y_pred.dtype)


def sparse_top_k_categorical_accuracy(y_true, y_pred, k=5):
    y_pred = ops.convert_to_tensor(y_pred)
    labels = math_ops.cast(array_ops.reshape(y_true, [-1]), "int32")
    return math_ops.cast(nn_ops.in_top_k(y_pred, labels, k), y_pred.dtype)


_BY_NAME = {f.__name__: f for f in (binary_accuracy, categorical_accuracy,
                                    sparse_categorical_accuracy, top_k_categorical_accuracy,
                                    sparse_top_k_categorical_accuracy)}


_CLASSES = {c.__name__: c for c in (Mean, Accuracy, BinaryAccuracy, CategoricalAccuracy,
                                     SparseCategoricalAccuracy, Precision, Recall, AUC)}


def serialize(metric):
    return getattr(metric, "__name__", metric)


def deserialize(name, custom_objects=None):
    return deserialize_keras_object(name, dict(losses_module._BY_NAME, **_BY_NAME, **_CLASSES),
                                    custom_objects, "metric function")


def get(identifier):
    return object_from_identifier(identifier, deserialize, "metric function")


def resolve(metric, loss_fn, output_shape) -> tuple:
    """(reported name, function) for a compile() metric, given the output's loss: accuracy
    strings pick the accuracy that matches the loss and output, as Keras does. Stateful
    ``Metric`` objects come back as they are (reported under their ``name``)."""
    if isinstance(metric, Metric):
        return metric.name, metric
    if metric in ("accuracy", "acc", "crossentropy", "ce"):
        loss_name = getattr(loss_fn, "__name__", "")
        if loss_name == "sparse_categorical_crossentropy":
            fns = (sparse_categorical_accuracy, losses_module.sparse_categorical_crossentropy)
        elif loss_name == "binary_crossentropy" or (output_shape and output_shape[-1] == 1):
            fns = (binary_accuracy, losses_module.binary_crossentropy)
        else:
            fns = (categorical_accuracy, losses_module.categorical_crossentropy)
        if metric in ("accuracy", "acc"):
            return "acc", fns[0]
        return "ce", fns[1]
    fn = get(metric)
    return getattr(fn, "__name__", str(metric)), fn
