"""``tf.keras.models``: model classes and whole-model saving, loading and cloning.

Usage::

    model = tf.keras.models.load_model("model.h5")
    twin = tf.keras.models.clone_model(model)
"""
from .engine.sequential import Sequential
from .engine.training import Model
from .saving import (clone_model, load_model, model_from_config, model_from_json,
                     model_from_yaml, save_model)

__all__ = ["Model", "Sequential", "load_model", "save_model", "model_from_config",
           "model_from_json", "model_from_yaml", "clone_model"]
