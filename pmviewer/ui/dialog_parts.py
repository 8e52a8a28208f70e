"""Pieces every dialog repeats: a word-wrapped text label and the accept/Cancel button row."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel

StandardButton = QDialogButtonBox.StandardButton


def text_label(text: str = "", *, name: str = "", style: str = "") -> QLabel:
    """A word-wrapped plain-text label (``name``: object name for tests and style sheets).

    Plain text always: messages quote file names, sample names and patient fields, which
    must never be read as markup (``<img src=…>`` in a sample name)."""
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    label.setWordWrap(True)
    if name:
        label.setObjectName(name)
    if style:
        label.setStyleSheet(style)
    return label


def accept_buttons(
    dialog: QDialog, ok: StandardButton = StandardButton.Ok, ok_text: str = ""
) -> QDialogButtonBox:
    """``ok`` and Cancel, wired to the dialog's ``accept``/``reject``; ``ok_text`` renames
    the ``ok`` button (e.g. "Open sample")."""
    buttons = QDialogButtonBox(ok | StandardButton.Cancel)
    if ok_text:
        buttons.button(ok).setText(ok_text)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons
