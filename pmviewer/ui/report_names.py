"""The file name the Save dialog proposes for a report: ``<MRN>_<date>_report.pdf``."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from pmviewer.ui.settings import read_settings, write_settings

_UNSAFE = re.compile(r"[^\w.-]+")  # keeps letters of any script, digits, '_', '.', '-'


def report_file_name(mrn: str, day: date | None = None, status: str = "") -> str:
    """'MRN-0042_2026-12-03_report.pdf'; a draft says so; no MRN: 'patient'."""
    stem = _UNSAFE.sub("-", (mrn or "").strip()).strip("-.") or "patient"
    when = (day or date.today()).isoformat()
    kind = "draft-report" if status == "draft" else "report"
    return f"{stem}_{when}_{kind}.pdf"


def proposed_report_path(mrn: str, status: str = "") -> Path:
    """The name in the folder the last report was saved to (else the last opened folder)."""
    folder = (
        read_settings("last_report_directory") or read_settings("last_directory") or Path.home()
    )
    return Path(folder) / report_file_name(mrn, status=status)


def remember_report_folder(path: str) -> None:
    write_settings(last_report_directory=str(Path(path).parent))
