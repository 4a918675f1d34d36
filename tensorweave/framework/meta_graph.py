"""Meta graphs: a GraphDef with its Saver's names and the graph's collections
(``tf.train.export_meta_graph`` / ``tf.train.import_meta_graph``, TensorFlow's ``.meta`` files).

Usage::

    tf.train.export_meta_graph("model.meta", saver_def=saver.as_saver_def())
    with tf.Graph().as_default():
        saver = tf.train.import_meta_graph("model.meta")
        with tf.Session() as sess:
            saver.restore(sess, "model.ckpt")
            sess.run(tf.get_collection("train_op"))

Collections of ops and tensors are written as node lists, of strings/ints/floats as bytes/int64/
float lists. Collections of variables (TF writes them as ``VariableDef`` protos) and of other
Python objects are left out, so an imported graph has no ``tf.global_variables()``: restore values
through the returned Saver.
"""
from __future__ import annotations

import os
from typing import Optional

from . import ops
from .graph_io import import_graph_def, write_graph

__all__ = ["export_meta_graph", "import_meta_graph"]

META_GRAPH_VERSION = "v1.15.0"      # the TF 1.x release whose meta graphs these files resemble
# collections TF writes as serialized protos (VariableDef, SaverDef, QueueRunnerDef, contexts):
# their bytes are not values of the collection here
_PROTO_COLLECTIONS = {"variables", "trainable_variables", "local_variables", "model_variables",
                      "moving_average_variables", "metric_variables", "global_step", "savers",
                      "queue_runners", "cond_context", "while_context", "concatenated_variables",
                      "trainable_resource_variables", "resources", "local_resources"}


def _collection_def(items):
    """A CollectionDef for a collection's items, or None when they have no GraphDef form."""
    from ..core.protobuf.meta_graph_pb2 import CollectionDef
    if not items:
        return None
    if all(isinstance(v, (ops.Operation, ops.Tensor)) for v in items):
        return CollectionDef(node_list=CollectionDef.NodeList(value=[v.name for v in items]))
    if all(isinstance(v, (str, bytes)) for v in items):
        return CollectionDef(bytes_list=CollectionDef.BytesList(
            value=[v.encode() if isinstance(v, str) else v for v in items]))
    if all(isinstance(v, int) and not isinstance(v, bool) for v in items):
        return CollectionDef(int64_list=CollectionDef.Int64List(value=items))
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in items):
        return CollectionDef(float_list=CollectionDef.FloatList(value=items))
    return None


def _saver_def_proto(saver_def):
    """A SaverDef proto from a proto or tensorweave's ``train.saver.SaverDef``."""
    from ..core.protobuf.saver_pb2 import SaverDef
    if saver_def is None or isinstance(saver_def, SaverDef):
        return saver_def
    return SaverDef(filename_tensor_name=saver_def.filename_tensor_name,
                    save_tensor_name=saver_def.save_tensor_name,
                    restore_op_name=saver_def.restore_op_name,
                    max_to_keep=saver_def.max_to_keep, sharded=saver_def.sharded,
                    keep_checkpoint_every_n_hours=saver_def.keep_checkpoint_every_n_hours,
                    version=saver_def.version)


def export_meta_graph(filename: Optional[str] = None, meta_info_def=None, graph_def=None,
                      saver_def=None, collection_list=None, as_text: bool = False, graph=None,
                      clear_devices: bool = False, **unused):
    """The MetaGraphDef of ``graph`` (default graph): its GraphDef, ``saver_def`` and the
    collections named in ``collection_list`` (default: all); written to ``filename`` if given."""
    from ..core.protobuf.meta_graph_pb2 import MetaGraphDef
    graph = graph or ops.get_default_graph()
    meta = MetaGraphDef()
    if meta_info_def is not None:
        meta.meta_info_def.CopyFrom(meta_info_def)
    meta.meta_info_def.meta_graph_version = meta.meta_info_def.meta_graph_version or \
        META_GRAPH_VERSION
    meta.graph_def.CopyFrom(graph_def if graph_def is not None else graph.as_graph_def())
    if clear_devices:
        for node in meta.graph_def.node:
            node.device = ""
    saver_def = _saver_def_proto(saver_def)
    if saver_def is not None:
        meta.saver_def.CopyFrom(saver_def)
    keys = graph.get_all_collection_keys() if collection_list is None else collection_list
    for key in keys:
        collection = _collection_def(graph.get_collection(key))
        if collection is not None:
            meta.collection_def[key].CopyFrom(collection)
    if filename:
        write_graph(meta, os.path.dirname(filename) or ".", os.path.basename(filename),
                    as_text=as_text)
    return meta


def _read_meta_graph(meta_graph_or_file):
    from google.protobuf import text_format
    from ..core.protobuf.meta_graph_pb2 import MetaGraphDef
    if isinstance(meta_graph_or_file, MetaGraphDef):
        return meta_graph_or_file
    with open(meta_graph_or_file, "rb") as f:
        data = f.read()
    try:
        return MetaGraphDef.FromString(data)
    except Exception:  # noqa: BLE001 - not binary: TF falls back to text format the same way
        return text_format.Parse(data.decode(), MetaGraphDef())


def import_meta_graph(meta_graph_or_file, clear_devices: bool = False,
                      import_scope: Optional[str] = None, **unused):
    """Import a MetaGraphDef (or ``.meta`` file) into the default graph: its nodes under
    ``import_scope``, its node/bytes/int64/float collections; returns a Saver built from its
    SaverDef (None without one)."""
    from ..train.saver import Saver, SaverDef
    meta = _read_meta_graph(meta_graph_or_file)
    graph_def = meta.graph_def
    if clear_devices:
        graph_def = type(graph_def).FromString(graph_def.SerializeToString())
        for node in graph_def.node:
            node.device = ""
    import_graph_def(graph_def, name=import_scope or "")
    graph = ops.get_default_graph()
    prefix = import_scope + "/" if import_scope else ""
    for key, collection in sorted(meta.collection_def.items()):
        kind = collection.WhichOneof("kind")
        if key in _PROTO_COLLECTIONS:
            continue
        if kind == "node_list":
            values = [graph.as_graph_element(prefix + name) for name in collection.node_list.value]
        elif kind == "bytes_list":
            values = list(collection.bytes_list.value)
        elif kind in ("int64_list", "float_list"):
            values = list(getattr(collection, kind).value)
        else:
            continue
        for value in values:
            graph.add_to_collection(key, value)
    if not meta.HasField("saver_def"):
        return None
    d = meta.saver_def
    return Saver(saver_def=SaverDef(prefix + d.filename_tensor_name, prefix + d.save_tensor_name,
                                    prefix + d.restore_op_name, d.max_to_keep, d.sharded,
                                    d.keep_checkpoint_every_n_hours, d.version))
