"""Kernels of the TF1 summary ops: each returns a serialized ``Summary`` (a scalar string array).

- ``scalar_summary``: one ``simple_value`` per tag.
- ``histogram_summary``: TensorFlow's default buckets (edges 1e-12 * 1.1^k up to 1e20, mirrored
  negative, zero, +-DBL_MAX); runs of empty buckets collapse into one.
- ``image_summary``: PNG images; float images are scaled per image as TensorFlow does (non-negative
  images: max -> 255; others: largest magnitude -> 127 around 128), non-finite pixels get
  ``bad_color``.
- ``audio_summary``: 16-bit PCM WAV clips.
- ``tensor_summary``: the whole tensor as a TensorProto (numbers as raw ``tensor_content``,
  strings in ``string_val``) with the given plugin metadata (text summaries).
- ``merge_summary``: the values of several summaries (tags must differ).

Usage: ``scalar_summary(np.array("loss", object), np.float32(0.5))`` -> serialized Summary.
"""
from __future__ import annotations

import functools
import io
import sys
import wave

import numpy as np

from ..core.framework.summary_pb2 import HistogramProto, Summary, SummaryMetadata
from ..core.framework.tensor_pb2 import TensorProto
from ..framework.tensor_util import make_tensor_proto
from .png_encoder import encode_png

__all__ = ["default_bucket_limits", "histogram_proto", "scale_image", "encode_wav",
           "scalar_summary", "histogram_summary", "image_summary", "audio_summary",
           "tensor_summary", "merge_summary"]

_DBL_MAX = sys.float_info.max


def _serialized(summary) -> np.ndarray:
    out = np.empty((), dtype=object)
    out[()] = summary.SerializeToString()
    return out


def _text(value) -> str:
    value = value.item() if isinstance(value, np.ndarray) else value
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


# ---- scalars --------------------------------------------------------------------------------
def scalar_summary(tags, values, **_attrs) -> np.ndarray:
    tags, values = np.asarray(tags, dtype=object), np.asarray(values)
    if tags.shape != values.shape:
        raise ValueError(f"tags and values are not the same shape: {list(tags.shape)} != "
                         f"{list(values.shape)}")
    return _serialized(Summary(value=[
        Summary.Value(tag=_text(t), simple_value=float(v))
        for t, v in zip(tags.reshape(-1), values.reshape(-1))]))


# ---- histograms -----------------------------------------------------------------------------
@functools.lru_cache(maxsize=1)
def default_bucket_limits() -> np.ndarray:
    """TensorFlow's default histogram bucket right edges (float64, increasing)."""
    positive = []
    v = 1.0e-12
    while v < 1.0e20:
        positive.append(v)
        v *= 1.1
    positive.append(_DBL_MAX)
    pos = np.array(positive)
    return np.concatenate([-pos[::-1], [0.0], pos])


def histogram_proto(values: np.ndarray, tag: str = ""):
    """A ``HistogramProto`` of ``values`` (any shape, finite) over the default buckets."""
    v = np.asarray(values, dtype=np.float64).reshape(-1)
    if not np.all(np.isfinite(v)):
        raise ValueError(f"Nan in summary histogram for: {tag}")
    limits = default_bucket_limits()
    index = np.minimum(np.searchsorted(limits, v, side="right"), len(limits) - 1)
    counts = np.bincount(index, minlength=len(limits)).astype(np.float64)
    nonempty = counts > 0
    keep = nonempty | np.append(nonempty[1:], True)  # the last bucket of each empty run stays
    histo = HistogramProto(min=v.min() if v.size else _DBL_MAX,
                           max=v.max() if v.size else -_DBL_MAX, num=float(v.size),
                           sum=np.cumsum(v)[-1] if v.size else 0.0,
                           sum_squares=np.cumsum(v * v)[-1] if v.size else 0.0)
    histo.bucket_limit.extend(limits[keep].tolist())
    histo.bucket.extend(counts[keep].tolist())
    return histo


def histogram_summary(tag, values, **_attrs) -> np.ndarray:
    name = _text(tag)
    return _serialized(Summary(value=[Summary.Value(tag=name,
                                                    histo=histogram_proto(values, name))]))


# ---- images ---------------------------------------------------------------------------------
def scale_image(image: np.ndarray, bad_color: np.ndarray) -> np.ndarray:
    """A float ``[h, w, c]`` image as uint8, scaled as TensorFlow's image summary does."""
    finite = np.all(np.isfinite(image), axis=-1)
    good = image[finite]
    lo, hi = (float(good.min()), float(good.max())) if good.size else (np.inf, -np.inf)
    threshold = np.float32(1e-6)
    if lo < 0:
        top = np.float32(max(abs(lo), abs(hi)))
        scale, offset = (0.0 if top < threshold else np.float32(127.0) / top), 128.0
    else:
        scale, offset = (0.0 if hi < threshold else np.float32(255.0) / np.float32(hi)), 0.0
    dtype = image.dtype.type
    with np.errstate(invalid="ignore"):
        out = (image * dtype(np.float32(scale)) + dtype(offset)).astype(np.uint8)
    out[~finite] = bad_color[:image.shape[-1]]
    return out


def image_summary(tag, tensor, max_images=3, bad_color=None, **_attrs) -> np.ndarray:
    tensor = np.asarray(tensor)
    if tensor.ndim != 4 or tensor.shape[-1] not in (1, 3, 4):
        raise ValueError(f"Tensor must be 4-D with last dim 1, 3, or 4, not {list(tensor.shape)}")
    base = _text(tag)
    color = np.asarray([255, 0, 0, 255] if bad_color is None else bad_color, np.uint8)
    values = []
    for i in range(min(tensor.shape[0], max_images)):
        image = tensor[i] if tensor.dtype == np.uint8 else scale_image(tensor[i], color)
        height, width, channels = image.shape
        values.append(Summary.Value(
            tag=f"{base}/image/{i}" if max_images > 1 else f"{base}/image",
            image=Summary.Image(height=height, width=width, colorspace=channels,
                                encoded_image_string=encode_png(image))))
    return _serialized(Summary(value=values))


# ---- audio ----------------------------------------------------------------------------------
def encode_wav(clip: np.ndarray, sample_rate: int) -> bytes:
    """16-bit PCM WAV of float ``[frames, channels]`` samples in [-1, 1] (clipped beyond)."""
    scaled = np.asarray(clip, np.float32) * np.float32(32768.0)
    rounded = np.sign(scaled) * np.floor(np.abs(scaled) + np.float32(0.5))  # C's roundf
    samples = np.clip(rounded, -32768, 32767).astype("<i2")
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as w:
        w.setnchannels(clip.shape[1])
        w.setsampwidth(2)
        w.setframerate(sample_rate)
        w.writeframes(samples.tobytes())
    return buffer.getvalue()


def audio_summary(tag, tensor, sample_rate, max_outputs=3, **_attrs) -> np.ndarray:
    tensor = np.asarray(tensor)
    if tensor.ndim not in (2, 3):
        raise ValueError(f"Tensor must be 2-D or 3-D, got shape {list(tensor.shape)}")
    if tensor.ndim == 2:
        tensor = tensor[:, :, None]
    rate = float(np.asarray(sample_rate))
    if rate <= 0:
        raise ValueError(f"sample_rate must be > 0, got {rate}")
    base = _text(tag)
    values = []
    for i in range(min(tensor.shape[0], max_outputs)):
        values.append(Summary.Value(
            tag=f"{base}/audio/{i}" if max_outputs > 1 else f"{base}/audio",
            audio=Summary.Audio(sample_rate=rate, num_channels=tensor.shape[2],
                                length_frames=tensor.shape[1], content_type="audio/wav",
                                encoded_audio_string=encode_wav(tensor[i], int(rate)))))
    return _serialized(Summary(value=values))


# ---- tensors ---------------------------------------------------------------------------------
def _content_proto(array: np.ndarray):
    """``array`` as a TensorProto the way TensorFlow's summaries store tensors."""
    proto = make_tensor_proto(array)
    if array.dtype == object:
        return proto
    little = array.astype(array.dtype.newbyteorder("<"), copy=False)
    return TensorProto(dtype=proto.dtype, tensor_shape=proto.tensor_shape,
                       tensor_content=np.ascontiguousarray(little).tobytes())


def tensor_summary(tag, tensor, serialized_summary_metadata, **_attrs) -> np.ndarray:
    value = Summary.Value(tag=_text(tag), tensor=_content_proto(np.asarray(tensor)))
    data = np.asarray(serialized_summary_metadata, dtype=object).item()
    value.metadata.SetInParent()  # present even when empty, as TensorFlow writes it
    value.metadata.MergeFrom(SummaryMetadata.FromString(bytes(data or b"")))
    return _serialized(Summary(value=[value]))


# ---- merging --------------------------------------------------------------------------------
def merge_summary(*inputs, **_attrs) -> np.ndarray:
    merged, seen = Summary(), set()
    for serialized in inputs:
        for data in np.asarray(serialized, dtype=object).reshape(-1):
            part = Summary()
            try:
                part.ParseFromString(bytes(data))
            except Exception:  # noqa: BLE001 - protobuf raises DecodeError or others
                raise ValueError("Could not parse one of the summary inputs") from None
            for value in part.value:
                if value.tag in seen:
                    raise ValueError(f"Duplicate tag {value.tag} found in summary inputs")
                seen.add(value.tag)
                merged.value.add().CopyFrom(value)
    return _serialized(merged)

