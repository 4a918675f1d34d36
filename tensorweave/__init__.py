"""tensorweave: TensorFlow 1.x re-made in Python on NumPy.

Usage::

    import tensorweave as tf
    x = tf.placeholder(tf.float32, [None, 2])
    y = tf.reduce_sum(x * 2.0)
    with tf.Session() as sess:
        print(sess.run(y, {x: [[1., 2.]]}))   # 6.0
"""
from __future__ import annotations

from .util import allocator as _allocator

_allocator.tune()  # reuse freed buffers instead of page-faulting fresh ones every step

__version__ = "0.1.0"

# --- framework --------------------------------------------------------------------------------
from .framework.dtypes import (DType, as_dtype, float16, half, float32, float64, double, bfloat16,  # noqa: F401
                               int8, int16, int32, int64, uint8, uint16, uint32, uint64, bool,
                               string, complex64, complex128, resource, variant, qint8, quint8,
                               qint32)
from .framework.tensor_shape import TensorShape, Dimension, dimension_value  # noqa: F401
from .framework.ops import (Graph, Operation, Tensor, GraphKeys, get_default_graph,  # noqa: F401
                            reset_default_graph, name_scope, op_scope, control_dependencies,
                            device, colocate_with, convert_to_tensor, add_to_collection,
                            add_to_collections, get_collection, get_collection_ref,
                            register_tensor_conversion_function, get_default_session, is_tensor)
from .framework.ops import convert_to_tensor as convert_to_tensor_or_indexed_slices  # noqa: F401
from .framework.device import DeviceSpec  # noqa: F401
from .framework.registry import RegisterGradient, NotDifferentiable, no_gradient  # noqa: F401
from .framework.sparse_tensor import SparseTensor, SparseTensorValue  # noqa: F401
from .framework.tensor_util import constant_value as get_static_value  # noqa: F401
from . import errors  # noqa: F401

# --- eager ------------------------------------------------------------------------------------
from .eager.context import (executing_eagerly, enable_eager_execution,  # noqa: F401
                            disable_eager_execution, enable_v2_behavior, disable_v2_behavior)
from .eager.tape import GradientTape  # noqa: F401

# --- ops --------------------------------------------------------------------------------------
from .ops.constant_op import *  # noqa: F401,F403
from .ops.math_ops import *  # noqa: F401,F403
from .ops.clip_ops import *  # noqa: F401,F403
from .ops.linalg_ops import *  # noqa: F401,F403
from .ops.array_ops import *  # noqa: F401,F403
from .ops.control_flow_ops import *  # noqa: F401,F403
from .ops.check_ops import *  # noqa: F401,F403
from .ops.scan_ops import map_fn, foldl, foldr, scan  # noqa: F401
from .ops.logging_ops import Print, print_v2 as print  # noqa: F401,A001
from .ops.script_ops import py_func, numpy_function, py_function, eager_py_func  # noqa: F401
from .ops.sparse_ops import (sparse_tensor_to_dense, sparse_to_dense,  # noqa: F401
                             sparse_tensor_dense_matmul, sparse_placeholder, sparse_reorder,
                             sparse_add, sparse_reduce_sum, sparse_retain)
from .ops import tensor_operators as _tensor_operators  # noqa: F401
from .ops.gradients_impl import gradients, hessians  # noqa: F401
from .gradients import math_grad as _math_grad  # noqa: F401
from .gradients import array_grad as _array_grad  # noqa: F401
from .gradients import control_flow_grad as _control_flow_grad  # noqa: F401
from .gradients import sparse_grad as _sparse_grad  # noqa: F401
from .ops.state_ops import assign, assign_add, assign_sub, is_variable_initialized  # noqa: F401
from .ops.variables import *  # noqa: F401,F403
from .ops.variables import Variable as _Variable
from .ops.variable_scope import (VariableScope, variable_scope, variable_op_scope,  # noqa: F401
                                 get_variable, get_local_variable, get_variable_scope,
                                 AUTO_REUSE, make_template, no_regularizer)
from .ops.partitioned_variables import (fixed_size_partitioner,  # noqa: F401
                                        variable_axis_size_partitioner,
                                        min_max_variable_partitioner)
from .ops.init_ops import (zeros_initializer, ones_initializer, constant_initializer,  # noqa: F401
                           random_uniform_initializer, random_normal_initializer,
                           truncated_normal_initializer, uniform_unit_scaling_initializer,
                           variance_scaling_initializer, orthogonal_initializer,
                           glorot_uniform_initializer, glorot_normal_initializer)
from . import initializers  # noqa: F401,E402
from .ops.random_ops import (random_uniform, random_normal, truncated_normal,  # noqa: F401
                             random_shuffle, random_crop, multinomial, set_random_seed,
                             get_seed)
from . import nn, random  # noqa: F401,E402
from . import losses  # noqa: F401,E402
from . import sparse, debugging  # noqa: F401,E402

# --- client -----------------------------------------------------------------------------------
from .client.session import Session, InteractiveSession  # noqa: F401
from .client.config import (ConfigProto, GPUOptions, GraphOptions, OptimizerOptions,  # noqa: F401
                            RunOptions, RunMetadata)

# --- namespaces -------------------------------------------------------------------------------
from . import train  # noqa: F401,E402
from . import logging, compat  # noqa: F401,E402

_Variable._overload_operators()

from .ops import bitwise_ops as bitwise  # noqa: F401,E402
from . import math, linalg  # noqa: F401,E402

# --- loaded on first use (file formats, tf.data, layers: protobuf, crc32c ...) ----------------
from .util.lazy import lazy_attributes  # noqa: E402

_PARSING = ("parse_example", "parse_single_example", "FixedLenFeature", "VarLenFeature",
            "FixedLenSequenceFeature", "decode_raw", "parse_single_sequence_example",
            "SparseFeature")
__getattr__, __dir__ = lazy_attributes(__name__, globals(), {
    **{m: ("." + m, None) for m in ("data", "contrib", "python_io", "io", "gfile", "layers",
                                    "keras")},
    **{n: (".ops.parsing_ops", n) for n in _PARSING},
    **{n: (".ops.io_ops", n) for n in ("read_file", "write_file")},
    **{n: (".data.structure", n) for n in ("TensorSpec", "SparseTensorSpec")},
    "summary": (".summary", None),
    **{n: (".core.framework.summary_pb2", n) for n in ("Summary", "SummaryMetadata",
                                                        "HistogramProto")},
    **{n: (".core.util.event_pb2", n) for n in ("Event", "SessionLog", "LogMessage")},
    **{n: (".core.framework.graph_pb2", n) for n in ("GraphDef", "NodeDef", "AttrValue",
                                                      "TensorProto", "TensorShapeProto")},
    "import_graph_def": (".framework.graph_io", "import_graph_def"),
    "function": (".eager.function", "function"),
    "MetaGraphDef": (".core.protobuf.meta_graph_pb2", "MetaGraphDef"),
    **{n: (".framework.tensor_util", n) for n in ("make_tensor_proto", "make_ndarray")},
})
