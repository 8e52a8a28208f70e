"""PDF rendering: every section's content is in the extracted text, any text renders,
long tables break with repeated headers, and a fixed timestamp gives identical bytes."""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from test_report_fixtures import (
    ATP7B,
    BRCA2,
    FIXED_TIME,
    LAB,
    PATIENT,
    SIGNED,
    make_findings,
)

from pmviewer.core.model import Amendment, Decision, PatientDetails
from pmviewer.export.pdf import build_report
from pmviewer.export.report_model import ReportOptions, build_report_model

BRCA2_ID = BRCA2["finding_id"]
ATP7B_ID = ATP7B["finding_id"]


def render(findings=None, **kwargs) -> bytes:
    kwargs.setdefault("patient", PATIENT)
    kwargs.setdefault("lab", LAB)
    kwargs.setdefault("generated_at", FIXED_TIME)
    kwargs.setdefault("software_version", "0.1.0")
    return build_report(build_report_model(findings or make_findings(), **kwargs))


def pages(pdf: bytes) -> list[str]:
    return [p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages]


def flat(text: str) -> str:
    """Text without whitespace: wrapped lines and table cells join up again."""
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def full_draft() -> list[str]:
    decisions = {
        BRCA2_ID: Decision(BRCA2_ID, "include", comment="Discussed with the patient & family."),
    }
    return pages(
        render(
            decisions=decisions,
            options=ReportOptions(include_carrier=True, include_uncertain=True),
            quality_thresholds="FILTER must be PASS; depth >= 15; genotype quality >= 20",
        )
    )


def test_pdf_starts_like_a_pdf_and_has_metadata():
    pdf = render()
    assert pdf.startswith(b"%PDF-")
    info = PdfReader(io.BytesIO(pdf)).metadata
    assert re.search(r"· PMV-[0-9A-F]{16}$", info.title)  # the report ID, never the patient
    assert "Jane" not in info.title and "Example" not in info.title
    assert info.title.split(" · ")[-1] in pages(pdf)[0]  # the same ID is printed on the page
    assert info.creation_date.year == 2026 and info.creation_date.hour == 10


def test_header_on_every_page(full_draft):
    total = len(full_draft)
    assert total >= 2
    for number, text in enumerate(full_draft, start=1):
        assert "Riverside Clinical Genomics Laboratory" in text
        assert "12 Harbour Road, Springfield" in text
        assert "Germline Genomic Report" in text
        assert "Jane Example" in text and "MRN-0042" in text and "ACC-2026-117" in text
        assert "DRAFT" in text
        assert f"Page {number} of {total}" in text


def test_summary_comes_first_then_patient(full_draft):
    first = full_draft[0]
    summary = first.index("POSITIVE: 1 reportable finding identified in 1 gene (BRCA2).")
    assert summary < first.index("Patient and specimen")
    assert flat(
        "Pharmacogenomics: 1 of 2 genes called; phenotypes other than normal: "
        "CYP2C19 Poor Metabolizer."
    ) in flat(first)
    assert "2 finding(s) in this draft are not yet reviewed." in first  # ATP7B, HFE
    for value in (
        "12 April 1980",
        "Female",
        "Blood (EDTA)",
        "Dr. A. Clinician",
        "2 November 2026",
        "4 November 2026",
        "Secondary findings analysis after exome sequencing",
        "Mother: breast cancer at 45.",
        "NA12878",
    ):
        assert value in first


def test_findings_table_and_interpretation(full_draft):
    text = "\n".join(full_draft)
    flat_text = flat(text)
    for value in (
        "Secondary findings (ACMG SF",
        "c.5946del",
        "p.Ser1982fs",
        "NM_000059.4",
        "chr13:32340300GT>G",
        "GRCh38",
        "Heterozygous",
        "Pathogenic",
        "Hereditarybreastovariancancersyndrome",
    ):
        assert flat(value) in flat_text
    assert (
        flat("ClinVar review ★★★☆ (3 of 4) · Variation ID 9325 · Last evaluated 2 January 2024")
        in flat_text
    )
    assert "9325" in text and "2 January 2024" in text and "reviewed by expert panel" in text
    assert "Counselor comment: Discussed with the patient & family." in text
    assert "Basis for reporting: Pathogenic variant in an ACMG SF gene" in text
    assert "cascade testing" in text and "Referral to genetic counselling" in text


def test_optional_sections_and_unreviewed_marks(full_draft):
    text = "\n".join(full_draft)
    assert "Carrier findings" in text and "c.4374_4375del" in text and "Wilson disease" in text
    assert "Variants of uncertain significance" in text and "p.His63Asp" in text
    assert text.count("NOT YET REVIEWED") >= 2  # ATP7B and HFE, in table and heading
    assert "low genotype quality (GQ 80)" in text


def test_pgx_section(full_draft):
    text = "\n".join(full_draft)
    assert "CYP2C19" in text and "*2/*2" in text and "Poor Metabolizer" in text
    assert "Not callable from this file" in text and "CYP2D6" in text
    assert "clopidogrel" in text and "Strong" in text
    assert flat("Avoid clopidogrel if possible. Use prasugrel or ticagrelor") in flat(text)
    assert flat("CPIC clopidogrel and CYP2C19") in flat(text)


def test_methods_and_limitations(full_draft):
    text = "\n".join(full_draft)
    flat_text = flat(text)
    assert "NA12878.hard-filtered.vcf.gz" in text
    assert "a" * 64 in flat_text
    assert "2026.11.1" in text and "2025-09-28" in text and "2024-03" in text
    assert "3f1a" * 16 in flat_text
    assert "ACMGSFv3.3" in flat_text and flat("7 genes: ATP7B, BRCA1, BRCA2") in flat_text
    assert "depth >= 15" in text
    assert "Pharmacogenesassessed2genes:CYP2C19,CYP2D6" in flat_text
    assert "Copy-number variants" in text
    assert flat("ClinVar subset holds only pathogenic and likely pathogenic records.") in flat_text
    assert "12 records had no genotype and were skipped." in text
    assert "Records read" in text and "4120" in text


def test_draft_signoff_block(full_draft):
    last = full_draft[-1]
    assert "Sign-off" in last and "Reviewed by" in last and "Approved by" in last
    assert "This draft has not been signed out." in last
    assert "End of report" in last


def test_final_report_has_names_and_no_draft_marks():
    text = "\n".join(
        pages(render(decisions={BRCA2_ID: Decision(BRCA2_ID, "include")}, signoff=SIGNED))
    )
    assert "FINAL" in text
    assert "DRAFT" not in text and "NOT YET REVIEWED" not in text
    for value in (
        "Sam Reviewer",
        "MS, CGC",
        "29 November 2026",
        "Dr. Lee Approver",
        "PhD, FACMG",
        "30 November 2026",
    ):
        assert value in text


def test_amended_report_lists_changes():
    amended = replace(
        SIGNED,
        amendments=[
            Amendment(
                "2026-12-01T09:00:00Z",
                "Date of birth corrected",
                ["date of birth 1980-04-21 -> 1980-04-12"],
            )
        ],
    )
    text = "\n".join(
        pages(render(decisions={BRCA2_ID: Decision(BRCA2_ID, "include")}, signoff=amended))
    )
    assert "AMENDED REPORT: this report replaces the previous version." in text.split("Result")[0]
    assert "AMENDED" in text and "Amendments" in text
    assert "Date of birth corrected" in text and "1980-04-21 -> 1980-04-12" in text


def test_negative_report_wording():
    text = "\n".join(pages(render(decisions={BRCA2_ID: Decision(BRCA2_ID, "exclude")})))
    assert "No reportable variant found in the 7 genes analysed." in text
    assert "NEGATIVE" not in text  # coverage was not measured: no negative claim
    assert "No reportable variants were identified." in text
    assert "1 finding(s) were excluded by the reviewer and are not shown." in text


def test_synthetic_label_on_every_page():
    result = pages(render(synthetic=True))
    assert "SYNTHETIC DEMONSTRATION DATA" in result[0]
    for text in result:
        assert "SYNTHETIC" in text


def test_reviewer_override_is_printed_with_reason():
    d = Decision(
        BRCA2_ID,
        "include",
        classification_override="Likely pathogenic",
        override_reason="Reassessed <PVS1 strength> & segregation",
    )
    text = "\n".join(pages(render(decisions={BRCA2_ID: d})))
    assert flat("Reviewer override; ClinVar: Pathogenic") in flat(text)
    assert flat("Reason for reclassification: Reassessed <PVS1 strength> & segregation") in flat(
        text
    )


NASTY_NAME = 'Zoë <b>O\'Brien</b> & "Ødegård" Σωκράτης Дмитрий'
ARABIC = "محمد"  # drawn shaped (presentation forms) in visual order: extractors return it reversed


def test_nasty_text_renders_literally_and_long_tables_repeat_headers():
    rows = []
    for i in range(300):
        rows.append(
            {
                **BRCA2,
                "pos": 32340300 + i,
                "finding_id": f"GRCh38:13:{32340300 + i}:GT:G",
                "kb_gene": f"GENE{i:03d}",
                "condition": f'Condition <{i}> & "quoted" — Ménière {"x" * (i % 40)}',
                "kb_hgvs_c": "c." + "A" * (i % 120) + "del",
            }
        )
    patient = PatientDetails(
        name=f"{NASTY_NAME} {ARABIC} {'Longname' * 30}",
        mrn="<MRN & 1>",
        second_identifier="ID\"2'",
        indication=f"Ελληνικά, кириллица & <tags> must print as typed; {ARABIC}",
    )
    pdf = render(make_findings(rows), patient=patient)
    result = pages(pdf)
    assert len(result) > 20
    text = "\n".join(result)
    # the full name is in the patient block; every page header shows it (shortened)
    assert flat(NASTY_NAME) in flat(text) and flat("Longname" * 30) in flat(text)
    shaped = unicodedata.normalize("NFKC", text)  # presentation forms back to letters
    assert ARABIC in shaped or ARABIC[::-1] in shaped
    assert all("Zoë <b>O'Brien</b>" in page and "<MRN & 1>" in page for page in result)
    assert flat("Ελληνικά, кириллица & <tags> must print as typed;") in flat(text)
    assert 'Condition <299> & "quoted" — Ménière' in text
    # the findings table runs over several pages and repeats its header row on each
    table_pages = [p for p in result if "GENE1" in p or "GENE2" in p]
    repeated = [p for p in table_pages if "Variant (HGVS)" in p and "Genomic position" in p]
    assert len(repeated) >= 5
    assert "POSITIVE: 300 reportable findings identified in 300 genes (GENE000," in flat_keep(text)
    assert "GENE007 and 292 more)." in flat_keep(text)


def flat_keep(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_fixed_timestamp_gives_identical_bytes_and_new_time_differs():
    first = render()
    assert render() == first
    later = render(generated_at=FIXED_TIME + timedelta(minutes=1))
    assert later != first
    assert PdfReader(io.BytesIO(later)).metadata.creation_date.minute == 16


def test_letter_page_size():
    pdf = render(options=ReportOptions(page_size="letter"))
    box = PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)


def test_identical_bytes_in_a_fresh_process_with_another_hash_seed(tmp_path):
    import os
    import subprocess
    import sys

    script = (
        "import sys; sys.path.insert(0, 'tests'); "
        "from test_report_pdf import render; "
        f"open({str(tmp_path / 'other.pdf')!r}, 'wb').write(render())"
    )
    env = {**os.environ, "PYTHONHASHSEED": "4242"}
    root = Path(__file__).resolve().parents[1]
    subprocess.run([sys.executable, "-c", script], check=True, cwd=root, env=env)
    assert (tmp_path / "other.pdf").read_bytes() == render()


def test_characters_the_font_lacks_are_announced_not_silently_boxed():
    text = pages(render(patient=PatientDetails(name="வணக்கம் Namaste", mrn="M-1")))[0]
    assert "cannot be printed with the report font" in text
    assert "U+0BB5" in text
    assert "Namaste" in text
    plain = pages(render())[0]
    assert "cannot be printed" not in plain


def test_genomic_hgvs_is_shown_when_no_c_name_is_known():
    row = {
        **BRCA2,
        "kb_hgvs_c": None,
        "kb_hgvs_p": None,
        "hgvs_c": None,
        "hgvs_p": None,
        "kb_transcript": None,
        "transcript": None,
        "kb_hgvs_g": "NC_000013.11:g.32340301del",
    }
    text = "\n".join(pages(render(make_findings([row]))))
    assert "NC_000013.11:g.32340301del" in text and "no c./p. name known" in text
    assert flat("The BRCA2 variant NC_000013.11:g.32340301del was detected") in flat(text)


HOSTILE_NAME = "Zoë O'Brien-Łukasiewicz <b>&amp; 王小明</b>"


def test_cjk_hebrew_and_arabic_names_print_in_their_scripts():
    name = f"{HOSTILE_NAME} שרה כהן محمد علي"
    reader = PdfReader(io.BytesIO(render(patient=PatientDetails(name=name, mrn="M-1"))))
    first = reader.pages[0].extract_text()
    assert "cannot be printed" not in first  # every character has a glyph now
    assert "王小明" in first and "<b>&amp;" in first
    assert "שרה כהן" in first or "שרה כהן"[::-1] in first
    shaped = unicodedata.normalize("NFKC", first)
    assert "علي" in shaped or "علي"[::-1] in shaped  # shaped into presentation forms
    assert "\ufee3" in first or "\ufee4" in first  # a medial/initial meem: letters joined
    fonts = {
        str(font["/BaseFont"])
        for font in (reader.pages[0]["/Resources"]["/Font"].get_object().values())
    }
    assert any("DroidSansFallback" in f for f in fonts)  # CJK embedded, not a reader's font
