"""Preferences parts for the evidence policy and the laboratory assay's target regions."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from pmviewer.core.annotation import QUALIFIERS, EvidencePolicy
from pmviewer.ui.dialog_parts import text_label

ACTION_LABELS = {
    "report": "Report as the gene's rule says",
    "review": "List as uncertain, for review",
    "exclude": "Do not report",
}
BED_FILTER = "Target regions (*.bed *.bed.gz);;All files (*)"
NO_ASSAY = "None: assess genes from the file's own data"


class EvidencePolicyBox(QGroupBox):
    """Minimum ClinVar stars and the handling of each ClinVar qualifier."""

    def __init__(self, policy: EvidencePolicy, parent: QWidget | None = None):
        super().__init__("Evidence policy (printed in the report's methods)", parent)
        form = QFormLayout(self)
        self.min_stars = QSpinBox()
        self.min_stars.setRange(0, 4)
        self.min_stars.setToolTip(
            "ClinVar review status: 0 no assertion criteria, 1 criteria provided, 2 multiple "
            "submitters agree, 3 expert panel, 4 practice guideline"
        )
        form.addRow("Minimum ClinVar stars for a reportable finding", self.min_stars)
        self.qualifier_boxes: dict[str, QComboBox] = {}
        for qualifier in QUALIFIERS:
            combo = QComboBox()
            for key, label in ACTION_LABELS.items():
                combo.addItem(label, key)
            self.qualifier_boxes[qualifier] = combo
            form.addRow(f"ClinVar qualifier '{qualifier}'", combo)
        form.addRow(
            text_label(
                "Drug-response records whose condition is the gene's own ACMG SF condition "
                "(malignant hyperthermia for RYR1 and CACNA1S) are always reported as the "
                "gene's rule says."
            )
        )
        self.set_policy(policy)

    def set_policy(self, policy: EvidencePolicy) -> None:
        self.min_stars.setValue(policy.min_stars)
        for qualifier, combo in self.qualifier_boxes.items():
            combo.setCurrentIndex(max(0, combo.findData(policy.action(qualifier))))

    def policy(self) -> EvidencePolicy:
        return EvidencePolicy(
            self.min_stars.value(),
            {q: str(c.currentData()) for q, c in self.qualifier_boxes.items()},
        )


class AssayTargetsBox(QGroupBox):
    """The laboratory's assays, each with its target BED; one of them is in use.

    Signal ``bed_chosen(name, path)`` asks the dialog to check a BED before it is added."""

    bed_chosen = Signal(str, str)

    def __init__(self, assays: dict[str, str], current: str, parent: QWidget | None = None):
        super().__init__("Laboratory assay (target regions)", parent)
        self.assays = dict(assays)
        grid = QGridLayout(self)
        grid.addWidget(
            text_label(
                "Genes outside the assay's target BED are reported as not assessed. A "
                "variant-only VCF relies on it to say that a gene was tested. The BED must use "
                "the same genome build as the files."
            ),
            0, 0, 1, 3,
        )  # fmt: skip
        self.assay_combo = QComboBox()
        grid.addWidget(self.assay_combo, 1, 0, 1, 2)
        self.remove_button = QPushButton("Remove assay")
        self.remove_button.clicked.connect(self.remove_current)
        grid.addWidget(self.remove_button, 1, 2)
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("New assay name, e.g. Cardio panel v2")
        grid.addWidget(self.name_edit, 2, 0)
        add = QPushButton("Choose its BED…")
        add.clicked.connect(self._pick_bed)
        grid.addWidget(add, 2, 1)
        self.note = text_label()
        grid.addWidget(self.note, 3, 0, 1, 3)
        grid.setColumnStretch(0, 1)
        self._fill(current)

    def _fill(self, current: str) -> None:
        self.assay_combo.clear()
        self.assay_combo.addItem(NO_ASSAY, "")
        for name in sorted(self.assays):
            self.assay_combo.addItem(f"{name}: {Path(self.assays[name]).name}", name)
        self.assay_combo.setCurrentIndex(max(0, self.assay_combo.findData(current)))
        self.remove_button.setEnabled(bool(self.assays))

    def _pick_bed(self) -> None:
        name = self.name_edit.text().strip()
        if not name:
            self.note.setText("Type the assay's name first, then choose its target BED.")
            return
        path, _ = QFileDialog.getOpenFileName(self, f"Target regions of {name}", "", BED_FILTER)
        if path:
            self.bed_chosen.emit(name, path)

    def add_assay(self, name: str, path: str, description: str = "") -> None:
        """Add (or replace) an assay after its BED was checked, and use it."""
        self.assays[name] = path
        self.name_edit.clear()
        self._fill(name)
        self.note.setText(description)

    def remove_current(self) -> None:
        name = str(self.assay_combo.currentData() or "")
        if name:
            self.assays.pop(name, None)
            self._fill("")

    def current(self) -> str:
        return str(self.assay_combo.currentData() or "")

    def values(self) -> tuple[tuple[str, str], ...]:
        return tuple(sorted(self.assays.items()))
