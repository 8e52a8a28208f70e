"""The main window: open a VCF, watch it load, review findings and variants.

The window builds its widgets and wires the controllers that hold the logic: loading
(:class:`~pmviewer.ui.file_loading.FileLoader`), table views, review, exports, menus and
preferences.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from pmviewer.ui import exchange_actions, pgx_drug_view, pgx_import, table_menus
from pmviewer.ui.detail_panel import DetailPanel
from pmviewer.ui.dialogs import ErrorDialog
from pmviewer.ui.export_actions import ExportController
from pmviewer.ui.file_loading import FileLoader, LoadingViews
from pmviewer.ui.filter_bar import FilterBar
from pmviewer.ui.load_status import LoadStatus
from pmviewer.ui.menus import MenuHandlers, WindowMenus
from pmviewer.ui.preferences_controller import PreferencesController
from pmviewer.ui.review_session import ReviewSession, ReviewViews
from pmviewer.ui.review_undo import ReviewUndo
from pmviewer.ui.settings import read_settings
from pmviewer.ui.start_screen import StartScreen
from pmviewer.ui.table_views import TableViews
from pmviewer.ui.tumour_actions import ask_about_tumour_file
from pmviewer.ui.variant_table_model import VariantTableModel, selected_view_rows
from pmviewer.ui.window_chrome import (
    Banners,
    mark_input,
    restore_window_layout,
    save_window_layout,
    update_title,
)
from pmviewer.ui.workers import Worker

log = logging.getLogger(__name__)

MAX_COPY_ROWS = 50_000  # Ctrl+C: about 2 s of formatting


class _Loaded:
    """A fact about the open file, kept by the window's :class:`FileLoader`."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, window: Any, owner: type | None = None) -> Any:
        return self if window is None else getattr(window.loading, self.name)

    def __set__(self, window: Any, value: Any) -> None:
        setattr(window.loading, self.name, value)


def dropped_path(mime) -> str | None:
    """The first local file of a drag and drop, if any."""
    if mime is None or not mime.hasUrls():
        return None
    for url in mime.urls():
        if url.isLocalFile() and Path(url.toLocalFile()).is_file():
            return url.toLocalFile()
    return None


class MainWindow(QMainWindow):
    """Signals: ``findings_shown`` after the fast load, ``all_variants_shown`` after the full
    table, ``load_failed(error)`` when loading stopped (``Cancelled`` included)."""

    findings_shown = Signal()
    all_variants_shown = Signal()
    load_failed = Signal(object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("pmviewer")
        self.setAcceptDrops(True)
        self.dialog: Any = None  # the dialog currently asking something (tests read it)
        self.synthetic = False  # the open file is synthetic demonstration data
        self.preferences = PreferencesController(  # knowledge file, reference, thresholds
            parent=self,
            ask=self.ask,
            keep_alive=lambda worker: self.loading.keep_alive(worker),
            notify=lambda text: self.banners.show_notice(text),
            changed=lambda why: self.loading.rerun_analysis(why),
        )
        self.frames: dict[str, tuple[Any, Any]] = {}
        self._build_widgets()
        self.views = TableViews(
            table=self.table,
            model=self.model,
            filter_bar=self.filter_bar,
            detail=self.detail,
            frames=self.frames,
            column_states=dict(read_settings("column_layout")),
            result=lambda: self.result,
            pgx_results=lambda: self.pgx_results,
            all_count=lambda: (
                len(self.all_variants.table.frame) if self.all_variants is not None else None
            ),
        )
        self.review_undo = ReviewUndo(lambda error: self.ask(ErrorDialog.for_error(error, self)))
        self.review = self._build_review()  # the case of the open file (review panel)
        self.loading = self._build_loading()
        self.exports = ExportController(
            parent=self,
            review=self.review,
            status=self.status_label,
            ask=self.ask,
            keep_alive=self.keep_alive,
            input_path=lambda: self.path,
            thresholds=lambda: getattr(self.result, "thresholds", None),
        )
        self.menus = WindowMenus(
            self,
            MenuHandlers(
                choose_file=self.choose_file,
                open_file=self.open_file,
                copy_selection=self.copy_selection,
                focus_filter=self.focus_filter,
                set_view=self.filter_bar.set_view,
                edit_preferences=self.preferences.edit,
                import_pgx_calls=lambda: pgx_import.import_pgx_calls(self),
                show_drug_view=lambda: pgx_drug_view.show_drug_view(self),
                edit_family=self.loading.edit_family,
                load_pedigree=self.loading.load_pedigree,
                export_fhir=lambda: exchange_actions.export_fhir(self.exports),
                undo_review=self.undo_review,
                can_undo=self.review_undo.can_undo,
                describe_undo=self.review_undo.describe,
                show_shortcuts=self.show_shortcuts,
                show_about=self.show_about,
                table=self.table,
            ),
            self.exports,
            self.review,
        )
        table_menus.install(self)  # column chooser, right-click menu, Tab leaves the table
        restore_window_layout(self)
        if self.preferences.startup_notice:
            self.banners.show_notice(self.preferences.startup_notice)
        self.preferences.verify_at_startup()  # the full integrity check of a chosen file

    # ================================================================== layout
    def _build_widgets(self) -> None:
        self.filter_bar = FilterBar()
        self.banner = QLabel("")
        self.banner.setObjectName("warnings")
        self.banner.setTextFormat(Qt.TextFormat.PlainText)  # warnings quote file text
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(
            "QLabel#warnings{background:#fff4d6;border:1px solid #e0c27a;padding:4px;color:#4a3600}"
        )
        self.banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.banner.setVisible(False)

        self.table = self._build_table()

        self.detail = DetailPanel()
        self.detail.setMinimumWidth(320)
        # room for the review controls (decision, override, comment)
        self.review_area = QWidget()
        self.review_area.setObjectName("reviewArea")
        review_layout = QVBoxLayout(self.review_area)
        review_layout.setContentsMargins(0, 0, 0, 0)
        self.review_area.setVisible(False)

        self.side = QSplitter(Qt.Orientation.Vertical)
        self.side.addWidget(self.detail)
        self.side.addWidget(self.review_area)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.side)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)

        review_page = QWidget()
        page_layout = QVBoxLayout(review_page)
        page_layout.setContentsMargins(6, 6, 6, 0)
        page_layout.addWidget(self.filter_bar)
        page_layout.addWidget(self.banner)
        page_layout.addWidget(self.splitter, 1)

        self.welcome = StartScreen()  # demo patient, recent files, drop zone
        self.welcome.choose_requested.connect(self.choose_file)
        self.welcome.open_requested.connect(self.open_file)
        self.welcome.demo_requested.connect(self.open_demo)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.welcome)
        self.pages.addWidget(review_page)
        self.banners = Banners()  # synthetic data, one-off notices: above every page
        central = QWidget()
        central_layout = QVBoxLayout(central)
        central_layout.setContentsMargins(0, 0, 0, 0)
        central_layout.setSpacing(0)
        central_layout.addWidget(self.banners)
        central_layout.addWidget(self.pages, 1)
        self.setCentralWidget(central)

        self.load_status = LoadStatus()
        self.load_status.cancel_requested.connect(self.cancel_loading)
        self.status_label = QLabel("")
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)  # names the file and sample
        self.statusBar().addWidget(self.status_label, 1)
        self.statusBar().addPermanentWidget(self.load_status)

    def _build_table(self) -> QTableView:
        """The variant table over :class:`VariantTableModel` (rows selected whole)."""
        self.model = VariantTableModel(self)
        table = QTableView()
        table.setObjectName("variantTable")
        table.setModel(self.model)
        table.setSortingEnabled(True)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.verticalHeader().setDefaultSectionSize(22)
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        table.horizontalHeader().setSectionsMovable(True)
        table.horizontalHeader().setStretchLastSection(True)
        table.horizontalHeader().setSortIndicatorShown(True)
        table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        return table

    def _build_review(self) -> ReviewSession:
        views = ReviewViews(
            parent=self,
            table=self.table,
            model=self.model,
            area=self.review_area,
            side=self.side,
            frames=self.frames,
            current_view=lambda: self.filter_bar.view,
            ask=self.ask,
            open_dialog=lambda: self.dialog,
            undo_attach=self.review_undo.attach,
            report_model=lambda: self.exports.report_model(),
            sign_final_report=lambda *args: exchange_actions.sign_final_report(self.exports, *args),
        )
        review = ReviewSession(views)
        review.case_changed.connect(self.update_review_actions)
        review.categories_changed.connect(self._categories_changed)
        review.reannotate_requested.connect(lambda sex: self.loading.reannotate(sex))
        return review

    def _build_loading(self) -> FileLoader:
        loading = FileLoader(
            LoadingViews(
                parent=self,
                views=self.views,
                review=self.review,
                frames=self.frames,
                current_view=lambda: self.filter_bar.view,
                set_view=self.filter_bar.set_view,
                load_status=self.load_status,
                status=self.status_label,
                welcome=self.welcome,
                pages=self.pages,
                show_warnings=self._show_warnings,
                prefs=lambda: self.prefs,
                ask=self.ask,
                mark_input=lambda: mark_input(self),
                update_title=lambda: update_title(self),
                tumour_question=lambda error, path, build: ask_about_tumour_file(
                    self, error, path, build
                ),
            )
        )
        loading.findings_shown.connect(self.findings_shown)
        loading.all_variants_shown.connect(self.all_variants_shown)
        loading.load_failed.connect(self.load_failed)
        return loading

    def _categories_changed(self) -> None:
        """An override moved findings between categories: recount the tabs, refilter."""
        self.views.update_counts()
        self.views.apply_filter()

    def update_review_actions(self) -> None:
        if hasattr(self, "menus"):
            self.menus.update_review_actions()
            update_title(self)  # shows the status once a case is final

    # ================================================================== settings
    def save_settings(self) -> None:
        self.views.remember_columns()
        save_window_layout(self, self.views.column_states)

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt override
        if not self.review.close():  # a typed edit could not be stored: the message says why
            event.ignore()
            return
        self.cancel_loading()
        self.save_settings()
        super().closeEvent(event)

    # ================================================================== small actions
    def undo_review(self) -> None:
        """Ctrl+Z: put back the last review change (the undo is audit-logged)."""
        what = self.review_undo.describe()
        if self.review_undo.undo():
            self.status_label.setText(f"{what}: done (recorded in the audit trail).")
        elif not self.review_undo.steps:
            self.status_label.setText("Nothing to undo.")

    def show_shortcuts(self) -> None:
        from pmviewer.ui.shortcuts_dialog import ShortcutsDialog

        self.ask(ShortcutsDialog(self))

    def show_about(self) -> None:
        from pmviewer.ui.about_dialog import AboutDialog

        self.ask(AboutDialog(self.prefs.knowledge_path, self))

    def dragEnterEvent(self, event) -> None:  # noqa: N802 - Qt override
        if dropped_path(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event) -> None:  # noqa: N802 - Qt override
        path = dropped_path(event.mimeData())
        if path:
            event.acceptProposedAction()
            self.open_file(path)

    def ask(self, dialog) -> None:
        self.dialog = dialog
        dialog.setModal(True)
        dialog.open()

    @property
    def prefs(self):
        """The analysis preferences in use (:class:`~pmviewer.ui.preferences.AnalysisPreferences`)."""
        return self.preferences.prefs

    # ================================================================== the open file
    # (the loading flow lives in FileLoader; these names are the window's public face)
    path = _Loaded()
    sample = _Loaded()
    build = _Loaded()
    sex = _Loaded()
    mode = _Loaded()
    pedigree = _Loaded()
    result = _Loaded()
    all_variants = _Loaded()
    pgx_results = _Loaded()
    worker = _Loaded()
    workers = _Loaded()

    def open_file(self, path: str, **options) -> None:
        """Start loading ``path`` (see :meth:`FileLoader.open_file` for ``options``)."""
        self.loading.open_file(path, **options)

    def choose_file(self) -> None:
        self.loading.choose_file()

    def open_demo(self) -> None:
        self.loading.open_demo()

    def run_worker(self, worker: Worker, on_returned, on_errored) -> None:
        self.loading.run_worker(worker, on_returned, on_errored)

    def keep_alive(self, worker: Worker) -> None:
        self.loading.keep_alive(worker)

    def cancel_loading(self) -> None:
        self.loading.cancel()

    def is_loading(self) -> bool:
        return self.loading.is_loading()

    def reannotate(self, sex: str | None, why: str = "with the patient's sex") -> None:
        self.loading.reannotate(sex, why)

    def set_pgx_results(self, entries: list[dict[str, Any]]) -> None:
        self.loading.set_pgx_results(entries)

    def _show_warnings(self, warnings: list[str]) -> None:
        self.banner.setText("\n".join(f"⚠ {w}" for w in warnings))
        self.banner.setVisible(bool(warnings))

    def counts(self) -> dict[str, int | None]:
        """Rows per view (``None`` for All variants while it is still loading)."""
        return self.views.counts()

    def select_row(self, row: int) -> None:
        self.views.select_row(row)

    def detail_html(self, row: dict[str, Any]) -> str:
        """The detail panel HTML for a row of the current view."""
        return self.views.detail_html(row)

    # ================================================================== keyboard actions
    def focus_filter(self) -> None:
        self.filter_bar.quick.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter_bar.quick.selectAll()

    def selected_rows(self) -> list[int]:
        rows = selected_view_rows(self.table.selectionModel(), self.model.rowCount())
        return rows.tolist()

    def copy_selection(self) -> str:
        """Copy the selected rows as TSV (with a header line); returns the text. At most
        ``MAX_COPY_ROWS`` rows: a genome's worth would freeze the window for minutes."""
        rows = self.selected_rows()
        if not rows:
            return ""
        text = self.model.rows_as_tsv(rows[:MAX_COPY_ROWS])
        QGuiApplication.clipboard().setText(text)
        if len(rows) > MAX_COPY_ROWS:
            self.status_label.setText(
                f"Copied the first {MAX_COPY_ROWS:,} of {len(rows):,} selected rows; filter "
                "the table to copy the others."
            )
        else:
            self.status_label.setText(f"Copied {len(rows):,} row(s) as tab-separated text.")
        return text
