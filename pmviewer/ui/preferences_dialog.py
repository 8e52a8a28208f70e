"""Edit ▸ Preferences…: the knowledge file, the reference genome and the quality thresholds.

A chosen knowledge file or reference genome is checked on a worker before it is accepted
(the same checks as ``pmviewer kb verify`` for knowledge files); a file that fails keeps the
previous choice and shows the reason. Saving re-runs the analysis of the open file so what
the window shows matches the preferences.
"""

from __future__ import annotations

import logging
from html import escape
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from pmviewer.core.annotation import QualityThresholds
from pmviewer.ui.dialog_parts import StandardButton, accept_buttons, text_label
from pmviewer.ui.dialogs import ErrorDialog
from pmviewer.ui.policy_widgets import AssayTargetsBox, EvidencePolicyBox
from pmviewer.ui.preferences import (
    AnalysisPreferences,
    check_knowledge_file,
    check_reference,
    knowledge_version,
)
from pmviewer.ui.workers import Worker

log = logging.getLogger(__name__)

KNOWLEDGE_FILTER = "pmviewer knowledge files (*.sqlite *.db);;All files (*)"
FASTA_FILTER = "FASTA files (*.fa *.fasta *.fna);;All files (*)"


def _spin(low: int, high: int, value: int, tip: str) -> QSpinBox:
    box = QSpinBox()
    box.setRange(low, high)
    box.setValue(value)
    box.setToolTip(tip)
    box.setMinimumWidth(90)
    return box


def _fraction(value: float, tip: str) -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setRange(0.0, 1.0)
    box.setDecimals(2)
    box.setSingleStep(0.05)
    box.setValue(value)
    box.setToolTip(tip)
    return box


class PreferencesDialog(QDialog):
    """Signal ``checked(what, ok)`` after a chosen file was checked (``what`` is
    ``"knowledge"`` or ``"reference"``); :meth:`preferences` gives the values to save."""

    checked = Signal(str, bool)

    def __init__(self, prefs: AnalysisPreferences, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        self.setMinimumWidth(620)
        self._knowledge_path = prefs.knowledge_path  # the accepted choice (None: bundled)
        self._chosen_knowledge = prefs.knowledge_path  # a checked file, even when not in use
        self._reference_path = prefs.reference_path
        self._workers: set[Worker] = set()
        self.error_dialog: ErrorDialog | None = None  # the last refusal (tests read it)
        layout = QVBoxLayout(self)
        tabs = QTabWidget()
        files = QWidget()
        files_layout = QVBoxLayout(files)
        files_layout.addWidget(self._knowledge_box())
        files_layout.addWidget(self._reference_box())
        files_layout.addWidget(self._thresholds_box(prefs.thresholds))
        tabs.addTab(files, "Files and thresholds")
        policy = QWidget()
        policy_layout = QVBoxLayout(policy)
        self.policy_box = EvidencePolicyBox(prefs.policy)
        self.assay_box = AssayTargetsBox(dict(prefs.assay_targets), prefs.assay)
        self.assay_box.bed_chosen.connect(self.choose_targets)
        policy_layout.addWidget(self.policy_box)
        policy_layout.addWidget(self.assay_box)
        policy_layout.addStretch(1)
        tabs.addTab(policy, "Evidence policy and assay")
        self.tabs = tabs
        layout.addWidget(tabs)
        note = QLabel("Saving re-runs the analysis of the open file with these preferences.")
        note.setStyleSheet("color:#555")
        layout.addWidget(note)
        self.buttons = accept_buttons(self, StandardButton.Save)
        layout.addWidget(self.buttons)
        self._show_knowledge()

    # ------------------------------------------------------------------ knowledge file
    def _knowledge_box(self) -> QGroupBox:
        box = QGroupBox("Knowledge file")
        grid = QGridLayout(box)
        self.bundled_radio = QRadioButton("Use the bundled knowledge file")
        self.chosen_radio = QRadioButton("Use this file:")
        self.knowledge_group = QButtonGroup(self)
        self.knowledge_group.addButton(self.bundled_radio)
        self.knowledge_group.addButton(self.chosen_radio)
        self.knowledge_edit = QLineEdit()
        self.knowledge_edit.setReadOnly(True)
        self.knowledge_edit.setPlaceholderText("no file chosen")
        self.knowledge_button = QPushButton("Choose…")
        self.knowledge_button.clicked.connect(self._pick_knowledge)
        self.knowledge_info = text_label(rich=True)  # names escaped below
        grid.addWidget(self.bundled_radio, 0, 0, 1, 3)
        grid.addWidget(self.chosen_radio, 1, 0)
        grid.addWidget(self.knowledge_edit, 1, 1)
        grid.addWidget(self.knowledge_button, 1, 2)
        grid.addWidget(self.knowledge_info, 2, 0, 1, 3)
        grid.setColumnStretch(1, 1)
        self.bundled_radio.toggled.connect(self._knowledge_radio_changed)
        return box

    def _knowledge_radio_changed(self, bundled: bool) -> None:
        if bundled:
            self._knowledge_path = None
        elif self._chosen_knowledge:
            self._knowledge_path = self._chosen_knowledge
        self._show_knowledge()

    def _show_knowledge(self) -> None:
        path = self._knowledge_path
        self.bundled_radio.blockSignals(True)
        (self.bundled_radio if path is None else self.chosen_radio).setChecked(True)
        self.bundled_radio.blockSignals(False)
        self.chosen_radio.setEnabled(bool(self._chosen_knowledge))
        self.knowledge_edit.setText(self._chosen_knowledge or "")
        version = knowledge_version(path)
        which = "bundled file" if path is None else Path(path).name
        self.knowledge_info.setText(
            f"In use: {escape(which)}, knowledge version <b>{escape(version or 'unknown')}</b>."
        )

    def _pick_knowledge(self) -> None:
        start = str(Path(self._chosen_knowledge).parent) if self._chosen_knowledge else ""
        path, _ = QFileDialog.getOpenFileName(
            self, "Choose a knowledge file", start, KNOWLEDGE_FILTER
        )
        if path:
            self.choose_knowledge(path)

    def choose_knowledge(self, path: str) -> None:
        """Check ``path`` on a worker; use it only when it passes."""
        self.knowledge_info.setText("Checking the knowledge file…")
        self._check(
            "knowledge", check_knowledge_file, path, lambda summary: self._knowledge_ok(path)
        )

    def _knowledge_ok(self, path: str) -> None:
        self._chosen_knowledge = self._knowledge_path = path
        self._show_knowledge()

    # ------------------------------------------------------------------ reference genome
    def _reference_box(self) -> QGroupBox:
        box = QGroupBox("Reference genome (optional)")
        grid = QGridLayout(box)
        intro = text_label(
            "An uncompressed FASTA of the genome build your files use. With it, insertions "
            "and deletions are fully normalised before they are matched with the knowledge."
        )
        self.reference_edit = QLineEdit(self._reference_path or "")
        self.reference_edit.setReadOnly(True)
        self.reference_edit.setPlaceholderText("none: indels are trimmed but not left-aligned")
        choose = QPushButton("Choose…")
        choose.clicked.connect(self._pick_reference)
        self.reference_clear = QPushButton("Remove")
        self.reference_clear.clicked.connect(self.clear_reference)
        self.reference_clear.setEnabled(bool(self._reference_path))
        self.reference_info = text_label()
        self.reference_info.setVisible(False)
        grid.addWidget(intro, 0, 0, 1, 3)
        grid.addWidget(self.reference_edit, 1, 0)
        grid.addWidget(choose, 1, 1)
        grid.addWidget(self.reference_clear, 1, 2)
        grid.addWidget(self.reference_info, 2, 0, 1, 3)
        grid.setColumnStretch(0, 1)
        return box

    def _pick_reference(self) -> None:
        start = str(Path(self._reference_path).parent) if self._reference_path else ""
        path, _ = QFileDialog.getOpenFileName(
            self, "Choose the reference genome FASTA", start, FASTA_FILTER
        )
        if path:
            self.choose_reference(path)

    def choose_reference(self, path: str) -> None:
        """Check ``path`` on a worker (an index is built once for a new FASTA)."""
        self._reference_note("Checking the FASTA file (indexing a new genome takes a while)…")
        self._check("reference", check_reference, path, lambda text: self._reference_ok(path, text))

    def _reference_ok(self, path: str, description: str) -> None:
        self._reference_path = path
        self.reference_edit.setText(path)
        self.reference_clear.setEnabled(True)
        self._reference_note(description)

    def _reference_note(self, text: str) -> None:
        self.reference_info.setText(text)
        self.reference_info.setVisible(bool(text))

    def clear_reference(self) -> None:
        self._reference_path = None
        self.reference_edit.clear()
        self.reference_clear.setEnabled(False)
        self._reference_note("")

    # ------------------------------------------------------------------ thresholds
    def _thresholds_box(self, t: QualityThresholds) -> QGroupBox:
        box = QGroupBox("Quality thresholds (findings below them are flagged, never hidden)")
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        self.min_dp = _spin(0, 10_000, t.min_dp, "Read depth (DP) below this is flagged")
        self.min_gq = _spin(0, 99, t.min_gq, "Genotype quality (GQ) below this is flagged")
        self.het_low = _fraction(t.het_vaf_low, "Lowest allele fraction of a heterozygous call")
        self.het_high = _fraction(t.het_vaf_high, "Highest allele fraction of a heterozygous call")
        self.hom_min = _fraction(t.hom_vaf_min, "Lowest allele fraction of a homozygous call")
        form.addRow("Minimum depth (DP)", self.min_dp)
        form.addRow("Minimum genotype quality (GQ)", self.min_gq)
        het = QHBoxLayout()
        het.addWidget(self.het_low)
        het.addWidget(QLabel("to"))
        het.addWidget(self.het_high)
        het.addStretch(1)
        form.addRow("Heterozygous allele balance", het)
        form.addRow("Homozygous allele fraction at least", self.hom_min)
        defaults = QPushButton("Restore default thresholds")
        defaults.clicked.connect(lambda: self.set_thresholds(QualityThresholds()))
        form.addRow("", defaults)
        return box

    def set_thresholds(self, t: QualityThresholds) -> None:
        self.min_dp.setValue(t.min_dp)
        self.min_gq.setValue(t.min_gq)
        self.het_low.setValue(t.het_vaf_low)
        self.het_high.setValue(t.het_vaf_high)
        self.hom_min.setValue(t.hom_vaf_min)

    def thresholds(self) -> QualityThresholds:
        low, high = sorted((self.het_low.value(), self.het_high.value()))
        return QualityThresholds(
            min_dp=self.min_dp.value(),
            min_gq=self.min_gq.value(),
            het_vaf_low=round(low, 2),
            het_vaf_high=round(high, 2),
            hom_vaf_min=round(self.hom_min.value(), 2),
        )

    # ------------------------------------------------------------------ checks and result
    def _check(self, what: str, fn, path: str, on_ok) -> None:
        worker = Worker(fn, path, name=f"check-{what}")
        self._set_busy(True)

        def returned(value) -> None:
            self._finished(worker)  # ready to save before anyone hears of the result
            on_ok(value)
            self.checked.emit(what, True)

        def errored(error: BaseException) -> None:
            self._finished(worker)
            if what == "knowledge":
                self._show_knowledge()
            elif what == "reference":
                self._reference_note("")
            self.error_dialog = ErrorDialog.for_error(error, self)
            self.error_dialog.setModal(True)
            self.error_dialog.open()
            self.checked.emit(what, False)

        worker.signals.returned.connect(returned)
        worker.signals.errored.connect(errored)
        worker.signals.finished.connect(lambda: self._finished(worker))
        self._workers.add(worker)
        worker.start()

    def _finished(self, worker: Worker) -> None:
        self._workers.discard(worker)
        self._set_busy(bool(self._workers))

    def _set_busy(self, busy: bool) -> None:
        self.buttons.button(StandardButton.Save).setEnabled(not busy)

    def choose_targets(self, name: str, path: str) -> None:
        """Check an assay's target BED on a worker; add the assay when it reads."""
        self._check(
            "targets",
            _describe_targets,
            path,
            lambda text: self.assay_box.add_assay(name, path, text),
        )

    def preferences(self) -> AnalysisPreferences:
        return AnalysisPreferences(
            self._knowledge_path,
            self._reference_path,
            self.thresholds(),
            self.policy_box.policy(),
            self.assay_box.values(),
            self.assay_box.current(),
        )


def _describe_targets(path: str, progress=None, cancel=None) -> str:
    from pmviewer.core.annotation import read_targets

    regions = read_targets(path)
    bases = sum(end - start + 1 for _, start, end in regions)
    return f"{len(regions):,} target regions, {bases:,} bases."
