"""File ▸ Export report (Ctrl+E), Print (Ctrl+P), findings as TSV/JSON and the review as JSON.

The report is the same PDF the command line writes: :func:`build_report_model` then
:func:`build_report` on the open case's decisions, patient details and sign-off, with the
laboratory details from the settings. Before the PDF is saved the counselor sees:

1. the report check (:func:`pmviewer.core.patient.report_check`) when something is missing;
2. a preview of the pages. PySide6-Essentials has no QtPdf, so the pages are rasterised by
   poppler's ``pdftoppm`` when it is installed; without it the preview shows the report's
   content as text (what it says, not how it looks).

Printing sends the same PDF, rasterised at the printer's resolution (max 300 dpi), to
Qt's print dialog. Rasterising runs on a worker (14 pages at 300 dpi take ~15 s).
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from datetime import datetime, timezone
from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QRect, Qt
from PySide6.QtGui import QImage, QPainter, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QScrollArea,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from pmviewer.core.errors import PmviewerError
from pmviewer.ui.dialog_parts import StandardButton, accept_buttons, text_label
from pmviewer.ui.dialogs import ErrorDialog
from pmviewer.ui.settings import read_settings, write_settings

log = logging.getLogger(__name__)

PREVIEW_DPI = 70
PRINT_MAX_DPI = 300


# ================================================================== page images
def pdftoppm() -> str | None:
    return shutil.which("pdftoppm")


def page_pngs(pdf: bytes, dpi: int = PREVIEW_DPI, progress=None, cancel=None) -> list[bytes]:
    """The PDF's pages as PNG bytes (via ``pdftoppm``); empty when it is not installed.

    Plain data, no Qt: runs on a worker (``progress``/``cancel`` as the worker passes them).
    """
    tool = pdftoppm()
    if tool is None:
        return []
    with tempfile.TemporaryDirectory(prefix="pmviewer-preview-") as folder:
        source = Path(folder) / "report.pdf"
        source.write_bytes(pdf)
        try:
            subprocess.run(
                [tool, "-r", str(int(dpi)), "-png", str(source), str(Path(folder) / "page")],
                check=True,
                capture_output=True,
                timeout=300,
            )
        except (OSError, subprocess.SubprocessError) as error:
            log.warning("pdftoppm failed: %s", error)
            return []
        pages = sorted(Path(folder).glob("page-*.png"), key=lambda p: int(p.stem.split("-")[-1]))
        return [p.read_bytes() for p in pages]


def prepared_report(model, progress=None, cancel=None) -> tuple[bytes, bytes, list[bytes]]:
    """Worker body of Export report: the PDF, its archival PDF/A-3b twin (what is saved,
    like ``pmviewer report``) and the preview's page images; none of it on the main thread."""
    from pmviewer.core.progress import check
    from pmviewer.export.archive import facts_for, make_archival
    from pmviewer.export.pdf import build_report

    pdf = build_report(model)
    check(cancel)
    archival = make_archival(pdf, facts_for(model))
    check(cancel)
    return pdf, archival, page_pngs(pdf, cancel=cancel)


def images(pngs: list[bytes]) -> list[QImage]:
    return [QImage.fromData(data) for data in pngs]


def render_pages(pdf: bytes, dpi: int = PREVIEW_DPI) -> list[QImage]:
    """The PDF's pages as images, rendered here and now (see :func:`page_pngs`)."""
    return images(page_pngs(pdf, dpi))


def summary_html(model) -> str:
    """The report's content as text, for a preview without page images."""
    parts = [
        f"<h2>{escape(model.title)}</h2>",
        f"<p><b>Status:</b> {escape(model.status.upper())}"
        + (" · SYNTHETIC" if model.synthetic else "")
        + f"<br><b>Patient:</b> {escape(model.patient.name or '—')}"
        + f" · {escape(model.patient.date_of_birth or 'no date of birth')}"
        + f" · {escape(model.patient_sex)}</p>",
        f"<p>{escape(model.summary)}</p>",
    ]
    for f in model.findings:
        name = " ".join(x for x in (f.gene, f.hgvs_c, f"({f.hgvs_p})" if f.hgvs_p else "") if x)
        line = f"<b>{escape(name or f.position)}</b> — {escape(f.classification)}"
        if f.override_reason:
            line += f" (reason: {escape(f.override_reason)})"
        if f.comment:
            line += f"<br><i>Comment:</i> {escape(f.comment)}"
        parts.append(f"<p>[{escape(f.section)}] {line}</p>")
    signoff = model.signoff
    if signoff.reviewer:
        parts.append(f"<p>Reviewed by {escape(signoff.reviewer)}</p>")
    if signoff.approver:
        parts.append(f"<p>Approved by {escape(signoff.approver)}</p>")
    for amendment in signoff.amendments:
        parts.append(f"<p><b>Amendment</b> {escape(amendment.date[:10])}: ")
        parts.append(escape(amendment.reason) + "<br>")
        parts.append("<br>".join(escape(c) for c in amendment.changes) + "</p>")
    return "".join(parts)


# ================================================================== dialogs
class ReportCheckDialog(QDialog):
    """What is missing before a final report; the counselor may go back or continue."""

    def __init__(self, problems: list[str], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Report check")
        self.setMinimumWidth(520)
        self.problems = list(problems)
        layout = QVBoxLayout(self)
        layout.addWidget(
            text_label(
                "<b>This report is not ready to be issued as final.</b> You can still export "
                "it (it prints as a draft where sign-off is missing), or go back and complete "
                "it:"
            )
        )
        self.list_label = text_label(
            "".join(f"☐ {escape(p)}<br>" for p in problems), name="reportCheckList"
        )
        self.list_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.list_label)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Go back")
        self.continue_button = self.buttons.addButton(
            "Continue anyway", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)


class ReportPreviewDialog(QDialog):
    """The pages of the report before it is saved (or its content as text, see module doc)."""

    def __init__(
        self, pdf: bytes, model, pages: list[QImage] | None = None, parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.setWindowTitle(f"Report preview — {model.status} report")
        self.resize(720, 860)
        self.pdf = pdf
        self.model = model
        images = render_pages(pdf) if pages is None else pages
        self.page_count = len(images)
        self.mode = "pages" if images else "summary"
        layout = QVBoxLayout(self)
        layout.addWidget(
            text_label(
                f"{len(images)} page(s). Check the report, then save it."
                if images
                else "Page images need poppler's pdftoppm, which is not installed; this "
                "preview shows what the report says. The saved PDF is complete."
            )
        )
        if images:
            holder = QWidget()
            pages_layout = QVBoxLayout(holder)
            for image in images:
                label = QLabel()
                label.setPixmap(QPixmap.fromImage(image))
                label.setStyleSheet("border:1px solid #999;background:white")
                pages_layout.addWidget(label, 0, Qt.AlignmentFlag.AlignHCenter)
            scroll = QScrollArea()
            scroll.setWidget(holder)
            scroll.setWidgetResizable(True)
            scroll.setStyleSheet("QScrollArea{background:#777}")
            layout.addWidget(scroll, 1)
        else:
            self.text = QTextBrowser()
            self.text.setHtml(summary_html(model))
            layout.addWidget(self.text, 1)
        self.buttons = accept_buttons(self, StandardButton.Save, "Save PDF…")
        layout.addWidget(self.buttons)


# ================================================================== the controller
class ExportController(QObject):
    """File ▸ Export report, Print, findings as TSV/JSON and the review as JSON.

    Parameters
    ----------
    parent
        The window: dialogs open over it.
    review
        The window's :class:`~pmviewer.ui.review_session.ReviewSession` (case and findings).
    status
        The status-bar label that says what was saved or is being prepared.
    ask
        Opens a dialog modally (the window keeps it for tests).
    keep_alive
        Holds a started worker until it finished.
    input_path, thresholds
        The open file's path and the quality thresholds its flags were computed with.
    """

    def __init__(
        self,
        *,
        parent: QWidget,
        review: Any,
        status: QLabel,
        ask: Callable[[Any], None],
        keep_alive: Callable[[Any], None],
        input_path: Callable[[], str | None],
        thresholds: Callable[[], Any],
    ) -> None:
        super().__init__(parent)
        self.parent_widget = parent
        self.review = review
        self.status = status
        self.ask = ask
        self.keep_alive = keep_alive
        self.input_path = input_path
        self.thresholds = thresholds
        self.print_job: dict[str, Any] | None = None  # tests wait for its "pages"
        self.last_exchange_path: str | None = None  # the last FHIR or signed report saved

    # ------------------------------------------------------------------ the report
    def report_model(self, generated_at: datetime | None = None):
        """The report model of the open case (same call as ``pmviewer report``)."""
        from pmviewer import __version__
        from pmviewer.core.annotation import QualityThresholds
        from pmviewer.export.report_model import (
            ReportOptions,
            build_report_model,
            is_synthetic_input,
        )
        from pmviewer.ui.lab_settings_dialog import lab_from_settings

        session = self.review
        if session.case is None or session.findings is None:
            raise PmviewerError("Open a file and wait for its findings before exporting a report.")
        case, findings = session.case, session.findings
        chosen = case.report_options()
        options = ReportOptions(
            include_carrier=chosen.get("include_carrier", False),
            include_uncertain=chosen.get("include_uncertain", False),
            page_size=read_settings("report_page_size"),
        )
        return build_report_model(
            findings,
            patient=case.patient(),
            lab=lab_from_settings(),
            decisions=case.decisions(),
            signoff=case.signoff(),
            options=options,
            software_version=__version__,
            generated_at=generated_at or datetime.now(timezone.utc).replace(microsecond=0),
            synthetic=is_synthetic_input(self.input_path()),
            # the thresholds the shown quality flags were computed with
            quality_thresholds=(self.thresholds() or QualityThresholds()).describe(),
        )

    def report_pdf(self) -> tuple[Any, bytes]:
        from pmviewer.export.pdf import build_report

        model = self.report_model()
        return model, build_report(model)

    # ------------------------------------------------------------------ plumbing
    def fail(self, error: BaseException) -> None:
        self.ask(ErrorDialog.for_error(error, self.parent_widget))

    def in_background(self, fn, *args, on_done, text: str) -> None:
        """Run ``fn(*args)`` on a worker; ``on_done(result)`` on the main thread."""
        from pmviewer.ui.workers import Worker

        worker = Worker(fn, *args, name=fn.__name__)
        self.status.setText(text)
        worker.signals.returned.connect(on_done)
        worker.signals.errored.connect(self.fail)
        self.keep_alive(worker)
        worker.start()

    def save_path(self, title: str, suggested: str, file_filter: str) -> str | None:
        start = Path(read_settings("last_directory") or str(Path.home())) / suggested
        path, _ = QFileDialog.getSaveFileName(self.parent_widget, title, str(start), file_filter)
        if not path:
            return None
        write_settings(last_directory=str(Path(path).parent))
        return path

    def stem(self) -> str:
        name = Path(self.input_path() or "report").name
        for suffix in (".gz", ".bgz", ".vcf", ".bcf"):
            name = name.removesuffix(suffix)
        return name

    def case_ready(self) -> bool:
        if self.review.case is None:
            self.fail(PmviewerError("Open a file and wait for its findings first."))
            return False
        return self.review.panel.flush_edits()  # the message says what is missing

    # ------------------------------------------------------------------ actions
    def export_report(self) -> None:
        """Ctrl+E: report check (if anything is missing), preview, then save the PDF."""
        if not self.case_ready():
            return
        problems = self.review.report_problems()
        if problems:
            dialog = ReportCheckDialog(problems, self.parent_widget)
            dialog.accepted.connect(self._preview)
            self.ask(dialog)
        else:
            self._preview()

    def _preview(self) -> None:
        try:
            model = self.report_model()  # reads the case (its store lives on this thread)
        except PmviewerError as error:
            self.fail(error)
            return

        def show(prepared: tuple[bytes, bytes, list[bytes]]) -> None:
            pdf, archival, pngs = prepared
            self.status.setText("")
            dialog = ReportPreviewDialog(pdf, model, pages=images(pngs), parent=self.parent_widget)
            dialog.accepted.connect(lambda: self.save_report(archival, model.status))
            self.ask(dialog)

        self.in_background(prepared_report, model, on_done=show, text="Preparing the report…")

    def save_report(self, pdf: bytes, status: str, model: Any = None) -> str | None:
        """Ask where, then write ``pdf`` (``model``: made archival first, on this thread;
        Export report passes the archival PDF its worker made)."""
        from pmviewer.core.safe_write import write_atomic
        from pmviewer.ui.report_names import proposed_report_path, remember_report_folder

        case = self.review.case
        mrn = case.patient().mrn if case is not None else ""
        start = proposed_report_path(mrn, status)  # <MRN>_<date>_report.pdf, last report folder
        path, _ = QFileDialog.getSaveFileName(
            self.parent_widget, "Save the report", str(start), "PDF (*.pdf)"
        )
        if not path:
            return None
        remember_report_folder(path)
        try:
            if model is not None:  # saved as the archival PDF/A-3b, like `pmviewer report`
                from pmviewer.export.archive import facts_for, make_archival

                pdf = make_archival(pdf, facts_for(model))
            write_atomic(path, pdf)
        except PmviewerError as error:  # write_atomic words the system error for the user
            self.fail(error)
            return None
        self.status.setText(f"Report saved: {path}")
        return path

    def print_report(self, dialog_class=None) -> bool:
        """Ctrl+P: the same PDF onto the printer chosen in Qt's print dialog: as the PDF
        itself (vector text) where the system spools PDF, else rasterised on a worker.
        Returns False when nothing is printed."""
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        from pmviewer.ui import printing

        if not self.case_ready():
            return False
        if dialog_class is None and not printing.printer_names():
            self.fail(PmviewerError(printing.NO_PRINTER))  # never a silent print to file
            return False
        vector = printing.spooler() is not None
        if not vector and pdftoppm() is None:
            self.fail(
                PmviewerError(
                    "Printing needs poppler's pdftoppm, which is not installed on this "
                    "computer. Export the report (File ▸ Export report) and print the PDF from "
                    "a PDF reader."
                )
            )
            return False
        try:
            _model, pdf = self.report_pdf()
        except PmviewerError as error:
            self.fail(error)
            return False
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = (dialog_class or QPrintDialog)(printer, self.parent_widget)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        self.print_job = {"printer": printer, "pages": None}
        if printer.outputFormat() == QPrinter.OutputFormat.PdfFormat and printer.outputFileName():
            self.save_printed_pdf(printer.outputFileName(), pdf)  # "print to file": the PDF
            return True
        if vector and printer.printerName():
            self.in_background(
                printing.send_pdf, printer.printerName(), pdf, printer.copyCount(),
                on_done=lambda answer: self._sent(printer, answer),
                text=f"Sending the report to {printer.printerName()}…",
            )  # fmt: skip
            return True
        dpi = min(printer.resolution(), PRINT_MAX_DPI)
        self.in_background(
            page_pngs,
            pdf,
            dpi,
            on_done=lambda pngs: self._paint(printer, pngs),
            text="Preparing the pages for the printer…",
        )
        return True

    def _sent(self, printer, answer: str) -> None:
        assert self.print_job is not None
        self.print_job["pages"] = "spooled"
        self.status.setText(
            f"Report sent to {printer.printerName()} as a PDF"
            + (f" ({answer})." if answer else ".")
        )

    def save_printed_pdf(self, path: str, pdf: bytes) -> None:
        from pmviewer.core.safe_write import write_atomic

        try:
            write_atomic(path, pdf)
        except PmviewerError as error:
            self.fail(error)
            return
        assert self.print_job is not None
        self.print_job["pages"] = "file"
        self.status.setText(f"Report printed to the file {path}.")

    def _paint(self, printer, pngs: list[bytes]) -> None:
        painter = QPainter()
        if not pngs or not painter.begin(printer):
            self.fail(PmviewerError("The printer could not be started; check it and try again."))
            return
        try:
            for number, data in enumerate(pngs):
                if number:
                    printer.newPage()
                image = QImage.fromData(data)
                target = painter.viewport()
                size = image.size().scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
                painter.drawImage(QRect(target.topLeft(), size), image)
        finally:
            painter.end()
        assert self.print_job is not None
        self.print_job["pages"] = len(pngs)
        self.status.setText(f"Sent {len(pngs)} page(s) to the printer.")

    def export_findings(self, fmt: str) -> str | None:
        """The findings as TSV or JSON (:mod:`pmviewer.export.tables`), with their evidence."""
        from pmviewer.core.safe_write import write_atomic
        from pmviewer.export.tables import dumps_json, findings_to_tsv

        findings = self.review.findings
        if findings is None:
            self.fail(PmviewerError("Open a file and wait for its findings first."))
            return None
        file_filter = "Tab-separated (*.tsv)" if fmt == "tsv" else "JSON (*.json)"
        path = self.save_path("Export findings", f"{self.stem()}-findings.{fmt}", file_filter)
        if path is None:
            return None
        text = findings_to_tsv(findings) if fmt == "tsv" else dumps_json(findings)
        try:
            write_atomic(path, text.encode("utf-8"))
        except PmviewerError as error:  # write_atomic words the system error for the user
            self.fail(error)
            return None
        self.status.setText(f"Findings saved: {path}")
        return path

    def export_review(self) -> str | None:
        """The case's review as JSON (read back by ``pmviewer report --review``)."""
        from pmviewer.core.review import export_review as write_review

        if not self.case_ready():
            return None
        path = self.save_path("Export review", f"{self.stem()}-review.json", "JSON (*.json)")
        if path is None:
            return None
        try:
            write_review(self.review.case, path)
        except PmviewerError as error:
            self.fail(error)
            return None
        self.status.setText(f"Review saved: {path} (it contains patient details)")
        return path
