"""``tf.keras``: Keras 2 as it lives inside TensorFlow 1.x — layers, functional/Sequential/
subclassed models, training, saving — in graph and eager mode.

Usage::

    model = tf.keras.Sequential([tf.keras.layers.Dense(10, input_shape=(4,))])
    inputs = tf.keras.Input(shape=(4,))
"""
from __future__ import annotations

from ..util.lazy import lazy_attributes
from . import activations, backend, constraints, initializers, regularizers  # noqa: F401
from .engine.input_layer import Input  # noqa: F401
from .engine.sequential import Sequential  # noqa: F401
from .engine.training import Model  # noqa: F401

__getattr__, __dir__ = lazy_attributes(__name__, globals(), {
    **{m: ("." + m, None) for m in ("layers", "models", "utils", "losses", "metrics",
                                    "optimizers", "callbacks", "applications", "saving")},
})
