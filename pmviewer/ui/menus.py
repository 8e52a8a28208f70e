"""The window's menus and keyboard shortcuts."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence

from pmviewer.ui import export_actions, preferences_dialog, recent_files
from pmviewer.ui.filter_bar import VIEWS


def _action(window, menu, text: str, slot, shortcut=None, tip: str = "") -> QAction:
    action = QAction(text, window)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    if tip:
        action.setToolTip(tip)
        action.setStatusTip(tip)
    action.triggered.connect(lambda _c=False: slot())
    menu.addAction(action)
    window.addAction(action)
    return action


def build_menus(window) -> None:
    """File (open, recent, export, print), Edit (copy rows, filter, preferences), View (Ctrl+1..5) and
    Review (decisions, patient details, sign-off)."""
    _file_menu(window)
    _edit_menu(window)
    _view_menu(window)
    _review_menu(window)


def _file_menu(window) -> None:
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
    window.export_report_action = _action(
        window, file_menu, "&Export report…", lambda: export_actions.export_report(window),
        "Ctrl+E", "Check, preview and save the PDF report",
    )  # fmt: skip
    window.print_action = _action(
        window, file_menu, "&Print report…", lambda: export_actions.print_report(window),
        QKeySequence.StandardKey.Print, "Print the same report as the PDF",
    )  # fmt: skip
    export_menu = file_menu.addMenu("Export &findings and review")
    window.export_tsv_action = _action(
        window, export_menu, "Findings as &TSV…", lambda: export_actions.export_findings(window, "tsv")
    )  # fmt: skip
    window.export_json_action = _action(
        window, export_menu, "Findings as &JSON…",
        lambda: export_actions.export_findings(window, "json"),
    )  # fmt: skip
    window.export_review_action = _action(
        window, export_menu, "&Review (JSON)…", lambda: export_actions.export_review(window),
        tip="Decisions, patient details and sign-off, for `pmviewer report --review`",
    )  # fmt: skip
    file_menu.addSeparator()
    _action(window, file_menu, "&Laboratory settings…", window.review.edit_lab)
    file_menu.addSeparator()
    quit_action = QAction("&Quit", window, shortcut=QKeySequence.StandardKey.Quit)
    quit_action.triggered.connect(window.close)
    file_menu.addAction(quit_action)


def _edit_menu(window) -> None:
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
    edit_menu.addSeparator()
    window.preferences_action = _action(
        window, edit_menu, "&Preferences…", lambda: preferences_dialog.edit_preferences(window),
        QKeySequence.StandardKey.Preferences,
        "Knowledge file, reference genome and quality thresholds",
    )  # fmt: skip
    window.preferences_action.setMenuRole(QAction.MenuRole.PreferencesRole)


def _view_menu(window) -> None:
    view_menu = window.menuBar().addMenu("&View")
    for number, (key, title) in enumerate(VIEWS.items(), start=1):
        action = QAction(title, window, shortcut=QKeySequence(f"Ctrl+{number}"))
        action.triggered.connect(lambda _c=False, k=key: window.filter_bar.set_view(k))
        view_menu.addAction(action)
        window.addAction(action)


def _review_menu(window) -> None:
    review_menu = window.menuBar().addMenu("&Review")
    session = window.review
    window.decision_actions = {}
    for key, text, shortcut in (
        ("include", "&Include in report", "Ctrl+Shift+I"),
        ("exclude", "E&xclude from report", "Ctrl+Shift+X"),
        ("undecided", "Mark &undecided", "Ctrl+Shift+U"),
    ):
        window.decision_actions[key] = _action(
            window, review_menu, text, lambda k=key: session.set_decision(k), shortcut,
            "Applies to every selected finding",
        )  # fmt: skip
    review_menu.addSeparator()
    window.patient_action = _action(
        window, review_menu, "&Patient and report details…", session.edit_patient, "Ctrl+Shift+P"
    )
    review_menu.addSeparator()
    window.sign_action = _action(window, review_menu, "&Sign review…", session.sign_review)
    window.approve_action = _action(window, review_menu, "&Approve report…", session.approve)
    window.amend_action = _action(window, review_menu, "Start &amendment…", session.start_amendment)


def update_review_actions(window) -> None:
    """Enable what the open case allows (a locked case only exports or amends)."""
    case = window.review.case
    has_case = case is not None
    locked = has_case and case.locked
    signoff = case.signoff() if has_case else None
    for action in (
        window.export_report_action,
        window.print_action,
        window.export_tsv_action,
        window.export_json_action,
        window.export_review_action,
        window.patient_action,
    ):
        action.setEnabled(has_case)
    for action in window.decision_actions.values():
        action.setEnabled(has_case and not locked)
    window.sign_action.setEnabled(has_case and not locked)
    window.approve_action.setEnabled(has_case and not locked and bool(signoff.reviewer))
    window.amend_action.setEnabled(bool(locked))


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
