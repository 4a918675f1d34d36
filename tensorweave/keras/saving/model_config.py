"""Model architectures as configs, JSON and YAML; ``clone_model``.

A config is Keras 2's ``{"class_name": ..., "config": ...}``. Reading also accepts what newer
tf.keras writes (``Functional`` models; ``module``, ``registered_name`` and ``build_config`` keys;
``ragged``/``optional``/``groups`` at their Keras 2 values). Nothing read from a config runs: a
``Lambda`` layer saved with Python bytecode loads only when its function is passed in
``custom_objects`` under the layer's name. YAML is read with PyYAML's safe loader only.

Usage::

    text = model.to_json()
    twin = model_from_json(text)              # same architecture, fresh weights
    twin = model_from_yaml(model.to_yaml())
"""
from __future__ import annotations

import json
from typing import Any, Optional

import numpy as np

KERAS_VERSION = "2.2.4-tf"  # the Keras that TF 1.x shipped as tf.keras
BACKEND = "tensorflow"

# Keys that newer tf.keras adds around configs; Keras 2 has no use for them.
_NEWER_KEYS = frozenset(("module", "registered_name", "build_config", "compile_config",
                         "shared_object_id"))
# Layer arguments newer tf.keras writes; dropped when they hold the value Keras 2 behaves as.
_NEWER_DEFAULTS = {"ragged": False, "optional": False, "groups": 1}
_CLASS_ALIASES = {"Functional": "Model"}


def json_default(obj: Any):
    """``json.dumps(default=...)`` hook for the objects configs hold (NumPy values, shapes ...)."""
    if hasattr(obj, "get_config"):
        return {"class_name": type(obj).__name__, "config": obj.get_config()}
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    if isinstance(obj, np.generic):
        return obj.item()
    if hasattr(obj, "as_list") and hasattr(obj, "ndims"):  # TensorShape
        return obj.as_list() if obj.ndims is not None else None
    if hasattr(obj, "as_numpy_dtype"):  # DType
        return obj.name
    if callable(obj):
        return obj.__name__
    raise TypeError(f"Not JSON serializable: {obj!r}")


def model_config_dict(model) -> dict:
    """``{"class_name", "config", "keras_version", "backend"}`` of ``model`` (as ``to_json`` writes)."""
    return {"class_name": type(model).__name__, "config": model.get_config(),
            "keras_version": KERAS_VERSION, "backend": BACKEND}


def model_to_json(model, **kwargs) -> str:
    """The JSON string of ``model``'s architecture (``kwargs`` go to ``json.dumps``)."""
    return json.dumps(model_config_dict(model), default=json_default, **kwargs)


def model_to_yaml(model, **kwargs) -> str:
    """The YAML string of ``model``'s architecture (``kwargs`` go to ``yaml.safe_dump``)."""
    import yaml
    plain = json.loads(model_to_json(model))  # tuples and NumPy values become YAML-safe lists
    kwargs.setdefault("default_flow_style", False)
    return yaml.safe_dump(plain, **kwargs)


def model_from_config(config: dict, custom_objects: Optional[dict] = None):
    """A new model (fresh weights) from a ``{"class_name", "config"}`` dict."""
    if isinstance(config, list):
        raise TypeError("`model_from_config` expects a dictionary, not a list. Maybe you meant "
                        "to use `Sequential.from_config(config)`?")
    custom_objects = dict(custom_objects or {})
    config = keras2_config(config)
    _bind_lambda_functions(config, custom_objects)
    from .. import layers
    return layers.deserialize(config, custom_objects=custom_objects)


def model_from_json(json_string: str, custom_objects: Optional[dict] = None):
    """A new model from the string ``model.to_json()`` (or tf.keras) wrote."""
    return model_from_config(json.loads(json_string), custom_objects)


def model_from_yaml(yaml_string: str, custom_objects: Optional[dict] = None):
    """A new model from a YAML string, read with the safe loader (``!!python/tuple`` as lists)."""
    import yaml
    return model_from_config(yaml.load(yaml_string, Loader=_tuple_tolerant_loader()),
                             custom_objects)


def keras2_config(obj):
    """A copy of a config (possibly from newer tf.keras) in the form Keras 2 classes read."""
    if isinstance(obj, list):
        return [keras2_config(v) for v in obj]
    if not isinstance(obj, dict):
        return obj
    out = {k: keras2_config(v) for k, v in obj.items()
           if k not in _NEWER_KEYS and not (k in _NEWER_DEFAULTS and v == _NEWER_DEFAULTS[k])}
    if isinstance(out.get("class_name"), str) and "config" in out:
        out["class_name"] = _CLASS_ALIASES.get(out["class_name"], out["class_name"])
    return out


def _bind_lambda_functions(obj, custom_objects: dict) -> None:
    """Replace Python bytecode of ``Lambda`` layers by functions from ``custom_objects``.

    A ``Lambda`` saved with a Python ``lambda`` carries marshalled bytecode; running it would
    execute code from the file, so it must be supplied as ``custom_objects={layer_name: fn}``
    (``{layer_name + "/output_shape": fn}`` for a lambda ``output_shape``).
    """
    if isinstance(obj, list):
        for v in obj:
            _bind_lambda_functions(v, custom_objects)
        return
    if not isinstance(obj, dict):
        return
    if obj.get("class_name") == "Lambda" and isinstance(obj.get("config"), dict):
        cfg = obj["config"]
        for key, suffix in (("function", ""), ("output_shape", "/output_shape")):
            if cfg.get(key + "_type") != "lambda":
                continue
            name = cfg.get("name", "lambda") + suffix
            if not callable(custom_objects.get(name)):
                raise ValueError(
                    f"Lambda layer {cfg.get('name')!r} was saved with a Python lambda as its "
                    f"{key!r}; loading it would execute code stored in the file, which is "
                    f"never done. Pass the function instead: custom_objects={{{name!r}: fn}}.")
            cfg[key], cfg[key + "_type"] = name, "function"
    for v in obj.values():
        _bind_lambda_functions(v, custom_objects)


def _tuple_tolerant_loader():
    """``yaml.SafeLoader`` that also reads the ``!!python/tuple`` tags old Keras wrote, as lists."""
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_constructor("tag:yaml.org,2002:python/tuple",
                           lambda loader, node: loader.construct_sequence(node))
    return Loader


def clone_model(model, input_tensors=None):
    """A new model with ``model``'s architecture and freshly initialized weights.

    Sequential and functional models only (subclassed models have no config). With
    ``input_tensors`` the clone is built on those tensors instead of new ``Input``s.
    """
    from .. import models
    if isinstance(model, models.Sequential):
        return _clone_sequential(model, input_tensors)
    if not getattr(model, "_is_graph_network", True):
        raise ValueError("Expected `model` argument to be a functional `Model` instance, but "
                         "got a subclass of `Model` instead.")
    twin = type(model).from_config(model.get_config())
    if input_tensors is None:
        return twin
    inputs = [_as_keras_input(t) for t in _as_list(input_tensors)]
    if len(inputs) != len(model.inputs):
        raise ValueError(f"Model {model.name!r} has {len(model.inputs)} inputs, but "
                         f"{len(inputs)} input_tensors were given")
    outputs = twin(inputs if len(inputs) > 1 else inputs[0])
    return models.Model(inputs, outputs, name=model.name)


def _clone_sequential(model, input_tensors):
    from .. import models
    layers = [type(layer).from_config(layer.get_config())
              for layer in model.layers]
    if input_tensors is None:
        return models.Sequential(layers=layers, name=model.name)
    tensors = _as_list(input_tensors)
    if len(tensors) != 1:
        raise ValueError("To clone a `Sequential` model, pass a single tensor as "
                         "`input_tensors`.")
    from ..engine.input_layer import InputLayer
    return models.Sequential(layers=[InputLayer(input_tensor=_as_keras_input(tensors[0]))]
                             + layers, name=model.name)


def _as_list(x) -> list:
    return list(x) if isinstance(x, (list, tuple)) else [x]


def _as_keras_input(tensor):
    from ..engine.input_layer import Input
    return tensor if hasattr(tensor, "_keras_history") else Input(tensor=tensor)
