"""The patient and report details form, stored with the review case as it is typed.

Built from plain values (a :class:`~pmviewer.core.model.PatientDetails` and the case's report
options) and a ``save`` callback; there is no Save button: each pause in typing saves the
form through the callback (which commits it to the case), and so does closing it. Problems
are shown as they appear (:func:`pmviewer.core.patient.check_patient`); a value with a
problem is still kept, so nothing typed is lost, and the report check lists it again before
a final export.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from pmviewer.core.model import PatientDetails
from pmviewer.core.patient import (
    DATE_FIELDS,
    FIELD_LABELS,
    REQUIRED_FOR_FINAL,
    check_patient,
    normalise_patient,
)
from pmviewer.core.review import REPORT_OPTIONS
from pmviewer.ui.date_field import DateField
from pmviewer.ui.dialog_parts import text_label
from pmviewer.ui.script_fonts import register_script_fonts

SAVE_DELAY_MS = 500
SEX_CHOICES = (("", "Not stated"), ("F", "Female"), ("M", "Male"))
_ERROR_STYLE = "background:#fde2e0"

SaveCallback = Callable[[PatientDetails, dict[str, bool]], object]


class PatientFormDialog(QDialog):
    """Patient, specimen and report details. ``save(patient, options)`` stores them."""

    def __init__(
        self,
        patient: PatientDetails,
        options: dict[str, bool] | None = None,
        *,
        save: SaveCallback | None = None,
        locked: bool = False,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        register_script_fonts()  # the name shows in its script as it will print
        self.setWindowTitle("Patient and report details")
        self.setMinimumWidth(520)
        self._save = save
        self._saved = (normalise_patient(patient), dict(options or {}))
        layout = QVBoxLayout(self)
        intro = text_label(
            "These details are printed on the report and saved with this case as you type. "
            "Fields marked * are needed for a final report. The sex is also used by the "
            "X-linked rules: changing it re-runs the analysis."
        )
        layout.addWidget(intro)
        form = QFormLayout()
        self.edits: dict[str, Any] = {}  # line edits, date fields, combo and text boxes
        for f in fields(PatientDetails):
            name = f.name
            widget = self._field_widget(name, patient)
            label = FIELD_LABELS[name] + (" *" if name in REQUIRED_FOR_FINAL else "")
            form.addRow(label, widget)
            self.edits[name] = widget
        layout.addLayout(form)

        self.option_boxes: dict[str, QCheckBox] = {}
        for key, words in REPORT_OPTIONS.items():
            box = QCheckBox(f"Print the {words}")
            box.setChecked(bool((options or {}).get(key, False)))
            box.toggled.connect(self._edited)
            self.option_boxes[key] = box
            layout.addWidget(box)

        self.problems_label = text_label(name="patientProblems")
        layout.addWidget(self.problems_label)
        self.missing_label = text_label(style="color:#555")
        layout.addWidget(self.missing_label)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.accept)  # closing keeps what was typed
        layout.addWidget(self.buttons)

        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(SAVE_DELAY_MS)
        self.timer.timeout.connect(self.save_now)
        if locked:
            for widget in [*self.edits.values(), *self.option_boxes.values()]:
                widget.setEnabled(False)
            intro.setText(
                "This case is approved and locked. To change these details, start an "
                "amendment (Review ▸ Start amendment…)."
            )
        self._check()

    def _field_widget(self, name: str, patient: PatientDetails) -> QWidget:
        """The editor of one field (sex: a choice; long texts: a box), wired to save."""
        value = str(getattr(patient, name) or "")
        if name == "sex":
            box = QComboBox()
            for code, label in SEX_CHOICES:
                box.addItem(label, code)
            box.setCurrentIndex(max(box.findData(normalise_patient(patient).sex), 0))
            box.currentIndexChanged.connect(self._edited)
            return box
        if name in ("indication", "family_history"):
            text = QPlainTextEdit(value)
            text.setFixedHeight(48)
            text.textChanged.connect(self._edited)
            return text
        if name in DATE_FIELDS:  # the locale's format or a calendar; stored as ISO
            date_field = DateField(value)
            date_field.textChanged.connect(self._edited)
            return date_field
        line = QLineEdit(value)
        line.textChanged.connect(self._edited)
        return line

    # ------------------------------------------------------------------ values
    @property
    def patient(self) -> PatientDetails:
        values = {}
        for name, widget in self.edits.items():
            if isinstance(widget, QComboBox):
                values[name] = str(widget.currentData() or "")
            elif isinstance(widget, QPlainTextEdit):
                values[name] = widget.toPlainText()
            else:
                values[name] = widget.text()
        return normalise_patient(PatientDetails(**values))

    @property
    def options(self) -> dict[str, bool]:
        return {key: box.isChecked() for key, box in self.option_boxes.items()}

    def set_field(self, name: str, value: str) -> None:
        """Type ``value`` into field ``name`` (the sex box takes F, M or '')."""
        widget = self.edits[name]
        if isinstance(widget, QComboBox):
            widget.setCurrentIndex(max(widget.findData(value), 0))
        elif isinstance(widget, QPlainTextEdit):
            widget.setPlainText(value)
        else:
            widget.setText(value)

    def problems(self, final: bool = False) -> list[str]:
        return [p.message for p in check_patient(self.patient, final=final)]

    # ------------------------------------------------------------------ saving
    def _edited(self, *_args) -> None:
        self._check()
        self.timer.start()

    def _check(self) -> None:
        found = check_patient(self.patient)
        bad = {p.field for p in found}
        for name, widget in self.edits.items():
            widget.setStyleSheet(_ERROR_STYLE if name in bad else "")
            widget.setToolTip(
                " ".join(p.message for p in found if p.field == name) if name in bad else ""
            )
        self.problems_label.setText("\n".join(f"⚠ {p.message}" for p in found))
        self.problems_label.setVisible(bool(found))
        missing = [
            FIELD_LABELS[p.field]
            for p in check_patient(self.patient, final=True)
            if "is missing" in p.message
        ]
        self.missing_label.setText(
            "Still needed for a final report: " + ", ".join(missing) if missing else ""
        )

    def save_now(self) -> None:
        """Store the form if anything changed since the last save."""
        self.timer.stop()
        current = (self.patient, self.options)
        if current == self._saved or self._save is None:
            return
        if self._save(*current) is not False:
            self._saved = current

    def done(self, result: int) -> None:  # closing, by button or Escape: keep what was typed
        self.save_now()
        super().done(result)
