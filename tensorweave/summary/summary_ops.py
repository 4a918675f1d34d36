"""TF1 summary ops: each evaluates to a serialized ``Summary`` protobuf (a scalar string).

Ops are named after their summary (made unique like any op name) and added to the
``tf.GraphKeys.SUMMARIES`` collection; ``merge_all()`` merges that collection.

Usage::

    tf.summary.scalar("loss", loss)
    tf.summary.histogram("weights", w)
    merged = tf.summary.merge_all()
    writer.add_summary(sess.run(merged, feed), step)
"""
from __future__ import annotations

from typing import Optional, Sequence

from ..eager import context
from ..framework import dtypes, ops
from ..framework.ops import GraphKeys, apply_op, convert_to_tensor
from ..framework.registry import NotDifferentiable, define_op
from ..core.framework.summary_pb2 import SummaryMetadata
from ..framework.tensor_shape import TensorShape
from ..kernels import summary_kernels as k
from ..ops.constant_op import constant
from .summary_scope import collect, summary_scope

__all__ = ["scalar", "histogram", "image", "audio", "text", "tensor_summary", "merge",
           "merge_all"]

_FLOATS = (dtypes.float16, dtypes.float32, dtypes.float64)
_IMAGE_DTYPES = (dtypes.uint8,) + _FLOATS


def _string_scalar(inputs, attrs):
    return [(dtypes.string, TensorShape([]))]


def _image_rule(inputs, attrs):
    image = inputs[1]
    if image.dtype.base_dtype not in _IMAGE_DTYPES:
        raise TypeError(f"ImageSummary needs uint8, float16, float32 or float64 images, got "
                        f"{image.dtype.name}")
    shape = image.shape
    if shape.ndims is not None and (shape.ndims != 4 or shape[3].value not in (None, 1, 3, 4)):
        raise ValueError(f"Tensor must be 4-D with last dim 1, 3, or 4, not {shape}")
    return _string_scalar(inputs, attrs)


def _audio_rule(inputs, attrs):
    ndims = inputs[1].shape.ndims
    if ndims is not None and ndims not in (2, 3):
        raise ValueError(f"Tensor must be 2-D or 3-D, not {inputs[1].shape}")
    return _string_scalar(inputs, attrs)


for _type, _kernel, _rule in [("ScalarSummary", k.scalar_summary, _string_scalar),
                              ("HistogramSummary", k.histogram_summary, _string_scalar),
                              ("ImageSummary", k.image_summary, _image_rule),
                              ("AudioSummaryV2", k.audio_summary, _audio_rule),
                              ("TensorSummaryV2", k.tensor_summary, _string_scalar),
                              ("MergeSummary", k.merge_summary, _string_scalar)]:
    define_op(_type, _kernel, _rule)
    NotDifferentiable(_type)


def scalar(name: str, tensor, collections: Optional[Sequence[str]] = None,
           family: Optional[str] = None):
    """A summary of one real number: ``tf.summary.scalar("loss", loss)``."""
    tensor = convert_to_tensor(tensor)
    if tensor.shape.ndims not in (None, 0):
        raise ValueError(f"Summary tensor {name!r} must be a scalar, got shape {tensor.shape}")
    with summary_scope(name, family, values=[tensor]) as (tag, scope):
        value = apply_op("ScalarSummary", [constant(tag, name="tags"), tensor], {}, name=scope)
    collect(value, collections, [GraphKeys.SUMMARIES])
    return value


def histogram(name: str, values, collections: Optional[Sequence[str]] = None,
              family: Optional[str] = None):
    """A histogram of all elements of ``values`` over TensorFlow's default buckets."""
    values = convert_to_tensor(values)
    with summary_scope(name, family, values=[values]) as (tag, scope):
        value = apply_op("HistogramSummary", [constant(tag, name="tag"), values], {},
                         name=scope)
    collect(value, collections, [GraphKeys.SUMMARIES])
    return value


def image(name: str, tensor, max_outputs: int = 3,
          collections: Optional[Sequence[str]] = None, family: Optional[str] = None):
    """PNG images of the first ``max_outputs`` entries of a ``[batch, h, w, 1|3|4]`` tensor.

    uint8 images are stored as they are; float images are scaled per image (non-negative:
    max -> 255; with negatives: largest magnitude -> 127 around 128). Tags are
    ``name/image/0``, ``name/image/1`` ... (``name/image`` when ``max_outputs`` is 1).
    """
    tensor = convert_to_tensor(tensor)
    with summary_scope(name, family, values=[tensor]) as (tag, scope):
        value = apply_op("ImageSummary", [constant(tag, name="tag"), tensor],
                         {"max_images": int(max_outputs), "bad_color": [255, 0, 0, 255]},
                         name=scope)
    collect(value, collections, [GraphKeys.SUMMARIES])
    return value


def audio(name: str, tensor, sample_rate, max_outputs: int = 3,
          collections: Optional[Sequence[str]] = None, family: Optional[str] = None):
    """WAV clips of the first ``max_outputs`` entries of a float ``[batch, frames(, channels)]``
    tensor with values in [-1, 1]; tags ``name/audio/0`` ... (``name/audio`` for one)."""
    tensor = convert_to_tensor(tensor, dtype=dtypes.float32)
    with summary_scope(name, family, values=[tensor]) as (tag, scope):
        rate = convert_to_tensor(sample_rate, dtype=dtypes.float32, name="sample_rate")
        value = apply_op("AudioSummaryV2", [constant(tag, name="tag"), tensor, rate],
                         {"max_outputs": int(max_outputs)}, name=scope)
    collect(value, collections, [GraphKeys.SUMMARIES])
    return value


def tensor_summary(name: str, tensor, summary_description: Optional[str] = None,
                   collections: Optional[Sequence[str]] = None, summary_metadata=None,
                   family: Optional[str] = None, display_name: Optional[str] = None):
    """A summary holding the whole ``tensor`` (a TensorProto) with ``summary_metadata`` (a
    ``SummaryMetadata``; its plugin name tells TensorBoard how to show it)."""
    tensor = convert_to_tensor(tensor)
    metadata = SummaryMetadata()
    if summary_metadata is not None:
        metadata.CopyFrom(summary_metadata)
    if summary_description is not None:
        metadata.summary_description = summary_description
    if display_name is not None:
        metadata.display_name = display_name
    with summary_scope(name, family, values=[tensor]) as (tag, scope):
        value = apply_op("TensorSummaryV2", [
            constant(tag, name="tag"), tensor,
            constant(metadata.SerializeToString(), name="serialized_summary_metadata")],
            {}, name=scope)
    collect(value, collections, [GraphKeys.SUMMARIES])
    return value


def text(name: str, tensor, collections: Optional[Sequence[str]] = None):
    """A string tensor for TensorBoard's Text page (markdown)."""
    tensor = convert_to_tensor(tensor)
    if tensor.dtype.base_dtype != dtypes.string:
        raise ValueError(f"Expected tensor {name!r} to have dtype string, got "
                         f"{tensor.dtype.name}")
    metadata = SummaryMetadata(plugin_data=SummaryMetadata.PluginData(plugin_name="text"))
    return tensor_summary(name, tensor, collections=collections, summary_metadata=metadata)


def merge(inputs, collections: Optional[Sequence[str]] = None, name: Optional[str] = None):
    """One summary holding the values of all ``inputs`` (serialized summaries; tags must
    differ)."""
    if context.executing_eagerly():
        raise RuntimeError("Merging tf.summary.* ops is not compatible with eager execution. "
                           "Use tf.contrib.summary instead.")
    inputs = [convert_to_tensor(s) for s in inputs]
    with ops.name_scope(name, "Merge", inputs):
        value = apply_op("MergeSummary", inputs, {"N": len(inputs)}, name=name or "MergeSummary")
    collect(value, collections, [])
    return value


def merge_all(key: str = GraphKeys.SUMMARIES, scope: Optional[str] = None,
              name: Optional[str] = None):
    """``merge`` of every summary in collection ``key`` (matching ``scope``); None if empty."""
    if context.executing_eagerly():
        raise RuntimeError("Merging tf.summary.* ops is not compatible with eager execution. "
                           "Use tf.contrib.summary instead.")
    summaries = ops.get_collection(key, scope=scope)
    return merge(summaries, name=name) if summaries else None
