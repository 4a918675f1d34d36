"""Variable state ops: the variable node, reads, assignments, and the in-place helpers that
training ops use. Values live in the runtime's ``variables`` store (keyed by variable name),
never in the graph.

Graph mode uses TF1 reference variables (``VariableV2`` + ``Assign``); eager mode uses resource
handles (``ReadVariableOp`` + ``AssignVariableOp``). Kernels receive the variable's key where
the op takes a reference (``ref_inputs``).
"""
from __future__ import annotations

from typing import Optional

import numpy as np

from ..framework import dtypes, errors
from ..framework.ops import apply_op, convert_to_tensor
from ..framework.registry import NotDifferentiable, RegisterGradient, define_op
from ..framework.tensor_shape import TensorShape

__all__ = ["assign", "assign_add", "assign_sub", "is_variable_initialized", "key_of", "store",
           "fetch_var"]


def key_of(k) -> str:
    """A variable key from a string or a 0-d object array (eager handles)."""
    return k if isinstance(k, str) else k.item()


def runtime_key(op) -> str:
    """Where a variable op's value lives in a session's runtime: its ``shared_name`` (or, when
    that is empty, its name). Usage: ``session._runtime.variables[runtime_key(v.op)]``."""
    return op._attrs.get("shared_name") or op.name


def fetch_var(ctx, key: str) -> np.ndarray:
    """The stored value, or FailedPreconditionError naming the variable."""
    try:
        return ctx.variables[key]
    except KeyError:
        name = key.split("#", 1)[0]
        raise errors.FailedPreconditionError(
            None, None, f"Attempting to use uninitialized value {name}") from None


def store(ctx, key: str, var: np.ndarray, new: np.ndarray) -> np.ndarray:
    """Put ``new`` as the value: into ``var``'s memory in a session runtime (in-place updates,
    fetches are unaliased), as a fresh array in eager mode (values held by users stay as they were)."""
    if getattr(ctx, "inplace", True) and var.shape == new.shape and var.dtype == new.dtype:
        np.copyto(var, new)
        return var
    new = np.asarray(new, dtype=var.dtype)
    ctx.variables[key] = new
    return new


# ---- graph (reference) variables --------------------------------------------------------------
def _variable_kernel(ctx, shape, dtype, shared_name, container=""):
    return fetch_var(ctx, shared_name)


define_op("VariableV2", _variable_kernel,
          lambda inputs, attrs: [(attrs["dtype"], attrs["shape"])], needs_ctx=True, stateful=True)
NotDifferentiable("VariableV2")


def _check_shape(key, old, value):
    if old is not None and old.shape != value.shape:
        raise errors.InvalidArgumentError(
            None, None, f"Assign requires shapes of both tensors to match. lhs shape= "
                        f"{list(old.shape)} rhs shape= {list(value.shape)}")


def _assign_kernel(ctx, ref, value, validate_shape=True, use_locking=True):
    key = key_of(ref)
    old = ctx.variables.get(key)
    if validate_shape:
        _check_shape(key, old, np.asarray(value))
    new = np.array(value, copy=True, dtype=old.dtype if old is not None else None)
    ctx.variables[key] = new
    return new


def _assign_update(sign):
    def kernel(ctx, ref, value, use_locking=False):
        key = key_of(ref)
        var = fetch_var(ctx, key)
        value = np.asarray(value)
        if value.shape != var.shape and np.broadcast_shapes(value.shape, var.shape) != var.shape:
            raise errors.InvalidArgumentError(
                None, None, f"Cannot update variable with shape {list(var.shape)} using a Tensor "
                            f"with shape {list(value.shape)}, shapes must be equal.")
        return store(ctx, key, var, var + value if sign > 0 else var - value)
    return kernel


def _ref_rule(inputs, attrs):
    return [(inputs[0].dtype, inputs[0].shape)]


define_op("Assign", _assign_kernel, _ref_rule, needs_ctx=True, ref_inputs=(0,), stateful=True)
define_op("AssignAdd", _assign_update(+1), _ref_rule, needs_ctx=True, ref_inputs=(0,), stateful=True)
define_op("AssignSub", _assign_update(-1), _ref_rule, needs_ctx=True, ref_inputs=(0,), stateful=True)
for _t in ("Assign", "AssignAdd", "AssignSub"):
    NotDifferentiable(_t)

define_op("IsVariableInitialized", lambda ctx, ref, dtype=None: np.array(key_of(ref) in ctx.variables),
          lambda inputs, attrs: [(dtypes.bool, TensorShape([]))], needs_ctx=True, ref_inputs=(0,),
          stateful=True)
NotDifferentiable("IsVariableInitialized")


def _report_uninitialized(ctx, names, keys):
    return np.array([n.encode() for n, k in zip(names, keys) if k not in ctx.variables], dtype=object)


define_op("ReportUninitializedVariables", _report_uninitialized,
          lambda inputs, attrs: [(dtypes.string, TensorShape([None]))], needs_ctx=True, stateful=True)
NotDifferentiable("ReportUninitializedVariables")


# ---- eager (resource) variables ---------------------------------------------------------------
define_op("ReadVariableOp", lambda ctx, handle, dtype: fetch_var(ctx, key_of(handle)),
          lambda inputs, attrs: [(attrs["dtype"], TensorShape(None))], needs_ctx=True,
          stateful=True)
RegisterGradient("ReadVariableOp")(lambda op, grad: grad)
define_op("AssignVariableOp", lambda ctx, handle, value: _assign_kernel(ctx, handle, value, False),
          lambda inputs, attrs: [(inputs[1].dtype, inputs[1].shape)], needs_ctx=True, stateful=True)
define_op("AssignAddVariableOp", lambda ctx, handle, value: _assign_update(+1)(ctx, handle, value),
          lambda inputs, attrs: [(inputs[1].dtype, inputs[1].shape)], needs_ctx=True, stateful=True)
define_op("AssignSubVariableOp", lambda ctx, handle, value: _assign_update(-1)(ctx, handle, value),
          lambda inputs, attrs: [(inputs[1].dtype, inputs[1].shape)], needs_ctx=True, stateful=True)
for _t in ("AssignVariableOp", "AssignAddVariableOp", "AssignSubVariableOp"):
    NotDifferentiable(_t)


# ---- public wrappers ---------------------------------------------------------------------------
def _var_args(ref, value):
    from .variables import Variable
    if isinstance(ref, Variable):
        return ref, convert_to_tensor(value, dtype=ref.dtype)
    raise TypeError(f"assign expects a tf.Variable, got {type(ref).__name__}")


def assign(ref, value, validate_shape: Optional[bool] = None, use_locking: Optional[bool] = None,
           name: Optional[str] = None):
    """Assign ``value`` to variable ``ref``; returns the new value (graph: a tensor)."""
    var, _ = _var_args(ref, 0)
    return var.assign(value, use_locking=use_locking, name=name,
                      validate_shape=True if validate_shape is None else validate_shape)


def assign_add(ref, value, use_locking: Optional[bool] = None, name: Optional[str] = None):
    var, _ = _var_args(ref, 0)
    return var.assign_add(value, use_locking=use_locking, name=name)


def assign_sub(ref, value, use_locking: Optional[bool] = None, name: Optional[str] = None):
    var, _ = _var_args(ref, 0)
    return var.assign_sub(value, use_locking=use_locking, name=name)


def is_variable_initialized(variable):
    """A bool tensor: has ``variable`` been initialized in the session?"""
    return variable.is_initialized()
