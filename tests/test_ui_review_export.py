"""Export report (check, preview, save), print, on the real window and the demo patient."""

from __future__ import annotations

import io
import shutil

import pytest
from pypdf import PdfReader
from PySide6.QtWidgets import QDialog, QFileDialog
from test_ui_review import reportable_rows

from pmviewer.core.model import PatientDetails
from pmviewer.ui.export_actions import ReportCheckDialog, ReportPreviewDialog


@pytest.fixture
def window(review_window):
    return review_window


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_demo_case_opens_with_its_synthetic_patient_details(window):
    patient = window.review.case.patient()
    assert "SYNTHETIC" in patient.name and patient.sex == "F" and patient.date_of_birth


def test_report_check_lists_what_is_missing(window):
    ids = [window.model.row_dict(r)["finding_id"] for r in reportable_rows(window)]
    window.review.save_patient(PatientDetails(), {})  # clear the demo's prefilled details
    problems = window.review.report_problems()
    assert any("Date of birth is missing" in p for p in problems)
    assert any("no decision yet" in p for p in problems)
    assert any("No reviewer" in p for p in problems)
    window.review.case.set_decisions(ids, "include")
    window.review.save_patient(PatientDetails(date_of_birth="1980-04-12"), {})
    problems = window.review.report_problems()
    assert not any("no decision yet" in p or "Date of birth" in p for p in problems)
    assert any("MRN is missing" in p for p in problems)

    window.menus.export_report_action.trigger()
    dialog = window.dialog
    assert isinstance(dialog, ReportCheckDialog)
    assert "MRN is missing" in dialog.list_label.text()
    assert "No reviewer has signed" in dialog.list_label.text()
    dialog.reject()  # "Go back": nothing else opens
    assert window.dialog is dialog


def test_export_report_preview_then_save_pdf(qtbot, window, tmp_path, monkeypatch):
    ids = [window.model.row_dict(r)["finding_id"] for r in reportable_rows(window)]
    case = window.review.case
    case.set_decision(ids[0], "include")
    case.set_comment(ids[0], "Cascade testing offered to sisters")
    case.set_override(ids[0], "Likely pathogenic", "Functional study PMID 123")
    target = tmp_path / "out.pdf"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), ""))
    )
    window.menus.export_report_action.trigger()
    assert isinstance(window.dialog, ReportCheckDialog)  # draft: sign-off missing
    window.dialog.accept()
    qtbot.waitUntil(lambda: isinstance(window.dialog, ReportPreviewDialog), timeout=60_000)
    preview = window.dialog
    assert isinstance(preview, ReportPreviewDialog)
    if shutil.which("pdftoppm"):
        assert preview.mode == "pages" and preview.page_count == len(
            PdfReader(io.BytesIO(preview.pdf)).pages
        )
    else:
        assert preview.mode == "summary"
    preview.accept()
    data = target.read_bytes()
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    assert "Cascade testing offered to sisters" in text
    assert "Functional study PMID 123" in text
    assert "DRAFT" in text.upper()


def test_preview_without_page_images_shows_the_content(window, qtbot):
    ids = [window.model.row_dict(r)["finding_id"] for r in reportable_rows(window)]
    window.review.case.set_comment(ids[0], "Seen in clinic")
    model, pdf = window.exports.report_pdf()
    dialog = ReportPreviewDialog(pdf, model, pages=[])
    qtbot.addWidget(dialog)
    assert dialog.mode == "summary"
    assert "Seen in clinic" in dialog.text.toPlainText()


class FakePrintDialog:
    """Stands in for QPrintDialog: 'the user chose a PDF printer and pressed Print'."""

    target = ""

    def __init__(self, printer, parent=None):
        from PySide6.QtPrintSupport import QPrinter

        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(self.target)
        printer.setResolution(72)

    def exec(self):
        return QDialog.DialogCode.Accepted


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="printing needs pdftoppm")
def test_print_renders_every_page(qtbot, window, tmp_path):
    FakePrintDialog.target = str(tmp_path / "printed.pdf")
    assert window.exports.print_report(dialog_class=FakePrintDialog)
    qtbot.waitUntil(lambda: window.exports.print_job["pages"] is not None, timeout=60_000)
    _model, pdf = window.exports.report_pdf()
    printed = PdfReader(FakePrintDialog.target)
    assert len(printed.pages) == len(PdfReader(io.BytesIO(pdf)).pages)
