"""The sample fields of a block whose records share one FORMAT layout, cut from the bytes.

A genome's blocks nearly always write one layout (``GT:AD:DP:GQ:PL``) with every field
present: then the colons of the sample column, found in one numpy pass, give every field's
start and end per record, and whole numbers (DP, GQ, AD) are read from their digits. This
replaces a list per record split by pyarrow and four passes per key to gather and convert
it. Anything else (mixed layouts, trailing fields dropped, a sign, a decimal point, a space)
is left to the general split of :mod:`.bulk_records`, which also gives the errors:
:func:`layout_spans` returns None, a number reader returns None for that key.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

_COLON, _COMMA, _DOT, _ZERO = ord(":"), ord(","), ord("."), ord("0")
_MAX_DIGITS = 15  # exact in float64


def string_buffers(arr: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(offsets, bytes) of a string array, without copying."""
    arr = arr.cast(pa.string()) if arr.type != pa.string() else arr
    bufs = arr.buffers()
    offsets = np.frombuffer(bufs[1], np.int32)[arr.offset : arr.offset + len(arr) + 1]
    data = np.frombuffer(bufs[2], np.uint8) if bufs[2] is not None else np.zeros(1, np.uint8)
    return offsets, data


def uniform_layout(fmt: pa.Array) -> list[str] | None:
    """The keys of the block's one FORMAT layout, or None when the records differ."""
    if not len(fmt) or fmt.null_count:
        return None
    first = fmt[0].as_py()
    names = first.split(":")
    if len(set(names)) != len(names):
        return None
    offsets, data = string_buffers(fmt)
    width = len(first.encode())
    lengths = np.diff(offsets)
    if (lengths != width).any():
        return None
    start = int(offsets[0])
    rows = data[start : start + width * len(fmt)].reshape(len(fmt), width)
    if not (rows == rows[0]).all():
        return None
    return names


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
    pick[offsets[1:] - 1] = len(data)  # the byte after the data: the separator
    return offsets, np.append(data, np.uint8(sep))[pick]


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


@dataclass
class LayoutSpans:
    """Where each field of a one-layout block's sample column starts and ends."""

    data: np.ndarray  # the sample column's bytes
    spans: dict[str, tuple[np.ndarray, np.ndarray]]  # key -> (start, end) per record

    def text(self, key: str) -> pa.Array:
        return substrings(self.data, *self.spans[key])

    def numbers(self, key: str) -> np.ndarray | None:
        return whole_numbers(self.data, *self.spans[key])

    def number_lists(self, key: str) -> pa.ListArray | None:
        """Comma-separated whole numbers per record (NaN for '.'), or None as
        :func:`whole_numbers`."""
        start, end = self.spans[key]
        offsets, text = gathered(self.data, start, end, _COMMA)  # "10,5," per record
        commas = np.flatnonzero(text == _COMMA)
        closing = np.searchsorted(commas, offsets[1:] - 1)  # each record's added comma
        sizes = np.diff(closing, prepend=-1)
        values = whole_numbers(text, np.r_[0, commas[:-1] + 1], commas)
        if values is None:
            return None
        list_offsets = np.zeros(len(start) + 1, np.int32)
        np.cumsum(sizes, out=list_offsets[1:])
        return pa.ListArray.from_arrays(pa.array(list_offsets), pa.array(values))


def layout_spans(fmt: pa.Array, sample: pa.Array, keys: list[str]) -> LayoutSpans | None:
    """The fields' spans of ``keys`` the layout holds, or None when the block's records do
    not all write the same layout with every field present."""
    names = uniform_layout(fmt)
    if names is None or sample.null_count:
        return None
    n = len(sample)
    offsets, data = string_buffers(sample)
    offsets = offsets.astype(np.int64)
    seps = len(names) - 1
    colons = np.flatnonzero(data[offsets[0] : offsets[-1]] == _COLON) + offsets[0]
    if len(colons) != n * seps:
        return None
    grid = colons.reshape(n, seps)
    # as many colons as records times separators, in order: each record holds its own
    if seps and ((grid[:, 0] < offsets[:-1]) | (grid[:, -1] >= offsets[1:])).any():
        return None
    spans = {}
    for i, key in enumerate(names):
        if key in keys:
            start = offsets[:-1] if i == 0 else grid[:, i - 1] + 1
            end = offsets[1:] if i == seps else grid[:, i]
            spans[key] = (start, end)
    return LayoutSpans(data, spans)
