"""Family helpers: shape rules and one-line definitions of elementwise ops.

Usage (a whole new op, with gradient)::

    exp = unary_op("Exp", np.exp, grad=lambda op, g: g * op.outputs[0])
"""
from __future__ import annotations

from typing import Callable, Optional

import numpy as np

from ..framework import dtypes
from ..framework.ops import Tensor, apply_op, convert_to_tensor
from ..framework.registry import NotDifferentiable, RegisterGradient, define_op
from ..framework.tensor_shape import TensorShape, as_shape

__all__ = ["same_as_input", "broadcast_static", "unary_op", "binary_op", "convert_pair",
           "fixed_output", "output_like", "ufunc_inplace"]


# ---- shape rules ----------------------------------------------------------------------
def same_as_input(inputs, attrs):
    """Output has the first input's dtype and shape."""
    return [(inputs[0].dtype, inputs[0].shape)]


def output_like(index: int = 0, dtype=None):
    """Shape rule: same shape as input ``index``, dtype ``dtype`` (default: that input's)."""
    def rule(inputs, attrs):
        t = inputs[index]
        return [(dtypes.as_dtype(dtype) if dtype is not None else t.dtype, t.shape)]
    return rule


def fixed_output(dtype, shape):
    """Shape rule with a constant output spec."""
    def rule(inputs, attrs):
        return [(dtypes.as_dtype(dtype), as_shape(shape))]
    return rule


def broadcast_static(a: TensorShape, b: TensorShape) -> TensorShape:
    """NumPy broadcasting of static shapes with unknown dims; ValueError if incompatible."""
    if a.ndims is None or b.ndims is None:
        return TensorShape(None)
    da, db = a.as_tuple(), b.as_tuple()
    n = max(len(da), len(db))
    da = (1,) * (n - len(da)) + da
    db = (1,) * (n - len(db)) + db
    out = []
    for x, y in zip(da, db):
        if x == 1:
            out.append(y)
        elif y == 1:
            out.append(x)
        elif x is None:
            out.append(y)
        elif y is None:
            out.append(x)
        elif x == y:
            out.append(x)
        else:
            raise ValueError(f"Dimensions must be equal, but are {x} and {y}")
    return TensorShape(out)


def _broadcast_rule(out_dtype=None):
    def rule(inputs, attrs):
        a, b = inputs
        return [(out_dtype or a.dtype, broadcast_static(a.shape, b.shape))]
    return rule


# ---- argument conversion --------------------------------------------------------------
def convert_pair(x, y, op_type: str):
    """Convert the operands of a binary op; a Python/NumPy operand takes the tensor's dtype."""
    if isinstance(x, Tensor) and not isinstance(y, Tensor):
        y = _convert_operand(y, x.dtype, op_type, "y")
    elif isinstance(y, Tensor) and not isinstance(x, Tensor):
        x = _convert_operand(x, y.dtype, op_type, "x")
    else:
        x = convert_to_tensor(x)
        y = convert_to_tensor(y)
    if x.dtype != y.dtype:
        raise TypeError(f"Input 'y' of '{op_type}' Op has type {y.dtype.name} that does not match "
                        f"type {x.dtype.name} of argument 'x'.")
    return x, y


def _convert_operand(value, dtype, op_type, arg):
    if hasattr(value, "_as_graph_element") or hasattr(value, "_dense_var_to_tensor"):
        value = convert_to_tensor(value)
        return value
    try:
        return convert_to_tensor(value, dtype=dtype)
    except (TypeError, ValueError) as e:
        raise TypeError(f"{e}") from None


# ---- family definers ------------------------------------------------------------------
def _register_grad(op_type: str, grad) -> None:
    if grad is None:
        NotDifferentiable(op_type)
    elif grad is not False:
        RegisterGradient(op_type)(grad)


def ufunc_inplace(ufunc: np.ufunc) -> Callable:
    """The in-place variant of a NumPy ufunc kernel: the result goes into the first operand when
    it is an array of the result's shape and dtype, else into a new array."""
    def kernel(x, *rest):
        if x.__class__ is np.ndarray and x.ndim:
            try:
                return ufunc(x, *rest, out=x, casting="no")
            except (TypeError, ValueError):  # another dtype, or broadcasting grows the result
                pass
        return ufunc(x, *rest)
    kernel.__name__ = f"{ufunc.__name__}_inplace"
    return kernel


def _buffer_traits(kernel) -> dict:
    """NumPy ufunc kernels always return new arrays, and have an in-place variant."""
    if isinstance(kernel, np.ufunc):
        return {"fresh": True, "inplace": ufunc_inplace(kernel)}
    return {}


def unary_op(op_type: str, kernel: Callable, grad=None, name: Optional[str] = None,
             out_dtype=None, doc: str = "") -> Callable:
    """Define elementwise op ``op_type`` and return its public wrapper ``f(x, name=None)``.

    ``grad=None`` declares it not differentiable; ``grad=False`` registers nothing (yet).
    """
    rule = output_like(0, out_dtype) if out_dtype is not None else same_as_input
    define_op(op_type, kernel, rule, doc=doc, **_buffer_traits(kernel))
    _register_grad(op_type, grad)

    def wrapper(x, name=None):
        return apply_op(op_type, [convert_to_tensor(x)], name=name)
    wrapper.__name__ = name or op_type.lower()
    wrapper.__doc__ = doc or f"Elementwise {op_type} of ``x``; usage: ``tf.{wrapper.__name__}(x)``."
    return wrapper


def binary_op(op_type: str, kernel: Callable, grad=None, name: Optional[str] = None,
              out_dtype=None, doc: str = "") -> Callable:
    """Define broadcasting binary op ``op_type``; return wrapper ``f(x, y, name=None)``."""
    define_op(op_type, kernel, _broadcast_rule(dtypes.as_dtype(out_dtype) if out_dtype else None),
              doc=doc, **_buffer_traits(kernel))
    _register_grad(op_type, grad)

    def wrapper(x, y, name=None):
        x, y = convert_pair(x, y, op_type)
        return apply_op(op_type, [x, y], name=name)
    wrapper.__name__ = name or op_type.lower()
    wrapper.__doc__ = doc or f"Elementwise {op_type} with broadcasting; usage: ``tf.{wrapper.__name__}(x, y)``."
    return wrapper
