"""Report layout: no word broken inside a narrow table column, and "End of report" closes
the last page, after every appendix."""

from __future__ import annotations

import io
from dataclasses import replace

from pypdf import PdfReader
from reportlab.platypus import Paragraph
from test_report_fixtures import BRCA2, FIXED_TIME, LAB, PATIENT, make_findings

from pmviewer.core.model import Decision
from pmviewer.export.pdf import build_report
from pmviewer.export.pdf_styles import make_styles
from pmviewer.export.pdf_tables import SMALLEST_SHRINK, data_table
from pmviewer.export.report_model import build_report_model


def _cells(table) -> list[Paragraph]:
    return [cell for row in table._cellvalues for cell in row]


def test_a_long_word_in_a_narrow_column_is_set_smaller_not_broken():
    styles = make_styles()
    words = ["dexlansoprazole,", "Reference/Reference", "short"]
    table = data_table(["Drug(s)"], [[w] for w in words], [70], styles)
    cells = _cells(table)[1:]
    for cell in cells[:2]:
        assert cell.style.fontSize < styles.cell.fontSize
        assert cell.minWidth() <= 70 - 6 + 0.01  # the whole word fits the cell
    assert cells[2].style is styles.cell  # a word that fits keeps the cell style


def test_shrinking_stops_at_the_smallest_size():
    styles = make_styles()
    table = data_table(["Drug"], [["x" * 80]], [40], styles)
    cell = _cells(table)[1]
    assert abs(cell.style.fontSize - styles.cell.fontSize * SMALLEST_SHRINK) < 1e-6


def test_end_of_report_follows_the_appendix_of_long_values():
    fid = BRCA2["finding_id"]
    model = build_report_model(
        make_findings([BRCA2]),
        patient=replace(PATIENT, family_history="Maternal aunt, ovarian cancer. " * 400),
        lab=LAB,
        generated_at=FIXED_TIME,
        software_version="0.1.0",
        decisions={fid: Decision(fid, "include")},
    )
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(build_report(model))).pages]
    text = "\n".join(pages)
    assert text.count("End of report") == 1
    assert "End of report" in pages[-1]
    assert text.index("Appendix: full values of long fields") < text.index("End of report")


def test_a_name_too_long_for_the_header_is_cut_between_syllables():
    import unicodedata

    from pmviewer.export.pdf_page import fit
    from pmviewer.export.pdf_styles import FONT_BOLD, register_fonts

    register_fonts()
    for name in ("प्रिया शर्मा " * 3, "สมชาย ใจดี " * 4):
        for width in range(40, 200, 3):
            cut = fit(name, FONT_BOLD, 8, width).removesuffix("…")
            assert name.startswith(cut)
            if cut == name:
                continue
            after = name[len(cut)]
            assert unicodedata.category(after)[0] != "M", (width, cut)  # no vowel sign left
            assert not cut.endswith("\u094d"), (width, cut)  # no dangling virama
