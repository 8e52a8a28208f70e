"""File ▸ Export FHIR bundle, and signing the final report from the approval dialog.

Both use the same calls as ``pmviewer report --fhir`` / ``--sign``: the open case's report
model, :func:`pmviewer.export.fhir.build_bundle` and
:func:`pmviewer.export.archive.signed_archive` (PDF/A-3b with the FHIR bundle attached,
then a PAdES signature). The work runs on a worker; the certificate's password is typed in
the approval dialog, kept in memory for that one signature and never saved.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QWidget,
)

from pmviewer.core.errors import PmviewerError
from pmviewer.ui.dialog_parts import text_label


# ================================================================== plain work (worker side)
def fhir_bytes(model, progress=None, cancel=None) -> bytes:
    from pmviewer.export.fhir import build_bundle, bundle_bytes

    return bundle_bytes(build_bundle(model))


def signed_report_bytes(
    model, pdf: bytes, certificate: str, password: str, replaces: str, progress=None, cancel=None
) -> bytes:
    from pmviewer.export.archive import Attachment, read_report_id, signed_archive
    from pmviewer.export.fhir import build_bundle, bundle_bytes
    from pmviewer.export.report_id import report_id

    replaced = read_report_id(replaces) if replaces else ""
    bundle = bundle_bytes(build_bundle(model, replaces=replaced))
    name = f"{report_id(model)}.fhir.json"
    return signed_archive(
        model,
        pdf,
        certificate=Path(certificate),
        password=password.encode("utf-8") if password else None,
        replaces=replaced,
        attachments=[Attachment(name, bundle, "application/fhir+json", "FHIR R4 Bundle")],
    )


# ================================================================== actions
# Both take the window's ExportController (pmviewer.ui.export_actions): the open case's
# report model, the save dialog and the worker are the ones File ▸ Export report uses.
def _write(exports, path: str, data: bytes, what: str) -> None:
    from pmviewer.core.safe_write import write_atomic

    try:
        write_atomic(path, data)
    except PmviewerError as error:
        exports.fail(error)
        return
    exports.status.setText(f"{what} saved: {path}")
    exports.last_exchange_path = path  # tests wait for it


def export_fhir(exports) -> None:
    """The report as a FHIR R4 Bundle (Genomics Reporting IG), saved where the user says."""
    if not exports.case_ready():
        return
    try:
        model = exports.report_model()
    except PmviewerError as error:
        exports.fail(error)
        return
    path = exports.save_path(
        "Export FHIR bundle", f"{exports.stem()}-{model.status}.fhir.json", "FHIR JSON (*.json)"
    )
    if path is None:
        return
    exports.in_background(
        fhir_bytes,
        model,
        on_done=lambda data: _write(exports, path, data, "FHIR bundle"),
        text="Preparing the FHIR bundle…",
    )


def sign_final_report(exports, certificate: str, password: str, replaces: str = "") -> None:
    """After approval: the final (or amended) report, archived and signed, saved as a PDF."""
    from pmviewer.export.pdf import build_report

    try:
        model = exports.report_model()
        pdf = build_report(model)
    except PmviewerError as error:
        exports.fail(error)
        return
    path = exports.save_path(
        "Save the signed report",
        f"{exports.stem()}-{model.status}-signed-report.pdf",
        "PDF (*.pdf)",
    )
    if path is None:
        return
    exports.in_background(
        signed_report_bytes,
        model,
        pdf,
        certificate,
        password,
        replaces,
        on_done=lambda data: _write(exports, path, data, "Signed report"),
        text="Signing the report…",
    )


# ================================================================== approval dialog part
class SigningFields(QWidget):
    """Optional: sign the final report with a PKCS#12 certificate right after approval."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        form = QFormLayout(self)
        form.setContentsMargins(0, 8, 0, 0)
        form.addRow(
            text_label(
                "<b>Sign the final report (optional)</b><br>Choose your signing certificate "
                "(.p12/.pfx); the signed PDF/A report is saved after approval.",
                rich=True,  # markup written here, no quoted value
            )
        )
        self.certificate_edit = _path_row(
            form, "Certificate", "No certificate: approve without signing", self._choose_certificate
        )
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow("Password", self.password_edit)
        self.replaces_edit = _path_row(
            form, "Replaces", "For an amendment: the earlier signed report", self._choose_replaced
        )

    def _choose_certificate(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Signing certificate", "", "PKCS#12 (*.p12 *.pfx)"
        )
        if path:
            self.certificate_edit.setText(path)

    def _choose_replaced(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Report it replaces", "", "PDF (*.pdf)")
        if path:
            self.replaces_edit.setText(path)

    @property
    def certificate(self) -> str:
        return self.certificate_edit.text().strip()

    @property
    def password(self) -> str:
        return self.password_edit.text()

    @property
    def replaces(self) -> str:
        return self.replaces_edit.text().strip()


def _path_row(form, label: str, placeholder: str, choose) -> QLineEdit:
    """A file path field with its "Choose…" button, added to ``form``; returns the field."""
    edit = QLineEdit()
    edit.setPlaceholderText(placeholder)
    browse = QPushButton("Choose…")
    browse.clicked.connect(choose)
    row = QHBoxLayout()
    row.addWidget(edit, 1)
    row.addWidget(browse)
    form.addRow(label, row)
    return edit
