"""``pmviewer annotate/report --mode tumour``: the JSON contract, the question, the PDF."""

from __future__ import annotations

import io
import json

import pytest
from tumour_cases import write_lung_vcf

from pmviewer.cli import main

SOMATIC = "i_somatic"


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_tumour_json_contract(capsys, tmp_path):
    path = write_lung_vcf(tmp_path / "lung.vcf")
    code, out, err = run(capsys, "annotate", str(path), "--mode", "tumour", "--tumour-type",
                         "DOID:3910", "--format", "json")  # fmt: skip
    assert code == 0, err
    doc = json.loads(out)
    tumour = doc["tumour"]
    assert {"sample", "normal_sample", "tumour_type", "findings"} <= set(tumour)
    assert tumour["sample"] == "T01" and tumour["normal_sample"] == "N01"
    assert tumour["tumour_type"] == {"doid": "DOID:3910", "name": "lung adenocarcinoma"}
    keys = {"gene", "chrom", "pos", "ref", "alt", "vaf", "depth", "hgvs_p", "tier", "evidence"}
    evidence_keys = {"civic_evidence_id", "molecular_profile", "disease", "doid", "therapies",
                     "evidence_type", "level", "significance", "direction", "citation"}  # fmt: skip
    assert tumour["findings"]
    for finding in tumour["findings"]:
        assert keys <= set(finding)
        for item in finding["evidence"]:
            assert evidence_keys <= set(item)
    assert doc["input"]["sha256"] and doc["knowledge"]["content_sha256"]
    genes = {(f["gene"], f["tier"]) for f in tumour["findings"]}
    assert ("EGFR", "Tier I") in genes and ("KRAS", "Tier I") in genes
    # the matched normal got the germline analysis, and the document says it was the normal
    assert doc["germline"]["analysed"] and doc["germline"]["input"]["sample"] == "N01"


def test_a_tumour_file_without_mode_asks_with_exit_2(capsys, corpus_dir):
    code, out, err = run(capsys, "annotate", str(corpus_dir / SOMATIC / "vcf2maf__test_muse.vcf"))
    assert code == 2 and out == ""
    assert "tumour file (MuSE)" in err and "--mode tumour" in err and "NORMAL" in err


def test_germline_mode_reads_the_normal_and_says_so(capsys, corpus_dir):
    code, out, err = run(capsys, "annotate", str(corpus_dir / SOMATIC / "vcf2maf__test_muse.vcf"),
                         "--mode", "germline")  # fmt: skip
    assert code == 0, err
    doc = json.loads(out)
    assert doc["input"]["sample"] == "NORMAL"
    assert any("normal sample NORMAL only" in w for w in doc["warnings"])


def test_tumour_type_is_required_and_checked(capsys, tmp_path):
    path = write_lung_vcf(tmp_path / "lung.vcf")
    code, _, err = run(capsys, "annotate", str(path), "--mode", "tumour")
    assert code == 2 and "tumour type" in err
    code, _, err = run(
        capsys, "annotate", str(path), "--mode", "tumour", "--tumour-type", "lung adenocarcinom"
    )
    assert code == 2 and "DOID:3910" in err  # suggests the term it probably meant


def test_tumour_report_pdf(capsys, tmp_path):
    pypdf = pytest.importorskip("pypdf")
    path = write_lung_vcf(tmp_path / "lung.vcf")
    out = tmp_path / "lung.pdf"
    code, _, err = run(capsys, "report", str(path), "--mode", "tumour", "--tumour-type",
                       "lung adenocarcinoma", "-o", str(out),
                       "--timestamp", "2026-12-03T10:00:00+00:00")  # fmt: skip
    assert code == 0, err
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(out.read_bytes())).pages)
    for words in ("Tumour molecular profiling report", "lung adenocarcinoma", "Tier I", "EGFR",
                  "KRAS", "Osimertinib", "PMID", "not assessed", "T01", "N01",
                  "Incidental germline findings", "genetic", "TMB"):  # fmt: skip
        assert words in text, words
    # same inputs, same bytes: a report re-printed for an audit is identical
    again = tmp_path / "again.pdf"
    run(capsys, "report", str(path), "--mode", "tumour", "--tumour-type", "lung adenocarcinoma",
        "-o", str(again), "--timestamp", "2026-12-03T10:00:00+00:00")  # fmt: skip
    assert again.read_bytes() == out.read_bytes()
