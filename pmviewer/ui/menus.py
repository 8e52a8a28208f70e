"""The window's menus and keyboard shortcuts, as one object wired to explicit handlers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QWidget

from pmviewer.ui import recent_files
from pmviewer.ui.filter_bar import VIEWS


def _shortcut_action(text: str, parent: QWidget, shortcut) -> QAction:
    action = QAction(text, parent)
    action.setShortcut(QKeySequence(shortcut))
    return action


@dataclass
class MenuHandlers:
    """What the menus call; the window hands these over (nothing else is reached into)."""

    choose_file: Callable[[], None]
    open_file: Callable[[str], None]
    copy_selection: Callable[[], Any]
    focus_filter: Callable[[], None]
    set_view: Callable[[str], None]
    edit_preferences: Callable[[], Any]
    import_pgx_calls: Callable[[], Any]
    show_drug_view: Callable[[], Any]
    edit_family: Callable[[], Any]
    load_pedigree: Callable[[], Any]
    export_fhir: Callable[[], Any]
    undo_review: Callable[[], Any]
    can_undo: Callable[[], bool]
    describe_undo: Callable[[], str]
    show_shortcuts: Callable[[], Any]
    show_about: Callable[[], Any]
    table: QWidget  # Ctrl+C copies rows while the table has the focus


class WindowMenus:
    """File (open, recent, export, print), Edit (copy rows, filter, preferences), View
    (Ctrl+1..5) and Review (decisions, patient details, sign-off).

    ``exports`` is the :class:`~pmviewer.ui.export_actions.ExportController` and ``review``
    the :class:`~pmviewer.ui.review_session.ReviewSession`. Each menu has its own method, so a
    new entry goes next to its peers; :meth:`update_review_actions` enables what the open case
    allows.
    """

    def __init__(self, window: QMainWindow, handlers: MenuHandlers, exports: Any, review: Any):
        self.window = window
        self.handlers = handlers
        self.exports = exports
        self.review = review
        self.decision_actions: dict[str, QAction] = {}
        self._file_menu()
        self._edit_menu()
        self._view_menu()
        self._review_menu()
        self._help_menu()
        self.update_review_actions()

    def _action(self, menu: QMenu, text: str, slot, shortcut=None, tip: str = "") -> QAction:
        action = QAction(text, self.window)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setToolTip(tip)
            action.setStatusTip(tip)
        action.triggered.connect(lambda _c=False: slot())
        menu.addAction(action)
        self.window.addAction(action)
        return action

    def _file_menu(self) -> None:
        file_menu = self.window.menuBar().addMenu("&File")
        self.open_action = _shortcut_action("&Open…", self.window, QKeySequence.StandardKey.Open)
        self.open_action.triggered.connect(self.handlers.choose_file)
        file_menu.addAction(self.open_action)
        self.recent_menu = file_menu.addMenu("Open &recent")
        self.recent_menu.aboutToShow.connect(self.fill_recent_menu)
        self.remember_action = QAction("Remember recent files", self.window, checkable=True)
        self.remember_action.setToolTip(
            "Keep a list of the paths of files you opened (no contents)"
        )
        self.remember_action.setChecked(recent_files.enabled())
        self.remember_action.toggled.connect(recent_files.set_enabled)
        file_menu.addAction(self.remember_action)
        self.family_action = self._action(
            file_menu, "&Family members…", self.handlers.edit_family,
            tip="Proband, mother, father and siblings among the file's samples",
        )  # fmt: skip
        self.pedigree_action = self._action(
            file_menu, "Load family &pedigree (PED)…", self.handlers.load_pedigree,
            tip="Name the patient's parents in a family file: their genotypes show inheritance, "
            "de novo variants and phase",
        )  # fmt: skip
        file_menu.addSeparator()
        exports = self.exports
        self.export_report_action = self._action(
            file_menu, "&Export report…", exports.export_report, "Ctrl+E",
            "Check, preview and save the PDF report",
        )  # fmt: skip
        self.print_action = self._action(
            file_menu, "&Print report…", exports.print_report, QKeySequence.StandardKey.Print,
            "Print the same report as the PDF",
        )  # fmt: skip
        export_menu = file_menu.addMenu("Export &findings and review")
        self.export_tsv_action = self._action(
            export_menu, "Findings as &TSV…", lambda: exports.export_findings("tsv")
        )
        self.export_json_action = self._action(
            export_menu, "Findings as &JSON…", lambda: exports.export_findings("json")
        )
        self.export_fhir_action = self._action(
            export_menu, "Report as &FHIR bundle…", self.handlers.export_fhir,
            tip="FHIR R4 Bundle (HL7 Genomics Reporting IG) for the EHR",
        )  # fmt: skip
        self.export_review_action = self._action(
            export_menu, "&Review (JSON)…", exports.export_review,
            tip="Decisions, patient details and sign-off, for `pmviewer report --review`",
        )  # fmt: skip
        self._action(
            file_menu, "Import &pharmacogenomic calls…", self.handlers.import_pgx_calls,
            tip="Outside calls (PharmCAT TSV) for CYP2D6, HLA-A/B, MT-RNR1 or any CPIC gene",
        )  # fmt: skip
        file_menu.addSeparator()
        self._action(file_menu, "&Laboratory settings…", self.review.edit_lab)
        file_menu.addSeparator()
        quit_action = _shortcut_action("&Quit", self.window, QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.window.close)
        file_menu.addAction(quit_action)

    def _edit_menu(self) -> None:
        edit_menu = self.window.menuBar().addMenu("&Edit")
        self.undo_action = self._action(
            edit_menu, "&Undo review action", self.handlers.undo_review,
            QKeySequence.StandardKey.Undo,
            "Put back the last decision, classification or comment (recorded in the audit trail)",
        )  # fmt: skip
        edit_menu.aboutToShow.connect(self._update_undo)
        edit_menu.addSeparator()
        self.copy_action = _shortcut_action(
            "&Copy selected rows", self.window, QKeySequence.StandardKey.Copy
        )
        self.copy_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.copy_action.triggered.connect(self.handlers.copy_selection)
        self.handlers.table.addAction(self.copy_action)
        edit_menu.addAction(self.copy_action)
        self.find_action = _shortcut_action("&Filter…", self.window, QKeySequence.StandardKey.Find)
        self.find_action.triggered.connect(self.handlers.focus_filter)
        edit_menu.addAction(self.find_action)
        self.window.addAction(self.find_action)
        edit_menu.addSeparator()
        self.preferences_action = self._action(
            edit_menu, "&Preferences…", self.handlers.edit_preferences,
            QKeySequence.StandardKey.Preferences,
            "Knowledge file, reference genome and quality thresholds",
        )  # fmt: skip
        self.preferences_action.setMenuRole(QAction.MenuRole.PreferencesRole)

    def _view_menu(self) -> None:
        view_menu = self.window.menuBar().addMenu("&View")
        for number, (key, title) in enumerate(VIEWS.items(), start=1):
            action = _shortcut_action(title, self.window, QKeySequence(f"Ctrl+{number}"))
            action.triggered.connect(lambda _c=False, k=key: self.handlers.set_view(k))
            view_menu.addAction(action)
            self.window.addAction(action)
        self._action(
            view_menu, "&Drugs (CPIC recommendations)…", self.handlers.show_drug_view,
            "Ctrl+Shift+D",
        )  # fmt: skip

    def _review_menu(self) -> None:
        review_menu = self.window.menuBar().addMenu("&Review")
        session = self.review
        for key, text, shortcut in (
            ("include", "&Include in report", "Ctrl+Shift+I"),
            ("exclude", "E&xclude from report", "Ctrl+Shift+X"),
            ("undecided", "Mark &undecided", "Ctrl+Shift+U"),
        ):
            self.decision_actions[key] = self._action(
                review_menu, text, lambda k=key: session.set_decision(k), shortcut,
                "Applies to every selected finding",
            )  # fmt: skip
        review_menu.addSeparator()
        self.patient_action = self._action(
            review_menu, "&Patient and report details…", session.edit_patient, "Ctrl+Shift+P"
        )
        review_menu.addSeparator()
        self.sign_action = self._action(review_menu, "&Sign review…", session.sign_review)
        self.approve_action = self._action(review_menu, "&Approve report…", session.approve)
        self.amend_action = self._action(review_menu, "Start &amendment…", session.start_amendment)

    def _help_menu(self) -> None:
        help_menu = self.window.menuBar().addMenu("&Help")
        self.shortcuts_action = self._action(
            help_menu, "&Keyboard shortcuts", self.handlers.show_shortcuts, "Ctrl+/"
        )
        self.about_action = self._action(help_menu, "&About pmviewer", self.handlers.show_about)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)

    def _update_undo(self) -> None:
        self.undo_action.setEnabled(self.handlers.can_undo())
        self.undo_action.setText(self.handlers.describe_undo())

    def update_review_actions(self) -> None:
        """Enable what the open case allows (a locked case only exports or amends)."""
        case = self.review.case
        has_case = case is not None
        locked = has_case and case.locked
        signoff = case.signoff() if has_case else None
        for action in (
            self.export_report_action,
            self.print_action,
            self.export_tsv_action,
            self.export_json_action,
            self.export_fhir_action,
            self.export_review_action,
            self.patient_action,
        ):
            action.setEnabled(has_case)
        for action in self.decision_actions.values():
            action.setEnabled(has_case and not locked)
        self.sign_action.setEnabled(has_case and not locked)
        self.approve_action.setEnabled(
            has_case and not locked and signoff is not None and bool(signoff.reviewer)
        )
        self.amend_action.setEnabled(bool(locked))

    def fill_recent_menu(self) -> None:
        """Rebuilt each time the menu opens: the remembered paths (if opted in) and Clear."""
        menu = self.recent_menu
        menu.clear()
        paths = recent_files.recent_files()
        if not recent_files.enabled():
            hint = menu.addAction("Turn on “Remember recent files” to list files here")
            hint.setEnabled(False)
        elif not paths:
            menu.addAction("No recent files").setEnabled(False)
        for path in paths:
            action = menu.addAction(path)
            action.triggered.connect(lambda _c=False, p=path: self.handlers.open_file(p))
        menu.addSeparator()
        clear = menu.addAction("Clear list")
        clear.setEnabled(bool(paths))
        clear.triggered.connect(recent_files.clear_recent)
