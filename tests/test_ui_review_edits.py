"""Typed review edits are never lost and never land on a finding the counselor cannot see
(real window on the bundled demo patient, offscreen)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog
from test_ui_review import reportable_rows, select
from window_steps import close, make_window, open_demo

from pmviewer.core.resources import demo_vcf_path
from pmviewer.ui.dialogs import ErrorDialog


@pytest.fixture
def window(review_window):
    return review_window


def first_finding(window):
    """Select the first reportable finding; its id and the review panel showing it."""
    reportable_rows(window)
    window.select_row(0)
    return window.model.row_dict(0)["finding_id"], window.review.panel


def test_filter_hiding_the_selected_finding_leaves_nothing_to_decide(window):
    rows = reportable_rows(window)
    select(window, rows[:2])
    panel = window.review.panel
    assert len(panel.finding_ids) == 2
    window.filter_bar.quick.setText("NO-SUCH-GENE-XYZ")
    window.filter_bar.flush()
    assert window.model.rowCount() == 0
    assert panel.finding_ids == []
    assert not panel.decision_buttons["include"].isEnabled()


def test_switching_to_an_empty_filtered_view_clears_the_review_panel(window):
    reportable_rows(window)
    window.select_row(0)
    window.filter_bar.quick.setText("NO-SUCH-GENE-XYZ")
    window.filter_bar.flush()
    window.filter_bar.set_view("carrier")
    assert window.model.rowCount() == 0
    assert window.review.panel.finding_ids == []


def test_sorting_keeps_the_review_on_the_selected_finding(window):
    fid, panel = first_finding(window)
    panel.override_box.setEditText("Likely benign")  # typed, not applied yet
    window.table.sortByColumn(window.model.column_index("kb_gene"), Qt.SortOrder.DescendingOrder)
    row = window.table.currentIndex().row()
    assert window.model.row_dict(row)["finding_id"] == fid == panel.finding_ids[0]
    assert panel.override_box.currentText() == "Likely benign"


def test_override_typed_without_apply_is_saved_on_row_change(window):
    fid, panel = first_finding(window)
    reportable = window.counts()["reportable"]
    panel.override_box.setEditText("Likely benign")
    panel.reason_edit.setText("Segregates with no disease in the family")
    window.select_row(1)
    stored = window.review.case.decision(fid)
    assert stored.classification_override == "Likely benign"
    assert stored.override_reason == "Segregates with no disease in the family"
    frame = window.frames["findings"][0]
    row = frame[frame["finding_id"] == fid].iloc[0]
    assert row["review_override"] == "Likely benign"
    # downgraded: the report no longer prints it as reportable, and neither does the view
    assert row["category"] != "reportable"
    shown = [window.model.row_dict(r)["finding_id"] for r in range(window.model.rowCount())]
    assert fid not in shown
    # the tab count and the case line count what the report will print (a downgraded allele
    # in a recessive gene takes its partner out of the reportable section too)
    from pmviewer.export.report_model import build_report_model

    report = build_report_model(window.review.findings, decisions=window.review.case.decisions())
    printed = len(report.section("reportable"))
    assert window.counts()["reportable"] == printed < reportable
    assert f"of {printed} reportable finding(s) decided" in panel.case_line.text()


def test_override_typed_without_reason_is_reported_not_dropped(window):
    fid, panel = first_finding(window)
    panel.override_box.setEditText("Benign")
    window.select_row(1)
    assert window.review.case.decision(fid).classification_override is None
    assert isinstance(window.dialog, ErrorDialog)
    assert "was not saved" in window.dialog.message and "reason" in window.dialog.message


def test_comment_typed_then_decision_clicked_keeps_the_comment(window):
    fid, panel = first_finding(window)
    panel.comment_edit.setPlainText("Discussed with the family")
    assert panel.comment_timer.isActive()  # still waiting for the typing pause
    panel.decision_buttons["include"].click()
    stored = window.review.case.decision(fid)
    assert stored.decision == "include"
    assert stored.comment == "Discussed with the family"
    assert panel.comment_edit.toPlainText() == "Discussed with the family"


def test_override_typed_then_decision_clicked_keeps_the_override(window):
    fid, panel = first_finding(window)
    panel.override_box.setEditText("Likely pathogenic")
    panel.reason_edit.setText("Functional study")
    panel.decision_buttons["include"].click()
    stored = window.review.case.decision(fid)
    assert (stored.decision, stored.classification_override) == ("include", "Likely pathogenic")


def test_export_to_a_missing_folder_shows_the_counselor_message(window, tmp_path, monkeypatch):

    target = tmp_path / "no-such-folder" / "findings.tsv"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), ""))
    )
    assert window.exports.export_findings("tsv") is None
    assert isinstance(window.dialog, ErrorDialog)
    assert "does not exist" in window.dialog.message
    assert "Errno" not in window.dialog.message


def test_window_does_not_close_on_an_override_that_cannot_be_stored(window):
    fid, panel = first_finding(window)
    panel.override_box.setEditText("Likely benign")
    assert not window.close()  # no reason yet: the window stays, with the message
    assert window.isVisible() and isinstance(window.dialog, ErrorDialog)
    assert "reason" in window.dialog.message
    panel.reason_edit.setText("Population frequency too high")
    assert window.close()
    store = window.review.store
    again = store.open_case(*_case_key(window))
    assert again.decision(fid).classification_override == "Likely benign"


def _case_key(window):
    findings = window.result.analysis.findings
    kb = str((findings.knowledge or {}).get("version", ""))
    return findings.input_sha256, findings.sample, "demo", findings.build, kb


def test_a_file_that_fails_to_open_leaves_the_shown_patient_labelled_as_such(
    qtbot, window, tmp_path
):
    shown = window.path
    title = window.windowTitle()
    case_id = window.review.case.case_id
    broken = tmp_path / "other-patient.vcf"
    broken.write_text("##fileformat=VCFv4.2\nnot a header\n")
    with qtbot.waitSignal(window.load_failed, timeout=120_000):
        window.open_file(str(broken))
    # the table still shows the first patient: the title, file name and case must match it
    assert window.path == shown and window.windowTitle() == title
    assert "other-patient" not in window.windowTitle()
    assert window.review.case.case_id == case_id and window.result is not None
    window.filter_bar.set_view("carrier")  # the views still work on the shown file
    assert window.model.rowCount() == window.counts()["carrier"] > 0


def test_view_switch_never_keeps_a_consequence_filter_the_box_no_longer_shows(qtbot, tmp_path):
    import gzip

    from pmviewer.ui.filter_bar import CONSEQUENCE_ITEMS

    # the demo patient, with one variant outside the findings annotated as intronic
    lines = gzip.open(demo_vcf_path(), "rt").read().splitlines()
    last = lines[-1].split("\t")
    last[7] = "CSQ=C|intron_variant|MODIFIER|FAKE1|||||||"
    last[4] = "C"
    path = tmp_path / "patient-with-intron.vcf"
    path.write_text("\n".join([*lines[:-1], "\t".join(last)]) + "\n")
    window = make_window(qtbot)
    open_demo(qtbot, window, str(path))
    try:
        window.filter_bar.set_view("all")
        box = window.filter_bar.consequence
        fixed = {value for _label, value in CONSEQUENCE_ITEMS}  # "any", impact levels
        box.setCurrentIndex(box.findData("intron_variant"))
        assert window.model.rowCount() == 1
        window.filter_bar.set_view("reportable")  # no intron variant among the findings
        assert box.currentData() in fixed and box.currentData() == "any"
        assert window.model.rowCount() == window.counts()["reportable"] > 0
    finally:
        close(qtbot, window)


def test_copy_of_a_huge_selection_is_capped_and_says_so(window, monkeypatch):
    from PySide6.QtWidgets import QApplication

    from pmviewer.ui import main_window

    window.filter_bar.set_view("all")
    window.table.selectAll()
    assert window.selected_rows() == list(range(window.model.rowCount()))
    monkeypatch.setattr(main_window, "MAX_COPY_ROWS", 5)
    text = window.copy_selection()
    assert QApplication.clipboard().text() == text
    assert len(text.splitlines()) == 1 + 5
    assert f"first 5 of {window.model.rowCount():,}" in window.status_label.text()


def test_export_and_sign_off_stop_at_an_override_that_cannot_be_stored(window, monkeypatch):
    from pmviewer.ui.signoff_dialog import SignOffDialog

    def no_save_dialog(*_a, **_k):
        raise AssertionError("no file should be asked for")

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(no_save_dialog))
    fid, panel = first_finding(window)
    panel.override_box.setEditText("Likely benign")  # no reason yet
    assert window.exports.export_review() is None
    assert isinstance(window.dialog, ErrorDialog) and "reason" in window.dialog.message
    window.review.sign_review()
    assert not isinstance(window.dialog, SignOffDialog)
    panel.reason_edit.setText("Seen in healthy relatives")
    window.review.sign_review()  # stored now, so the sign-off goes on
    assert isinstance(window.dialog, SignOffDialog)
    assert window.review.case.decision(fid).classification_override == "Likely benign"


def test_decision_waits_for_a_typed_override_that_cannot_be_stored(window):
    fid, panel = first_finding(window)
    panel.override_box.setEditText("Benign")  # no reason yet
    panel.decision_buttons["exclude"].click()
    assert isinstance(window.dialog, ErrorDialog) and "reason" in window.dialog.message
    assert window.review.case.decision(fid).decision == "undecided"
    assert not panel.decision_buttons["exclude"].isChecked()
    assert panel.override_box.currentText() == "Benign"  # still there to complete
