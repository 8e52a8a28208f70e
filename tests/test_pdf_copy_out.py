"""A name copied out of the report reads as it was typed: shaped Hindi and Thai runs carry
their letters in logical order (PDF ActualText), checked with poppler's pdftotext, the
extractor most readers and copy-paste tools on Linux share; and a report with such a name
still passes the PDF/A check (the glyphs HarfBuzz adds get the font's own widths)."""

from __future__ import annotations

import io
import shutil
import subprocess
import unicodedata

import pytest
from pypdf import PdfReader
from pypdf.generic import ContentStream
from test_report_fixtures import FIXED_TIME, LAB, make_findings
from test_report_pdf import HOSTILE_NAME, render
from test_report_scripts import HINDI, NAME, THAI

from pmviewer.core.model import PatientDetails
from pmviewer.export.archive import check_archive, facts_for, make_archival
from pmviewer.export.pdf import build_report
from pmviewer.export.report_model import build_report_model

needs_pdftotext = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="needs pdftotext (poppler-utils)"
)
_BIDI_CONTROLS = dict.fromkeys(range(0x202A, 0x202F))  # embedding marks pdftotext adds


def _report(name: str) -> bytes:
    return render(patient=PatientDetails(name=name, mrn="M-1"))


def _pdftotext(data: bytes, tmp_path, page: int = 1) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    command = ["pdftotext", "-enc", "UTF-8", "-f", str(page), "-l", str(page), str(path), "-"]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def _spaced(text: str) -> str:
    """Whitespace runs (line breaks of a wrapped cell) as one space."""
    return " ".join(text.split())


def _actual_texts(data: bytes) -> list[str]:
    """The ActualText of every marked run on page 1, in drawing order."""
    reader = PdfReader(io.BytesIO(data))
    page = reader.pages[0]
    found = []
    for operands, operator in ContentStream(page.get_contents(), reader).operations:
        if operator == b"BDC" and operands[0] == "/Span" and "/ActualText" in operands[1]:
            found.append(str(operands[1]["/ActualText"]))
    return found


@needs_pdftotext
def test_the_hostile_name_with_hindi_and_thai_copies_out_as_typed(tmp_path):
    name = f"{HOSTILE_NAME} {HINDI} {THAI}"
    text = _pdftotext(_report(name), tmp_path)
    assert _spaced(name) in _spaced(text)
    assert "िप्रया" not in text  # the vowel sign I no longer comes out before its consonant


@needs_pdftotext
def test_a_hindi_name_in_the_bold_header_bar_copies_out_as_typed(tmp_path):
    name = "प्रिया शर्मा"
    data = _report(name)
    for page in (1, 2):  # the header bar of every page, drawn on the canvas in bold
        header = next(
            line for line in _pdftotext(data, tmp_path, page).splitlines() if "PATIENT" in line
        )
        assert name in header
    assert _spaced(_pdftotext(data, tmp_path)).count(name) >= 2  # the header and the table


@needs_pdftotext
def test_hebrew_and_arabic_copy_out_in_logical_order(tmp_path):
    """pdftotext puts right-to-left runs back in logical order itself (between embedding
    marks); Arabic comes out in its presentation forms, which NFKC maps to the letters."""
    text = _pdftotext(_report(NAME), tmp_path).translate(_BIDI_CONTROLS)
    logical = unicodedata.normalize("NFKC", _spaced(text))
    assert "שרה כהן محمد علي" in logical


def test_each_shaped_run_is_marked_with_its_letters_in_logical_order():
    """Only runs HarfBuzz changed are marked: Latin, CJK, Korean and a Thai word without
    marks to place copy out as drawn already."""
    words = _spaced(" ".join(_actual_texts(_report(NAME)))).split()
    assert {*HINDI.split(), "ใจดี"} <= set(words)
    assert all(word in NAME for word in words)
    assert not {"Zoë", "王小明</b>", "김민준"} & set(words)


def test_a_report_with_shaped_names_passes_the_pdfa_check():
    patient = PatientDetails(name=NAME, mrn="M-1")
    model = build_report_model(
        make_findings(), patient=patient, lab=LAB, generated_at=FIXED_TIME, software_version="0.1"
    )
    archive = make_archival(build_report(model), facts_for(model))
    check = check_archive(archive)
    assert check.passed, check.describe()
