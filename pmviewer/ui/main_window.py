"""The main window: open a VCF, watch it load, review findings and variants."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pandas as pd
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHeaderView,
    QLabel,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from pmviewer.core.annotation import spans_for_build
from pmviewer.core.errors import BuildError, Cancelled, SampleError
from pmviewer.core.evidence import pgx_frame, with_finding_categories
from pmviewer.core.table_query import FrameIndex
from pmviewer.core.tumour import TumourFileError
from pmviewer.core.wording import for_window
from pmviewer.ui import exchange_actions, pgx_drug_view, pgx_import, recent_files, table_menus
from pmviewer.ui.detail_panel import DetailPanel
from pmviewer.ui.dialogs import BuildChooserDialog, ErrorDialog, ask_for_sample
from pmviewer.ui.export_actions import ExportController
from pmviewer.ui.filter_bar import FilterBar
from pmviewer.ui.jobs import AllVariants, AnalysisResult, analyse_job, load_all_job
from pmviewer.ui.load_status import LoadStatus
from pmviewer.ui.menus import MenuHandlers, WindowMenus
from pmviewer.ui.preferences_controller import PreferencesController
from pmviewer.ui.review_session import ReviewSession, ReviewViews
from pmviewer.ui.review_undo import ReviewUndo
from pmviewer.ui.settings import read_settings, write_settings
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

VCF_FILTER = "Variant files (*.vcf *.vcf.gz *.vcf.bgz *.bcf);;All files (*)"
MAX_COPY_ROWS = 50_000  # Ctrl+C: about 2 s of formatting


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
        self.path: str | None = None
        self.sample: str | None = None
        self.build: str | None = None
        self.sex: str | None = None  # the patient's sex stated in the review case
        self.mode: str | None = None  # "germline": a tumour file's matched normal is analysed
        self.pedigree: Any = None  # a PED file's Pedigree (else the file's ##PEDIGREE lines)
        self.result: AnalysisResult | None = None
        self.all_variants: AllVariants | None = None
        self.worker: Worker | None = None
        self.workers: set[Worker] = set()  # running workers, kept alive until they finish
        self.dialog: Any = None  # the dialog currently asking something (tests read it)
        self.synthetic = False  # the open file is synthetic demonstration data
        self.preferences = PreferencesController(  # knowledge file, reference, thresholds
            parent=self,
            ask=self.ask,
            keep_alive=self.keep_alive,
            notify=lambda text: self.banners.show_notice(text),
            changed=self.rerun_analysis,
        )
        self.frames: dict[str, tuple[pd.DataFrame, FrameIndex]] = {}
        self.pgx_results: list[dict[str, Any]] = []
        self._previous: tuple | None = None  # the file on screen while another one loads
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
                edit_family=self.edit_family,
                load_pedigree=self.load_pedigree,
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
        review.reannotate_requested.connect(self.reannotate)
        return review

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

    # ================================================================== opening
    def choose_file(self) -> None:
        start = read_settings("last_directory") or str(Path.home())
        path, _ = QFileDialog.getOpenFileName(self, "Open a VCF file", start, VCF_FILTER)
        if path:
            write_settings(last_directory=str(Path(path).parent))
            self.open_file(path)

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

    def edit_family(self) -> None:
        """Roles and sexes of a family file's samples; the analysis runs again with them."""
        from pmviewer.core import vcf
        from pmviewer.ui.family_dialog import FamilyDialog

        path = self.path
        if not path:
            return
        samples = list(vcf.inspect(path).samples)
        if len(samples) < 2:
            self.status_label.setText("This file holds one sample: there is no family to set.")
            return
        findings = self.result.analysis.findings if self.result is not None else None
        family = getattr(findings, "family", (None, None)) if findings is not None else (None, None)
        current = findings.sample if findings is not None else self.sample
        dialog = FamilyDialog(samples, current, self.pedigree or family[1], self)

        def chosen() -> None:
            self.pedigree = dialog.pedigree
            self.open_file(path, sample=dialog.proband, build=self.build, sex=self.sex)

        dialog.accepted.connect(chosen)
        self.ask(dialog)

    def load_pedigree(self) -> None:
        """Read a PED file naming the patient's parents, and analyse the family file again."""
        from pmviewer.core.errors import PmviewerError
        from pmviewer.core.family import read_ped

        start = read_settings("last_directory") or str(Path.home())
        path, _ = QFileDialog.getOpenFileName(
            self,
            "Load the family's pedigree",
            start,
            "Pedigree files (*.ped *.fam *.txt);;All files (*)",
        )
        if not path:
            return
        try:
            self.pedigree = read_ped(path)
        except PmviewerError as error:
            self.ask(ErrorDialog.for_error(error, self))
            return
        self.reannotate(self.sex, "with the family's pedigree")

    def open_demo(self) -> None:
        """Open the bundled synthetic demo patient."""
        from pmviewer.core.resources import demo_vcf_path

        self.open_file(str(demo_vcf_path()))

    def dragEnterEvent(self, event) -> None:  # noqa: N802 - Qt override
        if self._dropped_path(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event) -> None:  # noqa: N802 - Qt override
        path = self._dropped_path(event.mimeData())
        if path:
            event.acceptProposedAction()
            self.open_file(path)

    @staticmethod
    def _dropped_path(mime) -> str | None:
        if mime is None or not mime.hasUrls():
            return None
        for url in mime.urls():
            if url.isLocalFile() and Path(url.toLocalFile()).is_file():
                return url.toLocalFile()
        return None

    def open_file(
        self,
        path: str,
        *,
        sample: str | None = None,
        build: str | None = None,
        sex: str | None = None,
        mode: str | None = None,
    ) -> None:
        """Start loading ``path`` (findings first, then all variants) on a worker.

        ``mode``: None asks what to do with a tumour file; "germline" analyses its normal.
        ``sex``: the patient's stated sex (the review case re-opens the file with it)."""
        self.cancel_loading()
        if self.result is not None:  # shown again, with its name, if this file fails
            self._previous = (self.path, self.sample, self.build, self.sex, self.result)
        self.path, self.sample, self.build, self.sex = str(path), sample, build, sex
        self.mode = mode  # kept for re-annotation of a tumour file's normal
        self.result = None  # the shown file's frames stay until the new findings replace them
        mark_input(self)  # SYNTHETIC banner and title for the demo patient
        # the title names the new file now: its rows replace the shown ones only once they
        # are ready, so meanwhile the window shows which file opens, not the old rows
        if self._previous is None or self._previous[0] != str(path):  # not a re-analysis
            self.welcome.show_opening(str(path))
            self.pages.setCurrentIndex(0)
        self.status_label.setText("")
        self.load_status.begin(f"Reading {Path(path).name} and annotating…")
        worker = Worker(
            analyse_job,
            str(path),
            sample=sample,
            build=build,
            knowledge_path=self.prefs.knowledge_path,
            sex=sex,
            reference=self.prefs.reference_path,
            thresholds=self.prefs.thresholds,
            policy=self.prefs.policy,
            targets=self.prefs.targets_path,
            pedigree=self.pedigree,
            mode=mode,
            name="analyse",
        )
        self.run_worker(worker, self._analysis_ready, self._load_errored)

    def run_worker(self, worker: Worker, on_returned, on_errored) -> None:
        """Start ``worker``; its signals reach the handlers only while it is the current one
        (a file opened meanwhile makes an older, cancelled worker's late signals moot)."""
        self.worker = worker

        def current(handler):
            return lambda *args: handler(*args) if self.worker is worker else None

        worker.signals.progress.connect(current(self.load_status.set_progress))
        worker.signals.returned.connect(current(on_returned))
        worker.signals.errored.connect(current(on_errored))
        worker.signals.finished.connect(lambda: self._worker_finished(worker))
        self.workers.add(worker)  # keep it alive until it finished
        worker.start()

    def keep_alive(self, worker: Worker) -> None:
        """Hold a started worker until it finished (Qt would otherwise delete it early)."""
        worker.signals.finished.connect(lambda: self.workers.discard(worker))
        self.workers.add(worker)

    def _worker_finished(self, worker: Worker) -> None:
        self.workers.discard(worker)
        if self.worker is worker:
            self.worker = None

    def cancel_loading(self) -> None:
        if self.worker is not None:
            self.worker.cancel()

    def is_loading(self) -> bool:
        return self.worker is not None

    def reannotate(self, sex: str | None, why: str = "with the patient's sex") -> None:
        """Analyse the open file again, e.g. with the patient's stated sex (X-linked rules)
        or after the analysis preferences changed."""
        if self.path and self.result is not None:
            sample = self.result.analysis.findings.sample or self.sample
            self.status_label.setText(f"Re-running the analysis {why}…")
            self.open_file(self.path, sample=sample, build=self.build, sex=sex, mode=self.mode)

    @property
    def prefs(self):
        """The analysis preferences in use (:class:`~pmviewer.ui.preferences.AnalysisPreferences`)."""
        return self.preferences.prefs

    def rerun_analysis(self, why: str) -> None:
        """The analysis preferences changed: analyse the open file again with them."""
        if not self.path:
            return
        if self.result is not None:
            self.reannotate(self.sex, why)
        else:  # still loading (or failed): start again with the new preferences
            self.open_file(self.path, sample=self.sample, build=self.build, sex=self.sex)

    def _load_errored(self, error: BaseException) -> None:
        self.load_status.end()
        path, sample, build, sex = self.path or "", self.sample, self.build, self.sex
        self._show_previous()
        if isinstance(error, Cancelled):
            self.status_label.setText("Loading was cancelled.")
        elif isinstance(error, TumourFileError):
            ask_about_tumour_file(self, error, path, build)
        elif isinstance(error, SampleError) and error.samples and sample is None:
            ask_for_sample(self, path, error.samples, build, sex)
        elif isinstance(error, BuildError) and build is None:
            builds = BuildChooserDialog(for_window(str(error)), self)
            builds.accepted.connect(
                lambda: self.open_file(path, sample=sample, build=builds.build, sex=sex)
            )
            self.ask(builds)
        else:
            log.warning("loading a file failed (%s)", type(error).__name__)  # no patient path
            self.status_label.setText("The file could not be opened.")
            self.ask(ErrorDialog.for_error(error, self))
        self.load_failed.emit(error)

    def _show_previous(self) -> None:
        """After a failed or cancelled open, the window is labelled again with the file it
        still shows (title, export names, review case all belong to that file)."""
        previous, self._previous = self._previous, None
        self.welcome.show_opening(None)
        if previous is not None:
            self.path, self.sample, self.build, self.sex, self.result = previous
            mark_input(self)
            self.views.update_counts()
            self.pages.setCurrentIndex(1)

    def ask(self, dialog) -> None:
        self.dialog = dialog
        dialog.setModal(True)
        dialog.open()

    # ================================================================== results
    def _analysis_ready(self, result: AnalysisResult) -> None:
        self.result, self.all_variants, self._previous = result, None, None
        findings = result.analysis.findings
        if self.path:
            recent_files.add_recent(self.path)
        self.pgx_results = list(findings.pgx or [])
        frame = self.review.attach(findings, findings.frame.reset_index(drop=True), self.path)
        self.frames["findings"] = (frame, FrameIndex(frame))
        pgx = pgx_frame(self.pgx_results)
        self.frames["pgx"] = (pgx, FrameIndex(pgx))
        regional = result.analysis.table
        whole_file = regional.regions is None
        if whole_file and len(regional.frame) > 200_000:
            shown = regional.frame  # marked and indexed on the worker below
        else:
            shown = with_finding_categories(regional.frame, frame)
        self.frames["all"] = (shown, FrameIndex(shown))
        self._show_warnings(findings.warnings)
        self.views.update_counts()
        self._describe()
        update_title(self)
        self.pages.setCurrentIndex(1)
        self.views.show_view(self.filter_bar.view)
        self.findings_shown.emit()
        self.load_status.set_text(
            "Findings ready. Preparing the variant table…"
            if whole_file
            else "Findings ready. Loading all variants…"
        )
        worker = Worker(
            load_all_job,
            self.path,
            sample=findings.sample or self.sample,
            findings=frame,
            table=regional if whole_file else None,
            gene_spans=spans_for_build(result.genes.values(), findings.build),
            name="all",
        )
        self.run_worker(worker, self._all_ready, self._all_errored)

    def _all_ready(self, loaded: AllVariants) -> None:
        seconds = self.load_status.end()
        self.all_variants = loaded
        self.frames["all"] = (loaded.frame, loaded.index)
        self.views.update_counts()
        if self.filter_bar.view == "all":
            self.views.show_view("all")
        self._describe(seconds)
        self.all_variants_shown.emit()

    def _all_errored(self, error: BaseException) -> None:
        self.load_status.end()
        if isinstance(error, Cancelled):
            self.status_label.setText(
                "Loading of all variants was cancelled; the findings are complete."
            )
        else:
            self.ask(ErrorDialog.for_error(error, self))
        self.views.update_counts()
        self.load_failed.emit(error)

    def _describe(self, seconds: float | None = None) -> None:
        if self.result is None:
            return
        findings = self.result.analysis.findings
        parts = [Path(self.path or "").name]
        if findings.sample:
            parts.append(f"sample {findings.sample}")
        parts.append(findings.build)
        sex = {"F": "female", "M": "male"}.get(findings.sex or "")
        parts.append(f"{sex} ({findings.sex_source})" if sex else "sex unknown")
        kb = findings.knowledge or {}
        if kb.get("version"):
            parts.append(f"knowledge {kb['version']}")
        if seconds is not None:
            parts.append(f"loaded in {seconds:.1f} s")
        self.status_label.setText(" · ".join(str(p) for p in parts))

    def _show_warnings(self, warnings: list[str]) -> None:
        self.banner.setText("\n".join(f"⚠ {w}" for w in warnings))
        self.banner.setVisible(bool(warnings))

    def set_pgx_results(self, entries: list[dict[str, Any]]) -> None:
        """New pharmacogenomic results for the open file (e.g. outside calls imported): the
        findings, the Pharmacogenomics view and its count all take them."""
        if self.result is not None:
            self.result.analysis.findings.pgx = entries  # the report and exports use these
        self.pgx_results = entries
        frame = pgx_frame(entries)
        self.frames["pgx"] = (frame, FrameIndex(frame))
        self.views.update_counts()
        self.filter_bar.set_view("pgx")
        self.views.show_view("pgx")

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
