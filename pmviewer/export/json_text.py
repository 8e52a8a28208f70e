"""JSON text exactly as ``json.dumps(document, indent=2, ensure_ascii=False)`` writes it, with
long lists of records given column by column.

``json.dumps`` with an indent runs the pure-Python encoder over every value (about a second
for a genome's few thousand findings); here the scalar cells of each column go through one
call of the C encoder, and only nested cells (lists, dicts) through the indenting encoder.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

INDENT = 2
# the C encoder escapes every control character inside strings, so NUL never occurs in its
# output except where it is put as the separator between items
_SEP = "\x00"
_SCALARS = (str, int, float, bool, type(None))
_SCALAR_TYPES = frozenset(_SCALARS)


def encode_scalars(values: Sequence[object]) -> list[str]:
    """Compact JSON text of each scalar value (str, int, float, bool, None), in one call."""
    if not values:
        return []
    text = json.dumps(list(values), ensure_ascii=False, separators=(_SEP, ": "))
    return text[1:-1].split(_SEP)


def encode_column(values: Sequence[object], depth: int) -> list[str]:
    """JSON text of each value as it appears ``depth`` levels deep in an indented document.

    The items of all lists (and the values of all dicts) in ``values`` are encoded together,
    one level deeper, so the encoder is called once per level, not once per value.
    """
    if set(map(type, values)) <= _SCALAR_TYPES:
        return encode_scalars(values)  # most columns: plain values only
    out = [""] * len(values)
    scalars, lists, dicts = [], [], []
    for i, value in enumerate(values):
        if isinstance(value, dict) and all(isinstance(k, str) for k in value):
            dicts.append(i)
        elif isinstance(value, (list, tuple)):
            lists.append(i)
        elif isinstance(value, _SCALARS):
            scalars.append(i)
        else:  # anything else is written (or refused) as json.dumps would
            out[i] = _indented(json.dumps(value, indent=INDENT, ensure_ascii=False), depth)
    for i, text in zip(scalars, encode_scalars([values[i] for i in scalars]), strict=True):
        out[i] = text
    inner = " " * (INDENT * (depth + 1))
    outer = "\n" + " " * (INDENT * depth)
    if lists:
        items = encode_column([v for i in lists for v in values[i]], depth + 1)  # type: ignore[attr-defined]
        start = 0
        for i in lists:
            n = len(values[i])  # type: ignore[arg-type]
            cell = items[start : start + n]
            start += n
            out[i] = "[\n" + ",\n".join(inner + t for t in cell) + outer + "]" if n else "[]"
    if dicts:
        members = [(k, v) for i in dicts for k, v in values[i].items()]  # type: ignore[attr-defined]
        keys = encode_scalars([k for k, _ in members])
        texts = encode_column([v for _, v in members], depth + 1)
        start = 0
        for i in dicts:
            n = len(values[i])  # type: ignore[arg-type]
            pairs = zip(keys[start : start + n], texts[start : start + n], strict=True)
            start += n
            out[i] = (
                "{\n" + ",\n".join(f"{inner}{k}: {t}" for k, t in pairs) + outer + "}"
                if n
                else "{}"
            )
    return out


def _indented(text: str, depth: int) -> str:
    """``text`` (indented JSON of one value) moved ``depth`` levels in: strings hold no raw
    newline, so every newline is layout."""
    return text.replace("\n", "\n" + " " * (INDENT * depth))


def records_text(columns: Mapping[str, Sequence[object]], depth: int) -> str:
    """A list of records (key -> one value per record, in key order) ``depth`` levels deep."""
    lengths = {len(v) for v in columns.values()}
    n = lengths.pop() if lengths else 0
    if not n:
        return "[]"
    item_pad, key_pad = " " * (INDENT * (depth + 1)), " " * (INDENT * (depth + 2))
    heads = [f"{key_pad}{text}: " for text in encode_scalars(list(columns))]
    lines = [
        [head + text for text in encode_column(values, depth + 2)]
        for head, values in zip(heads, columns.values(), strict=True)
    ]
    opening, closing = f"{item_pad}{{\n", f"\n{item_pad}}}"
    records = [opening + ",\n".join(parts) + closing for parts in zip(*lines, strict=True)]
    return "[\n" + ",\n".join(records) + "\n" + " " * (INDENT * depth) + "]"


def dumps_document(document: Mapping[str, object], record_lists: Mapping[str, Mapping]) -> str:
    """``json.dumps(document, indent=2, ensure_ascii=False)`` where each top-level key of
    ``record_lists`` holds the records given there column by column (the document's own value
    for that key is ignored)."""
    marks = {key: f"{_SEP}{key}" for key in record_lists}
    text = json.dumps({k: marks.get(k, v) for k, v in document.items()}, indent=INDENT,
                      ensure_ascii=False)  # fmt: skip
    for key, columns in record_lists.items():
        line = f"\n{' ' * INDENT}{json.dumps(key, ensure_ascii=False)}: "
        mark = line + json.dumps(marks[key], ensure_ascii=False)
        # top-level keys are unique and deeper lines are indented further: one match
        text = text.replace(mark, line + records_text(columns, 1), 1)
    return text
