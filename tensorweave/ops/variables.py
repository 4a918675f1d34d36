"""``tf.Variable``: TF1 reference variables in graph mode, resource-style variables in eager mode.

Usage::

    w = tf.Variable(tf.zeros([3, 1]), name="w")     # ops w, w/Assign, w/read
    sess.run(tf.global_variables_initializer())
"""
from __future__ import annotations

import itertools
from typing import Optional

import numpy as np

from ..eager import context
from ..framework import dtypes, ops
from ..framework.ops import GraphKeys, Tensor, apply_op, convert_to_tensor
from ..framework.tensor_shape import TensorShape, as_shape

__all__ = ["Variable", "VariableV1", "global_variables", "trainable_variables", "local_variables",
           "model_variables", "moving_average_variables", "variables_initializer",
           "global_variables_initializer", "local_variables_initializer", "all_variables",
           "initialize_all_variables", "initialize_variables", "report_uninitialized_variables",
           "assert_variables_initialized", "VariableSynchronization", "VariableAggregation"]

_eager_ids = itertools.count()


class VariableSynchronization:
    AUTO, NONE, ON_WRITE, ON_READ = range(4)


class VariableAggregation:
    NONE, SUM, MEAN, ONLY_FIRST_REPLICA, ONLY_FIRST_TOWER = range(5)


def outermost_graph(graph):
    """The program graph enclosing ``graph`` (itself unless it is a function/branch graph)."""
    while getattr(graph, "building_function", False) and \
            getattr(graph, "outer_graph", None) is not None:
        graph = graph.outer_graph
    return graph


def _initial_tensor(value, dtype):
    """The initial value as a tensor; a tensor of another dtype than ``dtype`` is an error."""
    if isinstance(value, Tensor):
        if dtype is not None and value.dtype != dtype:
            raise ValueError(f"initial_value: Tensor conversion requested dtype {dtype.name} for "
                             f"Tensor with dtype {value.dtype.name}: {value!r}")
        return value
    return convert_to_tensor(value, dtype=dtype, name="initial_value")


def _merge_error(a: TensorShape, b: TensorShape) -> Optional[str]:
    """TF's message for two static shapes that cannot be merged, or None if they can."""
    if a.ndims is None or b.ndims is None:
        return None
    if a.ndims != b.ndims:
        return f"Shapes must be equal rank, but are {a.ndims} and {b.ndims}"
    for i, (x, y) in enumerate(zip(a.as_list(), b.as_list())):
        if x is not None and y is not None and x != y:
            return (f"Dimension {i} in both shapes must be equal, but are {x} and {y}. Shapes are "
                    f"{_dims_text(a)} and {_dims_text(b)}.")
    return None


def _dims_text(s: TensorShape) -> str:
    return "[" + ",".join("?" if d is None else str(d) for d in s.as_list()) + "]"


def _variable_shape(initial: Tensor, shape, validate_shape: bool) -> TensorShape:
    """The variable's static shape: ``shape`` if given (must fit the initial value), else the
    initial value's shape (fully defined unless ``validate_shape=False``)."""
    if shape is not None:
        shape = as_shape(shape)
        err = _merge_error(shape, initial.shape) if validate_shape else None
        if err:
            raise ValueError(f"{err} for the initial value of a variable of shape {shape}")
        return shape
    if not validate_shape:
        return TensorShape(None)
    if not initial.shape.is_fully_defined():
        raise ValueError(f"initial_value must have a shape specified: {initial}")
    return initial.shape


class Variable:
    """A tensor whose value persists across ``Session.run`` calls and can be assigned."""

    def __init__(self, initial_value=None, trainable: bool = True, collections=None,
                 validate_shape: bool = True, caching_device=None, name: Optional[str] = None,
                 variable_def=None, dtype=None, expected_shape=None, import_scope=None,
                 constraint=None, use_resource=None, synchronization=None, aggregation=None,
                 shape=None):
        if initial_value is None:
            raise ValueError("initial_value must be specified.")
        if constraint is not None and not callable(constraint):
            raise ValueError("The `constraint` argument must be a callable.")
        self._trainable = bool(trainable)
        self._constraint = constraint
        self._save_slice_info = None
        # a function traced by tf.function/defun creates its variables eagerly (TF's init_scope)
        lift = getattr(ops.get_default_graph(), "lifts_variables_to_eager", False)
        self._in_graph_mode = not context.executing_eagerly() and not lift
        if dtype is not None:
            dtype = dtypes.as_dtype(dtype)
        if self._in_graph_mode:
            self._init_graph(initial_value, collections, validate_shape, name, dtype, shape)
        elif lift:
            with context.eager_mode():
                self._init_eager(initial_value, name, dtype, shape)
        else:
            self._init_eager(initial_value, name, dtype, shape)

    # --- construction ---------------------------------------------------------------------
    def _init_graph(self, initial_value, collections, validate_shape, name, dtype, shape):
        graph = ops.get_default_graph()
        outer = outermost_graph(graph)
        liftable = callable(initial_value) or not isinstance(initial_value, Tensor) or \
            getattr(initial_value, "_is_eager", False) or initial_value.graph is outer
        if outer is not graph and liftable:
            # Inside a cond branch / loop body / function: create the variable in the enclosing
            # program graph, keeping the current name scope (TF's init_scope).
            scope = graph.get_name_scope()
            with outer.as_default(), outer.name_scope(scope + "/" if scope else None):
                self._init_graph(initial_value, collections, validate_shape, name, dtype, shape)
            return
        if collections is None:
            collections = [GraphKeys.GLOBAL_VARIABLES]
        if not isinstance(collections, (list, tuple, set)):
            raise ValueError(f"collections argument to Variable constructor must be a list, "
                             f"tuple, or set. Got {collections} of type {type(collections)}")
        collections = list(collections)
        if self._trainable and GraphKeys.TRAINABLE_VARIABLES not in collections:
            collections.append(GraphKeys.TRAINABLE_VARIABLES)
        init_from_fn = callable(initial_value)
        with graph.control_dependencies(None):
            with ops.name_scope(name, "Variable", [] if init_from_fn else [initial_value]) as scope:
                op_name = scope[:-1]
                if init_from_fn:
                    with ops.name_scope("Initializer"):
                        initial_value = initial_value()
                self._initial_value = _initial_tensor(initial_value, dtype)
                var_shape = _variable_shape(self._initial_value, shape, validate_shape)
                self._variable = apply_op(
                    "VariableV2", [], {"shape": var_shape, "dtype": self._initial_value.dtype,
                                       "shared_name": op_name, "container": ""},
                    name=scope)
                self._initializer_op = apply_op(
                    "Assign", [self._variable, self._initial_value],
                    {"validate_shape": bool(validate_shape), "use_locking": True},
                    name="Assign").op
                self._snapshot = apply_op("Identity", [self._variable], name="read")
        self._key = self._variable.op.name
        self._graph_key = graph
        graph.add_to_collections(collections, self)

    def _init_eager(self, initial_value, name, dtype, shape):
        if callable(initial_value):
            initial_value = initial_value()
        value = _initial_tensor(initial_value, dtype)
        from ..eager.eager_tensor import EagerTensor
        from ..eager.execute import eager_ctx
        base = ops.get_name_scope()
        base = (base + "/" if base else "") + (name or "Variable")
        self._name = base + ":0"
        self._key = f"{base}#{next(_eager_ids)}"
        self._dtype = value.dtype
        self._shape = _variable_shape(value, shape, True)
        self._handle = EagerTensor(np.array(self._key, dtype=object), dtypes.resource)
        eager_ctx.variables[self._key] = np.array(value._value, copy=True)
        self._initial_value = value
        self._ctx = eager_ctx

    # --- identity ---------------------------------------------------------------------------
    @property
    def name(self) -> str:
        return self._variable.name if self._in_graph_mode else self._name

    @property
    def dtype(self):
        return self._variable.dtype if self._in_graph_mode else self._dtype

    @property
    def shape(self) -> TensorShape:
        return self._variable.shape if self._in_graph_mode else self._shape

    def get_shape(self) -> TensorShape:
        return self.shape

    @property
    def op(self):
        if not self._in_graph_mode:
            raise AttributeError("Variable.op is meaningless when eager execution is enabled.")
        return self._variable.op

    @property
    def graph(self):
        return self._variable.graph if self._in_graph_mode else None

    @property
    def device(self) -> str:
        if self._in_graph_mode:
            return self._variable.device
        return "/job:localhost/replica:0/task:0/device:CPU:0"

    @property
    def trainable(self) -> bool:
        return self._trainable

    @property
    def constraint(self):
        return self._constraint

    @property
    def initializer(self):
        """The op that assigns the initial value (graph mode)."""
        return self._initializer_op if self._in_graph_mode else None

    @property
    def initial_value(self):
        return self._initial_value

    @property
    def handle(self):
        return self._handle if not self._in_graph_mode else self._variable

    def _grad_source(self):
        """The tensor gradients with respect to this variable are taken against."""
        return self._snapshot if self._in_graph_mode else self._handle

    # --- reading ---------------------------------------------------------------------------
    def value(self):
        """The variable's value as a tensor (graph: the ``<name>/read`` snapshot)."""
        if self._in_graph_mode:
            return self._snapshot
        return self._read()

    def _read(self):
        context_tapes = context._state.tapes
        if context_tapes and self._trainable:
            for tape in context_tapes:
                tape._variable_accessed(self)
        return apply_op("ReadVariableOp", [self._handle], {"dtype": self._dtype})

    def read_value(self):
        """A fresh read of the value (graph: an Identity op named ``read``... as TF)."""
        if self._in_graph_mode:
            return apply_op("Identity", [self._variable], name="read")
        return self._read()

    def _ref(self):
        return self._variable

    def _as_graph_element(self):
        return self._variable if self._in_graph_mode else None

    def numpy(self):
        if self._in_graph_mode:
            raise NotImplementedError("numpy() is only available when eager execution is enabled.")
        return self._ctx.variables[self._key]

    def eval(self, session=None):
        """The value in ``session`` (default session if None)."""
        if not self._in_graph_mode:
            return self.numpy()
        return self._variable.eval(session=session)

    def initialized_value(self):
        """The value, or the initial value while uninitialized (``tf.cond`` on
        ``is_variable_initialized``); use it to initialize one variable from another."""
        if not self._in_graph_mode:
            return self.read_value()
        try:
            from .control_flow_ops import cond
        except ImportError:
            from .functional_ops import cond
        with ops.get_default_graph().control_dependencies(None):
            return cond(self.is_initialized(), self.read_value, lambda: self._initial_value)

    def is_initialized(self, name=None):
        """A bool tensor: has the variable been initialized (always True in eager mode)."""
        if not self._in_graph_mode:
            from .constant_op import constant
            return constant(True)
        return apply_op("IsVariableInitialized", [self._variable], {"dtype": self.dtype},
                        name=name or "IsVariableInitialized")

    # --- writing ---------------------------------------------------------------------------
    def _update(self, graph_type, eager_type, value, name, read_value=True, **attrs):
        if not self._in_graph_mode:
            value = convert_to_tensor(value, dtype=self.dtype)
            if graph_type == "Assign" and not value.shape.is_compatible_with(self._shape):
                raise ValueError(f"Cannot assign value to variable ' {self.name}': Shape mismatch."
                                 f"The variable shape {self._shape}, and the assigned value shape "
                                 f"{value.shape} are incompatible.")
            apply_op(eager_type, [self._handle, value], {}, name=name)
            return self if read_value else None
        with ops.name_scope(name, graph_type, [self._variable, value]) as scope:
            if isinstance(value, Tensor) and value.dtype != self.dtype:
                raise TypeError(f"Input 'value' of '{graph_type}' Op has type {value.dtype.name} "
                                f"that does not match type {self.dtype.name} of argument 'ref'.")
            value = convert_to_tensor(value, dtype=self.dtype, name="value")
            if attrs.get("validate_shape", True):
                err = _merge_error(self.shape, value.shape)
                if err:
                    raise ValueError(f"{err} for '{scope[:-1]}' (op: '{graph_type}') with input "
                                     f"shapes: {_dims_text(self.shape)}, "
                                     f"{_dims_text(value.shape)}.")
            return apply_op(graph_type, [self._variable, value], attrs, name=scope)

    def assign(self, value, use_locking=None, name=None, read_value: bool = True,
               validate_shape: bool = True):
        """Set the value; graph mode returns the assign op's output tensor."""
        return self._update("Assign", "AssignVariableOp", value, name, read_value,
                            validate_shape=bool(validate_shape), use_locking=bool(use_locking))

    def assign_add(self, delta, use_locking=None, name=None, read_value: bool = True):
        return self._update("AssignAdd", "AssignAddVariableOp", delta, name, read_value,
                            use_locking=bool(use_locking))

    def assign_sub(self, delta, use_locking=None, name=None, read_value: bool = True):
        return self._update("AssignSub", "AssignSubVariableOp", delta, name, read_value,
                            use_locking=bool(use_locking))

    def load(self, value, session=None):
        """Assign ``value`` in ``session`` without adding ops (TF1 ``Variable.load``)."""
        if not self._in_graph_mode:
            self.assign(value)
            return
        session = session or ops.get_default_session()
        if session is None:
            raise ValueError("Either session argument should be provided or default session "
                             "should be established")
        arr = np.array(value, dtype=self.dtype.as_numpy_dtype)
        if not self.shape.is_compatible_with(arr.shape):
            init = self._initial_value
            raise ValueError(f"Cannot feed value of shape {arr.shape} for Tensor {init.name}, "
                             f"which has shape {init.shape}")
        session._runtime.variables[self._key] = arr

    def set_shape(self, shape):
        self._variable.set_shape(shape)
        self._snapshot.set_shape(shape)

    # --- misc -------------------------------------------------------------------------------
    def __repr__(self):
        if self._in_graph_mode:
            return f"<tf.Variable '{self.name}' shape={self.shape} dtype={self.dtype.name}_ref>"
        return (f"<tf.Variable '{self.name}' shape={self.shape} dtype={self.dtype.name}, "
                f"numpy={self.numpy()!r}>")

    __hash__ = object.__hash__

    def __iter__(self):
        raise TypeError("'Variable' object is not iterable.")

    def __bool__(self):
        if self._in_graph_mode:
            raise TypeError("Using a `tf.Variable` as a Python `bool` is not allowed.")
        return bool(self.numpy())

    def __array__(self, dtype=None, copy=None):
        v = self.numpy()
        return v if dtype is None else v.astype(dtype)

    def __float__(self):
        return float(self.numpy())

    def __int__(self):
        return int(self.numpy())

    def __index__(self):
        return self.numpy().__index__()

    def __len__(self):
        return self.shape.as_list()[0]

    def __deepcopy__(self, memo):
        return self

    # --- sparse updates and reads (delegate to state_ops / array_ops) ------------------------
    def _scatter(self, fn_name, sparse_delta, use_locking, name):
        from . import state_ops
        if not hasattr(sparse_delta, "indices") or not hasattr(sparse_delta, "values"):
            raise TypeError(f"sparse_delta is not IndexedSlices: {sparse_delta}")
        return getattr(state_ops, fn_name)(self, sparse_delta.indices, sparse_delta.values,
                                           use_locking=use_locking, name=name)

    def scatter_add(self, sparse_delta, use_locking=False, name=None):
        return self._scatter("scatter_add", sparse_delta, use_locking, name)

    def scatter_sub(self, sparse_delta, use_locking=False, name=None):
        return self._scatter("scatter_sub", sparse_delta, use_locking, name)

    def scatter_mul(self, sparse_delta, use_locking=False, name=None):
        return self._scatter("scatter_mul", sparse_delta, use_locking, name)

    def scatter_div(self, sparse_delta, use_locking=False, name=None):
        return self._scatter("scatter_div", sparse_delta, use_locking, name)

    def scatter_min(self, sparse_delta, use_locking=False, name=None):
        return self._scatter("scatter_min", sparse_delta, use_locking, name)

    def scatter_max(self, sparse_delta, use_locking=False, name=None):
        return self._scatter("scatter_max", sparse_delta, use_locking, name)

    def scatter_update(self, sparse_delta, use_locking=False, name=None):
        return self._scatter("scatter_update", sparse_delta, use_locking, name)

    def scatter_nd_add(self, indices, updates, name=None):
        from . import state_ops
        return state_ops.scatter_nd_add(self, indices, updates, use_locking=True, name=name)

    def scatter_nd_sub(self, indices, updates, name=None):
        from . import state_ops
        return state_ops.scatter_nd_sub(self, indices, updates, use_locking=True, name=name)

    def scatter_nd_update(self, indices, updates, name=None):
        from . import state_ops
        return state_ops.scatter_nd_update(self, indices, updates, use_locking=True, name=name)

    def count_up_to(self, limit):
        from . import state_ops
        return state_ops.count_up_to(self, limit)

    def sparse_read(self, indices, name=None):
        from .array_ops import gather
        return gather(self.value(), indices, name=name)

    def gather_nd(self, indices, name=None):
        from .array_ops import gather_nd
        return gather_nd(self.value(), indices, name=name)

    # --- references, partitions -------------------------------------------------------------
    def ref(self) -> "_VariableRef":
        """A hashable reference to this variable; ``ref.deref()`` gives it back."""
        return _VariableRef(self)

    experimental_ref = ref

    @property
    def synchronization(self):
        return VariableSynchronization.AUTO

    @property
    def aggregation(self):
        return VariableAggregation.NONE

    def _set_save_slice_info(self, save_slice_info) -> None:
        self._save_slice_info = save_slice_info

    def _get_save_slice_info(self):
        return self._save_slice_info

    class SaveSliceInfo:
        """Where a partition sits inside its full variable (used by Saver for partitioned vars)."""

        def __init__(self, full_name=None, full_shape=None, var_offset=None, var_shape=None,
                     save_slice_info_def=None, import_scope=None):
            self.full_name = full_name
            self.full_shape = list(full_shape) if full_shape is not None else None
            self.var_offset = list(var_offset) if var_offset is not None else None
            self.var_shape = list(var_shape) if var_shape is not None else None

        @property
        def spec(self) -> str:
            """TF's slice spec string: ``"<full dims> <offset,size>:<offset,size>..."``."""
            full = " ".join(str(d) for d in self.full_shape) + " "
            return full + ":".join(f"{o},{n}" for o, n in zip(self.var_offset, self.var_shape))

    __array_priority__ = 100

    @staticmethod
    def _overload_operators():
        """Python operators on variables act on ``value()`` (looked up on Tensor at call time)."""
        names = ["__add__", "__radd__", "__sub__", "__rsub__", "__mul__", "__rmul__",
                 "__truediv__", "__rtruediv__", "__floordiv__", "__rfloordiv__", "__mod__",
                 "__rmod__", "__pow__", "__rpow__", "__matmul__", "__rmatmul__", "__neg__",
                 "__abs__", "__lt__", "__le__", "__gt__", "__ge__", "__and__", "__rand__",
                 "__or__", "__ror__", "__xor__", "__rxor__", "__invert__", "__getitem__",
                 "__div__", "__rdiv__"]

        def make(n):
            def operator(self, *args):
                fn = getattr(Tensor, n, None)
                if fn is None:
                    return NotImplemented
                return fn(self.value(), *args)
            operator.__name__ = n
            return operator
        for n in names:
            setattr(Variable, n, make(n))


class _VariableRef:
    """Hashable handle of a variable (``v.ref()``)."""

    def __init__(self, var):
        self._var = var

    def deref(self):
        return self._var

    def __hash__(self):
        return id(self._var)

    def __eq__(self, other):
        return isinstance(other, _VariableRef) and other._var is self._var


VariableV1 = Variable


def _variable_to_tensor(v, dtype=None, name=None, as_ref=False):
    if as_ref:
        return v._ref()
    t = v.value()
    if dtype is not None and t.dtype != dtypes.as_dtype(dtype):
        raise ValueError(f"Incompatible type conversion requested to type "
                         f"'{dtypes.as_dtype(dtype).name}' "
                         f"for variable of type '{t.dtype.name}'")
    return t


ops.register_tensor_conversion_function(Variable, _variable_to_tensor)


# ---- collections and initializers -----------------------------------------------------------
def global_variables(scope: Optional[str] = None) -> list:
    return ops.get_collection(GraphKeys.GLOBAL_VARIABLES, scope)


all_variables = global_variables


def trainable_variables(scope: Optional[str] = None) -> list:
    return ops.get_collection(GraphKeys.TRAINABLE_VARIABLES, scope)


def local_variables(scope: Optional[str] = None) -> list:
    return ops.get_collection(GraphKeys.LOCAL_VARIABLES, scope)


def model_variables(scope: Optional[str] = None) -> list:
    return ops.get_collection(GraphKeys.MODEL_VARIABLES, scope)


def moving_average_variables(scope: Optional[str] = None) -> list:
    return ops.get_collection(GraphKeys.MOVING_AVERAGE_VARIABLES, scope)


def variables_initializer(var_list, name: str = "init"):
    """One op that initializes every variable in ``var_list``."""
    from .control_flow_ops import group, no_op
    if var_list and not context.executing_eagerly():
        return group(*[v.initializer for v in var_list], name=name)
    return no_op(name=name)


def global_variables_initializer():
    """The op that initializes all global variables.

    Usage: ``sess.run(tf.global_variables_initializer())``.
    """
    if context.executing_eagerly():
        return None
    return variables_initializer(global_variables())


def local_variables_initializer():
    if context.executing_eagerly():
        return None
    return variables_initializer(local_variables())


initialize_all_variables = global_variables_initializer


def initialize_variables(var_list, name: str = "init"):
    return variables_initializer(var_list, name)


def report_uninitialized_variables(var_list=None, name: str = "report_uninitialized_variables"):
    """A 1-D string tensor: names of the variables not yet initialized in the session."""
    if context.executing_eagerly():
        from .constant_op import constant
        return constant(np.zeros([0], dtype=object), dtype=dtypes.string)
    if var_list is None:
        var_list = global_variables() + local_variables()
    names = [v.op.name for v in var_list]
    keys = [v._key for v in var_list]
    return apply_op("ReportUninitializedVariables", [], {"names": names, "keys": keys}, name=name)


def assert_variables_initialized(var_list=None):
    return None

Variable._overload_operators()
