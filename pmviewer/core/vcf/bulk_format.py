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

from pmviewer.core.vcf.bulk_bytes import gathered, string_buffers, substrings, whole_numbers

_COLON, _COMMA = ord(":"), ord(",")


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
