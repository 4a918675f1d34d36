"""The Keras backend (``tf.keras.backend``, imported as ``K``): session, learning phase, naming,
variable values, and the small tensor functions layers, losses and metrics share.

Usage::

    K = tf.keras.backend
    sess = K.get_session()            # the default session, else a Keras-owned one
    K.set_value(layer.kernel, w); K.get_value(layer.kernel)
    K.clear_session()                 # new graph, layer names start again at dense, dense_1 ...
"""
from __future__ import annotations

import weakref
from typing import Optional

import numpy as np

from ..eager import context
from ..framework import dtypes, ops
from ..framework.ops import GraphKeys
from ..layers import base as _tf_layers_base
from ..ops import (array_ops, clip_ops, constant_op, math_ops, nn_ops, state_ops,
                   variables as tf_variables)

_FLOATX = "float32"
_EPSILON = 1e-7
_IMAGE_DATA_FORMAT = "channels_last"

_SESSIONS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()     # graph -> Session
_LEARNING_PHASES: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()  # graph -> tensor
_EAGER_LEARNING_PHASE: Optional[int] = None
_GRAPH = None  # the Keras-owned graph holding Input placeholders in eager mode


# ---- configuration -----------------------------------------------------------------------
def floatx() -> str:
    return _FLOATX


def set_floatx(value: str) -> None:
    global _FLOATX
    _FLOATX = dtypes.as_dtype(value).name


def epsilon() -> float:
    return _EPSILON


def set_epsilon(value: float) -> None:
    global _EPSILON
    _EPSILON = float(value)


def image_data_format() -> str:
    return _IMAGE_DATA_FORMAT


def set_image_data_format(value: str) -> None:
    global _IMAGE_DATA_FORMAT
    if value not in ("channels_last", "channels_first"):
        raise ValueError(f"Unknown data_format: {value}")
    _IMAGE_DATA_FORMAT = value


def backend() -> str:
    return "tensorflow"


# ---- names -------------------------------------------------------------------------------
def unique_object_name(base: str) -> str:
    """``base``, ``base_1`` ... unique per graph (per process in eager mode), shared with
    tf.layers, as in TF."""
    return _tf_layers_base._unique_layer_name(base)


def get_uid(prefix: str = "") -> int:
    """1, 2, 3 ... per ``prefix`` (per graph)."""
    name = unique_object_name(prefix)
    return 1 if name == prefix else int(name.rsplit("_", 1)[1]) + 1


def reset_uids() -> None:
    _tf_layers_base._EAGER_UIDS.clear()
    _tf_layers_base._NAME_UIDS.pop(ops.get_default_graph(), None)


def name_scope(name):
    return ops.name_scope(name)


# ---- graph, session, learning phase ------------------------------------------------------
def get_graph():
    """The graph Keras builds symbolic tensors in: the default graph, or in eager mode a
    Keras-owned graph (Input placeholders live there)."""
    global _GRAPH
    if context.executing_eagerly():
        if _GRAPH is None:
            _GRAPH = ops.Graph()
        return _GRAPH
    return ops.get_default_graph()


def clear_session() -> None:
    """Forget the Keras session and graph: a new default graph, names start again."""
    global _GRAPH, _EAGER_LEARNING_PHASE
    _GRAPH = None
    _EAGER_LEARNING_PHASE = None
    _tf_layers_base._EAGER_UIDS.clear()
    if not context.executing_eagerly():
        ops.reset_default_graph()


def get_session():
    """The session Keras runs graphs in: the default session if one is active, else one Keras
    creates for the default graph. Variables Keras made that are still uninitialized get
    initialized first (as Keras 2 does)."""
    session = ops.get_default_session()
    graph = ops.get_default_graph()
    if session is None or session.graph is not graph:
        session = _SESSIONS.get(graph)
        if session is None or session._closed:
            from ..client.session import Session
            session = _SESSIONS[graph] = Session(graph=graph)
    _initialize_variables(session)
    return session


def set_session(session) -> None:
    _SESSIONS[session.graph] = session


def _initialize_variables(session) -> None:
    store = session._runtime.variables
    pending = [v for v in session.graph.get_collection(GraphKeys.GLOBAL_VARIABLES)
               if state_ops.runtime_key(v.op) not in store]
    if pending:
        session.run([v.initializer for v in pending])


def learning_phase():
    """The training flag: a bool tensor defaulting to False in graph mode (fed True by fit),
    0/1 in eager mode."""
    if context.executing_eagerly():
        return 0 if _EAGER_LEARNING_PHASE is None else _EAGER_LEARNING_PHASE
    graph = ops.get_default_graph()
    phase = _LEARNING_PHASES.get(graph)
    if phase is None:
        with ops.name_scope(""):
            phase = constant_op.placeholder_with_default(False, shape=(),
                                                       name="keras_learning_phase")
        _LEARNING_PHASES[graph] = phase
    return phase


def set_learning_phase(value) -> None:
    """Fix the learning phase to 0 (test) or 1 (train)."""
    global _EAGER_LEARNING_PHASE
    if value not in (0, 1):
        raise ValueError("Expected learning phase to be 0 or 1.")
    if context.executing_eagerly():
        _EAGER_LEARNING_PHASE = value
    else:
        _LEARNING_PHASES[ops.get_default_graph()] = bool(value)


def symbolic_learning_phase() -> bool:
    """True when the learning phase is a tensor to feed (graph mode, not fixed)."""
    return ops.is_tensor(learning_phase())


# ---- variables and values ----------------------------------------------------------------
def variable(value, dtype=None, name: Optional[str] = None, constraint=None):
    """A variable initialized to ``value`` (uninitialized ones are initialized by get_session)."""
    dtype = dtypes.as_dtype(dtype or floatx())
    v = tf_variables.Variable(np.asarray(value, dtype=dtype.as_numpy_dtype), dtype=dtype,
                              name=name, constraint=constraint)
    return v


def _is_eager_variable(x) -> bool:
    return isinstance(x, tf_variables.Variable) and not x._in_graph_mode


def get_value(x) -> np.ndarray:
    """The current value of a variable or tensor as a NumPy array."""
    if _is_eager_variable(x) or getattr(x, "_is_eager", False):
        return np.array(x.numpy())
    return get_session().run(x)


def batch_get_value(xs) -> list:
    if not xs:
        return []
    if all(_is_eager_variable(x) or getattr(x, "_is_eager", False) for x in xs):
        return [np.array(x.numpy()) for x in xs]
    return get_session().run(list(xs))


def set_value(x, value) -> None:
    batch_set_value([(x, value)])


def batch_set_value(pairs) -> None:
    """Assign NumPy values to variables (one session run in graph mode)."""
    graph_pairs = []
    for x, value in pairs:
        value = np.asarray(value, dtype=x.dtype.as_numpy_dtype)
        if tuple(value.shape) != tuple(x.shape.as_list()):
            raise ValueError(f"Cannot assign value of shape {value.shape} to variable "
                             f"{x.name} of shape {tuple(x.shape.as_list())}")
        if _is_eager_variable(x):
            x.assign(value)
        else:
            graph_pairs.append((x, value))
    if graph_pairs:
        session = get_session()
        assigns, feed = [], {}
        for x, value in graph_pairs:
            holder, op = _assign_placeholder(x)
            assigns.append(op)
            feed[holder] = value
        session.run(assigns, feed)


_ASSIGNS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def _assign_placeholder(x):
    """A cached (placeholder, assign op) pair for variable ``x``."""
    cache = _ASSIGNS.setdefault(x.graph, {})
    pair = cache.get(x.name)
    if pair is None:
        with x.graph.as_default(), ops.name_scope(""):
            holder = constant_op.placeholder(x.dtype, x.shape, name="assign_placeholder")
            pair = cache[x.name] = (holder, state_ops.assign(x, holder))
    return pair


def placeholder(shape=None, ndim=None, dtype=None, name=None):
    if shape is None and ndim is not None:
        shape = (None,) * ndim
    return constant_op.placeholder(dtype or floatx(), shape=shape, name=name)


def int_shape(x):
    """The static shape as a tuple of ints/None, or None for unknown rank."""
    shape = x.shape if hasattr(x, "shape") else ops.convert_to_tensor(x).shape
    if hasattr(shape, "ndims"):
        return None if shape.ndims is None else tuple(shape.as_list())
    return tuple(shape)


def ndim(x):
    shape = int_shape(x)
    return None if shape is None else len(shape)


def dtype(x) -> str:
    return x.dtype.base_dtype.name


def eval(x):  # noqa: A001 - Keras's name
    return get_value(x)


def is_keras_tensor(x) -> bool:
    return hasattr(x, "_keras_history")


# ---- the tensor functions losses, metrics and layers use ---------------------------------
def cast(x, dtype):
    return math_ops.cast(x, dtype)


def cast_to_floatx(x):
    return np.asarray(x, dtype=floatx())


def constant(value, dtype=None, shape=None, name=None):
    return constant_op.constant(value, dtype=dtype or floatx(), shape=shape, name=name)


def zeros(shape, dtype=None, name=None):
    return variable(np.zeros(shape), dtype, name)


def ones(shape, dtype=None, name=None):
    return variable(np.ones(shape), dtype, name)


def mean(x, axis=None, keepdims=False):
    if x.dtype.is_bool:
        x = math_ops.cast(x, floatx())
    return math_ops.reduce_mean(x, axis, keepdims=keepdims)


def sum(x, axis=None, keepdims=False):  # noqa: A001 - Keras's name
    return math_ops.reduce_sum(x, axis, keepdims=keepdims)


def max(x, axis=None, keepdims=False):  # noqa: A001
    return math_ops.reduce_max(x, axis, keepdims=keepdims)


def min(x, axis=None, keepdims=False):  # noqa: A001
    return math_ops.reduce_min(x, axis, keepdims=keepdims)


def square(x):
    return math_ops.square(x)


def abs(x):  # noqa: A001
    return math_ops.abs(x)


def sqrt(x):
    zero = ops.convert_to_tensor(0.0, x.dtype)
    return math_ops.sqrt(math_ops.maximum(x, zero))


def exp(x):
    return math_ops.exp(x)


def log(x):
    return math_ops.log(x)


def clip(x, min_value, max_value):
    return clip_ops.clip_by_value(x, min_value, max_value)


def maximum(x, y):
    return math_ops.maximum(x, y)


def minimum(x, y):
    return math_ops.minimum(x, y)


def argmax(x, axis=-1):
    return math_ops.argmax(x, axis)


def equal(x, y):
    return math_ops.equal(x, y)


def dot(x, y):
    return math_ops.matmul(x, y)


def softmax(x, axis=-1):
    return nn_ops.softmax(x, axis=axis)


def relu(x, alpha=0.0, max_value=None, threshold=0.0):
    from . import activations
    return activations.relu(x, alpha=alpha, max_value=max_value, threshold=threshold)


def sigmoid(x):
    return math_ops.sigmoid(x)


def tanh(x):
    return math_ops.tanh(x)


def reshape(x, shape):
    return array_ops.reshape(x, shape)


def concatenate(tensors, axis=-1):
    return array_ops.concat(list(tensors), axis)


def expand_dims(x, axis=-1):
    return array_ops.expand_dims(x, axis)


def flatten(x):
    return array_ops.reshape(x, [-1])


def batch_flatten(x):
    return array_ops.reshape(x, [-1, int(np.prod(int_shape(x)[1:]))])


def permute_dimensions(x, pattern):
    return array_ops.transpose(x, list(pattern))


def function(inputs, outputs, updates=None, name=None):
    """A callable running ``outputs`` (and ``updates``) for a list of input values, in one
    ``Session.run`` (graph mode)."""
    return _GraphFunction(list(inputs), list(outputs), list(updates or []))


class _GraphFunction:
    def __init__(self, inputs, outputs, updates):
        self.inputs, self.outputs = inputs, outputs
        with ops.control_dependencies(outputs):
            self.updates_op = [state_ops.assign(*u) if isinstance(u, tuple) else u
                               for u in updates]

    def __call__(self, values):
        feed = dict(zip(self.inputs, values))
        return get_session().run([self.outputs, self.updates_op], feed)[0]
