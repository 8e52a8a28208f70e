"""Printing the report as the PDF itself: vector text, not page images.

A PDF printer (CUPS on Linux and macOS) takes the report's own bytes: sharp at any
resolution, a small job, seconds instead of a minute of rasterising. "Print to file" writes
the PDF as it is. Only where no PDF spooler exists are the pages rasterised.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from pmviewer.core.errors import PmviewerError

NO_PRINTER = (
    "No printer is set up on this computer. Add a printer in the system settings, or export "
    "the report (File ▸ Export report) and print the PDF from another computer."
)


def printer_names() -> list[str]:
    """The printers the system offers (empty: none set up)."""
    from PySide6.QtPrintSupport import QPrinterInfo

    return [p.printerName() for p in QPrinterInfo.availablePrinters()]


def spooler() -> str | None:
    """The CUPS ``lp`` command that takes a PDF as it is, if the system has one."""
    return shutil.which("lp")


def send_pdf(printer: str, pdf: bytes, copies: int = 1, title: str = "pmviewer report") -> str:
    """Queue ``pdf`` on ``printer`` with ``lp`` (runs on a worker); returns the spooler's
    answer (e.g. 'request id is office-12'). The temporary file is removed afterwards."""
    command = spooler()
    if command is None:
        raise PmviewerError("This computer has no print spooler that accepts PDF files.")
    with tempfile.TemporaryDirectory(prefix="pmviewer-print-") as folder:
        path = Path(folder) / "report.pdf"
        path.write_bytes(pdf)
        path.chmod(0o600)  # patient data: readable by this user only
        done = subprocess.run(  # noqa: S603 - fixed command, no shell
            [command, "-d", printer, "-n", str(max(1, copies)), "-t", title, str(path)],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    if done.returncode != 0:
        reason = (done.stderr or done.stdout).strip().splitlines()
        raise PmviewerError(
            f"The printer {printer} did not take the report"
            + (f" ({reason[-1]})" if reason else "")
            + ". Check the printer and try again, or export the report as a PDF."
        )
    return done.stdout.strip()
