"""Fused optimizer update ops (``ApplyGradientDescent``, ``ApplyAdam`` ...), as in TensorFlow.

Each op takes its variable and slot variables first (by reference: the kernel gets their keys),
then the scalar hyperparameters and the gradient, in TensorFlow's input order. It updates the
runtime's arrays in place in a session (``ctx.inplace``), by replacement in eager mode (values
users hold never change), and returns the variable's new value. Usage::

    apply_training_op("ApplyMomentum", [var_ref(v), var_ref(accum)], [lr, grad, momentum],
                      {"use_locking": False, "use_nesterov": False})
"""
from __future__ import annotations

import numpy as np

from ..framework import errors
from ..framework.ops import apply_op
from ..framework.registry import NotDifferentiable, define_op
from ..framework.tensor_shape import TensorShape
from ..kernels import training_kernels as K
from ..ops.state_ops import fetch_var, key_of

__all__ = ["define_training_op", "apply_training_op", "TRAINING_OPS"]

TRAINING_OPS: dict = {}  # op type -> (input names, number of variable inputs)


def _shape_rule(op_type: str):
    names, n_refs, scalars = TRAINING_OPS[op_type]

    def rule(inputs, attrs):
        var = inputs[0]
        shape = TensorShape(var.shape)
        for name, t in zip(names[1:], inputs[1:]):
            if t.dtype != var.dtype and t.dtype.base_dtype != var.dtype.base_dtype:
                raise TypeError(f"Input '{name}' of '{op_type}' Op has type {t.dtype.name} that "
                                f"does not match type {var.dtype.name} of argument 'var'.")
            if name in scalars:
                if t.shape.ndims not in (None, 0):
                    raise ValueError(f"Shape must be rank 0 but is rank {t.shape.ndims} for "
                                     f"'{name}'")
            elif not shape.is_compatible_with(t.shape):
                raise ValueError(f"Shapes must be equal rank, and {name} must have the shape of "
                                 f"var: {var.shape} vs {t.shape}")
            else:
                shape = shape.merge_with(t.shape)
        return [(var.dtype, shape)]
    return rule


def _mismatch(name, var, other):
    raise errors.InvalidArgumentError(
        None, None, f"var and {name} do not have the same shape{list(var.shape)} "
                    f"{list(np.shape(other))}")


# Elements per chunk of an update: every rule is elementwise, so applying it chunk by chunk
# keeps var, slots, gradient and temporaries in the core's L2 cache across the rule's ~10 passes
# (a 784x512 Adam update: 1.72 -> 1.05 ms on the benchmark machine); results are bit-identical.
_BLOCK = 1 << 16


def _update_in_blocks(update, arrays, values, scalar_pos, attrs) -> None:
    flat = [a.reshape(-1) for a in arrays]  # views: the variables are contiguous
    vals = [v if i in scalar_pos else np.reshape(v, -1) for i, v in enumerate(values)]
    for start in range(0, flat[0].size, _BLOCK):
        part = slice(start, start + _BLOCK)
        update(*[a[part] for a in flat],
               *[v if i in scalar_pos else v[part] for i, v in enumerate(vals)], **attrs)


def _numpy_update(update, arrays, values, scalar_pos, attrs) -> None:
    """Apply the NumPy rule ``update``: in cache-sized chunks when the arrays are large."""
    if arrays[0].size > _BLOCK and all(a.flags.c_contiguous for a in arrays):
        _update_in_blocks(update, arrays, values, scalar_pos, attrs)
    elif arrays[0].ndim == 0:  # 1-element views: NumPy turns 0-d temporaries into scalars
        update(*[a.reshape(1) for a in arrays],
               *[v if i in scalar_pos else np.reshape(v, 1) for i, v in enumerate(values)],
               **attrs)
    else:
        update(*arrays, *values, **attrs)


def define_training_op(op_type: str, update, input_names, n_refs: int, scalars=(),
                       fused=None) -> None:
    """Register ``op_type``: its first ``n_refs`` inputs are variables (var, then slots), the
    inputs named in ``scalars`` are 0-d, and ``update(*arrays, **attrs)`` mutates the variable
    arrays in place (see ``kernels/training_kernels.py``). ``fused``, with the same signature,
    may do the update in one compiled pass and return True, or return False to decline."""
    names = tuple(input_names)
    TRAINING_OPS[op_type] = (names, n_refs, frozenset(scalars))
    scalar_pos = frozenset(i - n_refs for i, n in enumerate(names) if n in scalars)
    tensor_pos = [i - n_refs for i, n in enumerate(names) if i >= n_refs and n not in scalars]

    def check(arrays, values):
        var = arrays[0]
        for i in range(1, n_refs):
            if arrays[i].shape != var.shape:
                _mismatch(names[i], var, arrays[i])
        for j in tensor_pos:
            if np.shape(values[j]) != var.shape:
                _mismatch(names[n_refs + j], var, values[j])
        for j in scalar_pos:
            if np.ndim(values[j]) != 0:
                raise errors.InvalidArgumentError(
                    None, None, f"{names[n_refs + j]} is not a scalar: {list(np.shape(values[j]))}")

    def kernel(ctx, *args, use_locking=False, **attrs):
        variables = ctx.variables
        try:
            keys = [r if r.__class__ is str else key_of(r) for r in args[:n_refs]]
            arrays = [variables[k] for k in keys]
        except KeyError:
            arrays = [fetch_var(ctx, k) for k in keys]  # raises FailedPreconditionError
        values = args[n_refs:]
        check(arrays, values)
        inplace = getattr(ctx, "inplace", True)
        if inplace:
            for a in arrays:
                if not a.flags.writeable:
                    inplace = False
        if not inplace:
            arrays = [np.array(a, copy=True) for a in arrays]
        if fused is None or not fused(*arrays, *values, **attrs):
            _numpy_update(update, arrays, values, scalar_pos, attrs)
        if not inplace:
            for k, a in zip(keys, arrays):
                variables[k] = a
        return arrays[0]

    define_op(op_type, kernel, _shape_rule(op_type), needs_ctx=True,
              ref_inputs=tuple(range(n_refs)), stateful=True)
    NotDifferentiable(op_type)


def apply_training_op(op_type: str, var_refs, values, attrs=None, name=None):
    """Create/run ``op_type`` on variables (``var_refs``: ref tensors or eager handles)."""
    return apply_op(op_type, list(var_refs) + list(values), attrs or {}, name=name or op_type)


def _ftrl_v2(var, accum, linear, grad, lr, l1, l2, l2_shrinkage, lr_power,
             multiply_linear_by_lr=False):
    K.ftrl(var, accum, linear, grad, lr, l1, l2, lr_power, l2_shrinkage=l2_shrinkage)


def _ftrl(var, accum, linear, grad, lr, l1, l2, lr_power, multiply_linear_by_lr=False):
    K.ftrl(var, accum, linear, grad, lr, l1, l2, lr_power)


def _momentum(var, accum, lr, grad, momentum, use_nesterov=False):
    K.momentum(var, accum, lr, grad, momentum, use_nesterov=use_nesterov)


define_training_op("ApplyGradientDescent", K.gradient_descent, ["var", "alpha", "delta"], 1,
                   scalars=["alpha"], fused=K.fused_gradient_descent)
define_training_op("ApplyMomentum", _momentum, ["var", "accum", "lr", "grad", "momentum"], 2,
                   scalars=["lr", "momentum"], fused=K.fused_momentum)
define_training_op("ApplyAdam", K.adam,
                   ["var", "m", "v", "beta1_power", "beta2_power", "lr", "beta1", "beta2",
                    "epsilon", "grad"], 3,
                   scalars=["beta1_power", "beta2_power", "lr", "beta1", "beta2", "epsilon"],
                   fused=K.fused_adam)
define_training_op("ApplyRMSProp", K.rmsprop,
                   ["var", "ms", "mom", "lr", "rho", "momentum", "epsilon", "grad"], 3,
                   scalars=["lr", "rho", "momentum", "epsilon"])
define_training_op("ApplyCenteredRMSProp", K.centered_rmsprop,
                   ["var", "mg", "ms", "mom", "lr", "rho", "momentum", "epsilon", "grad"], 4,
                   scalars=["lr", "rho", "momentum", "epsilon"])
define_training_op("ApplyAdagrad", K.adagrad, ["var", "accum", "lr", "grad"], 2,
                   scalars=["lr"])
define_training_op("ApplyAdadelta", K.adadelta,
                   ["var", "accum", "accum_update", "lr", "rho", "epsilon", "grad"], 3,
                   scalars=["lr", "rho", "epsilon"])
define_training_op("ApplyFtrl", _ftrl,
                   ["var", "accum", "linear", "grad", "lr", "l1", "l2", "lr_power"], 3,
                   scalars=["lr", "l1", "l2", "lr_power"])
define_training_op("ApplyFtrlV2", _ftrl_v2,
                   ["var", "accum", "linear", "grad", "lr", "l1", "l2", "l2_shrinkage",
                    "lr_power"], 3, scalars=["lr", "l1", "l2", "l2_shrinkage", "lr_power"])
