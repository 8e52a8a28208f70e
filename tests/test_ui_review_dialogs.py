"""Review dialogs built from plain data, and the cross-patient memory in the review panel."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date

import pytest
from bundled import require_bundled
from test_ui_review import reportable_rows
from window_steps import close, make_window, open_demo

from pmviewer.core.model import LabDetails, PatientDetails
from pmviewer.ui.lab_settings_dialog import LabSettingsDialog
from pmviewer.ui.patient_form import PatientFormDialog
from pmviewer.ui.settings import read_settings
from pmviewer.ui.signoff_dialog import SignOffDialog


def test_patient_form_validates_as_typed_and_saves_on_pause(qtbot):
    saved: list[tuple[PatientDetails, dict]] = []
    dialog = PatientFormDialog(
        PatientDetails(name="Ada Example"), {}, save=lambda p, o: saved.append((p, o))
    )
    qtbot.addWidget(dialog)
    assert "Date of birth" in dialog.missing_label.text()
    dialog.set_field("date_of_birth", "12/04/1980")
    assert any("YYYY-MM-DD" in p for p in dialog.problems())
    assert "YYYY-MM-DD" in dialog.problems_label.text()
    assert dialog.edits["date_of_birth"].styleSheet()  # the field is highlighted
    future = date(date.today().year + 1, 1, 1).isoformat()
    dialog.set_field("specimen_collected", future)
    assert any("in the future" in p for p in dialog.problems())
    dialog.set_field("specimen_collected", "")
    dialog.set_field("date_of_birth", "1980-04-12")
    dialog.set_field("sex", "F")
    assert dialog.problems() == []
    assert dialog.edits["date_of_birth"].styleSheet() == ""
    qtbot.waitUntil(lambda: bool(saved), timeout=3000)  # saved after the typing pause
    patient, options = saved[-1]
    assert (patient.name, patient.date_of_birth, patient.sex) == ("Ada Example", "1980-04-12", "F")
    assert options == {"include_carrier": False, "include_uncertain": False}
    dialog.option_boxes["include_carrier"].setChecked(True)
    dialog.accept()  # closing saves what is pending
    assert saved[-1][1]["include_carrier"] is True
    assert "MRN" in dialog.missing_label.text()


def test_patient_form_locked_is_read_only(qtbot):
    dialog = PatientFormDialog(PatientDetails(name="X"), {}, locked=True)
    qtbot.addWidget(dialog)
    assert not any(w.isEnabled() for w in dialog.edits.values())


def test_signoff_dialog_requires_name_or_reason(qtbot):
    review = SignOffDialog("review", warnings=["1 reportable finding has no decision yet: X."])
    qtbot.addWidget(review)
    assert not review.ok_button.isEnabled()
    assert "no decision yet" in review.warnings_label.text()
    review.name_edit.setText("  A. Counselor ")
    review.credentials_edit.setText("MS, CGC")
    assert review.ok_button.isEnabled()
    assert (review.name, review.credentials) == ("A. Counselor", "MS, CGC")
    amend = SignOffDialog("amend")
    qtbot.addWidget(amend)
    assert not amend.ok_button.isEnabled()
    amend.reason_edit.setPlainText("New family history")
    assert amend.ok_button.isEnabled() and amend.reason == "New family history"
    with pytest.raises(ValueError):
        SignOffDialog("publish")
    blocked = SignOffDialog("approve", blocking=["2 reportable findings have no decision yet."])
    qtbot.addWidget(blocked)
    blocked.name_edit.setText("B. Director")
    assert not blocked.ok_button.isEnabled()
    assert "Decide these findings first" in blocked.warnings_label.text()


def test_lab_settings_are_stored_in_settings_not_the_case(qtbot):
    lab = LabDetails(name="Genetics Lab", address="1 Main St", director="Dr D")
    dialog = LabSettingsDialog(lab, "A. Counselor", "MS", "letter")
    qtbot.addWidget(dialog)
    dialog.edits["phone"].setText("+1 555 0100")
    dialog.accept()
    dialog.store()
    assert read_settings("lab_details") == {**asdict(lab), "phone": "+1 555 0100"}
    assert read_settings("reviewer_name") == "A. Counselor"
    assert read_settings("report_page_size") == "letter"
    again = LabSettingsDialog.from_settings()
    qtbot.addWidget(again)
    assert again.lab.phone == "+1 555 0100" and again.page_size == "letter"


def test_earlier_decisions_shown_and_reused(qtbot):
    from pmviewer.core.resources import demo_vcf_path

    require_bundled(demo_vcf_path(), "the bundled demo patient")
    window = make_window(qtbot)
    open_demo(qtbot, window, str(demo_vcf_path()))
    try:
        reportable_rows(window)
        fid = window.model.row_dict(0)["finding_id"]
        # another patient's case on this workstation classified the same variant
        other = window.review.store.open_case("b" * 64, "OTHER", "other.vcf", "GRCh38", "kb")
        other.set_override(fid, "Likely benign", "Population frequency too high")
        other.set_comment(fid, "Seen before")
        window.select_row(1)
        window.select_row(0)
        panel = window.review.panel
        assert len(panel.earlier) == 1
        table = panel.earlier_table
        texts = [table.item(0, c).text() for c in range(table.columnCount())]
        assert "Likely benign" in texts and "Seen before" in texts
        assert "other.vcf" not in " ".join(texts) and "OTHER" not in " ".join(texts)
        assert panel.reuse_button.isEnabled()
        panel.reuse_button.click()
        mine = window.review.case.decision(fid)
        assert mine.classification_override == "Likely benign"
        assert "earlier case" in mine.override_reason
        assert "Population frequency too high" in mine.override_reason
    finally:
        close(qtbot, window)
