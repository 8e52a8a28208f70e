"""The findings TSV carries ClinVar's qualifier and the signable c./p. name with its source."""

from __future__ import annotations

import csv
import io

from test_report_fixtures import BRCA2, HFE_H63D, make_findings

from pmviewer.core.annotation import NAME_SOURCE_WORDS
from pmviewer.export.tables import findings_to_tsv


def _rows(text: str) -> list[dict[str, str]]:
    body = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    return list(csv.DictReader(io.StringIO(body), delimiter="\t"))


def test_tsv_has_the_qualifier_and_the_name_with_its_source_in_words():
    named = {
        **BRCA2,
        "name_transcript": "NM_000059.4",
        "name_c": "c.5946del",
        "name_p": "p.Ser1982fs",
        "name_source": "clinvar",
        "name_note": "",
    }
    drug = {**HFE_H63D, "clinvar_qualifier": "low penetrance"}
    rows = {r["gene"]: r for r in _rows(findings_to_tsv(make_findings([named, drug])))}
    brca2, hfe = rows["BRCA2"], rows["HFE"]
    assert brca2["name_c"] == "c.5946del" and brca2["name_transcript"] == "NM_000059.4"
    assert brca2["name_source"] == NAME_SOURCE_WORDS["clinvar"] == "ClinVar's name"
    assert brca2["clinvar_qualifier"] == ""
    assert hfe["clinvar_qualifier"] == "low penetrance"
    assert hfe["name_source"] == ""  # a finding without a signable name says nothing


def test_tsv_keeps_its_first_columns():
    header = findings_to_tsv(make_findings()).splitlines()[1].split("\t")
    assert header[:3] == ["gene", "chrom", "pos"]
    assert header[-6:] == [
        "clinvar_qualifier",
        "name_transcript",
        "name_c",
        "name_p",
        "name_source",
        "name_note",
    ]
