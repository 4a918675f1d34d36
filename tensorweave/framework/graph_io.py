"""GraphDef export and import: TensorFlow's wire format for graphs (TensorBoard's Graphs tab,
``tf.train.write_graph``, ``tf.import_graph_def``).

Usage::

    graph_def = tf.get_default_graph().as_graph_def()
    tf.train.write_graph(graph_def, "logs", "graph.pbtxt")
    with tf.Graph().as_default():
        y, = tf.import_graph_def(graph_def, input_map={"x:0": x2}, return_elements=["y:0"])

Op attrs export under their own names (tensorweave's ops use TF's attr names: ``dtype``,
``value``, ``shape``, ``transpose_a``, ``strides`` ...), plus TF's type attrs (``T``, ``Tidx`` ...,
see ``graph_type_attrs``). Branch and body functions of control-flow ops export as ``func`` attrs
naming the function, without a function library (so such graphs display in TensorBoard but do
not import). Attrs holding Python objects without a GraphDef form (datasets, callables) and
private attrs (``_``-prefixed) are left out of the export.
"""
from __future__ import annotations

import inspect
import os
from typing import Optional

import numpy as np

from ..core.framework import graph_pb2
from . import dtypes, ops
from .graph_type_attrs import type_attr_names, type_attrs
from .registry import get_op_def
from .tensor_shape import TensorShape
from .tensor_util import make_ndarray, make_tensor_proto, shape_from_proto, shape_proto

__all__ = ["graph_to_graph_def", "node_def_of", "import_graph_def", "write_graph"]

GRAPH_DEF_VERSION = 27          # producer version written, as TF 1.x graphs carry
GRAPH_DEF_VERSION_MIN_CONSUMER = 0


# ---- attrs <-> protos --------------------------------------------------------------------
def _attr_proto(value) -> Optional["graph_pb2.AttrValue"]:
    """An AttrValue for a Python attr value, or None when it has no GraphDef form."""
    from ..ops.functional_ops import Function
    A = graph_pb2.AttrValue
    if isinstance(value, Function):
        return A(func=graph_pb2.NameAttrList(name=value.name))
    if isinstance(value, dtypes.DType):
        return A(type=value.as_datatype_enum)
    if isinstance(value, TensorShape):
        return A(shape=shape_proto(value))
    if isinstance(value, np.ndarray):
        return A(tensor=make_tensor_proto(value))
    if isinstance(value, (bool, np.bool_)):
        return A(b=bool(value))
    if isinstance(value, (int, np.integer)):
        return A(i=int(value))
    if isinstance(value, (float, np.floating)):
        return A(f=float(value))
    if isinstance(value, str):
        return A(s=value.encode())
    if isinstance(value, bytes):
        return A(s=value)
    if isinstance(value, (list, tuple)):
        items = list(value)
        lst = A.ListValue()
        if all(isinstance(v, dtypes.DType) for v in items):
            lst.type.extend(v.as_datatype_enum for v in items)
        elif all(isinstance(v, (bool, np.bool_)) for v in items):
            lst.b.extend(bool(v) for v in items)
        elif all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in items):
            lst.i.extend(int(v) for v in items)
        elif all(isinstance(v, (int, float, np.integer, np.floating)) for v in items):
            lst.f.extend(float(v) for v in items)
        elif all(isinstance(v, (str, bytes)) for v in items):
            lst.s.extend(v.encode() if isinstance(v, str) else v for v in items)
        elif all(isinstance(v, TensorShape) for v in items):
            lst.shape.extend(shape_proto(v) for v in items)
        else:
            return None
        return A(list=lst)
    return None


def _attr_value(proto):
    """The Python value of an AttrValue (the inverse of ``_attr_proto``)."""
    kind = proto.WhichOneof("value")
    if kind == "type":
        return dtypes.as_dtype(proto.type)
    if kind == "shape":
        return shape_from_proto(proto.shape)
    if kind == "tensor":
        return make_ndarray(proto.tensor)
    if kind == "s":
        return _text_or_bytes(proto.s)
    if kind in ("i", "f", "b"):
        return getattr(proto, kind)
    if kind == "list":
        lst = proto.list
        if lst.type:
            return [dtypes.as_dtype(t) for t in lst.type]
        if lst.shape:
            return [shape_from_proto(s) for s in lst.shape]
        for field in ("i", "f", "b"):
            if getattr(lst, field):
                return list(getattr(lst, field))
        return [_text_or_bytes(s) for s in lst.s]
    return None


def _text_or_bytes(data: bytes):
    try:
        return data.decode()
    except UnicodeDecodeError:
        return data


# ---- export ------------------------------------------------------------------------------
def _input_name(t) -> str:
    return t.op.name if t.value_index == 0 else f"{t.op.name}:{t.value_index}"


def node_def_of(op, add_shapes: bool = False) -> "graph_pb2.NodeDef":
    """The NodeDef of an Operation: TF op type, inputs (``^name`` for control inputs), device
    and the attrs that have a GraphDef form."""
    node = graph_pb2.NodeDef(name=op.name, op=op.type, device=op.device or "")
    node.input.extend(_input_name(t) for t in op.inputs)
    node.input.extend(sorted("^" + c.name for c in op.control_inputs))   # sorted, as TF writes
    for key, value in sorted({**type_attrs(op), **op._attrs}.items()):
        if key.startswith("_"):
            continue
        if key == "shared_name" and value == op.name:
            value = ""              # TF's default: a variable shares under its node's name
        proto = _attr_proto(value)
        if proto is not None:
            node.attr[key].CopyFrom(proto)
    if add_shapes:
        shapes = graph_pb2.AttrValue.ListValue(shape=[shape_proto(t.shape) for t in op.outputs])
        node.attr["_output_shapes"].CopyFrom(graph_pb2.AttrValue(list=shapes))
    return node


def graph_to_graph_def(graph, add_shapes: bool = False) -> "graph_pb2.GraphDef":
    """``graph.as_graph_def()``: every op, in creation order."""
    graph_def = graph_pb2.GraphDef(versions=graph_pb2.VersionDef(
        producer=GRAPH_DEF_VERSION, min_consumer=GRAPH_DEF_VERSION_MIN_CONSUMER))
    graph_def.node.extend(node_def_of(op, add_shapes) for op in graph.get_operations())
    return graph_def


def write_graph(graph_or_graph_def, logdir: str, name: str, as_text: bool = True) -> str:
    """Write a graph (or GraphDef) to ``logdir/name``, as text or binary; returns the path."""
    from google.protobuf import text_format
    graph_def = graph_or_graph_def
    if isinstance(graph_def, ops.Graph):
        graph_def = graph_def.as_graph_def()
    os.makedirs(logdir, exist_ok=True)
    path = os.path.join(logdir, name)
    data = text_format.MessageToString(graph_def).encode() if as_text else \
        graph_def.SerializeToString()
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)
    return path


# ---- import ------------------------------------------------------------------------------
def _kernel_attr_names(opdef):
    """The attr names ``opdef``'s kernel takes (None: any)."""
    try:
        params = inspect.signature(opdef.kernel).parameters.values()
    except (TypeError, ValueError):
        return None
    if any(p.kind is p.VAR_KEYWORD for p in params):
        return None
    return {p.name for p in params}


def _split_input(name: str):
    if name.startswith("^"):
        return name[1:], None
    op_name, _, index = name.partition(":")
    return op_name, int(index) if index else 0


def _ordered(nodes) -> list:
    """GraphDef nodes with every node after the nodes it reads (iterative depth-first search,
    so long chains need no deep recursion)."""
    by_name = {n.name: n for n in nodes}
    out, done, active = [], set(), set()
    for root in nodes:
        if root.name in done:
            continue
        stack = [(root, iter(root.input))]
        active.add(root.name)
        while stack:
            node, pending = stack[-1]
            for inp in pending:
                src = by_name.get(_split_input(inp)[0])
                if src is None or src.name in done:
                    continue
                if src.name in active:
                    raise ValueError(f"GraphDef has a cycle through node '{src.name}'")
                active.add(src.name)
                stack.append((src, iter(src.input)))
                break
            else:
                stack.pop()
                active.discard(node.name)
                done.add(node.name)
                out.append(node)
    return out


def _check_names(graph_def, input_map: dict, return_elements) -> None:
    """TF's ValueErrors for inputs that name no node, and for input_map keys and
    return_elements that are not in ``graph_def``."""
    nodes = {n.name: n for n in graph_def.node}
    for node in graph_def.node:
        for inp in node.input:
            src, index = _split_input(inp)
            if src not in nodes and ("^" + src if index is None else f"{src}:{index}") \
                    not in input_map:
                raise ValueError(f"Node '{node.name}': Unknown input node '{inp}'")
    unused = sorted(k for k in input_map if k.lstrip("^").split(":")[0] not in nodes)
    if unused:
        raise ValueError(f"Attempted to map inputs that were not found in graph_def: {unused}")
    for element in return_elements or ():
        if element.split(":")[0] not in nodes:
            raise ValueError(f"Requested return_element '{element}' not found in graph_def.")


def import_graph_def(graph_def, input_map=None, return_elements=None, name=None,
                     op_dict=None, producer_op_list=None):
    """Add the nodes of ``graph_def`` to the default graph under the scope ``name`` (default
    ``'import'``); ``input_map`` replaces tensors by name (``"x:0"``, or ``"^x"`` for control
    inputs); returns ``return_elements``."""
    if isinstance(graph_def, bytes):
        graph_def = graph_pb2.GraphDef.FromString(graph_def)
    graph = ops.get_default_graph()
    input_map = {(k if ":" in k or k.startswith("^") else k + ":0"): v
                 for k, v in (input_map or {}).items()}
    _check_names(graph_def, input_map, return_elements)
    prefix = "import" if name is None else name
    created: dict = {}
    with ops.name_scope(prefix) as scope:
        scope = scope or ""
        for node in _ordered(list(graph_def.node)):
            try:
                opdef = get_op_def(node.op)
            except KeyError:
                raise ValueError(f"NodeDef '{node.name}' uses op '{node.op}', which tensorweave "
                                 f"does not have") from None
            accepted = _kernel_attr_names(opdef)
            functions = [k for k, v in node.attr.items() if v.WhichOneof("value") == "func"]
            if functions:
                raise ValueError(f"NodeDef '{node.name}' ({node.op}) has function attrs "
                                 f"{functions}: importing functions (cond/while branches) is not "
                                 f"supported")
            skipped = type_attr_names(node.op) if accepted is None else set()
            attrs = {k: _attr_value(v) for k, v in node.attr.items()
                     if not k.startswith("_") and k not in skipped and
                     (accepted is None or k in accepted)}
            inputs, controls = [], []
            for inp in node.input:
                src, index = _split_input(inp)
                if index is None:
                    mapped = input_map.get("^" + src)
                    controls.append(mapped.op if ops.is_tensor(mapped) else
                                    mapped if mapped is not None else created[src])
                    continue
                key = f"{src}:{index}"
                inputs.append(input_map[key] if key in input_map else
                              created[src].outputs[index])
            op = graph._create_op(opdef, inputs, attrs, scope + node.name + "/")
            if attrs.get("shared_name") == "":
                op._attrs["shared_name"] = op.name
            if controls:
                op._add_control_inputs(controls)
            if node.device:
                op._set_device(node.device)
            created[node.name] = op
    if return_elements is None:
        return None
    out = []
    for element in return_elements:
        src, _, index = element.partition(":")
        op = created[src]
        out.append(op.outputs[int(index)] if index else op)
    return out
