"""Graphs, operations and tensors; name scopes, control dependencies, devices, collections;
and ``apply_op``, the one entry point through which every op is created (graph) or run (eager).

Usage::

    g = tf.Graph()
    with g.as_default():
        c = tf.constant(1.0)          # c.op.name == 'Const', c.name == 'Const:0'
"""
from __future__ import annotations

import contextlib
import os
import re
import sys
import threading
from typing import Any, Callable, Optional

import numpy as np

from . import dtypes as dtypes_mod
from . import errors
from .device import DeviceSpec, canonical_device
from .registry import OpDef, get_op_def
from .tensor_shape import TensorShape, as_shape

__all__ = [
    "Graph", "Operation", "Tensor", "GraphKeys", "get_default_graph", "reset_default_graph",
    "name_scope", "control_dependencies", "device", "colocate_with", "convert_to_tensor",
    "apply_op", "add_to_collection", "add_to_collections", "get_collection", "get_collection_ref",
    "register_tensor_conversion_function", "get_default_session", "is_tensor", "op_scope",
]

_PKG_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep


def creation_site():
    """(file, line, function) of the innermost frame outside tensorweave: the user's line."""
    f = sys._getframe(1)
    while f is not None and f.f_code.co_filename.startswith(_PKG_DIR):
        f = f.f_back
    if f is None:
        return None
    return (f.f_code.co_filename, f.f_lineno, f.f_code.co_name)


class GraphKeys:
    """Standard collection names."""

    GLOBAL_VARIABLES = "variables"
    LOCAL_VARIABLES = "local_variables"
    METRIC_VARIABLES = "metric_variables"
    MODEL_VARIABLES = "model_variables"
    TRAINABLE_VARIABLES = "trainable_variables"
    SUMMARIES = "summaries"
    QUEUE_RUNNERS = "queue_runners"
    TABLE_INITIALIZERS = "table_initializer"
    ASSET_FILEPATHS = "asset_filepaths"
    MOVING_AVERAGE_VARIABLES = "moving_average_variables"
    REGULARIZATION_LOSSES = "regularization_losses"
    CONCATENATED_VARIABLES = "concatenated_variables"
    SAVERS = "savers"
    WEIGHTS = "weights"
    BIASES = "biases"
    ACTIVATIONS = "activations"
    UPDATE_OPS = "update_ops"
    LOSSES = "losses"
    SAVEABLE_OBJECTS = "saveable_objects"
    RESOURCES = "resources"
    LOCAL_RESOURCES = "local_resources"
    TRAINABLE_RESOURCE_VARIABLES = "trainable_resource_variables"
    INIT_OP = "init_op"
    LOCAL_INIT_OP = "local_init_op"
    READY_OP = "ready_op"
    READY_FOR_LOCAL_INIT_OP = "ready_for_local_init_op"
    SUMMARY_OP = "summary_op"
    GLOBAL_STEP = "global_step"
    EVAL_STEP = "eval_step"
    TRAIN_OP = "train_op"
    COND_CONTEXT = "cond_context"
    WHILE_CONTEXT = "while_context"
    VARIABLES = GLOBAL_VARIABLES


# ----------------------------------------------------------------------------------------
# Tensor
# ----------------------------------------------------------------------------------------
class Tensor:
    """A symbolic output of an Operation: ``<op name>:<index>`` with a dtype and static shape."""

    # Tensors are hashed and compared by identity (TF1 semantics); use tf.equal for values.
    __array_priority__ = 100

    def __init__(self, op: "Operation", value_index: int, dtype, shape):
        self._op = op
        self._value_index = value_index
        self._dtype = dtype
        self._shape = as_shape(shape)
        self._consumers: list = []

    # --- identity ---------------------------------------------------------------------
    @property
    def op(self) -> "Operation":
        return self._op

    @property
    def value_index(self) -> int:
        return self._value_index

    @property
    def name(self) -> str:
        return f"{self._op.name}:{self._value_index}"

    @property
    def dtype(self):
        return self._dtype

    @property
    def graph(self) -> "Graph":
        return self._op.graph

    @property
    def device(self) -> str:
        return self._op.device

    @property
    def shape(self) -> TensorShape:
        return self._shape

    def get_shape(self) -> TensorShape:
        return self._shape

    def set_shape(self, shape) -> None:
        """Merge ``shape`` into the static shape (ValueError if incompatible)."""
        self._shape = self._shape.merge_with(as_shape(shape))

    @property
    def ndim(self):
        return self._shape.ndims

    def consumers(self) -> list:
        return list(self._consumers)

    def eval(self, feed_dict=None, session=None):
        """The value of this tensor in ``session`` (default: the default session)."""
        session = session or get_default_session()
        if session is None:
            raise ValueError("Cannot evaluate tensor using `eval()`: No default session is "
                             "registered. Use `with sess.as_default()` or pass an explicit session "
                             "to `eval(session=sess)`")
        return session.run(self, feed_dict)

    def _as_graph_element(self):
        return self

    def __repr__(self):
        return f"<tf.Tensor '{self.name}' shape={self._shape} dtype={self._dtype.name}>"

    def __str__(self):
        if self._shape.ndims is None:
            return f'Tensor("{self.name}", dtype={self._dtype.name})'
        return f'Tensor("{self.name}", shape={self._shape}, dtype={self._dtype.name})'

    __hash__ = object.__hash__

    def __bool__(self):
        raise TypeError("Using a `tf.Tensor` as a Python `bool` is not allowed. Use `if t is not "
                        "None:` instead of `if t:` to test if a tensor is defined, and use "
                        "TensorFlow ops such as tf.cond to execute subgraphs conditioned on the "
                        "value of a tensor.")

    def __iter__(self):
        raise TypeError("Tensor objects are only iterable when eager execution is enabled. To "
                        "iterate over this tensor use tf.map_fn.")

    def __len__(self):
        raise TypeError(f"len is not well defined for symbolic Tensors. ({self.name}) Please "
                        "call `x.shape` rather than `len(x)` for shape information.")

    def __array__(self, dtype=None, copy=None):
        raise NotImplementedError(f"Cannot convert a symbolic Tensor ({self.name}) to a numpy array.")

    @classmethod
    def _override_operator(cls, operator: str, func: Callable) -> None:
        setattr(cls, operator, func)


def is_tensor(x) -> bool:
    return isinstance(x, Tensor) or hasattr(x, "_is_sparse_tensor")


# ----------------------------------------------------------------------------------------
# Operation
# ----------------------------------------------------------------------------------------
class Operation:
    """A node: an op type applied to input tensors with attrs, producing output tensors."""

    def __init__(self, graph: "Graph", opdef: OpDef, name: str, inputs, attrs: dict,
                 control_inputs, device: str, output_specs, site):
        self._graph = graph
        self._opdef = opdef
        self._name = name
        self._inputs = tuple(inputs)
        self._attrs = attrs
        self._control_inputs = list(control_inputs)
        self._device = device
        self._creation_site = site
        self._id = graph._next_id()
        self._gradient_override = None
        self._outputs = [Tensor(self, i, dt, sh) for i, (dt, sh) in enumerate(output_specs)]
        for t in self._inputs:
            t._consumers.append(self)

    @property
    def name(self) -> str:
        return self._name

    @property
    def type(self) -> str:
        return self._opdef.type

    @property
    def graph(self) -> "Graph":
        return self._graph

    @property
    def inputs(self) -> tuple:
        return self._inputs

    @property
    def outputs(self) -> list:
        return list(self._outputs)

    @property
    def control_inputs(self) -> list:
        return list(self._control_inputs)

    @property
    def device(self) -> str:
        return self._device

    def _set_device(self, dev) -> None:
        self._device = canonical_device(dev)

    @property
    def node_def(self):
        from .graph_io import node_def_of  # lazily: only GraphDef export needs protobuf
        return node_def_of(self)

    @property
    def op_def(self) -> OpDef:
        return self._opdef

    @property
    def traceback(self):
        return [self._creation_site] if self._creation_site else []

    @property
    def attrs(self) -> dict:
        return dict(self._attrs)

    def get_attr(self, name: str):
        try:
            return self._attrs[name]
        except KeyError:
            raise ValueError(f"Operation '{self._name}' has no attr named '{name}'.") from None

    def _set_attr(self, name: str, value) -> None:
        self._attrs[name] = value

    def values(self) -> tuple:
        return tuple(self._outputs)

    def _add_control_input(self, op: "Operation") -> None:
        if op not in self._control_inputs:
            self._control_inputs.append(op)

    def _add_control_inputs(self, ops) -> None:
        for op in ops:
            self._add_control_input(op)

    def run(self, feed_dict=None, session=None) -> None:
        """Run this op in ``session`` (default: the default session)."""
        session = session or get_default_session()
        if session is None:
            raise ValueError("Cannot execute operation using `run()`: No default session is "
                             "registered. Use `with sess.as_default():` or pass an explicit "
                             "session to `run(session=sess)`")
        session.run(self, feed_dict)

    def _as_graph_element(self):
        return self

    def __repr__(self):
        return f"<tf.Operation '{self._name}' type={self.type}>"

    def __str__(self):
        lines = [f'name: "{self._name}"', f'op: "{self.type}"']
        lines += [f'input: "{_input_name(t)}"' for t in self._inputs]
        lines += [f'input: "^{c.name}"' for c in self._control_inputs]
        if self._device:
            lines.append(f'device: "{self._device}"')
        return "\n".join(lines) + "\n"


def _shape_list(shape) -> str:
    if shape.ndims is None:
        return "?"
    return "[" + ",".join("?" if d is None else str(d) for d in shape.as_tuple()) + "]"


def _input_name(t: Tensor) -> str:
    return t.op.name if t.value_index == 0 else t.name


# ----------------------------------------------------------------------------------------
# Graph
# ----------------------------------------------------------------------------------------
_VALID_OP_NAME = re.compile(r"^[A-Za-z0-9.][A-Za-z0-9_.\\/>-]*$")
_VALID_SCOPE_NAME = re.compile(r"^[A-Za-z0-9_.\\/>-]*$")


class Graph:
    """A dataflow graph: operations, unique names, scopes and collections."""

    def __init__(self):
        self._lock = threading.RLock()
        self._ops: list[Operation] = []
        self._ops_by_name: dict[str, Operation] = {}
        self._names_in_use: dict[str, int] = {}
        self._name_stack = ""
        self._control_stack: list[list[Operation]] = []
        self._device_stack: list = []
        self._colocation_stack: list = []
        self._collections: dict[str, list] = {}
        self._seed: Optional[int] = None
        self._finalized = False
        self._id_counter = 0
        self._gradient_override_map: dict[str, str] = {}
        self._unfeedable: set = set()
        self._unfetchable: set = set()
        self._attr_scope: dict = {}
        self._version = 0
        self._building_function = False

    # --- basic ------------------------------------------------------------------------
    def _next_id(self) -> int:
        self._id_counter += 1
        return self._id_counter

    @property
    def version(self) -> int:
        return self._version

    @property
    def seed(self) -> Optional[int]:
        return self._seed

    @seed.setter
    def seed(self, value) -> None:
        self._seed = value

    @property
    def finalized(self) -> bool:
        return self._finalized

    def finalize(self) -> None:
        self._finalized = True

    def _unsafe_unfinalize(self) -> None:
        self._finalized = False

    @contextlib.contextmanager
    def as_default(self):
        """Make this graph the default graph inside the ``with`` block."""
        _graph_stack().append(self)
        try:
            yield self
        finally:
            _graph_stack().pop()

    def get_operations(self) -> list:
        return list(self._ops)

    def get_operation_by_name(self, name: str) -> Operation:
        if not isinstance(name, str):
            raise TypeError(f"Operation names are strings (or similar), not {type(name).__name__}.")
        return self.as_graph_element(name, allow_tensor=False, allow_operation=True)

    def get_tensor_by_name(self, name: str) -> Tensor:
        if not isinstance(name, str):
            raise TypeError(f"Tensor names are strings (or similar), not {type(name).__name__}.")
        return self.as_graph_element(name, allow_tensor=True, allow_operation=False)

    def as_graph_element(self, obj, allow_tensor: bool = True, allow_operation: bool = True):
        """Resolve a Tensor, Operation, name string or object with ``_as_graph_element``."""
        if hasattr(obj, "_as_graph_element") and not isinstance(obj, (Tensor, Operation)):
            obj = obj._as_graph_element()
        if isinstance(obj, str):
            if ":" in obj and allow_tensor:
                op_name, idx = obj.rsplit(":", 1)
                try:
                    idx = int(idx)
                except ValueError:
                    raise ValueError(f"The name {obj!r} looks a like a Tensor name, but is not a "
                                     "valid one. Tensor names must be of the form "
                                     "\"<op_name>:<output_index>\".") from None
                if op_name not in self._ops_by_name:
                    raise KeyError(f"The name {obj!r} refers to a Tensor which does not exist. The "
                                   f"operation, {op_name!r}, does not exist in the graph.")
                op = self._ops_by_name[op_name]
                if idx >= len(op._outputs) or idx < 0:
                    raise KeyError(f"The name {obj!r} refers to a Tensor which does not exist. The "
                                   f"operation, {op_name!r}, exists but only has "
                                   f"{len(op._outputs)} outputs.")
                return op._outputs[idx]
            if ":" in obj and not allow_tensor:
                raise ValueError(f"Name {obj!r} appears to refer to a Tensor, not a Operation.")
            if obj not in self._ops_by_name:
                if allow_tensor and not allow_operation:
                    raise ValueError(f"The name {obj!r} refers to an Operation, not a Tensor. "
                                     "Tensor names must be of the form \"<op_name>:<output_index>\".")
                raise KeyError(f"The name {obj!r} refers to an Operation not in the graph.")
            if not allow_operation:
                raise ValueError(f"The name {obj!r} refers to an Operation, not a Tensor. Tensor "
                                 "names must be of the form \"<op_name>:<output_index>\".")
            return self._ops_by_name[obj]
        if isinstance(obj, Tensor) and allow_tensor:
            if obj.graph is not self:
                raise ValueError(f"Tensor {obj} is not an element of this graph.")
            return obj
        if isinstance(obj, Operation) and allow_operation:
            if obj.graph is not self:
                raise ValueError(f"Operation {obj} is not an element of this graph.")
            return obj
        kinds = " or ".join(k for k, ok in (("Tensor", allow_tensor), ("Operation", allow_operation)) if ok)
        raise TypeError(f"Can not convert a {type(obj).__name__} into a {kinds}.")

    # --- names ------------------------------------------------------------------------
    def unique_name(self, name: str, mark_as_used: bool = True) -> str:
        """``name`` prefixed by the current name scope, made unique with ``_1``, ``_2`` ..."""
        if self._name_stack:
            name = self._name_stack + "/" + name
        key = name.lower()
        count = self._names_in_use.get(key, 0)
        if mark_as_used:
            self._names_in_use[key] = count + 1
        if count > 0:
            base = key
            while key in self._names_in_use:
                key = f"{base}_{count}"
                count += 1
            if mark_as_used:
                self._names_in_use[key] = 1
            name = f"{name}_{count - 1}"
        return name

    def get_name_scope(self) -> str:
        return self._name_stack

    @contextlib.contextmanager
    def name_scope(self, name):
        """Push a name scope; ``None``/'' resets to the top; a name ending in '/' is reused as is."""
        old = self._name_stack
        if name:
            if isinstance(name, str) and name.endswith("/"):
                new = name[:-1]
            else:
                if not _VALID_SCOPE_NAME.match(name):
                    raise ValueError(f"'{name}' is not a valid scope name")
                new = self.unique_name(name)
        else:
            new = ""
        self._name_stack = new
        try:
            yield (new + "/") if new else ""
        finally:
            self._name_stack = old

    # --- control dependencies, devices, colocation -----------------------------------
    @contextlib.contextmanager
    def control_dependencies(self, control_inputs):
        """Ops created inside depend on ``control_inputs``; ``None`` clears outer dependencies."""
        if control_inputs is None:
            saved, self._control_stack = self._control_stack, []
            try:
                yield
            finally:
                self._control_stack = saved
            return
        ops = []
        for c in control_inputs:
            if hasattr(c, "_as_graph_element") and not isinstance(c, (Tensor, Operation)):
                c = c._as_graph_element()
            if isinstance(c, Tensor):
                c = c.op
            if not isinstance(c, Operation):
                if callable(c):
                    c = c()
                    c = c.op if isinstance(c, Tensor) else c
                if not isinstance(c, Operation):
                    raise TypeError(f"Control input must be Operation or Tensor: {c!r}")
            ops.append(c)
        self._control_stack.append(ops)
        try:
            yield
        finally:
            self._control_stack.pop()

    def _current_control_inputs(self, inputs) -> list:
        if not self._control_stack:
            return []
        input_ops = {t.op for t in inputs}
        out = []
        for frame in self._control_stack:
            for op in frame:
                if op not in input_ops and op not in out:
                    out.append(op)
        return out

    @contextlib.contextmanager
    def device(self, device_name_or_function):
        """Ops created inside are placed on this device (a string, DeviceSpec, function or None)."""
        self._device_stack.append(device_name_or_function)
        try:
            yield
        finally:
            self._device_stack.pop()

    def _device_for(self, op: Operation) -> str:
        current = ""
        for entry in self._device_stack:
            if entry is None:
                current = ""
            elif callable(entry) and not isinstance(entry, (str, DeviceSpec)):
                op._device = current
                chosen = entry(op)
                current = canonical_device(chosen) if chosen else current
            else:
                spec = entry if isinstance(entry, DeviceSpec) else DeviceSpec.from_string(entry)
                current = DeviceSpec.from_string(current).make_merged_spec(spec).to_string()
        return current

    @contextlib.contextmanager
    def colocate_with(self, op, ignore_existing: bool = False):
        if isinstance(op, Tensor):
            op = op.op
        elif hasattr(op, "op"):
            op = op.op
        self._colocation_stack.append(op)
        try:
            yield
        finally:
            self._colocation_stack.pop()

    @contextlib.contextmanager
    def gradient_override_map(self, op_type_map: dict):
        """Use other gradient functions for op types created inside the block."""
        saved = dict(self._gradient_override_map)
        self._gradient_override_map.update(op_type_map)
        try:
            yield
        finally:
            self._gradient_override_map = saved

    # --- op creation ------------------------------------------------------------------
    def _create_op(self, opdef: OpDef, inputs, attrs: dict, name: Optional[str]) -> Operation:
        if self._finalized:
            raise RuntimeError("Graph is finalized and cannot be modified.")
        for t in inputs:
            if t.graph is not self:
                raise ValueError(f"Tensor {t!r} must be from the same graph as the op being "
                                 f"created ({opdef.type}).")
        try:
            specs = opdef.shape_fn(inputs, attrs)
        except ValueError as e:
            shown = name[:-1] if name and name.endswith("/") else \
                self.unique_name(name or opdef.type, mark_as_used=False)
            shapes = ", ".join(_shape_list(t.shape) for t in inputs)
            site = creation_site()
            where = f" (defined at {site[0]}:{site[1]})" if site else ""
            raise ValueError(f"{e} for '{shown}' (op: '{opdef.type}') with input shapes: "
                             f"{shapes}.{where}") from None
        with self._lock:
            if name is None:
                name = self.unique_name(opdef.type)
            elif name.endswith("/"):
                name = name[:-1]
                # the scope already reserved this name; just make sure it counts as used
                self._names_in_use[name.lower()] = max(self._names_in_use.get(name.lower(), 0), 1)
            else:
                if not _VALID_OP_NAME.match(name):
                    raise ValueError(f"'{name}' is not a valid node name")
                name = self.unique_name(name)
            if name in self._ops_by_name:
                raise ValueError(f"Duplicate node name in graph: '{name}'")
            op = Operation(self, opdef, name, inputs, attrs, self._current_control_inputs(inputs),
                           "", specs, creation_site())
            if self._device_stack:
                op._device = self._device_for(op)
            if self._colocation_stack:
                op._device = op._device or self._colocation_stack[-1].device
            if self._gradient_override_map and opdef.type in self._gradient_override_map:
                op._gradient_override = self._gradient_override_map[opdef.type]
            self._ops.append(op)
            self._ops_by_name[name] = op
            self._version += 1
        return op

    # --- collections ------------------------------------------------------------------
    def add_to_collection(self, name: str, value) -> None:
        self._collections.setdefault(name, []).append(value)

    def add_to_collections(self, names, value) -> None:
        names = (names,) if isinstance(names, str) else set(names)
        for n in names:
            self.add_to_collection(n, value)

    def get_collection_ref(self, name: str) -> list:
        return self._collections.setdefault(name, [])

    def get_collection(self, name: str, scope: Optional[str] = None) -> list:
        items = self._collections.get(name, [])
        if scope is None:
            return list(items)
        pattern = re.compile(scope)
        return [i for i in items if hasattr(i, "name") and pattern.match(i.name)]

    def get_all_collection_keys(self) -> list:
        return [k for k, v in self._collections.items() if isinstance(v, list)]

    def clear_collection(self, name: str) -> None:
        self._collections.pop(name, None)

    # --- feeding / fetching -----------------------------------------------------------
    def prevent_feeding(self, tensor) -> None:
        self._unfeedable.add(tensor)

    def prevent_fetching(self, op) -> None:
        self._unfetchable.add(op)

    def is_feedable(self, tensor) -> bool:
        return tensor not in self._unfeedable

    def is_fetchable(self, tensor_or_op) -> bool:
        op = tensor_or_op.op if isinstance(tensor_or_op, Tensor) else tensor_or_op
        return op not in self._unfetchable

    def as_graph_def(self, from_version=None, add_shapes: bool = False):
        from .graph_io import graph_to_graph_def
        return graph_to_graph_def(self, add_shapes=add_shapes)

    @property
    def building_function(self) -> bool:
        return self._building_function


# ----------------------------------------------------------------------------------------
# Default graph and session stacks
# ----------------------------------------------------------------------------------------
class _ThreadStacks(threading.local):
    def __init__(self):
        self.graphs: list[Graph] = []
        self.sessions: list = []
        self.eager_scope = ""  # eager mode's name scope ('' or 'outer/inner/')


_stacks = _ThreadStacks()
_global_default_graph: Optional[Graph] = None


def _graph_stack() -> list:
    return _stacks.graphs


def get_default_graph() -> Graph:
    """The innermost ``as_default`` graph of this thread, else the global default graph."""
    stack = _stacks.graphs
    if stack:
        return stack[-1]
    global _global_default_graph
    if _global_default_graph is None:
        _global_default_graph = Graph()
    return _global_default_graph


def reset_default_graph() -> None:
    """Replace the global default graph (not allowed inside a ``with g.as_default()`` block)."""
    if _stacks.graphs:
        raise AssertionError("Do not use tf.reset_default_graph() to clear nested graphs. If you "
                             "need a cleared graph, exit the nesting and create a new graph.")
    global _global_default_graph
    _global_default_graph = Graph()
    from ..eager import context
    context.reset_graph_state()


def get_default_session():
    return _stacks.sessions[-1] if _stacks.sessions else None


@contextlib.contextmanager
def default_session(session):
    _stacks.sessions.append(session)
    try:
        yield session
    finally:
        _stacks.sessions.pop()


# ----------------------------------------------------------------------------------------
# Public scope helpers (tf.name_scope, tf.control_dependencies, tf.device ...)
# ----------------------------------------------------------------------------------------
class name_scope:  # noqa: N801 - TF's public name
    """``with tf.name_scope("layer1") as scope:`` -> ops named ``layer1/...``; ``scope`` is
    ``'layer1/'``. ``name_scope(None, default_name, values)`` follows TF1's signature."""

    def __init__(self, name, default_name=None, values=None):
        self._name = default_name if name is None else name
        self._default_name = default_name
        self._values = values
        self._ctx = None

    def __enter__(self):
        from ..eager import context
        if context.executing_eagerly():  # names only (variables): no uniquifying, as TF eager
            self._eager_outer = _stacks.eager_scope
            if not self._name:
                _stacks.eager_scope = ""
            elif self._name.endswith("/"):
                _stacks.eager_scope = self._name
            else:
                _stacks.eager_scope = self._eager_outer + self._name + "/"
            return _stacks.eager_scope
        graph = get_default_graph()
        if self._values and not graph.building_function:  # a function graph captures outer values
            for v in self._values:
                if isinstance(v, Tensor) and not _is_eager_tensor(v):
                    graph = v.graph
                    break
        if self._name is None and self._values is not None:
            raise ValueError(f"At least one of name ({self._name}) and default_name "
                             f"({self._default_name}) must be provided.")
        self._graph_ctx = graph.as_default() if graph is not get_default_graph() else None
        if self._graph_ctx:
            self._graph_ctx.__enter__()
        self._ctx = graph.name_scope(self._name)
        return self._ctx.__enter__()

    def __exit__(self, *exc):
        if hasattr(self, "_eager_outer"):
            _stacks.eager_scope = self._eager_outer
        if self._ctx is not None:
            self._ctx.__exit__(*exc)
        if getattr(self, "_graph_ctx", None):
            self._graph_ctx.__exit__(*exc)
        return False


op_scope = name_scope


def _is_eager_tensor(t) -> bool:
    return getattr(t, "_is_eager", False)


def control_dependencies(control_inputs):
    """``with tf.control_dependencies([a]):`` ops created inside run after ``a``."""
    from ..eager import context
    if context.executing_eagerly():
        return contextlib.nullcontext()
    return get_default_graph().control_dependencies(control_inputs)


def device(device_name_or_function):
    """``with tf.device('/job:ps/task:0'):`` records that device on the ops created inside."""
    from ..eager import context
    if context.executing_eagerly():
        return contextlib.nullcontext()
    return get_default_graph().device(device_name_or_function)


def colocate_with(op, ignore_existing: bool = False):
    return get_default_graph().colocate_with(op, ignore_existing)


def add_to_collection(name: str, value) -> None:
    get_default_graph().add_to_collection(name, value)


def add_to_collections(names, value) -> None:
    get_default_graph().add_to_collections(names, value)


def get_collection(key: str, scope: Optional[str] = None) -> list:
    return get_default_graph().get_collection(key, scope)


def get_collection_ref(key: str) -> list:
    return get_default_graph().get_collection_ref(key)


def get_name_scope() -> str:
    from ..eager import context
    if context.executing_eagerly():
        return _stacks.eager_scope.rstrip("/")
    return get_default_graph().get_name_scope()


# ----------------------------------------------------------------------------------------
# Conversion to tensors
# ----------------------------------------------------------------------------------------
_conversion_funcs: list = []  # (priority, base_type, fn)
_constant_fn: Optional[Callable] = None  # set by ops.constant_op: (value, dtype, name) -> Tensor


def register_tensor_conversion_function(base_type, conversion_func, priority: int = 100) -> None:
    """``conversion_func(value, dtype=None, name=None, as_ref=False)`` converts ``base_type``."""
    _conversion_funcs.append((priority, base_type, conversion_func))
    _conversion_funcs.sort(key=lambda e: e[0])


def infer_dtype(value):
    """TF's inference for Python/NumPy values: int -> int32 (int64 if large), float -> float32."""
    if isinstance(value, np.ndarray) or isinstance(value, np.generic):
        return dtypes_mod.as_dtype(value.dtype)
    if isinstance(value, bool):
        return dtypes_mod.bool
    if isinstance(value, int):
        return dtypes_mod.int32 if -2**31 <= value < 2**31 else dtypes_mod.int64
    if isinstance(value, float):
        return dtypes_mod.float32
    if isinstance(value, complex):
        return dtypes_mod.complex128
    if isinstance(value, (str, bytes)):
        return dtypes_mod.string
    if isinstance(value, (list, tuple)):
        if len(value) == 0:
            return dtypes_mod.float32
        kinds = [infer_dtype(v) for v in value]
        for candidate in (dtypes_mod.string, dtypes_mod.complex128, dtypes_mod.float64,
                          dtypes_mod.float32, dtypes_mod.int64, dtypes_mod.int32, dtypes_mod.bool):
            if candidate in kinds:
                if candidate == dtypes_mod.float64 and any(
                        isinstance(v, (float, list, tuple)) for v in value):
                    return dtypes_mod.float64
                return candidate
        return kinds[0]
    if isinstance(value, Tensor):
        return value.dtype
    raise TypeError(f"Failed to convert object of type {type(value)} to Tensor. Contents: "
                    f"{value!r}. Consider casting elements to a supported type.")


def _check_python_value_fits(value, dtype) -> None:
    """TypeError for a Python float given where an integer or bool tensor is expected."""
    if dtype.is_integer or dtype.is_bool:
        def walk(v):
            if isinstance(v, (list, tuple)):
                for e in v:
                    walk(e)
            elif isinstance(v, float) or (dtype.is_bool and isinstance(v, int) and not isinstance(v, bool)):
                raise TypeError(f"Expected {dtype.name}, got {v!r} of type "
                                f"'{type(v).__name__}' instead.")
        walk(value)


def to_numpy(value, dtype=None) -> np.ndarray:
    """Convert a Python/NumPy value to an ndarray of ``dtype`` (a DType) with TF's rules."""
    if dtype is None:
        dtype = infer_dtype(value)
    if not isinstance(value, np.ndarray):
        _check_python_value_fits(value, dtype)
    if dtype == dtypes_mod.string:
        arr = np.asarray(value, dtype=object)
        return np.vectorize(lambda s: s.encode() if isinstance(s, str) else s, otypes=[object])(arr) \
            if arr.size else arr
    try:
        return np.asarray(value, dtype=dtype.as_numpy_dtype)
    except (TypeError, ValueError) as e:
        raise TypeError(f"Failed to convert object of type {type(value)} to Tensor of dtype "
                        f"{dtype.name}: {e}") from None


def convert_to_tensor(value, dtype=None, name: Optional[str] = None, preferred_dtype=None,
                      dtype_hint=None, as_ref: bool = False) -> Tensor:
    """Tensor from a Tensor, Variable, or Python/NumPy value; checks ``dtype`` when given.

    Usage: ``tf.convert_to_tensor([1, 2])`` -> an int32 Const tensor.
    """
    if dtype is not None:
        dtype = dtypes_mod.as_dtype(dtype)
    if isinstance(value, Tensor):
        if dtype is not None and value.dtype != dtype:
            raise ValueError(f"Tensor conversion requested dtype {dtype.name} for Tensor with "
                             f"dtype {value.dtype.name}: {value!r}")
        return value
    for _, base, fn in _conversion_funcs:
        if isinstance(value, base):
            out = fn(value, dtype=dtype, name=name, as_ref=as_ref)
            if out is not NotImplemented:
                return out
    hint = preferred_dtype or dtype_hint
    if dtype is None and hint is not None:
        hint = dtypes_mod.as_dtype(hint)
        try:
            to_numpy(value, hint)
            dtype = hint
        except (TypeError, ValueError):
            dtype = None
    return _constant_fn(value, dtype, name or "Const")


def convert_n_to_tensor(values, dtype=None, name=None) -> list:
    return [convert_to_tensor(v, dtype=dtype) for v in values]


def internal_convert_to_tensor(value, dtype=None, name=None, as_ref=False, preferred_dtype=None):
    return convert_to_tensor(value, dtype=dtype, name=name, preferred_dtype=preferred_dtype)


# ----------------------------------------------------------------------------------------
# apply_op: the single path from a public wrapper to graph construction or eager execution
# ----------------------------------------------------------------------------------------
def apply_op(op_type: str, inputs=(), attrs: Optional[dict] = None, name: Optional[str] = None):
    """Create (graph mode) or run (eager mode) an op; returns its output, or a list of outputs
    when the op has a number of outputs other than one.

    Usage: ``apply_op("AddV2", [x, y], name="add")``.
    """
    opdef = get_op_def(op_type)
    attrs = attrs if attrs is not None else {}
    from ..eager import context
    if context._state.eager:
        from ..eager.execute import execute
        return execute(opdef, inputs, attrs, name)
    inputs = [t if isinstance(t, Tensor) else convert_to_tensor(t) for t in inputs]
    op = get_default_graph()._create_op(opdef, inputs, attrs, name)
    context.record_graph_op(op)
    outs = op._outputs
    if opdef.num_outputs == 1:
        return outs[0]
    if opdef.num_outputs == 0:
        return op
    return outs
