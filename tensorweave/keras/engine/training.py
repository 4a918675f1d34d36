"""``Model``: a ``Network`` that can be trained (``compile``/``fit``/``evaluate``/``predict``
come with the training loop).

Usage: ``model = tf.keras.Model(inputs, outputs)``.
"""
from __future__ import annotations

from .network import Network

__all__ = ["Model"]


class Model(Network):
    """A network of layers: functional (``Model(inputs, outputs)``) or subclassed."""
