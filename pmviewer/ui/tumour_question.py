"""The question a tumour file raises on opening, in plain words."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPushButton, QVBoxLayout, QWidget

from pmviewer.core.tumour import TumourFileError
from pmviewer.ui.dialog_parts import text_label

TUMOUR_REPORT = "tumour"
GERMLINE_NORMAL = "germline"


class TumourQuestionDialog(QDialog):
    """ "This file comes from a tumour": the tumour report, the normal's germline analysis
    (when the file has a separate normal), or cancel. ``choice`` holds the answer."""

    def __init__(self, error: TumourFileError, file_name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("This file comes from a tumour")
        self.choice: str | None = None
        tumour = error.tumour
        layout = QVBoxLayout(self)
        intro = (
            f"{file_name} holds variants called in a tumour ({tumour.caller or 'somatic caller'}). "
            "Variants found only in a tumour are not inherited: pmviewer never reports them as "
            "inherited (germline) findings."
        )
        why = "How pmviewer knows: " + ("; ".join(tumour.evidence) or "the file's header") + "."
        for text in (intro, why):
            label = text_label(text)
            label.setTextFormat(Qt.TextFormat.PlainText)
            layout.addWidget(label)
        if error.can_analyse_normal:
            option = (
                f"You can open the tumour report, or analyse the patient's matched normal sample "
                f"({tumour.normal_sample}) for inherited findings. The tumour sample "
                f"({tumour.tumour_sample}) is never analysed for inherited findings."
            )
        else:
            option = (
                "The file has no separate normal (blood or saliva) sample, so it cannot be "
                "analysed for inherited findings. You can open the tumour report."
            )
        label = text_label(option)
        label.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(label)
        self.buttons = QDialogButtonBox()
        self.tumour_button = QPushButton("Open the tumour report…")
        self.buttons.addButton(self.tumour_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.tumour_button.clicked.connect(lambda: self._choose(TUMOUR_REPORT))
        self.germline_button: QPushButton | None = None
        if error.can_analyse_normal:
            self.germline_button = QPushButton(f"Analyse the normal sample {tumour.normal_sample}")
            self.buttons.addButton(self.germline_button, QDialogButtonBox.ButtonRole.AcceptRole)
            self.germline_button.clicked.connect(lambda: self._choose(GERMLINE_NORMAL))
        cancel = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.clicked.connect(self.reject)
        layout.addWidget(self.buttons)

    def _choose(self, choice: str) -> None:
        self.choice = choice
        self.accept()
