"""Saving methods of Keras networks: ``save``, ``save_weights``, ``load_weights``, ``to_json``,
``to_yaml``. ``Network`` inherits them from ``NetworkSavingMixin``.

Usage::

    model.save("model.h5")                  # architecture + weights + optimizer (HDF5)
    model.save_weights("ckpt/weights")      # TensorFlow checkpoint
    model.save_weights("weights.h5")        # HDF5
    model.load_weights("weights.h5", by_name=True)
"""
from __future__ import annotations

import os
from typing import Optional

from ...framework import errors
from . import checkpoint_format, hdf5_format, model_config

_FORMATS = {"tf": "tf", "tensorflow": "tf", "h5": "h5", "hdf5": "h5", "keras": "h5"}


def weights_format(filepath: str, save_format: Optional[str]) -> str:
    """``'h5'`` or ``'tf'``: ``save_format`` if given, else by the file's extension."""
    by_extension = "h5" if str(filepath).endswith((".h5", ".keras", ".hdf5")) else "tf"
    if save_format is None:
        return by_extension
    fmt = _FORMATS.get(str(save_format).lower().strip())
    if fmt is None:
        raise ValueError(f"Unknown format {save_format!r}: save_format must be 'tf' or 'h5'")
    if fmt == "tf" and by_extension == "h5":
        raise ValueError(f'save_weights got save_format="{save_format}", but the filepath '
                         f'("{filepath}") looks like an HDF5 file. Omit the ".h5" when saving '
                         f'in TensorFlow format.')
    return fmt


class NetworkSavingMixin:
    """``save``/``save_weights``/``load_weights``/``to_json``/``to_yaml`` for ``Network``."""

    def save(self, filepath: str, overwrite: bool = True, include_optimizer: bool = True) -> None:
        """Save architecture, weights and optimizer state to one HDF5 file (Keras 2 layout)."""
        hdf5_format.save_model_to_hdf5(self, filepath, overwrite, include_optimizer)

    def save_weights(self, filepath: str, overwrite: bool = True,
                     save_format: Optional[str] = None) -> None:
        """Save the weights: TensorFlow checkpoint by default, HDF5 for ``.h5`` or ``'h5'``."""
        if weights_format(filepath, save_format) == "h5":
            hdf5_format.save_weights_to_hdf5(self, filepath, overwrite)
            return
        if not overwrite and os.path.exists(filepath + ".index") \
                and not hdf5_format._ask_to_overwrite(filepath):
            return
        checkpoint_format.save_weights_to_checkpoint(self, filepath)

    def load_weights(self, filepath: str, by_name: bool = False,
                     skip_mismatch: bool = False) -> None:
        """Load weights from an HDF5 file or a TensorFlow checkpoint prefix.

        HDF5 loads by topological order, or into the layers with the saved names when
        ``by_name``; checkpoints load by topology only.
        """
        if hdf5_format.is_hdf5(filepath):
            hdf5_format.load_weights_from_hdf5(self, filepath, by_name, skip_mismatch)
            return
        if not os.path.exists(filepath + ".index"):
            raise errors.NotFoundError(None, None, f"Unable to load weights from {filepath!r}: "
                                                   f"neither an HDF5 file nor a checkpoint "
                                                   f"prefix (no {filepath}.index)")
        if by_name:
            raise NotImplementedError("Weights may only be loaded based on topology into "
                                      "Models when loading TensorFlow-formatted weights (got "
                                      "by_name=True to load_weights).")
        checkpoint_format.load_weights_from_checkpoint(self, filepath)

    def to_json(self, **kwargs) -> str:
        """The model's architecture as a JSON string (``kwargs`` go to ``json.dumps``)."""
        return model_config.model_to_json(self, **kwargs)

    def to_yaml(self, **kwargs) -> str:
        """The model's architecture as a YAML string (``kwargs`` go to ``yaml.safe_dump``)."""
        return model_config.model_to_yaml(self, **kwargs)
