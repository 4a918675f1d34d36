"""``tf.Session``: run fetches of a graph with feeds, against a runtime that owns variable values.

Usage::

    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        print(sess.run(y, feed_dict={x: [[1., 2.]]}))
"""
from __future__ import annotations

import collections
import itertools
from typing import Any, Optional

import numpy as np

from ..framework import dtypes, errors, ops
from ..framework.ops import Operation, Tensor
from ..util import nest
from .plan import Plan, tf_type_name

__all__ = ["Session", "InteractiveSession", "Runtime"]


class Runtime:
    """The resource store behind a session: variable values, iterators, random states.

    Kernels that need state receive it as their first argument (``needs_ctx`` ops). Keys are op
    names, so a server process can own the same store when execution goes remote.
    """

    _ids = itertools.count()

    def __init__(self, graph):
        self.graph = graph
        self.variables: dict[str, np.ndarray] = {}
        self.resources: dict[str, Any] = {}
        self.rng_states: dict[str, Any] = {}
        self.inplace = True  # training ops update variable arrays in place (fetches are copied)
        self.id = next(Runtime._ids)


class _FetchMapper:
    """Flattens a fetch structure to graph elements and rebuilds the results in its shape."""

    def __init__(self, graph, fetches):
        self.structure = fetches
        self.leaves = []        # resolved graph elements per leaf (Tensor, Operation or sparse)
        self.tensors = []       # unique tensors to compute
        self.targets = []       # ops to run (fetched operations)
        self._leaf_slots = []   # per leaf: None (op), int (tensor index) or tuple (sparse parts)
        index: dict = {}
        for leaf in nest.flatten(fetches) if nest.is_sequence(fetches) else [fetches]:
            self._leaf_slots.append(self._add(graph, leaf, index))
        self.single = not nest.is_sequence(fetches)

    def _add(self, graph, leaf, index):
        if leaf is None:
            raise TypeError(f"Fetch argument None has invalid type {type(None)}")
        if getattr(leaf, "_is_sparse_tensor", False):
            return ("sparse",) + tuple(self._add(graph, p, index)
                                       for p in (leaf.indices, leaf.values, leaf.dense_shape))
        try:
            elem = graph.as_graph_element(leaf, allow_tensor=True, allow_operation=True)
        except TypeError:
            raise TypeError(f"Fetch argument {leaf!r} has invalid type {type(leaf)}, must be a "
                            "string or Tensor. (Can not convert a "
                            f"{type(leaf).__name__} into a Tensor or Operation.)") from None
        except ValueError as e:
            raise ValueError(f"Fetch argument {leaf!r} cannot be interpreted as a Tensor. ({e})") from None
        if getattr(elem, "_is_sparse_tensor", False):
            return self._add(graph, elem, index)
        if not graph.is_fetchable(elem):
            raise ValueError(f"Operation {elem.name!r} has been marked as not fetchable.")
        if isinstance(elem, Operation):
            if elem not in self.targets:
                self.targets.append(elem)
            return None
        if elem not in index:
            index[elem] = len(self.tensors)
            self.tensors.append(elem)
        return index[elem]

    def build(self, values):
        flat = [_fetched(slot, values) for slot in self._leaf_slots]
        if self.single:
            return flat[0]
        return nest.pack_sequence_as(self.structure, flat)


def _fetched(slot, values):
    """The value of one fetch slot (a module function: a recursive closure would be a reference
    cycle holding every fetched array until the garbage collector runs)."""
    if slot is None:
        return None
    if isinstance(slot, tuple):
        from ..framework.sparse_tensor import SparseTensorValue
        return SparseTensorValue(*(_fetched(s, values) for s in slot[1:]))
    return values[slot]


def _fetch_key(f):
    t = type(f)
    if t is list or t is tuple or (t is not str and isinstance(f, tuple)):
        return (t, tuple(_fetch_key(x) for x in f))
    if isinstance(f, dict):
        return (t, tuple((k, _fetch_key(v)) for k, v in f.items()))
    if isinstance(f, collections.abc.Mapping):
        return (t, tuple((k, _fetch_key(f[k])) for k in f))
    return f


class _CompiledRun:
    """A cached plan plus the feed conversion and fetch rebuilding around it."""

    __slots__ = ("plan", "mapper", "feed_specs", "single_tensor", "session", "expand_sparse")

    def __init__(self, session, mapper, feed_tensors, expand_sparse: bool = False):
        self.session = session
        self.expand_sparse = expand_sparse
        self.mapper = mapper
        self.plan = Plan(mapper.tensors, mapper.targets, feed_tensors, session._runtime)
        self.feed_specs = [(t, t.dtype, t.dtype.as_numpy_dtype, t.shape.as_tuple()) for t in feed_tensors]
        self.single_tensor = mapper.single and len(mapper.tensors) == 1 and not mapper.targets \
            and mapper._leaf_slots == [0]

    def convert_feeds(self, values) -> list:
        out = []
        for (t, dt, npdt, shape), v in zip(self.feed_specs, values):
            if type(v) is not np.ndarray or v.dtype != npdt:
                if isinstance(v, Tensor):
                    raise TypeError("The value of a feed cannot be a tf.Tensor object. Acceptable "
                                    "feed values include Python scalars, strings, lists, numpy "
                                    "ndarrays, or TensorHandles. For reference, the tensor object "
                                    f"was {v!r} which was passed to the feed with key {t!r}.")
                v = _convert_feed(v, dt, npdt, t)
            if shape is not None and v.shape != shape:
                if len(v.shape) != len(shape) or any(
                        d is not None and d != s for d, s in zip(shape, v.shape)):
                    raise ValueError(f"Cannot feed value of shape {v.shape} for Tensor "
                                     f"{t.name}, which has shape {_shape_str(shape)}")
            out.append(v)
        return out

    def __call__(self, feed_values):
        args = self.convert_feeds(feed_values) if self.feed_specs else ()
        try:
            results = self.plan.fn(*args)
        except errors.OpError as e:
            raise self._wrap(e, type(e), e.message, add_shapes=False) from None
        except (ValueError, TypeError, IndexError, ArithmeticError, KeyError, AttributeError,
                np.linalg.LinAlgError, AssertionError, RuntimeError) as e:
            raise self._wrap(e, errors.InvalidArgumentError, f"{type(e).__name__}: {e}",
                             add_shapes=True) from None
        results = _finalize(results, self.session._runtime.variables)
        if self.single_tensor:
            return results[0]
        return self.mapper.build(results)

    def _wrap(self, e, cls, message, add_shapes: bool):
        """``cls`` naming the failing op and its creation site; a kernel's own Python exception
        (not a deliberate tf.errors one, e.g. an Assert) also gets the op's input shapes."""
        op, shapes = self.plan.failing_op(e.__traceback__)
        if op is None:
            return cls(None, None, message)
        if add_shapes and shapes:
            message = f"{message} (input shapes: {', '.join(str(s) for s in shapes)})"
        if getattr(e, "op", None) is not None and e.op is not op:
            return cls(None, e.op, message)
        return errors.with_op(cls, op, message)


def _shape_str(shape) -> str:
    return "(" + ", ".join("?" if d is None else str(d) for d in shape) + (",)" if len(shape) == 1 else ")")


def _convert_feed(value, dtype, npdt, tensor):
    if getattr(value, "_is_eager", False):
        return np.asarray(value._value, dtype=npdt)
    try:
        if dtype == dtypes.string:
            return ops.to_numpy(value, dtype)
        arr = np.asarray(value)
        if arr.dtype.kind in "US" and dtype != dtypes.string:
            raise ValueError(f"could not convert string to {dtype.name}: {value!r}")
        return arr.astype(npdt, copy=False) if arr.dtype != npdt else arr
    except (TypeError, ValueError) as e:
        raise ValueError(f"Cannot feed value {value!r} for Tensor '{tensor.name}' of dtype "
                         f"{tf_type_name(dtype)}: {e}") from None


def _expand_sparse_feeds(feed_dict) -> dict:
    """Replace SparseTensor keys by their three component tensors."""
    out = {}
    for k, v in feed_dict.items():
        if getattr(k, "_is_sparse_tensor", False):
            parts = (v.indices, v.values, v.dense_shape) if hasattr(v, "indices") else tuple(v)
            out.update(zip((k.indices, k.values, k.dense_shape), parts))
        else:
            out[k] = v
    return out


def _finalize(results, variables) -> tuple:
    """Fetched values as TF returns them: 0-d arrays become NumPy scalars, and arrays that share
    memory with variable storage (updated in place later) or constants (read-only) are copied."""
    var_ids = None
    out = list(results)
    for i, v in enumerate(out):
        if type(v) is not np.ndarray:
            continue
        if v.ndim == 0:
            out[i] = v[()]
            continue
        if not v.flags.writeable:
            out[i] = v.copy()
        elif variables:
            root = v
            while isinstance(root.base, np.ndarray):
                root = root.base
            if var_ids is None:
                var_ids = {id(a) for a in variables.values()}
            if id(root) in var_ids:
                out[i] = v.copy()
    return tuple(out)


class BaseSession:
    """Shared machinery of Session and InteractiveSession."""

    def __init__(self, target: str = "", graph=None, config=None):
        if graph is None:
            graph = ops.get_default_graph()
        if not isinstance(graph, ops.Graph):
            raise TypeError(f"graph must be a tf.Graph, but got {type(graph)}")
        self._graph = graph
        self._target = target if isinstance(target, str) else str(target)
        self._config = config
        self._runtime = Runtime(graph)
        self._cache: dict = {}
        self._closed = False
        self._default_session_ctx = None
        self._default_graph_ctx = None

    # --- properties -------------------------------------------------------------------
    @property
    def graph(self):
        return self._graph

    @property
    def graph_def(self):
        return self._graph.as_graph_def()

    @property
    def sess_str(self) -> str:
        return self._target

    def list_devices(self):
        return [_DeviceAttributes("/job:localhost/replica:0/task:0/device:CPU:0", "CPU")]

    # --- run --------------------------------------------------------------------------
    def run(self, fetches, feed_dict=None, options=None, run_metadata=None):
        """Compute ``fetches`` (any nesting of tensors, ops, names) with ``feed_dict`` fed."""
        if self._closed:
            raise RuntimeError("Attempted to use a closed Session.")
        key = (_fetch_key(fetches), tuple(feed_dict) if feed_dict else ())
        try:
            compiled = self._cache.get(key)
        except TypeError:  # an unhashable fetch or feed key: compile without caching
            compiled, key = None, None
        if compiled is None:
            compiled = self._compile(fetches, feed_dict)
            if key is not None:
                self._cache[key] = compiled
        if compiled.expand_sparse:
            feed_dict = _expand_sparse_feeds(feed_dict)
        return compiled(feed_dict.values() if feed_dict else ())

    def _compile(self, fetches, feed_dict) -> "_CompiledRun":
        mapper = _FetchMapper(self._graph, fetches)
        expand = bool(feed_dict) and any(getattr(k, "_is_sparse_tensor", False) for k in feed_dict)
        if expand:
            feed_dict = _expand_sparse_feeds(feed_dict)
        feed_tensors = []
        for k in feed_dict or ():
            try:
                t = self._graph.as_graph_element(k, allow_tensor=True, allow_operation=False)
            except (ValueError, KeyError, TypeError) as e:
                raise TypeError(f"Cannot interpret feed_dict key as Tensor: {e}") from None
            if not self._graph.is_feedable(t):
                raise ValueError(f"Tensor {t} may not be fed.")
            feed_tensors.append(t)
        return _CompiledRun(self, mapper, feed_tensors, expand)

    def make_callable(self, fetches, feed_list=None, accept_options: bool = False):
        """A function ``f(*feed_values)`` equivalent to ``run(fetches, dict(zip(feed_list, ..)))``."""
        feed_list = list(feed_list or [])
        compiled = self._compile(fetches, dict.fromkeys(feed_list) if feed_list else None)

        def call(*args, **kwargs):
            if len(args) != len(feed_list):
                raise TypeError(f"callable takes {len(feed_list)} feed values, got {len(args)}")
            return compiled(args)
        return call

    def partial_run_setup(self, fetches, feeds=None):
        raise errors.UnimplementedError(None, None, "partial_run is not supported by tensorweave")

    # --- lifecycle ----------------------------------------------------------------------
    def close(self) -> None:
        """Release the runtime (variable values); the session cannot run afterwards."""
        if not self._closed:
            self._closed = True
            for r in self._runtime.resources.values():
                closer = getattr(r, "close", None)
                if callable(closer):
                    try:
                        closer()
                    except Exception:  # noqa: BLE001 - closing must not raise
                        pass
            self._runtime.variables.clear()
            self._cache.clear()

    def as_default(self):
        """``with sess.as_default():`` make this the default session (not closed on exit)."""
        return ops.default_session(self)

    def __enter__(self):
        self._default_graph_ctx = self._graph.as_default()
        self._default_graph_ctx.__enter__()
        self._default_session_ctx = ops.default_session(self)
        self._default_session_ctx.__enter__()
        return self

    def __exit__(self, exc_type, exc, tb):
        self._default_session_ctx.__exit__(exc_type, exc, tb)
        self._default_graph_ctx.__exit__(exc_type, exc, tb)
        self.close()
        return False

    def __del__(self):
        try:
            self.close()
        except Exception:  # noqa: BLE001
            pass


class _DeviceAttributes:
    def __init__(self, name, device_type):
        self.name = name
        self.device_type = device_type
        self.memory_limit_bytes = 0

    def __repr__(self):
        return f"_DeviceAttributes({self.name}, {self.device_type}, {self.memory_limit_bytes})"


class Session(BaseSession):
    """A TF1 session: ``Session(target='', graph=None, config=None)``."""


class InteractiveSession(BaseSession):
    """A session that installs itself as the default session on construction."""

    def __init__(self, target: str = "", graph=None, config=None):
        super().__init__(target, graph, config)
        self._default_session_ctx = ops.default_session(self)
        self._default_session_ctx.__enter__()
        self._default_graph_ctx = self._graph.as_default()
        self._default_graph_ctx.__enter__()

    def close(self) -> None:
        if not self._closed and self._default_session_ctx is not None:
            try:
                self._default_graph_ctx.__exit__(None, None, None)
                self._default_session_ctx.__exit__(None, None, None)
            except (IndexError, AssertionError):
                pass
        super().close()
