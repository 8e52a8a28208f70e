"""Laboratory details and the reviewer's name: workstation settings printed on reports.

They live in the viewer settings (:mod:`pmviewer.ui.settings`), never with patient data.
"""

from __future__ import annotations

from dataclasses import asdict, fields

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from pmviewer.core.model import LabDetails
from pmviewer.ui.dialog_parts import StandardButton, accept_buttons, text_label
from pmviewer.ui.settings import read_settings, write_settings

LAB_LABELS = {
    "name": "Laboratory name",
    "address": "Address",
    "phone": "Phone",
    "director": "Laboratory director",
    "accreditation": "Accreditation (e.g. CLIA/CAP numbers)",
}
PAGE_SIZES = ("A4", "letter")


def lab_from_settings() -> LabDetails:
    """The laboratory details stored in the settings (unknown keys ignored)."""
    stored = read_settings("lab_details") or {}
    names = {f.name for f in fields(LabDetails)}
    return LabDetails(**{k: str(v) for k, v in stored.items() if k in names})


class LabSettingsDialog(QDialog):
    """Edit the laboratory details, the default reviewer and the report page size."""

    def __init__(
        self,
        lab: LabDetails,
        reviewer: str = "",
        credentials: str = "",
        page_size: str = "A4",
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setWindowTitle("Laboratory and report settings")
        self.setMinimumWidth(480)
        layout = QVBoxLayout(self)
        layout.addWidget(
            text_label(
                "Printed in the header of every report made on this computer. No patient "
                "data is kept here."
            )
        )
        form = QFormLayout()
        self.edits: dict[str, QLineEdit] = {}
        for f in fields(LabDetails):
            edit = QLineEdit(str(getattr(lab, f.name) or ""))
            form.addRow(LAB_LABELS.get(f.name, f.name), edit)
            self.edits[f.name] = edit
        self.reviewer_edit = QLineEdit(reviewer)
        self.reviewer_edit.setToolTip("Pre-fills the reviewer's name when signing a review")
        form.addRow("Reviewer name", self.reviewer_edit)
        self.credentials_edit = QLineEdit(credentials)
        self.credentials_edit.setPlaceholderText("e.g. MS, CGC")
        form.addRow("Reviewer credentials", self.credentials_edit)
        self.page_size_box = QComboBox()
        self.page_size_box.addItems(PAGE_SIZES)
        self.page_size_box.setCurrentIndex(max(self.page_size_box.findText(page_size), 0))
        form.addRow("Report page size", self.page_size_box)
        layout.addLayout(form)
        self.buttons = accept_buttons(self, StandardButton.Save)
        layout.addWidget(self.buttons)

    @classmethod
    def from_settings(cls, parent: QWidget | None = None) -> LabSettingsDialog:
        return cls(
            lab_from_settings(),
            read_settings("reviewer_name"),
            read_settings("reviewer_credentials"),
            read_settings("report_page_size"),
            parent,
        )

    @property
    def lab(self) -> LabDetails:
        return LabDetails(**{k: e.text().strip() for k, e in self.edits.items()})

    @property
    def reviewer(self) -> str:
        return self.reviewer_edit.text().strip()

    @property
    def credentials(self) -> str:
        return self.credentials_edit.text().strip()

    @property
    def page_size(self) -> str:
        return self.page_size_box.currentText()

    def store(self) -> None:
        """Write the values to the settings file."""
        write_settings(
            lab_details=asdict(self.lab),
            reviewer_name=self.reviewer,
            reviewer_credentials=self.credentials,
            report_page_size=self.page_size,
        )
