"""A small PNG encoder (zlib + struct): 8-bit grayscale, gray+alpha, RGB or RGBA images.

Rows use filter type 0 (none); the pixel data is one zlib stream in one IDAT chunk.

Usage: ``data = encode_png(np.zeros([4, 5, 3], np.uint8))`` -> bytes of a 5x4 RGB PNG.
"""
from __future__ import annotations

import struct
import zlib

import numpy as np

__all__ = ["encode_png"]

_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_COLOR_TYPES = {1: 0, 2: 4, 3: 2, 4: 6}  # channels -> PNG colour type


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + \
        struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def encode_png(image: np.ndarray, compression: int = 6) -> bytes:
    """PNG bytes of a uint8 ``[height, width, channels]`` image (1, 2, 3 or 4 channels)."""
    image = np.asarray(image)
    if image.dtype != np.uint8 or image.ndim != 3 or image.shape[2] not in _COLOR_TYPES:
        raise ValueError(f"encode_png needs a uint8 [height, width, 1|2|3|4] image, got "
                         f"{image.dtype} of shape {list(image.shape)}")
    height, width, channels = image.shape
    header = struct.pack(">IIBBBBB", width, height, 8, _COLOR_TYPES[channels], 0, 0, 0)
    rows = np.zeros([height, 1 + width * channels], np.uint8)  # leading 0: filter "none"
    rows[:, 1:] = image.reshape(height, width * channels)
    return (_SIGNATURE + _chunk(b"IHDR", header) +
            _chunk(b"IDAT", zlib.compress(rows.tobytes(), compression)) + _chunk(b"IEND", b""))
