"""File ▸ Export FHIR bundle and signing from the approval dialog, on the real window and the
demo patient: the bundle validates, the signed report is PDF/A and its signature validates."""

from __future__ import annotations

import json

import pytest
from PySide6.QtWidgets import QFileDialog, QLineEdit
from signing_certs import make_p12
from test_ui_review import _name_reportable_findings, reportable_rows

from pmviewer.export.archive import check_archive
from pmviewer.export.fhir import validate_bundle
from pmviewer.export.signing import check_signatures
from pmviewer.ui.signoff_dialog import SignOffDialog

PASSWORD = "window password"


@pytest.fixture
def window(review_window):
    return review_window


def save_to(monkeypatch, target) -> None:
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), ""))
    )


def test_export_fhir_writes_a_valid_bundle_of_the_open_case(qtbot, window, tmp_path, monkeypatch):
    target = tmp_path / "case.fhir.json"
    save_to(monkeypatch, target)
    assert window.menus.export_fhir_action.isEnabled()
    window.menus.export_fhir_action.trigger()
    qtbot.waitUntil(lambda: window.exports.last_exchange_path == str(target), timeout=60_000)
    bundle = json.loads(target.read_text())
    validate_bundle(bundle)
    report = bundle["entry"][0]["resource"]
    assert report["status"] == "preliminary"  # the case is not approved: a draft
    patient = [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient"]
    assert "SYNTHETIC" in patient[0]["name"][0]["text"]


def test_approval_dialog_offers_signing_with_a_hidden_password(qtbot):
    dialog = SignOffDialog("approve", name="B. Director")
    qtbot.addWidget(dialog)
    assert dialog.signing is not None
    assert dialog.signing.password_edit.echoMode() == QLineEdit.EchoMode.Password
    assert dialog.signing.certificate == ""  # signing is optional
    review = SignOffDialog("review")
    qtbot.addWidget(review)
    assert review.signing is None


def test_approve_and_sign_saves_a_signed_archival_report(
    qtbot, window, tmp_path, monkeypatch, _isolated_user_dirs
):
    p12, pem = make_p12(tmp_path, PASSWORD.encode())
    ids = [window.model.row_dict(r)["finding_id"] for r in reportable_rows(window)]
    window.review.case.set_decisions(ids, "include")
    _name_reportable_findings(window)  # a final report needs them (and reasons)
    window.review.sign_review()
    window.dialog.name_edit.setText("A. Counselor")
    window.dialog.accept()
    window.review.approve()
    dialog = window.dialog
    dialog.name_edit.setText("B. Director")
    dialog.signing.certificate_edit.setText(str(p12))
    dialog.signing.password_edit.setText(PASSWORD)
    target = tmp_path / "signed.pdf"
    save_to(monkeypatch, target)
    dialog.accept()
    qtbot.waitUntil(lambda: window.exports.last_exchange_path == str(target), timeout=120_000)
    data = target.read_bytes()
    (signature,) = check_signatures(data, [pem])
    assert signature.intact and signature.valid and signature.trusted, signature.describe()
    archive = check_archive(data)
    assert archive.passed, archive.describe()
    assert archive.report_id in signature.reason and "final" in signature.reason
    assert archive.attachments == [f"{archive.report_id}.fhir.json"]
    # the password is never stored: not in the case store, settings or logs
    for path in _isolated_user_dirs.rglob("*"):
        if path.is_file():
            assert PASSWORD.encode() not in path.read_bytes(), path


def test_a_wrong_password_is_an_error_dialog_and_no_file(qtbot, window, tmp_path, monkeypatch):
    from pmviewer.ui import exchange_actions
    from pmviewer.ui.dialogs import ErrorDialog

    p12, _ = make_p12(tmp_path, PASSWORD.encode())
    ids = [window.model.row_dict(r)["finding_id"] for r in reportable_rows(window)]
    window.review.case.set_decisions(ids, "include")
    _name_reportable_findings(window)
    window.review.case.sign_review("A. Counselor", "")
    window.review.case.approve("B. Director", "")
    target = tmp_path / "signed.pdf"
    save_to(monkeypatch, target)
    exchange_actions.sign_final_report(window.exports, str(p12), "not it")
    qtbot.waitUntil(lambda: isinstance(window.dialog, ErrorDialog), timeout=120_000)
    assert "could not be opened" in window.dialog.message_label.text()
    assert not target.exists()


def test_export_report_saves_the_archival_pdf(qtbot, window, tmp_path, monkeypatch):
    from pmviewer.ui.export_actions import ReportCheckDialog, ReportPreviewDialog

    target = tmp_path / "report.pdf"
    save_to(monkeypatch, target)
    window.menus.export_report_action.trigger()
    if isinstance(window.dialog, ReportCheckDialog):  # the demo draft lacks a sign-off
        window.dialog.accept()
    qtbot.waitUntil(lambda: isinstance(window.dialog, ReportPreviewDialog), timeout=60_000)
    window.dialog.accept()
    archive = check_archive(target.read_bytes())
    assert archive.passed, archive.describe()
    assert archive.report_id.startswith("PMV-")
