"""Keras model saving: HDF5 files in Keras 2's layout, TensorFlow checkpoints, JSON/YAML configs.

Usage::

    from tensorweave.keras.saving import save_model, load_model
    save_model(model, "model.h5")
    model = load_model("model.h5")
"""
from .hdf5_format import load_model_from_hdf5 as load_model
from .hdf5_format import save_model_to_hdf5 as save_model
from .model_config import (clone_model, model_from_config, model_from_json,
                           model_from_yaml)
from .network_saving import NetworkSavingMixin

__all__ = ["save_model", "load_model", "model_from_config", "model_from_json",
           "model_from_yaml", "clone_model", "NetworkSavingMixin"]
