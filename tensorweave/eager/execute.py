"""Eager execution of one op: run its kernel now, wrap the results, record it on active tapes."""
from __future__ import annotations

import numpy as np

from ..framework import errors
from ..framework.ops import Tensor, convert_to_tensor, creation_site
from ..framework.registry import OpDef
from . import context
from .eager_tensor import EagerTensor


class EagerContext:
    """The runtime state of eager mode: variables live in their objects, other resources here."""

    def __init__(self):
        self.resources: dict = {}
        self.variables = _EagerVariableStore()
        self.rng_states: dict = {}
        self.inplace = False  # updates replace arrays: values users hold never change under them


class _EagerVariableStore(dict):
    """Variable values by key; eager variables register here on creation."""


eager_ctx = EagerContext()


class EagerOpRecord:
    """What a tape keeps of one eager op: enough for its gradient function (``op.inputs`` ...)."""

    __slots__ = ("type", "inputs", "outputs", "_attrs", "name", "_gradient_override",
                 "skip_input_indices")

    def __init__(self, op_type, inputs, outputs, attrs, name):
        self.type = op_type
        self.inputs = inputs
        self.outputs = outputs
        self._attrs = attrs
        self.name = name or op_type
        self._gradient_override = None
        # set by the tape's reverse pass: inputs no source depends on, whose gradients a
        # gradient function may skip computing (TF's ``op.skip_input_indices``)
        self.skip_input_indices = None

    def get_attr(self, name):
        return self._attrs[name]

    @property
    def attrs(self):
        return dict(self._attrs)


def _as_eager(t):
    if isinstance(t, EagerTensor):
        return t
    if isinstance(t, Tensor):
        raise TypeError(f"An op outside of the function building code is being passed a graph "
                        f"tensor {t!r} while executing eagerly.")
    return convert_to_tensor(t)


def execute(opdef: OpDef, inputs, attrs: dict, name):
    inputs = [_as_eager(t) for t in inputs]
    arrays = [t._value for t in inputs]
    try:
        if opdef.needs_ctx:
            result = opdef.kernel(eager_ctx, *arrays, **attrs)
        else:
            result = opdef.kernel(*arrays, **attrs)
    except errors.OpError as e:
        raise type(e)(None, None, f"{e.message} [Op:{opdef.type}]{_site()}") from None
    except (ValueError, IndexError, TypeError, ZeroDivisionError, FloatingPointError,
            OverflowError, np.linalg.LinAlgError) as e:
        shapes = ", ".join(str(list(a.shape)) if hasattr(a, "shape") else "?" for a in arrays)
        raise errors.InvalidArgumentError(
            None, None, f"{e} (input shapes: [{shapes}]) [Op:{opdef.type}]{_site()}") from None
    if opdef.num_outputs == 1:
        outputs = (_wrap(result),)
    elif opdef.num_outputs == 0:
        outputs = ()
    else:
        outputs = tuple(_wrap(r) for r in result)
    if context._state.tapes:
        record = None
        for tape in context._state.tapes:
            if tape._should_record(inputs):
                if record is None:
                    record = EagerOpRecord(opdef.type, tuple(inputs), outputs, attrs, name)
                tape._record(record)
    if opdef.num_outputs == 1:
        return outputs[0]
    if opdef.num_outputs == 0:
        return None
    return list(outputs)


def _wrap(value) -> EagerTensor:
    if isinstance(value, EagerTensor):
        return value
    return EagerTensor(value if isinstance(value, np.ndarray) else np.asarray(value))


def _site() -> str:
    site = creation_site()
    return f" (created at {site[0]}:{site[1]})" if site else ""
