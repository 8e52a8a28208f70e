"""Pieces every dialog repeats: a word-wrapped text label and the accept/Cancel button row."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel

StandardButton = QDialogButtonBox.StandardButton


def text_label(text: str = "", *, name: str = "", style: str = "", rich: bool = False) -> QLabel:
    """A word-wrapped plain-text label (``name``: object name for tests and style sheets).

    Plain text always: messages quote file names, sample names and patient fields, which
    must never be read as markup (``<img src=…>`` in a sample name). ``rich=True`` only
    for markup built here, with every quoted value passed through ``html.escape``."""
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
    label.setText(text)
    label.setWordWrap(True)
    if name:
        label.setObjectName(name)
    if style:
        label.setStyleSheet(style)
    return label


def plain_tooltip(text: object) -> str:
    """A tooltip that shows ``text`` literally: Qt renders any tooltip that looks like markup
    as rich text, so the text is escaped inside a rich-text paragraph that keeps its lines."""
    from html import escape

    return f"<p style='white-space:pre-wrap'>{escape(str(text))}</p>"


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
