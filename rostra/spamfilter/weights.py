"""A class's weights as stored (only the non-zero ones, packed and compressed) and as
scored (a table of 2**18 floats: 1 MB, looked up by bucket with no numpy)."""

import zlib
from array import array

from rostra.spamfilter.features import BUCKETS


def pack(weights: dict[int, float]) -> bytes:
    buckets = sorted(bucket for bucket, weight in weights.items() if weight)
    indices = array("I", buckets)
    values = array("f", (weights[bucket] for bucket in buckets))
    count = array("I", [len(buckets)])
    return zlib.compress(count.tobytes() + indices.tobytes() + values.tobytes(), 6)


def unpack(data: bytes) -> array:
    raw = zlib.decompress(data)
    count = array("I", raw[:4])[0]
    indices = array("I", raw[4 : 4 + 4 * count])
    values = array("f", raw[4 + 4 * count :])
    table = array("f", bytes(4 * BUCKETS))
    for bucket, value in zip(indices, values, strict=True):
        table[bucket] = value
    return table
