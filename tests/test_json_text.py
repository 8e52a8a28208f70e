"""JSON encoded column by column is, character for character, the text
``json.dumps(document, indent=2, ensure_ascii=False)`` writes, on values chosen to trip a
hand-made encoder (the demo patient's annotate JSON: test_export_columnar.py)."""

from __future__ import annotations

import json

import pytest

from pmviewer.export.json_text import dumps_document, encode_column


def _reference(document: dict) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False)


TRICKY = [
    None, True, False, 0, -7, 2**70, 1.5, float("nan"), float("inf"), 1e-300,
    "", "plain", "comma, and \"quotes\"", "line\nbreak\ttab", "nul\x00byte", "\x1b[31m",
    "Größe 2\u2605 \u4e2d\u6587 \U0001f9ec", "back\\slash",
    [], {}, [None, "a"], ("tuple", 1), {"k": []}, {"k": {}}, {"a": {"b": [1, {"c": None}]}},
    [[], [[]], [{}]], {"": "empty key"}, {"x\ny": "\x00"},
]  # fmt: skip


@pytest.mark.parametrize("depth", [0, 1, 3])
def test_each_value_reads_as_the_indented_encoder_writes_it(depth):
    pad = "\n" + " " * (2 * depth)
    want = [json.dumps(v, indent=2, ensure_ascii=False).replace("\n", pad) for v in TRICKY]
    assert encode_column(TRICKY, depth) == want


def test_a_document_of_records_equals_its_dump():
    records = [
        {"id": i, "value": v, "flags": [v, v] if i % 2 else []} for i, v in enumerate(TRICKY)
    ]
    columns = {key: [r[key] for r in records] for key in ("id", "value", "flags")}
    document = {"input": {"path": '/tmp/a "b".vcf', "n": 3}, "findings": records, "pgx": []}
    assert dumps_document(document, {"findings": columns}) == _reference(document)
    empty = {**document, "findings": []}
    assert dumps_document(empty, {"findings": {"id": []}}) == _reference(empty)


def test_a_nested_findings_key_is_not_the_top_level_one():
    records = [{"note": '"findings": []'}]
    document = {"input": {"findings": []}, "findings": records, "warnings": ["findings"]}
    text = dumps_document(document, {"findings": {"note": ['"findings": []']}})
    assert text == _reference(document)
    assert json.loads(text) == document
