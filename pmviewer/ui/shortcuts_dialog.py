"""Help ▸ Keyboard shortcuts: every shortcut of the window's menus, read from the actions
themselves so the sheet can never disagree with the keys."""

from __future__ import annotations

from html import escape

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

# keys handled by widgets rather than menu actions
EXTRA_KEYS = [
    ("Table", "↑ ↓ Page Up/Down", "Move through the rows"),
    ("Table", "Shift/Ctrl + click", "Select several findings (a decision applies to all)"),
    ("Table", "Tab", "Leave the table for the detail panel and review controls"),
    ("Table", "Right-click", "Copy, hide the column, filter by this value"),
    ("Table header", "Right-click", "Choose the columns shown"),
]


def shortcut_rows(window) -> list[tuple[str, str, str]]:
    """(menu, keys, what) for every menu action with a shortcut, then the widget keys."""
    rows = []
    for menu_action in window.menuBar().actions():
        menu = menu_action.menu()
        if menu is None:
            continue
        title = menu_action.text().replace("&", "")
        for action in menu.actions():
            keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            if keys:
                rows.append((title, keys, action.text().replace("&", "").rstrip("…")))
    return rows + EXTRA_KEYS


def shortcuts_html(window) -> str:
    cells = "".join(
        f"<tr><td style='color:#5b6770;padding-right:12px'>{escape(m)}</td>"
        f"<td style='padding-right:12px'><b>{escape(k)}</b></td><td>{escape(w)}</td></tr>"
        for m, k, w in shortcut_rows(window)
    )
    return f"<h3>Keyboard shortcuts</h3><table cellpadding='2'>{cells}</table>"


class ShortcutsDialog(QDialog):
    def __init__(self, window, parent: QWidget | None = None):
        super().__init__(parent or window)
        self.setWindowTitle("Keyboard shortcuts")
        layout = QVBoxLayout(self)
        self.text = QTextBrowser()
        self.text.setHtml(shortcuts_html(window))
        layout.addWidget(self.text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(560, 520)
