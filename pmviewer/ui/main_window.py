"""The main window: open a VCF, watch it load, review findings and variants.

The window builds its widgets and wires the controllers that hold the logic: loading
(:class:`~pmviewer.ui.file_loading.FileLoader`), table views, review, exports, menus and
preferences. Started by the application (``deferred=True``), it shows its start page at
once and builds the review page once the data libraries are imported in the background;
what the user asks for meanwhile runs as soon as the page is ready.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel, QMainWindow, QStackedWidget, QVBoxLayout, QWidget

from pmviewer.ui.load_status import LoadStatus
from pmviewer.ui.settings import read_settings
from pmviewer.ui.start_screen import StartScreen
from pmviewer.ui.window_chrome import (
    Banners,
    mark_input,
    restore_splitter,
    restore_window_geometry,
    save_window_layout,
    update_title,
)

log = logging.getLogger(__name__)

MAX_COPY_ROWS = 50_000  # Ctrl+C: about 2 s of formatting
PRELOAD_DELAY_MS = 30  # the first paint of the window comes before the background imports


class _Loaded:
    """A fact about the open file, kept by the window's :class:`FileLoader` (``None``
    while the review page is still being built)."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, window: Any, owner: type | None = None) -> Any:
        if window is None:
            return self
        loading = window.__dict__.get("loading")
        return getattr(loading, self.name) if loading is not None else None

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
    table, ``load_failed(error)`` when loading stopped (``Cancelled`` included), ``ready``
    once the review page is built (at once unless ``deferred``)."""

    findings_shown = Signal()
    all_variants_shown = Signal()
    load_failed = Signal(object)
    ready = Signal()

    def __init__(self, parent: QWidget | None = None, *, deferred: bool = False):
        super().__init__(parent)
        self.setWindowTitle("pmviewer")
        self.setAcceptDrops(True)
        self.dialog: Any = None  # the dialog currently asking something (tests read it)
        self.synthetic = False  # the open file is synthetic demonstration data
        self.frames: dict[str, tuple[Any, Any]] = {}
        self._pending: list[Callable[[], None]] = []  # asked for before the page was ready
        self._first_open: tuple[str, dict[str, Any]] | None = None  # analysed while it builds
        self._build_shell()
        restore_window_geometry(self)
        self.deferred = deferred
        if deferred:
            from pmviewer.ui.preload import Preloader

            self._preloader = Preloader(self)
            self._preloader.done.connect(self._build_workbench)
            self.load_status.begin("Starting…")
        else:
            self._build_workbench()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        preloader = self.__dict__.pop("_preloader", None)
        if preloader is not None:  # once painted: the imports then compete with nothing
            QTimer.singleShot(
                PRELOAD_DELAY_MS, lambda: preloader.start(first_open=self._first_open)
            )

    @property
    def is_ready(self) -> bool:
        return self.__dict__.get("_ready", False)

    def when_ready(self, action: Callable[[], None]) -> None:
        """Run ``action`` now, or as soon as the review page is built."""
        if self.is_ready:
            action()
        else:
            self._pending.append(action)

    # ================================================================== layout
    def _build_shell(self) -> None:
        """What the window shows at once: banners, the start page and the status bar."""
        self.welcome = StartScreen()  # demo patient, recent files, drop zone
        self.welcome.choose_requested.connect(self.choose_file)
        self.welcome.open_requested.connect(self.open_file)
        self.welcome.demo_requested.connect(self.open_demo)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.welcome)
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

    def _build_workbench(self, startup=None) -> None:
        """The review page and the controllers behind it (they import the data libraries).
        ``startup``: the preferences as the background imports read them (else read here)."""
        from pmviewer.ui import exchange_actions, pgx_drug_view, pgx_import, table_menus
        from pmviewer.ui.dialogs import ErrorDialog
        from pmviewer.ui.export_actions import ExportController
        from pmviewer.ui.menus import MenuHandlers, WindowMenus
        from pmviewer.ui.preferences_controller import PreferencesController
        from pmviewer.ui.review_page import ReviewPage
        from pmviewer.ui.review_undo import ReviewUndo
        from pmviewer.ui.table_views import TableViews

        if self.is_ready:
            return
        self.load_status.end()  # "Starting…"
        self.preferences = PreferencesController(  # knowledge file, reference, thresholds
            parent=self,
            ask=self.ask,
            keep_alive=lambda worker: self.loading.keep_alive(worker),
            notify=lambda text: self.banners.show_notice(text),
            changed=lambda why: self.loading.rerun_analysis(why),
            startup=startup,
        )
        page = ReviewPage()
        self.review_page = page
        self.filter_bar, self.banner, self.table, self.model = (
            page.filter_bar, page.banner, page.table, page.model,
        )  # fmt: skip
        self.detail, self.review_area, self.side, self.splitter = (
            page.detail, page.review_area, page.side, page.splitter,
        )  # fmt: skip
        self.pages.addWidget(page)
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
        self.review = self._build_review(exchange_actions)  # the case of the open file
        self.exports = ExportController(
            parent=self,
            review=self.review,
            status=self.status_label,
            ask=self.ask,
            keep_alive=lambda worker: self.loading.keep_alive(worker),
            input_path=lambda: self.path,
            thresholds=lambda: getattr(self.result, "thresholds", None),
        )
        loading = self.loading = self._build_loading()
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
                edit_family=loading.edit_family,
                load_pedigree=loading.load_pedigree,
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
        restore_splitter(self)
        if self.preferences.startup_notice:
            self.banners.show_notice(self.preferences.startup_notice)
        self.preferences.verify_at_startup()  # the full integrity check of a chosen file
        self._ready = True  # from here on the window does what it is asked at once
        if self.deferred:  # the application: the case store opens while nothing else runs
            QTimer.singleShot(0, self.review.open_store_early)
        pending, self._pending = self._pending, []
        for action in pending:
            action()
        self.ready.emit()

    def _build_review(self, exchange_actions):
        from pmviewer.ui.review_session import ReviewSession, ReviewViews

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

    def _build_loading(self):
        from pmviewer.ui.file_loading import FileLoader, LoadingViews
        from pmviewer.ui.tumour_actions import ask_about_tumour_file

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
                show_warnings=self.review_page.show_warnings,
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
        if not self.is_ready:  # closed while starting: nothing is open yet
            super().closeEvent(event)
            return
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
        if not self.is_ready:
            self.welcome.show_opening(str(path))  # named at once, read once the page is ready
            if self._first_open is None:  # the preloader starts its analysis early
                self._first_open = (str(path), dict(options))
        self.when_ready(lambda: self.loading.open_file(path, **options))

    def choose_file(self) -> None:
        self.when_ready(lambda: self.loading.choose_file())

    def open_demo(self) -> None:
        """The bundled synthetic demo patient, analysed at once with its stated sex (as its
        case will say, so the X-linked rules need no second run)."""
        from pmviewer.core.resources import demo_vcf_path
        from pmviewer.ui.demo_case import demo_open_options

        self.open_file(str(demo_vcf_path()), **demo_open_options())

    def run_worker(self, worker, on_returned, on_errored) -> None:
        self.loading.run_worker(worker, on_returned, on_errored)

    def keep_alive(self, worker) -> None:
        self.loading.keep_alive(worker)

    def cancel_loading(self) -> None:
        if self.is_ready:
            self.loading.cancel()

    def is_loading(self) -> bool:
        return self.is_ready and self.loading.is_loading()

    def reannotate(self, sex: str | None, why: str = "with the patient's sex") -> None:
        self.loading.reannotate(sex, why)

    def set_pgx_results(self, entries: list[dict[str, Any]]) -> None:
        self.loading.set_pgx_results(entries)

    def _show_warnings(self, warnings: list[str]) -> None:
        self.review_page.show_warnings(warnings)

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
        from pmviewer.ui.variant_table_model import selected_view_rows

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
