"""The annotate JSON records, built column by column, equal the row-by-row reading they
replaced (kept here as the reference) on the demo patient's real findings."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
import pytest
from bundled import require_bundled

from pmviewer.core.resources import bundled_knowledge_path, demo_vcf_path
from pmviewer.export import tables


def _row_by_row(findings, include_other: bool) -> list[dict]:
    frame = findings.frame
    if not include_other:
        frame = frame[frame["category"].isin(tables.REPORTED_CATEGORIES)]

    def hgvs(row: pd.Series, kind: str) -> Any:
        kb = tables._plain(row.get(f"kb_hgvs_{kind}"))
        if kb:
            tx = tables._plain(row.get("kb_transcript"))
            return f"{tx}:{kb}" if tx and kind == "c" and ":" not in kb else kb
        return tables._plain(row.get(f"hgvs_{kind}")) or None

    def text(value: Any) -> str | None:
        return value.strip() or None if isinstance(value, str) else None

    out = []
    for _, row in frame.iterrows():
        record = {key: tables._plain(row.get(col)) for key, col in tables.FINDING_KEYS.items()}
        record["hgvs_c"] = hgvs(row, "c")
        record["hgvs_p"] = hgvs(row, "p")
        record["quality_flags"] = list(row.get("quality_flags") or [])
        record["clinvar_qualifier"] = text(row.get("clinvar_qualifier"))
        record["name"] = {
            "transcript": text(row.get("name_transcript")),
            "hgvs_c": text(row.get("name_c")),
            "hgvs_p": text(row.get("name_p")),
            "source": text(row.get("name_source")),
            "note": text(row.get("name_note")),
        }
        therapies = row.get("therapies")
        record["therapeutic_implications"] = (
            [tables._plain_dict(x) for x in therapies]
            if isinstance(therapies, (list, tuple))
            else []
        )
        record.update({k: tables._plain(row.get(c)) for k, c in tables.EXTRA_KEYS.items()})
        items = findings.civic.get(str(row.get("finding_id")), [])
        record["civic"] = [{k: tables._plain(v) for k, v in item.items()} for item in items]
        out.append(record)
    return out


@pytest.fixture(scope="module")
def demo_findings():
    require_bundled(bundled_knowledge_path(), "the bundled knowledge file")
    from pmviewer.core.knowledge.reader import open_knowledge
    from pmviewer.core.pipeline import analyse

    return analyse(demo_vcf_path(), knowledge=open_knowledge(bundled_knowledge_path()),
                   sex="F").findings  # fmt: skip


@pytest.mark.parametrize("include_other", [False, True])
def test_columnar_records_equal_the_row_by_row_records(demo_findings, include_other):
    got = tables.finding_records(demo_findings, include_other)
    want = _row_by_row(demo_findings, include_other)
    assert len(want) > 20
    assert got == want
    assert [list(r) for r in got] == [list(r) for r in want]  # key order is part of the contract
    json.dumps(got)  # plain values only


@pytest.mark.parametrize("include_other", [False, True])
def test_annotate_json_text_is_the_indented_dump(demo_findings, include_other):
    got = tables.dumps_json(demo_findings, include_other=include_other)
    document = tables.findings_to_json(demo_findings, include_other=include_other)
    assert got == json.dumps(document, indent=2, ensure_ascii=False) + "\n"
