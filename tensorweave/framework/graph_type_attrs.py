"""TensorFlow's type and count attrs of a NodeDef (``T``, ``Tidx``, ``SrcT``, ``N`` ...), which
tensorweave's ops do not store because their inputs already carry the dtypes.

Most TF ops with data inputs have ``T`` = the dtype of input 0; ``_RULES`` lists the op types
that differ. A rule maps an attr name to where its value comes from: an input index (its
dtype), ``"out"`` (output 0's dtype), ``"out_shape"`` (output 0's static shape), ``"N"`` (the
number of inputs) or ``"N-1"``.

Usage::

    type_attrs(op)   # {'T': tf.float32, 'Tidx': tf.int32} for a Sum op
"""
from __future__ import annotations

__all__ = ["type_attrs", "type_attr_names"]

_REDUCE = {"T": 0, "Tidx": 1}
_INDEXED = {"T": 0, "Index": 1}
_RULES: dict[str, dict] = {
    **{t: _REDUCE for t in ("Sum", "Mean", "Prod", "Max", "Min", "ArgMax", "ArgMin", "Cumsum",
                            "Cumprod", "BroadcastTo")},
    **{t: {"Tidx": 1} for t in ("All", "Any")},
    "Cast": {"SrcT": 0},
    **{t: {} for t in ("LogicalAnd", "LogicalOr", "LogicalNot",
                       "IsVariableInitialized", "DecodeRaw", "ParseExample", "ParseExampleV2",
                       "ParseSingleExample", "SaveV2", "RestoreV2", "MergeV2Checkpoints")},
    **{t: {"T": 1} for t in ("ScalarSummary", "HistogramSummary", "ImageSummary", "Select",
                             "SelectV2")},
    **{t: {"T": 0, "out_type": "out"} for t in ("Shape", "Size")},
    "Reshape": {"T": 0, "Tshape": 1},
    "PlaceholderWithDefault": {"dtype": 0, "shape": "out_shape"},
    "Fill": {"T": "out", "index_type": 0},
    "Range": {"Tidx": "out"},
    "OneHot": {"T": "out", "TI": 0},
    "ExpandDims": {"T": 0, "Tdim": 1},
    "Tile": {"T": 0, "Tmultiples": 1},
    "Transpose": {"T": 0, "Tperm": 1},
    "Pad": {"T": 0, "Tpaddings": 1},
    "PadV2": {"T": 0, "Tpaddings": 1},
    "MirrorPad": {"T": 0, "Tpaddings": 1},
    "Slice": _INDEXED,
    "StridedSlice": _INDEXED,
    "StridedSliceGrad": {"T": 4, "Index": 0},
    "GatherV2": {"Tparams": 0, "Tindices": 1, "Taxis": 2},
    "Gather": {"Tparams": 0, "Tindices": 1},
    "GatherNd": {"Tparams": 0, "Tindices": 1},
    "ScatterNd": {"T": 1, "Tindices": 0},
    "UnsortedSegmentSum": {"T": 0, "Tindices": 1, "Tnumsegments": 2},
    "SparseSoftmaxCrossEntropyWithLogits": {"T": 0, "Tlabels": 1},
    "ConcatV2": {"T": 0, "Tidx": -1, "N": "N-1"},
    "Pack": {"T": 0, "N": "N"},
    "AddN": {"T": 0, "N": "N"},
    "Merge": {"T": 0, "N": "N"},
    "MergeSummary": {"N": "N"},
    "StringJoin": {"N": "N"},
    "Split": {"T": 1},
    "SplitV": {"T": 0, "Tlen": 1},
    "Where": {"T": 0},
    "RandomUniform": {"T": 0},
    "RandomStandardNormal": {"T": 0},
    "TruncatedNormal": {"T": 0},
    "RandomUniformInt": {"T": 1, "Tout": "out"},
}


def type_attrs(op) -> dict:
    """TF's type/count attrs of ``op`` that its own attrs do not already hold."""
    inputs = op.inputs
    rule = _RULES.get(op.type, {"T": 0} if inputs else {})
    out = {}
    for name, source in rule.items():
        if name in op._attrs:
            continue
        if source == "N":
            out[name] = len(inputs)
        elif source == "N-1":
            out[name] = len(inputs) - 1
        elif source == "out":
            out[name] = op.outputs[0].dtype.base_dtype
        elif source == "out_shape":
            out[name] = op.outputs[0].shape
        elif -len(inputs) <= source < len(inputs):
            out[name] = inputs[source].dtype.base_dtype
    return out


def type_attr_names(op_type: str) -> set:
    """The names of the type/count attrs TF's NodeDefs of ``op_type`` may carry."""
    return set(_RULES.get(op_type, {"T": 0}))
