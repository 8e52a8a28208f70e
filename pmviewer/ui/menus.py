"""The window's menus and keyboard shortcuts."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence

from pmviewer.ui import recent_files


def build_menus(window) -> None:
    """File (open, recent, remember), Edit (copy rows, filter) and View (Ctrl+1..5)."""
    file_menu = window.menuBar().addMenu("&File")
    window.open_action = QAction("&Open…", window, shortcut=QKeySequence.StandardKey.Open)
    window.open_action.triggered.connect(window.choose_file)
    file_menu.addAction(window.open_action)
    window.recent_menu = file_menu.addMenu("Open &recent")
    window.recent_menu.aboutToShow.connect(lambda: fill_recent_menu(window))
    window.remember_action = QAction("Remember recent files", window, checkable=True)
    window.remember_action.setToolTip("Keep a list of the paths of files you opened (no contents)")
    window.remember_action.setChecked(recent_files.enabled())
    window.remember_action.toggled.connect(recent_files.set_enabled)
    file_menu.addAction(window.remember_action)
    file_menu.addSeparator()
    quit_action = QAction("&Quit", window, shortcut=QKeySequence.StandardKey.Quit)
    quit_action.triggered.connect(window.close)
    file_menu.addAction(quit_action)

    edit_menu = window.menuBar().addMenu("&Edit")
    window.copy_action = QAction(
        "&Copy selected rows", window, shortcut=QKeySequence.StandardKey.Copy
    )
    window.copy_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    window.copy_action.triggered.connect(window.copy_selection)
    window.table.addAction(window.copy_action)
    edit_menu.addAction(window.copy_action)
    window.find_action = QAction("&Filter…", window, shortcut=QKeySequence.StandardKey.Find)
    window.find_action.triggered.connect(window.focus_filter)
    edit_menu.addAction(window.find_action)
    window.addAction(window.find_action)

    view_menu = window.menuBar().addMenu("&View")
    for number, (key, title) in enumerate(
        [
            ("reportable", "Reportable"),
            ("carrier", "Carrier"),
            ("uncertain", "Uncertain"),
            ("pgx", "Pharmacogenomics"),
            ("all", "All variants"),
        ],
        start=1,
    ):
        action = QAction(title, window, shortcut=QKeySequence(f"Ctrl+{number}"))
        action.triggered.connect(lambda _c=False, k=key: window.filter_bar.set_view(k))
        view_menu.addAction(action)
        window.addAction(action)


def fill_recent_menu(window) -> None:
    """Rebuilt each time the menu opens: the remembered paths (if opted in) and Clear."""
    window.recent_menu.clear()
    paths = recent_files.recent_files()
    if not recent_files.enabled():
        hint = window.recent_menu.addAction("Turn on “Remember recent files” to list files here")
        hint.setEnabled(False)
    elif not paths:
        window.recent_menu.addAction("No recent files").setEnabled(False)
    for path in paths:
        action = window.recent_menu.addAction(path)
        action.triggered.connect(lambda _c=False, p=path: window.open_file(p))
    window.recent_menu.addSeparator()
    clear = window.recent_menu.addAction("Clear list")
    clear.setEnabled(bool(paths))
    clear.triggered.connect(recent_files.clear_recent)
