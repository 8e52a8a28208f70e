"""numpy passes over the bytes of Arrow string arrays, where pyarrow's kernels take several.

Every function reads the arrays' buffers in place (no copy of the text) and either returns
exactly what the general pyarrow path gives or says it cannot (None / False), so callers
keep that path for anything unusual.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

_DOT, _ZERO = ord("."), ord("0")
_MAX_DIGITS = 15  # exact in float64


def string_buffers(arr: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(offsets, bytes) of a string array, without copying."""
    arr = arr.cast(pa.string()) if arr.type != pa.string() else arr
    bufs = arr.buffers()
    offsets = np.frombuffer(bufs[1], np.int32)[arr.offset : arr.offset + len(arr) + 1]
    data = np.frombuffer(bufs[2], np.uint8) if bufs[2] is not None else np.zeros(1, np.uint8)
    return offsets, data


def gathered(
    data: np.ndarray, start: np.ndarray, end: np.ndarray, sep: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(int32 offsets, bytes) of ``data[start[i]:end[i]]`` one after the other, each
    followed by the byte ``sep`` when given (the offsets then include it)."""
    lengths = (end - start).astype(np.int32) + (sep is not None)
    offsets = np.zeros(len(start) + 1, np.int32)
    np.cumsum(lengths, out=offsets[1:])
    pick = np.repeat(start - offsets[:-1], lengths) + np.arange(offsets[-1])
    if sep is None:
        return offsets, data[pick]
    ends = offsets[1:] - 1
    pick[ends] = 0
    out = data[pick]
    out[ends] = sep
    return offsets, out


def substrings(data: np.ndarray, start: np.ndarray, end: np.ndarray) -> pa.Array:
    """The text ``data[start[i]:end[i]]`` per record, as a string array."""
    offsets, text = gathered(data, start, end)
    return pa.Array.from_buffers(
        pa.string(), len(start), [None, pa.py_buffer(offsets), pa.py_buffer(text)]
    )


def whole_numbers(data: np.ndarray, start: np.ndarray, end: np.ndarray) -> np.ndarray | None:
    """float64 of fields written as digits only, NaN for '.' or an empty field; None when
    one field is anything else (the general reader converts it, or says why not)."""
    if not len(start):
        return np.zeros(0)
    lengths = end - start
    longest = int(lengths.max())
    if longest > _MAX_DIGITS:
        return None
    last = len(data) - 1
    dot = (lengths == 1) & (data[np.minimum(start, last)] == _DOT)
    if longest == 0:
        return np.full(len(start), np.nan)
    # one row per digit place (right-aligned: units in the last row), one column per field;
    # rows as long as the block keep numpy's inner loops long
    at = end[None, :] - np.arange(longest, 0, -1)[:, None]
    inside = at >= start[None, :]
    digits = data[np.clip(at, 0, last)] - np.uint8(_ZERO)  # a non-digit wraps above 9
    ok = ((digits <= 9) | ~inside).all(axis=0) | dot
    if not ok.all():
        return None
    digits[~inside] = 0
    out = np.zeros(len(start), np.float64)
    for row in digits:  # Horner's rule, a place at a time (exact below 2**53)
        out = out * 10 + row
    out[dot | (lengths == 0)] = np.nan
    return out


def text_bytes(arr: pa.Array) -> np.ndarray:
    """The bytes of all values of a string array, one after the other (a view)."""
    if not len(arr):
        return np.zeros(0, np.uint8)
    offsets, data = string_buffers(arr)
    return data[int(offsets[0]) : int(offsets[-1])]


def contains(arr: pa.Array, needle: bytes) -> bool:
    """Could a value hold ``needle``? True when one does (or when it spans two values or a
    null's bytes: the caller then searches value by value)."""
    data = text_bytes(arr)
    k = len(needle)
    at = np.flatnonzero(data[: max(len(data) - k + 1, 0)] == needle[0])
    for j in range(1, k):
        at = at[data[at + j] == needle[j]]
    return len(at) > 0


def has_any_byte(arr: pa.Array, chars: bytes) -> bool:
    """Does any value hold one of the bytes ``chars``?"""
    table = np.zeros(256, np.bool_)
    table[list(chars)] = True
    return bool(table[text_bytes(arr)].any())


def dot_as_null(arr: pa.Array) -> pa.Array | None:
    """``arr`` with '.' and '' values null, sharing its buffers; None when ``arr`` has nulls
    already or is a slice (the caller uses pyarrow's kernels then)."""
    if arr.null_count or arr.type != pa.string() or arr.offset or not len(arr):
        return None
    bufs = arr.buffers()
    if bufs[2] is None:
        return None
    offsets, data = string_buffers(arr)
    lengths = np.diff(offsets)
    first = data[np.minimum(offsets[:-1], len(data) - 1)]
    missing = (lengths == 0) | ((lengths == 1) & (first == _DOT))
    if not missing.any():
        return arr
    valid = pa.py_buffer(np.packbits(~missing, bitorder="little"))
    return pa.Array.from_buffers(pa.string(), len(arr), [valid, bufs[1], bufs[2]])
