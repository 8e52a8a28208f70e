"""The window's review case: opened when a file finishes loading, kept in step with the table.

One case per (input SHA-256, sample) lives in the review store
(:mod:`pmviewer.core.review.store`). :class:`ReviewSession` opens it, adds the review columns to
the findings frame the table shows, feeds the selected rows to the
:class:`~pmviewer.ui.review_panel.ReviewPanel`, and repaints the table after each committed
change. Case-level steps (patient form, sign-off, amendment) are dialogs opened from the
Review menu; exports live in :mod:`pmviewer.ui.export_actions`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QFrame, QScrollArea, QSplitter, QTableView, QWidget

from pmviewer.core.errors import PmviewerError
from pmviewer.core.model import CATEGORIES, DECISIONS, PatientDetails
from pmviewer.core.patient import report_check
from pmviewer.core.review import (
    REVIEW_COLUMNS,
    CaseStoreDamaged,
    ReportSections,
    ReviewStore,
    decided_counts,
    decisions_frame,
    labels_from_findings,
    restore_backup,
    reviewed_findings,
    with_review_columns,
)
from pmviewer.ui.demo_case import prefill_demo_patient
from pmviewer.ui.dialogs import ErrorDialog, StoreDamagedDialog
from pmviewer.ui.finding_selection import FindingSelection
from pmviewer.ui.review_panel import ReviewPanel
from pmviewer.ui.settings import read_settings

log = logging.getLogger(__name__)


@dataclass
class ReviewViews:
    """What a :class:`ReviewSession` works with, handed over by the window that owns it."""

    parent: QWidget  # dialogs open over it
    table: QTableView
    model: Any  # VariantTableModel of the table
    area: QWidget  # where the review controls go
    side: QSplitter  # detail text above, review controls below
    frames: dict[str, tuple[pd.DataFrame, Any]]  # the window's frames by view ("findings", ...)
    current_view: Callable[[], str]  # the view shown ("reportable", ..., "all")
    ask: Callable[[Any], None]  # open a dialog modally (the window keeps it for tests)
    open_dialog: Callable[[], Any]  # the dialog currently open, if any
    undo_attach: Callable[[Any], None]  # Ctrl+Z follows the open case
    report_model: Callable[[], Any]  # the open case's report model (the approval checks)
    sign_final_report: Callable[[str, str, str], None]  # certificate, password, replaces


class ReviewSession(QObject):
    """The open case of a window and the glue between it, the table and the review panel.

    Signals: ``case_changed`` after the case was opened, changed or closed (the window updates
    its menus and title); ``categories_changed`` when an override moved findings between
    categories (the window refilters its view and recounts its tabs); ``reannotate_requested``
    with the patient's sex when the X-linked rules need the analysis run again with it.
    """

    case_changed = Signal()
    categories_changed = Signal()
    reannotate_requested = Signal(str)

    def __init__(self, views: ReviewViews, store_path: str | Path | None = None):
        super().__init__(views.parent)
        self.views = views
        self._store_path = store_path
        self._store: ReviewStore | None = None
        self.case: Any = None  # ReviewCase
        self.findings: Any = None
        self.notes: list[str] = []  # remarks about the case shown in the panel banner
        self._unsubscribe: Callable[[], None] | None = None
        self._fitted = False
        self.selection = FindingSelection(views.table, views.model, views.current_view,
                                          lambda: self.findings)  # fmt: skip
        self.panel = ReviewPanel()
        self.panel.errored.connect(self.show_error)
        # in a scroll area: a short window scrolls the controls instead of squashing them
        scroll = QScrollArea()
        scroll.setObjectName("reviewScroll")
        scroll.setWidget(self.panel)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        layout = views.area.layout()
        assert layout is not None  # the window gives the area a layout
        layout.addWidget(scroll)
        views.area.setMinimumHeight(240)
        views.area.setVisible(True)
        views.side.setStretchFactor(0, 1)  # extra height goes to the detail text
        views.side.setStretchFactor(1, 0)
        views.table.selectionModel().selectionChanged.connect(lambda *_: self.selection_changed())
        # a filter or new view can drop selected rows without a selectionChanged signal: the
        # panel must never act on a finding that is no longer shown
        views.model.layoutChanged.connect(lambda *_: self.selection_changed())
        views.model.modelReset.connect(self.selection_changed)

    @property
    def frames(self) -> dict[str, tuple[pd.DataFrame, Any]]:
        return self.views.frames

    # ------------------------------------------------------------------ store
    @property
    def store(self) -> ReviewStore:
        if self._store is None:
            self._store = ReviewStore(self._store_path)
        return self._store

    @property
    def store_path(self) -> Path | None:
        """The case store's file (``None`` when it cannot be opened: :meth:`attach` says
        why, in context)."""
        try:
            return self.store.path
        except PmviewerError:
            return None

    def open_store_early(self) -> None:
        """Open the case store before the first file (its first connection takes a tenth
        of a second that would otherwise fall in the moment the findings arrive). A
        problem is left for :meth:`attach` to report, in context."""
        try:
            _ = self.store
        except PmviewerError as error:
            log.info("the case store could not be opened yet (%s)", type(error).__name__)

    def close(self) -> bool:
        """Store typed edits and let go of the case file (window closing). False, with the
        case kept open, when a typed edit could not be stored (e.g. an override without its
        reason): the window then stays open so nothing is lost."""
        if not self.panel.flush_edits():
            return False
        save_now = getattr(self.views.open_dialog(), "save_now", None)  # an open patient form
        if callable(save_now) and self.case is not None:
            save_now()
        self._detach()
        if self._store is not None:
            self._store.close()
            self._store = None
        return True

    def _detach(self) -> None:
        self.panel.set_case(None)  # first: stores typed edits while the table still listens
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        self.case = None
        self.findings = None
        self.selection.forget()
        self.case_changed.emit()

    def show_error(self, error: BaseException) -> None:
        log.info("review change refused (%s)", type(error).__name__)
        if isinstance(error, CaseStoreDamaged):
            self._offer_backup(error)
            return
        self.views.ask(ErrorDialog.for_error(error, self.views.parent))

    def _offer_backup(self, error: CaseStoreDamaged) -> None:
        """Damaged case store: restore its last good backup (or start a new file) if the
        counselor chooses to, then analyse the open file again to reopen its case."""
        dialog = StoreDamagedDialog(error, self.views.parent)

        def chosen() -> None:
            try:
                restore_backup(error.store, dialog.backup)
            except PmviewerError as failure:
                self.views.ask(ErrorDialog.for_error(failure, self.views.parent))
                return
            self._store = None
            sex = self.findings.sex if self.findings is not None else None
            self.reannotate_requested.emit(sex or "")  # reopens the case from the backup

        dialog.accepted.connect(chosen)
        self.views.ask(dialog)

    # ------------------------------------------------------------------ opening
    def attach(
        self,
        findings,
        frame: pd.DataFrame,
        input_path: str | None,
        labels: dict[str, str] | None = None,
        unreviewed: pd.DataFrame | None = None,
        shown: pd.DataFrame | None = None,
    ) -> pd.DataFrame:
        """Open (or create) the case of ``findings`` and return ``frame`` with review columns.

        ``labels``: the findings' readable names when prepared already (on a worker);
        ``unreviewed``: their reviewed state with no decision and no optional section, also
        prepared there (a new case's state: the window then does not compute it);
        ``shown``: ``frame`` with that state's review columns, returned as it is then.
        On a storage problem the file is still shown, without review controls.
        """
        previous = self.case.case_id if self.case is not None else None
        self._detach()
        self.findings = findings
        name = Path(input_path or findings.input_path or "").name
        try:
            case = self.store.open_case(
                findings.input_sha256,
                findings.sample,
                name,
                findings.build,
                str((findings.knowledge or {}).get("version", "")),
            )
            case.set_labels(labels if labels is not None else labels_from_findings(frame))
            others = self.store.other_versions(name, findings.input_sha256)
        except PmviewerError as error:
            self.show_error(error)
            self.panel.set_case(
                None,
                ["The review case could not be opened, so decisions cannot be saved. Fix the "
                 "problem described, then open the file again."],
            )  # fmt: skip
            return self._with_columns(frame, {})
        self.case = case
        self.notes = []
        if others:
            newest = others[0]
            self.notes.append(
                f"An earlier review case exists for a different version of {name} "
                f"(last changed {newest.updated_at[:10]}, {newest.n_decided} decision(s)). "
                "This file's content differs, so its decisions were not carried over."
            )
        self._unsubscribe = case.subscribe(self._changed)
        self.views.undo_attach(case)  # Ctrl+Z follows this case
        self.panel.set_case(case, self.notes)
        decisions = case.decisions()
        # once: the columns and the summary share it
        no_options = ReportSections.from_options(case.report_options()) == ReportSections()
        unchanged = unreviewed is not None and not decisions and no_options
        reviewed = unreviewed if unchanged else self._reviewed(decisions)
        self.update_summary(reviewed)
        QTimer.singleShot(0, self._fit_panel)  # once the review page is laid out
        self.case_changed.emit()
        if previous != case.case_id:
            prefill_demo_patient(case, input_path or findings.input_path)
            # after the window has finished taking this result (it starts more work)
            sex = case.patient().sex
            QTimer.singleShot(0, lambda: self._maybe_reannotate(sex))
        if unchanged and shown is not None:
            return shown
        return self._with_columns(frame, decisions, reviewed)

    def _reviewed(self, decisions) -> pd.DataFrame:
        """Each finding's state after the review (category after overrides, section)."""
        findings = self.findings
        options = self.case.report_options() if self.case is not None else {}
        return reviewed_findings(
            findings.frame, decisions, findings.sex, ReportSections.from_options(options)
        )

    def _fit_panel(self) -> None:
        """Once per window: give the review controls the height they need (max 60 %)."""
        sizes = self.views.side.sizes()
        total = sum(sizes)
        if not self._fitted and total > 0:
            self._fitted = True
            need = min(max(self.panel.sizeHint().height() + 30, 340), int(total * 0.6))
            self.views.side.setSizes([total - need, need])

    def _with_columns(self, frame: pd.DataFrame, decisions, reviewed=None) -> pd.DataFrame:
        """``frame`` with the review columns, and the category and reason after overrides
        (the views and counts show what the report will print)."""
        if self.findings is None or len(frame) != len(self.findings.frame):
            return with_review_columns(frame, decisions)
        if reviewed is None:
            reviewed = self._reviewed(decisions)
        return with_review_columns(frame, decisions, reviewed)

    # ------------------------------------------------------------------ changes
    def _changed(self, event) -> None:
        self._update_rows(event.finding_ids)
        if event.what == "override":  # only an override can change a category
            self._update_categories()
        if event.what != "comment":  # a comment refresh would reset half-typed fields
            self.panel.refresh()
        self.update_summary()
        self.case_changed.emit()

    def _update_rows(self, finding_ids) -> None:
        """Copy the stored decisions of ``finding_ids`` into the table's frame, repaint."""
        source = self.frames.get("findings")
        if source is None or self.case is None or not finding_ids:
            return
        frame, index = source
        ids = frame["finding_id"].astype(str).to_numpy()
        rows = np.flatnonzero(np.isin(ids, list(finding_ids)))
        if len(rows) == 0:
            return
        decisions = self.case.decisions()
        fresh = decisions_frame(frame.iloc[rows], decisions)
        for key, src in REVIEW_COLUMNS.items():
            column = frame.columns.get_loc(key)
            values = fresh[src]
            if key == "review_decision":
                values = pd.Categorical(values.astype(str), categories=list(DECISIONS))
            frame.iloc[rows, column] = values
            index.forget(key)  # its sort and filter caches hold the old values
            self.views.model.column_changed(key)

    def _update_categories(self) -> None:
        """An override can move findings between categories (the gene's rule applied again):
        copy the categories after the review into the table's frame, refilter and recount."""
        source = self.frames.get("findings")
        if source is None or self.case is None or self.findings is None:
            return
        frame, index = source
        if len(frame) != len(self.findings.frame):
            return
        reviewed = self._reviewed(self.case.decisions())
        new_category = reviewed["category"].to_numpy().astype(str)
        old_category = frame["category"].astype(str).to_numpy()
        new_reason = reviewed["reason"].to_numpy()
        if np.array_equal(new_category, old_category) and np.array_equal(
            new_reason, frame["reason"].astype(object).fillna("").to_numpy()
        ):
            return
        frame["category"] = pd.Categorical(new_category, categories=list(CATEGORIES))
        frame["reason"] = new_reason
        for key in ("category", "reason"):
            index.forget(key)
            self.views.model.column_changed(key)
        self.categories_changed.emit()

    def update_summary(self, reviewed: pd.DataFrame | None = None) -> None:
        """The panel's case line: status, reportable findings decided, patient
        (``reviewed``: the findings' reviewed state, when the caller has it)."""
        if self.case is None or self.findings is None:
            self.panel.set_summary("")
            return
        try:
            decisions = self.case.decisions()
            patient = self.case.patient()
            status = self.case.status
            amending = self.case.amendment_open
        except PmviewerError as error:
            self.show_error(error)
            return
        if reviewed is None:
            reviewed = self._reviewed(decisions)
        done, total = decided_counts(reviewed, "reportable")
        words = {"draft": "Draft", "final": "Final (approved)", "amended": "Amended (approved)"}
        state = "Draft, amendment open" if amending else words.get(status, status)
        who = escape(patient.name) if patient.name else "<i>no patient details yet</i>"
        self.panel.set_summary(
            f"<b>Case:</b> {state} · {done} of {total} reportable finding(s) decided · "
            f"<b>Patient:</b> {who} (Review ▸ Patient and report details…)"
        )

    # ------------------------------------------------------------------ selection
    def selected_rows(self) -> list[dict[str, Any]]:
        """The selected table rows that are findings (see :class:`FindingSelection`)."""
        return self.selection.selected_rows()

    def selection_changed(self) -> None:
        selection = self.views.table.selectionModel()
        # nothing selected (a new frame shown): no look at the frame's millions of rows
        chosen = self.case is not None and selection is not None and selection.hasSelection()
        rows = self.selected_rows() if chosen else []
        if [r["finding_id"] for r in rows] != self.panel.finding_ids or not rows:
            self.panel.show_findings(rows)  # the same findings (e.g. after a sort): keep edits

    def set_decision(self, decision: str) -> None:
        """Menu/shortcut: decide every selected finding."""
        self.panel.apply_decision(decision)

    # ------------------------------------------------------------------ patient and sex
    def _maybe_reannotate(self, sex: str) -> None:
        """The X-linked rules need the stated sex: re-run the analysis when it differs."""
        findings = self.findings
        if findings is None or sex not in ("F", "M"):
            return
        if findings.sex == sex and findings.sex_source == "stated":
            return
        self.reannotate_requested.emit(sex)

    def save_patient(self, patient: PatientDetails, options: dict[str, bool]) -> bool:
        """Store the form's values; False when the case refused them (error shown)."""
        if self.case is None:
            return False
        try:
            self.case.set_patient(patient)
            self.case.set_report_options(**options)
        except PmviewerError as error:
            self.show_error(error)
            return False
        return True

    def patient_form_closed(self) -> None:
        if self.case is not None:
            self._maybe_reannotate(self.case.patient().sex)

    # ------------------------------------------------------------------ checks
    def report_problems(self) -> list[str]:
        """What :func:`report_check` finds missing before a final export."""
        if self.case is None or self.findings is None:
            return ["No review case is open."]
        options = self.case.report_options()
        sections = [
            name
            for name, key in (("carrier", "include_carrier"), ("uncertain", "include_uncertain"))
            if options.get(key)
        ]
        return report_check(
            self.findings.frame,
            self.case.decisions(),
            self.case.patient(),
            self.case.signoff(),
            analysis_sex=self.findings.sex,
            analysis_sex_source=self.findings.sex_source,
            optional_sections=sections,
        )

    def _approval_problems(self) -> list[str]:
        """Names and reasons a final report needs (export.report_checks), as sentences."""
        from pmviewer.export.report_checks import approval_problems

        try:
            draft = self.views.report_model()
        except PmviewerError as error:
            return [str(error)]
        return approval_problems(self.findings, self.case.decisions(), draft.findings)

    # ------------------------------------------------------------------ case dialogs
    def _need_case(self) -> bool:
        if self.case is None:
            self.show_error(PmviewerError("Open a file and wait for its findings first."))
            return False
        return self.panel.flush_edits()  # an edit that cannot be stored: its message first

    def edit_patient(self) -> None:
        """Review ▸ Patient and report details… (saved as typed)."""
        from pmviewer.ui.patient_form import PatientFormDialog

        if not self._need_case():
            return
        dialog = PatientFormDialog(
            self.case.patient(),
            self.case.report_options(),
            save=self.save_patient,
            locked=self.case.locked,
            parent=self.views.parent,
        )
        dialog.finished.connect(lambda _r: self.patient_form_closed())
        self.views.ask(dialog)

    def edit_lab(self) -> None:
        from pmviewer.ui.lab_settings_dialog import LabSettingsDialog

        dialog = LabSettingsDialog.from_settings(self.views.parent)
        dialog.accepted.connect(dialog.store)
        self.views.ask(dialog)

    def sign_review(self) -> None:
        if self._need_case():
            self._sign_off(
                "review",
                name=read_settings("reviewer_name"),
                credentials=read_settings("reviewer_credentials"),
                warnings=[p for p in self.report_problems() if "no decision yet" in p],
            )

    def approve(self) -> None:
        if not self._need_case():
            return
        problems = [p for p in self.report_problems() if "approved" not in p]
        undecided = [p for p in problems if "no decision yet" in p]
        reviewer = self.case.signoff().reviewer
        self._sign_off(
            "approve",
            warnings=[p for p in problems if p not in undecided],
            blocking=undecided + self._approval_problems(),
            summary=f"Review signed by {reviewer}." if reviewer else "",
        )

    def start_amendment(self) -> None:
        if self._need_case():
            self._sign_off("amend")

    def _sign_off(self, step: str, **options) -> None:
        """Ask for one sign-off step (:class:`SignOffDialog`), then apply it to the case."""
        from pmviewer.ui.signoff_dialog import SignOffDialog

        dialog = SignOffDialog(step, parent=self.views.parent, **options)

        def apply() -> None:
            if step == "amend":
                self._step(self.case.start_amendment, dialog.reason)
            else:
                action = self.case.sign_review if step == "review" else self.case.approve
                self._step(action, dialog.name, dialog.credentials)
                signing = dialog.signing
                if signing is not None and signing.certificate and self.case.locked:
                    self.views.sign_final_report(
                        signing.certificate, signing.password, signing.replaces
                    )

        dialog.accepted.connect(apply)
        self.views.ask(dialog)

    def _step(self, action, *args) -> None:
        try:
            action(*args)
        except PmviewerError as error:
            self.show_error(error)
        self.panel.refresh()
        self.case_changed.emit()
