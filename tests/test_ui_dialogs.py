"""Dialogs built from plain data; buttons clicked, never exec()."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox

from pmviewer.core.errors import InputFileError
from pmviewer.ui.dialogs import (
    BuildChooserDialog,
    ErrorDialog,
    ExceptionReportDialog,
    SampleChooserDialog,
)


def _click(dialog, which):
    dialog.buttons.button(which).click()


def test_sample_chooser_returns_the_chosen_sample(qtbot):
    dialog = SampleChooserDialog(["father", "mother", "child"], "trio.vcf.gz")
    qtbot.addWidget(dialog)
    dialog.list.setCurrentRow(2)
    _click(dialog, QDialogButtonBox.StandardButton.Ok)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.sample == "child"


def test_sample_chooser_cancel(qtbot):
    dialog = SampleChooserDialog(["a", "b"])
    qtbot.addWidget(dialog)
    _click(dialog, QDialogButtonBox.StandardButton.Cancel)
    assert dialog.result() == QDialog.DialogCode.Rejected


def test_build_chooser_needs_a_choice(qtbot):
    dialog = BuildChooserDialog("No contig lengths in the header.")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.build is None and not dialog.ok_button.isEnabled()
    dialog.radios["GRCh37"].click()
    assert dialog.ok_button.isEnabled()
    dialog.ok_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.build == "GRCh37"


def test_error_dialog_folds_details_and_copies(qtbot):
    try:
        raise InputFileError("The file is truncated. Ask the lab for a complete copy.")
    except InputFileError as error:
        dialog = ErrorDialog.for_error(error)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.message == "The file is truncated. Ask the lab for a complete copy."
    assert not dialog.details_visible and "Traceback" in dialog.details
    dialog.details_button.click()
    assert dialog.details_visible and dialog.details_button.text() == "Hide details"
    dialog.copy_button.click()
    assert QApplication.clipboard().text().startswith("The file is truncated.")
    _click(dialog, QDialogButtonBox.StandardButton.Ok)
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_unexpected_error_gets_a_generic_message(qtbot):
    dialog = ErrorDialog.for_error(KeyError("frame column"))
    qtbot.addWidget(dialog)
    assert "unexpected" in dialog.message and "frame column" in dialog.details


def test_exception_report_shows_details(qtbot):
    dialog = ExceptionReportDialog("Traceback: boom", "/tmp/log.txt")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.details_visible and "/tmp/log.txt" in dialog.message


def test_excepthook_logs_and_opens_report(qtbot, monkeypatch):
    import sys

    from pmviewer.ui import app

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    app.install_excepthook()
    try:
        raise RuntimeError("unexpected state")
    except RuntimeError:
        sys.excepthook(*sys.exc_info())
    (dialog,) = sys.excepthook.dialogs
    qtbot.addWidget(dialog)
    assert "RuntimeError: unexpected state" in dialog.details  # on screen, for the user
    log = app.crash_log_path()
    logged = log.read_text()
    assert "RuntimeError (message withheld)" in logged and "test_ui_dialogs.py" in logged
    assert "unexpected state" not in logged  # messages may quote patient or sample names
    assert log.stat().st_mode & 0o777 == 0o600 and log.parent.stat().st_mode & 0o777 == 0o700
