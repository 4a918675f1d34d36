"""The op registry: each op is defined once (shape rule + NumPy kernel) and shared by graph mode,
eager mode and the session executor; gradients are registered by op type, as in TensorFlow.

Usage::

    define_op("Square", kernel=np.square, shape_fn=same_as_first_input)

    @RegisterGradient("Square")
    def _square_grad(op, grad):
        return grad * 2.0 * op.inputs[0]
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Optional, Sequence

__all__ = ["OpDef", "define_op", "get_op_def", "RegisterGradient", "NotDifferentiable",
           "no_gradient", "get_gradient_function", "registered_ops"]


@dataclass
class OpDef:
    """Everything the runtime knows about one op type.

    - ``kernel(*arrays, **attrs)`` returns an array, or a tuple when ``num_outputs != 1``;
      with ``needs_ctx`` it is called as ``kernel(ctx, *arrays, **attrs)``.
    - ``shape_fn(inputs, attrs)`` returns ``[(dtype, shape), ...]`` for the outputs (graph mode).
    - ``ref_inputs``: input positions that name a variable instead of carrying its value; the
      kernel receives the variable's key (a string) there.
    - ``stateful``: the op has side effects or draws randomness (never folded or deduplicated).
    - ``fresh``: the kernel always returns new arrays that alias no input and no state, so the
      session's plan may hand such an output to one reader that overwrites it.
    - ``inplace``: a variant of the kernel that may write its result into its first input's
      buffer (and falls back to a new array when it cannot); the plan calls it when that input is
      a fresh output read by this op alone.
    """

    type: str
    kernel: Callable
    shape_fn: Callable
    needs_ctx: bool = False
    ref_inputs: Sequence[int] = ()
    stateful: bool = False
    num_outputs: Optional[int] = 1  # None: decided by shape_fn (e.g. Unpack, Split)
    fresh: bool = False
    inplace: Optional[Callable] = None
    doc: str = ""
    extra: dict = field(default_factory=dict)


_OPS: dict[str, OpDef] = {}
_GRADIENTS: dict[str, Optional[Callable]] = {}


def define_op(op_type: str, kernel: Callable, shape_fn: Callable, **kwargs) -> OpDef:
    """Register op ``op_type``; redefining a type is an error (each op is defined once)."""
    if op_type in _OPS:
        raise KeyError(f"Op type '{op_type}' is already registered")
    opdef = OpDef(op_type, kernel, shape_fn, **kwargs)
    _OPS[op_type] = opdef
    return opdef


def get_op_def(op_type: str) -> OpDef:
    try:
        return _OPS[op_type]
    except KeyError:
        raise KeyError(f"Op type not registered '{op_type}'") from None


def registered_ops() -> dict[str, OpDef]:
    return dict(_OPS)


class RegisterGradient:
    """Decorator registering ``fn(op, *output_grads) -> input grads`` for an op type."""

    def __init__(self, op_type: str):
        if not isinstance(op_type, str):
            raise TypeError("op_type must be a string")
        self._op_type = op_type

    def __call__(self, fn: Callable) -> Callable:
        if self._op_type in _GRADIENTS:
            raise KeyError(f"Registering two gradient with name '{self._op_type}'!")
        _GRADIENTS[self._op_type] = fn
        return fn


def NotDifferentiable(op_type: str) -> None:  # noqa: N802 - TF's public name
    """Declare explicitly that ``op_type`` has no gradient (its inputs get None)."""
    _GRADIENTS[op_type] = None


no_gradient = NotDifferentiable


def get_gradient_function(op):
    """The gradient function for ``op`` (honours ``gradient_override_map``); None if declared
    not differentiable; LookupError if never declared."""
    op_type = op.type
    override = getattr(op, "_gradient_override", None)
    if override:
        op_type = override
    if op_type not in _GRADIENTS:
        raise LookupError(f"No gradient defined for operation '{op.name}' (op type: {op.type})")
    return _GRADIENTS[op_type]
