"""File > Import pharmacogenomic calls: apply an outside-call TSV to the open file's results.

The file is read and checked in core (:func:`pmviewer.core.pgx.with_outside_calls`); a refused
file changes nothing and its problems (with line numbers) are shown. Reading a calls file
takes milliseconds, so no worker is needed.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox


def apply_calls_file(window, path: str) -> str | None:
    """Apply ``path`` to the window's pharmacogenomic results; the error text if refused."""
    from pmviewer.core.errors import PmviewerError
    from pmviewer.core.knowledge import open_knowledge
    from pmviewer.core.pgx import with_outside_calls

    if window.result is None:
        return "Open a VCF first: outside calls are applied to the file's own results."
    try:
        with open_knowledge(window.prefs.knowledge_path) as knowledge:
            entries = with_outside_calls(knowledge, list(window.pgx_results), path)
    except PmviewerError as error:
        return str(error)
    window.set_pgx_results(entries)  # findings (report, exports), view and count
    return None


def import_pgx_calls(window) -> None:
    """Ask for an outside-call TSV and apply it (the menu action)."""
    path, _ = QFileDialog.getOpenFileName(
        window,
        "Import pharmacogenomic calls",
        "",
        "Outside calls (*.tsv *.txt);;All files (*)",
    )
    if not path:
        return
    problem = apply_calls_file(window, path)
    if problem:
        box = QMessageBox(
            QMessageBox.Icon.Warning, "Pharmacogenomic calls not imported", problem, parent=window
        )
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.open()
        window._pgx_import_box = box
