"""Serializing Keras objects by name and config, and the custom-object registry.

Usage::

    config = serialize_keras_object(layer)            # {'class_name': 'Dense', 'config': {...}}
    layer = deserialize_keras_object(config, module_objects=LAYERS, printable_module_name="layer")
    with custom_object_scope({"MyLayer": MyLayer}): model = load_model(path)
"""
from __future__ import annotations

from typing import Optional

__all__ = ["serialize_keras_object", "deserialize_keras_object", "get_custom_objects",
           "custom_object_scope", "CustomObjectScope", "to_list", "object_from_identifier"]

_GLOBAL_CUSTOM_OBJECTS: dict = {}


def get_custom_objects() -> dict:
    """The global name -> class/function registry consulted when deserializing."""
    return _GLOBAL_CUSTOM_OBJECTS


class CustomObjectScope:
    """``with CustomObjectScope({"name": obj}):`` makes ``obj`` resolvable by name inside."""

    def __init__(self, *scopes: dict):
        self.scopes = scopes
        self._backup: Optional[dict] = None

    def __enter__(self):
        self._backup = dict(_GLOBAL_CUSTOM_OBJECTS)
        for scope in self.scopes:
            _GLOBAL_CUSTOM_OBJECTS.update(scope)
        return self

    def __exit__(self, *exc):
        _GLOBAL_CUSTOM_OBJECTS.clear()
        _GLOBAL_CUSTOM_OBJECTS.update(self._backup)
        return False


def custom_object_scope(*scopes: dict) -> CustomObjectScope:
    return CustomObjectScope(*scopes)


def to_list(x) -> list:
    if x is None:
        return []
    return list(x) if isinstance(x, (list, tuple)) else [x]


def serialize_keras_object(instance):
    """``None`` -> None; objects with ``get_config`` -> {'class_name', 'config'}; functions and
    classes -> their name."""
    if instance is None:
        return None
    if hasattr(instance, "get_config"):
        return {"class_name": type(instance).__name__, "config": instance.get_config()}
    if hasattr(instance, "__name__"):
        return instance.__name__
    raise ValueError(f"Cannot serialize {instance!r}")


def _lookup(name: str, module_objects: dict, custom_objects: Optional[dict], kind: str):
    for table in (custom_objects or {}, _GLOBAL_CUSTOM_OBJECTS, module_objects):
        if name in table:
            return table[name]
    raise ValueError(f"Unknown {kind}: {name}. Please ensure this object is passed to the "
                     f"`custom_objects` argument.")


def deserialize_keras_object(identifier, module_objects: Optional[dict] = None,
                             custom_objects: Optional[dict] = None,
                             printable_module_name: str = "object"):
    """The object a config dict or a name stands for (classes are instantiated from config)."""
    module_objects = module_objects or {}
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        if "class_name" not in identifier or "config" not in identifier:
            raise ValueError(f"Improper config format: {identifier}")
        cls = _lookup(identifier["class_name"], module_objects, custom_objects,
                      printable_module_name)
        config = identifier["config"]
        if hasattr(cls, "from_config"):
            try:
                return cls.from_config(config, custom_objects=custom_objects)
            except TypeError:
                return cls.from_config(config)
        return cls(**config)
    if isinstance(identifier, str):
        obj = _lookup(identifier, module_objects, custom_objects, printable_module_name)
        return obj() if isinstance(obj, type) else obj
    raise ValueError(f"Could not interpret serialized {printable_module_name}: {identifier}")


def object_from_identifier(identifier, deserialize, kind: str):
    """The body of Keras's ``get`` functions: a name or config dict -> ``deserialize(it)``, a
    callable (function or instance) -> itself, anything else -> ValueError naming ``kind``.
    Usage: ``object_from_identifier("l2", deserialize, "regularizer")``."""
    if isinstance(identifier, (str, dict)):
        return deserialize(identifier)
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret {kind} identifier: {identifier}")
