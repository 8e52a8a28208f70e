"""The patient form shows every script of a name; the date button and the signing heading
draw as meant (no emoji box, no literal markup)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QLabel

from pmviewer.core.model import PatientDetails
from pmviewer.ui.date_field import DateField
from pmviewer.ui.exchange_actions import SigningFields
from pmviewer.ui.patient_form import PatientFormDialog


def test_the_patient_form_offers_qt_the_bundled_script_faces(qtbot):
    form = PatientFormDialog(PatientDetails(name="김민준 प्रिया शर्मा สมชาย"))
    qtbot.addWidget(form)
    families = set(QFontDatabase.families())
    for family in ("NanumGothic", "Noto Sans Devanagari", "Noto Sans Thai"):
        assert family in families


def test_the_date_button_is_a_drawn_calendar_not_an_emoji(qtbot):
    field = DateField("2026-12-03")
    qtbot.addWidget(field)
    assert field.button.text() == ""
    icon = field.button.icon()
    assert not icon.isNull()
    assert {s.width() for s in icon.availableSizes()} >= {16, 32, 48}  # 1x, 2x, 3x


def test_the_signing_heading_is_bold_text_not_markup(qtbot):
    fields = SigningFields()
    qtbot.addWidget(fields)
    heading = next(w for w in fields.findChildren(QLabel) if "Sign the final report" in w.text())
    assert heading.textFormat() == Qt.TextFormat.RichText
