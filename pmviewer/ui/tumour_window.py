"""The tumour findings view: tiered variants, their CIViC evidence, and the review.

Decisions and comments go to the same review store as germline findings, in the case of
this file's content and its tumour sample (so the normal's germline case stays separate).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from pmviewer.core.errors import PmviewerError
from pmviewer.core.oncology import TumourAnalysis, TumourFinding

log = logging.getLogger(__name__)

DECISIONS = ("undecided", "include", "exclude")
_INDEX = QModelIndex | QPersistentModelIndex


class TumourFindingsModel(QAbstractTableModel):
    """One row per tumour finding; the decision column follows the review case."""

    TIER, GENE, PROTEIN, VARIANT, VAF, DEPTH, BASIS, DECISION = range(8)
    HEADERS = ("Tier", "Gene", "Protein change", "Variant", "VAF", "Depth", "Basis", "Review")

    def __init__(self, findings: list[TumourFinding], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.findings = list(findings)
        self.decisions: dict[str, str] = {}

    def rowCount(self, parent: _INDEX = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.findings)

    def columnCount(self, parent: _INDEX = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def data(self, index: _INDEX, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.findings):
            return None
        f = self.findings[index.row()]
        if role == Qt.ItemDataRole.UserRole:
            return f
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        column = index.column()
        if column == self.TIER:
            return f.tier
        if column == self.GENE:
            return f.gene or "—"
        if column == self.PROTEIN:
            return f.hgvs_p or (f.change_words if f.event != "small variant" else "—")
        if column == self.VARIANT:
            return f"{f.chrom}:{f.pos} {f.ref}>{f.alt}"
        if column == self.VAF:
            return "—" if f.vaf is None else f"{f.vaf:.1%}"
        if column == self.DEPTH:
            return "—" if f.depth is None else str(f.depth)
        if column == self.BASIS:
            return f.tier_reason + (f" ({'; '.join(f.flags)})" if f.flags else "")
        return self.decisions.get(f.finding_id, "undecided")

    def set_decisions(self, decisions: dict[str, str]) -> None:
        self.decisions = dict(decisions)
        if self.findings:
            self.dataChanged.emit(
                self.index(0, self.DECISION), self.index(len(self.findings) - 1, self.DECISION)
            )


def evidence_text(f: TumourFinding) -> str:
    """The detail of one finding as plain text."""
    lines = [
        f"{f.gene or '—'} {f.change_words}  {f.chrom}:{f.pos} {f.ref}>{f.alt}  {f.tier}",
        f"Allele fraction {('—' if f.vaf is None else f'{f.vaf:.1%}')} ({f.alt_reads} of "
        f"{f.depth} reads; from {f.vaf_source}); caller filter {f.filter}; exon {f.exon or '—'}"
        if f.event == "small variant"
        else f"A {f.event} read from the file's copy-number/structural record; caller filter "
        f"{f.filter}",
        f"Why this tier: {f.tier_reason}",
        f"Matched by: {', '.join(f.match_kinds) or 'gene and exon only'}",
    ]
    lines += [f"Note: {flag}" for flag in f.flags]
    lines.append("")
    for e in f.evidence:
        applies = (
            "applies to this tumour type" if e["applies_to_tumour_type"] else "other tumour type"
        )
        pmid = f" PMID {e['pmid']}" if e.get("pmid") else ""
        lines.append(
            f"EID{e['civic_evidence_id']} · {e['evidence_type']} · level {e['level']} · "
            f"{e.get('significance') or '—'} ({e.get('direction') or '—'}) · "
            f"{e.get('therapies') or 'no therapy'} · {e.get('disease') or '—'} [{applies}] · "
            f"{e.get('molecular_profile')} · {e.get('citation') or ''}{pmid} · "
            f"matched by {e['match_basis']}"
        )
    return "\n".join(lines)


class TumourWindow(QMainWindow):
    """Tumour findings of one file and tumour type, with decide/comment/sign-off/export."""

    closed = Signal()

    def __init__(self, analysis: TumourAnalysis, parent: QWidget | None = None, store=None) -> None:
        super().__init__(parent)
        self.analysis = analysis
        self.setWindowTitle(
            f"Tumour report · {Path(analysis.path).name} · {analysis.tumour_type.name}"
        )
        self.resize(1200, 760)
        self.case = self._open_case(store)
        central = QWidget()
        layout = QVBoxLayout(central)
        t = analysis.tumour
        summary = QLabel(
            f"Tumour type {analysis.tumour_type.name} ({analysis.tumour_type.doid}) · tumour "
            f"sample {t.tumour_sample} · matched normal {t.normal_sample or 'none'} · "
            f"{analysis.build} · {len(analysis.findings)} finding(s)"
        )
        summary.setTextFormat(Qt.TextFormat.PlainText)
        summary.setWordWrap(True)
        layout.addWidget(summary)
        for warning in [
            *analysis.warnings,
            *(
                f"{g['gene']} {g['chrom']}:{g['pos']} {g['ref']}>{g['alt']}: {g['note']}"
                for g in analysis.germline_alleles
            ),
        ]:
            label = QLabel(warning)
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setWordWrap(True)
            label.setObjectName("tumourWarning")
            layout.addWidget(label)
        self.model = TumourFindingsModel(analysis.findings, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(
            TumourFindingsModel.BASIS, QHeaderView.ResizeMode.Stretch
        )
        self.detail = QPlainTextEdit()
        self.detail.setReadOnly(True)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        layout.addWidget(splitter, 1)
        row = QHBoxLayout()
        self.decision = QComboBox()
        self.decision.addItems([d.capitalize() for d in DECISIONS])
        self.decision.activated.connect(self._decide)
        self.comment = QLineEdit()
        self.comment.setPlaceholderText("Comment on this finding (printed in the report)")
        self.comment.editingFinished.connect(self._save_comment)
        self.sign_button = QPushButton("Sign review…")
        self.sign_button.clicked.connect(self._sign)
        self.approve_button = QPushButton("Approve…")
        self.approve_button.clicked.connect(self._approve)
        self.amend_button = QPushButton("Amend…")
        self.amend_button.clicked.connect(self._amend)
        self.export_button = QPushButton("Export tumour report PDF…")
        self.export_button.clicked.connect(self.export_pdf)
        for widget in (QLabel("Decision:"), self.decision, self.comment, self.sign_button,
                       self.approve_button, self.amend_button, self.export_button):  # fmt: skip
            row.addWidget(widget)
        layout.addLayout(row)
        self.status = QLabel("")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.status)
        self.setCentralWidget(central)
        self.table.selectionModel().currentRowChanged.connect(self._show)
        self._refresh_decisions()
        if self.model.rowCount():
            self.table.selectRow(0)

    # -- review case ---------------------------------------------------------------------
    def _open_case(self, store):
        try:
            from pmviewer.core.review import ReviewStore

            self.store = store or ReviewStore()
            a = self.analysis
            return self.store.open_case(
                a.input_sha256 or "", a.tumour.tumour_sample, Path(a.path).name, a.build,
                str(a.knowledge.get("version") or ""),
            )  # fmt: skip
        except PmviewerError as error:
            log.warning("tumour review case not opened: %s", error)
            return None

    def _refresh_decisions(self) -> None:
        if self.case is None:
            return
        self.model.set_decisions({k: d.decision for k, d in self.case.decisions().items()})

    def current_finding(self) -> TumourFinding | None:
        index = self.table.currentIndex()
        return self.model.data(index, Qt.ItemDataRole.UserRole) if index.isValid() else None

    def _show(self, current: QModelIndex, _previous: QModelIndex | None = None) -> None:
        f = self.model.data(current, Qt.ItemDataRole.UserRole) if current.isValid() else None
        self.detail.setPlainText(evidence_text(f) if f else "")
        if f is not None and self.case is not None:
            d = self.case.decision(f.finding_id)
            self.decision.setCurrentIndex(DECISIONS.index(d.decision))
            self.comment.setText(d.comment)

    def _decide(self, index: int) -> None:
        f = self.current_finding()
        if f is None or self.case is None:
            return
        try:
            self.case.set_decision(f.finding_id, DECISIONS[index])
        except PmviewerError as error:
            self.status.setText(str(error))
        self._refresh_decisions()

    def _save_comment(self) -> None:
        f = self.current_finding()
        if f is None or self.case is None:
            return
        try:
            self.case.set_comment(f.finding_id, self.comment.text())
        except PmviewerError as error:
            self.status.setText(str(error))

    def _ask_then(self, title: str, label: str, act: Callable[[str], str]) -> None:
        """Ask for a name or reason, run ``act`` with it, and show what it reports."""
        if self.case is None:
            return
        text, ok = QInputDialog.getText(self, title, label)
        if ok and text.strip():
            try:
                self.status.setText(act(text.strip()))
            except PmviewerError as error:
                self.status.setText(str(error))

    def _sign(self) -> None:
        def sign(name: str) -> str:
            assert self.case is not None
            self.case.sign_review(name)
            return f"Review signed by {name}."

        self._ask_then("Sign the review", "Reviewer's name:", sign)

    def _approve(self) -> None:
        def approve(name: str) -> str:
            assert self.case is not None
            return f"Report approved ({self.case.approve(name)})."

        self._ask_then("Approve the report", "Approver's name:", approve)

    def _amend(self) -> None:
        """Re-open a final report for an amendment; the reason is audit-logged and printed."""

        def amend(reason: str) -> str:
            assert self.case is not None
            self.case.start_amendment(reason)
            return "Amendment started: change decisions, then sign and approve again."

        self._ask_then("Amend the report", "Reason for the amendment:", amend)

    # -- export --------------------------------------------------------------------------
    def report_bytes(self) -> bytes:
        from pmviewer import __version__
        from pmviewer.export.tumour_pdf import build_tumour_report
        from pmviewer.export.tumour_report_model import build_tumour_report_model

        case = self.case
        model = build_tumour_report_model(
            self.analysis,
            patient=case.patient() if case is not None else None,
            decisions=case.decisions() if case is not None else None,
            signoff=case.signoff() if case is not None else None,
            software_version=__version__,
        )
        return build_tumour_report(model)

    def export_pdf(self, path: str | None = None) -> str | None:
        if path is None:
            default = Path(self.analysis.path).name.split(".")[0] + ".tumour-report.pdf"
            path, _ = QFileDialog.getSaveFileName(
                self, "Export tumour report", default, "PDF (*.pdf)"
            )
        if not path:
            return None
        from pmviewer.core.safe_write import write_atomic

        try:
            write_atomic(path, self.report_bytes())
        except PmviewerError as error:
            self.status.setText(str(error))
            return None
        self.status.setText(f"Wrote {path}.")
        return path

    def closeEvent(self, event) -> None:  # noqa: N802
        self.closed.emit()
        super().closeEvent(event)
