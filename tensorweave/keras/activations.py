"""Keras activation functions, by name or as functions.

Usage: ``Dense(64, activation="relu")``; ``activations.get("softmax")(logits)``.
"""
from __future__ import annotations

from ..ops import array_ops, clip_ops, math_ops, nn_ops
from ..framework import ops
from .utils.generic_utils import deserialize_keras_object, object_from_identifier

__all__ = ["softmax", "elu", "selu", "softplus", "softsign", "relu", "tanh", "sigmoid",
           "hard_sigmoid", "exponential", "linear", "swish", "get", "serialize", "deserialize"]


def softmax(x, axis=-1):
    if x.shape.ndims is not None and x.shape.ndims < 2:
        raise ValueError(f"Cannot apply softmax to a tensor that is 1D. Received input: {x}")
    return nn_ops.softmax(x, axis=axis)


def elu(x, alpha=1.0):
    y = nn_ops.elu(x)
    return y if alpha == 1 else array_ops.where(x > 0, y, y * alpha)


def selu(x):
    return nn_ops.selu(x)


def softplus(x):
    return nn_ops.softplus(x)


def softsign(x):
    return nn_ops.softsign(x)


def relu(x, alpha=0.0, max_value=None, threshold=0.0):
    """max(x, 0), with a leaky slope ``alpha`` below ``threshold`` and a cap ``max_value``."""
    if alpha == 0 and max_value is None and threshold == 0:
        return nn_ops.relu(x)
    x = ops.convert_to_tensor(x)
    neg = None
    if alpha != 0:
        neg = nn_ops.relu(-x + threshold) if threshold != 0 else nn_ops.relu(-x)
    if threshold != 0:
        y = x * math_ops.cast(math_ops.greater(x, threshold), x.dtype)
    else:
        y = nn_ops.relu(x)
    if max_value is not None:
        y = math_ops.minimum(y, ops.convert_to_tensor(max_value, x.dtype))
    if neg is not None:
        y = y - ops.convert_to_tensor(alpha, x.dtype) * neg
    return y


def tanh(x):
    return math_ops.tanh(x)


def sigmoid(x):
    return math_ops.sigmoid(x)


def hard_sigmoid(x):
    x = ops.convert_to_tensor(x)
    return clip_ops.clip_by_value(x * 0.2 + 0.5, 0.0, 1.0)


def exponential(x):
    return math_ops.exp(x)


def linear(x):
    return x


def swish(x):
    return x * math_ops.sigmoid(x)


_BY_NAME = {f.__name__: f for f in (softmax, elu, selu, softplus, softsign, relu, tanh,
                                    sigmoid, hard_sigmoid, exponential, linear, swish)}


def serialize(activation) -> str:
    return getattr(activation, "__name__", activation)


def deserialize(name, custom_objects=None):
    return deserialize_keras_object(name, _BY_NAME, custom_objects, "activation function")


def get(identifier):
    """``None`` -> linear; a name -> the function; a callable (function or layer) -> itself."""
    if identifier is None:
        return linear
    return object_from_identifier(identifier, deserialize, "activation function")
