"""The window's file-loading flow: open a file on a worker, show its findings, then all its
variants; a failure asks what it needs (sample, build, tumour file) or says what went wrong.

:class:`FileLoader` owns the open file's state (path, sample, build, stated sex, the analysis
shown) and the workers that load it. The window hands it its widgets and callbacks
(:class:`LoadingViews`) and relays its signals.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QLabel, QStackedWidget, QWidget

from pmviewer.core.errors import BuildError, Cancelled, SampleError
from pmviewer.core.wording import for_window
from pmviewer.ui import head_start
from pmviewer.ui.dialogs import BuildChooserDialog, ErrorDialog, ask_for_sample
from pmviewer.ui.jobs import (
    WHOLE_GENOME_ROWS,
    AllVariants,
    AnalysisResult,
    FindingsHandoff,
    FindingsMarks,
    analyse_job,
    load_all_job,
    reusable_table,
    same_categories,
    whole_file_job,
    with_case_prepared,
)
from pmviewer.ui.settings import read_settings, write_settings
from pmviewer.ui.turns import next_turn
from pmviewer.ui.workers import Worker

log = logging.getLogger(__name__)

VCF_FILTER = "Variant files (*.vcf *.vcf.gz *.vcf.bgz *.bcf);;All files (*)"
FINDINGS_PAGE, START_PAGE = 1, 0  # the window's pages (StartScreen first)


@dataclass
class LoadingViews:
    """What a :class:`FileLoader` works with, handed over by the window that owns it."""

    parent: QWidget  # dialogs open over it
    views: Any  # TableViews: counts, the shown view
    review: Any  # ReviewSession: the case opened with each new result
    frames: dict[str, tuple[Any, Any]]  # the window's frames by view name
    current_view: Callable[[], str]  # the tab shown ("reportable", ..., "all")
    set_view: Callable[[str], None]  # select a tab
    load_status: Any  # LoadStatus: progress, elapsed time, Cancel
    status: QLabel  # the status-bar line
    welcome: Any  # StartScreen: names the file that opens
    pages: QStackedWidget  # start page, findings page
    show_warnings: Callable[[list[str]], None]  # the warnings banner above the table
    prefs: Callable[[], Any]  # the AnalysisPreferences in use
    ask: Callable[[Any], None]  # open a dialog modally (the window keeps it for tests)
    mark_input: Callable[[], None]  # banner and title of the file being opened
    update_title: Callable[[], None]
    tumour_question: Callable[[Any, str, str | None], None]  # (error, path, build)


class FileLoader(QObject):
    """Signals: ``findings_shown`` after the fast load, ``all_variants_shown`` after the full
    table, ``load_failed(error)`` when loading stopped (``Cancelled`` included)."""

    findings_shown = Signal()
    all_variants_shown = Signal()
    load_failed = Signal(object)

    def __init__(self, views: LoadingViews) -> None:
        super().__init__(views.parent)
        self.ui = views
        self.path: str | None = None
        self.sample: str | None = None
        self.build: str | None = None
        self.sex: str | None = None  # the patient's sex stated in the review case
        self.mode: str | None = None  # "germline": a tumour file's matched normal is analysed
        self.pedigree: Any = None  # a PED file's Pedigree (else the file's ##PEDIGREE lines)
        self.result: AnalysisResult | None = None
        self.all_variants: AllVariants | None = None
        self.pgx_results: list[dict[str, Any]] = []
        self.worker: Worker | None = None
        # the whole file, read from the open on beside the analysis: the current worker
        # from the findings on (until then Cancel stops it with the analysis)
        self.whole: Worker | None = None
        self._handoff: FindingsHandoff | None = None  # where its findings go
        self.workers: set[Worker] = set()  # running workers, kept alive until they finish
        self._previous: tuple | None = None  # the file on screen while another one loads

    # ------------------------------------------------------------------ choosing a file
    def choose_file(self) -> None:
        start = read_settings("last_directory") or str(Path.home())
        path, _ = QFileDialog.getOpenFileName(self.ui.parent, "Open a VCF file", start, VCF_FILTER)
        if path:
            write_settings(last_directory=str(Path(path).parent))
            self.open_file(path)

    def edit_family(self) -> None:
        """Roles and sexes of a family file's samples; the analysis runs again with them."""
        from pmviewer.core import vcf
        from pmviewer.ui.family_dialog import FamilyDialog

        path = self.path
        if not path:
            return
        samples = list(vcf.inspect(path).samples)
        if len(samples) < 2:
            self.ui.status.setText("This file holds one sample: there is no family to set.")
            return
        findings = self.result.analysis.findings if self.result is not None else None
        family = getattr(findings, "family", (None, None)) if findings is not None else (None, None)
        current = findings.sample if findings is not None else self.sample
        dialog = FamilyDialog(samples, current, self.pedigree or family[1], self.ui.parent)

        def chosen() -> None:
            self.pedigree = dialog.pedigree
            self.open_file(path, sample=dialog.proband, build=self.build, sex=self.sex)

        dialog.accepted.connect(chosen)
        self.ui.ask(dialog)

    def load_pedigree(self) -> None:
        """Read a PED file naming the patient's parents, and analyse the family file again."""
        from pmviewer.core.errors import PmviewerError
        from pmviewer.core.family import read_ped

        start = read_settings("last_directory") or str(Path.home())
        path, _ = QFileDialog.getOpenFileName(
            self.ui.parent,
            "Load the family's pedigree",
            start,
            "Pedigree files (*.ped *.fam *.txt);;All files (*)",
        )
        if not path:
            return
        try:
            self.pedigree = read_ped(path)
        except PmviewerError as error:
            self.ui.ask(ErrorDialog.for_error(error, self.ui.parent))
            return
        self.reannotate(self.sex, "with the family's pedigree")

    # ------------------------------------------------------------------ loading
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
        self.cancel()
        if self.result is not None:  # shown again, with its name, if this file fails
            self._previous = (self.path, self.sample, self.build, self.sex, self.result)
        self.path, self.sample, self.build, self.sex = str(path), sample, build, sex
        self.mode = mode  # kept for re-annotation of a tumour file's normal
        self.result = None  # the shown file's frames stay until the new findings replace them
        self.ui.mark_input()  # SYNTHETIC banner and title for the demo patient
        # the title names the new file now: its rows replace the shown ones only once they
        # are ready, so meanwhile the window shows which file opens, not the old rows
        if self._previous is None or self._previous[0] != str(path):  # not a re-analysis
            self.ui.welcome.show_opening(str(path))
            self.ui.pages.setCurrentIndex(START_PAGE)
        self.ui.status.setText("")
        self.ui.load_status.begin(f"Reading {Path(path).name} and annotating…")
        analysis = with_case_prepared(head_start.or_run(analyse_job), self._store_path())
        worker = Worker(
            analysis, str(path), sample=sample, build=build, sex=sex,
            pedigree=self.pedigree, mode=mode, name="analyse",
            **_analysis_options(self.ui.prefs()),
        )  # fmt: skip
        self.run_worker(worker, self._analysis_ready, self._load_errored)
        self._start_whole_file(str(path), sample, mode)

    def _store_path(self):
        """The case store, where the analysis worker creates a new case."""
        return getattr(self.ui.review, "store_path", None)

    def _start_whole_file(self, path: str, sample: str | None, mode: str | None) -> None:
        """Read the whole file from now on, beside the analysis, so that All variants is
        mostly read by the time the findings are shown. A re-analysis of the file shown
        reads nothing again: its table is marked with the new findings."""
        shown = self.all_variants
        if shown is not None and self._previous is not None and self._previous[0] == path:
            if sample is None or sample == shown.table.sample:
                return  # the table shown is marked again (its content is checked then)
        handoff = FindingsHandoff()
        worker = Worker(whole_file_job, path, sample=sample, mode=mode, handoff=handoff, name="all")
        self.whole, self._handoff = worker, handoff
        self._connect(worker, self._all_ready, self._all_errored)
        worker.start()

    def run_worker(self, worker: Worker, on_returned, on_errored, *, start: bool = True) -> None:
        """Start ``worker`` (``start=False``: the caller starts it); its signals reach the
        handlers only while it is the current one (a file opened meanwhile makes an older,
        cancelled worker's late signals moot)."""
        self.worker = worker
        self._connect(worker, on_returned, on_errored)
        if start:
            worker.start()

    def _connect(self, worker: Worker, on_returned, on_errored) -> None:
        """Route ``worker``'s signals to the handlers while it is the current worker."""

        def current(handler):
            return lambda *args: handler(*args) if self.worker is worker else None

        worker.signals.progress.connect(current(self.ui.load_status.set_progress))
        worker.signals.returned.connect(current(on_returned))
        worker.signals.errored.connect(current(on_errored))
        worker.signals.finished.connect(lambda: self._worker_finished(worker))
        self.workers.add(worker)  # keep it alive until it finished

    def keep_alive(self, worker: Worker) -> None:
        """Hold a started worker until it finished (Qt would otherwise delete it early)."""
        worker.signals.finished.connect(lambda: self.workers.discard(worker))
        self.workers.add(worker)

    def _worker_finished(self, worker: Worker) -> None:
        self.workers.discard(worker)
        if self.worker is worker:
            self.worker = None
        if self.whole is worker:  # its handoff held the findings: let them go with it
            self.whole, self._handoff = None, None

    def cancel(self) -> None:
        """Stop the analysis and the whole-file read (whichever run)."""
        if self.worker is not None:
            self.worker.cancel()
        self._stop_whole_file()

    def _stop_whole_file(self) -> None:
        """Cancel the whole-file read (it counts as loading until it has stopped)."""
        if self.whole is not None:
            self.whole.cancel()

    def _running_whole_file(self) -> Worker | None:
        whole = self.whole
        return whole if whole is not None and not whole.cancelled else None

    def is_loading(self) -> bool:
        return self.worker is not None or self.whole is not None

    def reannotate(self, sex: str | None, why: str = "with the patient's sex") -> None:
        """Analyse the open file again, e.g. with the patient's stated sex (X-linked rules)
        or after the analysis preferences changed."""
        if self.path and self.result is not None:
            sample = self.result.analysis.findings.sample or self.sample
            self.ui.status.setText(f"Re-running the analysis {why}…")
            self.open_file(self.path, sample=sample, build=self.build, sex=sex, mode=self.mode)

    def rerun_analysis(self, why: str) -> None:
        """The analysis preferences changed: analyse the open file again with them."""
        if not self.path:
            return
        if self.result is not None:
            self.reannotate(self.sex, why)
        else:  # still loading (or failed): start again with the new preferences
            self.open_file(self.path, sample=self.sample, build=self.build, sex=self.sex)

    # ------------------------------------------------------------------ failures
    def _load_errored(self, error: BaseException) -> None:
        self.ui.load_status.end()
        self._stop_whole_file()  # the analysis says what is wrong; the rest is moot
        path, sample, build, sex = self.path or "", self.sample, self.build, self.sex
        self._show_previous()
        parent = self.ui.parent
        if isinstance(error, Cancelled):
            self.ui.status.setText("Loading was cancelled.")
        elif _is_tumour_question(error):
            self.ui.tumour_question(error, path, build)
        elif isinstance(error, SampleError) and error.samples and sample is None:
            ask_for_sample(self, parent, path, error.samples, build, sex)
        elif isinstance(error, BuildError) and build is None:
            builds = BuildChooserDialog(for_window(str(error)), parent)
            builds.accepted.connect(
                lambda: self.open_file(path, sample=sample, build=builds.build, sex=sex)
            )
            self.ui.ask(builds)
        else:
            log.warning("loading a file failed (%s)", type(error).__name__)  # no patient path
            self.ui.status.setText("The file could not be opened.")
            self.ui.ask(ErrorDialog.for_error(error, parent))
        self.load_failed.emit(error)

    def _show_previous(self) -> None:
        """After a failed or cancelled open, the window is labelled again with the file it
        still shows (title, export names, review case all belong to that file)."""
        previous, self._previous = self._previous, None
        self.ui.welcome.show_opening(None)
        if previous is not None:
            self.path, self.sample, self.build, self.sex, self.result = previous
            self.ui.mark_input()
            self.ui.views.update_counts()
            self.ui.pages.setCurrentIndex(FINDINGS_PAGE)

    # ------------------------------------------------------------------ results
    def _analysis_ready(self, result: AnalysisResult) -> None:
        """Take the findings (case, frames, counts); the table shows them on a later turn,
        All variants after that: no step holds the window up (frames prepared on the worker)."""
        from pmviewer.ui import recent_files

        findings = result.analysis.findings
        worker, marks = self._all_variants_worker(result)  # the shown table may be reused
        self.result, self.all_variants, self._previous = result, None, None
        if self.path:
            recent_files.add_recent(self.path)
        self.pgx_results = list(findings.pgx or [])
        frames = self.ui.frames
        base = result.findings_frame
        frame = self.ui.review.attach(
            findings, base if base is not None else findings.frame.reset_index(drop=True),
            self.path, labels=result.labels, unreviewed=result.unreviewed,
            shown=result.shown_findings,
        )  # fmt: skip
        frames["findings"] = (frame, result.index_of(frame))  # prepared on the worker
        pgx = result.pgx_table if result.pgx_table is not None else _pgx_frame(self.pgx_results)
        frames["pgx"] = (pgx, result.index_of(pgx))
        # the previous file's rows never show under this file's name: All variants is
        # marked on a later turn (now only if it is the view shown)
        frames.pop("all", None)
        if self.ui.current_view() == "all":
            self._mark_all_variants(result, frame)
        self.ui.show_warnings(findings.warnings)
        self.ui.views.update_counts()
        # the worker for the whole file is the current one from now (Cancel stops it, the
        # window counts as loading) but starts (or gets the findings) on a later turn
        marks.findings = frame  # with the review columns
        if worker is self.whole:  # started at the open
            self.worker = worker
        else:
            self.run_worker(worker, self._all_ready, self._all_errored, start=False)
        handoff = self._handoff if worker is self.whole else None
        next_turn(lambda: self._show_findings(result, frame, worker, marks, handoff), self)

    def _show_findings(self, result: AnalysisResult, frame, worker: Worker, marks, handoff):
        """The findings in the table (on the hidden start page when a new file opens, so
        one turn fills the table and the next paints the page)."""
        if self.result is not result:  # another file opened meanwhile
            self._after_findings(result, frame, worker, marks, handoff)
            return
        self.describe()
        self.ui.update_title()
        self.ui.views.show_view(self.ui.current_view())
        next_turn(lambda: self._findings_page(result, frame, worker, marks, handoff), self)

    def _findings_page(self, result: AnalysisResult, frame, worker: Worker, marks, handoff):
        if self.result is result:
            self.ui.pages.setCurrentIndex(FINDINGS_PAGE)
        next_turn(lambda: self._after_findings(result, frame, worker, marks, handoff), self)
        if self.result is result:
            self.findings_shown.emit()

    def _all_variants_worker(self, result: AnalysisResult) -> tuple[Worker, FindingsMarks]:
        """The worker that fills All variants: the whole-file read started at the open
        (marked once it has the findings), else one that reads or only marks the table."""
        from pmviewer.core.annotation import spans_for_build

        findings = result.analysis.findings
        regional = result.analysis.table
        whole_file = regional.regions is None
        marks = FindingsMarks(
            None,  # the findings with their review columns, once attached
            spans_for_build(result.genes.values(), findings.build),
            findings.sample,
            regional if whole_file else None,
        )
        reusable = None if whole_file else reusable_table(self.all_variants, findings)
        if reusable is not None or whole_file:
            self._stop_whole_file()
            marks.table = marks.table if reusable is None else reusable
        self.ui.load_status.set_text(
            "Findings ready. Preparing the variant table…"
            if marks.table is not None
            else "Findings ready. Loading all variants…"
        )
        worker = self._running_whole_file() or Worker(
            load_all_job, self.path, sample=findings.sample or self.sample, marks=marks,
            name="all",
        )  # fmt: skip
        return worker, marks

    def _after_findings(
        self,
        result: AnalysisResult,
        frame,
        worker: Worker,
        marks: FindingsMarks,
        handoff: FindingsHandoff | None,
    ) -> None:
        """All variants of the analysed regions (marked with their findings), then the
        worker that fills the whole file's (``handoff``: the read started at the open)."""
        if self.worker is not worker:  # another file opened meanwhile
            if handoff is None:  # never started: drop it now
                self.workers.discard(worker)
            return
        if "all" not in self.ui.frames:
            self._mark_all_variants(result, frame)
            if self.ui.current_view() == "all":
                self.ui.views.show_view("all")
        if handoff is not None:
            handoff.give(marks)  # it marks its table once read
        else:
            worker.start()  # cancelled meanwhile: it stops at its first check

    def _mark_all_variants(self, result: AnalysisResult, frame) -> None:
        from pmviewer.core.evidence import with_finding_categories

        regional = result.analysis.table
        if regional.regions is None and len(regional.frame) > WHOLE_GENOME_ROWS:
            shown = regional.frame  # a whole genome read: marked and indexed on the worker
        elif result.regional_marked is not None and same_categories(frame, result):
            shown = result.regional_marked  # marked and indexed on the worker
        else:  # the review moved findings between categories
            shown = with_finding_categories(regional.frame, frame)
        self.ui.frames["all"] = (shown, result.index_of(shown))
        self.ui.views.update_counts()

    def _all_ready(self, loaded: AllVariants) -> None:
        seconds = self.ui.load_status.end()
        self.all_variants = loaded
        self.ui.frames["all"] = (loaded.frame, loaded.index)
        self.ui.views.update_counts()
        if self.ui.current_view() == "all":
            self.ui.views.show_view("all")
        self.describe(seconds)
        self.all_variants_shown.emit()

    def _all_errored(self, error: BaseException) -> None:
        self.ui.load_status.end()
        if isinstance(error, Cancelled):
            self.ui.status.setText(
                "Loading of all variants was cancelled; the findings are complete."
            )
        else:
            self.ui.ask(ErrorDialog.for_error(error, self.ui.parent))
        self.ui.views.update_counts()
        self.load_failed.emit(error)

    def describe(self, seconds: float | None = None) -> None:
        """The status line: file, sample, build, sex and its source, knowledge release."""
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
        self.ui.status.setText(" · ".join(str(p) for p in parts))

    def set_pgx_results(self, entries: list[dict[str, Any]]) -> None:
        """New pharmacogenomic results for the open file (e.g. outside calls imported): the
        findings, the Pharmacogenomics view and its count all take them."""
        from pmviewer.core.table_query import FrameIndex

        if self.result is not None:
            self.result.analysis.findings.pgx = entries  # the report and exports use these
        self.pgx_results = entries
        frame = _pgx_frame(entries)
        self.ui.frames["pgx"] = (frame, FrameIndex(frame))
        self.ui.views.update_counts()
        self.ui.set_view("pgx")
        self.ui.views.show_view("pgx")


def _analysis_options(prefs) -> dict[str, Any]:
    """The analysis preferences as :func:`~pmviewer.ui.jobs.analyse_job` takes them."""
    return {
        "knowledge_path": prefs.knowledge_path,
        "reference": prefs.reference_path,
        "thresholds": prefs.thresholds,
        "policy": prefs.policy,
        "targets": prefs.targets_path,
    }


def _pgx_frame(entries: list[dict[str, Any]]):
    from pmviewer.core.evidence import pgx_frame

    return pgx_frame(entries)


def _is_tumour_question(error: BaseException) -> bool:
    from pmviewer.core.tumour import TumourFileError

    return isinstance(error, TumourFileError)
