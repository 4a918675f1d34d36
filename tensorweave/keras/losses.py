"""Keras loss functions: per-sample losses ``fn(y_true, y_pred)`` (mean over the last axis),
by name or as functions.

Usage: ``model.compile(loss="categorical_crossentropy")`` or
``tf.keras.losses.get("mse")(y_true, y_pred)``.
"""
from __future__ import annotations

import functools

from ..framework import ops
from ..ops import array_ops, clip_ops, math_ops, nn_impl, nn_ops
from . import backend
from .utils.generic_utils import deserialize_keras_object, object_from_identifier

__all__ = ["mean_squared_error", "mean_absolute_error", "mean_absolute_percentage_error",
           "mean_squared_logarithmic_error", "squared_hinge", "hinge", "categorical_hinge",
           "logcosh", "huber_loss", "categorical_crossentropy",
           "sparse_categorical_crossentropy", "binary_crossentropy",
           "kullback_leibler_divergence", "poisson", "cosine_proximity", "get", "serialize",
           "deserialize", "mse", "mae", "mape", "msle", "kld", "cosine"]


def _pair(y_true, y_pred):
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = math_ops.cast(ops.convert_to_tensor(y_true), y_pred.dtype)
    return y_true, y_pred


def _eps(y):
    return ops.convert_to_tensor(backend.epsilon(), y.dtype)


def mean_squared_error(y_true, y_pred):
    y_true, y_pred = _pair(y_true, y_pred)
    return math_ops.reduce_mean(math_ops.squared_difference(y_pred, y_true), axis=-1)


def mean_absolute_error(y_true, y_pred):
    y_true, y_pred = _pair(y_true, y_pred)
    return math_ops.reduce_mean(math_ops.abs(y_pred - y_true), axis=-1)


def mean_absolute_percentage_error(y_true, y_pred):
    y_true, y_pred = _pair(y_true, y_pred)
    diff = math_ops.abs((y_true - y_pred) / math_ops.maximum(math_ops.abs(y_true), _eps(y_true)))
    return 100.0 * math_ops.reduce_mean(diff, axis=-1)


def mean_squared_logarithmic_error(y_true, y_pred):
    y_true, y_pred = _pair(y_true, y_pred)
    first = math_ops.log(math_ops.maximum(y_pred, _eps(y_pred)) + 1.0)
    second = math_ops.log(math_ops.maximum(y_true, _eps(y_true)) + 1.0)
    return math_ops.reduce_mean(math_ops.squared_difference(first, second), axis=-1)


def _signed(y_true):
    """Keras converts {0, 1} hinge targets to {-1, 1}."""
    binary = math_ops.reduce_all(math_ops.logical_or(math_ops.equal(y_true, 0.0),
                                                     math_ops.equal(y_true, 1.0)))
    from ..ops.control_flow_ops import smart_cond
    return smart_cond(binary, lambda: 2.0 * y_true - 1.0, lambda: y_true)


def squared_hinge(y_true, y_pred):
    y_true, y_pred = _pair(y_true, y_pred)
    y_true = _signed(y_true)
    return math_ops.reduce_mean(math_ops.square(math_ops.maximum(1.0 - y_true * y_pred, 0.0)),
                                axis=-1)


def hinge(y_true, y_pred):
    y_true, y_pred = _pair(y_true, y_pred)
    y_true = _signed(y_true)
    return math_ops.reduce_mean(math_ops.maximum(1.0 - y_true * y_pred, 0.0), axis=-1)


def categorical_hinge(y_true, y_pred):
    y_true, y_pred = _pair(y_true, y_pred)
    pos = math_ops.reduce_sum(y_true * y_pred, axis=-1)
    neg = math_ops.reduce_max((1.0 - y_true) * y_pred, axis=-1)
    return math_ops.maximum(neg - pos + 1.0, 0.0)


def logcosh(y_true, y_pred):
    y_true, y_pred = _pair(y_true, y_pred)
    x = y_pred - y_true
    return math_ops.reduce_mean(x + nn_ops.softplus(-2.0 * x) - math_ops.log(
        ops.convert_to_tensor(2.0, x.dtype)), axis=-1)


def huber_loss(y_true, y_pred, delta=1.0):
    y_true, y_pred = _pair(y_true, y_pred)
    error = math_ops.abs(y_pred - y_true)
    quadratic = math_ops.minimum(error, delta)
    return math_ops.reduce_mean(0.5 * math_ops.square(quadratic) + delta * (error - quadratic),
                                axis=-1)


def categorical_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0):
    y_true, y_pred = _pair(y_true, y_pred)
    if label_smoothing:
        classes = math_ops.cast(array_ops.shape(y_true)[-1], y_pred.dtype)
        y_true = y_true * (1.0 - label_smoothing) + label_smoothing / classes
    if from_logits:
        return nn_ops.softmax_cross_entropy_with_logits_v2(labels=y_true, logits=y_pred)
    probs = y_pred / math_ops.reduce_sum(y_pred, axis=-1, keepdims=True)
    eps = _eps(probs)
    probs = clip_ops.clip_by_value(probs, eps, 1.0 - eps)
    return -math_ops.reduce_sum(y_true * math_ops.log(probs), axis=-1)


def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False, axis=-1):
    y_pred = ops.convert_to_tensor(y_pred)
    labels = math_ops.cast(ops.convert_to_tensor(y_true), "int64")
    if labels.shape.ndims is not None and y_pred.shape.ndims is not None and \
            labels.shape.ndims == y_pred.shape.ndims:
        labels = array_ops.squeeze(labels, axis=[-1])
    if from_logits:
        logits = y_pred
    else:
        eps = _eps(y_pred)
        logits = math_ops.log(clip_ops.clip_by_value(y_pred, eps, 1.0 - eps))
    return nn_ops.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)


def binary_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0):
    y_true, y_pred = _pair(y_true, y_pred)
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    if from_logits:
        losses = nn_impl.sigmoid_cross_entropy_with_logits(labels=y_true, logits=y_pred)
    else:
        eps = _eps(y_pred)
        p = clip_ops.clip_by_value(y_pred, eps, 1.0 - eps)
        losses = -(y_true * math_ops.log(p + eps) + (1.0 - y_true) * math_ops.log(1.0 - p + eps))
    return math_ops.reduce_mean(losses, axis=-1)


def kullback_leibler_divergence(y_true, y_pred):
    y_true, y_pred = _pair(y_true, y_pred)
    eps = _eps(y_pred)
    y_true = clip_ops.clip_by_value(y_true, eps, 1.0)
    y_pred = clip_ops.clip_by_value(y_pred, eps, 1.0)
    return math_ops.reduce_sum(y_true * math_ops.log(y_true / y_pred), axis=-1)


def poisson(y_true, y_pred):
    y_true, y_pred = _pair(y_true, y_pred)
    return math_ops.reduce_mean(y_pred - y_true * math_ops.log(y_pred + _eps(y_pred)), axis=-1)


def _l2_normalize(x, axis=-1):
    norm = math_ops.reduce_sum(math_ops.square(x), axis=axis, keepdims=True)
    return x * math_ops.rsqrt(math_ops.maximum(norm, ops.convert_to_tensor(1e-12, x.dtype)))


def cosine_proximity(y_true, y_pred, axis=-1):
    y_true, y_pred = _pair(y_true, y_pred)
    return -math_ops.reduce_sum(_l2_normalize(y_true, axis) * _l2_normalize(y_pred, axis),
                                axis=axis)


mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error
mape = MAPE = mean_absolute_percentage_error
msle = MSLE = mean_squared_logarithmic_error
kld = KLD = kullback_leibler_divergence
cosine = cosine_similarity = cosine_proximity
huber = huber_loss

_BY_NAME = {name: obj for name, obj in globals().items()
            if callable(obj) and not name.startswith("_") and name not in (
                "get", "serialize", "deserialize")
            and getattr(obj, "__module__", "") == __name__}


def serialize(loss):
    return getattr(loss, "__name__", loss)


def deserialize(name, custom_objects=None):
    return deserialize_keras_object(name, _BY_NAME, custom_objects, "loss function")


def get(identifier):
    """A loss function from a name or a callable (``None`` stays ``None``)."""
    if identifier is None:
        return None
    return object_from_identifier(identifier, deserialize, "loss function")


def with_options(fn, **options):
    """``fn`` with keyword options bound (``from_logits=True`` ...), keeping its name."""
    bound = functools.partial(fn, **options)
    bound.__name__ = fn.__name__
    return bound
