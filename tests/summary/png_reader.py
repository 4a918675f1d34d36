"""A test-side PNG reader (8-bit, non-interlaced, all five row filters), independent of the
encoder under test. Usage: ``pixels = read_png(data)`` -> uint8 ``[h, w, channels]``."""
import struct
import zlib

import numpy as np

_CHANNELS = {0: 1, 4: 2, 2: 3, 6: 4}


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    return a if pa <= pb and pa <= pc else (b if pb <= pc else c)


def read_png(data: bytes) -> np.ndarray:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        (length,), kind = struct.unpack(">I", data[pos:pos + 4]), data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])
        assert crc == zlib.crc32(kind + body) & 0xFFFFFFFF, f"bad CRC in {kind}"
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, color, _, _, interlace = header
    assert depth == 8 and interlace == 0
    ch = _CHANNELS[color]
    stride = width * ch
    raw = zlib.decompress(idat)
    out = np.zeros([height, stride], np.int64)
    prev = [0] * stride
    for y in range(height):
        row_start = y * (stride + 1)
        kind, row = raw[row_start], list(raw[row_start + 1:row_start + 1 + stride])
        for x in range(stride):
            a = row[x - ch] if x >= ch else 0
            b, c = prev[x], (prev[x - ch] if x >= ch else 0)
            pred = [0, a, b, (a + b) // 2, _paeth(a, b, c)][kind]
            row[x] = (row[x] + pred) & 0xFF
        out[y] = row
        prev = row
    return out.astype(np.uint8).reshape(height, width, ch)
