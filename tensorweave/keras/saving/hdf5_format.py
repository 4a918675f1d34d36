"""Keras 2's HDF5 files: whole models (``model.save``) and weights (``save_weights('w.h5')``).

Layout, as tf.keras writes it::

    /                      attrs keras_version, backend, model_config (JSON),
                                 training_config (JSON; compiled models)
    /model_weights         attrs layer_names, keras_version, backend
      /<layer>             attrs weight_names, e.g. [dense/kernel:0, dense/bias:0]
        /<weight name>     one dataset per weight (the "/" in the name makes subgroups)
    /optimizer_weights     attrs weight_names; datasets by weight name

A weights-only file is ``/model_weights`` at the root. Attributes larger than HDF5's 64 KB header
limit are split into ``name0``, ``name1`` ... as Keras does. h5py is imported on first use.

Usage::

    save_model_to_hdf5(model, "model.h5")
    model = load_model_from_hdf5("model.h5", custom_objects={"MyLayer": MyLayer})
"""
from __future__ import annotations

import json
import os
import warnings
from typing import List, Optional, Sequence

import numpy as np

from ..utils.generic_utils import custom_object_scope
from . import model_config

_HEADER_LIMIT = 64512  # bytes HDF5 allows in one object header


def h5py_module():
    """The h5py module, with an install hint when it is missing."""
    try:
        import h5py
    except ImportError as e:
        raise ImportError("Keras HDF5 files need h5py: pip install 'tensorweave[keras]'") from e
    return h5py


def open_h5(filepath: str, mode: str = "r"):
    """``h5py.File(filepath, mode)``; unreadable files raise ``OSError`` naming the file."""
    h5py = h5py_module()
    try:
        return h5py.File(filepath, mode)
    except OSError as e:
        what = "reading" if mode == "r" else "writing"
        raise OSError(f"Unable to open Keras HDF5 file {filepath!r} for {what} (truncated, "
                      f"not HDF5, or not accessible): {e}") from e


def is_hdf5(filepath) -> bool:
    """Whether ``filepath`` names an HDF5 file (by extension, or by content when it exists)."""
    path = str(filepath)
    if path.endswith((".h5", ".keras", ".hdf5")):
        return True
    return os.path.isfile(path) and h5py_module().is_hdf5(path)


def save_attributes(group, name: str, values: Sequence[str]) -> None:
    """Store a list of strings as the attribute ``name`` (chunked past the header limit)."""
    data = np.array([v.encode("utf-8") for v in values]) if values else np.array([])
    n_chunks = 1
    while data.nbytes / n_chunks > _HEADER_LIMIT and n_chunks < max(len(values), 1):
        n_chunks += 1
    if data.nbytes / n_chunks > _HEADER_LIMIT:
        raise RuntimeError(f"The attribute {name!r} holds a string longer than HDF5's "
                           f"{_HEADER_LIMIT}-byte header limit")
    if n_chunks == 1:
        group.attrs[name] = data
        return
    for i, chunk in enumerate(np.array_split(data, n_chunks)):
        group.attrs[f"{name}{i}"] = chunk


def load_attributes(group, name: str) -> List[str]:
    """The list of strings stored as attribute ``name`` (also when split into chunks)."""
    if name in group.attrs:
        raw = list(group.attrs[name])
    else:
        raw, i = [], 0
        while f"{name}{i}" in group.attrs:
            raw.extend(group.attrs[f"{name}{i}"])
            i += 1
    return [v.decode("utf-8") if isinstance(v, bytes) else str(v) for v in raw]


def _text_attr(group, name: str) -> Optional[str]:
    value = group.attrs.get(name)
    return value.decode("utf-8") if isinstance(value, bytes) else value


def layer_weights(layer) -> list:
    """A layer's weights in saving order: trainable first, then non-trainable (as tf.keras)."""
    return list(layer.trainable_weights) + list(layer.non_trainable_weights)


def _weight_names(weights) -> List[str]:
    """Dataset names for ``weights``: their variable names, made unique within the group."""
    names, seen = [], set()
    for i, weight in enumerate(weights):
        name = getattr(weight, "name", f"param_{i}")
        stem, colon, index = name.rpartition(":") if ":" in name else (name, "", "")
        k = 0
        while name in seen:
            k += 1
            name = f"{stem}_{k}{colon}{index}"
        seen.add(name)
        names.append(name)
    return names


def _write_datasets(group, names: Sequence[str], values: Sequence[np.ndarray]) -> None:
    save_attributes(group, "weight_names", names)
    for name, value in zip(names, values):
        value = np.asarray(value)
        dataset = group.create_dataset(name, value.shape, dtype=value.dtype)
        dataset[()] = value


def save_weights_to_hdf5_group(group, layers: Sequence) -> None:
    """Write every layer's weights into ``group`` in Keras 2's layout."""
    from .. import backend as K
    write_weight_groups(group, [(layer.name, _weight_names(layer_weights(layer)),
                                 K.batch_get_value(layer_weights(layer))) for layer in layers])


def write_weight_groups(group, entries: Sequence) -> None:
    """Write ``[(layer name, weight names, values)]`` into ``group`` in Keras 2's layout."""
    save_attributes(group, "layer_names", [name for name, _, _ in entries])
    group.attrs["backend"] = model_config.BACKEND.encode("utf-8")
    group.attrs["keras_version"] = model_config.KERAS_VERSION.encode("utf-8")
    for layer_name, weight_names, values in entries:
        _write_datasets(group.create_group(layer_name), weight_names, values)
    _write_datasets(group.create_group("top_level_model_weights"), [], [])


def _saved_layers(group) -> list:
    """[(layer name, [weight names])] of the layers in ``group`` that have weights."""
    saved = []
    for name in load_attributes(group, "layer_names"):
        if name not in group:
            raise ValueError(f"The weights file lists layer {name!r} but has no group for it "
                             f"(file truncated or not written by Keras)")
        weight_names = load_attributes(group[name], "weight_names")
        if weight_names:
            saved.append((name, weight_names))
    return saved


def _read_values(group, layer_name: str, weight_names: Sequence[str]) -> list:
    values = []
    for name in weight_names:
        try:
            values.append(np.asarray(group[layer_name][name]))
        except (KeyError, OSError) as e:
            raise ValueError(f"Cannot read weight {name!r} of layer {layer_name!r} from the "
                             f"weights file (file truncated or not written by Keras): {e}") from e
    return values


def _pair_weights(layer, saved_name: str, weight_names, values, skip_mismatch: bool) -> list:
    """[(variable, value)] for ``layer``, or [] when skipping a mismatch."""
    weights = layer_weights(layer)
    if len(weights) != len(values):
        message = (f"Layer {layer.name!r} ({type(layer).__name__}) expects {len(weights)} "
                   f"weight(s), but the saved weights of layer {saved_name!r} have "
                   f"{len(values)} element(s): {list(weight_names)}")
        if skip_mismatch:
            warnings.warn("Skipping loading of weights: " + message)
            return []
        raise ValueError(message)
    pairs = []
    for weight, name, value in zip(weights, weight_names, values):
        expected = tuple(weight.shape.as_list()) if hasattr(weight.shape, "as_list") \
            else tuple(weight.shape)
        if expected != value.shape:
            message = (f"Shape mismatch in layer {layer.name!r} for weight "
                       f"{getattr(weight, 'name', name)!r}: the model's weight has shape "
                       f"{expected}, but the saved weight {name!r} of layer {saved_name!r} "
                       f"has shape {value.shape}")
            if skip_mismatch:
                warnings.warn("Skipping loading of weights: " + message)
                return []
            raise ValueError(message)
        pairs.append((weight, value))
    return pairs


def load_weights_from_hdf5_group(group, layers: Sequence) -> None:
    """Load saved weights layer by layer, in topological order (layer names may differ)."""
    from .. import backend as K
    layers = [layer for layer in layers if layer_weights(layer)]
    saved = _saved_layers(group)
    if len(saved) != len(layers):
        raise ValueError(f"You are trying to load a weight file containing {len(saved)} layers "
                         f"with weights into a model with {len(layers)} layers with weights "
                         f"(saved: {[n for n, _ in saved]}; model: {[l.name for l in layers]})")
    pairs = []
    for layer, (saved_name, weight_names) in zip(layers, saved):
        values = _read_values(group, saved_name, weight_names)
        pairs += _pair_weights(layer, saved_name, weight_names, values, skip_mismatch=False)
    K.batch_set_value(pairs)


def load_weights_from_hdf5_group_by_name(group, layers: Sequence,
                                         skip_mismatch: bool = False) -> None:
    """Load saved weights into the layers with the same names; other layers keep theirs."""
    from .. import backend as K
    by_name = {}
    for layer in layers:
        by_name.setdefault(layer.name, []).append(layer)
    pairs = []
    for saved_name, weight_names in _saved_layers(group):
        for layer in by_name.get(saved_name, []):
            values = _read_values(group, saved_name, weight_names)
            pairs += _pair_weights(layer, saved_name, weight_names, values, skip_mismatch)
    K.batch_set_value(pairs)


def save_weights_to_hdf5(model, filepath: str, overwrite: bool = True) -> None:
    """``model.save_weights(filepath)`` for HDF5 files."""
    if not overwrite and os.path.exists(filepath) and not _ask_to_overwrite(filepath):
        return
    with open_h5(filepath, "w") as f:
        save_weights_to_hdf5_group(f, model.layers)


def load_weights_from_hdf5(model, filepath: str, by_name: bool = False,
                           skip_mismatch: bool = False) -> None:
    """``model.load_weights(filepath)`` for HDF5 weights files and whole-model files."""
    with open_h5(filepath) as f:
        group = f["model_weights"] if "model_weights" in f and "layer_names" not in f.attrs else f
        if by_name:
            load_weights_from_hdf5_group_by_name(group, model.layers, skip_mismatch)
        else:
            load_weights_from_hdf5_group(group, model.layers)


def save_model_to_hdf5(model, filepath: str, overwrite: bool = True,
                       include_optimizer: bool = True) -> None:
    """Architecture, weights, training config and optimizer state of ``model`` in one file."""
    if not overwrite and os.path.exists(filepath) and not _ask_to_overwrite(filepath):
        return
    config = json.dumps(model_config.model_config_dict(model), default=model_config.json_default)
    with open_h5(filepath, "w") as f:
        f.attrs["keras_version"] = model_config.KERAS_VERSION.encode("utf-8")
        f.attrs["backend"] = model_config.BACKEND.encode("utf-8")
        f.attrs["model_config"] = config.encode("utf-8")
        save_weights_to_hdf5_group(f.create_group("model_weights"), model.layers)
        optimizer = getattr(model, "optimizer", None)
        if include_optimizer and optimizer is not None:
            _save_training_state(f, model, optimizer)


def _save_training_state(f, model, optimizer) -> None:
    from .. import backend as K
    if not hasattr(optimizer, "get_config"):
        warnings.warn("TensorFlow optimizers do not make it possible to access optimizer "
                      "attributes or optimizer state after instantiation. As a result, we "
                      "cannot save the optimizer as part of the model save file. You will have "
                      "to compile your model again after loading it.")
        return
    training_config = {
        "optimizer_config": {"class_name": type(optimizer).__name__,
                             "config": optimizer.get_config()},
        "loss": getattr(model, "loss", None),
        "metrics": getattr(model, "_compile_metrics", None),
        "weighted_metrics": getattr(model, "_compile_weighted_metrics", None),
        "sample_weight_mode": getattr(model, "sample_weight_mode", None),
        "loss_weights": getattr(model, "loss_weights", None),
    }
    f.attrs["training_config"] = json.dumps(
        training_config, default=model_config.json_default).encode("utf-8")
    weights = list(getattr(optimizer, "weights", []))
    if weights:
        _write_datasets(f.create_group("optimizer_weights"), _weight_names(weights),
                        K.batch_get_value(weights))


def load_model_from_hdf5(filepath: str, custom_objects: Optional[dict] = None,
                         compile: bool = True):  # noqa: A002 - Keras's argument name
    """The model saved in ``filepath``, compiled as it was saved when ``compile``."""
    with open_h5(filepath) as f:
        config_text = _text_attr(f, "model_config")
        if config_text is None:
            raise ValueError(f"No model found in config file {filepath!r} (a weights-only file? "
                             f"use model.load_weights)")
        model = model_config.model_from_config(json.loads(config_text), custom_objects)
        if "model_weights" not in f:
            raise ValueError(f"{filepath!r} has a model config but no model_weights group "
                             f"(file truncated or not written by Keras)")
        load_weights_from_hdf5_group(f["model_weights"], model.layers)
        if compile:
            _restore_training_state(f, model, custom_objects or {})
    return model


def _restore_training_state(f, model, custom_objects: dict) -> None:
    from .. import backend as K
    text = _text_attr(f, "training_config")
    if text is None:
        warnings.warn("No training configuration found in save file: the model was *not* "
                      "compiled. Compile it manually.")
        return
    training_config = json.loads(text)
    model.compile(optimizer=_optimizer_from_config(training_config["optimizer_config"],
                                                   custom_objects),
                  loss=_with_custom_objects(training_config.get("loss"), custom_objects),
                  metrics=_metrics_from_config(training_config.get("metrics"), custom_objects),
                  weighted_metrics=_metrics_from_config(training_config.get("weighted_metrics"),
                                                        custom_objects),
                  loss_weights=training_config.get("loss_weights"),
                  sample_weight_mode=training_config.get("sample_weight_mode"))
    if "optimizer_weights" not in f:
        return
    group = f["optimizer_weights"]
    names = load_attributes(group, "weight_names")
    values = [np.asarray(group[name]) for name in names]
    if hasattr(model, "_make_train_function"):
        model._make_train_function()  # creates the optimizer's slot variables (graph mode)
    if len(model.optimizer.weights) < len(values):  # eager mode: slots exist after a step only
        _create_slots(model, names)
    try:
        K.batch_set_value(_pair_optimizer_weights(model.optimizer, names, values))
    except ValueError as e:
        warnings.warn(f"Error in loading the saved optimizer state ({e}). As a result, your "
                      f"model is starting with a freshly initialized optimizer.")


def _create_slots(model, names: Sequence[str]) -> None:
    """Create the optimizer slots the saved names describe (``.../dense/kernel/m:0``), in the
    file's order, so that positional pairing holds when the slot names cannot be matched."""
    optimizer = model.optimizer
    if not hasattr(optimizer, "_slot"):
        return
    variables = {f"{layer.name}/{w.name.split(':')[0].split('/')[-1]}": w
                 for layer in model.layers for w in layer.trainable_weights}
    for name in names:
        base, _, slot = _slot_key(name, type(optimizer).__name__).rpartition("/")
        if base in variables:
            optimizer._slot(variables[base], slot)


def _slot_key(name: str, optimizer_name: str) -> str:
    """``training/Adam/dense/kernel/m:0`` -> ``dense/kernel/m`` (scope before the class dropped)."""
    parts = name.split(":")[0].split("/")
    return "/".join(parts[parts.index(optimizer_name) + 1:]) if optimizer_name in parts \
        else "/".join(parts)


def _pair_optimizer_weights(optimizer, names: Sequence[str], values: Sequence) -> list:
    """[(optimizer variable, saved value)]: by slot name when the names agree (the order of
    slots differs between Keras versions), else by position."""
    weights = list(optimizer.weights)
    if len(weights) != len(values):
        raise ValueError(f"the optimizer has {len(weights)} weights, the file has "
                         f"{len(values)} ({list(names[:3])}...)")
    cls = type(optimizer).__name__
    saved = {_slot_key(n, cls): v for n, v in zip(names, values)}
    keys = [_slot_key(w.name, cls) for w in weights]
    pairs = list(zip(weights, [saved[k] for k in keys] if set(keys) == set(saved) else values))
    for weight, value in pairs:
        if tuple(weight.shape.as_list()) != np.shape(value):
            raise ValueError(f"optimizer weight {weight.name!r} has shape "
                             f"{tuple(weight.shape.as_list())}, the saved value "
                             f"{np.shape(value)}")
    return pairs


def _optimizer_from_config(config: dict, custom_objects: dict):
    """The optimizer a training config names; newer tf.keras extras are dropped with a warning."""
    from .. import optimizers
    class_name = config["class_name"].split(">")[-1]  # newer tf.keras writes "Custom>Adam"
    try:
        return optimizers.deserialize({"class_name": class_name, "config": config["config"]},
                                      custom_objects=custom_objects)
    except TypeError:
        known = optimizers.get(class_name).get_config()
        kept = {k: v for k, v in config["config"].items() if k in known}
        warnings.warn(f"Optimizer config keys {sorted(set(config['config']) - set(kept))} of "
                      f"{class_name} are not Keras 2 arguments and were ignored")
        return optimizers.deserialize({"class_name": class_name, "config": kept},
                                      custom_objects=custom_objects)


def _with_custom_objects(obj, custom_objects: dict):
    """Loss/metric names replaced by the custom objects of the same name (nested lists/dicts)."""
    if isinstance(obj, dict):
        return {k: _with_custom_objects(v, custom_objects) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_with_custom_objects(v, custom_objects) for v in obj]
    return custom_objects.get(obj, obj) if isinstance(obj, str) else obj


def _metrics_from_config(metrics, custom_objects: dict):
    """Compile metrics from a training config; newer tf.keras writes per-output lists of
    serialized metric objects, read back as the metric names Keras 2 compiles."""
    if isinstance(metrics, dict) and "class_name" in metrics:
        if metrics["class_name"] in ("MeanMetricWrapper", "SumOverBatchSizeMetricWrapper"):
            return metrics["config"]["name"]  # a metric function, compiled by its name
        from .. import metrics as metrics_module
        with custom_object_scope(custom_objects):
            return metrics_module.get(metrics)  # a stateful metric object (Precision ...)
    if isinstance(metrics, dict):
        return {k: _metrics_from_config(v, custom_objects) for k, v in metrics.items()}
    if isinstance(metrics, list):
        if len(metrics) == 1 and isinstance(metrics[0], list):
            metrics = metrics[0]
        return [_metrics_from_config(m, custom_objects) for m in metrics]
    return _with_custom_objects(metrics, custom_objects)


def _ask_to_overwrite(filepath: str) -> bool:
    answer = input(f"[WARNING] {filepath} already exists - overwrite? [y/n]").strip().lower()
    while answer not in ("y", "n"):
        answer = input('Enter "y" (overwrite) or "n" (cancel).').strip().lower()
    if answer == "y":
        print("[TIP] Next time specify overwrite=True!")
    return answer == "y"
