"""A value taller than a page never breaks the PDF: cut with a marker, printed whole at the end."""

from __future__ import annotations

import io
import re
from dataclasses import replace

from pypdf import PdfReader
from test_report_fixtures import BRCA2, FIXED_TIME, LAB, PATIENT, make_findings

from pmviewer.core.model import Decision
from pmviewer.export.pdf import build_report
from pmviewer.export.pdf_overflow import APPENDIX_LIMIT
from pmviewer.export.report_model import build_report_model


def _text(pdf: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)


def test_giant_fields_are_cut_marked_and_kept_in_an_appendix():
    long_hgvs = "c.100_4099ins" + "ACGT" * 1000  # a 4,000-character HGVSc from CSQ
    sample = "S" * (1024 * 1024)  # a 1 MB sample name
    history = ("Maternal aunt, ovarian cancer at 52. " * 6000)[:200_000]  # a 200 kB field
    brca2 = {**BRCA2, "hgvs_c": long_hgvs, "kb_hgvs_c": long_hgvs}
    findings = make_findings([brca2], sample=sample)
    patient = replace(PATIENT, family_history=history)
    fid = BRCA2["finding_id"]
    model = build_report_model(
        findings,
        patient=patient,
        lab=LAB,
        generated_at=FIXED_TIME,
        software_version="0.1.0",
        decisions={fid: Decision(fid, "include", comment="x" * 5000)},
    )
    pdf = build_report(model)  # reportlab raised LayoutError here before
    text = _text(pdf)
    flat = re.sub(r"\s+", "", text)
    assert "fullvalueinappendixA1" in flat and "Appendix:fullvaluesoflongfields" in flat
    assert "1,048,576characters" in flat  # the sample name is named by its length
    assert "ACGT" * 200 in flat  # the HGVSc is printed whole in the appendix
    assert flat.count("[cut:") >= 3
    # the family history in full (pages interleave their header, so count its sentences)
    assert flat.count("Maternalaunt,ovariancancerat52.") >= history.count("Maternal aunt") - 60
    unprinted = len(sample) - APPENDIX_LIMIT  # the 1 MB name says what was not printed
    assert f"Theremaining{unprinted:,}charactersarenotprinted" in flat
    assert len(PdfReader(io.BytesIO(pdf)).pages) < 400
