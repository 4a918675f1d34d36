"""``tf.contrib.eager.defun`` / ``tf.function``: trace a Python function into a graph once per
input signature and run that graph through a compiled plan (one kernel call per op, no eager
dispatch per op).

Usage::

    @tf.contrib.eager.defun
    def step(x):
        return tf.nn.relu(tf.matmul(x, w)) * 2.0
    y = step(tf.ones([4, 3]))           # traces on the first call, then runs the plan

How it works: the signature of a call is the dtype and shape of each tensor argument and the
value of each other argument. A new signature traces ``fn`` on placeholders in a ``FuncGraph``
(ops/functional_ops.py). Eager tensors and variable handles the function closes over become
extra inputs, so variables are read and written *by reference* when the plan runs against the
eager runtime; stateful ops run in program order even if nothing uses their outputs. A call is
one ``StatefulPartitionedCall`` op: under a ``GradientTape`` it is recorded as that single op,
whose gradient (``SymbolicGradient``) runs the traced graph's gradient, built once with
``tf.gradients`` inside the function graph and fed with the forward values it needs (kept in the
call's cache output, so nothing is recomputed). In graph mode the function is simply called.
Variables created while tracing (a Keras model's first call) are created eagerly.
"""
from __future__ import annotations

import functools
import weakref
from typing import Callable, Optional, Sequence

import numpy as np

from ..framework import dtypes, ops
from ..framework.ops import Tensor, apply_op, convert_to_tensor
from ..framework.registry import NotDifferentiable, RegisterGradient, define_op
from ..framework.tensor_shape import TensorShape, as_shape
from ..ops import functional_ops as F
from ..util import nest
from . import context

__all__ = ["defun", "function", "Defun", "ConcreteFunction"]


# ------------------------------------------------------------------------------------------
# Tracing
# ------------------------------------------------------------------------------------------
class _TraceGraph(F.FuncGraph):
    """A FuncGraph whose eager captures (float tensors, variable handles) are fed per call."""

    def __init__(self, name: str):
        super().__init__(name, ops.Graph())
        self.lifts_variables_to_eager = True
        self._handle_shapes: dict = {}

    def capture(self, t: Tensor) -> Tensor:
        if getattr(t, "_is_eager", False) and t not in self._capture_map and (
                t.dtype == dtypes.resource or t.dtype.is_floating or t.dtype.is_complex):
            inner = self._raw_op("Placeholder", {"dtype": t.dtype, "shape": t.shape}, "captured")
            if t.dtype == dtypes.resource:
                from .execute import eager_ctx
                value = eager_ctx.variables.get(t._value.item())
                if value is not None:
                    self._handle_shapes[inner] = TensorShape(np.shape(value))
            self.external.append(t)
            self.internal.append(inner)
            self._capture_map[t] = inner
            return inner
        return super().capture(t)

    def _create_op(self, opdef, inputs, attrs, name):
        op = super()._create_op(opdef, inputs, attrs, name)
        if op.type == "ReadVariableOp":
            shape = self._handle_shapes.get(op._inputs[0])
            if shape is not None:
                op._outputs[0].set_shape(shape)
        return op


class _VariableRecorder:
    """Stands in for the tape stack while tracing: notes the trainable variables read."""

    def __init__(self):
        self.variables: list = []

    def _variable_accessed(self, var) -> None:
        if not any(var is v for v in self.variables):
            self.variables.append(var)

    def _record_graph_op(self, op) -> None:
        """Ops made while tracing belong to the function, not to any tape."""

    def _should_record(self, inputs) -> bool:
        return False


class ConcreteFunction:
    """One trace of a Python function: its graph, inputs and outputs; call with flat tensors."""

    def __init__(self, fn: Callable, args: tuple, kwargs: dict, specs: list, name: str):
        graph = _TraceGraph(name)
        recorder = _VariableRecorder()
        saved_tapes, context._state.tapes = context._state.tapes, [recorder]
        try:
            with context.graph_mode(), graph.as_default():
                phs = [apply_op("Placeholder", [], {"dtype": dt, "shape": sh}, name=f"arg{i}")
                       for i, (dt, sh) in enumerate(specs)]
                it = iter(phs)
                flat = [next(it) if _is_tensor_arg(a) else a for a in nest.flatten((args, kwargs))]
                call_args, call_kwargs = nest.pack_sequence_as((args, kwargs), flat)
                result = fn(*call_args, **call_kwargs)
                flat_out = nest.flatten(result)
                self._out_slots = []   # per flat output: ("t", index) / ("op", None) / ("py", v)
                outputs, targets = [], []
                for v in flat_out:
                    if isinstance(v, ops.Operation):
                        targets.append(v)
                        self._out_slots.append(("py", None))
                    elif isinstance(v, Tensor) or hasattr(v, "_grad_source"):
                        self._out_slots.append(("t", len(outputs)))
                        outputs.append(graph.output(v))
                    else:
                        self._out_slots.append(("py", v))
        finally:
            context._state.tapes = saved_tapes
        graph.sealed = True
        targets += _runnable_stateful_ops(graph, set(phs) | set(graph.internal))
        self.graph = graph
        self.structure = result
        self.captures = list(graph.external)
        self.variables = recorder.variables
        self.function = F.Function(graph, phs + list(graph.internal), outputs, targets, name=name)
        self._attrs = {"f": self.function, "Tout": [t.dtype for t in outputs],
                       "output_shapes": [t.shape for t in outputs]}

    def __call__(self, flat_tensors: list):
        tapes = context._state.tapes
        for tape in tapes:
            for var in self.variables:
                tape._variable_accessed(var)
        inputs = list(flat_tensors) + self.captures
        if any(tape._should_record(inputs) for tape in tapes):
            gradient_function(self.function)
        outs = apply_op("StatefulPartitionedCall", inputs, self._attrs,
                        name=self.graph.name)
        values = [outs[i] if kind == "t" else i for kind, i in self._out_slots]
        return nest.pack_sequence_as(self.structure, values)


def _runnable_stateful_ops(graph: F.FuncGraph, fed: set) -> list:
    """Stateful ops of ``graph`` that run on every call, in program order: all but those that
    depend on a placeholder the call does not feed (e.g. a Keras model's own ``Input`` made when
    it builds itself inside the trace)."""
    dead: set = set()
    out = []
    for op in graph._ops:
        if (op.type == "Placeholder" and op._outputs[0] not in fed) or \
                any(t.op in dead for t in op._inputs) or any(c in dead for c in op._control_inputs):
            dead.add(op)
        elif op._opdef.stateful and op.type not in ("Placeholder", "VariableV2", "Const"):
            out.append(op)
    return out


def _is_tensor_arg(a) -> bool:
    return isinstance(a, (Tensor, np.ndarray))


def _arg_key(a):
    if isinstance(a, Tensor):
        return ("T", a.dtype, a.shape.as_tuple() if a.shape.ndims is not None else None)
    if isinstance(a, np.ndarray):
        return ("T", dtypes.as_dtype(a.dtype), a.shape)
    try:
        hash(a)
    except TypeError:
        return ("id", id(a))
    return ("v", type(a), a)


# ------------------------------------------------------------------------------------------
# The polymorphic function: one ConcreteFunction per signature
# ------------------------------------------------------------------------------------------
class Defun:
    """A Python function traced per input signature; see the module docstring."""

    def __init__(self, fn: Callable, input_signature: Optional[Sequence] = None,
                 name: Optional[str] = None):
        self._fn = fn
        self._name = name or getattr(fn, "__name__", "function")
        self._signature = list(input_signature) if input_signature is not None else None
        self._concrete: dict = {}
        self._bound = weakref.WeakKeyDictionary()
        functools.update_wrapper(self, fn)

    @property
    def python_function(self) -> Callable:
        return self._fn

    def __get__(self, instance, owner):
        if instance is None:
            return self
        bound = self._bound.get(instance)
        if bound is None:
            bound = Defun(functools.partial(self._fn, instance), self._signature, self._name)
            self._bound[instance] = bound
        return bound

    def __call__(self, *args, **kwargs):
        if not context.executing_eagerly():
            return self._fn(*args, **kwargs)
        concrete, flat = self._concrete_for(args, kwargs)
        return concrete(flat)

    def get_concrete_function(self, *args, **kwargs) -> ConcreteFunction:
        """The trace used for these arguments (traced now if new)."""
        return self._concrete_for(args, kwargs)[0]

    def _concrete_for(self, args, kwargs):
        if self._signature is not None:
            args, kwargs = self._check_signature(args, kwargs), {}
        flat = nest.flatten((args, kwargs))
        key = (repr(nest.map_structure(lambda _: 0, (args, kwargs))),
               tuple(_arg_key(a) for a in flat))
        if self._signature is not None:
            key = None
        concrete = self._concrete.get(key)
        if concrete is None:
            if self._signature is not None:
                specs = [(dtypes.as_dtype(s.dtype), as_shape(s.shape)) for s in self._signature]
            else:
                specs = [(k[1], TensorShape(k[2])) for a, k in
                         zip(flat, (_arg_key(a) for a in flat)) if _is_tensor_arg(a)]
            concrete = ConcreteFunction(self._fn, args, kwargs, specs,
                                        f"{self._name}_{len(self._concrete)}")
            self._concrete[key] = concrete
        tensors = [a if isinstance(a, Tensor) else convert_to_tensor(a)
                   for a in flat if _is_tensor_arg(a)]
        return concrete, tensors

    def _check_signature(self, args, kwargs) -> tuple:
        if kwargs or len(args) != len(self._signature):
            raise TypeError(f"{self._name} takes {len(self._signature)} positional arguments "
                            f"as its input_signature says; got {len(args)} positional and "
                            f"{len(kwargs)} keyword arguments")
        out = []
        for i, (a, spec) in enumerate(zip(args, self._signature)):
            t = convert_to_tensor(a, dtype=spec.dtype)
            if not t.shape.is_compatible_with(spec.shape):
                raise ValueError(f"Argument {i} of {self._name} has shape {t.shape}, which is "
                                 f"not compatible with the input_signature's {spec.shape}")
            out.append(t)
        return tuple(out)


def defun(func: Optional[Callable] = None, input_signature: Optional[Sequence] = None):
    """Compile ``func`` into a graph traced per input signature (``tf.contrib.eager.defun``);
    usable as ``@defun`` or ``@defun(input_signature=[...])``."""
    if func is None:
        return lambda f: Defun(f, input_signature)
    return Defun(func, input_signature)


def function(func: Optional[Callable] = None, input_signature: Optional[Sequence] = None,
             autograph: bool = True, experimental_relax_shapes: bool = False):
    """``tf.function``: the same tracing as ``defun`` (no AutoGraph: write tf.cond/while_loop)."""
    return defun(func, input_signature)


# ------------------------------------------------------------------------------------------
# The call op and its gradient
# ------------------------------------------------------------------------------------------
def _call_kernel(ctx, *args, f, Tout=(), output_shapes=()):
    outs, saved = f.run(ctx, args)
    return outs + [F.Cache(saved=saved)]


def _symbolic_gradient_kernel(ctx, *args, f, Tout=(), output_shapes=()):
    cache = args[-1]
    if isinstance(cache, np.ndarray):
        cache = cache.item()
    outs, _ = f.run(ctx, args[:-1], cache.saved)
    return outs


define_op("StatefulPartitionedCall", _call_kernel, F._functional_rule, needs_ctx=True,
          stateful=True, num_outputs=None)
define_op("SymbolicGradient", _symbolic_gradient_kernel,
          lambda inputs, attrs: [(dtypes.as_dtype(dt), as_shape(sh))
                                 for dt, sh in zip(attrs["Tout"], attrs["output_shapes"])],
          needs_ctx=True, stateful=True, num_outputs=None)
NotDifferentiable("SymbolicGradient")


def _differentiable(dtype) -> bool:
    return dtype.is_floating or dtype.is_complex


@RegisterGradient("StatefulPartitionedCall")
def _call_grad(op, *grads):
    f = op.get_attr("f")
    gf = gradient_function(f)
    result: list = [None] * len(op.inputs)
    if not gf.selected_inputs:
        return result
    gs = apply_op("SymbolicGradient",
                  list(op.inputs[:len(f.inputs)]) + [grads[j] for j in gf.selected_outputs]
                  + [op.outputs[-1]],
                  {"f": gf, "Tout": [t.dtype for t in gf.outputs],
                   "output_shapes": [t.shape for t in gf.outputs]},
                  name=f"{f.name}_grad")
    for k, g in zip(gf.selected_inputs, gs):
        result[k] = g
    return result


def gradient_function(f: F.Function) -> F.Function:
    """The gradient of ``f``'s float outputs w.r.t. the inputs they depend on (float tensors and
    the handles of variables read), built once; it must exist before a recorded forward call
    runs, so that the call keeps the forward values the gradient reads."""
    gf = f.grad_fns.get("defun")
    if gf is not None:
        return gf
    from ..gradients.control_flow_grad import grad_function
    from ..ops.gradients_impl import gradients
    out_idx = [j for j, t in enumerate(f.outputs) if _differentiable(t.dtype)]
    in_idx = [k for k, t in enumerate(f.inputs)
              if _differentiable(t.dtype) or t.dtype == dtypes.resource]
    g = f.graph
    connected: list = []
    with context.graph_mode():
        if out_idx and in_idx:
            with g.as_default():
                probe = gradients([f.outputs[j] for j in out_idx],
                                  [f.inputs[k] for k in in_idx])
            connected = [k for k, p in zip(in_idx, probe) if p is not None]
        gf = grad_function(f, out_idx, connected) if connected else \
            F.Function(g, [], [], name=f.name + "_grad")
    gf.selected_outputs = out_idx
    gf.selected_inputs = connected
    f.grad_fns["defun"] = gf
    return gf
