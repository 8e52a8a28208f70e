"""Text from files and patients is shown literally in every widget, never read as markup.

A sample name, a warning, a patient name and a comment holding ``<b>BOLD</b><img src=x>`` go
through the real window; for each widget the text a user sees is worked out the way Qt does
(plain, rich, or rich when it looks like markup) and must contain the markup characters.
"""

from __future__ import annotations

import gzip

import pytest
from bundled import require_bundled
from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as QtGuiNamespace  # mightBeRichText lives here
from PySide6.QtGui import QTextDocument

from pmviewer.core.errors import InputFileError
from pmviewer.core.model import PatientDetails
from pmviewer.core.resources import demo_vcf_path
from pmviewer.ui.dialogs import ErrorDialog, SampleChooserDialog
from pmviewer.ui.main_window import MainWindow

MARKUP = "<b>BOLD</b><img src=x>"
WAIT = 120_000


def shown(text: str, text_format: Qt.TextFormat) -> str:
    """What Qt displays for ``text`` in a widget with ``text_format``."""

    rich = text_format == Qt.TextFormat.RichText or (
        text_format == Qt.TextFormat.AutoText and QtGuiNamespace.mightBeRichText(text)
    )
    if not rich:
        return text
    doc = QTextDocument()
    doc.setHtml(text)
    return doc.toPlainText()


def label_shows(label, expected: str) -> bool:
    return expected in shown(label.text(), label.textFormat())


def tooltip_shows(tip: str | None, expected: str) -> bool:
    return tip is not None and expected in shown(tip, Qt.TextFormat.AutoText)


@pytest.fixture
def markup_vcf(tmp_path):
    demo = demo_vcf_path()
    require_bundled(demo, "the bundled demo patient")
    text = gzip.decompress(demo.read_bytes()).decode()
    lines = text.splitlines(keepends=True)
    for i, line in enumerate(lines):
        if line.startswith("#CHROM"):
            cols = line.rstrip("\n").split("\t")
            cols[9] = MARKUP
            lines[i] = "\t".join(cols) + "\n"
    path = tmp_path / "patient.vcf"
    path.write_text("".join(lines))
    return path


def test_file_and_patient_text_is_plain_in_every_widget(qtbot, markup_vcf):
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.findings_shown, timeout=WAIT):
        window.open_file(str(markup_vcf))
    qtbot.waitUntil(lambda: not window.is_loading(), timeout=WAIT)
    assert window.result.analysis.findings.sample == MARKUP

    # status bar: file name and sample
    assert label_shows(window.status_label, f"sample {MARKUP}")
    # the warnings banner
    window._show_warnings([f"Sample {MARKUP} has few calls."])
    assert label_shows(window.banner, MARKUP)
    # the one-off notice banner
    window.banners.show_notice(MARKUP)
    assert label_shows(window.banners.notice, MARKUP)
    # the load status while a file is read
    window.load_status.begin(f"Reading {MARKUP}…")
    assert label_shows(window.load_status.label, MARKUP)
    window.load_status.end()
    # the error dialog
    dialog = ErrorDialog.for_error(InputFileError(f"The file {MARKUP} is damaged."))
    qtbot.addWidget(dialog)
    assert label_shows(dialog.message_label, MARKUP)
    # the sample chooser lists names as items (plain)
    chooser = SampleChooserDialog([MARKUP, "other"], MARKUP)
    qtbot.addWidget(chooser)
    assert chooser.list.item(0).text() == MARKUP
    # the review panel: case line with the patient name, comment tooltips in the table
    case = window.review.case
    case.set_patient(PatientDetails(name=MARKUP))
    window.review.update_summary()
    assert label_shows(window.review.panel.case_line, f"Patient: {MARKUP}")
    fid = str(window.review.findings.frame["finding_id"].iloc[0])
    case.set_comment(fid, f"Discussed: {MARKUP}")
    qtbot.waitUntil(lambda: window.model.rowCount() > 0, timeout=WAIT)
    tips = [
        window.model.data(window.model.index(r, c), Qt.ItemDataRole.ToolTipRole)
        for r in range(window.model.rowCount())
        for c in range(window.model.columnCount())
    ]
    assert any(tooltip_shows(t, f"Discussed: {MARKUP}") for t in tips if t)
    assert all(
        "<img" not in shown(t, Qt.TextFormat.AutoText) or MARKUP in shown(t, Qt.TextFormat.AutoText)
        for t in tips
        if t
    )
    # the detail panel (HTML built with escaping) shows the comment or sample literally
    window.select_row(0)
    assert "<img src=x>" not in window.detail.toHtml()
    # the window title
    assert "<" not in window.windowTitle() or MARKUP in window.windowTitle()
    window.cancel_loading()
    qtbot.waitUntil(lambda: not window.is_loading(), timeout=WAIT)
