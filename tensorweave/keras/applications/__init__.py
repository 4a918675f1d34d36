"""``tf.keras.applications``: reference architectures as functional Keras models (no
pretrained weights: ``weights=None`` only).

Usage: ``model = tf.keras.applications.ResNet50(weights=None, input_shape=(64, 64, 3),
include_top=False, pooling="avg")``
"""
from . import resnet50  # noqa: F401
from .resnet50 import ResNet50

__all__ = ["ResNet50", "resnet50"]
